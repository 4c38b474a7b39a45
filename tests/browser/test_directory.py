"""The public support search (/stod/) in Chromium: axe-core, and a phone at 390 px."""

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
# The three example searches of README.md and the services each must give.
EXAMPLES = [
    ("/stod/?kommun=0182&alder=15&kon=flicka&typ=heder&roll=utsatt", ["Nacka, socialtjänsten – stöd till våldsutsatta barn och unga", "Origo", "Bris"]),
    ("/stod/?kommun=0181&alder=35&kon=kvinna&typ=vinr&roll=utsatt", ["Södertälje, socialtjänsten – stöd till våldsutsatta vuxna", "Kvinnofridslinjen", "Brottsofferjourens stödlinje"]),
    ("/stod/?kommun=0188&alder=45&kon=man&typ=prostitution&roll=utovare", ["Preventell"]),
]  # fmt: skip
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="sv-SE", viewport=PHONE, has_touch=True)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_support_search_has_no_serious_or_critical_axe_violations(page, demo_site, path):
    response = page.goto(demo_site + path)
    assert response.status == 200, path
    assert serious_violations(page) == []


def _too_small(pg) -> list[str]:
    """Visible controls (and the labels of radio buttons) under 44 × 44 px."""
    return pg.evaluate(
        """() => {
      const out = [];
      const els = document.querySelectorAll(
        'input:not([type=radio]):not([type=hidden]), select, button, summary, .segmented label, a.tel');
      for (const e of els) {
        const r = e.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;  // not shown (a closed <details>)
        if (r.height < 44 || r.width < 44) out.push(`${e.tagName} ${e.name || e.textContent.trim()} ${Math.round(r.width)}x${Math.round(r.height)}`);
      }
      return out; }"""
    )


def test_on_a_phone_the_search_fits_and_every_control_is_44_px(phone, demo_site):
    phone.goto(demo_site + "/stod/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert _too_small(phone) == []
    assert serious_violations(phone) == []
    # header no taller than a quarter of the screen
    assert phone.evaluate("() => document.querySelector('.site-header').offsetHeight") <= 211 // 2


def test_on_a_phone_a_search_shows_the_first_result_on_the_first_screen(phone, demo_site):
    phone.goto(demo_site + "/stod/")
    phone.fill("input[name=kommun]", "Nacka")
    phone.fill("input[name=alder]", "15")
    phone.click("label[for=id_kon_3]")  # flicka
    phone.click("label:has(input[name=roll][value=utsatt])")
    phone.click("label:has(input[name=typ][value=heder])")
    phone.click("form.search-form button[type=submit]")
    assert "kommun=Nacka" in phone.url
    first = phone.locator("article.service").first
    box = first.bounding_box()
    assert box is not None and box["y"] < 844, box
    assert phone.locator("details.search-panel").get_attribute("open") is None
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert _too_small(phone) == []
    # phone numbers are tap-to-call links, 112 included
    tels = phone.eval_on_selector_all(
        "a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))"
    )
    assert "tel:112" in tels and len(tels) >= 3
    headings = phone.locator("article.service h4").all_inner_texts()
    assert any("Origo" in h for h in headings)
    assert phone.locator("text=inte kontrollerats på över 12 månader").count() >= 1


@pytest.mark.parametrize("path,expected", EXAMPLES)
def test_the_readme_example_searches_give_the_expected_services(phone, demo_site, path, expected):
    phone.goto(demo_site + path)
    headings = " | ".join(phone.locator("article.service h4").all_inner_texts())
    for name in expected:
        assert name in headings, (name, headings)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone) == []
