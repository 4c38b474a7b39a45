"""Writes for surveys: rounds, personal links, answers, closing, revisions, reminders, publishing.

Workflow rules:

* A round is open (`oppen`) or closed (`stangd`); the only move is open → closed, a conditional
  update. While open, a respondent may save drafts and submit through the personal link; a
  submitted response can be reopened by saving again until the round closes.
* Once closed, answers are frozen: the respondent's link shows them read-only. The coordinator
  may change an answer only as a revision with a reason (`response_revise`); the revision is kept
  and, when results are published, the published figures are revised with that reason.
"""

from __future__ import annotations

import hmac
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from lagesbild.core.models import Area, AreaLevel, Organisation, OrganisationKind
from lagesbild.indicators.models import ImportKind, ImportRun, Indicator
from lagesbild.indicators.services import ObservationInput, observation_upsert

from . import scoring
from .models import (
    CompositeIndex,
    Respondent,
    Response,
    ResponseRevision,
    ResponseState,
    RoundState,
    Survey,
    SurveyRound,
)

TOKEN_SALT = "lagesbild.surveys.respondent-link"
SYNTHETIC_DIMENSION = ("data", "syntetiska")

# The missing-answer rule as a reader reads it in an observation's note (never the rule key).
MISSING_RULE_WORDS = {"drop": "utesluta", "zero": "noll poäng", "reweight": "omviktning"}


class SurveyError(Exception):
    """A refused action, with a Swedish message for the user."""


# --- personal links ---------------------------------------------------------------------------


def respondent_token(respondent: Respondent) -> str:
    """The personal link's token: the random key plus an HMAC of it with the site's secret.

    The key alone (122 random bits) is unguessable; the HMAC means that someone who reads the
    database without the secret key still cannot build a working link.
    """
    key = respondent.key.hex
    mac = salted_hmac(TOKEN_SALT, key, algorithm="sha256").hexdigest()[:32]
    return f"{key}-{mac}"


def respondent_by_token(token: str) -> Respondent | None:
    """The respondent a token belongs to, or None for a malformed, forged or unknown token."""
    key, sep, mac = (token or "").partition("-")
    if not sep or len(key) != 32:
        return None
    try:
        parsed = uuid.UUID(hex=key)
    except ValueError:
        return None
    expected = salted_hmac(TOKEN_SALT, parsed.hex, algorithm="sha256").hexdigest()[:32]
    if not hmac.compare_digest(expected, mac):
        return None
    return (
        Respondent.objects.select_related("round__survey", "organisation")
        .filter(key=parsed)
        .first()
    )


def respondent_link(respondent: Respondent, base_url: str = "") -> str:
    from django.urls import reverse

    path = reverse("surveys:respond", args=[respondent_token(respondent)])
    return f"{base_url.rstrip('/')}{path}"


def _base_url(base_url: str | None) -> str:
    return base_url if base_url is not None else getattr(settings, "LAGESBILD_BASE_URL", "")


def municipality_organisation(*, area: Area) -> Organisation:
    """The municipality's organisation, created (key kommun-<code>) when missing."""
    org = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, area=area).first()
    if org is None:
        org, _ = Organisation.objects.get_or_create(
            key=f"kommun-{area.code}",
            defaults={
                "name": area.name,
                "short_name": area.name,
                "kind": OrganisationKind.MUNICIPALITY,
                "area": area,
            },
        )
    return org


def municipality_organisations(*, county: Area) -> list[Organisation]:
    """The county's municipalities as organisations, created (key kommun-<code>) when missing."""
    return [
        municipality_organisation(area=area)
        for area in Area.objects.filter(level=AreaLevel.MUNICIPALITY, parent=county).order_by(
            "code"
        )
    ]


MUNICIPALITY_CODE = re.compile(r"(?:kommun-)?(\d{4})")


def invitee_organisation(*, key: str) -> Organisation | None:
    """The organisation a recipient line names: by its key, or a municipality by its SCB code.

    "0180" (and "kommun-0180", the key municipality organisations are given when created here)
    name Stockholm whatever its organisation's key ("stockholms-stad"). None when neither an
    organisation nor a municipality matches.
    """
    org = Organisation.objects.filter(key=key).first()
    if org is not None:
        return org
    code = MUNICIPALITY_CODE.fullmatch(key)
    if code is None:
        return None
    area = Area.objects.filter(level=AreaLevel.MUNICIPALITY, code=code.group(1)).first()
    return municipality_organisation(area=area) if area is not None else None


# --- rounds -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Invitee:
    organisation: Organisation | None = None
    email: str = ""
    group: str = ""


def round_open(
    *,
    survey: Survey,
    title: str,
    period: str,
    invitees: Iterable[Invitee],
    user=None,
    area: Area | None = None,
    closes_on=None,
    synthetic: bool = False,
    send: bool = True,
    base_url: str | None = None,
) -> SurveyRound:
    """Open a round and give every invitee a personal link (e-mailed when an address is known)."""
    invitees = list(invitees)
    if not invitees:
        raise SurveyError("Omgången behöver minst en mottagare.")
    seen_org, seen_mail = set(), set()
    for inv in invitees:
        if inv.organisation is None and not inv.email:
            raise SurveyError("Varje mottagare behöver en organisation eller en e-postadress.")
        if inv.organisation is not None:
            if inv.organisation.pk in seen_org:
                raise SurveyError(f"{inv.organisation} finns två gånger bland mottagarna.")
            seen_org.add(inv.organisation.pk)
        if inv.email:
            if inv.email.lower() in seen_mail:
                raise SurveyError(f"{inv.email} finns två gånger bland mottagarna.")
            seen_mail.add(inv.email.lower())
    with transaction.atomic():
        rnd = SurveyRound.objects.create(
            survey=survey,
            title=title,
            period=period,
            area=area,
            closes_on=closes_on,
            synthetic=synthetic,
            created_by=user,
        )
        Respondent.objects.bulk_create(
            [
                Respondent(
                    round=rnd,
                    organisation=inv.organisation,
                    email=inv.email.lower(),
                    group=inv.group,
                )
                for inv in invitees
            ]
        )
    if send:
        _send(rnd, rnd.respondents.exclude(email=""), reminder=False, base_url=base_url)
    return rnd


def _message(rnd: SurveyRound, respondent: Respondent, *, reminder: bool, base_url: str):
    link = respondent_link(respondent, base_url)
    subject = ("Påminnelse: " if reminder else "") + f"{rnd.survey.title} – {rnd.title}"
    deadline = f"Sista svarsdag är {rnd.closes_on:%Y-%m-%d}.\n\n" if rnd.closes_on else ""
    who = f" för {respondent.organisation}" if respondent.organisation_id else ""
    body = (
        ("Vi har ännu inte fått ert svar. " if reminder else "")
        + f"Ni är inbjudna att besvara enkäten {rnd.survey.title}{who}.\n\n"
        + f"Er personliga länk (gäller bara den här omgången, dela den inte):\n{link}\n\n"
        + "Ni kan spara svaren som utkast och fortsätta senare via samma länk.\n"
        + deadline
        + "Länsstyrelsen"
    )
    return EmailMessage(subject, body, to=[respondent.email])


def _send(rnd, respondents, *, reminder: bool, base_url: str | None) -> int:
    base = _base_url(base_url)
    now = timezone.now()
    messages, sent = [], []
    for r in respondents:
        messages.append(_message(rnd, r, reminder=reminder, base_url=base))
        sent.append(r)
    if not messages:
        return 0
    with get_connection() as connection:
        connection.send_messages(messages)
    for r in sent:
        if reminder:
            r.reminders_sent += 1
            r.last_reminded_at = now
        else:
            r.invited_at = now
    fields = ["reminders_sent", "last_reminded_at"] if reminder else ["invited_at"]
    Respondent.objects.bulk_update(sent, fields)
    return len(messages)


def round_remind(*, round: SurveyRound, base_url: str | None = None) -> int:
    """One e-mail to each invitee who has an address and has not submitted; returns the count."""
    if not round.is_open:
        raise SurveyError("Omgången är stängd; påminnelser skickas bara under en öppen omgång.")
    pending = (
        round.respondents.exclude(email="")
        .exclude(response__state=ResponseState.SUBMITTED)
        .select_related("organisation")
    )
    return _send(round, pending, reminder=True, base_url=base_url)


def round_close(*, round: SurveyRound, user) -> SurveyRound:
    """Open → closed as a conditional update; afterwards answers are frozen."""
    updated = SurveyRound.objects.filter(pk=round.pk, state=RoundState.OPEN).update(
        state=RoundState.CLOSED, closed_at=timezone.now(), closed_by=user
    )
    if updated != 1:
        raise SurveyError("Omgången är redan stängd.")
    round.refresh_from_db()
    return round


# --- answers ----------------------------------------------------------------------------------


def clean_answers(spec, answers: Mapping[str, object]) -> dict[str, object]:
    """Keep only answers to questions that exist and are asked (conditions met), in order."""
    out: dict[str, object] = {}
    for q in spec.questions():
        if q.key in answers and not scoring.is_missing(answers[q.key]):
            if scoring.is_asked(q, out):
                out[q.key] = answers[q.key]
    return out


def unanswered_required(spec, answers: Mapping[str, object]) -> list:
    return [
        q
        for q in spec.questions()
        if q.required and scoring.is_asked(q, answers) and scoring.is_missing(answers.get(q.key))
    ]


def response_save(
    *, respondent: Respondent, answers: Mapping[str, object], submit: bool = False
) -> Response:
    """Save a draft (or submit) through the personal link; refused once the round is closed."""
    spec = respondent.round.survey.spec
    cleaned = clean_answers(spec, answers)
    if submit:
        missing = unanswered_required(spec, cleaned)
        if missing:
            raise SurveyError(
                "Svaren är sparade som utkast men kan inte skickas in: "
                + f"{len(missing)} obligatoriska frågor saknar svar."
            )
    with transaction.atomic():
        rnd = SurveyRound.objects.select_for_update().get(pk=respondent.round_id)
        if rnd.state != RoundState.OPEN:
            raise SurveyError("Omgången är stängd. Svaren kan inte längre ändras.")
        response, _ = Response.objects.select_for_update().get_or_create(respondent=respondent)
        response.answers = cleaned
        if submit:
            response.state = ResponseState.SUBMITTED
            response.submitted_at = timezone.now()
            response._change_reason = "Inskickad av svarande"
        else:
            response.state = ResponseState.DRAFT
            response._change_reason = "Utkast sparat av svarande"
        response.save()
    return response


def response_revise(
    *, response: Response, question: str, value, reason: str, user
) -> ResponseRevision:
    """Change one answer after the round has closed; the reason and old value are kept."""
    if not reason or not reason.strip():
        raise SurveyError("En ändring efter att omgången stängts måste ha ett skäl.")
    rnd = response.respondent.round
    if rnd.is_open:
        raise SurveyError("Omgången är öppen; svaren ändras av den svarande via sin länk.")
    spec = rnd.survey.spec
    if question not in {q.key for q in spec.questions()}:
        raise SurveyError(f"Frågan '{question}' finns inte i enkäten.")
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        answers = dict(response.answers)
        old = answers.get(question)
        answers[question] = value
        answers = clean_answers(spec, answers)
        response.answers = answers
        response._change_reason = f"Revidering: {reason.strip()}"
        response._history_user = user
        response.save()
        revision = ResponseRevision.objects.create(
            response=response,
            question=question,
            old_value=old,
            new_value=answers.get(question),
            reason=reason.strip(),
            user=user,
        )
        if rnd.results_published:
            for index in rnd.survey.indices.all():
                round_publish(
                    round=rnd, index=index, user=user, reason=f"Reviderat svar: {reason.strip()}"
                )
    return revision


# --- publishing -------------------------------------------------------------------------------

SUMMARY_VALUES = ("median", "medelvarde", "q1", "q3")


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("1e-10"))


@dataclass
class PublishResult:
    import_run: ImportRun
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def round_publish(
    *, round: SurveyRound, index: CompositeIndex, user=None, reason: str = ""
) -> PublishResult:
    """Write the round's index results as observations (provenance: the round).

    Per municipality (organisation with an area) the index and each category with a catalogue
    indicator; for the round's county the median, mean and quartiles (suppressed with fewer than
    three respondents); the index file's reference values (e.g. national averages). Only
    submitted responses count. Synthetic rounds carry the breakdown data=syntetiska so that
    they can never be mistaken for real figures.
    """
    from django.contrib.contenttypes.models import ContentType

    from .selectors import round_index_results

    if round.is_open:
        raise SurveyError("Stäng omgången innan resultaten publiceras.")
    spec = index.spec
    results = round_index_results(round=round, index=index)
    codes = {"total": spec.catalogue_indicator}
    codes.update({c.key: c.catalogue_indicator for c in spec.categories})
    codes.update({i.key: i.catalogue_indicator for c in spec.categories for i in c.indicators})
    codes = {k: v for k, v in codes.items() if v}
    indicators = {c.code: c for c in Indicator.objects.filter(code__in=codes.values())}
    unknown = sorted(set(codes.values()) - set(indicators))
    if unknown:
        raise SurveyError(
            "Indikatorerna finns inte i katalogen: " + ", ".join(unknown) + ". Läs in katalogen."
        )
    base: dict[str, str] = dict([SYNTHETIC_DIMENSION]) if round.synthetic else {}
    synthetic_note = "Syntetiska testdata, inte verkliga svar. " if round.synthetic else ""
    rule_word = MISSING_RULE_WORDS.get(spec.missing_rule, spec.missing_rule)
    rule_note = f"Regel för saknade svar: {rule_word} (se metodbeskrivningen). "
    with transaction.atomic():
        run = ImportRun.objects.create(
            kind=ImportKind.SURVEY,
            source=f"{round.survey.title}: {round.title}",
            file_name=index.file_name,
            sha256=index.sha256,
            user=user,
            content_type=ContentType.objects.get_for_model(SurveyRound),
            object_id=round.pk,
            summary={
                "index": index.key,
                "missing_rule": spec.missing_rule,
                "synthetic": round.synthetic,
                "respondents": results.submitted,
                "invited": results.invited,
            },
        )
        out = PublishResult(run)

        def write(data: ObservationInput):
            _obs, status = observation_upsert(data=data, import_run=run, user=user, reason=reason)
            setattr(out, status, getattr(out, status) + 1)

        for part, code in codes.items():
            indicator = indicators[code]
            for unit in results.units:
                if unit.area is None:
                    continue
                if unit.result is None:
                    value, missing = None, "Kommunen har inte skickat in något svar."
                else:
                    r = unit.result
                    value = r.value if part == "total" else r.part(part).value
                    missing = (
                        ""
                        if value is not None
                        else f"Ofullständiga svar; regeln {spec.missing_rule} ger inget värde."
                    )
                write(
                    ObservationInput(
                        indicator=indicator,
                        area=unit.area,
                        period=round.period,
                        breakdown=dict(base),
                        value=_quantize(value),
                        respondents=1 if unit.result is not None else 0,
                        missing_reason=missing,
                        source_ref=f"Enkät: {round.title}",
                        note=synthetic_note + (rule_note if unit.result is not None else ""),
                    )
                )
            if round.area is not None:
                dist = results.distribution(part)
                values = {
                    "median": dist.median,
                    "medelvarde": dist.mean,
                    "q1": dist.q1,
                    "q3": dist.q3,
                }
                for summary in SUMMARY_VALUES:
                    write(
                        ObservationInput(
                            indicator=indicator,
                            area=round.area,
                            period=round.period,
                            breakdown={**base, "summary": summary},
                            value=_quantize(values[summary]),
                            respondents=dist.n,
                            too_few_cases=dist.suppressed,
                            missing_reason=(
                                f"Färre än {scoring.MIN_RESPONDENTS} kommuner med värde."
                                if dist.suppressed
                                else ""
                            ),
                            source_ref=f"Enkät: {round.title}",
                            note=synthetic_note
                            + rule_note
                            + f"{dist.n} av {results.invited} inbjudna kommuner med värde.",
                        )
                    )
        ref_run = None
        for ref in spec.references:
            code = codes.get(ref.part)
            area = Area.objects.filter(code=ref.area).first()
            if not code or area is None:
                continue
            if ref_run is None:
                # Comparison values come from the publication the index file cites, not from
                # this round: their own provenance.
                ref_run = ImportRun.objects.create(
                    kind=ImportKind.IMPORT,
                    source=f"Referensvärden i indexfilen {index.file_name or index.key}",
                    file_name=index.file_name,
                    sha256=index.sha256,
                    user=user,
                    finished_at=timezone.now(),
                )
            observation_upsert(
                import_run=ref_run,
                user=user,
                data=ObservationInput(
                    indicator=indicators[code],
                    area=area,
                    period=ref.period,
                    breakdown={"summary": "medelvarde"},
                    value=ref.value,
                    source_ref=ref.source_ref,
                    note=ref.note,
                ),
            )
        SurveyRound.objects.filter(pk=round.pk).update(results_published=True)
        round.results_published = True
        run.finished_at = timezone.now()
        run.summary.update(created=out.created, updated=out.updated, unchanged=out.unchanged)
        run.save(update_fields=["finished_at", "summary"])
    return out
