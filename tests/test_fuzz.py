"""Hostile input to every public view and form: no 500, on SQLite and on PostgreSQL.

Hypothesis draws strings (NUL, control characters, superscript digits, huge numbers, very long
values, SQL and HTML fragments, arbitrary Unicode) for every path part, query parameter and form
field. Each answer must be below 500. The example counts are small and derandomized, so the run
is short and repeatable; the API is fuzzed from its schema in lagesbild/api/tests.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

HOSTILE = [
    "\x00",
    "a\x00b",
    "²",
    "٣",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "=HYPERLINK(1)",
    "../../etc/passwd",
    "%00",
    "\u202e\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "x" * 5000,
    "2024-Q9",
    "0180-",
    " ",
]
hostile = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60),
)
FUZZ = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SKIP_PREFIXES = ("admin/", "api/", "i18n/")  # Django's admin; the API has its own fuzz test


def _patterns(resolvers=None, prefix=""):
    for p in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern).lstrip("^").rstrip("$")
        if isinstance(p, URLResolver):
            yield from _patterns(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


ROUTES = sorted(
    {
        r.replace("\\Z", "").replace("^", "")
        for r in _patterns()
        if not r.replace("^", "").startswith(SKIP_PREFIXES)
    }
)
PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


def _fill(route: str, value: str) -> str:
    def sub(match):
        kind = match.group(1) or "str"
        if kind == "int":
            return "".join(c for c in value if c.isascii() and c.isdigit())[:30] or "0"
        if kind == "slug":
            return re.sub(r"[^-a-zA-Z0-9_]", "", value) or "x"
        text = value.replace("/", "").replace("?", "").replace("#", "") or "x"
        return text

    return "/" + PARAM.sub(sub, route)


@pytest.fixture
def site(build, coordinator):
    build.indicator("S1", values={"2023": 10, "2024": "12.5"})
    return coordinator


def _ok(response, what):
    assert response.status_code < 500, f"{what} → {response.status_code}"


@given(value=hostile)
@FUZZ
def test_every_route_with_hostile_path_parts(site, value):
    client = Client()
    for route in ROUTES:
        if "<" not in route:
            continue
        url = _fill(route, value)
        _ok(client.get(url), url)


QUERY_PAGES = ["/", "/utforska/", "/stod/", "/indikator/S1/", "/indikator/S1/data.csv",
               "/indikator/S1/data.xlsx", "/rapport/", "/enkat/"]  # fmt: skip
QUERY_KEYS = ["mal", "vald", "indikator", "omrade", "uppdelning", "fran", "till", "separator",
              "kommun", "alder", "kon", "typ", "roll", "page", "nyckel", "q", "format"]  # fmt: skip


@given(value=hostile, key=st.sampled_from(QUERY_KEYS))
@FUZZ
def test_public_pages_with_hostile_query_parameters(site, value, key):
    client = Client()
    for page in QUERY_PAGES:
        _ok(
            client.get(
                page, {key: value, "indikator": "S1"} if key != "indikator" else {key: value}
            ),
            f"{page}?{key}",
        )


@given(value=hostile)
@FUZZ
def test_every_route_without_parameters_with_hostile_query(site, value):
    client = Client()
    for route in ROUTES:
        if "<" in route:
            continue
        _ok(client.get("/" + route, {"q": value, "mal": value}), route)


@given(username=hostile, password=hostile)
@FUZZ
def test_login_and_password_reset_forms(site, username, password):
    client = Client()
    _ok(client.post("/konto/logga-in/", {"username": username, "password": password}), "login")
    _ok(client.post("/konto/losenord/", {"email": username}), "password reset")


@given(value=hostile, field=st.sampled_from(
    ["name", "organiser_name", "phone", "address", "opening_hours", "web", "email", "key",
     "description", "note", "languages_text", "reason", "age_min", "provision"]))  # fmt: skip
@FUZZ
def test_register_form_with_hostile_fields(register_site, value, field):
    client, payload = register_site
    _ok(client.post("/stod/hantera/ny/", dict(payload, **{field: value})), f"create {field}")


@pytest.fixture
def register_site(coordinator):
    from lagesbild.core.models import Area
    from lagesbild.strategy.models import ViolenceType

    county = Area.objects.get_or_create(code="01", defaults={"name": "Län", "level": "county"})[0]
    vt = ViolenceType.objects.get_or_create(key="vald-i-nara", defaults={"name": "Våld"})[0]
    client = Client()
    client.force_login(coordinator)
    payload = {
        "key": "fuzz-verksamhet",
        "name": "Fuzz",
        "organiser_kind": "stat",
        "organiser_name": "Staten",
        "provision": "annan",
        "exposed_to": [vt.pk],
        "areas": [county.pk],
        "reason": "Test",
    }
    return client, payload


@given(value=hostile, field=st.sampled_from(["key", "name", "organiser_name", "phone", "address",
                                             "opening_hours", "web", "email", "verified_by",
                                             "areas", "age_min", "valid_from", "languages"]))  # fmt: skip
@FUZZ
def test_register_import_with_hostile_cells(register_site, value, field):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lagesbild.directory.tabular import COLUMNS, rows_to_csv

    client, payload = register_site
    row = dict.fromkeys(COLUMNS, "")
    row.update(key="fuzz-rad", name="Fuzz", organiser_kind="stat", organiser_name="Staten",
               provision="annan", exposed_to="vald-i-nara", areas="01")  # fmt: skip
    row[field] = value
    upload = SimpleUploadedFile("f.csv", rows_to_csv([row]))
    _ok(client.post("/stod/hantera/import/", {"file": upload, "reason": "Test"}), field)


def test_the_fuzzed_register_payloads_are_accepted_when_benign(register_site):
    """The fuzz starts from payloads that work, so each hostile value is what is tested."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lagesbild.directory.models import SupportService
    from lagesbild.directory.tabular import COLUMNS, rows_to_csv

    client, payload = register_site
    response = client.post("/stod/hantera/ny/", payload)
    assert response.status_code == 302, response.content.decode()[:3000]
    row = dict.fromkeys(COLUMNS, "")
    row.update(key="fuzz-rad", name="Fuzz", organiser_kind="stat", organiser_name="Staten",
               provision="annan", exposed_to="vald-i-nara", areas="01")  # fmt: skip
    upload = SimpleUploadedFile("f.csv", rows_to_csv([row]))
    response = client.post("/stod/hantera/import/", {"file": upload, "reason": "Test"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SupportService.objects.filter(key__in=["fuzz-verksamhet", "fuzz-rad"]).count() == 2


TEXT_COLUMNS = ["key", "name", "organiser_name", "phone", "web", "email", "address",
                "opening_hours", "verified_by"]  # fmt: skip


@pytest.mark.parametrize("column", TEXT_COLUMNS)
@pytest.mark.parametrize("kind", ["too-long", "nul"])
def test_register_import_checks_lengths_and_nul_before_the_database(register_site, column, kind):
    """The same 400 on SQLite and PostgreSQL (which would refuse the write with an error)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lagesbild.directory.models import SupportService
    from lagesbild.directory.tabular import COLUMNS, rows_to_csv

    client, _payload = register_site
    row = dict.fromkeys(COLUMNS, "")
    row.update(key="fuzz-rad", name="Fuzz", organiser_kind="stat", organiser_name="Staten",
               provision="annan", exposed_to="vald-i-nara", areas="01")  # fmt: skip
    row[column] = "a" * 600 if kind == "too-long" else "a\x00b"
    upload = SimpleUploadedFile("f.csv", rows_to_csv([row]))
    response = client.post("/stod/hantera/import/", {"file": upload, "reason": "Test"})
    assert response.status_code == 400
    assert not SupportService.objects.filter(key="fuzz-rad").exists()


@pytest.mark.parametrize("field", ["name", "organiser_name", "phone", "address", "opening_hours"])
def test_register_form_refuses_too_long_values(register_site, field):
    from lagesbild.directory.models import SupportService

    client, payload = register_site
    response = client.post("/stod/hantera/ny/", dict(payload, **{field: "a" * 600}))
    assert response.status_code == 200  # the form again, with the error
    assert "errorlist" in response.content.decode()
    assert not SupportService.objects.filter(key="fuzz-verksamhet").exists()
