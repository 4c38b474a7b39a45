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


class _FakeProcess:
    started: list = []

    def __init__(self, argv):
        self.argv = argv
        self.terminated = False
        _FakeProcess.started.append(self)

    def wait(self, timeout=None):
        return 0

    def poll(self):
        return 0 if self.terminated else None

    def terminate(self):
        self.terminated = True

    def kill(self):
        self.terminated = True


@pytest.fixture
def processes(monkeypatch):
    import subprocess

    _FakeProcess.started = []
    monkeypatch.setattr(subprocess, "Popen", _FakeProcess)
    monkeypatch.delenv("LAGESBILD_TASKS_BACKEND", raising=False)
    return _FakeProcess.started


def test_serve_runs_gunicorn_on_loopback_and_the_task_worker_beside_it(processes):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["serve", "--port", "8123"])
    assert exit_.value.code == 0
    worker, server = processes
    assert server.argv[1:4] == ["-m", "gunicorn", "lagesbild.wsgi:application"]
    assert server.argv[server.argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert worker.argv[1:4] == ["-m", "lagesbild.cli", "db_worker"]
    assert worker.terminated  # the worker ends with the server


def test_serve_without_the_worker_on_redis_or_when_asked(processes, monkeypatch):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--port", "8123", "--no-task-worker"])
    monkeypatch.setenv("LAGESBILD_TASKS_BACKEND", "rq")
    with pytest.raises(SystemExit):
        cli.main(["serve", "--port", "8123"])
    assert [p.argv[2] for p in processes] == ["gunicorn", "gunicorn"]


def test_serve_rejects_a_bad_port(processes):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--port", "åtta"])
    assert processes == []
