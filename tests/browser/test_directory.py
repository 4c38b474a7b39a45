"""axe-core over the public support search (/stod/), empty and with results, in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PAGES = [
    "/stod/",
    "/stod/?kommun=0182&alder=15&kon=flicka&typ=heder&roll=utsatt",
    "/stod/?kommun=9999&alder=x",
    "/stod/verksamhet/kvinnofridslinjen/",
]


@pytest.mark.parametrize("path", PAGES)
def test_support_search_has_no_serious_or_critical_axe_violations(page, demo_site, path):
    response = page.goto(demo_site + path)
    assert response.status == 200, path
    assert serious_violations(page) == []


def test_search_with_results_lists_origo_for_a_girl_in_nacka(page, demo_site):
    page.goto(demo_site + "/stod/")
    page.select_option("select[name=kommun]", "0182")
    page.fill("input[name=alder]", "15")
    page.select_option("select[name=kon]", "flicka")
    page.select_option("select[name=typ]", "heder")
    page.select_option("select[name=roll]", "utsatt")
    page.click("form.search-form button[type=submit]")
    assert "kommun=0182" in page.url
    headings = page.locator("h4").all_inner_texts()
    assert any("Origo" in h for h in headings)
    assert page.locator("text=Senast kontrollerad").count() >= 1
