"""Published results: observations with the round as provenance, suppression, free text private."""

from decimal import Decimal as D

import pytest

from lagesbild.indicators import selectors as ind_selectors
from lagesbild.indicators.models import ImportKind, Observation
from lagesbild.surveys import scoring, selectors, services
from lagesbild.surveys.models import SurveyRound

from .conftest import FULL, LOW


@pytest.fixture
def answered(catalogue, open_round, coordinator):
    """0114 and 0117 full marks, 0115 lowest, 0120 no answer; closed."""
    by_key = {r.organisation.key: r for r in open_round.respondents.select_related("organisation")}
    services.response_save(
        respondent=by_key["kommun-0114"],
        answers=FULL | {"kommentar": "Hemligt: vår samordnare slutar i vår."},
        submit=True,
    )
    services.response_save(respondent=by_key["kommun-0117"], answers=FULL, submit=True)
    services.response_save(respondent=by_key["kommun-0115"], answers=LOW, submit=True)
    services.round_close(round=open_round, user=coordinator)
    return open_round


def test_publish_writes_observations_with_the_round_as_provenance(answered, coordinator):
    index = answered.survey.indices.get()
    out = services.round_publish(round=answered, index=index, user=coordinator)
    run = out.import_run
    assert run.kind == ImportKind.SURVEY and run.origin == answered
    assert run.summary["missing_rule"] == "reweight" and run.summary["respondents"] == 3
    e11 = Observation.objects.filter(indicator__code="E1.1", period="2025", import_run=run)
    values = {o.area.code: o.value for o in e11 if not o.breakdown}
    # full marks = 100, lowest = 0, 0120 did not answer
    assert values == {"0114": D(100), "0117": D(100), "0115": D(0), "0120": None}
    missing = e11.get(area__code="0120")
    assert missing.missing_reason == "Kommunen har inte skickat in något svar."
    county = {o.breakdown["summary"]: o for o in e11 if o.breakdown}
    assert county["median"].area.code == "01"
    assert county["median"].value == D(100)  # median of 0, 100, 100
    assert county["medelvarde"].value.quantize(D("0.01")) == D("66.67")
    assert county["median"].respondents == 3 and all(o.published for o in e11)
    # each category and the E8.1 indicator too
    for code in ("E1.2", "E1.3", "E7.1", "E8.1"):
        assert Observation.objects.filter(indicator__code=code, area__code="0114").exists()
    # national reference values from 004 with their own provenance
    ref = Observation.objects.get(indicator__code="E1.1", area__code="00", period="2023")
    assert ref.value == D(47) and ref.source_ref == "004 Figur 3"
    assert ref.import_run.kind == ImportKind.IMPORT
    assert Observation.objects.get(indicator__code="E7.1", area__code="00").value == D(40)
    # the indicator page's table (what the report reads) has the county median
    table = ind_selectors.indicator_table(indicator=e11.first().indicator)
    labels = {(s.label, s.area_name) for s in table.series}
    assert ("Median bland kommunerna", "Stockholms län") in labels
    # publishing again changes nothing
    again = services.round_publish(round=answered, index=index, user=coordinator)
    assert again.created == 0 and again.updated == 0


def test_revision_after_publishing_revises_the_figures(answered, coordinator):
    index = answered.survey.indices.get()
    services.round_publish(round=answered, index=index, user=coordinator)
    response = answered.respondents.get(organisation__key="kommun-0115").response
    services.response_revise(
        response=response,
        question="styrdokument",
        value="ja",
        reason="Felregistrerat svar",
        user=coordinator,
    )
    obs = Observation.objects.get(indicator__code="E1.2", area__code="0115", breakdown={})
    assert obs.value > 0 and obs.revised
    assert "Felregistrerat svar" in obs.history.first().history_change_reason


def test_open_round_cannot_be_published(open_round):
    with pytest.raises(services.SurveyError, match="Stäng"):
        services.round_publish(round=open_round, index=open_round.survey.indices.get())


def test_small_groups_are_suppressed(answered, client, coordinator):
    services.round_publish(round=answered, index=answered.survey.indices.get(), user=coordinator)
    page = client.get(f"/enkat/resultat/{answered.pk}/").content.decode()
    # group "Liten" has one municipality with a value, "Stor" two: both suppressed
    liten = page.split('<th scope="row">Liten</th>')[1].split("</tr>")[0]
    assert "Redovisas inte: färre än 3 svarande" in liten
    stor = page.split('<th scope="row">Stor</th>')[1].split("</tr>")[0]
    assert "Redovisas inte" in stor
    # the county (3 with values) is shown
    total = page.split('<th scope="row">Preventionsindex</th>')[1].split("</tr>")[0]
    assert "Redovisas inte" not in total and ">100<" in total


def test_county_median_suppressed_below_three(catalogue, open_round, coordinator):
    respondent = open_round.respondents.get(organisation__key="kommun-0114")
    services.response_save(respondent=respondent, answers=FULL, submit=True)
    services.round_close(round=open_round, user=coordinator)
    services.round_publish(round=open_round, index=open_round.survey.indices.get())
    median = Observation.objects.get(
        indicator__code="E1.1", area__code="01", breakdown={"summary": "median"}
    )
    assert median.value is None and median.too_few_cases and median.respondents == 1
    assert "Färre än 3" in median.missing_reason


def test_question_summaries_suppress_below_three(answered):
    summaries = {s.key: s for s in selectors.question_summaries(round=answered)}
    assert summaries["styrdokument"].answered == 3 and not summaries["styrdokument"].suppressed
    shares = {o.key: o.share for o in summaries["styrdokument"].options}
    assert shares["ja"].quantize(D("0.1")) == D("66.7")
    # mal-uppfoljning is asked only of the two with goals: fewer than 3 → suppressed
    assert summaries["mal-uppfoljning"].answered == 2 and summaries["mal-uppfoljning"].suppressed
    assert all(o.count == 0 and o.share is None for o in summaries["mal-uppfoljning"].options)
    assert "kommentar" not in summaries  # free text is never summarised


def test_free_text_only_for_the_coordinator(answered, client, coordinator):
    services.round_publish(round=answered, index=answered.survey.indices.get(), user=coordinator)
    secret = "vår samordnare slutar"
    for path in (
        f"/enkat/resultat/{answered.pk}/",
        f"/enkat/resultat/{answered.pk}/kommun/0114/",
        f"/enkat/resultat/{answered.pk}/kanslighet/",
        "/indikator/E1.1/",
        "/enkat/",
    ):
        assert secret not in client.get(path).content.decode(), path
    client.force_login(coordinator)
    assert secret in client.get(f"/enkat/hantera/omgang/{answered.pk}/").content.decode()


def test_drilldown_and_sensitivity_pages(answered, client, coordinator):
    services.round_publish(round=answered, index=answered.survey.indices.get(), user=coordinator)
    page = client.get(f"/enkat/resultat/{answered.pk}/kommun/0115/").content.decode()
    assert "Vallentuna" in page and "Organisation och styrning" in page
    assert "Politiskt antagna styrdokument" in page  # indicator
    assert "Har kommunen politiskt antagna styrdokument" in page  # question and answer
    assert "Frågan ställdes inte" in page  # the follow-up to a "nej"
    assert "Omviktning" in page
    assert client.get(f"/enkat/resultat/{answered.pk}/kommun/9999/").status_code == 404
    page = client.get(f"/enkat/resultat/{answered.pk}/kanslighet/").content.decode()
    for name in ("Utesluta", "Noll poäng", "Omviktning"):
        assert name in page


def test_results_page_documents_every_rule_and_has_chart_with_text(answered, client, coordinator):
    services.round_publish(round=answered, index=answered.survey.indices.get(), user=coordinator)
    page = client.get(f"/enkat/resultat/{answered.pk}/").content.decode()
    for key in scoring.RULES:
        from lagesbild.surveys.views import RULE_TEXT

        assert str(RULE_TEXT[key]) in page
    assert "<svg" in page and "Diagrammet i text:" in page and "<title" in page
    assert "Jämförelse med riket" in page and "004 Figur 3" in page


def test_synthetic_rounds_are_labelled(answered, client, coordinator):
    SurveyRound.objects.filter(pk=answered.pk).update(synthetic=True)
    answered.refresh_from_db()
    services.round_publish(round=answered, index=answered.survey.indices.get())
    obs = Observation.objects.filter(indicator__code="E1.1", area__code="0114", period="2025")
    assert [o.breakdown for o in obs] == [{"data": "syntetiska"}]
    assert obs.get().note.startswith("Syntetiska testdata")
    for path in (
        f"/enkat/resultat/{answered.pk}/",
        f"/enkat/resultat/{answered.pk}/kommun/0114/",
        f"/enkat/resultat/{answered.pk}/kanslighet/",
        "/indikator/E1.1/",
        "/enkat/",
    ):
        assert "yntetiska testdata" in client.get(path).content.decode(), path


def test_individual_results_of_persons_are_never_listed(catalogue, survey, client, coordinator):
    rnd = services.round_open(
        survey=survey,
        title="Personer",
        period="2025",
        invitees=[services.Invitee(email=f"p{i}@example.se") for i in range(3)],
        send=False,
    )
    for r in rnd.respondents.all():
        services.response_save(respondent=r, answers=FULL, submit=True)
    services.round_close(round=rnd, user=coordinator)
    services.round_publish(round=rnd, index=survey.indices.get(), user=coordinator)
    for path in (f"/enkat/resultat/{rnd.pk}/", f"/enkat/resultat/{rnd.pk}/kanslighet/"):
        page = client.get(path).content.decode()
        assert "Svarande " not in page and "@example.se" not in page, path
    # the aggregate (3 respondents) is shown
    page = client.get(f"/enkat/resultat/{rnd.pk}/").content.decode()
    total = page.split('<th scope="row">Preventionsindex</th>')[1].split("</tr>")[0]
    assert ">3<" in total and ">100<" in total
