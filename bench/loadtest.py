"""Pages under load: public pages against the trivial view, idle and while two draft PDFs build.

    .venv/bin/python bench/loadtest.py [--seconds 5] [--concurrency 20] [--database both]

Sets up a throw-away database with the Stockholm demo, starts gunicorn as `lagesbild serve` does
(gthread workers from the cores, lagesbild/gunicorn_conf.py) on a free loopback port and drives
each URL with CONCURRENCY connections for a fixed time: first idle, then while two
`lagesbild report 2025 --format pdf` processes build the report's PDF (restarted whenever one
finishes, at the background worker's CPU priority LAGESBILD_WORKER_NICE, default 10).

Printed per page, measured in this one run:
- loaded p95 / idle p95 (target ≤ 3×);
- page throughput / trivial view's throughput in the same phase (target ≥ 30 %).

The load generator is a few lines of asyncio on raw sockets rather than an HTTP client library:
a library client spends more CPU per request than the trivial view itself, which would make the
client the bottleneck on a small machine and hide the server's real ratio.

Environment: BENCH_SECONDS (5 per URL and phase), BENCH_CONCURRENCY (20), BENCH_DATABASE
(sqlite, postgresql or both, the default: SQLite, then PostgreSQL if it answers; BENCH_PG_URL
names the database, default perfbench), BENCH_WORKERS and BENCH_THREADS (default: as
`lagesbild serve`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import (  # noqa: E402
    BIN,
    ROOT,
    Server,
    bench_env,
    env_float,
    env_int,
    load,
    pg_available,
    prepare_database,
)

TRIVIAL = ("trivial view", "/healthz/live")
PAGES = [
    ("start", "/"),
    ("goal", "/mal/1/"),
    ("indicator", "/indikator/S6.1/"),
    ("indicator, English", "/en/indikator/S1.1/"),
    ("explorer", "/utforska/?indikator=S6.1"),
    ("support search", "/stod/?kommun=0181&alder=35&kon=kvinna&typ=vinr&roll=utsatt"),
    ("report (HTML)", "/rapport/2025/"),
]
P95_TARGET = 3.0
RPS_TARGET = 0.30


class Builders:
    """Two report PDF builds kept running (each restarted when it finishes) until stopped."""

    def __init__(self, env: dict[str, str], count: int = 2):
        self.env, self.count = env, count
        self.stop = threading.Event()
        self.finished = 0
        self.threads = [threading.Thread(target=self._loop, args=(i,)) for i in range(count)]
        self.procs: list[subprocess.Popen] = []
        self.nice = env_int("LAGESBILD_WORKER_NICE", 10)

    def _loop(self, i: int) -> None:
        out = Path(self.env["LAGESBILD_VAR_DIR"]) / f"draft-{i}.pdf"
        while not self.stop.is_set():
            proc = subprocess.Popen(
                [str(BIN / "lagesbild"), "report", "2025", "--format", "pdf", "--out", str(out)],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                preexec_fn=lambda: os.nice(self.nice),
            )
            self.procs.append(proc)
            while proc.poll() is None and not self.stop.wait(0.2):
                pass
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=30)
            elif proc.returncode == 0:
                self.finished += 1

    def __enter__(self) -> Builders:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def measure(port: int, seconds: float, concurrency: int, warmup: float) -> dict:
    results = {}
    for label, path in [TRIVIAL, *PAGES]:
        if warmup:
            load(port, path, warmup, concurrency)
        results[label] = load(port, path, seconds, concurrency)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=env_float("BENCH_SECONDS", 5.0))
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--concurrency", type=int, default=env_int("BENCH_CONCURRENCY", 20))
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE", "both"))
    args = parser.parse_args()
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    status = 0
    for database in databases:
        if database == "postgresql" and not pg_available():
            print("PostgreSQL svarar inte (BENCH_PG_URL); hoppar över.")
            continue
        status |= one_database(database, args)
    return status


def one_database(database: str, args) -> int:
    workers = env_int("BENCH_WORKERS", 0) or None
    threads = env_int("BENCH_THREADS", 0) or None

    with tempfile.TemporaryDirectory(prefix="lagesbild-bench-") as tmp:
        env = bench_env(tmp, database)
        print(f"Sidor under last ({database}): sätter upp demodatabasen …", flush=True)
        prepare_database(env, database)
        with Server(env, workers, threads) as server:
            idle = measure(server.port, args.seconds, args.concurrency, args.warmup)
            with Builders(env) as builders:
                loaded = measure(server.port, args.seconds, args.concurrency, 0)
                building = sum(p.poll() is None for p in builders.procs)
            built = builders.finished
        conf = server.argv

    print(
        f"\nPages under load ({database}): gunicorn {' '.join(conf[conf.index('--config') :])}"
        f"{'' if workers else ' (workers/threads from lagesbild/gunicorn_conf.py)'}, "
        f"{args.concurrency} connections, {args.seconds:g} s per URL and phase, loopback. "
        f"Loaded = while two `lagesbild report 2025 --format pdf` build (nice "
        f"{env_int('LAGESBILD_WORKER_NICE', 10)}; {building} still building at the end, "
        f"{built} finished during the phase).\n"
    )
    head = (
        f"{'page':22} {'idle req/s':>10} {'idle p95':>9} {'load req/s':>10} {'load p95':>9} "
        f"{'p95 ×':>6} {'idle %triv':>10} {'load %triv':>10} {'err':>4}"
    )
    print(head)
    ok = True
    errors = 0
    for label, _path in [TRIVIAL, *PAGES]:
        i, lo = idle[label], loaded[label]
        ratio = lo.p95_ms / i.p95_ms if i.p95_ms else float("inf")
        share_idle = i.rps / idle[TRIVIAL[0]].rps if idle[TRIVIAL[0]].rps else 0
        share_load = lo.rps / loaded[TRIVIAL[0]].rps if loaded[TRIVIAL[0]].rps else 0
        errors += i.errors + lo.errors
        if label != TRIVIAL[0]:
            ok &= ratio <= P95_TARGET and min(share_idle, share_load) >= RPS_TARGET
        print(
            f"{label:22} {i.rps:10.0f} {i.p95_ms:8.0f}ms {lo.rps:10.0f} {lo.p95_ms:8.0f}ms "
            f"{ratio:5.2f}× {share_idle:9.0%} {share_load:10.0%} {i.errors + lo.errors:4d}"
        )
    print(
        f"\nTargets: loaded p95 ≤ {P95_TARGET:g}× idle p95, throughput ≥ {RPS_TARGET:.0%} of the "
        f"trivial view's, 0 errors: {'OK' if ok and not errors else 'NOT MET'}"
    )
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
