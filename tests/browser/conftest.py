"""Real-browser checks: axe-core (WCAG 2.1 AA rules) and keyboard focus in Debian's Chromium.

Playwright drives the system Chromium (/usr/bin/chromium, from Debian's `chromium` package); no
browser is downloaded. axe-core comes bundled in the `axe-playwright-python` package.

These tests run in their own pytest process (`make test` runs `-m browser` separately) because
they load the Stockholm demo once for the whole session into the test database and serve it with
pytest-django's live server.

Without Chromium the tests are skipped, except in CI (CI=true), where that is an error.
"""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread; Django's ORM calls made
# by fixtures in that thread are still synchronous, so allow them (the usual Playwright+Django setup).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = (
    os.environ.get("LAGESBILD_CHROMIUM")
    or shutil.which("chromium")
    or shutil.which("chromium-browser")
)
DEMO_PASSWORD = "demo-lösenord-för-webbläsartest"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            "Chromium saknas: webbläsartesterna måste köras i CI (apt-get install chromium)."
        )
    skip = pytest.mark.skip(reason="Chromium saknas (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker):
    """A live server with the full Stockholm demo, loaded once for the whole session.

    pytest-django's own live_server flushes the database after every test, so this starts
    Django's LiveServerThread itself (sharing an in-memory SQLite connection as LiveServerTestCase
    does) and keeps the database unblocked for the session.
    """
    from django.core.management import call_command
    from django.db import connections
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    os.environ["LAGESBILD_DEMO_PASSWORD"] = DEMO_PASSWORD
    with django_db_blocker.unblock():
        # The shared in-memory test database takes no IMMEDIATE transactions: with them, every
        # write the live server makes while a test's transaction is open fails with "database
        # table is locked" (logins among them). Production's file database keeps IMMEDIATE
        # (settings.py); real concurrent writers on a file database are tested in
        # lagesbild/reporting/tests/test_concurrency.py.
        for alias in connections:
            if connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db():
                connections[alias].settings_dict["OPTIONS"].pop("transaction_mode", None)
                connections[alias].transaction_mode = None
        call_command("demo", verbosity=0)
        shared = {
            alias: connections[alias]
            for alias in connections
            if connections[alias].vendor == "sqlite" and connections[alias].is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        thread = LiveServerThread(
            "localhost", _StaticFilesHandler, connections_override=shared, port=0
        )
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield f"http://localhost:{thread.port}"
        finally:
            thread.terminate()
            # A connection opened outside the main thread (by the server or Playwright's event
            # loop) can outlive its thread; PostgreSQL then refuses to drop the test database
            # ("being accessed by other users"). End such sessions before pytest-django drops it.
            if connections["default"].vendor == "postgresql":
                with connections["default"].cursor() as cursor:
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
            for conn in shared.values():
                conn.dec_thread_sharing()
            connections.close_all()


@pytest.fixture(scope="session")
def browser(demo_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    pg = context.new_page()
    yield pg
    context.close()


def serious_violations(page) -> list[str]:
    """axe-core violations of impact serious or critical, as readable lines."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    lines = []
    for v in results.response["violations"]:
        if v.get("impact") in {"serious", "critical"}:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:5])
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} – {targets}")
    return lines


def login(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    # wait for the answer to the login: a test that navigates at once would cancel the POST
    page.wait_for_url(lambda url: "logga-in" not in url, timeout=60_000)
