"""Every role against every view of the directory app."""

from __future__ import annotations

import html
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lagesbild.directory.models import SupportService
from lagesbild.directory.selectors import register_all
from lagesbild.directory.tabular import read_csv, read_xlsx, rows_to_csv, service_to_row

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "coordinator", "owner", "other_reporter", "admin"]


@pytest.fixture
def as_role(client, register, coordinator, admin, reporter_nacka, reporter_polisen):
    users = {
        "coordinator": coordinator,
        "admin": admin,
        "owner": reporter_nacka,  # owns nacka-vuxna/nacka-barn (egen regi in Nacka)
        "other_reporter": reporter_polisen,
    }

    def login(role):
        if role != "anonymous":
            client.force_login(users[role])
        return client

    return login


# (view, method, expected status per role); "owner" is Nacka's reporter, the service nacka-vuxna.
EXPECTED = {
    "search": {r: 200 for r in ROLES},
    "service": {r: 200 for r in ROLES},
    "manage": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
    },
    "edit": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 403,
        "admin": 200,
    },
    "create": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
    },
    "stale": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 403,
        "other_reporter": 403,
        "admin": 200,
    },
    "export_csv": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 403,
        "other_reporter": 403,
        "admin": 200,
    },
    "export_xlsx": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 403,
        "other_reporter": 403,
        "admin": 200,
    },
    "import": {
        "anonymous": 302,
        "coordinator": 200,
        "owner": 200,
        "other_reporter": 200,
        "admin": 200,
    },
}


def _url(name):
    if name in {"edit", "service"}:
        return reverse(f"directory:{name}", args=["nacka-vuxna"])
    return reverse(f"directory:{name}")


def test_get_every_view_as_every_role(as_role, client):
    # One database load for the whole matrix (the register fixture is slow to build).
    for role in ROLES:
        client.logout()
        as_role(role)
        for view in sorted(EXPECTED):
            response = client.get(_url(view))
            assert response.status_code == EXPECTED[view][role], (role, view)
            if response.status_code == 302:
                assert response["Location"].startswith("/konto/logga-in/")


VERIFY = {"anonymous": 302, "coordinator": 302, "owner": 302, "other_reporter": 403, "admin": 302}


def test_verify_as_every_role(as_role, client):
    for role in ROLES:
        client.logout()
        SupportService.objects.filter(key="nacka-vuxna").update(verified_on=None)
        _check_verify(as_role, role)


def _check_verify(as_role, role):
    client = as_role(role)
    response = client.post(reverse("directory:verify", args=["nacka-vuxna"]))
    assert response.status_code == VERIFY[role]
    svc = SupportService.objects.get(key="nacka-vuxna")
    verified_now = svc.verified_on == timezone.localdate()
    assert verified_now == (role in {"coordinator", "owner", "admin"})
    if verified_now:
        assert response["Location"] == reverse("directory:manage")
        assert svc.history.first().history_change_reason == "Uppgifterna kontrollerade"


def _edit_payload(svc, **changes):
    data = {
        "name": svc.name,
        "description": svc.description,
        "organiser_kind": svc.organiser_kind,
        "organiser_name": svc.organiser_name,
        "provision": svc.provision,
        "exposed_to": [v.pk for v in svc.exposed_to.all()],
        "target_groups": svc.target_groups,
        "age_min": svc.age_min or "",
        "age_max": svc.age_max or "",
        "areas": [a.pk for a in svc.areas.all()],
        "web": svc.web,
        "opening_hours": svc.opening_hours,
        "languages_text": ", ".join(svc.languages),
        "reason": "Nytt telefonnummer",
    }
    data.update(changes)
    return data


def test_post_edit_as_every_role(as_role, client):
    for role in ROLES:
        client.logout()
        SupportService.objects.filter(key="nacka-vuxna").update(phone="")
        _check_post_edit(as_role, role)


def _check_post_edit(as_role, role):
    client = as_role(role)
    svc = SupportService.objects.get(key="nacka-vuxna")
    response = client.post(_url("edit"), _edit_payload(svc, phone="08-000 00 00"))
    svc.refresh_from_db()
    allowed = role in {"coordinator", "owner", "admin"}
    errors = response.context["form"].errors if response.status_code == 200 else None
    assert (svc.phone == "08-000 00 00") == allowed, (
        response.status_code,
        response.get("Location"),
        errors,
    )
    if allowed:
        assert response.status_code == 302
        h = svc.history.first()
        assert h.history_change_reason == "Nytt telefonnummer"
        assert (
            h.history_user.username
            == {"coordinator": "samordnare", "owner": "nacka", "admin": "admin"}[role]
        )
    else:
        assert response.status_code in {302, 403}


def test_edit_needs_a_reason(as_role):
    client = as_role("owner")
    svc = SupportService.objects.get(key="nacka-vuxna")
    before = svc.phone
    response = client.post(_url("edit"), _edit_payload(svc, phone="1", reason=""))
    assert response.status_code == 200
    svc.refresh_from_db()
    assert svc.phone == before != "1"


def test_reporter_cannot_edit_another_municipalitys_or_an_agreement(as_role):
    client = as_role("owner")
    assert client.get(reverse("directory:edit", args=["sodertalje-vuxna"])).status_code == 403
    assert client.get(reverse("directory:edit", args=["origo"])).status_code == 403


def test_stockholm_reporter_keeps_its_agreements(client, reporter_stockholm):
    client.force_login(reporter_stockholm)
    html = client.get(reverse("directory:manage")).content.decode()
    assert "Mikamottagningen" in html and "KAST" in html
    assert "Nacka, socialtjänsten" not in html
    assert client.get(reverse("directory:edit", args=["kast"])).status_code == 200


def test_new_service_by_a_reporter_belongs_to_its_organisation(as_role, reporter_nacka):
    client = as_role("owner")
    svc = SupportService.objects.get(key="nacka-vuxna")
    data = _edit_payload(svc, key="nacka-kvinnojour", name="Nacka kvinnojour", reason="Ny")
    response = client.post(reverse("directory:create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = SupportService.objects.get(key="nacka-kvinnojour")
    assert new.organisation == reporter_nacka.membership.organisation


def test_manage_lists_only_own_services_for_a_reporter(as_role):
    html = as_role("owner").get(reverse("directory:manage")).content.decode()
    assert "Nacka, socialtjänsten – stöd till våldsutsatta vuxna" in html
    assert "Södertälje" not in html
    html = as_role("other_reporter").get(reverse("directory:manage")).content.decode()
    assert "Inga verksamheter" in html


def test_stale_page_lists_entries_older_than_twelve_months(as_role):
    SupportService.objects.filter(key="nacka-barn").update(verified_on=timezone.localdate())
    SupportService.objects.filter(key="sodertalje-barn").update(
        verified_on=timezone.localdate().replace(year=timezone.localdate().year - 2)
    )
    html = as_role("coordinator").get(reverse("directory:stale")).content.decode()
    assert "Södertälje, socialtjänsten – stöd till våldsutsatta barn" in html
    assert "Nacka, socialtjänsten – stöd till våldsutsatta barn" not in html


def test_export_xlsx_content(as_role):
    response = as_role("coordinator").get(reverse("directory:export_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "stodregister-" in response["Content-Disposition"]


def _upload(rows, name="r.csv"):
    return SimpleUploadedFile(name, rows_to_csv(rows), content_type="text/csv")


def test_reporter_import_is_limited_to_own_services(as_role):
    client = as_role("owner")
    own = service_to_row(SupportService.objects.get(key="nacka-vuxna"))
    before = own["phone"]
    other = service_to_row(SupportService.objects.get(key="origo"))
    own["phone"] = "08-111 11 11"
    other["phone"] = "08-222 22 22"
    response = client.post(
        reverse("directory:import"), {"file": _upload([own, other]), "reason": "Rond 2026"}
    )
    assert response.status_code == 400
    text = html.unescape(response.content.decode())
    assert "r.csv rad 3, fält 'key': verksamheten hör till en annan organisation" in text
    assert SupportService.objects.get(key="nacka-vuxna").phone == before
    response = client.post(
        reverse("directory:import"), {"file": _upload([own]), "reason": "Rond 2026"}
    )
    assert response.status_code == 302
    assert SupportService.objects.get(key="nacka-vuxna").phone == "08-111 11 11"
    own["areas"] = "0181|0182"
    response = client.post(
        reverse("directory:import"), {"file": _upload([own]), "reason": "Rond 2026"}
    )
    assert response.status_code == 400
    assert "egen regi kan bara gälla den egna kommunen" in html.unescape(response.content.decode())
    assert [a.code for a in SupportService.objects.get(key="nacka-vuxna").areas.all()] == ["0182"]


def test_submission_function_for_the_reporting_round(register, reporter_nacka):
    from lagesbild.directory.services import directory_submission_apply

    row = service_to_row(SupportService.objects.get(key="nacka-barn"))
    row["opening_hours"] = "Vardagar 8–17"
    result = directory_submission_apply(
        organisation=reporter_nacka.membership.organisation,
        rows=[(2, row)],
        user=reporter_nacka,
        reason="Rapporteringsrond 2026, inlämning 7",
        file_name="inlamning-7",
    )
    assert result.updated == 1
    svc = SupportService.objects.get(key="nacka-barn")
    assert svc.history.first().history_change_reason == "Rapporteringsrond 2026, inlämning 7"


def test_reporter_cannot_stretch_own_egen_regi_to_another_municipality(as_role):
    from lagesbild.core.models import Area

    client = as_role("owner")
    svc = SupportService.objects.get(key="nacka-vuxna")
    other = Area.objects.get(code="0181")
    payload = _edit_payload(svc, phone="1")
    payload["areas"] = payload["areas"] + [other.pk]
    response = client.post(_url("edit"), payload)
    assert response.status_code == 200
    assert "Egen regi kan bara gälla den egna kommunen" in response.content.decode()
    assert other not in SupportService.objects.get(key="nacka-vuxna").areas.all()


def _end_one_entry_and_add_a_future_one():
    """nacka-barn ended a month ago; origo starts next month. Neither is in force today."""
    today = timezone.localdate()
    SupportService.objects.filter(key="nacka-barn").update(
        valid_from=today - timedelta(days=400), valid_to=today - timedelta(days=30)
    )
    SupportService.objects.filter(key="origo").update(
        valid_from=today + timedelta(days=30), valid_to=None
    )


def _register_rows():
    return {s.key: service_to_row(s) for s in register_all()}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_holds_the_whole_register_and_importing_it_changes_nothing(as_role, fmt):
    _end_one_entry_and_add_a_future_one()
    client = as_role("coordinator")
    response = client.get(reverse(f"directory:export_{fmt}"))
    assert response.status_code == 200
    reader = read_xlsx if fmt == "xlsx" else read_csv
    exported = {row["key"]: row for _line, row in reader(response.content, f"export.{fmt}")}
    assert "nacka-barn" in exported and exported["nacka-barn"]["valid_to"]
    assert "origo" in exported
    before = _register_rows()
    assert exported == before  # every entry, with the same columns
    history = SupportService.history.count()

    upload = SimpleUploadedFile(f"export.{fmt}", response.content)
    response = client.post(
        reverse("directory:import"), {"file": upload, "reason": "Export och import"}, follow=True
    )
    assert response.status_code == 200
    assert f"0 nya, 0 ändrade, {len(before)} oförändrade" in response.content.decode()
    assert _register_rows() == before
    assert SupportService.history.count() == history


def test_export_command_writes_the_whole_register(register, tmp_path):
    _end_one_entry_and_add_a_future_one()
    path = tmp_path / "register.csv"
    call_command("directory_export", str(path), stdout=io.StringIO())
    keys = {row["key"] for _line, row in read_csv(path.read_bytes(), path.name)}
    assert keys == set(SupportService.objects.values_list("key", flat=True))
    assert {"nacka-barn", "origo"} <= keys


def test_preview_checks_like_the_import_but_writes_nothing(register, reporter_nacka, coordinator):
    from lagesbild.directory.services import directory_submission_apply, register_import_preview
    from lagesbild.directory.tabular import RegisterImportError

    nacka = reporter_nacka.membership.organisation
    barn = service_to_row(SupportService.objects.get(key="nacka-barn"))
    vuxna = service_to_row(SupportService.objects.get(key="nacka-vuxna"))
    vuxna["phone"] = "08-1"
    new = {**barn, "key": "nacka-ny", "name": "Ny"}
    rows = [(2, barn), (3, vuxna), (4, new)]
    changes = register_import_preview(rows=rows, file_name="p.csv", organisation=nacka)
    assert [(c.key, c.action, c.columns) for c in changes] == [
        ("nacka-barn", "unchanged", []),  # its empty organisation stays empty
        ("nacka-vuxna", "updated", ["phone"]),
        ("nacka-ny", "created", []),
    ]
    assert not SupportService.objects.filter(key="nacka-ny").exists()
    assert SupportService.objects.get(key="nacka-vuxna").phone != "08-1"

    # Another municipality's entry is refused for Nacka even when a coordinator applies it.
    solna = (2, service_to_row(SupportService.objects.get(key="solna-vuxna")))
    with pytest.raises(RegisterImportError) as exc:
        register_import_preview(rows=[solna], file_name="s.csv", organisation=nacka)
    assert "s.csv rad 2, fält 'key': verksamheten hör till en annan organisation" in str(exc.value)
    with pytest.raises(RegisterImportError):
        directory_submission_apply(
            organisation=nacka, rows=[solna], user=coordinator, reason="x", file_name="s.csv"
        )
    assert SupportService.objects.get(key="solna-vuxna").organisation is None
