"""gunicorn's configuration for `lagesbild serve` (`gunicorn -c python:lagesbild.gunicorn_conf`).

Every value comes from the environment (docs/performance.md has the table):

- worker model `gthread`: each worker process serves `LAGESBILD_WEB_THREADS` (2) requests at
  once in threads, so a cached page is not held up behind another request's workbook;
- `LAGESBILD_WEB_WORKERS` (or the conventional `WEB_CONCURRENCY`) processes, by default two per
  core and one more (gunicorn's own advice), so Python work is spread over processes rather
  than threads: threads of one process share its interpreter lock, and a thread coming back
  from a database round trip waited for it behind another thread's Python work – at the
  deadline on PostgreSQL, 2 processes × 4 threads doubled the reporters' p95 (1.7–2.5×), 5 × 2
  kept it at 1.3× (docs/performance.md);
- the application is loaded once in the master (`preload_app`) and each worker answers a warm-up
  request before it takes traffic (`post_worker_init`), so nobody's first request pays for
  importing views, reading translations, compiling templates or opening the database connection.
"""

from __future__ import annotations

import os
import sys


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        sys.exit(f"{name}={raw!r} är inte ett heltal.")


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    return raw in {"1", "true", "yes", "on", "ja"}


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    return 2 * cores() + 1


workers = _int("LAGESBILD_WEB_WORKERS", _int("WEB_CONCURRENCY", default_workers()))
worker_class = os.environ.get("LAGESBILD_WEB_WORKER_CLASS", "gthread")
threads = _int("LAGESBILD_WEB_THREADS", 2)
timeout = _int("LAGESBILD_WEB_TIMEOUT", 30)
graceful_timeout = _int("LAGESBILD_WEB_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive connections wait in gthread's poller, not in a thread, so keeping them is
# cheap. 75 s (nginx's default) rather than gunicorn's 5 s: a client that reuses a connection
# just as the server closes it gets a broken connection (most clients, httpx among them, keep
# idle connections 5 s too) – 44 of them in the deadline benchmark at 5 s, none at 75 s.
keepalive = _int("LAGESBILD_WEB_KEEPALIVE", 75)
backlog = _int("LAGESBILD_WEB_BACKLOG", 2048)
# A worker is replaced after this many requests (0: never); jitter spreads the restarts.
max_requests = _int("LAGESBILD_WEB_MAX_REQUESTS", 0)
max_requests_jitter = _int("LAGESBILD_WEB_MAX_REQUESTS_JITTER", 50)
preload_app = _bool("LAGESBILD_WEB_PRELOAD", True)
accesslog = os.environ.get("LAGESBILD_WEB_ACCESS_LOG", "-") or None
# gunicorn's format and each request's time in the server, in microseconds (%(D)s).
access_log_format = os.environ.get(
    "LAGESBILD_WEB_ACCESS_LOG_FORMAT",
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s',
)
errorlog = "-"
# Temporary files of the worker heartbeat in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn's control socket defaults to one path per user ($HOME/.gunicorn/gunicorn.ctl), which
# two servers on one machine would fight over; off unless a path is given.
control_socket = os.environ.get("LAGESBILD_WEB_CONTROL_SOCKET", "") or None
control_socket_disable = control_socket is None

WARMUP_PATHS = [
    p for p in os.environ.get("LAGESBILD_WEB_WARMUP", "/,/en/,/konto/logga-in/").split(",") if p
]


def when_ready(server) -> None:
    """In the master, after the application is loaded: what every worker shares (copy on write).

    The URL configuration (every view module), the translations and the base templates; no
    database connection is opened here, since a forked connection would be shared by workers.
    """
    if server.cfg.preload_app:
        from lagesbild.startup import freeze_heap

        warm_shared()
        freeze_heap()  # the preloaded application: about 190 000 objects, never garbage


def post_worker_init(worker) -> None:
    """In each worker, before it accepts a connection: one request per warm-up path, in every
    thread of its pool (gthread), so each thread has its database connection open and its
    language set up before the first visitor's request arrives."""
    pool = getattr(worker, "tpool", None)
    if pool is None:  # sync worker: one thread
        statuses = warm_worker(worker.wsgi, worker.log)
    else:
        import threading

        size = worker.cfg.threads
        together = threading.Barrier(size, timeout=30)  # all at once: one job per thread

        def job():
            try:
                together.wait()
            except threading.BrokenBarrierError:
                pass
            return warm_worker(worker.wsgi, worker.log, keep_connection=True)

        statuses = [f.result() for f in [pool.submit(job) for _ in range(size)]][0]
    from lagesbild.startup import freeze_heap

    freeze_heap()  # what the warm-up loaded (connections, caches) lives as long as the worker
    worker.log.info("Arbetare %s uppvärmd: %s", worker.pid, statuses)


def warm_shared() -> None:
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 – imports every view module
    for code, _name in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()
    for name in project_templates():
        try:
            get_template(name)
        except Exception:  # a broken template is the page's problem, not the start's
            pass
    if _bool("LAGESBILD_WEB_WARM_CHARTS", True):
        warm_charts()
    # Reporters' template downloads and uploads read and write workbooks in the request.
    import openpyxl  # noqa: F401

    # Logging in checks a password: the hasher's library (argon2-cffi) loaded once here.
    from django.contrib.auth.hashers import get_hasher

    get_hasher()._load_library()


def project_templates() -> list[str]:
    """The names of Lägesbild's own templates (not Django's or other packages')."""
    from pathlib import Path

    root = Path(__file__).resolve().parent
    names = []
    for folder in [root / "templates", *root.glob("*/templates")]:
        names += [
            str(p.relative_to(folder)) for p in folder.rglob("*") if p.suffix in {".html", ".txt"}
        ]
    return sorted(names)


def warm_charts() -> None:
    """Draw one chart with the application's own chart code (SVG and PNG): matplotlib imported,
    fonts and text layout cached, so the first chart a worker draws costs what every later one
    does. Only here, never on the URL import path."""
    from decimal import Decimal

    from lagesbild.indicators.charts import ChartLine, line_chart

    lines = [ChartLine(label=f"Serie {i}", values=[Decimal(i), None, Decimal(3)]) for i in (1, 2)]
    for fmt in ("svg", "png"):
        line_chart(
            periods=["2023", "2024", "2025"],
            lines=lines,
            title="Uppvärmning",
            description="Uppvärmning",
            unit_label="procent",
            decimals=1,
            fmt=fmt,
        )


def _host() -> str:
    from django.conf import settings

    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "127.0.0.1"
        if not host.startswith("."):
            return host
    return "127.0.0.1"


def warm_worker(app, log=None, *, keep_connection: bool = False) -> list[int]:
    """Call the WSGI application in-process for each warm-up path; returns the status codes.

    With `keep_connection` this thread's database connection stays open for the requests the
    thread serves next (it is health-checked before use); else it is closed."""
    from io import BytesIO
    from wsgiref.util import setup_testing_defaults

    from django.db import connections

    statuses = []
    for path in WARMUP_PATHS:
        environ = {
            "PATH_INFO": path,
            "REQUEST_METHOD": "GET",
            "HTTP_HOST": _host(),
            "SERVER_NAME": _host(),
            "wsgi.input": BytesIO(),
            "wsgi.errors": sys.stderr,
        }
        setup_testing_defaults(environ)
        seen = {}

        def start_response(status, headers, exc_info=None, seen=seen):
            seen["status"] = int(status.split()[0])
            return lambda data: None

        try:
            result = app(environ, start_response)
            for _chunk in result:
                pass
            if hasattr(result, "close"):
                result.close()
        except Exception as exc:  # warming must never stop a worker from serving
            if log:
                log.warning("Uppvärmning av %s misslyckades: %s", path, exc)
            seen.setdefault("status", 0)
        statuses.append(seen.get("status", 0))
    if not keep_connection:
        connections.close_all()
    return statuses
