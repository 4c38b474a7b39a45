"""The public search answers the issue's three example questions, in the promised order."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from lagesbild.core.models import Area
from lagesbild.directory.models import SupportService
from lagesbild.directory.selectors import Reach, support_search
from lagesbild.strategy.models import ViolenceType

pytestmark = pytest.mark.django_db


def _keys(groups):
    return {g.reach: [s.key for s in g.services] for g in groups}


def _search(code, **kw):
    vt = kw.pop("typ", None)
    return support_search(
        municipality=Area.objects.get(code=code),
        violence_type=ViolenceType.objects.get(key=vt) if vt else None,
        **kw,
    )


def test_girl_15_honour_violence_in_nacka(register):
    groups = _search("0182", age=15, sex="flicka", typ="heder", role="utsatt")
    keys = _keys(groups)
    assert [g.reach for g in groups] == [Reach.OWN, Reach.AGREEMENT, Reach.NATIONAL]
    assert keys[Reach.OWN] == ["nacka-barn"]
    assert keys[Reach.AGREEMENT] == ["origo"]
    assert "bris" in keys[Reach.NATIONAL]
    # Adults' services, another municipality's service and services for perpetrators are left out.
    flat = [k for ks in keys.values() for k in ks]
    assert "nacka-vuxna" not in flat
    assert "sodertalje-barn" not in flat
    assert "valj-att-sluta" not in flat
    assert "kvinnofridslinjen" not in flat  # from 16 years


def test_man_who_wants_to_stop_buying_sex_in_norrtalje(register):
    kast = SupportService.objects.get(key="kast")
    norrtalje = Area.objects.get(code="0188")
    assert norrtalje not in kast.areas.all()  # the demo agreement leaves Norrtälje out
    groups = _search("0188", age=45, sex="man", typ="prostitution", role="utovare")
    assert _keys(groups) == {Reach.NATIONAL: ["preventell"]}


def test_man_who_wants_to_stop_buying_sex_where_kast_has_an_agreement(register):
    groups = _search("0182", age=45, sex="man", typ="prostitution", role="utovare")
    assert _keys(groups) == {Reach.AGREEMENT: ["kast"], Reach.NATIONAL: ["preventell"]}


def test_woman_exposed_by_her_partner_in_sodertalje(register):
    groups = _search("0181", age=35, sex="kvinna", typ="vinr", role="utsatt")
    keys = _keys(groups)
    assert keys[Reach.OWN] == ["sodertalje-vuxna"]
    assert set(keys[Reach.NATIONAL]) == {"kvinnofridslinjen", "brottsofferjouren"}
    assert Reach.AGREEMENT not in keys  # Stockholm's relationsvåldscentrum is not Södertälje's


def test_district_service_listed_for_stockholm_and_labelled_with_districts(register):
    groups = _search("0180", age=30, sex="kvinna", typ="vinr", role="utsatt")
    agreement = next(g for g in groups if g.reach == Reach.AGREEMENT)
    rvc = next(s for s in agreement.services if s.key == "stockholm-relationsvaldscentrum")
    assert {a.code for a in rvc.local_areas} >= {"0180-JARVA", "0180-SODERMALM"}


def test_age_turns_kvinna_into_flicka(register):
    groups = _search("0182", age=16, sex="kvinna", typ="vinr", role="utsatt")
    own = next(g for g in groups if g.reach == Reach.OWN)
    assert [s.key for s in own.services] == ["nacka-barn"]


def test_annan_finds_services_for_hbtqi_and_for_both_sexes(register):
    groups = _search("0181", age=30, sex="annan", typ="vinr", role="utsatt")
    flat = {s.key for g in groups for s in g.services}
    assert "sodertalje-vuxna" in flat  # lists hbtqi-personer
    assert "brottsofferjouren" in flat  # open to everyone


def test_search_page_is_public_and_shows_contact_and_last_verified(client, register):
    url = reverse("directory:search")
    response = client.get(
        url, {"kommun": "0181", "alder": "35", "kon": "kvinna", "typ": "vinr", "roll": "utsatt"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "020-50 50 50" in html
    assert "Senast kontrollerad" in html
    assert '<time datetime="2025-11-28">' in html
    # Order on the page: own municipality, then national lines.
    assert html.index("Södertälje, socialtjänsten") < html.index("Kvinnofridslinjen</a>")
    assert "<fieldset" in html and "<legend>" in html
    assert 'method="get"' in html
    assert "<script" not in html


def test_the_url_parameters_are_documented_in_the_api_docs_not_on_the_page(client, register):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[3] / "docs" / "api.md").read_text(encoding="utf-8")
    html = client.get(reverse("directory:search")).content.decode()
    for slug in ["0182", "kvinna", "man", "flicka", "pojke", "annan", "utsatt", "utovare"]:
        assert f"`{slug}`" in docs
        assert f"<code>{slug}</code>" not in html
    for vt in ViolenceType.objects.all():
        assert f"`{vt.key}`" in docs
        assert f'value="{vt.key}"' in html  # a radio button


def test_bad_parameters_give_a_swedish_error_not_a_crash(client, register):
    response = client.get(reverse("directory:search"), {"kommun": "9999", "alder": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rätta uppgifterna" in html
    assert "Kommunen finns inte i länet: 9999" in html and "Fyll i ett heltal." in html


def test_search_uses_few_queries(client, register, django_assert_max_num_queries):
    params = {"kommun": "0180", "alder": "30", "kon": "kvinna", "typ": "vinr", "roll": "utsatt"}
    # 8 for the search, 1 for the data version of the page cache (lagesbild/web/caching.py)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("directory:search"), params)
    assert response.status_code == 200


def test_the_public_search_page_is_cached_until_the_register_changes(
    client, register, django_assert_max_num_queries
):
    params = {"kommun": "0180", "alder": "30", "kon": "kvinna", "typ": "vinr", "roll": "utsatt"}
    url = reverse("directory:search")
    first = client.get(url, params)
    with django_assert_max_num_queries(1):  # the data version only
        again = client.get(url, params)
    assert again.content == first.content
    service = next(s for s in SupportService.objects.all() if s.name in first.content.decode())
    service.name = "Nytt namn efter ändring"
    service.save()  # a new history entry: a new version
    changed = client.get(url, params).content.decode()
    assert "Nytt namn efter ändring" in changed


def test_kvinna_without_age_is_an_adult_and_gets_no_youth_service(register):
    groups = _search("0182", sex="kvinna", typ="vinr", role="utsatt")
    flat = {s.key for g in groups for s in g.services}
    assert "stodcentrum-unga-brottsutsatta" not in flat  # up to 20 years
    assert "nacka-barn" not in flat
    assert "nacka-vuxna" in flat
    # with an age of 19 the youth service fits exactly
    flat19 = {s.key for g in _search("0182", age=19, sex="kvinna", typ="vinr") for s in g.services}
    assert "stodcentrum-unga-brottsutsatta" in flat19


def test_search_page_results_first_tel_links_and_nothing_local(client, register):
    url = reverse("directory:search")
    html = client.get(url + "?kommun=0182&alder=15&kon=flicka&typ=heder&roll=utsatt").content
    html = html.decode()
    assert html.index('id="resultat"') < html.index('<details class="search-panel"')
    assert '<details class="search-panel">' in html  # collapsed after a search
    assert 'href="tel:112"' in html
    assert 'href="tel:08465004' in html  # the municipality's (fictional) number
    assert "inte kontrollerats på över 12 månader" in html  # verified 2025-11-28
    assert "Parametrar i sökadressen" not in html  # moved to docs/api.md
    # by name as well as by code
    by_name = client.get(url + "?kommun=nacka&alder=15&kon=flicka&typ=heder&roll=utsatt")
    assert "4 verksamheter för Nacka" in by_name.content.decode()
    # Norrtälje has no local or agreement service for a man who buys sex: said plainly
    html = client.get(url + "?kommun=0188&alder=45&kon=man&typ=prostitution&roll=utovare")
    assert "Inget stöd i Norrtälje själv passar sökningen." in html.content.decode()
    unknown = client.get(url + "?kommun=Atlantis").content.decode()
    assert "Kommunen finns inte i länet: Atlantis" in unknown


def test_nothing_at_all_lists_the_national_lines(client, register):
    SupportService.objects.filter(key__in=["preventell"]).delete()
    html = client.get(
        reverse("directory:search") + "?kommun=0188&alder=45&kon=man&typ=prostitution&roll=utovare"
    ).content.decode()
    assert "Inget stöd i registret passar sökningen" in html
    assert "Nationella stödlinjer" in html and 'href="tel:020555666"' in html


def test_swedish_only_service_texts_are_marked_swedish_under_en(client, register):
    """The register's names, descriptions and opening hours exist only in Swedish: on /en/ they
    carry lang="sv" (WCAG 3.1.2); the page's own words stay English."""
    from lagesbild.reporting.tests.test_lang_sv import language_of

    query = "?kommun=0181&alder=35&kon=kvinna&typ=vinr&roll=utsatt"
    en = client.get("/en/stod/" + query).content.decode()
    sv = client.get("/stod/" + query).content.decode()
    service = SupportService.objects.get(key="sodertalje-vuxna")
    assert service.description
    assert language_of(en, service.description[:40]) == ["sv"]
    assert set(language_of(en, service.name)) == {"sv"}
    assert set(language_of(en, "Last checked")) == {"en"}
    assert language_of(sv, service.description[:40]) == ["sv"]
    with translation.override("en"):
        url = reverse("directory:service", args=[service.key])
    detail = client.get(url).content.decode()
    assert f'<h1 lang="sv">{service.name}</h1>' in detail
