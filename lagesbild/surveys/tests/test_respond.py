"""Personal links: one response each and nothing else; drafts, submission, closed rounds frozen."""

import pytest
from django.contrib.auth import SESSION_KEY

from lagesbild.surveys import services
from lagesbild.surveys.models import Response, ResponseRevision, ResponseState

from .conftest import FULL, token_for


def form(answers):
    data = {}
    for key, value in answers.items():
        data[f"q-{key}"] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def url(token):
    return f"/enkat/svar/{token}/"


def test_link_shows_only_its_own_response(client, open_round):
    a = token_for(open_round, "kommun-0114")
    b = token_for(open_round, "kommun-0115")
    client.post(url(a), form({"styrdokument": "ja"}) | {"spara": "1"})
    client.post(url(b), form({"styrdokument": "nej"}) | {"spara": "1"})
    page = client.get(url(a)).content.decode()
    assert "Upplands Väsby" in page and "Vallentuna" not in page
    assert 'value="ja" checked' in page.replace("\n", " ").split('name="q-styrdokument"')[1][:40]
    answers = {
        r.respondent.organisation.key: r.answers["styrdokument"] for r in Response.objects.all()
    }
    assert answers == {"kommun-0114": "ja", "kommun-0115": "nej"}


def test_link_logs_nobody_in_and_opens_nothing_else(client, open_round):
    token = token_for(open_round, "kommun-0114")
    assert client.get(url(token)).status_code == 200
    assert SESSION_KEY not in client.session
    rnd = open_round.pk
    response = client.get(f"/enkat/hantera/omgang/{rnd}/")
    assert response.status_code == 302 and "/konto/logga-in/" in response["Location"]
    assert client.get(f"/enkat/resultat/{rnd}/").status_code == 404  # not published
    assert client.get("/enkat/hantera/").status_code == 302


@pytest.mark.parametrize(
    "bad",
    [
        "nonsense",
        "0" * 32 + "-" + "0" * 32,  # well-formed but unknown
    ],
)
def test_wrong_link_is_404(client, open_round, bad):
    assert client.get(url(bad)).status_code == 404
    assert client.post(url(bad), {"q-styrdokument": "ja", "spara": "1"}).status_code == 404
    assert Response.objects.count() == 0


def test_forged_link_with_right_key_but_wrong_mac_is_404(client, open_round):
    token = token_for(open_round, "kommun-0114")
    key, mac = token.split("-")
    forged = f"{key}-{'0' * len(mac)}"
    assert client.get(url(forged)).status_code == 404
    # a link from another round never opens this one
    other = services.round_open(
        survey=open_round.survey,
        title="Annan omgång",
        period="2026",
        invitees=[services.Invitee(email="x@example.se")],
        send=False,
    )
    other_token = services.respondent_token(other.respondents.get())
    page = client.get(url(other_token)).content.decode()
    assert "Annan omgång" in page and "Kommunenkät 2025" not in page


def test_draft_then_come_back_then_submit(client, open_round):
    token = token_for(open_round, "kommun-0114")
    half = dict(list(FULL.items())[:8])
    r = client.post(url(token), form(half) | {"spara": "1"})
    assert r.status_code == 302
    response = Response.objects.get()
    assert response.state == ResponseState.DRAFT and response.answers == half
    assert "Utkast sparat" in client.get(url(token)).content.decode()
    # submitting with required questions unanswered keeps the draft and names the questions
    r = client.post(url(token), form(half) | {"skicka": "1"})
    assert r.status_code == 400 and "obligatoriska frågor saknar svar" in r.content.decode()
    assert Response.objects.get().state == ResponseState.DRAFT
    r = client.post(url(token), form(FULL) | {"skicka": "1"})
    assert r.status_code == 302
    response = Response.objects.get()
    assert response.state == ResponseState.SUBMITTED and response.submitted_at
    assert response.answers == FULL


def test_invalid_answer_saves_nothing_and_says_which(client, open_round):
    token = token_for(open_round, "kommun-0114")
    r = client.post(url(token), {"q-styrdokument": "kanske", "spara": "1"})
    assert r.status_code == 400
    assert "Ogiltigt svarsalternativ" in r.content.decode()
    assert not Response.objects.exists()


def test_answers_to_questions_not_asked_are_dropped(client, open_round):
    token = token_for(open_round, "kommun-0114")
    client.post(
        url(token),
        {"q-styrdokument": "nej", "q-styrdokument-omraden": ["vinr"], "spara": "1"},
    )
    assert Response.objects.get().answers == {"styrdokument": "nej"}


def test_closed_round_is_frozen(client, open_round, coordinator):
    token = token_for(open_round, "kommun-0114")
    client.post(url(token), form(FULL) | {"skicka": "1"})
    services.round_close(round=open_round, user=coordinator)
    before = Response.objects.get().answers
    r = client.post(url(token), form({"styrdokument": "nej"}) | {"skicka": "1"})
    assert r.status_code == 409 and "Omgången är stängd" in r.content.decode()
    assert Response.objects.get().answers == before
    page = client.get(url(token)).content.decode()
    assert "låsta" in page and "disabled" in page and "Skicka in" not in page
    respondent = open_round.respondents.get(organisation__key="kommun-0114")
    with pytest.raises(services.SurveyError):
        services.response_save(respondent=respondent, answers={"styrdokument": "nej"})
    with pytest.raises(services.SurveyError):
        services.round_close(round=open_round, user=coordinator)  # closing twice is refused
    assert Response.objects.get().answers == before


def test_change_after_closing_is_a_revision_with_reason(open_round, coordinator):
    respondent = open_round.respondents.get(organisation__key="kommun-0114")
    response = services.response_save(respondent=respondent, answers=FULL, submit=True)
    with pytest.raises(services.SurveyError, match="öppen"):
        services.response_revise(
            response=response, question="styrdokument", value="nej", reason="x", user=coordinator
        )
    services.round_close(round=open_round, user=coordinator)
    with pytest.raises(services.SurveyError, match="skäl"):
        services.response_revise(
            response=response, question="styrdokument", value="nej", reason=" ", user=coordinator
        )
    services.response_revise(
        response=response,
        question="styrdokument",
        value="delvis",
        reason="Kommunen rättade sitt svar per telefon",
        user=coordinator,
    )
    response.refresh_from_db()
    assert response.answers["styrdokument"] == "delvis"
    rev = ResponseRevision.objects.get()
    assert (rev.old_value, rev.new_value, rev.user) == ("ja", "delvis", coordinator)
    assert rev.reason == "Kommunen rättade sitt svar per telefon"
    assert response.history.first().history_change_reason.startswith("Revidering:")


def test_reminders_one_email_per_person_not_to_those_who_submitted(open_round, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    respondent = open_round.respondents.get(organisation__key="kommun-0114")
    services.response_save(respondent=respondent, answers=FULL, submit=True)
    draft = open_round.respondents.get(organisation__key="kommun-0115")
    services.response_save(respondent=draft, answers={"styrdokument": "ja"})
    out = StringIO()
    call_command("survey_remind", str(open_round.pk), "--base-url", "https://x.se", stdout=out)
    assert "3 påminnelser" in out.getvalue()
    assert len(mailoutbox) == 3
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mailoutbox)
    recipients = sorted(m.to[0] for m in mailoutbox)
    assert "kontakt@kommun-0114.example.se" not in recipients
    for m in mailoutbox:
        r = open_round.respondents.get(email=m.to[0])
        assert services.respondent_link(r, "https://x.se") in m.body
        assert r.reminders_sent == 1
        assert m.subject.startswith("Påminnelse")


def test_invitations_are_sent_when_a_round_opens(survey, municipalities, mailoutbox):
    rnd = services.round_open(
        survey=survey,
        title="Runda",
        period="2025",
        invitees=[
            services.Invitee(email="a@example.se"),
            services.Invitee(organisation=municipalities[0]),  # no address: link via coordinator
        ],
        base_url="https://x.se",
    )
    assert [m.to for m in mailoutbox] == [["a@example.se"]]
    assert "/enkat/svar/" in mailoutbox[0].body
    assert rnd.respondents.filter(invited_at__isnull=False).count() == 1


def test_round_needs_unique_invitees(survey):
    with pytest.raises(services.SurveyError, match="två gånger"):
        services.round_open(
            survey=survey,
            title="R",
            period="2025",
            invitees=[services.Invitee(email="a@x.se"), services.Invitee(email="A@x.se")],
            send=False,
        )
