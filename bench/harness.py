"""Shared parts of the server benchmarks (bench/loadtest.py, bench/deadline.py, bench/startup.py).

A throw-away database with the Stockholm demo (SQLite in a temporary folder, or the PostgreSQL
database of BENCH_PG_URL, dropped and created again), gunicorn started exactly as `lagesbild
serve` starts it (lagesbild/gunicorn_conf.py) on a free loopback port, and a small asyncio load
generator on raw sockets. Loopback only; every loop is bounded by time and by a request cap.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/perfbench")
DEMO_PASSWORD = "bench-lösenord-123"
MAX_REQUESTS = 200_000  # hard cap per measurement, whatever the duration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_available() -> bool:
    parts = urlsplit(PG_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 2):
            return True
    except OSError:
        return False


def bench_env(tmp: str, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "LAGESBILD_VAR_DIR": tmp,
        "DATABASE_URL": PG_URL if database == "postgresql" else "",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LAGESBILD_DEMO_PASSWORD": DEMO_PASSWORD,
        # BENCH_ACCESS_LOG=FILE keeps the server's access log (with each request's time in µs)
        "LAGESBILD_WEB_ACCESS_LOG": os.environ.get("BENCH_ACCESS_LOG", ""),
        "LAGESBILD_TASKS_BACKEND": "immediate",
        "AXES_FAILURE_LIMIT": "1000",
    }


def _recreate_pg_database() -> None:
    import psycopg

    parts = urlsplit(PG_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare_database(env: dict[str, str], database: str) -> None:
    """Migrate an empty database and load the demo (a few tens of seconds)."""
    if database == "postgresql":
        _recreate_pg_database()
    run = dict(cwd=ROOT, env=env, check=True)
    subprocess.run([str(BIN / "python"), "manage.py", "migrate", "--noinput", "-v0"], **run)
    subprocess.run([str(BIN / "lagesbild"), "demo"], stdout=subprocess.DEVNULL, **run)


def django_script(env: dict[str, str], code: str) -> str:
    """Run Python with Django set up against the bench database; returns its stdout."""
    prelude = (
        "import os, django\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'lagesbild.settings')\n"
        "django.setup()\n"
    )
    out = subprocess.run(
        [str(BIN / "python"), "-c", prelude + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return out.stdout


class Server:
    """gunicorn as `lagesbild serve` runs it; stopped on exit."""

    def __init__(self, env: dict[str, str], workers: int | None = None, threads: int | None = None):
        sys.path.insert(0, str(ROOT))
        from lagesbild.cli import gunicorn_argv

        self.port = free_port()
        self.argv = gunicorn_argv(self.port, workers, threads)
        self.argv[0] = str(BIN / "python")
        self.env = env
        self.log = Path(env["LAGESBILD_VAR_DIR"]) / f"gunicorn-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def __enter__(self) -> Server:
        self.start()
        self.wait_ready()
        return self

    def warm_workers(self) -> int:
        """How many workers have finished their warm-up (lagesbild/gunicorn_conf.py logs it)."""
        return self.log.read_text(errors="replace").count("uppvärmd")

    def wait_ready(self, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if asyncio.run(request(self.port, "/healthz/live"))[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn svarade inte")

    def __exit__(self, *exc) -> None:
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        keep = os.environ.get("BENCH_KEEP_LOGS")  # a folder: the server's log is kept there
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            shutil.copy(self.log, Path(keep) / self.log.name)


async def request(port: int, path: str) -> tuple[int, float]:
    """One GET on a new connection; (status, seconds)."""
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


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    server_errors: int = 0
    duration: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.duration if self.duration else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies, 0.95) * 1000

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies, 0.50) * 1000


async def _load(port: int, path: str, seconds: float, concurrency: int) -> Result:
    result = Result()
    deadline = time.perf_counter() + seconds
    count = 0

    async def worker():
        nonlocal count
        while time.perf_counter() < deadline and count < MAX_REQUESTS:
            count += 1
            try:
                status, elapsed = await request(port, path)
            except OSError:
                result.errors += 1
                continue
            if status == 200:
                result.latencies.append(elapsed)
            else:
                result.errors += 1
                result.server_errors += status >= 500 or status == 0

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.duration = time.perf_counter() - started
    return result


def load(port: int, path: str, seconds: float, concurrency: int) -> Result:
    """CONCURRENCY connections requesting PATH back to back for SECONDS."""
    return asyncio.run(_load(port, path, seconds, concurrency))


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    return float(raw) if raw else default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw else default
