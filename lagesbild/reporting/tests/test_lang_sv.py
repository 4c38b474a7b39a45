"""Text stored only in Swedish is marked lang="sv" on English pages (WCAG 3.1.2): the agencies'
follow-up narratives and the measure's own Swedish texts on the measure page."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from lagesbild.reporting.tests.test_workflow import _approve, fill

pytestmark = pytest.mark.django_db

VOID = {"br", "img", "input", "meta", "link", "hr", "use", "source", "wbr", "col", "area"}


class _Lang(HTMLParser):
    def __init__(self, needle: str):
        super().__init__()
        self.needle, self.stack, self.found = needle, [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.needle in data:
            self.found.append(next((lang for lang in reversed(self.stack) if lang), None))


def language_of(html: str, needle: str) -> list[str | None]:
    """The language of each place ``needle`` stands in: the nearest lang attribute around it
    (<html lang> included)."""
    parser = _Lang(needle)
    parser.feed(html)
    return parser.found


def test_agency_narrative_and_swedish_measure_texts_are_marked_swedish_under_en(
    world, reporter_kriminalvarden, coordinator
):
    fill(world, reporter_kriminalvarden)
    _approve(world, reporter_kriminalvarden, coordinator)
    measure = world.sub.measure
    assert not measure.text_en  # only Swedish
    plan = f"?plan={measure.plan.key}"
    en = Client().get(f"/en/atgard/{measure.code}/{plan}").content.decode()
    sv = Client().get(f"/atgard/{measure.code}/{plan}").content.decode()
    assert language_of(en, "Programmen fortsätter.") == ["sv"]
    assert language_of(en, measure.text[:30]) == ["sv"]
    assert f'<dd lang="sv">{measure.responsible_text}</dd>' in en  # the plan's wording
    assert set(language_of(en, "Follow-up")) == {"en"}  # the page's own words stay English
    # the follow-up table names a breakdown by its label, never by its stored key
    from lagesbild.web.tests.test_public_crawl import INTERNAL, visible_text

    assert INTERNAL.findall(visible_text(sv)) == []
    assert INTERNAL.findall(visible_text(en)) == []
    # on the Swedish page the page's language is enough
    assert language_of(sv, "Programmen fortsätter.") == ["sv"]
    main = sv[sv.index("<main") : sv.index("</main>")]
    assert 'lang="sv"' not in main


def test_an_english_measure_text_is_not_marked_swedish(world, reporter_kriminalvarden, coordinator):
    measure = world.sub.measure
    measure.text_en = "Programmes for perpetrators of violence"
    measure.save()
    en = Client().get(f"/en/atgard/{measure.code}/?plan={measure.plan.key}").content.decode()
    assert language_of(en, "Programmes for perpetrators of violence") == ["en"]


def test_the_submission_page_marks_the_agencys_swedish_texts_under_en(
    world, reporter_kriminalvarden, coordinator
):
    """The staff's own page for one submission: in English, the measure's Swedish text and the
    agency's narrative are marked Swedish, the page's own words are not."""
    fill(world, reporter_kriminalvarden)
    sub = world.sub
    client = Client()
    client.force_login(coordinator)
    url = reverse("reporting-submission", args=[sub.round.year, sub.pk])
    en = client.get(f"/en{url}").content.decode()
    assert language_of(en, sub.measure.text[:30]) == ["sv"]
    assert set(language_of(en, "Programmen fortsätter.")) == {"sv"}
    assert set(language_of(en, "Deadline")) == {"en"}  # the page's own words stay English
