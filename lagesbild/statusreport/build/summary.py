"""The summary: an overall summary, and per goal a summary and the development areas.

Where the coordinator has written (or loaded) a goal's summary, it is printed; otherwise a
drafted summary of 3–6 sentences from the flags the goal chapter raised (worse than the national
median, worsening several years in a row, clear improvements, missing data, measures without
reports). The overall summary is drafted from the goals' flags the same way.
"""

from __future__ import annotations

from lagesbild.statusreport.build.base import text_paragraphs
from lagesbild.statusreport.document import BulletList, Paragraph, Report, Section
from lagesbild.statusreport.models import TextKind, text_key
from lagesbild.statusreport.narrative import join_list

SUMMARY_INTRO = (
    "Nedan sammanfattas utvecklingen med utgångspunkt i strategiindikatorerna och arbetet med de "
    "åtaganden i handlingsplanen som följs upp. Under varje mål lyfts de utvecklingsområden där "
    "det finns särskilda behov."
)
_MAX_NAMED = 3


def _names(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    if len(items) <= _MAX_NAMED:
        return join_list(items)
    return f"{', '.join(items[:_MAX_NAMED])} och {len(items) - _MAX_NAMED} till"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def goal_summary_sentences(
    *, flags: dict[str, list[str]], indicators: int, measures: int, year: int
) -> list[str]:
    """3–6 sentences from a goal's flags (see the module docstring)."""
    out = []
    if indicators or measures:
        parts = []
        if indicators:
            parts.append(
                f"{indicators} {'strategiindikator' if indicators == 1 else 'strategiindikatorer'}"
            )
        if measures:
            parts.append(f"{measures} {'åtagande' if measures == 1 else 'åtaganden'}")
        out.append(f"Inom målet följs {join_list(parts)} upp {year}.")
    else:
        out.append(f"Inom målet finns inga indikatorer eller åtaganden att följa upp {year}.")
    if flags.get("improved"):
        out.append(f"Utvecklingen går tydligt i önskad riktning för {_names(flags['improved'])}.")
    if flags.get("worse_than_median"):
        out.append(
            f"Länet ligger sämre till än medianen i riket för {_names(flags['worse_than_median'])}."
        )
    if flags.get("worsening"):
        out.append(
            "Utvecklingen har gått mot den önskade riktningen flera år i rad för "
            f"{_names(flags['worsening'])}."
        )
    if flags.get("missing"):
        out.append(f"Det saknas aktuella uppgifter om {_names(flags['missing'])}.")
    unreported = flags.get("unreported", [])
    if unreported:
        n = len(unreported)
        out.append(
            f"{_cap(_count(n, 'åtagande', 'åtaganden'))} av {measures} saknar rapportering "
            f"({join_list(unreported)})."
            if measures
            else ""
        )
    elif measures:
        out.append("Alla åtaganden som följs upp i år har rapporterats.")
    if len(out) < 3 and indicators:
        out.append(
            "Ingen indikator inom målet ligger sämre till än medianen i riket."
            if not flags.get("worse_than_median")
            else "Övriga indikatorer visar inga tydliga förändringar."
        )
    if len(out) < 3:
        out.append("Statistiken ger inga ytterligare signaler att ta ställning till.")
    return [s for s in out if s][:6]


def _count(n: int, one: str, many: str) -> str:
    words = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta"}
    return f"{words.get(n, str(n))} {one if n == 1 else many}"


def overall_sentences(goal_flags: dict[int, dict[str, list[str]]], goals: list) -> list[str]:
    def goals_with(flag: str) -> list[str]:
        return [f"{g.number}" for g in goals if goal_flags.get(g.number, {}).get(flag)]

    out = [f"Rapporten följer upp strategins {len(goals)} mål."]
    improved = goals_with("improved")
    if improved:
        out.append(f"Tydliga förbättringar syns inom mål {join_list(improved)}.")
    worse = goals_with("worse_than_median")
    if worse:
        out.append(
            f"Länet ligger sämre till än riket för minst en indikator inom mål {join_list(worse)}."
        )
    worsening = goals_with("worsening")
    if worsening:
        out.append(f"En försämring flera år i rad finns inom mål {join_list(worsening)}.")
    unreported = sum(len(goal_flags.get(g.number, {}).get("unreported", [])) for g in goals)
    if unreported:
        out.append(f"Rapportering saknas för {_count(unreported, 'åtagande', 'åtaganden')}.")
    if len(out) < 3:
        out.append("Statistiken ger inga ytterligare signaler att ta ställning till.")
    return out[:6]


class Summary:
    def goal_counts(self, goal) -> tuple[int, int]:
        inds = [
            i
            for i in self.d.indicators
            if i.goal_id == goal.pk and i.kind == "strategy" and not i.is_retired
        ]
        measures = [m for m in self.followed_up() if m.goal_id == goal.pk]
        return len(inds), len(measures)

    def goal_summary_draft(self, goal) -> str:
        indicators, measures = self.goal_counts(goal)
        return " ".join(
            goal_summary_sentences(
                flags=self.flags.get(goal.number, {}),
                indicators=indicators,
                measures=measures,
                year=self.year,
            )
        )

    def summary(self, report: Report) -> Section:
        drafts = report.summary_drafts
        drafts["sammanfattning:0"] = " ".join(overall_sentences(self.flags, self.d.goals))
        for goal in self.d.goals:
            drafts[f"sammanfattning:{goal.number}"] = self.goal_summary_draft(goal)
        sec = Section("Sammanfattning och utvecklingsområden", 1, "sammanfattning")
        overall = self.d.texts.get(text_key(TextKind.OVERALL_SUMMARY))
        if overall is not None and overall.text.strip():
            sec.blocks.extend(
                Paragraph(p, key="sammanfattning:0") for p in text_paragraphs(overall.text)
            )
        else:
            sec.blocks.append(Paragraph(SUMMARY_INTRO))
            sec.blocks.append(self.generated(drafts["sammanfattning:0"], "sammanfattning:0"))
        for goal in self.d.goals:
            gsec = Section(
                f"Mål {goal.number}: {goal.display_name}", 2, f"sammanfattning-mal-{goal.number}"
            )
            gsec.blocks.append(Paragraph(goal.display_formulation, style="lead"))
            t = self.d.texts.get(text_key(TextKind.SUMMARY, goal.number))
            if t is not None and t.text.strip():
                gsec.blocks.extend(
                    Paragraph(p, key=f"sammanfattning:{goal.number}")
                    for p in text_paragraphs(t.text)
                )
            else:
                key = f"sammanfattning:{goal.number}"
                gsec.blocks.append(self.generated(drafts[key], key))
            dev = self.d.texts.get(text_key(TextKind.DEVELOPMENT_AREAS, goal.number))
            if dev is not None and dev.text.strip():
                gsec.blocks.append(Paragraph("Utvecklingsområden:", style="label"))
                items = [
                    line.strip().lstrip("-•* ").strip()
                    for line in dev.text.splitlines()
                    if line.strip()
                ]
                gsec.blocks.append(BulletList(items, key=f"utvecklingsomraden:{goal.number}"))
            sec.sections.append(gsec)
        return sec


def summary_drafts(report: Report) -> dict[int, str]:
    """The drafted summary of each goal (goal number → text), for the edit form."""
    return {
        int(k.split(":")[1]): v for k, v in report.summary_drafts.items() if k != "sammanfattning:0"
    }
