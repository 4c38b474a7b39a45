"""Egen regi only by the municipality itself or the coordinator; other organisations' entries for
an area wait for the coordinator's review before they are public or count in the coverage."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lagesbild.core.models import Area
from lagesbild.directory import selectors
from lagesbild.directory.models import Provision, ReviewState, SupportService
from lagesbild.directory.tabular import rows_to_csv, service_to_row
from lagesbild.directory.tests.test_access import _edit_payload


@pytest.fixture
def nacka_payload(register):
    svc = SupportService.objects.get(key="nacka-vuxna")  # egen regi in Nacka
    return _edit_payload(svc, key="polisens-nacka", name="Polisens stöd i Nacka", reason="Ny")


def _search_keys(code="0182"):
    groups = selectors.support_search(municipality=Area.objects.get(code=code))
    return {s.key for g in groups for s in g.services}


def test_a_reporter_cannot_create_egen_regi_for_another_municipality(
    client, nacka_payload, reporter_polisen
):
    client.force_login(reporter_polisen)  # the police: no municipality of its own
    response = client.post(reverse("directory:create"), nacka_payload)
    assert response.status_code == 200
    assert "anges bara av kommunen själv eller samordnaren" in html.unescape(
        response.content.decode()
    )
    assert not SupportService.objects.filter(key="polisens-nacka").exists()


def test_a_reporter_cannot_import_egen_regi_for_another_municipality(
    client, register, reporter_polisen
):
    row = service_to_row(SupportService.objects.get(key="nacka-vuxna"))
    row.update(key="polisens-nacka", name="Polisens stöd i Nacka", organisation="")
    client.force_login(reporter_polisen)
    response = client.post(
        reverse("directory:import"),
        {"file": SimpleUploadedFile("p.csv", rows_to_csv([row])), "reason": "Ny"},
    )
    assert response.status_code == 400
    assert "anges bara av kommunen själv" in html.unescape(response.content.decode())
    assert not SupportService.objects.filter(key="polisens-nacka").exists()


def test_a_reporter_cannot_edit_a_municipalitys_egen_regi(client, register, reporter_polisen):
    client.force_login(reporter_polisen)
    svc = SupportService.objects.get(key="nacka-vuxna")
    response = client.post(reverse("directory:edit", args=[svc.key]), _edit_payload(svc, phone="1"))
    assert response.status_code == 403


def test_the_municipality_and_the_coordinator_may_enter_egen_regi(
    client, nacka_payload, reporter_nacka, coordinator
):
    client.force_login(reporter_nacka)
    response = client.post(reverse("directory:create"), dict(nacka_payload, key="nacka-ny"))
    assert response.status_code == 302
    own = SupportService.objects.get(key="nacka-ny")
    assert own.review_state == ReviewState.APPROVED  # its own area: public at once
    client.force_login(coordinator)
    response = client.post(reverse("directory:create"), dict(nacka_payload, key="lst-ny"))
    assert response.status_code == 302
    assert SupportService.objects.get(key="lst-ny").review_state == ReviewState.APPROVED


def test_another_organisations_entry_for_an_area_waits_for_review(
    client, nacka_payload, reporter_polisen, coordinator
):
    payload = dict(nacka_payload, provision=Provision.OTHER, organiser_kind="stat")
    client.force_login(reporter_polisen)
    response = client.post(reverse("directory:create"), payload)
    assert response.status_code == 302, response.content.decode()[:3000]
    svc = SupportService.objects.get(key="polisens-nacka")
    assert svc.review_state == ReviewState.PENDING
    # not public: not in the search, no detail page for the public, not in the coverage input
    assert "polisens-nacka" not in _search_keys()
    client.logout()
    assert client.get(reverse("directory:service", args=[svc.key])).status_code == 404
    assert svc.key not in {s.key for s in selectors.register_as_of(timezone.localdate())}
    # the coordinator sees it waiting and approves it
    client.force_login(coordinator)
    page = client.get(reverse("directory:manage")).content.decode()
    assert "Väntar på granskning" in page and "Polisens stöd i Nacka" in page
    client.force_login(reporter_polisen)
    assert client.post(reverse("directory:approve", args=[svc.key])).status_code == 403
    client.force_login(coordinator)
    response = client.post(reverse("directory:approve", args=[svc.key]))
    assert response.status_code == 302
    svc.refresh_from_db()
    assert svc.review_state == ReviewState.APPROVED
    assert svc.history.first().history_change_reason == "Granskad och godkänd av samordnaren"
    assert "polisens-nacka" in _search_keys()
