"""The walk-through as a new user does it, through the pages only.

1. The coordinator loads the survey and opens a round for the municipalities.
2. One municipality answers half, saves, comes back through its link, and submits.
3. The coordinator closes the round.
4. The index and its drill-down appear, and the county median is shown on the indicator page.
"""

import re
from urllib.parse import urlparse

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lagesbild.core.models import Area
from lagesbild.surveys.models import SurveyRound

from .conftest import FULL, INDEX_FILE, LOW, SURVEY_FILE


def form(answers, action):
    data = {action: "1"}
    for key, value in answers.items():
        data[f"q-{key}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def test_walkthrough(stockholm, coordinator, mailoutbox):
    c = Client()
    c.force_login(coordinator)

    # 1. load survey and index through the page, open a round for all the county's municipalities
    for path in (SURVEY_FILE, INDEX_FILE):
        upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/yaml")
        r = c.post("/enkat/hantera/", {"fil": upload}, follow=True)
        assert r.status_code == 200 and "är inläst" in r.content.decode()
    page = c.get("/enkat/hantera/ny-omgang/").content.decode()
    survey_id = re.search(r'<option value="(\d+)"[^>]*>Kommunenkät', page).group(1)
    county = Area.objects.get(code="01")
    r = c.post(
        "/enkat/hantera/ny-omgang/",
        {
            "enkat": survey_id,
            "titel": "Kommunenkät 2025",
            "period": "2025",
            "lan": str(county.pk),
            "kommuner": "1",
            "mottagare": "kommun-0114 samordnare@upplandsvasby.example.se\n"
            "stockholms-stad kvinnofrid@stockholm.example.se",
        },
    )
    assert r.status_code == 302
    rnd = SurveyRound.objects.get()
    assert rnd.respondents.count() == 26
    assert sorted(m.to[0] for m in mailoutbox) == [
        "kvinnofrid@stockholm.example.se",
        "samordnare@upplandsvasby.example.se",
    ]
    mail = next(m for m in mailoutbox if m.to == ["samordnare@upplandsvasby.example.se"])
    assert "Upplands Väsby" in mail.body
    link = re.search(r"https?://\S+/enkat/svar/\S+/", mail.body).group(0)
    round_page = c.get(f"/enkat/hantera/omgang/{rnd.pk}/").content.decode()
    assert "0 av 26 har skickat in" in round_page
    # the coordinator also sees the links of those without an address
    other_links = re.findall(r"<code>(http://testserver/enkat/svar/[^<]+)</code>", round_page)
    assert len(other_links) == 26

    # 2. Upplands Väsby answers half, saves, comes back through its link, submits
    municipality = Client()
    path = urlparse(link).path
    half = dict(list(FULL.items())[:9])
    assert municipality.post(path, form(half, "spara")).status_code == 302
    again = municipality.get(path).content.decode()
    assert "Utkast sparat" in again
    assert 'id="q-styrdokument-ja" name="q-styrdokument" value="ja" checked' in again
    assert municipality.post(path, form(FULL, "skicka")).status_code == 302
    assert "Svaren skickades in" in municipality.get(path).content.decode()
    # two more municipalities answer, so that the county median may be published (n ≥ 3)
    others = [urlparse(u).path for u in other_links if urlparse(u).path != path]
    for p, answers in zip(others[:2], (LOW, FULL), strict=True):
        assert Client().post(p, form(answers, "skicka")).status_code == 302
    round_page = c.get(f"/enkat/hantera/omgang/{rnd.pk}/").content.decode()
    assert "3 av 26 har skickat in" in round_page and "12 procent" in round_page

    # 3. close the round (answers freeze) and publish
    assert c.post(f"/enkat/hantera/omgang/{rnd.pk}/stang/").status_code == 302
    assert municipality.post(path, form(LOW, "skicka")).status_code == 409
    assert c.post(f"/enkat/hantera/omgang/{rnd.pk}/publicera/").status_code == 302

    # 4. the index and its drill-down appear for everybody, the county median on the indicator page
    public = Client()
    results = public.get(f"/enkat/resultat/{rnd.pk}/").content.decode()
    assert "Upplands Väsby" in results and "/kommun/0114/" in results
    drill = public.get(f"/enkat/resultat/{rnd.pk}/kommun/0114/").content.decode()
    assert "<strong>100</strong> av 100" in drill
    assert "Organisation och styrning" in drill and "Anställd samordnare eller strateg" in drill
    assert "Ja, minst en heltidstjänst" in drill
    indicator = public.get("/indikator/E1.1/").content.decode()
    row = indicator.split("Median bland kommunerna</th>")[1].split("</tr>")[0]
    assert "Stockholms län" in row and ">100<" in row  # median of 0, 100, 100
    assert public.get(f"/enkat/resultat/{rnd.pk}/kanslighet/").status_code == 200


def test_a_broken_file_is_named_as_the_coordinator_named_it(db, coordinator):
    """The upload is checked in a temporary file; every problem names the file that was sent."""
    c = Client()
    c.force_login(coordinator)
    upload = SimpleUploadedFile("min-enkat.yaml", b"survey: [inte avslutad\n")
    r = c.post("/enkat/hantera/", {"fil": upload})
    html = r.content.decode()
    assert r.status_code == 400
    assert "min-enkat.yaml rad 2: ogiltig YAML" in html
    assert "upload.yaml" not in html
