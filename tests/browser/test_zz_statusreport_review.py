"""The coordinator reviews one goal of the drafted 2025 report in Chromium: one click accepts
every draft of a section (htmx swaps the list), and the counter changes without a reload."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import login, serious_violations

# transaction=True: a plain django_db test transaction (BEGIN IMMEDIATE on SQLite) would hold
# the write lock for the whole test, and the live server must write (the login, the
# coordinator's decisions). Such a test flushes the database afterwards, so this module is named
# to run after the other browser tests, which read the session's demo data.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _count(page) -> tuple[int, int]:
    text = page.locator("#raknare").inner_text()
    reviewed, total = re.search(r"(\d+) av (\d+)", text).groups()
    return int(reviewed), int(total)


def test_coordinator_accepts_all_drafts_of_a_section_and_sees_the_counter_change(page, demo_site):
    login(page, demo_site, "samordnare")
    page.wait_for_url(lambda url: "logga-in" not in url, timeout=60_000)
    page.goto(demo_site + "/rapport/2025/granska/mal-6/", timeout=120_000)
    assert serious_violations(page) == []
    before, total = _count(page)
    assert total >= 2 and before < total
    page.evaluate("window.__same_page = true")  # gone if the browser loads a new page
    page.locator("form.avsnitt-godkann button").first.click()
    # a locator wait, not wait_for_function: a string predicate is eval'd, which the site's
    # Content Security Policy (no unsafe-eval) refuses
    from playwright.sync_api import expect

    expect(page.locator("#raknare")).not_to_contain_text(f"{before} av", timeout=120_000)
    after, total_after = _count(page)
    assert total_after == total and after > before
    assert page.evaluate("window.__same_page === true")  # htmx swapped, no reload
    # htmx gives a swapped element with a known id its old attributes first and the new ones
    # after its settle delay (20 ms, for CSS transitions): the rows' class "granskad" arrives
    # just after the counter's text, so this waits for it rather than reading it at once.
    expect(page.locator(".granskning-rad.granskad")).to_have_count(after, timeout=10_000)
