"""Deadline: 200 reporters log in, open the round, download the template and upload it, for 60 s,
while 20 readers browse the public pages; on SQLite and on PostgreSQL.

    .venv/bin/python bench/deadline.py [--database sqlite|postgresql|both]

Sets up the Stockholm demo in a throw-away database, adds BENCH_REPORTERS (200) organisations,
each with one reporter and one annual measure of the current plan, opens the 2026 round and
serves it with gunicorn as `lagesbild serve` does.

A reporter's flow is the deadline's: open the login page, log in, open the round page, download
the template (mall.xlsx), upload it with a unique marker in the description, BENCH_CYCLES (1)
times, with a think time of BENCH_THINK ("2,6" seconds, uniform) between steps. First
BENCH_WARMUP_REPORTERS (8) flows at once warm the workers, uncounted; then
BENCH_BASELINE_REPORTERS (20) reporters run that flow one after another (think 0.2 s): the
unloaded latencies, over the same mix of requests. Then all reporters run it, each starting at a
random moment of BENCH_SECONDS (60) chosen so that the flow ends within it – every agency
contact of the county logging in and uploading in the same minute – while 20 readers
(BENCH_READERS) browse the public pages (think 0.5–1.5 s). BENCH_CYCLES=5 repeats the upload
part five times per login: a stress test of capacity rather than of the deadline.

Printed, measured in this one run: server errors (5xx or broken connections; target 0), lost
writes (an upload the server confirmed whose marker is not in the submission's history; target
0) and the reporters' p95 under load / the same requests' p95 unloaded (target ≤ 2×).

The client is httpx (asyncio) in BENCH_CLIENT_PROCESSES (4) processes, each with a share of the
reporters and readers and its own process for the workbook edits: one event loop handling all
220 clients delayed the very responses it timed (against the server's access log, up to 45 ms
at p95; 9 ms with four). BENCH_ACCESS_LOG=FILE keeps the server's access log. Loopback only,
bounded by the duration and a request cap.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import io
import json
import multiprocessing
import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    DEMO_PASSWORD,
    Server,
    bench_env,
    django_script,
    env_float,
    env_int,
    percentile,
    pg_available,
    prepare_database,
)

YEAR = 2026
READER_PAGES = [
    "/",
    "/mal/1/",
    "/mal/3/",
    "/indikator/S6.1/",
    "/en/indikator/S1.1/",
    "/utforska/?indikator=S6.1",
    "/stod/?kommun=0181&alder=35&kon=kvinna&typ=vinr&roll=utsatt",
    "/rapport/2025/",
]
MAX_REQUESTS = 100_000
EDITOR = None  # a process pool for the reporters' edits (set in main)


@functools.cache
def _tls():
    """One TLS context for all of a process's clients. The server is plain HTTP on loopback, but
    httpx builds a context (loading the CA bundle) for every client it makes unless given one:
    37 ms of CPU that blocked the event loop each time a reporter started, adding to the
    measured time of every response in flight in that client process."""
    import ssl

    return ssl.create_default_context()


SETUP = """
import datetime as dt, json
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from lagesbild.core.models import Organisation, Role
from lagesbild.core.services import membership_set
from lagesbild.reporting.models import ReportingRound, Submission
from lagesbild.reporting.services import _create_value_rows, round_open
from lagesbild.strategy.models import ActionPlan, Frequency

N = {n}
plan = ActionPlan.objects.filter(period_start__lte={year}, period_end__gte={year}).first()
measures = list(plan.measures.filter(frequency=Frequency.ANNUAL).order_by("pk"))
hashed = make_password("{password}")  # one hash for all: hashing is slow by design
with transaction.atomic():
    for i in range(N):
        org = Organisation.objects.create(key=f"bench-{{i:03d}}", name=f"Benchmyndighet {{i:03d}}",
                                          kind="state_agency")
        user = User.objects.create(username=f"bench-{{i:03d}}", password=hashed)
        membership_set(user=user, organisation=org, role=Role.REPORTER)
        measures[i % len(measures)].responsible.add(org)
today = dt.date.today()
rnd = ReportingRound.objects.filter(year={year}).first()
if rnd is None:
    round_open(year={year}, plan=plan, opens_on=today, closes_on=today + dt.timedelta(days=3))
else:  # the demo opened it already: the bench organisations' drafts are added to it
    rnd.closes_on = max(rnd.closes_on, today + dt.timedelta(days=3))
    rnd.save()
    for i in range(N):
        org = Organisation.objects.get(key=f"bench-{{i:03d}}")
        sub = Submission.objects.create(round=rnd, measure=measures[i % len(measures)],
                                        organisation=org)
        _create_value_rows(sub)
print(json.dumps({{"users": N}}))
"""

MARKERS = """
import json
from lagesbild.reporting.models import Submission
found = set()
for text in Submission.history.filter(narrative_source__contains="bench-marker-").values_list(
        "narrative_source", flat=True):
    found.update(re.findall(r"bench-marker-[0-9]+-[0-9]+", text))
print(json.dumps(sorted(found)))
"""


def _edit_template(content: bytes, marker: str) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb["Inrapporteringar"]
    for row in range(2, ws.max_row + 1):
        ws.cell(row=row, column=5, value="Pågående")
        ws.cell(row=row, column=6, value=f"Arbetet fortsätter. {marker}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


class Stats:
    def __init__(self):
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.server_errors = 0
        self.other_errors: dict[str, int] = defaultdict(int)
        self.stored: set[str] = set()
        self.requests = 0

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.requests += 1
        self.latency[kind].append(seconds)
        if status >= 500 or status == 0:
            self.server_errors += 1

    def merge(self, other: Stats) -> None:
        for kind, values in other.latency.items():
            self.latency[kind].extend(values)
        self.server_errors += other.server_errors
        for kind, n in other.other_errors.items():
            self.other_errors[kind] += n
        self.stored |= other.stored
        self.requests += other.requests

    def reporter_latencies(self) -> list[float]:
        return [t for k, v in self.latency.items() if k != "reader" for t in v]


async def _timed(stats: Stats, kind: str, coro, expect: set[int]):
    t0 = time.perf_counter()
    try:
        response = await coro
    except Exception as exc:  # httpx raises many kinds for a broken connection
        stats.record(kind, 0, time.perf_counter() - t0)
        stats.other_errors[f"{kind}: {type(exc).__name__}"] += 1
        return None
    stats.record(kind, response.status_code, time.perf_counter() - t0)
    if response.status_code not in expect:
        stats.other_errors[f"{kind}: {response.status_code}"] += 1
    return response


async def reporter(
    base: str, n: int, stats: Stats, start: float, until: float, think, cycles=None, first_k=0
):
    import httpx

    await asyncio.sleep(max(0.0, start - time.monotonic()))
    limits = httpx.Limits(max_connections=1)
    async with httpx.AsyncClient(
        base_url=base, timeout=120, limits=limits, verify=_tls()
    ) as client:
        r = await _timed(stats, "login page", client.get("/konto/logga-in/"), {200})
        if r is None:
            return
        token = client.cookies.get("csrftoken", "")
        await asyncio.sleep(think())
        r = await _timed(
            stats,
            "log in",
            client.post(
                "/konto/logga-in/",
                data={
                    "username": f"bench-{n:03d}",
                    "password": DEMO_PASSWORD,
                    "csrfmiddlewaretoken": token,
                },
                headers={"Referer": base + "/konto/logga-in/"},
            ),
            {302},
        )
        if r is None or r.status_code != 302:
            return
        token = client.cookies.get("csrftoken", token)
        k = first_k
        while time.monotonic() < until and (cycles is None or k - first_k < cycles):
            await asyncio.sleep(think())
            await _timed(stats, "round page", client.get(f"/rapportering/{YEAR}/"), {200})
            await asyncio.sleep(think())
            r = await _timed(
                stats, "template", client.get(f"/rapportering/{YEAR}/mall.xlsx"), {200}
            )
            if r is None or r.status_code != 200:
                continue
            marker = f"bench-marker-{n}-{k}"
            k += 1
            # in another process: the edit (openpyxl) must not hold up the timing of others
            content = await asyncio.get_running_loop().run_in_executor(
                EDITOR, _edit_template, r.content, marker
            )
            await asyncio.sleep(think())
            r = await _timed(
                stats,
                "upload",
                client.post(
                    f"/rapportering/{YEAR}/ladda-upp/",
                    data={"csrfmiddlewaretoken": token},
                    files={"file": (f"{marker}.xlsx", content)},
                    headers={"Referer": base + f"/rapportering/{YEAR}/ladda-upp/"},
                ),
                {302},
            )
            if r is not None and r.status_code == 302:
                stats.stored.add(marker)


async def reader(base: str, stats: Stats, until: float) -> None:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120, verify=_tls()) as client:
        while time.monotonic() < until and stats.requests < MAX_REQUESTS:
            await _timed(stats, "reader", client.get(random.choice(READER_PAGES)), {200})
            await asyncio.sleep(random.uniform(0.5, 1.5))


async def run_load_part(
    base: str, starts: dict[int, float], readers: int, until: float, think, cycles: int
) -> Stats:
    """One client process's share: the reporters `starts` (number → start time) and `readers`."""
    stats = Stats()
    tasks = [
        reporter(base, n, stats, start, until, think, cycles=cycles) for n, start in starts.items()
    ]
    tasks += [reader(base, stats, until) for _ in range(readers)]
    await asyncio.gather(*tasks)
    return stats


def _load_process(job: tuple) -> Stats:
    """Runs in a client process of its own (spawned): its share of the load, with its own
    process for the workbook edits."""
    global EDITOR
    base, starts, readers, until, (lo, hi), cycles, seed = job
    random.seed(seed)
    EDITOR = ProcessPoolExecutor(max_workers=1)
    try:
        return asyncio.run(
            run_load_part(base, starts, readers, until, lambda: random.uniform(lo, hi), cycles)
        )
    finally:
        EDITOR.shutdown()


def run_load(
    base: str, reporters: int, readers: int, seconds: float, think_range, cycles: int, flow: float,
    processes: int,
) -> Stats:  # fmt: skip
    """All reporters and readers, spread over PROCESSES client processes: one asyncio loop
    handling every response would itself delay the responses it times (measured against the
    server's access log: up to 45 ms at p95 with 220 clients in one loop)."""
    now = time.monotonic() + 3  # the client processes start (spawn) before the first flow
    until = now + seconds
    latest = max(0.0, seconds - flow)  # a flow started then still ends within the window
    starts = [now + random.uniform(0, latest) for _ in range(reporters)]
    jobs = [
        (
            base,
            {n: starts[n] for n in range(p, reporters, processes)},
            readers // processes + (p < readers % processes),
            until,
            think_range,
            cycles,
            random.random(),
        )
        for p in range(processes)
    ]
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=spawn) as pool:
        parts = list(pool.map(_load_process, jobs))
    stats = Stats()
    for part in parts:
        stats.merge(part)
    return stats


async def run_baseline(base: str, reporters: int, cycles: int, think, warmup: int) -> Stats:
    """The same flows, one reporter at a time: the unloaded latencies of the same mix, after
    WARMUP flows that are not counted (each worker thread's first login, template and upload
    would otherwise make the unloaded p95 a cold-start figure)."""
    await asyncio.gather(
        *(
            reporter(base, n, Stats(), 0, time.monotonic() + 600, think, cycles=1, first_k=2000)
            for n in range(warmup)
        )
    )
    stats = Stats()
    for n in range(reporters):
        await reporter(
            base, n, stats, 0, time.monotonic() + 600, think, cycles=cycles, first_k=1000
        )
    return stats


def one_database(database: str, args) -> dict:
    lo, hi = (float(x) for x in os.environ.get("BENCH_THINK", "2,6").split(","))
    flow = (lo + hi) / 2 * (1 + 3 * args.cycles) + 2  # mean think times of one flow, and slack
    with tempfile.TemporaryDirectory(prefix="lagesbild-deadline-") as tmp:
        env = bench_env(tmp, database)
        print(f"Deadline ({database}): sätter upp demodatabasen och {args.reporters} rapportörer …")
        prepare_database(env, database)
        django_script(env, SETUP.format(n=args.reporters, year=YEAR, password=DEMO_PASSWORD))
        with Server(env) as server:
            base = f"http://127.0.0.1:{server.port}"
            baseline = asyncio.run(
                run_baseline(base, args.baseline_reporters, args.cycles, lambda: 0.2, args.warmup)
            )
            t0 = time.monotonic()
            loaded = run_load(
                base, args.reporters, args.readers, args.seconds, (lo, hi), args.cycles, flow,
                args.client_processes,
            )  # fmt: skip
            wall = time.monotonic() - t0
        found = set(json.loads(django_script(env, "import re\n" + MARKERS).strip()))
    stored = baseline.stored | loaded.stored
    return {
        "database": database,
        "baseline": baseline,
        "loaded": loaded,
        "wall": wall,
        "stored": len(stored),
        "lost": sorted(stored - found),
    }


def report(result: dict, seconds: float, reporters: int, readers: int) -> bool:
    b, lo = result["baseline"], result["loaded"]
    base_p95 = percentile(b.reporter_latencies(), 0.95)
    load_p95 = percentile(lo.reporter_latencies(), 0.95)
    ratio = load_p95 / base_p95 if base_p95 else float("inf")
    errors = b.server_errors + lo.server_errors
    print(
        f"\nDeadline on {result['database']}: {reporters} reporters + {readers} readers, "
        f"{seconds:g} s ({result['wall']:.0f} s with the last requests), {lo.requests} requests"
    )
    print(f"  {'request':12} {'n':>5} {'unloaded p95':>13} {'loaded p50':>11} {'loaded p95':>11}")
    for kind in ["login page", "log in", "round page", "template", "upload", "reader"]:
        u, v = b.latency.get(kind, []), lo.latency.get(kind, [])
        print(
            f"  {kind:12} {len(v):5d} {percentile(u, 0.95) * 1000:11.0f}ms "
            f"{percentile(v, 0.5) * 1000:9.0f}ms {percentile(v, 0.95) * 1000:9.0f}ms"
        )
    print(f"  uploads stored: {result['stored']}; lost writes: {len(result['lost'])}")
    print(f"  server errors (5xx, broken connections): {errors}")
    if lo.other_errors or b.other_errors:
        print(f"  other answers: {dict(lo.other_errors)} {dict(b.other_errors)}")
    print(
        f"  reporter p95: unloaded {base_p95 * 1000:.0f} ms, loaded {load_p95 * 1000:.0f} ms: "
        f"{ratio:.2f}× (target ≤ 2×)"
    )
    ok = errors == 0 and not result["lost"] and ratio <= 2 and result["stored"] > 0
    print(f"  {'OK' if ok else 'NOT MET'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "both"))
    parser.add_argument("--seconds", type=float, default=env_float("BENCH_SECONDS_DEADLINE", 60))
    parser.add_argument("--reporters", type=int, default=env_int("BENCH_REPORTERS", 200))
    parser.add_argument("--readers", type=int, default=env_int("BENCH_READERS", 20))
    parser.add_argument("--cycles", type=int, default=env_int("BENCH_CYCLES", 1))
    parser.add_argument(
        "--baseline-reporters", type=int, default=env_int("BENCH_BASELINE_REPORTERS", 20)
    )
    parser.add_argument("--warmup", type=int, default=env_int("BENCH_WARMUP_REPORTERS", 8))
    parser.add_argument(
        "--client-processes", type=int, default=env_int("BENCH_CLIENT_PROCESSES", 4)
    )
    args = parser.parse_args()
    global EDITOR
    EDITOR = ProcessPoolExecutor(max_workers=1)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    random.seed(1)
    failed = 0
    for database in databases:
        if database == "postgresql" and not pg_available():
            print("PostgreSQL svarar inte (BENCH_PG_URL); hoppar över.")
            continue
        result = one_database(database, args)
        ok = report(result, args.seconds, args.reporters, args.readers)
        failed += result["baseline"].server_errors + result["loaded"].server_errors
        failed += len(result["lost"])
        del ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
