"""Nothing typed is lost on "Skicka in"; approving and closing show their consequences and need
a confirmation; figures approved in an open round are preliminary on the public pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lagesbild.indicators.models import Observation
from lagesbild.reporting import services
from lagesbild.reporting.tests.conftest import logged_in
from lagesbild.reporting.tests.test_workflow import fill


def _form(sub, **extra):
    """What the page's form posts: every field, as a person typed it."""
    rows = {v.indicator.code: v for v in sub.values.select_related("indicator")}
    data = {
        "version": sub.version,
        "implementation_status": "pagaende",
        "narrative_source": "Programmen fortsatte hela året.",
        f"value_{rows['M2.10-antal'].pk}": "12",
        f"value_{rows['M2.10-andel'].pk}": "6,9",
        f"reason_{rows['M2.10-skede'].pk}": "Finns inte uppdelat",
        "action": "skicka-in",
    }
    data.update(extra)
    return data, rows


# ---------------------------------------------------------------- Skicka in saves first


def test_submit_without_saving_first_saves_and_submits_what_was_typed(
    world, reporter_kriminalvarden
):
    client = logged_in(reporter_kriminalvarden)
    sub = world.sub
    page = client.get(f"/rapportering/2026/{sub.pk}/").content.decode()
    assert 'name="action" value="skicka-in"' in page  # the form's own button
    assert "overgang/skicka-in/" not in page  # no separate form that would drop the typing
    data, rows = _form(sub)
    r = client.post(f"/rapportering/2026/{sub.pk}/", data)
    assert r.status_code == 302
    sub.refresh_from_db()
    assert sub.state == "inskickad"
    assert sub.narrative_source == "Programmen fortsatte hela året."
    assert sub.values.get(pk=rows["M2.10-antal"].pk).value == Decimal("12")
    assert sub.values.get(pk=rows["M2.10-andel"].pk).value == Decimal("6.9")


def test_failed_checks_keep_every_typed_value_and_save_them_as_a_draft(
    world, reporter_kriminalvarden
):
    client = logged_in(reporter_kriminalvarden)
    sub = world.sub
    data, rows = _form(sub, narrative_source="Ett utkast jag inte vill förlora.")
    data[f"reason_{rows['M2.10-skede'].pk}"] = ""  # missing: the check fails
    r = client.post(f"/rapportering/2026/{sub.pk}/", data)
    assert r.status_code == 400
    body = r.content.decode()
    assert "sparat som utkast men inte inskickat" in body
    assert "M2.10-skede 2026" in body and "ange ett värde eller skälet" in body
    assert "Ett utkast jag inte vill förlora." in body
    assert 'value="12"' in body and 'value="6,9"' in body
    sub.refresh_from_db()
    assert sub.state == "utkast"
    assert sub.narrative_source == "Ett utkast jag inte vill förlora."
    # the page carries the saved version: saving again is not a conflict
    assert f'name="version" value="{sub.version}"' in body
    data2 = dict(data, version=sub.version, action="spara")
    assert client.post(f"/rapportering/2026/{sub.pk}/", data2).status_code == 302


def test_an_unreadable_value_on_submit_saves_nothing_but_keeps_it_on_the_page(
    world, reporter_kriminalvarden
):
    client = logged_in(reporter_kriminalvarden)
    sub = world.sub
    data, rows = _form(sub, narrative_source="Min text")
    data[f"value_{rows['M2.10-antal'].pk}"] = "tolv"
    r = client.post(f"/rapportering/2026/{sub.pk}/", data)
    assert r.status_code == 400
    body = r.content.decode()
    assert 'value="tolv"' in body and "Min text" in body and "är inte ett tal" in body
    sub.refresh_from_db()
    assert sub.state == "utkast" and sub.narrative_source == ""


def test_return_reason_is_at_the_top_of_the_reporters_page(
    world, reporter_kriminalvarden, coordinator
):
    fill(world, reporter_kriminalvarden)
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    row = world.sub.values.get(indicator=world.count)
    services.submission_transition(
        submission=world.sub,
        user=coordinator,
        action="atersand",
        comment="Ange källan.",
        value_comments={row.pk: "Stämmer 12?"},
    )
    body = logged_in(reporter_kriminalvarden).get(f"/rapportering/2026/{world.sub.pk}/")
    body = body.content.decode()
    assert body.index("Ange källan.") < body.index("Redigera")
    assert "Stämmer 12?" in body  # beside the value it is about
    assert world.sub.comments.get(value=row).text == "Stämmer 12?"


# ---------------------------------------------------------------- approving


def _submitted(world, reporter):
    fill(world, reporter)
    return services.submission_transition(submission=world.sub, user=reporter, action="skicka-in")


def test_approval_shows_what_becomes_public_and_needs_confirmation(
    world, reporter_kriminalvarden, coordinator
):
    sub = _submitted(world, reporter_kriminalvarden)
    client = logged_in(coordinator)
    page = client.get(f"/rapportering/2026/{sub.pk}/").content.decode()
    assert f"/rapportering/2026/{sub.pk}/godkann/" in page
    # a POST without the confirmation goes to the confirmation page and approves nothing
    r = client.post(f"/rapportering/2026/{sub.pk}/overgang/godkann/", {"version": sub.version})
    assert r.status_code == 302 and r["Location"] == f"/rapportering/2026/{sub.pk}/godkann/"
    sub.refresh_from_db()
    assert sub.state == "inskickad"
    assert not Observation.objects.filter(indicator=world.count).exists()
    body = client.get(f"/rapportering/2026/{sub.pk}/godkann/").content.decode()
    assert "/indikator/M2.10-antal/" in body and "/indikator/M2.10-andel/" in body
    assert "/atgard/2.10/" in body
    assert "preliminära" in body and "2026 (preliminärt)" in body
    assert 'name="confirm" value="ja"' in body
    r = client.post(
        f"/rapportering/2026/{sub.pk}/overgang/godkann/",
        {"version": sub.version, "confirm": "ja"},
    )
    sub.refresh_from_db()
    assert sub.state == "godkand"


def test_open_round_figures_are_preliminary_on_the_indicator_page_until_closing(
    world, reporter_kriminalvarden, coordinator, build, client, settings
):
    settings.REPORTING_CHANGE_WARNING_SHARE = 10  # this test is not about the soft warning
    row = world.sub.values.get(indicator=world.count)
    world.count.direction = "up"
    world.count.save()
    build.observation(world.count, "2024", 70, area=row.area)
    build.observation(world.count, "2025", 127, area=row.area)
    fill(world, reporter_kriminalvarden, count="40")  # the year is not over: a partial figure
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    obs = Observation.objects.get(indicator=world.count, period="2026")
    assert obs.provisional and obs.value == Decimal("40")
    body = client.get("/indikator/M2.10-antal/").content.decode()
    assert "Uppgiften är preliminär." in body
    assert "Preliminärt 2026: 40" in body
    # the headline compares final figures only: no "minskning med 87 … i motsatt riktning"
    assert "minskning med 87" not in body and "motsatt riktning" not in body
    assert "Senaste värde (2025" in body and "ökning med 57 sedan 2024" in body

    services.round_close(round=world.round, user=coordinator)
    obs.refresh_from_db()
    assert not obs.provisional and not obs.revised
    assert obs.history.first().history_change_reason.startswith("Omgången 2026 är stängd")
    body = client.get("/indikator/M2.10-antal/").content.decode()
    assert "Uppgiften är preliminär." not in body and "Preliminärt 2026" not in body
    assert "Senaste värde (2026" in body and "minskning med 87 sedan 2025" in body


def test_approval_in_a_closed_round_is_final_at_once(world, reporter_kriminalvarden, coordinator):
    _submitted(world, reporter_kriminalvarden)
    services.round_close(round=world.round, user=coordinator)
    services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    assert not Observation.objects.filter(indicator=world.count, provisional=True).exists()
    assert Observation.objects.filter(indicator=world.count, period="2026").exists()


def test_closing_lists_what_is_missing(world, reporter_kriminalvarden, coordinator):
    _submitted(world, reporter_kriminalvarden)
    services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    body = logged_in(coordinator).get("/rapportering/2026/stang/").content.decode()
    missing = services.round_missing(round=world.round)
    assert world.police_sub in missing and world.sub not in missing
    assert f"/rapportering/2026/{world.police_sub.pk}/" in body
    assert f"/rapportering/2026/{world.sub.pk}/" not in body
    assert "Ja, stäng omgången 2026" in body
    world.round.refresh_from_db()
    assert not world.round.closed


# ---------------------------------------------------------------- at volume


def test_submit_all_sends_the_complete_drafts_and_names_what_is_missing(
    world, reporter_kriminalvarden
):
    fill(world, reporter_kriminalvarden)
    client = logged_in(reporter_kriminalvarden)
    assert "Skicka in alla" in client.get("/rapportering/2026/").content.decode()
    # another draft of Kriminalvården in the round, empty
    from lagesbild.reporting.models import Submission

    empty = Submission.objects.create(
        round=world.round, measure=world.m29, organisation=world.kriminalvarden
    )
    r = client.post("/rapportering/2026/skicka-in-alla/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "1 inrapportering är inskickad." in body
    assert "Ange genomförande" in body and f"/rapportering/2026/{empty.pk}/" in body
    assert world.sub.state == "inskickad"
    empty.refresh_from_db()
    assert empty.state == "utkast"
    # Polisen's draft is not touched
    assert world.police_sub.state == "utkast"


def test_last_years_value_beside_the_input_and_a_soft_warning_that_needs_a_comment(
    world, reporter_kriminalvarden, build, settings
):
    settings.REPORTING_CHANGE_WARNING_SHARE = 0.5
    row = world.sub.values.get(indicator=world.count)
    build.observation(world.count, "2025", 10, area=row.area)
    fill(world, reporter_kriminalvarden, count="25")  # +150 %
    client = logged_in(reporter_kriminalvarden)
    page = client.get(f"/rapportering/2026/{world.sub.pk}/").content.decode()
    assert "Förra året (godkänt)" in page and "(2025)" in page
    assert "Värdet ändras med mer än 50 procent mot förra året (10 → 25)." in page
    problems = services.submission_problems(world.sub)
    assert any("M2.10-antal 2026" in p and "anmärkning" in p for p in problems)
    data, rows = _form(world.sub)
    data[f"value_{rows['M2.10-antal'].pk}"] = "25"
    assert client.post(f"/rapportering/2026/{world.sub.pk}/", data).status_code == 400
    assert world.sub.state == "utkast"
    data = dict(data, version=world.sub.version)
    data[f"note_{rows['M2.10-antal'].pk}"] = "Två nya program startade."
    assert client.post(f"/rapportering/2026/{world.sub.pk}/", data).status_code == 302
    assert world.sub.state == "inskickad"
    # within the share: no warning
    assert services.value_change_warning(value=Decimal(14), last=Decimal(10), unit="count") == ""


def test_overview_filters_and_approves_several_after_confirmation(
    world, reporter_kriminalvarden, reporter_polisen, coordinator
):
    _submitted(world, reporter_kriminalvarden)
    client = logged_in(coordinator)
    body = client.get("/rapportering/2026/oversikt/?lage=att-granska").content.decode()
    assert f"/rapportering/2026/{world.sub.pk}/" in body
    assert f"/rapportering/2026/{world.police_sub.pk}/" not in body
    assert f'name="submission" value="{world.sub.pk}"' in body
    body = client.get(
        f"/rapportering/2026/oversikt/?organisation={world.polisen.pk}"
    ).content.decode()
    assert f"/rapportering/2026/{world.police_sub.pk}/" in body
    assert f"/rapportering/2026/{world.sub.pk}/" not in body
    body = client.get(f"/rapportering/2026/oversikt/?mal={world.m210.goal_id}").content.decode()
    assert f"/rapportering/2026/{world.sub.pk}/" in body
    # late: nothing before the deadline; the drafts after it
    from lagesbild.reporting.selectors import round_submissions

    assert not round_submissions(round=world.round, state="forsenade", today=dt.date(2027, 1, 1))
    late = round_submissions(round=world.round, state="forsenade", today=dt.date(2027, 2, 1))
    assert world.police_sub in late and world.sub not in late

    r = client.post(
        "/rapportering/2026/godkann-flera/",
        {"submission": [world.sub.pk, world.police_sub.pk]},  # a draft is ignored
    )
    body = r.content.decode()
    assert r.status_code == 200 and "/indikator/M2.10-antal/" in body
    assert world.sub.state == "inskickad"  # nothing approved before confirming
    r = client.post(
        "/rapportering/2026/godkann-flera/",
        {
            "submission": [world.sub.pk],
            f"version_{world.sub.pk}": world.sub.version,
            "confirm": "ja",
        },
    )
    assert r.status_code == 302
    assert world.sub.state == "godkand" and world.police_sub.state == "utkast"
