"""The per-goal review page: drafts beside their figures, inline decisions, accept a section."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lagesbild.statusreport.models import OverrideAction, ParagraphOverride
from lagesbild.statusreport.tests.test_views import _client

pytestmark = pytest.mark.django_db


def _counter(html: str) -> tuple[int, int]:
    a, b = re.search(r"Granskade: (\d+) av (\d+)", html).groups()
    return int(a), int(b)


def test_goal_page_shows_each_draft_beside_its_table(client, small_report, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("statusreport:review_goal", args=[2025, 1])).content.decode()
    row = html[html.index('id="stycke-ind-s1"') :]
    row = (
        row[: row.index('class="granskning-rad', 10)]
        if 'class="granskning-rad' in row[10:]
        else row
    )
    assert "<table" in row and "ökade från 37 procent 2024 till 39 procent 2025" in row
    reviewed, total = _counter(html)
    assert reviewed == 0 and total >= 2
    assert 'href="#stycke-ind-s1"' in html  # next unreviewed


def test_the_accept_all_button_names_its_section(client, small_report, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("statusreport:review_goal", args=[2025, 1])).content.decode()
    buttons = re.findall(r"Godkänn alla utkast i avsnittet “([^”]*)”", html)
    assert buttons and all(title.strip() for title in buttons)


def test_accepting_one_paragraph_inline_returns_the_list_with_the_new_count(
    client, small_report, coordinator
):
    client.force_login(coordinator)
    url = reverse("statusreport:review_item", args=[2025, 1])
    r = client.post(url, {"nyckel": "ind:S1", "action": "accept"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = r.content.decode()
    assert "<html" not in html  # a fragment, not the page
    assert _counter(html)[0] == 1
    o = ParagraphOverride.objects.get(year=2025, key="ind:S1")
    assert o.action == OverrideAction.ACCEPTED and o.text == o.draft
    r = client.post(url, {"nyckel": "ind:S1", "action": "save", "text": "Egen text."})
    assert r.status_code == 302
    o.refresh_from_db()
    assert (o.action, o.text) == (OverrideAction.EDITED, "Egen text.")


def test_accept_all_drafts_of_a_section_at_once(client, small_report, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("statusreport:review_goal", args=[2025, 1])).content.decode()
    sections = re.findall(r'name="avsnitt" value="([^"]+)"', page)
    summary = next(s for s in sections if "sammanfattning" in s)
    r = client.post(
        reverse("statusreport:review_accept_section", args=[2025, 1]),
        {"avsnitt": summary},
        HTTP_HX_REQUEST="true",
    )
    assert _counter(r.content.decode())[0] == ParagraphOverride.objects.count() >= 1
    assert ParagraphOverride.objects.filter(key="sammanfattning:1").exists()


@pytest.mark.parametrize("role", ["anonymous", "reporter_polisen", "admin"])
def test_nobody_but_the_coordinator_can_review(request, client, small_report, role):
    c = _client(request, client, role)
    c.post(
        reverse("statusreport:review_item", args=[2025, 1]),
        {"nyckel": "ind:S1", "action": "accept"},
    )
    c.post(
        reverse("statusreport:review_accept_section", args=[2025, 1]), {"avsnitt": "avsnitt-mal-1"}
    )
    assert not ParagraphOverride.objects.exists()


def test_unknown_goal_and_key(client, small_report, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("statusreport:review_goal", args=[2025, 99])).status_code == 404
    r = client.post(
        reverse("statusreport:review_item", args=[2025, 1]),
        {"nyckel": "ind:NIX", "action": "accept"},
    )
    assert r.status_code == 404


def test_the_drafts_are_built_once_and_again_only_when_the_figures_change(
    client, small_report, coordinator, build, record_calls
):
    """Opening goals and accepting paragraphs reads the drafted report from the cache (a
    decision is laid over the drafts, it does not change them); a changed figure builds the
    drafts again, with the new figure in them."""
    from lagesbild.indicators.models import Indicator
    from lagesbild.statusreport import review

    builds = record_calls(review, "report_build")
    client.force_login(coordinator)
    client.get(reverse("statusreport:review_goal", args=[2025, 1]))
    client.get(reverse("statusreport:review_goal", args=[2025, 2]))
    url = reverse("statusreport:review_item", args=[2025, 1])
    r = client.post(url, {"nyckel": "ind:S1", "action": "accept"}, HTTP_HX_REQUEST="true")
    assert _counter(r.content.decode())[0] == 1
    assert len(builds) == 1
    build.observation(Indicator.objects.get(code="S1"), "2025", 44)
    html = client.get(reverse("statusreport:review_goal", args=[2025, 1])).content.decode()
    assert len(builds) == 2
    # the figures beside the paragraph are the new ones, and the accepted paragraph is up for
    # review again: its draft changed
    row = html[html.index('id="stycke-ind-s1"') :]
    assert re.search(r">\s*44\s*<", row[: row.index("</table>")])
    assert _counter(html)[0] == 0


def test_the_review_page_looks_words_up_without_asking_for_suggestions(
    client, small_report, coordinator, monkeypatch
):
    """hunspell's suggestions took up to 20 s a word (140 s over the demo's eight goals): the
    page only looks words up; an unknown word is still flagged, without suggestions."""
    from spylls.hunspell import Dictionary

    from lagesbild.statusreport import spelling

    def refuse(self, word):
        raise AssertionError(f"suggestions asked for {word!r} in a request")

    monkeypatch.setattr(Dictionary, "suggest", refuse)
    spelling._check_word.cache_clear()
    client.force_login(coordinator)
    response = client.get(reverse("statusreport:review_goal", args=[2025, 1]))
    assert response.status_code == 200
    found = spelling.check_text("Mikamottagningen tar emot.", suggest=False)
    assert [(f.word, f.kind, f.suggestions) for f in found] == [("Mikamottagningen", "okänt", ())]
    assert found[0].message == "”Mikamottagningen” finns inte i ordlistan."
    spelling._check_word.cache_clear()
