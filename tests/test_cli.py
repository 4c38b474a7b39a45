"""The `lagesbild` command maps onto management commands and serves with gunicorn."""

from __future__ import annotations

import pytest

from lagesbild import cli


def test_subcommands_map_to_management_commands(monkeypatch):
    calls = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", calls.append)
    cli.main(["load-config", "data/stockholm"])
    cli.main(["import", "tidy", "x.csv"])
    cli.main(["demo"])
    assert calls == [
        ["lagesbild", "load_config", "data/stockholm"],
        ["lagesbild", "import_stats", "tidy", "x.csv"],
        ["lagesbild", "demo"],
    ]


def test_serve_runs_gunicorn_on_loopback_with_the_given_port(monkeypatch):
    seen = {}
    monkeypatch.setattr(cli.os, "execvp", lambda prog, argv: seen.update(argv=argv))
    cli.main(["serve", "--port", "8123"])
    argv = seen["argv"]
    assert argv[1:4] == ["-m", "gunicorn", "lagesbild.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"


def test_serve_rejects_a_bad_port(monkeypatch):
    monkeypatch.setattr(cli.os, "execvp", lambda *a: None)
    with pytest.raises(SystemExit):
        cli.main(["serve", "--port", "åtta"])
