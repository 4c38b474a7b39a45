"""The `lagesbild` command: a thin front for Django's management commands.

`lagesbild serve [--port N]` runs the web server and the background task worker; `lagesbild load-config DIR`, `lagesbild demo`,
`lagesbild import …` and the others map to management commands (hyphens become underscores).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ALIASES = {"import": "import_stats"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help"}:
        # The overview needs no Django: it is printed without loading settings or any app.
        print_help()
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    from django.core.management import execute_from_command_line

    command, rest = argv[0], argv[1:]
    if command == "serve":
        serve(rest)
        return
    command = ALIASES.get(command, command.replace("-", "_"))
    from lagesbild.startup import setup_django

    setup_django(["lagesbild", command, *rest])
    execute_from_command_line(["lagesbild", command, *rest])


def commands() -> list[str]:
    """Lägesbild's own commands, found by file name (no import): `serve` plus every
    `lagesbild/<app>/management/commands/<name>.py`, hyphenated as the CLI spells them."""
    found = {"serve"}
    for path in Path(__file__).resolve().parent.glob("*/management/commands/*.py"):
        if not path.name.startswith("_"):
            found.add(path.stem.replace("_", "-"))
    return sorted({_SPELLING.get(name, name) for name in found})


_SPELLING = {"import-stats": "import"}


def print_help() -> None:
    print(
        "Användning: lagesbild <kommando> [argument]\n\n"
        "Lägesbilds kommandon:\n"
        + "".join(f"  {name}\n" for name in commands())
        + "\nHjälp om ett kommando: lagesbild <kommando> --help. "
        "Alla Djangos kommandon (migrate, createsuperuser, …) går också: lagesbild help."
    )


def serve(args: list[str]) -> None:
    """Serve with gunicorn on 127.0.0.1 (static files through WhiteNoise), with the background
    task worker beside it (database queue); the worker ends when the server does.

    Worker model, counts, time-outs and warm-up are in lagesbild/gunicorn_conf.py, read from the
    environment; `--workers` and `--threads` override them for one run.
    """
    import argparse
    import signal
    import subprocess

    parser = argparse.ArgumentParser(prog="lagesbild serve", description="Startar webbservern.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument(
        "--no-task-worker",
        dest="task_worker",
        action="store_false",
        help="Starta inte bakgrundsarbetaren (till exempel när den körs som en egen tjänst).",
    )
    opts = parser.parse_args(args)
    print(f"Lägesbild: http://127.0.0.1:{opts.port}/  (avsluta med Ctrl-C)", flush=True)
    worker = _start_task_worker() if opts.task_worker else None
    server = subprocess.Popen(gunicorn_argv(opts.port, opts.workers, opts.threads))
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


def gunicorn_argv(port: int, workers: int | None = None, threads: int | None = None) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "lagesbild.wsgi:application",
        "--config",
        "python:lagesbild.gunicorn_conf",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if workers:
        argv += ["--workers", str(workers)]
    if threads:
        argv += ["--threads", str(threads)]
    return argv


if __name__ == "__main__":
    main()
