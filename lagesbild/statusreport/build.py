"""Selectors → document: one year's status report as a :class:`~.document.Report`.

``report_build(year=2025)`` reads everything through :func:`.selectors.report_data` (a fixed
handful of queries, independent of the number of indicators or measures) and lays it out as the
published 2025 report does: title page, foreword, contents, how the report was made and can be
used, one chapter per goal (strategy indicators by violence type with tables, charts against the
national median and drafted narrative; retired indicators; the action plan's measures with the
approved follow-ups), and a summary with development areas per goal.

Nothing is Stockholm-specific: names, sources and areas all come from the county's data.
"""

from __future__ import annotations

import re
from collections import OrderedDict, defaultdict
from dataclasses import dataclass

from django.utils.html import strip_tags

from lagesbild.core.numbers import MISSING, format_number, format_unit, get_unit, round_half_up
from lagesbild.directory.models import Provision
from lagesbild.directory.selectors import TARGETS as REGISTER_TARGETS
from lagesbild.indicators.charts import ChartLine, line_chart
from lagesbild.indicators.labels import DIMENSIONS, VALUES
from lagesbild.indicators.models import Indicator, IndicatorKind, Observation, Statistic
from lagesbild.indicators.presenters import to_point
from lagesbild.indicators.stats import (
    period_range_label,
    period_sort_key,
    trend,
)
from lagesbild.statusreport.document import (
    BulletList,
    Cell,
    Chart,
    Footnote,
    Paragraph,
    Report,
    Section,
    Table,
)
from lagesbild.statusreport.models import OverrideAction, TextKind, text_key
from lagesbild.statusreport.narrative import describe_series, join_list
from lagesbild.statusreport.selectors import ReportData, report_data
from lagesbild.strategy.models import Frequency

NO_SUBMISSION = "Ingen rapportering har inkommit."
NO_INDICATORS = "Inom detta mål saknas indikatorer för uppföljning."
NO_FLAGS = "Generatorn har inte hittat något att flagga för detta mål."
APPENDIX_TITLE = "Bilaga: Stöd per kommun"
# how the per-municipality appendix names each provision of the support register
REGISTER_PROVISIONS = ((Provision.OWN.value, "egen regi"), (Provision.AGREEMENT.value, "avtal"))
COMMON_GROUP = "Indikatorer för flera våldstyper"
_ORDINALS = {
    1: "första",
    2: "andra",
    3: "tredje",
    4: "fjärde",
    5: "femte",
    6: "sjätte",
    7: "sjunde",
    8: "åttonde",
    9: "nionde",
    10: "tionde",
}
_DEFINITE = {
    "andel": "Andelen",
    "antal": "Antalet",
    "antalet": "Antalet",
    "andelen": "Andelen",
    "medelvärde": "Medelvärdet",
    "medelvärdet": "Medelvärdet",
}
_UNIT_NOUN = {
    "percent": "Andelen",
    "count": "Antalet",
    "rate_per_100k": "Antalet",
    "mean_0_10": "Medelvärdet för",
}
USE_TEXT = (
    "Lägesrapporten är en årlig uppföljning av målsättningarna i strategin och de åtaganden som "
    "myndigheterna har förbundit sig till i handlingsplanen. Syftet är att ge en översikt av "
    "länets myndigheters arbete mot våldet, både på strategisk och operativ nivå, det gångna "
    "året."
)
USE_ITEMS = [
    "Synliggöra utvecklingsområden i det strategiska och operativa arbetet.",
    "Säkerställa att indikatorerna mäter det de ska mäta.",
    "Stödja arbete med ständiga förbättringar och göra det möjligt att omprioritera.",
    "Skapa en gemensam lägesbild som synliggör vinster med samverkan.",
    "Bidra till samsyn och delaktighet bland aktörer och/eller i samverkan.",
]
USE_AFTER = (
    "Resultaten kan användas för att kommunicera och visa vad aktörerna och myndigheterna i länet "
    "gör för att nå de strategiska målsättningarna och som underlag för vidare prioriteringar. "
    "Stycken som tagits fram automatiskt ur statistiken är utkast tills samordnaren har godkänt "
    "eller redigerat dem."
)


def report_build(
    *, year: int, chart_formats: tuple[str, ...] = ("svg", "png"), data: ReportData | None = None
) -> Report | None:
    """Build one year's report; ``None`` when no strategy is loaded."""
    data = data or report_data(year=year)
    if data is None:
        return None
    return _Builder(data, chart_formats).build()


# --- series and tables ---------------------------------------------------------------------------


@dataclass
class _Series:
    indicator: Indicator
    breakdown: dict[str, str]
    breakdown_key: str
    statistic: str
    area_name: str
    points: dict[str, Observation]
    area_code: str = ""
    # the indicator has value series in more than one area (e.g. one per municipality): rows and
    # drafted paragraphs then name their area, and paragraph keys carry the area code
    multi_area: bool = False


def _period_key(period: str):
    return period_sort_key(period)


def _definite_subject(indicator: Indicator) -> str:
    name = re.sub(r"\s*\(.*?\)\s*$", "", indicator.name.strip().rstrip("."))
    name = re.sub(r"\s+per år$", "", name)
    first, _sep, rest = name.partition(" ")
    if first.lower() in _DEFINITE:
        return f"{_DEFINITE[first.lower()]} {rest}".strip()
    noun = _UNIT_NOUN.get(indicator.unit, "Värdet för")
    return f"{noun} {name[:1].lower()}{name[1:]}"


class _Builder:
    def __init__(self, data: ReportData, chart_formats: tuple[str, ...]) -> None:
        self.d = data
        self.year = data.year
        self.chart_formats = chart_formats
        self.table_no = 0
        self.chart_no = 0
        self.vt_names = {
            i.violence_type.key: str(i.violence_type) for i in data.indicators if i.violence_type
        }
        self.vt_order = {
            i.violence_type.key: i.violence_type.sort_order
            for i in data.indicators
            if i.violence_type
        }
        self.flags: dict[int, list[str]] = defaultdict(list)  # goal number → flags
        self.keys: set[str] = set()

    # -- helpers --------------------------------------------------------------------------------

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

    def value_label(self, dim: str, value: str) -> str:
        if dim == "violence_type":
            return self.vt_names.get(value, value)
        label = VALUES.get(dim, {}).get(value)
        return str(label) if label is not None else value.replace("-", " ").capitalize()

    def series_of(self, indicator: Indicator) -> list[_Series]:
        """Value and median series of an indicator, in the indicator's breakdown order."""
        dims = indicator.breakdowns or []

        def rank(d: str, v: str) -> tuple[int, str]:
            if v == "totalt":
                return (-1, v)
            if d == "violence_type":
                return (self.vt_order.get(v, 99), v)
            known = list(VALUES.get(d, {}))
            return (known.index(v), v) if v in known else (99, v)

        def order(o: Observation):
            parts = tuple(rank(d, o.breakdown.get(d, "")) for d in dims)
            return (parts, o.statistic != Statistic.VALUE, o.area.code)

        rows: OrderedDict[tuple, _Series] = OrderedDict()
        for o in sorted(self.d.observations.get(indicator.pk, []), key=order):
            k = (o.area.code, o.breakdown_key, o.statistic)
            if k not in rows:
                rows[k] = _Series(
                    indicator,
                    o.breakdown,
                    o.breakdown_key,
                    o.statistic,
                    o.area.name,
                    {},
                    area_code=o.area.code,
                )
            rows[k].points[o.period] = o
        out = list(rows.values())
        areas = {s.area_code for s in out if s.statistic == Statistic.VALUE}
        for s in out:
            s.multi_area = len(areas) > 1
        return out

    def row_label(self, s: _Series, parents: set[tuple]) -> tuple[str, int]:
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

    def cell(self, obs: Observation | None, indicator: Indicator) -> Cell:
        if obs is None:
            return Cell("")
        if obs.value is None:
            text = "för få fall" if obs.too_few_cases else MISSING
            return Cell(text, note=obs.missing_reason)
        return Cell(
            format_number(obs.value, indicator.decimals),
            value=obs.value,
            decimals=indicator.decimals,
        )

    def new_table(self, key: str, caption: str, source: str, header, body, notes) -> Table:
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

    def indicator_table(self, indicator: Indicator, series: list[_Series]) -> Table:
        periods = sorted({p for s in series for p in s.points}, key=_period_key)
        dims = indicator.breakdowns or []
        first = "/".join(str(DIMENSIONS.get(d, d)) for d in dims).capitalize() or "Område"
        header = [[Cell(first, header=True)] + [Cell(p, header=True) for p in periods]]
        body, notes, parents = [], [], set()
        for s in series:
            label, level = self.row_label(s, parents)
            row = [Cell(label, header=True, level=level)]
            for p in periods:
                c = self.cell(s.points.get(p), indicator)
                row.append(c)
                if c.note:
                    notes.append(f"{label} {p}: {c.note.rstrip('.')}.")
            body.append(row)
        notes.extend(
            dict.fromkeys(o.note for s in series for o in s.points.values() if o.note).keys()
        )
        unit = get_unit(indicator.unit)
        areas = join_list(
            list(dict.fromkeys(s.area_name for s in series if s.statistic == "value"))
        )
        caption = f"{indicator.name.rstrip('.')}. {unit.label.capitalize()}, {areas}."
        return self.new_table(indicator.code, caption, indicator.source, header, body, notes)

    def chart(self, indicator: Indicator, series: list[_Series], table: Table) -> Chart | None:
        medians = {s.breakdown_key for s in series if s.statistic == Statistic.MEDIAN}
        if not medians:
            return None
        shown = [s for s in series if s.breakdown_key in medians]
        periods = sorted({p for s in shown for p in s.points}, key=_period_key)
        parents: set[tuple] = set()
        lines, parts = [], []
        for s in shown:
            label, _level = self.row_label(s, parents)
            if s.statistic == Statistic.VALUE and s.breakdown and label != s.area_name:
                label = f"{s.area_name} – {label}"
            lines.append(
                ChartLine(label, [s.points[p].value if p in s.points else None for p in periods])
            )
            values = [
                f"{p}: {format_unit(s.points[p].value, indicator.unit, indicator.decimals)}"
                for p in periods
                if p in s.points and s.points[p].value is not None
            ]
            if values:
                parts.append(f"{label}: " + ", ".join(values))
        self.chart_no += 1
        title = f"{indicator.name.rstrip('.')} – länet jämfört med medianen i riket"
        description = (
            f"Linjediagram. {'; '.join(parts)}. Samma uppgifter finns i tabell {table.number}."
        )
        unit = get_unit(indicator.unit)
        kwargs = dict(
            periods=periods,
            lines=lines,
            title=title,
            description=description,
            unit_label=unit.label,
            decimals=indicator.decimals,
            y_from_zero=indicator.unit != "mean_0_10",
        )
        return Chart(
            id=f"diagram-{self.chart_no}",
            number=self.chart_no,
            title=title,
            description=description,
            table_id=table.id,
            svg=line_chart(fmt="svg", **kwargs) if "svg" in self.chart_formats else b"",
            png=line_chart(fmt="png", **kwargs) if "png" in self.chart_formats else b"",
        )

    def narrative(self, indicator: Indicator, series: list[_Series], *, min_points: int = 1):
        """One drafted paragraph per value series (key ``ind:<code>:<breakdown>``)."""
        medians = {s.breakdown_key: s for s in series if s.statistic == Statistic.MEDIAN}
        subject = _definite_subject(indicator)
        denominator_noun = "handlagda brott" if "handlagda" in indicator.name.lower() else None
        parents: set[tuple] = set()
        out = []
        for s in series:
            if s.statistic != Statistic.VALUE:
                continue
            label, _level = self.row_label(s, set(parents))
            self.row_label(s, parents)
            revisions = [r for o in s.points.values() for r in self.d.revisions.get(o.pk, [])]
            if len(s.points) < min_points and not revisions:
                continue
            full = ", ".join(
                self.value_label(d, v) for d, v in s.breakdown.items() if v != "totalt"
            )
            points = [
                to_point(o) for o in sorted(s.points.values(), key=lambda o: _period_key(o.period))
            ]
            median = medians.get(s.breakdown_key)
            where = f" i {s.area_name}" if s.multi_area else ""
            text = describe_series(
                subject=f"{subject}{where} ({full.lower()})" if full else f"{subject}{where}",
                short_subject=subject.split()[0].lower(),
                unit=indicator.unit,
                decimals=indicator.decimals,
                points=points,
                direction=indicator.direction,
                median_points=[to_point(o) for o in median.points.values()] if median else None,
                small_number_threshold=indicator.small_number_threshold,
                revisions=revisions,
                denominator_noun=denominator_noun,
            )
            key = (
                f"ind:{indicator.code}:{s.area_code}:{s.breakdown_key}"
                if s.multi_area
                else f"ind:{indicator.code}:{s.breakdown_key}"
            )
            out.append(self.generated(text.text, key, footnotes=text.footnotes))
            if indicator.kind == IndicatorKind.STRATEGY:
                where_label = ", ".join(x for x in (s.area_name if s.multi_area else "", full) if x)
                self.collect_flags(indicator, s, points, median, where_label)
        return out

    def collect_flags(self, indicator, s: _Series, points, median, label: str) -> None:
        goal = indicator.goal.number if hasattr(indicator, "goal") else 0
        name = indicator.name.rstrip(".") + (f" ({label.lower()})" if label else "")
        t = trend(
            points,
            decimals=indicator.decimals,
            small_number_threshold=indicator.small_number_threshold,
        )
        unit = indicator.unit
        if median and t.latest is not None and indicator.direction in ("up", "down"):
            m = median.points.get(t.latest.period)
            if m is not None and m.value is not None:
                ours = round_half_up(t.latest.value, indicator.decimals)
                theirs = round_half_up(m.value, indicator.decimals)
                worse = ours < theirs if indicator.direction == "up" else ours > theirs
                if worse:
                    self.flags[goal].append(
                        f"Sämre än medianen i riket: {name}, "
                        f"{format_unit(ours, unit, indicator.decimals)} {t.latest.period} "
                        f"(medianen {format_unit(theirs, unit, indicator.decimals)})."
                    )
        n = t.consecutive_worsening(indicator.direction)
        if n >= 2:
            self.flags[goal].append(f"Försämring {n} år i rad: {name}.")
        if t.small_periods:
            self.flags[goal].append(f"För få fall: {name} ({join_list(list(t.small_periods))}).")
        if t.missing_periods:
            self.flags[goal].append(
                f"Uppgift saknas: {name} ({join_list(list(t.missing_periods))})."
            )

    # -- sections -------------------------------------------------------------------------------

    def build(self) -> Report:
        d = self.d
        s = d.strategy
        county = s.area.name
        report = Report(
            year=self.year,
            title=f"Lägesrapport {self.year}",
            subtitle=f"för {s.title[:1].lower()}{s.title[1:]}"
            + (f" och {d.plan.title[:1].lower()}{d.plan.title[1:]}" if d.plan else ""),
            county=county,
            publisher=s.owner.name,
            published_year=self.year + 1,
            strategy=s.title,
            plan=d.plan.title if d.plan else "",
        )
        report.sections = [
            self.foreword(),
            self.method(),
            self.use(),
            self.results(),
            self.summary(),
        ]
        appendix = self.register_appendix()
        if appendix is not None:
            report.sections.append(appendix)
        return report

    def paragraphs_of(self, text: str) -> list[str]:
        return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]

    def foreword(self) -> Section:
        sec = Section("Förord", 1, "forord")
        t = self.d.texts.get(text_key(TextKind.FOREWORD))
        if t is not None and t.text.strip():
            sec.blocks = [Paragraph(p, key="forord") for p in self.paragraphs_of(t.text)]
        else:
            sec.blocks = [
                Paragraph(
                    "Förordet har ännu inte skrivits.",
                    key="forord",
                    generated=True,
                )
            ]
        return sec

    def reported(self) -> tuple[list[str], list[str]]:
        orgs = list(dict.fromkeys(sub.organisation.name for sub in self.d.submissions))
        return orgs, sorted(orgs)

    def method(self) -> Section:
        d, s = self.d, self.d.strategy
        sec = Section("Hur lägesrapporten har tagits fram", 1, "hur-rapporten-tagits-fram")
        n = self.year - s.period_start + 1
        ordinal = _ORDINALS.get(n, f"{n}:e")
        p1 = (
            f"Lägesrapporten för {self.year} är den {ordinal} uppföljningen av {s.title} "
            f"(hädanefter kallad Strategin)."
        )
        if d.plan:
            p1 += f" Rapporten omfattar även uppföljningen av {d.plan.title} (hädanefter kallad Handlingsplanen)."
        sec.blocks.append(self.generated(p1, "metod:strategi"))
        spans: OrderedDict[str, list[str]] = OrderedDict()
        for ind in d.indicators:
            if ind.kind != IndicatorKind.STRATEGY:
                continue
            periods = [o.period for o in d.observations.get(ind.pk, []) if o.value is not None]
            if periods:
                spans.setdefault(ind.source, []).extend(periods)
        parts = []
        for source, periods in spans.items():
            ordered = sorted(set(periods), key=_period_key)
            parts.append(f"{source} ({period_range_label(ordered[0], ordered[-1])})")
        if parts:
            p2 = (
                "Strategiindikatorerna bygger på statistik från "
                + join_list(parts)
                + f". Tidsserierna redovisas från året innan strategin antogs ({d.first_period_year}) "
                f"till och med {self.year}, där uppgifter finns. Bara publicerade och granskade "
                "uppgifter ingår."
            )
            sec.blocks.append(self.generated(p2, "metod:kallor"))
        orgs, sorted_orgs = self.reported()
        if orgs:
            p3 = (
                f"De aktörer som rapporterat in resultat för handlingsplansåtaganden för "
                f"{self.year} års arbete är: {join_list(sorted_orgs)}. "
                "Endast rapporter som samordnaren har godkänt ingår."
            )
        else:
            p3 = f"Ingen aktör har ännu fått en rapport för {self.year} godkänd."
        sec.blocks.append(self.generated(p3, "metod:aktorer"))
        return sec

    def use(self) -> Section:
        sec = Section("Hur lägesrapporten kan användas", 1, "hur-rapporten-kan-anvandas")
        sec.blocks = [
            self.generated(USE_TEXT, "anvandning:1"),
            BulletList(USE_ITEMS),
            self.generated(USE_AFTER, "anvandning:2"),
        ]
        return sec

    def followed_up(self) -> list:
        d = self.d
        submitted = {sub.measure_id for sub in d.submissions}
        last_year = d.plan is not None and self.year >= d.plan.period_end
        return [
            m
            for m in d.measures
            if m.frequency == Frequency.ANNUAL or last_year or m.pk in submitted
        ]

    def results(self) -> Section:
        d = self.d
        sec = Section("Resultat – strategi och handlingsplan", 1, "resultat")
        measures = self.followed_up()
        annual = sum(1 for m in measures if m.frequency == Frequency.ANNUAL)
        extra = len(measures) - annual
        intro = (
            "Nedan redovisas en uppföljning av åtaganden i handlingsplanen, tillsammans med "
            "indikatorer för strategin utifrån målen. Under varje mål delas resultatet upp efter "
            f"strategins våldstyper. {self.year} följs {annual} åtaganden upp som ska följas upp "
            "årligen"
        )
        intro += (
            f", och {extra} som följs upp vid handlingsplanens slut men som redan rapporterats."
            if extra
            else "."
        )
        sec.blocks.append(self.generated(intro, "resultat:inledning"))
        by_goal_measures = defaultdict(list)
        for m in measures:
            by_goal_measures[m.goal_id].append(m)
        subs = defaultdict(list)
        for sub in d.submissions:
            subs[sub.measure_id].append(sub)
        measure_indicators = defaultdict(list)
        for ind in d.indicators:
            if ind.kind == IndicatorKind.MEASURE:
                for m in ind.measures.all():
                    measure_indicators[m.pk].append(ind)
        for goal in d.goals:
            gsec = Section(f"Mål {goal.number}: {goal.display_name}", 2, f"mal-{goal.number}")
            gsec.blocks.append(Paragraph(goal.display_formulation, style="lead"))
            indicators = [i for i in d.indicators if i.goal_id == goal.pk]
            for i in indicators:
                i.goal = goal  # avoid a lazy load per indicator
            active = [
                i for i in indicators if i.kind == IndicatorKind.STRATEGY and not i.is_retired
            ]
            if not active:
                gsec.blocks.append(Paragraph(NO_INDICATORS))
            groups: OrderedDict[str, list[Indicator]] = OrderedDict()
            for i in sorted(
                active, key=lambda i: i.violence_type.sort_order if i.violence_type else -1
            ):
                groups.setdefault(
                    str(i.violence_type) if i.violence_type else COMMON_GROUP, []
                ).append(i)
            for name, inds in groups.items():
                vsec = Section(name, 3, f"mal-{goal.number}-{_slug(name)}")
                for ind in inds:
                    vsec.sections.append(self.indicator_section(ind, goal.number))
                gsec.sections.append(vsec)
            retired = [i for i in indicators if i.is_retired and i.kind == IndicatorKind.STRATEGY]
            if retired:
                rsec = Section("Indikatorer som utgått", 3, f"mal-{goal.number}-utgatt")
                for ind in retired:
                    isec = Section(ind.name.rstrip("."), 4, f"ind-{_slug(ind.code)}", in_toc=False)
                    isec.blocks.append(Paragraph(ind.retired_reason or "Skälet har inte angetts."))
                    isec.blocks.append(
                        Paragraph(
                            f"Senaste år med data: {ind.last_data_year}."
                            if ind.last_data_year
                            else "Indikatorn har inga uppgifter.",
                            style="status",
                        )
                    )
                    rsec.sections.append(isec)
                gsec.sections.append(rsec)
            ms = by_goal_measures.get(goal.pk, [])
            if ms:
                msec = Section("Åtaganden i handlingsplanen", 3, f"mal-{goal.number}-ataganden")
                for m in ms:
                    msec.sections.append(
                        self.measure_section(
                            m, subs.get(m.pk, []), measure_indicators.get(m.pk, [])
                        )
                    )
                gsec.sections.append(msec)
            sec.sections.append(gsec)
        return sec

    def indicator_section(self, ind: Indicator, goal_number: int) -> Section:
        isec = Section(ind.name.rstrip("."), 4, f"ind-{_slug(ind.code)}", in_toc=False)
        series = self.series_of(ind)
        if not series:
            isec.blocks.append(
                self.generated(
                    f"Uppgifter saknas för perioden {self.d.first_period_year}–{self.year}.",
                    f"ind:{ind.code}:",
                )
            )
            self.flags[goal_number].append(
                f"Uppgift saknas: {ind.name.rstrip('.')} (inga uppgifter)."
            )
            return isec
        table = self.indicator_table(ind, series)
        isec.blocks.append(table)
        chart = self.chart(ind, series, table)
        if chart is not None:
            isec.blocks.append(chart)
        isec.blocks.extend(self.narrative(ind, series))
        return isec

    def measure_section(self, m, subs, indicators) -> Section:
        msec = Section(f"{m.code} {m.display_text}", 4, f"atgard-{_slug(m.code)}", in_toc=False)
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
            html = sub.narrative or ""
            paras = _html_paragraphs(html)
            for i, (ptext, phtml) in enumerate(paras):
                notes = [Footnote(f) for f in (sub.footnotes or [])] if i == len(paras) - 1 else []
                msec.blocks.append(Paragraph(ptext, html=phtml, footnotes=notes))
        with_data = [(ind, self.series_of(ind)) for ind in indicators]
        with_data = [(ind, s) for ind, s in with_data if s]
        if with_data:
            msec.blocks.append(self.measure_table(m, with_data))
            for ind, series in with_data:
                msec.blocks.extend(self.narrative(ind, series, min_points=2))
        return msec

    def measure_table(self, m, with_data) -> Table:
        periods = sorted({p for _i, ss in with_data for s in ss for p in s.points}, key=_period_key)
        header = [[Cell("Uppgift", header=True)] + [Cell(p, header=True) for p in periods]]
        body, notes = [], []
        units = {ind.unit for ind, _s in with_data}
        for ind, series in with_data:
            unit = get_unit(ind.unit)
            name = ind.name.rstrip(".")
            if len(units) > 1 and ind.unit != "count":
                name += f" ({unit.label})"
            single = len(series) == 1 and not series[0].breakdown
            if single:
                row = [Cell(name, header=True)]
                row += [self.cell(series[0].points.get(p), ind) for p in periods]
                body.append(row)
            else:
                body.append([Cell(name, header=True)] + [Cell("") for _p in periods])
                parents: set[tuple] = set()
                for s in series:
                    label, level = self.row_label(s, parents)
                    body.append(
                        [Cell(label, header=True, level=level + 1)]
                        + [self.cell(s.points.get(p), ind) for p in periods]
                    )
            for s in series:
                for o in s.points.values():
                    if o.value is None and o.missing_reason:
                        notes.append(f"{name} {o.period}: {o.missing_reason.rstrip('.')}.")
        sources = join_list(list(dict.fromkeys(ind.source for ind, _s in with_data)))
        caption = f"Redovisade uppgifter för åtagande {m.code}"
        if len(periods) > 1:
            caption += f", {period_range_label(periods[0], periods[-1])}"
        return self.new_table(f"m{m.code}", caption + ".", sources, header, body, notes)

    def summary(self) -> Section:
        sec = Section("Sammanfattning och utvecklingsområden", 1, "sammanfattning")
        sec.blocks.append(
            self.generated(
                "Nedan sammanfattas utvecklingen med utgångspunkt i strategiindikatorerna och "
                "arbetet med de åtaganden i handlingsplanen som följs upp. Under varje mål lyfts "
                "de utvecklingsområden där det finns särskilda behov.",
                "sammanfattning:inledning",
            )
        )
        for goal in self.d.goals:
            gsec = Section(
                f"Mål {goal.number}: {goal.display_name}", 2, f"sammanfattning-mal-{goal.number}"
            )
            gsec.blocks.append(Paragraph(goal.display_formulation, style="lead"))
            t = self.d.texts.get(text_key(TextKind.SUMMARY, goal.number))
            if t is not None and t.text.strip():
                gsec.blocks.extend(
                    Paragraph(p, key=f"sammanfattning:{goal.number}")
                    for p in self.paragraphs_of(t.text)
                )
            else:
                flags = self.flags.get(goal.number, [])
                gsec.blocks.append(
                    Paragraph(
                        "Utkast: punkter ur statistiken att ta ställning till."
                        if flags
                        else NO_FLAGS,
                        key=f"sammanfattning:{goal.number}",
                        generated=True,
                    )
                )
                if flags:
                    gsec.blocks.append(
                        BulletList(flags, key=f"sammanfattning:{goal.number}", generated=True)
                    )
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

    def register_appendix(self) -> Section | None:
        """Appendix: per municipality, the support behind the coverage figures, from the
        register snapshot that is their provenance (``RegisterSnapshot.coverage``)."""
        snap = self.d.register_snapshot
        if snap is None:
            return None
        on = f"{snap.as_of:%Y-%m-%d}"
        columns = [(vt, t) for vt in self.d.violence_types for t in REGISTER_TARGETS]
        header = [
            [Cell("Kommun", header=True)]
            + [
                Cell(f"{vt}, {self.value_label('target', t).lower()}", header=True)
                for vt, t in columns
            ]
        ]
        body = []
        for m in self.d.register_municipalities:
            cells = snap.coverage.get(m.code, {})
            row = [Cell(m.name, header=True)]
            for vt, t in columns:
                kinds = [
                    label
                    for provision, label in REGISTER_PROVISIONS
                    if cells.get(f"{vt.key}/{t}/{provision}")
                ]
                row.append(Cell(" och ".join(kinds) if kinds else MISSING))
            body.append(row)
        sec = Section(APPENDIX_TITLE, 1, "bilaga-stod-per-kommun")
        sec.blocks.append(
            self.generated(
                f"Tabellen visar vilket stöd till våldsutsatta barn och vuxna som varje kommun i "
                f"{self.d.strategy.area.name} har enligt stödregistret (Hänvisa utsatta rätt) per "
                f"{on}: i egen regi, genom avtal med andra kommuner (avtalssamverkan) eller inget "
                "(–). Det är underlaget för andelen kommuner som erbjuder stöd i rapportens "
                "resultatdel.",
                "bilaga:stod-per-kommun",
            )
        )
        sec.blocks.append(
            self.new_table(
                "stod-per-kommun",
                f"Stöd till våldsutsatta per kommun, våldstyp och målgrupp enligt stödregistret "
                f"per {on}.",
                f"Stödregistret per {on} (ögonblicksbild med {snap.service_count} verksamheter)",
                header,
                body,
                [
                    "Egen regi: kommunens egen verksamhet. Avtal: avtalssamverkan mellan kommuner "
                    "(till exempel Origo, Mikamottagningen, stödcentrum). –: inget stöd i registret.",
                    "Barn: verksamheter som tar emot personer under 18 år. Vuxna: verksamheter "
                    "utan övre åldersgräns.",
                    "Verksamheter som bara hänvisar till socialjour eller orosanmälan räknas inte.",
                ],
            )
        )
        return sec

    def draft_summary(self, goal_number: int) -> str:
        return "\n".join(f"- {f}" for f in self.flags.get(goal_number, []))


def summary_drafts(report: Report) -> dict[int, str]:
    """The generated flag list of each goal's summary, as text for the edit form."""
    out = {}
    for sec in report.walk():
        for b in sec.blocks:
            if isinstance(b, BulletList) and b.generated and b.key.startswith("sammanfattning:"):
                out[int(b.key.split(":")[1])] = "\n".join(f"- {i}" for i in b.items)
    return out


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text.replace(".", "-"))


_P_RE = re.compile(r"<p[^>]*>(.*?)</p>", re.S | re.I)


def _html_paragraphs(html: str) -> list[tuple[str, str]]:
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
