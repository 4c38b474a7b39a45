"""The `lagesbild` command: a thin front for Django's management commands.

`lagesbild serve [--port N]` runs the web server; `lagesbild load-config DIR`, `lagesbild demo`,
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
    """Serve with gunicorn on 127.0.0.1 (static files through WhiteNoise)."""
    import argparse

    parser = argparse.ArgumentParser(prog="lagesbild serve", description="Startar webbservern.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
    opts = parser.parse_args(args)
    print(f"Lägesbild: http://127.0.0.1:{opts.port}/  (avsluta med Ctrl-C)", flush=True)
    os.execvp(
        sys.executable,
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
        ],
    )


if __name__ == "__main__":
    main()
