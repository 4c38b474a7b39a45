"""Recipients on the new-round form: plain addresses, or an organisation named by its key or, for a
municipality, by its SCB code."""

import html
import re

import pytest
from django.test import Client

from lagesbild.core.models import Area
from lagesbild.surveys.models import SurveyRound

from .conftest import INDEX_FILE, SURVEY_FILE

NEW = "/enkat/hantera/ny-omgang/"


@pytest.fixture
def page(stockholm, coordinator):
    from lagesbild.surveys.loader import load_survey_file

    load_survey_file(SURVEY_FILE)
    load_survey_file(INDEX_FILE)
    c = Client()
    c.force_login(coordinator)
    return c


def form(recipients: str, **more) -> dict[str, str]:
    from lagesbild.surveys.models import Survey

    survey = Survey.objects.get(key="kommunenkat-forebyggande")
    return {
        "enkat": str(survey.pk),
        "titel": "Kommunenkät 2026",
        "period": "2026",
        "mottagare": recipients,
    } | more


def recipients(rnd: SurveyRound) -> dict[str, str]:
    return {r.organisation.key: r.email for r in rnd.respondents.exclude(organisation=None)}


def test_municipality_by_scb_code_and_organisation_by_key(page, mailoutbox):
    r = page.post(
        NEW,
        form(
            "0180 kvinnofrid@stockholm.example.se\n"
            "polisen registrator@polisen.example.se\n"
            "0114 samordnare@upplandsvasby.example.se"
        ),
    )
    assert r.status_code == 302, r.content.decode()
    rnd = SurveyRound.objects.get()
    assert recipients(rnd) == {
        "stockholms-stad": "kvinnofrid@stockholm.example.se",
        "polisen": "registrator@polisen.example.se",
        # a municipality without an organisation gets one, as with "all the county's municipalities"
        "kommun-0114": "samordnare@upplandsvasby.example.se",
    }
    assert len(mailoutbox) == 3


def test_kommun_and_scb_code_also_names_stockholm(page):
    """The key form municipality organisations are created with (kommun-<code>) works for all."""
    r = page.post(NEW, form("kommun-0180 kvinnofrid@stockholm.example.se"))
    assert r.status_code == 302, r.content.decode()
    assert recipients(SurveyRound.objects.get()) == {
        "stockholms-stad": "kvinnofrid@stockholm.example.se"
    }


def test_scb_code_gives_the_address_to_the_municipality_among_all_the_countys(page):
    county = Area.objects.get(code="01")
    r = page.post(
        NEW, form("0180 kvinnofrid@stockholm.example.se", lan=str(county.pk), kommuner="1")
    )
    assert r.status_code == 302, r.content.decode()
    rnd = SurveyRound.objects.get()
    assert rnd.respondents.count() == 26  # Stockholm once, with its address
    assert recipients(rnd)["stockholms-stad"] == "kvinnofrid@stockholm.example.se"


@pytest.mark.parametrize(
    "line, problem",
    [
        ("9999 a@example.se", "Rad 1: ingen kommun har koden &#x27;9999&#x27;."),
        ("okand-organisation a@example.se", "Organisationen &#x27;okand-organisation&#x27;"),
        ("0180 a@example.se\nstockholms-stad b@example.se", "Rad 2: Stockholms stad står redan"),
    ],
)
def test_unknown_or_repeated_organisation_opens_nothing(page, line, problem):
    r = page.post(NEW, form(line))
    assert r.status_code == 400
    assert problem in r.content.decode()
    assert not SurveyRound.objects.exists()


def test_the_help_texts_example_works(page):
    text = html.unescape(page.get(NEW).content.decode())
    examples = re.findall(r"'(\S+ \S+@\S+)'", text)
    assert any(e.startswith("0180 ") for e in examples), examples
    for example in examples:
        r = page.post(NEW, form(example, titel=f"Omgång för {example}"))
        assert r.status_code == 302, (example, r.content.decode())
