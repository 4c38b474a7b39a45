"""Site search: an indicator by a word of its name, a measure by its text, a service by its
name, on whichever database the suite runs (SQLite FTS5 or PostgreSQL swedish)."""

from __future__ import annotations

import pytest

from lagesbild.directory.demo import FILE_NAME
from lagesbild.directory.services import register_import_file
from lagesbild.web.search import site_search, swedish_stem

pytestmark = pytest.mark.django_db


def test_finds_indicator_measure_and_service(client, build, plan_round):
    build.indicator("S1", unit="count", values={"2023": 5, "2024": 6})
    from lagesbild.indicators.models import Indicator

    Indicator.objects.filter(code="S1").update(name="Anmälda misshandelsbrott mot kvinnor")
    hits = site_search(query="misshandelsbrott")
    assert [(h.kind, h.url) for h in hits] == [("indicator", "/indikator/S1/")]
    # inflected form: "kvinnorna" finds "kvinnor" (stemming / prefix)
    assert any(h.kind == "indicator" for h in site_search(query="kvinnorna"))
    hits = site_search(query="utbilda personal")
    assert ("measure", "/atgard/1.1/") in [(h.kind, h.url) for h in hits]
    assert site_search(query="") == []
    html = client.get("/sok/?q=misshandelsbrott").content.decode()
    assert "1 träff" in html and "/indikator/S1/" in html


def test_finds_a_service_by_its_name(stockholm):
    register_import_file(path=stockholm / FILE_NAME, reason="test")
    hits = site_search(query="Mikamottagningen")
    services = [h for h in hits if h.kind == "service"]
    assert {h.url for h in services} >= {"/stod/verksamhet/mikamottagningen/"}
    # quotes and FTS operators in a query are plain words, never a syntax error
    assert isinstance(site_search(query='"NEAR AND* ( Mika'), list)
    assert "service" not in {h.kind for h in site_search(query='Mikamottagningen" OR "xyzzy')}


def test_swedish_stem_keeps_short_words():
    assert swedish_stem("kvinnorna") == "kvinn"
    assert swedish_stem("våld") == "våld"
