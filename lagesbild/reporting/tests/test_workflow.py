"""Rounds, the transition table (every move allowed and refused), approval and revisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from lagesbild.indicators.models import ImportKind, Observation
from lagesbild.reporting import services
from lagesbild.reporting.models import (
    ReportingRound,
    Submission,
    SubmissionState,
    SubmissionValue,
    Transition,
)
from lagesbild.reporting.services import TRANSITIONS, ValueInput
from lagesbild.reporting.tests.conftest import logged_in

S = SubmissionState


def fill(world, user, *, count="12", percent="6,9", staged_reason="Uppgiften finns inte uppdelad"):
    """Fill Kriminalvården's 2.10 submission completely, as a reporter would."""
    sub = world.sub
    rows = {v.indicator.code: v for v in sub.values.select_related("indicator")}
    values = {
        rows["M2.10-antal"].pk: ValueInput(Decimal(count)),
        rows["M2.10-andel"].pk: ValueInput(Decimal(percent.replace(",", "."))),
        rows["M2.10-skede"].pk: ValueInput(None, staged_reason),
    }
    return services.submission_update(
        submission=sub,
        user=user,
        version=sub.version,
        implementation_status="pagaende",
        narrative_source="Programmen fortsätter.\n\nSe https://www.kriminalvarden.se/ för mer.",
        values=values,
    )


# ---------------------------------------------------------------- rounds


def _open_last_year(world, coordinator):
    """The plan's last year (2027): annual and end-of-plan measures are due."""
    return services.round_open(
        year=2027,
        plan=world.plan,
        opens_on=dt.date(2027, 11, 1),
        closes_on=dt.date(2028, 1, 31),
        user=coordinator,
    )


def test_round_creates_one_submission_per_due_measure_and_organisation(world):
    subs = Submission.objects.filter(round=world.round)
    # 2026 is not the plan's last year: annual measures only.
    assert sorted((s.measure.code, s.organisation.key) for s in subs) == [
        ("1.6", "polisen"),
        ("2.10", "kriminalvarden"),
    ]
    assert all(s.state == S.DRAFT for s in subs)
    cells = sorted(v.indicator.code for v in world.sub.values.all())
    assert cells == ["M2.10-andel", "M2.10-antal", "M2.10-skede"]
    assert {v.period for v in world.sub.values.all()} == {"2026"}


def test_last_year_of_plan_includes_end_of_plan_measures(world, coordinator):
    rnd = _open_last_year(world, coordinator)
    pairs = sorted((s.measure.code, s.organisation.key) for s in rnd.submissions.all())
    assert ("2.9", "kriminalvarden") in pairs and ("2.9", "lanets-kommuner") in pairs
    assert rnd.include_end_of_plan is True


def test_coordinator_can_ask_for_end_of_plan_measures_earlier(world, coordinator):
    world.round.delete()
    rnd = services.round_open(
        year=2025,
        plan=world.plan,
        opens_on=dt.date(2025, 11, 1),
        closes_on=dt.date(2026, 1, 31),
        user=coordinator,
        extra_measures=[world.m29],
    )
    codes = {s.measure.code for s in rnd.submissions.all()}
    assert codes == {"1.6", "2.10", "2.9"}
    assert list(rnd.extra_measures.all()) == [world.m29]


def test_include_end_of_plan_flag(world, coordinator):
    world.round.delete()
    rnd = services.round_open(
        year=2025,
        plan=world.plan,
        opens_on=dt.date(2025, 11, 1),
        closes_on=dt.date(2026, 1, 31),
        user=coordinator,
        include_end_of_plan=True,
    )
    assert rnd.submissions.filter(measure__code="2.9").count() == 2


def test_round_cannot_be_opened_twice_or_outside_the_plan(world, coordinator):
    kwargs = dict(plan=world.plan, opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 2, 1))
    with pytest.raises(services.ReportingError, match="redan"):
        services.round_open(year=2026, **kwargs)
    with pytest.raises(services.ReportingError, match="utanför"):
        services.round_open(year=2030, **kwargs)
    assert ReportingRound.objects.count() == 1


# ---------------------------------------------------------------- the transition table

ALL_STATES = [S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED]
EXPECTED = {
    "skicka-in": {S.DRAFT: S.SUBMITTED, S.RETURNED: S.SUBMITTED},
    "atersand": {S.SUBMITTED: S.RETURNED},
    "godkann": {S.SUBMITTED: S.APPROVED},
    "oppna-igen": {S.APPROVED: S.RETURNED},
}


def test_table_is_the_documented_workflow():
    table = {name: {s: m.target for s in m.sources} for name, m in TRANSITIONS.items()}
    assert table == EXPECTED


def _put_in_state(world, state):
    Submission.objects.filter(pk=world.sub.pk).update(state=state)
    return world.sub


@pytest.mark.parametrize("action", list(EXPECTED))
@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize(
    "actor", ["coordinator", "reporter_kriminalvarden", "reporter_polisen", "admin"]
)
def test_every_move_from_every_state_by_every_role(world, request, action, state, actor):
    user = request.getfixturevalue(actor)
    fill(world, request.getfixturevalue("reporter_kriminalvarden"))
    sub = _put_in_state(world, state)
    move = TRANSITIONS[action]
    managers = actor in ("coordinator", "admin")
    owner = actor == "reporter_kriminalvarden"
    allowed_actor = managers if move.actor == "coordinator" else (managers or owner)
    allowed = allowed_actor and state in move.sources
    before = Transition.objects.count()
    if allowed:
        services.submission_transition(
            submission=sub, user=user, action=action, comment="Motivering"
        )
        sub.refresh_from_db()
        assert sub.state == EXPECTED[action][state]
        t = Transition.objects.latest("pk")
        assert (t.from_state, t.to_state, t.user, t.comment) == (
            state,
            EXPECTED[action][state],
            user,
            "Motivering",
        )
    else:
        with pytest.raises(services.ReportingError):
            services.submission_transition(
                submission=sub, user=user, action=action, comment="Motivering"
            )
        sub.refresh_from_db()
        assert sub.state == state
        assert Transition.objects.count() == before


@pytest.mark.parametrize("action", ["atersand", "oppna-igen"])
def test_return_and_reopen_need_a_reason(world, coordinator, reporter_kriminalvarden, action):
    fill(world, reporter_kriminalvarden)
    state = S.SUBMITTED if action == "atersand" else S.APPROVED
    sub = _put_in_state(world, state)
    with pytest.raises(services.ReportingError, match="kommentar"):
        services.submission_transition(submission=sub, user=coordinator, action=action)
    assert world.sub.state == state


def test_submit_refuses_an_incomplete_submission(world, reporter_kriminalvarden):
    with pytest.raises(services.ReportingError) as exc:
        services.submission_transition(
            submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
        )
    text = " ".join(exc.value.problems)
    assert "Ange genomförande" in text
    assert "M2.10-antal 2026" in text and "skälet till att det saknas" in text
    assert world.sub.state == S.DRAFT


def test_transition_on_a_stale_object_is_a_conditional_update(
    world, coordinator, reporter_kriminalvarden
):
    fill(world, reporter_kriminalvarden)
    stale = world.sub
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    stale_copy = Submission.objects.get(pk=stale.pk)
    services.submission_transition(submission=stale_copy, user=coordinator, action="godkann")
    # `stale` still believes it is a draft: the conditional update finds no such row.
    stale.state = S.DRAFT
    with pytest.raises(services.ConflictError):
        services.submission_transition(
            submission=stale, user=reporter_kriminalvarden, action="skicka-in"
        )
    assert world.sub.state == S.APPROVED


def test_closed_round_refuses_reporter_edits(world, reporter_kriminalvarden, coordinator):
    fill(world, reporter_kriminalvarden)
    services.round_close(round=world.round, user=coordinator)
    with pytest.raises(services.NotAllowed):
        services.submission_transition(
            submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
        )
    with pytest.raises(services.NotAllowed):
        fill(world, reporter_kriminalvarden, count="13")


# ---------------------------------------------------------------- approval and publication


def _approve(world, reporter, coordinator):
    services.submission_transition(submission=world.sub, user=reporter, action="skicka-in")
    return services.submission_transition(submission=world.sub, user=coordinator, action="godkann")


def test_only_approved_values_are_published(world, reporter_kriminalvarden, coordinator):
    fill(world, reporter_kriminalvarden)
    assert not Observation.objects.filter(indicator=world.count).exists()
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    assert not Observation.objects.filter(indicator=world.count).exists()
    services.submission_transition(submission=world.sub, user=coordinator, action="godkann")
    obs = Observation.objects.get(indicator=world.count, period="2026")
    assert obs.value == Decimal("12") and obs.published
    assert Observation.objects.get(indicator=world.percent).value == Decimal("6.9")
    missing = Observation.objects.get(indicator=world.staged)
    assert missing.value is None and missing.missing_reason == "Uppgiften finns inte uppdelad"
    run = obs.import_run
    assert run.kind == ImportKind.SUBMISSION
    assert run.origin == world.sub
    assert run.user == coordinator
    sub = world.sub
    assert sub.approved_by == coordinator and sub.approved_at is not None


def test_change_after_approval_is_a_revision_with_its_reason(
    world, reporter_kriminalvarden, coordinator
):
    fill(world, reporter_kriminalvarden)
    _approve(world, reporter_kriminalvarden, coordinator)
    services.submission_transition(
        submission=world.sub,
        user=coordinator,
        action="oppna-igen",
        comment="Kriminalvården har rättat antalet avbrutna program",
    )
    assert world.sub.state == S.RETURNED
    fill(world, reporter_kriminalvarden, count="14")
    # Not yet approved: the public figure is still the approved one.
    assert Observation.objects.get(indicator=world.count).value == Decimal("12")
    _approve(world, reporter_kriminalvarden, coordinator)
    obs = Observation.objects.get(indicator=world.count)
    assert obs.value == Decimal("14")
    assert obs.revised is True
    latest = obs.history.latest("history_date")
    assert "rättat antalet avbrutna program" in latest.history_change_reason
    assert latest.history_user == coordinator
    assert [h.value for h in obs.history.order_by("history_date")] == [Decimal("12"), Decimal("14")]


def test_comments(world, reporter_kriminalvarden, reporter_polisen, coordinator):
    services.comment_add(submission=world.sub, user=reporter_kriminalvarden, text="Fråga om 2.10")
    services.comment_add(submission=world.sub, user=coordinator, text="Svar")
    with pytest.raises(services.NotAllowed):
        services.comment_add(submission=world.sub, user=reporter_polisen, text="Insyn?")
    assert [c.text for c in world.sub.comments.all()] == ["Fråga om 2.10", "Svar"]


def test_delegate_reports_for_organisation_without_accounts(world, coordinator, django_user_model):
    from lagesbild.core.models import Membership
    from lagesbild.reporting import access

    rnd = services.round_open(
        year=2027, plan=world.plan, opens_on=dt.date(2027, 1, 1), closes_on=dt.date(2027, 2, 1)
    )
    user = django_user_model.objects.create_user("storsthlm", "s@example.org", "x")
    Membership.objects.create(user=user, organisation=world.storsthlm, role="reporter")
    sub = rnd.submissions.get(measure=world.m29, organisation=world.kommuner)
    assert access.can_edit(user, sub)
    assert list(access.visible_submissions(user)) == [sub]


def _revised_indicator_page(world, reporter, approver, client) -> str:
    """Approve 12, reopen ("Rättat antal"), approve 14: the public page of M2.10-antal."""
    fill(world, reporter)
    _approve(world, reporter, approver)
    services.submission_transition(
        submission=world.sub, user=approver, action="oppna-igen", comment="Rättat antal"
    )
    fill(world, reporter, count="14")
    _approve(world, reporter, approver)
    return client.get("/indikator/M2.10-antal/").content.decode()


def test_indicator_revision_table_links_to_the_submission(
    world, reporter_kriminalvarden, coordinator, client
):
    body = _revised_indicator_page(world, reporter_kriminalvarden, coordinator, client)
    # the link names the measure's plan: two plans may both have a 2.10
    plan = world.sub.measure.plan.key
    assert f'href="/atgard/2.10/?plan={plan}#uppfoljning-2026-kriminalvarden"' in body
    assert "Inrapportering 2026 från Kriminalvården, åtgärd 2.10" in body
    assert "Rättat antal" in body


def test_a_round_is_not_closed_or_reopened_in_the_admin(world, coordinator, admin):
    """Closing goes through round_close (closed_at, refused twice, history); the admin only
    shows the state."""
    client = logged_in(admin)
    url = f"/admin/reporting/reportinground/{world.round.pk}/change/"
    response = client.post(url, {"closes_on": "2026-12-31", "closed": "on"})
    assert response.status_code == 302
    world.round.refresh_from_db()
    assert world.round.closes_on == dt.date(2026, 12, 31)
    assert not world.round.closed and world.round.closed_at is None
    services.round_close(round=world.round, user=coordinator)
    client.post(url, {"closes_on": "2026-12-31"})  # no "closed": would untick it
    world.round.refresh_from_db()
    assert world.round.closed and world.round.closed_at is not None


def test_a_round_cannot_be_deleted_in_the_admin(world, reporter_kriminalvarden, coordinator, admin):
    """Deleting a round would take its approved submissions, values and history with it."""
    fill(world, reporter_kriminalvarden)
    _approve(world, reporter_kriminalvarden, coordinator)
    client = logged_in(admin)
    base = f"/admin/reporting/reportinground/{world.round.pk}/"
    change_page = client.get(f"{base}change/")
    assert change_page.status_code == 200
    assert f"{base}delete/" not in change_page.content.decode()
    assert "delete_selected" not in client.get("/admin/reporting/reportinground/").content.decode()
    assert client.get(f"{base}delete/").status_code == 403
    assert client.post(f"{base}delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/reporting/reportinground/",
        {"action": "delete_selected", "_selected_action": [world.round.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert ReportingRound.objects.filter(pk=world.round.pk).exists()
    assert world.sub.state == S.APPROVED and world.sub.values.count() == 3
    assert Transition.objects.filter(submission=world.sub).count() == 2


def test_public_revision_table_names_the_organisation_not_the_person(
    world, reporter_kriminalvarden, django_user_model, client
):
    from lagesbild.core.models import Membership, Organisation

    approver = django_user_model.objects.create_user(
        "anna.andersson", "anna.andersson@lansstyrelsen.example", "x"
    )
    Membership.objects.create(
        user=approver,
        organisation=Organisation.objects.get(key="lansstyrelsen"),
        role="coordinator",
    )
    body = _revised_indicator_page(world, reporter_kriminalvarden, approver, client)
    revisions = body.split('id="revideringar"', 1)[1]
    assert "Rättat antal" in revisions
    assert "<td>Länsstyrelsen Stockholm</td>" in revisions
    assert "anna.andersson" not in body


def test_public_revision_table_names_no_one_for_a_user_without_organisation(
    world, reporter_kriminalvarden, django_user_model, client
):
    superuser = django_user_model.objects.create_superuser("root-person", "root@example.org", "x")
    body = _revised_indicator_page(world, reporter_kriminalvarden, superuser, client)
    assert "Rättat antal" in body.split('id="revideringar"', 1)[1]
    assert "root-person" not in body and "root@example.org" not in body


# ---------------------------------------------------------------- one published cell, one owner


def test_a_cell_is_asked_of_one_submission_only(world, coordinator):
    """M2.10-antal follows up 2.10 (Kriminalvården) and 2.9 (Kriminalvården and the
    municipalities); in the plan's last year all three submissions are due, but the cell is
    asked once."""
    rnd = _open_last_year(world, coordinator)
    asked = SubmissionValue.objects.filter(
        submission__round=rnd, indicator=world.count, period="2027"
    )
    assert asked.count() == 1
    # every cell of the round is asked of exactly one submission
    cells = SubmissionValue.objects.filter(submission__round=rnd).values_list(
        "indicator_id", "area_id", "period", "breakdown_key"
    )
    assert len(list(cells)) == len(set(cells))


def test_the_organisation_that_reported_a_cell_keeps_it_the_next_year(
    world, reporter_kriminalvarden, coordinator
):
    fill(world, reporter_kriminalvarden)
    _approve(world, reporter_kriminalvarden, coordinator)
    world.m210.responsible.add(world.polisen)
    rnd = _open_last_year(world, coordinator)
    police_210 = Submission.objects.get(round=rnd, measure=world.m210, organisation=world.polisen)
    assert not police_210.values.exists()
    # Kriminalvården is asked every cell it reported (M2.10-antal under 2.9 or 2.10, once)
    krim = SubmissionValue.objects.filter(
        submission__round=rnd, submission__organisation=world.kriminalvarden
    )
    assert sorted(v.indicator.code for v in krim) == ["M2.10-andel", "M2.10-antal", "M2.10-skede"]


def test_approval_never_overwrites_another_organisations_figure(
    world, reporter_kriminalvarden, reporter_polisen, coordinator
):
    fill(world, reporter_kriminalvarden)
    _approve(world, reporter_kriminalvarden, coordinator)
    krim_value = SubmissionValue.objects.get(submission=world.sub, indicator=world.count)
    police = world.police_sub
    SubmissionValue.objects.create(
        submission=police,
        indicator=world.count,
        area=krim_value.area,
        period="2026",
        breakdown={},
        breakdown_key="",
        value=Decimal("20"),
    )
    Submission.objects.filter(pk=police.pk).update(state=S.SUBMITTED)
    police.refresh_from_db()
    with pytest.raises(services.ReportingError, match="kan inte godkännas") as err:
        services.submission_transition(submission=police, user=coordinator, action="godkann")
    assert any("redan publicerat från Kriminalvården" in p for p in err.value.problems)
    police.refresh_from_db()
    assert police.state == S.SUBMITTED
    obs = Observation.objects.get(indicator=world.count, period="2026")
    assert obs.value == Decimal("12") and not obs.revised
    assert obs.history.count() == 1


def test_nobody_approves_content_that_changed_after_they_opened_it(
    world, reporter_kriminalvarden, coordinator
):
    """The coordinator opens the submitted report (version v); meanwhile it is returned, edited
    and resubmitted; approving with v is a conflict, and nothing is published."""
    fill(world, reporter_kriminalvarden)
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    seen = world.sub.version
    services.submission_transition(
        submission=world.sub, user=coordinator, action="atersand", comment="Komplettera antalet"
    )
    fill(world, reporter_kriminalvarden, count="15")
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    with pytest.raises(services.ConflictError):
        services.submission_transition(
            submission=world.sub, user=coordinator, action="godkann", version=seen
        )
    assert world.sub.state == S.SUBMITTED
    assert not Observation.objects.filter(indicator=world.count).exists()
    # through the page: the form carries the version it was shown with
    client = Client()
    client.force_login(coordinator)
    url = f"/rapportering/2026/{world.sub.pk}/"
    page = client.get(url).content.decode()
    assert f'name="version" value="{world.sub.version}"' in page
    response = client.post(
        url + "overgang/godkann/", {"version": seen, "confirm": "ja"}, follow=True
    )
    assert "har ändrats sedan du öppnade den" in response.content.decode()
    assert world.sub.state == S.SUBMITTED
    client.post(url + "overgang/godkann/", {"version": world.sub.version, "confirm": "ja"})
    assert world.sub.state == S.APPROVED
    assert Observation.objects.get(indicator=world.count, period="2026").value == Decimal("15")
