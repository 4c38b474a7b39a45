"""The `lagesbild` command: a thin front for Django's management commands.

`lagesbild serve [--port N]` runs the web server and the background task worker; `lagesbild load-config DIR`, `lagesbild demo`,
`lagesbild import …` and the others map to management commands (hyphens become underscores).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"import": "import_stats"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    from django.core.management import execute_from_command_line

    if not argv or argv[0] in {"-h", "--help", "help"}:
        execute_from_command_line(
            ["lagesbild", "help", "--commands"] if argv else ["lagesbild", "help"]
        )
        return
    command, rest = argv[0], argv[1:]
    if command == "serve":
        serve(rest)
        return
    command = ALIASES.get(command, command.replace("-", "_"))
    execute_from_command_line(["lagesbild", command, *rest])


def serve(args: list[str]) -> None:
    """Serve with gunicorn on 127.0.0.1 (static files through WhiteNoise), with the background
    task worker beside it (database queue); the worker ends when the server does."""
    import argparse
    import signal
    import subprocess

    parser = argparse.ArgumentParser(prog="lagesbild serve", description="Startar webbservern.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    parser.add_argument(
        "--no-task-worker",
        dest="task_worker",
        action="store_false",
        help="Starta inte bakgrundsarbetaren (till exempel när den körs som en egen tjänst).",
    )
    opts = parser.parse_args(args)
    print(f"Lägesbild: http://127.0.0.1:{opts.port}/  (avsluta med Ctrl-C)", flush=True)
    worker = _start_task_worker() if opts.task_worker else None
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lagesbild.wsgi:application",
            "--bind",
            f"127.0.0.1:{opts.port}",
            "--workers",
            str(opts.workers),
            "--access-logfile",
            "-",
            "--error-logfile",
            "-",
        ]
    )
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        code = server.wait()
    except KeyboardInterrupt:  # Ctrl-C reaches the server and the worker too
        code = server.wait()
    finally:
        _stop(worker)
    sys.exit(code)


def _start_task_worker():
    """The database queue's worker (django-tasks-db), unless tasks go to Redis (RQ), whose
    worker is a service of its own."""
    import subprocess

    if os.environ.get("LAGESBILD_TASKS_BACKEND", "database") != "database":
        return None
    return subprocess.Popen(
        [sys.executable, "-m", "lagesbild.cli", "db_worker", "--no-reload", "--no-startup-delay"]
    )


def _stop(process) -> None:
    import subprocess

    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


if __name__ == "__main__":
    main()
