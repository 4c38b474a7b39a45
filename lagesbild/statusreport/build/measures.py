"""The action plan's measures of one goal: responsible organisations, the approved follow-ups
(the agencies' own text and footnotes) and the figures reported for the measure."""

from __future__ import annotations

from collections import defaultdict

from lagesbild.core.numbers import get_unit
from lagesbild.indicators.models import IndicatorKind
from lagesbild.indicators.stats import period_range_label
from lagesbild.statusreport.build.base import html_paragraphs, period_key, slug
from lagesbild.statusreport.document import Cell, Footnote, Paragraph, Section, Table
from lagesbild.statusreport.narrative import join_list
from lagesbild.strategy.models import Frequency

NO_SUBMISSION = "Ingen rapportering har inkommit."


class Measures:
    def followed_up(self) -> list:
        d = self.d
        submitted = {sub.measure_id for sub in d.submissions}
        last_year = d.plan is not None and self.year >= d.plan.period_end
        return [
            m
            for m in d.measures
            if m.frequency == Frequency.ANNUAL or last_year or m.pk in submitted
        ]

    def _measure_lookups(self):
        if hasattr(self, "_lookups"):
            return self._lookups
        subs = defaultdict(list)
        for sub in self.d.submissions:
            subs[sub.measure_id].append(sub)
        indicators = defaultdict(list)
        for ind in self.d.indicators:
            if ind.kind == IndicatorKind.MEASURE:
                for m in ind.measures.all():
                    indicators[m.pk].append(ind)
        self._lookups = (subs, indicators)
        return self._lookups

    def measures_section(self, goal, measures) -> Section:
        subs, indicators = self._measure_lookups()
        msec = Section("Åtaganden i handlingsplanen", 3, f"mal-{goal.number}-ataganden")
        for m in measures:
            if not subs.get(m.pk):
                self.flags[goal.number]["unreported"].append(m.code)
            msec.sections.append(
                self.measure_section(m, subs.get(m.pk, []), indicators.get(m.pk, []))
            )
        return msec

    def measure_section(self, m, subs, indicators) -> Section:
        msec = Section(f"{m.code} {m.display_text}", 4, f"atgard-{slug(m.code)}", in_toc=False)
        responsible = [o.name for o in m.responsible.all()]
        msec.blocks.append(
            Paragraph(
                f"Ansvariga: {join_list(responsible) if responsible else m.responsible_text}.",
                style="status",
            )
        )
        if not subs:
            msec.blocks.append(Paragraph(NO_SUBMISSION, style="status"))
        for sub in subs:
            status = sub.get_implementation_status_display() if sub.implementation_status else ""
            head = sub.organisation.name + (f" – {status.lower()}" if status else "")
            msec.blocks.append(Paragraph(f"{head}.", style="status"))
            paras = html_paragraphs(sub.narrative or "")
            for i, (ptext, phtml) in enumerate(paras):
                notes = [Footnote(f) for f in (sub.footnotes or [])] if i == len(paras) - 1 else []
                msec.blocks.append(
                    Paragraph(ptext, html=phtml, footnotes=notes, key=f"rapport:{sub.pk}:{i}")
                )
        with_data = [(ind, self.series_of(ind)) for ind in indicators]
        with_data = [(ind, s) for ind, s in with_data if s]
        if with_data:
            msec.blocks.append(self.measure_table(m, with_data))
            for ind, series in with_data:
                p = self.indicator_paragraph(ind, series, min_points=2)
                if p is not None:
                    msec.blocks.append(p)
        return msec

    def measure_table(self, m, with_data) -> Table:
        periods = sorted({p for _i, ss in with_data for s in ss for p in s.points}, key=period_key)
        header = [[_head("Uppgift")] + [_head(p) for p in periods]]
        body, notes = [], []
        units = {ind.unit for ind, _s in with_data}
        for ind, series in with_data:
            unit = get_unit(ind.unit)
            name = ind.name.rstrip(".")
            if len(units) > 1 and ind.unit != "count":
                name += f" ({unit.label})"
            single = len(series) == 1 and not series[0].breakdown
            if single:
                row = [_head(name)]
                row += [self.cell(series[0].points.get(p), ind) for p in periods]
                body.append(row)
            else:
                body.append([_head(name)] + [_empty() for _p in periods])
                parents: set[tuple] = set()
                for s in series:
                    label, level = self.row_label(s, parents)
                    body.append(
                        [_head(label, level=level + 1)]
                        + [self.cell(s.points.get(p), ind) for p in periods]
                    )
            for s in series:
                for o in s.points.values():
                    if o.value is None and o.missing_reason:
                        notes.append(f"{name} {o.period}: {o.missing_reason.rstrip('.')}.")
            notes.extend(self.public_notes(o for s in series for o in s.points.values()))
            if self.period_notes(ind):
                notes.append(f"{name}: {self.period_notes(ind)}")
        sources = join_list(list(dict.fromkeys(ind.source for ind, _s in with_data)))
        caption = f"Redovisade uppgifter för åtagande {m.code}"
        if len(periods) > 1:
            caption += f", {period_range_label(periods[0], periods[-1])}"
        return self.new_table(caption + ".", sources, header, body, list(dict.fromkeys(notes)))


def _head(text: str, level: int = 0) -> Cell:
    return Cell(text, header=True, level=level)


def _empty() -> Cell:
    return Cell("")
