"""Writes of the status report app: the coordinator's texts and decisions on drafted paragraphs."""

from __future__ import annotations

from django.db import transaction

from lagesbild.statusreport.models import OverrideAction, ParagraphOverride, ReportText


def report_text_save(
    *, year: int, kind: str, goal_number: int = 0, text: str, user
) -> ReportText | None:
    """Store (or, with empty text, remove) the foreword or a goal's summary/development areas."""
    text = text.replace("\r\n", "\n").strip()
    with transaction.atomic():
        if not text:
            ReportText.objects.filter(year=year, kind=kind, goal_number=goal_number).delete()
            return None
        obj, _created = ReportText.objects.update_or_create(
            year=year,
            kind=kind,
            goal_number=goal_number,
            defaults={"text": text, "updated_by": user},
        )
    return obj


def paragraph_decide(
    *, year: int, key: str, action: str, text: str, draft: str, user
) -> ParagraphOverride:
    """Accept, edit or replace a drafted paragraph; the decision survives regeneration."""
    if action not in OverrideAction.values:
        raise ValueError(f"Okänt beslut: {action!r}")
    text = (draft if action == OverrideAction.ACCEPTED else text).replace("\r\n", "\n").strip()
    if not text:
        raise ValueError("Stycket får inte vara tomt.")
    if action == OverrideAction.EDITED and text == draft.strip():
        action = OverrideAction.ACCEPTED
    obj, _created = ParagraphOverride.objects.update_or_create(
        year=year,
        key=key,
        defaults={"action": action, "text": text, "draft": draft, "updated_by": user},
    )
    return obj


def paragraph_reset(*, year: int, key: str) -> int:
    """Go back to the generated draft."""
    deleted, _ = ParagraphOverride.objects.filter(year=year, key=key).delete()
    return deleted


def paragraphs_accept(*, year: int, drafts: dict[str, str], user) -> int:
    """Accept several drafts at once (a whole section on the review page), in one transaction.
    ``drafts`` maps each paragraph key to the draft text the coordinator saw."""
    with transaction.atomic():
        for key, draft in drafts.items():
            paragraph_decide(
                year=year, key=key, action=OverrideAction.ACCEPTED, text="", draft=draft, user=user
            )
    return len(drafts)
