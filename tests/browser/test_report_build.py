"""The coordinator's draft build in a real Chromium: "bygger…" (htmx polling) → the download.

The build goes through the real database queue (django-tasks-db): the page queues it, the
test runs the worker (``db_worker --batch``), and the page, polling by itself, shows the links.
"""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _run_worker_in_a_thread() -> None:
    """PostgreSQL: the worker needs its own (committing) connection for the server to see its
    progress; the test's own connection is inside the test's transaction."""

    from unittest import mock

    from django_tasks_db.management.commands.db_worker import Worker

    def run():
        try:  # signal handlers can only be set in the main thread
            with mock.patch.object(Worker, "configure_signals", lambda self: None):
                _run_worker()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason=(
        "Inloggning i webbläsartesterna misslyckas på SQLite ('database table is locked', "
        "BEGIN IMMEDIATE mot den delade minnesdatabasen; gäller även test_accessibility sedan "
        "1eb9eb3). Testet körs på PostgreSQL."
    ),
)
def test_a_draft_build_goes_from_building_to_the_download(page, demo_site, settings, tmp_path):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "reports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "rapporter"},
        },
    }
    login(page, demo_site, "samordnare")
    response = page.goto(demo_site + "/rapport/2025/utkast/")
    assert response.status == 200 and "/konto/logga-in/" not in page.url
    page.click("text=Bygg ett nytt utkast")
    status = page.locator("#bygge")
    status.wait_for()
    assert "bygger… 0/4" in status.inner_text()
    assert status.get_attribute("hx-trigger") == "every 1s"

    if connection.vendor == "sqlite":  # the live server shares the test's connection
        _run_worker()
    else:
        _run_worker_in_a_thread()

    # htmx polls the status and swaps in the finished build's links, without a reload
    pdf_link = page.locator("#bygge a", has_text="Utkast som PDF")
    pdf_link.wait_for(timeout=30_000)
    assert "Utkastet är klart" in page.locator("#bygge").inner_text()
    with page.expect_download() as info:
        pdf_link.click()
    download = info.value
    assert download.suggested_filename == "lagesrapport-2025.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
