"""Throughput of the indicator page against a trivial view, served by gunicorn on loopback.

    .venv/bin/python bench/loadtest.py [--seconds 10] [--concurrency 20] [--workers 2]

Sets up a throw-away SQLite database with the Stockholm demo in a temporary directory, starts
gunicorn (the production server) on 127.0.0.1 on a free port, and from this second process
drives it with CONCURRENCY simultaneous connections for a fixed time per URL. Reports requests
per second, latency percentiles and the indicator page's share of the trivial view's throughput
(target: at least 30 %). Loopback only; every loop is bounded by time and by a request cap.

The load generator is a few lines of asyncio on raw sockets rather than an HTTP client library:
gunicorn's sync workers close each connection after the response, and a library client spends
more CPU per request than the trivial view itself, which would make the client the bottleneck
on a small machine and hide the server's real ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TRIVIAL = "/healthz/live"
TRIVIAL_LABEL = "trivial view (/healthz/live, no database)"
PAGES = {
    TRIVIAL_LABEL: TRIVIAL,
    "health check (/healthz, one SELECT 1)": "/healthz",
    "indicator page (/indikator/S6.1/)": "/indikator/S6.1/",
    "indicator page, English (/en/indikator/S1.1/)": "/en/indikator/S1.1/",
    "explorer (/utforska/?indikator=S6.1)": "/utforska/?indikator=S6.1",
}
MAX_REQUESTS = 200_000  # hard cap per URL, whatever the duration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def one_request(port: int, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("ascii")
    )
    await writer.drain()
    data = await reader.read()  # until the server closes
    writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    return status, time.perf_counter() - start


async def load(port: int, path: str, seconds: float, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    count = 0

    async def worker():
        nonlocal errors, count
        while time.perf_counter() < deadline and count < MAX_REQUESTS:
            count += 1
            try:
                status, elapsed = await one_request(port, path)
            except OSError:
                errors += 1
                continue
            if status != 200:
                errors += 1
            else:
                latencies.append(elapsed)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    duration = time.perf_counter() - started
    latencies.sort()
    pct = (
        (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000)
        if latencies
        else (lambda q: 0.0)
    )
    return {
        "ok": len(latencies),
        "errors": errors,
        "rps": len(latencies) / duration,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "mean": statistics.fmean(latencies) * 1000 if latencies else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lagesbild-bench-") as tmp:
        env = {
            **os.environ,
            "LAGESBILD_VAR_DIR": tmp,
            "DATABASE_URL": "",
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        print("Sätter upp en tillfällig databas med Stockholmsdemon …", flush=True)
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        subprocess.run(
            [str(BIN / "lagesbild"), "demo"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "lagesbild.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--backlog",
                "512",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            for _ in range(100):  # bounded wait for the server to answer
                try:
                    status, _t = asyncio.run(one_request(port, TRIVIAL))
                    if status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            else:
                print("gunicorn svarade inte", file=sys.stderr)
                return 1
            results = {}
            for label, path in PAGES.items():
                asyncio.run(load(port, path, args.warmup, args.concurrency))  # fill caches
                results[label] = asyncio.run(load(port, path, args.seconds, args.concurrency))
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"\ngunicorn, {args.workers} sync workers, {args.concurrency} concurrent connections, "
        f"{args.seconds:.0f} s per URL, loopback\n"
    )
    print(f"{'URL':48} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for label, r in results.items():
        print(f"{label:48} {r['rps']:8.0f} {r['p50']:8.1f} {r['p95']:8.1f} {r['errors']:7d}")
    trivial = results[TRIVIAL_LABEL]["rps"]
    ratio = results["indicator page (/indikator/S6.1/)"]["rps"] / trivial if trivial else 0
    verdict = "OK" if ratio >= 0.30 else "UNDER TARGET"
    print(f"\nindicator page / trivial view: {ratio:.0%} (target ≥ 30 %) {verdict}")
    errors = sum(r["errors"] for r in results.values())
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
