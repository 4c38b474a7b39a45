"""A PostgreSQL restart (every backend terminated) costs no request: each gunicorn worker's kept
connection is health-checked and replaced before use (CONN_HEALTH_CHECKS, docs/performance.md).

Runs a real gunicorn (2 workers, one thread each, so each worker holds exactly one connection)
against the test database on a free loopback port; skipped on SQLite.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
APP_NAME = "lagesbild-stale-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def _app_backends() -> list[int]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = %s",
            [APP_NAME, connection.settings_dict["NAME"]],
        )
        return [row[0] for row in cur.fetchall()]


def _wait_for(predicate, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.django_db(transaction=True)
def test_every_worker_answers_200_after_the_database_backends_are_terminated(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Gäller PostgreSQL: kör med DATABASE_URL=postgres://…")
    s = connection.settings_dict
    url = (
        f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        f"?application_name={APP_NAME}"
    )
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "LAGESBILD_VAR_DIR": str(tmp_path),
        "LAGESBILD_DB_CONN_MAX_AGE": "600",
        "LAGESBILD_WEB_ACCESS_LOG": "",
        "SECRET_KEY": "test-only-" + "x" * 50,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lagesbild.wsgi:application",
            "--config",
            "python:lagesbild.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--threads",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(lambda: _probe(port), 60), "gunicorn startade inte"
        # Requests until every worker holds its kept connection (one per worker).
        assert _wait_for(
            lambda: _get(port, "/healthz") == 200 and len(_app_backends()) >= WORKERS, 30
        )
        before = set(_app_backends())
        assert len(before) == WORKERS

        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [APP_NAME],
            )
        assert _wait_for(lambda: not set(_app_backends()) & before, 10)

        # The next requests, on every worker: all answer 200, and each worker has opened a new
        # connection in place of the terminated one.
        statuses = []
        for _ in range(40):
            statuses.append(_get(port, "/healthz"))
            if len(set(_app_backends()) - before) >= WORKERS:
                break
        assert set(statuses) == {200}
        assert len(set(_app_backends()) - before) == WORKERS
        assert _get(port, "/") in {200, 404}  # a page that queries many tables still answers
    finally:
        server.terminate()
        server.wait(timeout=30)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [APP_NAME],
            )


def _probe(port: int) -> bool:
    try:
        return _get(port, "/healthz/live") == 200
    except OSError:
        return False
