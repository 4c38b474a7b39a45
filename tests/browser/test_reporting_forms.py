"""Nothing typed is lost, in a real Chromium against the demo (SQLite, or PostgreSQL with
DATABASE_URL): "Skicka in" without "Spara utkast" saves and submits what was typed; a failed
check keeps every typed value on the page; two people saving the same version get one success
and one 409 "Krock" page that shows the loser's own text. (Threads writing at the very same
moment, each with its own connection, are in lagesbild/reporting/tests/test_concurrency.py.)"""

from __future__ import annotations

import pytest

from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def _open_submission(page, demo_site, code: str) -> str:
    """Open the logged-in reporter's submission for measure ``code`` from the round's list
    (no database query from the test: the live server owns the connection)."""
    page.goto(f"{demo_site}/rapportering/2026/")
    with page.expect_navigation():
        page.click(f"main table a:text-is('{code}')")
    return page.url


def _value_inputs(page):
    return page.locator("input[name^='value_']")


def _fill_near_last_year(page) -> list[str]:
    """Type a value beside each input close to last year's (no soft warning)."""
    typed = []
    inputs = _value_inputs(page)
    for i in range(inputs.count()):
        row = inputs.nth(i).locator("xpath=ancestor::tr")
        last = row.locator("td.num").first.inner_text().split("(")[0].strip()
        digits = "".join(ch for ch in last if ch.isdigit())
        value = str(int(digits) + 1) if digits else "1"
        inputs.nth(i).fill(value)
        typed.append(value)
    return typed


def test_submit_without_saving_keeps_and_submits_the_typed_values(page, demo_site):
    login(page, demo_site, "kriminalvarden")
    _open_submission(page, demo_site, "2.10")
    page.select_option("select[name=implementation_status]", "pagaende")
    page.fill("textarea[name=narrative_source]", "Skrivet i webbläsaren och skickat direkt.")
    typed = _fill_near_last_year(page)
    assert typed
    page.click("button[name=action][value=skicka-in]")
    page.wait_for_load_state()
    body = page.content()
    assert "Sparat och inskickat till samordnaren." in body, body[-3000:]
    assert "Inskickad" in page.locator("dl.facts").first.inner_text()
    assert "Skrivet i webbläsaren och skickat direkt." in body
    table = page.locator("table").last.inner_text()
    for value in typed:
        assert value in table


def test_a_failed_check_keeps_every_typed_value_on_the_page(page, demo_site):
    login(page, demo_site, "polisen")
    _open_submission(page, demo_site, "1.6")
    page.select_option("select[name=implementation_status]", "pagaende")
    page.fill("textarea[name=narrative_source]", "Min text som inte får försvinna.")
    inputs = _value_inputs(page)
    assert inputs.count() >= 2
    inputs.nth(0).fill("12,5")  # not a whole number: a count is refused
    page.fill("input[name^='note_']", "En anmärkning")
    page.click("button[name=action][value=skicka-in]")
    page.wait_for_load_state()
    assert page.locator("textarea[name=narrative_source]").input_value() == (
        "Min text som inte får försvinna."
    )
    assert _value_inputs(page).nth(0).input_value() == "12,5"
    assert page.locator("input[name^='note_']").first.input_value() == "En anmärkning"
    assert "ett antal ska vara ett heltal" in page.content()
    assert "Utkast" in page.locator("dl.facts").first.inner_text()


def test_two_saves_of_the_same_version_give_one_success_and_a_409_with_the_losers_text(
    browser, demo_site
):
    contexts = [browser.new_context(locale="sv-SE") for _ in range(2)]
    try:
        first, second = (c.new_page() for c in contexts)
        login(first, demo_site, "region-stockholm")
        url = _open_submission(first, demo_site, "3.3")
        login(second, demo_site, "region-stockholm")
        second.goto(url)  # both read the same version
        first.fill("textarea[name=narrative_source]", "Den första sparningen.")
        second.fill("textarea[name=narrative_source]", "Den andra texten, som krockar.")
        with first.expect_navigation():
            first.click("button[name=action][value=spara]")
        response_info = None
        with second.expect_response(lambda r: r.request.method == "POST") as info:
            second.click("button[name=action][value=spara]")
        response_info = info.value
        second.wait_for_load_state()
        assert "Sparat." in first.content()
        assert response_info.status == 409
        body = second.content()
        assert "Krock – inget sparades" in body
        assert second.locator("#din-text").input_value() == "Den andra texten, som krockar."
        assert second.locator("textarea[name=narrative_source]").input_value() == (
            "Den andra texten, som krockar."
        )
        assert "Den första sparningen." in second.locator(".narrative").first.inner_text()
    finally:
        for c in contexts:
            c.close()


def test_the_coordinators_overview_fits_a_1366_px_screen(browser, demo_site):
    context = browser.new_context(locale="sv-SE", viewport={"width": 1366, "height": 768})
    try:
        page = context.new_page()
        login(page, demo_site, "samordnare")
        page.goto(f"{demo_site}/rapportering/2026/oversikt/")
        assert page.locator("table.overview-list").count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366, width
        page.select_option("select[name=lage]", "att-granska")
        with page.expect_navigation():
            page.click("form.explorer-form button[type=submit]")
        assert "lage=att-granska" in page.url
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    finally:
        context.close()
