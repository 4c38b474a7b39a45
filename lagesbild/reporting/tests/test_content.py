"""Values, units, decimal comma, narrative sanitising, and optimistic locking."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from lagesbild.reporting import services
from lagesbild.reporting.narrative import narrative_to_html, sanitise
from lagesbild.reporting.services import ValueInput
from lagesbild.reporting.tests.conftest import logged_in
from lagesbild.reporting.validation import ValueProblem, check_value


@pytest.mark.parametrize(
    ("unit", "raw", "expected"),
    [
        ("percent", "6,9", Decimal("6.9")),
        ("percent", "100", Decimal("100")),
        ("percent", " 0,0 ", Decimal("0.0")),
        ("count", "1 613", Decimal("1613")),
        ("count", 12, Decimal("12")),
        ("count", 12.0, Decimal("12.0")),
        ("rate_per_100k", "2,29", Decimal("2.29")),
        ("count", "", None),
        ("count", None, None),
    ],
)
def test_accepted_values(unit, raw, expected):
    assert check_value(unit, raw) == expected


@pytest.mark.parametrize(
    ("unit", "raw", "message"),
    [
        ("percent", "100,5", "mellan 0 och 100"),
        ("percent", "-1", "negativt"),
        ("count", "-3", "negativt"),
        ("count", "2,5", "heltal"),
        ("count", "tolv", "inte ett tal"),
        ("count", "1.613,5", "inte ett tal"),
        ("mean_0_10", "11", "mellan 0 och 10"),
    ],
)
def test_refused_values(unit, raw, message):
    with pytest.raises(ValueProblem, match=message):
        check_value(unit, raw)


def test_narrative_keeps_paragraphs_and_links_and_nothing_else():
    html = narrative_to_html(
        "Första stycket med [Kriminalvården](https://www.kriminalvarden.se/).\n\n"
        "Andra <script>alert(1)</script> och https://example.org/sida.\n\n"
        '[farlig](javascript:alert(1)) <a href="javascript:x">x</a> <b onclick=1>fet</b>'
    )
    assert html.count("<p>") == 3
    assert (
        '<a href="https://www.kriminalvarden.se/" rel="noopener noreferrer">Kriminalvården</a>'
        in html
    )
    assert (
        '<a href="https://example.org/sida" rel="noopener noreferrer">https://example.org/sida</a>.'
        in html
    )
    assert set(re.findall(r"<(\w+)", html)) == {"p", "a"}
    assert re.findall(r'<a href="([^"]*)"', html) == [
        "https://www.kriminalvarden.se/",
        "https://example.org/sida",
    ]
    assert "&lt;script&gt;" in html


def test_sanitise_strips_what_nh3_does_not_allow():
    html = sanitise('<p onclick="x">a <a href="javascript:alert(1)">b</a><script>c</script></p>')
    assert html == '<p>a <a rel="noopener noreferrer">b</a></p>'


def test_value_and_reason_together_are_refused(world, reporter_kriminalvarden):
    sub = world.sub
    row = sub.values.get(indicator=world.count)
    with pytest.raises(services.ReportingError) as exc:
        services.submission_update(
            submission=sub,
            user=reporter_kriminalvarden,
            version=sub.version,
            values={row.pk: ValueInput(Decimal(3), "saknas")},
        )
    assert "inte båda" in " ".join(exc.value.problems)
    row.refresh_from_db()
    assert row.value is None and row.missing_reason == ""


def test_service_rechecks_units(world, reporter_kriminalvarden):
    sub = world.sub
    row = sub.values.get(indicator=world.percent)
    with pytest.raises(services.ReportingError):
        services.submission_update(
            submission=sub,
            user=reporter_kriminalvarden,
            version=sub.version,
            values={row.pk: ValueInput(Decimal(120))},
        )
    assert world.sub.version == sub.version


def _form_data(sub, **over):
    data = {
        "version": sub.version,
        "implementation_status": "pagaende",
        "narrative_source": "Text",
    }
    for v in sub.values.all():
        data[f"value_{v.pk}"] = ""
        data[f"reason_{v.pk}"] = ""
        data[f"note_{v.pk}"] = ""
    data.update(over)
    return data


def test_form_accepts_decimal_comma_and_records_who_and_why(world, reporter_kriminalvarden):
    sub = world.sub
    row = sub.values.get(indicator=world.percent)
    client = logged_in(reporter_kriminalvarden)
    r = client.post(f"/rapportering/2026/{sub.pk}/", _form_data(sub, **{f"value_{row.pk}": "6,9"}))
    assert r.status_code == 302
    row.refresh_from_db()
    assert row.value == Decimal("6.9")
    h = row.history.latest("history_date")
    assert h.history_user == reporter_kriminalvarden and h.history_change_reason
    assert world.sub.version == sub.version + 1


def test_history_says_whether_the_reporter_or_the_coordinator_changed_it(
    world, reporter_kriminalvarden, coordinator
):
    row = world.sub.values.get(indicator=world.percent)
    for user, value in ((reporter_kriminalvarden, "6,9"), (coordinator, "7,1")):
        sub = world.sub
        r = logged_in(user).post(
            f"/rapportering/2026/{sub.pk}/", _form_data(sub, **{f"value_{row.pk}": value})
        )
        assert r.status_code == 302
    reasons = [
        (h.history_user, h.history_change_reason) for h in row.history.order_by("history_date")
    ][-2:]
    assert reasons == [
        (reporter_kriminalvarden, "Ändrad av rapportör"),
        (coordinator, "Ändrad av samordnaren"),
    ]
    latest = world.sub.history.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (
        coordinator,
        "Ändrad av samordnaren",
    )


def test_form_shows_unit_errors_in_swedish_and_saves_nothing(world, reporter_kriminalvarden):
    sub = world.sub
    row = sub.values.get(indicator=world.percent)
    client = logged_in(reporter_kriminalvarden)
    r = client.post(
        f"/rapportering/2026/{sub.pk}/",
        _form_data(sub, **{f"value_{row.pk}": "120", "narrative_source": "Ny text"}),
    )
    assert r.status_code == 400
    assert "en andel i procent ska vara mellan 0 och 100, inte 120" in r.content.decode()
    fresh = world.sub
    assert fresh.narrative_source == "" and fresh.version == sub.version


def test_second_save_of_a_stale_form_is_a_conflict_never_an_overwrite(
    world, reporter_kriminalvarden, coordinator
):
    sub = world.sub
    first, second = logged_in(reporter_kriminalvarden), logged_in(coordinator)
    # Both open the form at the same version.
    assert first.get(f"/rapportering/2026/{sub.pk}/").status_code == 200
    assert second.get(f"/rapportering/2026/{sub.pk}/").status_code == 200
    r1 = first.post(
        f"/rapportering/2026/{sub.pk}/", _form_data(sub, narrative_source="Kriminalvårdens text")
    )
    assert r1.status_code == 302
    r2 = second.post(
        f"/rapportering/2026/{sub.pk}/", _form_data(sub, narrative_source="Samordnarens text")
    )
    assert r2.status_code == 409
    body = r2.content.decode()
    assert "Krock – inget sparades" in body
    assert "Någon annan har sparat inrapporteringen" in body
    assert "Samordnarens text" in body  # their input is kept in the form, not lost
    fresh = world.sub
    assert fresh.narrative_source == "Kriminalvårdens text"
    assert fresh.version == sub.version + 1


def test_stale_version_in_service_raises_conflict(world, reporter_kriminalvarden):
    sub = world.sub
    services.submission_update(
        submission=sub, user=reporter_kriminalvarden, version=sub.version, narrative_source="A"
    )
    with pytest.raises(services.ConflictError):
        services.submission_update(
            submission=sub, user=reporter_kriminalvarden, version=sub.version, narrative_source="B"
        )
    assert world.sub.narrative_source == "A"


def test_audit_page_lists_who_when_why(world, reporter_kriminalvarden, coordinator):
    from lagesbild.reporting.tests.test_workflow import fill

    fill(world, reporter_kriminalvarden)
    services.submission_transition(
        submission=world.sub, user=reporter_kriminalvarden, action="skicka-in"
    )
    services.submission_transition(
        submission=world.sub, user=coordinator, action="atersand", comment="Komplettera andelen"
    )
    r = logged_in(coordinator).get(f"/rapportering/2026/{world.sub.pk}/historik/")
    body = r.content.decode()
    assert r.status_code == 200
    assert "Utkast → Inskickad" in body
    assert "Inskickad → Återsänd för komplettering" in body
    assert "Komplettera andelen" in body
    assert "Värde M2.10-antal 2026" in body and "kriminalvarden" in body
    assert "samordnare" in body
