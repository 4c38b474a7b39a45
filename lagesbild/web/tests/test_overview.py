"""The goal overview: latest value, change and direction (symbol AND word), measure states."""

from __future__ import annotations

import re

import pytest

from lagesbild.reporting.models import Submission

pytestmark = pytest.mark.django_db


def _row(html: str, name: str) -> str:
    """The table row (<tr>…</tr>) that names `name`."""
    for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S):
        if name in row:
            return row
    raise AssertionError(f"ingen rad för {name}")


def _report(rnd, measure, organisation, state, status):
    return Submission.objects.create(
        round=rnd,
        measure=measure,
        organisation=organisation,
        state=state,
        implementation_status=status,
    )


def test_goal_page_gives_latest_value_change_and_direction_as_symbol_and_word(client, build):
    build.indicator(
        "UP", name="Andel som får stöd", direction="up", values={"2023": 31, "2024": 36}
    )
    build.indicator(
        "DOWN", name="Andel som utsätts", direction="down", values={"2023": 20, "2024": 24}
    )
    build.indicator("FLAT", name="Andel oförändrad", direction="up", values={"2023": 5, "2024": 5})
    build.indicator("ONE", name="Andel med ett år", direction="up", values={"2024": 7})
    html = client.get("/mal/1/").content.decode()

    good = _row(html, "Andel som får stöd")
    assert "36 procent" in good and "5 procentenheter upp sedan 2023" in good
    assert '<span class="sym" aria-hidden="true">✓</span> i önskad riktning' in good

    bad = _row(html, "Andel som utsätts")
    assert "24 procent" in bad and "4 procentenheter upp sedan 2023" in bad
    assert '<span class="sym" aria-hidden="true">✗</span> i motsatt riktning' in bad

    assert "oförändrat" in _row(html, "Andel oförändrad")
    assert "för få värden för en jämförelse" in _row(html, "Andel med ett år")
    # the summary counts each assessment with its word
    assert "1 i önskad riktning" in html and "1 i motsatt riktning" in html


def test_assessment_is_never_told_by_colour_alone(client, build):
    build.indicator("UP", direction="up", values={"2023": 31, "2024": 36})
    html = client.get("/mal/1/").content.decode()
    for cell in re.findall(r'<td class="assess assess-\w+">(.*?)</td>', html, flags=re.S):
        words = re.sub(r"<[^>]+>", "", re.sub(r'<span class="sym".*?</span>', "", cell)).strip()
        assert words, f"bedömningen saknar ord: {cell}"


def test_measure_state_comes_from_approved_reports_of_the_latest_round_only(
    client, build, plan_round
):
    m, rnd = plan_round["measure"], plan_round["round"]
    _report(rnd, m, plan_round["polisen"], "godkand", "pagaende")
    # a draft says "genomförd" but is not approved: it must not show
    _report(rnd, m, plan_round["kriminalvarden"], "utkast", "genomford")
    # an approved report of an earlier round does not count either
    _report(plan_round["old_round"], m, plan_round["kriminalvarden"], "godkand", "ej_paborjad")
    html = client.get("/mal/1/").content.decode()
    assert "Polismyndigheten: Pågående" in html
    assert "Genomförd" not in html and "Ej påbörjad" not in html
    assert "rapporter för 2025 som samordnaren har godkänt" in html

    home = client.get("/").content.decode()
    assert "Åtgärdernas läge enligt godkänd rapportering 2025" in home
    assert "Pågående: 1 rapport" in home
    assert "Genomförd" not in home


def test_measure_without_approved_report_says_so(client, build, plan_round):
    html = client.get("/mal/1/").content.decode()
    assert "ingen godkänd rapport" in html


def test_english_pages_use_english_content_with_swedish_fallback(client, build):
    goal = build.goal(1)
    goal.short_name_en = "Preventing violence"
    goal.save()
    build.goal(2, short_name="Förebygga återfall")  # no English given
    build.indicator("T1", name="Andel kvinnor", name_en="Share of women", values={"2024": 3})
    build.indicator("T2", goal=2, name="Andel män", values={"2024": 4})

    home = client.get("/en/").content.decode()
    assert '<html lang="en">' in home
    assert "Goal 1: Preventing violence" in home
    assert "Goal 2: Förebygga återfall" in home  # fallback to Swedish
    assert "Share of women" in client.get("/en/mal/1/").content.decode()
    assert "Andel män" in client.get("/en/mal/2/").content.decode()
    swedish = client.get("/").content.decode()
    assert "Mål 1: Förebygga våld" in swedish and "Preventing violence" not in swedish


def test_language_links_lead_to_the_same_page_in_the_other_language(client, build):
    build.indicator("T1", values={"2024": 3})
    sv = client.get("/indikator/T1/?x=1").content.decode()
    assert 'href="/en/indikator/T1/?x=1" hreflang="en"' in sv
    en = client.get("/en/indikator/T1/").content.decode()
    assert 'href="/indikator/T1/" hreflang="sv"' in en
    assert "Skip to content" in en and "Latest value" in en


def test_stockholm_goals_and_violence_types_have_english_names(client, stockholm):
    from lagesbild.strategy.models import Goal, ViolenceType

    assert all(g.short_name_en and g.formulation_en for g in Goal.objects.all())
    assert Goal.objects.count() == 8
    assert all(v.name_en for v in ViolenceType.objects.all())
    html = client.get("/en/mal/4/").content.decode()
    assert "Goal 4: Protection and support" in html
    assert "Violence in close relationships" in html


def test_stockholm_indicators_and_measures_have_english_names(client, stockholm):
    from lagesbild.indicators.models import Indicator
    from lagesbild.strategy.models import Measure

    assert not [i.code for i in Indicator.objects.all() if not i.name_en]
    assert not [m.code for m in Measure.objects.all() if not m.text_en]
    html = client.get("/en/indikator/S6.1/").content.decode()
    name_en = Indicator.objects.get(code="S6.1").name_en
    assert name_en and name_en.split()[0] in html
    assert Indicator.objects.get(code="S6.1").name not in html


def test_a_new_round_of_drafts_does_not_hide_last_years_approved_reports(client, build, plan_round):
    import datetime as dt

    from lagesbild.reporting.models import ReportingRound

    m, rnd = plan_round["measure"], plan_round["round"]
    _report(rnd, m, plan_round["polisen"], "godkand", "pagaende")
    new = ReportingRound.objects.create(
        year=2026,
        plan=plan_round["plan"],
        opens_on=dt.date(2026, 9, 1),
        closes_on=dt.date(2026, 10, 1),
    )
    _report(new, m, plan_round["polisen"], "utkast", "genomford")
    html = client.get("/mal/1/").content.decode()
    assert "Polismyndigheten: Pågående" in html
    assert "rapporter för 2025 som samordnaren har godkänt" in html
    assert "Genomförd" not in html


def test_another_organisations_plan_does_not_replace_the_strategys_plan(client, build, plan_round):
    region = build.organisation("region", "Region Stockholm", "region")
    own = build.plan(
        "region-plan", title="Regionens plan 2025–2028", owner=region, period=(2025, 2028)
    )
    build.measure(
        own,
        "R1",
        sort_key=1,
        text="Regionens egen åtgärd",
        responsible_text="Region Stockholm",
        follow_up="",
    )
    codes = [m["code"] for m in client.get("/api/v1/measures").json()]
    assert codes == ["1.1"]
    html = client.get("/mal/1/").content.decode()
    assert "Utbilda personal om våld" in html and "Regionens egen åtgärd" not in html
