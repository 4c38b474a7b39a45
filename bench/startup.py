"""Start-up: `manage.py check` against a bare Django project, a worker's first request against
its tenth, and a second `make run` against the first.

    .venv/bin/python bench/startup.py

1. `manage.py check` loads every app, model, URL and view. The same check of a bare project
   (`django-admin startproject`, only Django's contrib apps) is generated in a temporary folder
   and timed in the same run; the best of BENCH_CHECK_RUNS (5) runs each, in CPU seconds (the
   check is single-threaded; on a shared machine its wall time also counts the neighbours' work;
   both are printed). Target: ≤ 2×.
2. gunicorn as `lagesbild serve` starts it, one worker with one thread; after the worker has
   logged its warm-up, ten requests for the start page and ten for the health check (one query).
   Target: first ≤ 2× tenth, where "tenth" is the median of the 6th–15th request (single
   requests of a few milliseconds are noisy on a shared machine). For information, ten for a goal page the warm-up did not visit (the
   first builds the page, later ones find it in the worker's page cache) and ten for an indicator
   page with a new query string each (the first also draws the chart, later ones find it in the
   chart cache): those ratios are the cost of building a page once, not of starting.
3. `make run` twice in a new var folder (BENCH_MAKE_RUN=0 skips it): seconds from the command to
   the first served page. The first migrates, collects static files and loads the demo; the
   second finds all three done. Target: second ≤ a third of the first.
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    BIN,
    ROOT,
    Server,
    bench_env,
    env_int,
    free_port,
    prepare_database,
    request,
)


def _time(argv: list[str], cwd: Path, env: dict) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run. CPU time is the ratio's measure: on a shared
    machine the wall time also counts the neighbours' work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def check_ratio(env: dict, runs: int) -> tuple[tuple[float, float], tuple[float, float]]:
    with tempfile.TemporaryDirectory(prefix="lagesbild-bare-") as bare:
        subprocess.run([str(BIN / "django-admin"), "startproject", "bare", bare], check=True)
        bare_env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        ours = min(
            _time([str(BIN / "python"), "manage.py", "check"], ROOT, env) for _ in range(runs)
        )
        theirs = min(
            _time([str(BIN / "python"), "manage.py", "check"], Path(bare), bare_env)
            for _ in range(runs)
        )
    return ours, theirs


def first_vs_tenth(env: dict) -> dict[str, list[float]]:
    """Ten requests of each kind to a fresh worker (one worker, one thread), after its warm-up."""
    server = Server(env, workers=1, threads=1)
    kinds = {
        "start page": lambda i: "/",
        "health check (one query)": lambda i: "/healthz",
        "goal page (info: not warmed)": lambda i: "/mal/2/",
        "indicator page, new query each time (info)": lambda i: f"/indikator/S6.1/?start={i}",
    }
    out = {}
    with server:
        deadline = time.monotonic() + 120
        while server.warm_workers() < 1 and time.monotonic() < deadline:
            time.sleep(0.1)
        for label, path in kinds.items():
            times = []
            for i in range(15):
                status, seconds = asyncio.run(request(server.port, path(i)))
                if status != 200:
                    raise RuntimeError(f"{path(i)}: status {status}")
                times.append(seconds)
            out[label] = times
    return out


def make_run_seconds(var: str) -> float:
    port = free_port()
    env = {**os.environ, "LAGESBILD_VAR_DIR": var, "DATABASE_URL": ""}
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.perf_counter() - t0 < 600:
            try:
                if asyncio.run(request(port, "/"))[0] == 200:
                    return time.perf_counter() - t0
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError("make run avslutades")
            time.sleep(0.1)
        raise RuntimeError("make run svarade inte inom 600 s")
    finally:
        os.killpg(proc.pid, 15)  # make and the server it started (its own session)
        proc.wait(timeout=60)


def main() -> int:
    runs = env_int("BENCH_CHECK_RUNS", 5)
    with tempfile.TemporaryDirectory(prefix="lagesbild-bench-") as tmp:
        env = bench_env(tmp, "sqlite")
        print("Start: sätter upp demodatabasen …", flush=True)
        prepare_database(env, "sqlite")
        ours, bare = check_ratio(env, runs)
        runs_by_kind = first_vs_tenth(env)
    make_runs = None
    if os.environ.get("BENCH_MAKE_RUN", "1") != "0":
        with tempfile.TemporaryDirectory(prefix="lagesbild-makerun-") as var:
            make_runs = (make_run_seconds(var), make_run_seconds(var))

    ok = True
    print("\nStart-up")
    r = ours[0] / bare[0]
    ok &= r <= 2
    print(
        f"  manage.py check: Lägesbild {ours[0]:.2f} s CPU ({ours[1]:.2f} s wall), bare Django "
        f"project {bare[0]:.2f} s CPU ({bare[1]:.2f} s wall), best of {runs}: {r:.2f}× CPU, "
        f"{ours[1] / bare[1]:.2f}× wall (target ≤ 2×)"
    )
    for label, times in runs_by_kind.items():
        tenth = statistics.median(times[5:15])
        r = times[0] / tenth
        info = "info" in label
        ok &= r <= 2 or info
        print(
            f"  worker's {label}: first {times[0] * 1000:.1f} ms, tenth {tenth * 1000:.1f} ms: "
            f"{r:.2f}×{'' if info else ' (target ≤ 2×)'}; "
            f"all: {', '.join(f'{t * 1000:.0f}' for t in times)} ms"
        )
    if make_runs:
        first, second = make_runs
        r = second / first
        ok &= r <= 1 / 3
        print(
            f"  make run to the first served page: first {first:.1f} s, second {second:.1f} s: "
            f"{r:.2f} (target ≤ 0.33)"
        )
    print(f"  {'OK' if ok else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
