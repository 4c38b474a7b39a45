"""The builder's common parts: series of an indicator, table rows and cells, drafted paragraphs.

Each part of the report is built in one module of this package (``front``, ``goals``,
``measures``, ``summary``, ``appendix``); they share this base. Nothing here queries the
database: everything comes from :class:`~lagesbild.statusreport.selectors.ReportData`.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags

from lagesbild.core.numbers import MISSING, format_number, get_unit
from lagesbild.indicators import labels
from lagesbild.indicators.models import Indicator, Observation, Statistic
from lagesbild.indicators.stats import period_sort_key
from lagesbild.statusreport.document import Cell, Footnote, Paragraph, Table
from lagesbild.statusreport.models import OverrideAction
from lagesbild.statusreport.narrative import SMALL_BASE, join_list
from lagesbild.statusreport.selectors import ReportData

_DEFINITE = {
    "andel": "andelen",
    "antal": "antalet",
    "antalet": "antalet",
    "andelen": "andelen",
    "medelvärde": "medelvärdet",
    "medelvärdet": "medelvärdet",
}
_UNIT_NOUN = {
    "percent": "andelen",
    "count": "antalet",
    "rate_per_100k": "antalet",
    "mean_0_10": "medelvärdet för",
}


@dataclass
class Series:
    indicator: Indicator
    breakdown: dict[str, str]
    breakdown_key: str
    statistic: str
    area_name: str
    points: dict[str, Observation]
    area_code: str = ""
    area_level: str = ""
    # the indicator has value series in more than one area (e.g. one per municipality): rows
    # name their area and the paragraph describes the distribution
    multi_area: bool = False

    @property
    def is_total(self) -> bool:
        return all(v == "totalt" for v in self.breakdown.values())


def period_key(period: str):
    return period_sort_key(period)


def short_subject(indicator: Indicator) -> str:
    """The subject of the indicator's sentences, in definite form and lower case: the
    configured ``short_name``, else derived from the name ("Antal kommuner …" → "antalet
    kommuner …")."""
    if indicator.short_name.strip():
        return indicator.short_name.strip()
    name = re.sub(r"\s*\(.*?\)\s*$", "", indicator.name.strip().rstrip("."))
    name = re.sub(r"\s+per år$", "", name)
    first, _sep, rest = name.partition(" ")
    if first.lower() in _DEFINITE:
        return f"{_DEFINITE[first.lower()]} {rest}".strip()
    noun = _UNIT_NOUN.get(indicator.unit, "värdet för")
    return f"{noun} {name[:1].lower()}{name[1:]}"


def count_labels(indicator: Indicator) -> tuple[str, str]:
    """Row labels for the counts behind a share: (numerator, denominator)."""
    name = indicator.name.lower()
    if "handlagd" in name and "personuppklaring" in name:
        return "Personuppklarade brott", "Handlagda brott"
    return "Antal i täljaren", "Antal i nämnaren"


def slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.replace(".", "-"))


_P_RE = re.compile(r"<p[^>]*>(.*?)</p>", re.S | re.I)


def html_paragraphs(html: str) -> list[tuple[str, str]]:
    """Split sanitised HTML into paragraphs: (plain text, inner HTML). Plain text → paragraphs."""
    html = html.strip()
    if not html:
        return []
    if "<" not in html:
        return [(p.strip(), "") for p in re.split(r"\n\s*\n", html) if p.strip()]
    found = _P_RE.findall(html)
    if not found:
        return [(strip_tags(html).strip(), html)]
    return [(strip_tags(p).strip(), p.strip()) for p in found if strip_tags(p).strip()]


def text_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


class BuilderBase:
    def __init__(self, data: ReportData, chart_formats: tuple[str, ...]) -> None:
        self.d = data
        self.year = data.year
        self.chart_formats = chart_formats
        self.table_no = 0
        self.chart_no = 0
        self.small_base = int(getattr(settings, "REPORT_SMALL_BASE", SMALL_BASE))
        self.vt_names = {
            i.violence_type.key: str(i.violence_type) for i in data.indicators if i.violence_type
        }
        self.vt_order = {
            i.violence_type.key: i.violence_type.sort_order
            for i in data.indicators
            if i.violence_type
        }
        self.flags: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.keys: set[str] = set()

    # -- drafted paragraphs ---------------------------------------------------------------------

    def _key(self, key: str) -> str:
        base, n = key, 2
        while key in self.keys:
            key, n = f"{base}#{n}", n + 1
        self.keys.add(key)
        return key

    def generated(self, text: str, key: str, footnotes: list[str] | None = None) -> Paragraph:
        """A drafted paragraph, or the coordinator's decision on it when there is one."""
        key = self._key(key)
        notes = [Footnote(f) for f in footnotes or []]
        override = self.d.overrides.get(key)
        if (
            override is not None
            and override.action == OverrideAction.ACCEPTED
            and override.draft.strip() != text.strip()
        ):
            # Accepted, but the figures have changed since (a revision, a new import): the new
            # draft is shown, marked as a draft again, never the old figures.
            override = None
        if override is not None:
            return Paragraph(
                override.text, key=key, generated=False, editable=True, footnotes=notes
            )
        return Paragraph(text, key=key, generated=True, editable=True, footnotes=notes)

    # -- series -----------------------------------------------------------------------------------

    def value_label(self, dim: str, value: str) -> str:
        """The configured label (labels.yaml, in the language the report is built in), else
        the generic Python default; violence types by their configured names."""
        if dim == "violence_type" and labels.configured_label(dim, value) is None:
            return self.vt_names.get(value, value)
        return labels.value_label(dim, value)

    @staticmethod
    def dimension_label(dim: str) -> str:
        return labels.dimension_label(dim)

    def series_of(self, indicator: Indicator) -> list[Series]:
        """Value and median series of an indicator, in the indicator's breakdown order."""
        dims = indicator.breakdowns or []

        def rank(d: str, v: str) -> tuple[int, str]:
            if v == "totalt":
                return (-1, v)
            if d == "violence_type":
                return (self.vt_order.get(v, 99), v)
            return labels.value_order(d, v)

        def order(o: Observation):
            parts = tuple(rank(d, o.breakdown.get(d, "")) for d in dims)
            return (parts, o.statistic != Statistic.VALUE, o.area.code)

        rows: OrderedDict[tuple, Series] = OrderedDict()
        for o in sorted(self.d.observations.get(indicator.pk, []), key=order):
            k = (o.area.code, o.breakdown_key, o.statistic)
            if k not in rows:
                rows[k] = Series(
                    indicator,
                    o.breakdown,
                    o.breakdown_key,
                    o.statistic,
                    o.area.name,
                    {},
                    area_code=o.area.code,
                    area_level=o.area.level,
                )
            rows[k].points[o.period] = o
        out = list(rows.values())
        areas = {s.area_code for s in out if s.statistic == Statistic.VALUE}
        for s in out:
            s.multi_area = len(areas) > 1
        return out

    def row_label(self, s: Series, parents: set[tuple]) -> tuple[str, int]:
        dims = s.indicator.breakdowns or list(s.breakdown)
        shown = [
            (d, s.breakdown[d]) for d in dims if d in s.breakdown and s.breakdown[d] != "totalt"
        ]
        if s.statistic == Statistic.MEDIAN:
            inner = ", ".join(self.value_label(d, v) for d, v in shown)
            return (f"Medianen i riket – {inner}" if inner else "Medianen i riket"), 0
        if not shown:
            return (s.area_name if not s.breakdown or s.multi_area else "Totalt"), 0
        prefix = tuple(shown[:-1])
        if prefix and prefix in parents:
            return self.value_label(*shown[-1]), len(prefix)
        parents.add(tuple(shown))
        return ", ".join(self.value_label(d, v) for d, v in shown), 0

    # -- cells and tables -----------------------------------------------------------------------

    def cell(self, obs: Observation | None, indicator: Indicator) -> Cell:
        if obs is None:
            return Cell("")
        if obs.value is None:
            text = "för få fall" if obs.too_few_cases else MISSING
            return Cell(text, note=obs.missing_reason)
        word = obs.qualifier_word
        text = format_number(obs.value, indicator.decimals)
        return Cell(
            f"{word} {text}" if word else text,
            value=obs.value,
            decimals=indicator.decimals,
            qualifier=word,
        )

    @staticmethod
    def count_cell(value) -> Cell:
        if value is None:
            return Cell("")
        return Cell(format_number(value, 0), value=value, decimals=0)

    def new_table(self, caption: str, source: str, header, body, notes) -> Table:
        self.table_no += 1
        return Table(
            id=f"tabell-{self.table_no}",
            number=self.table_no,
            caption=caption,
            source=source,
            header_rows=header,
            body_rows=body,
            notes=notes,
            sheet_name=f"Tabell {self.table_no}",
        )

    @staticmethod
    def period_notes(indicator: Indicator) -> str:
        """The notes of the indicator's membership in the report's plan (its notes for that
        plan period), when the public may read them; "" otherwise. The indicator is placed by
        the membership of the plan the report shows (``ReportData.indicators``), so another
        plan's notes never appear."""
        notes = (getattr(indicator, "period_notes", "") or "").strip()
        if not notes or getattr(indicator, "period_notes_audience", "public") != "public":
            return ""
        return notes if notes.endswith((".", "!", "?")) else notes + "."

    @staticmethod
    def public_notes(observations) -> list[str]:
        """The notes of these observations that the public may read, each once."""
        return list(dict.fromkeys(o.public_note for o in observations if o.public_note))

    def indicator_table(self, indicator: Indicator, series: list[Series]) -> Table:
        """The indicator's figures; a share with counts behind it gets rows for the counts
        (Mål 5: handled and cleared crimes next to the clearance rate)."""
        periods = sorted({p for s in series for p in s.points}, key=period_key)
        dims = indicator.breakdowns or []
        first = "/".join(self.dimension_label(d) for d in dims).capitalize() or "Område"
        header = [[Cell(first, header=True)] + [Cell(p, header=True) for p in periods]]
        body, notes, parents = [], [], set()
        num_label, den_label = count_labels(indicator)
        for s in series:
            label, level = self.row_label(s, parents)
            row = [Cell(label, header=True, level=level)]
            for p in periods:
                c = self.cell(s.points.get(p), indicator)
                row.append(c)
                if c.note:
                    notes.append(f"{label} {p}: {c.note.rstrip('.')}.")
            body.append(row)
            if s.statistic != Statistic.VALUE:
                continue
            for attr, count_label in (("denominator", den_label), ("numerator", num_label)):
                if any(getattr(o, attr) is not None for o in s.points.values()):
                    body.append(
                        [Cell(count_label, header=True, level=level + 1)]
                        + [
                            self.count_cell(getattr(s.points[p], attr) if p in s.points else None)
                            for p in periods
                        ]
                    )
        notes.extend(self.public_notes(o for s in series for o in s.points.values()))
        if period_notes := self.period_notes(indicator):
            notes.append(period_notes)
        unit = get_unit(indicator.unit)
        areas = join_list(
            list(dict.fromkeys(s.area_name for s in series if s.statistic == "value"))
        )
        caption = f"{indicator.name.rstrip('.')}. {unit.label.capitalize()}, {areas}."
        return self.new_table(caption, indicator.source, header, body, notes)
