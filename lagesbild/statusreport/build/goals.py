"""The goal chapters: per goal, the strategy indicators by violence type (table, chart against
the national median, one drafted paragraph per indicator), the retired indicators, and the
action plan's measures (built by :mod:`.measures`)."""

from __future__ import annotations

from collections import OrderedDict, defaultdict

from lagesbild.core.numbers import format_unit, get_unit, round_half_up
from lagesbild.indicators.models import Indicator, IndicatorKind, Statistic
from lagesbild.indicators.presenters import to_point
from lagesbild.indicators.stats import change, trend
from lagesbild.statusreport.build.base import Series, period_key, short_subject, slug
from lagesbild.statusreport.document import Chart, Paragraph, Section, Table
from lagesbild.statusreport.narrative import Group, describe_distribution, describe_indicator

NO_INDICATORS = "Inom detta mål saknas indikatorer för uppföljning."
COMMON_GROUP = "Indikatorer för flera våldstyper"
# how much a share must move (procentenheter) to count as a clear change in the summary
CLEAR_CHANGE_PP = 3
_AREA_NOUNS = {
    "municipality": ("kommunerna", "kommuner"),
    "district": ("stadsdelarna", "stadsdelar"),
}


def group_label(builder, s: Series) -> str:
    """A breakdown series in running text: "flickor (åk 8 i grundskolan)"."""
    dims = s.indicator.breakdowns or list(s.breakdown)
    shown = [(d, s.breakdown[d]) for d in dims if s.breakdown.get(d, "totalt") != "totalt"]
    if not shown:
        return s.area_name
    words = [builder.value_label(d, v) for d, v in shown]
    words = [w[:1].lower() + w[1:] if not w[1:2].isupper() else w for w in words]
    last, rest = words[-1], words[:-1]
    return f"{last} ({', '.join(rest)})" if rest else last


class GoalChapters:
    def results(self) -> Section:
        d = self.d
        sec = Section("Resultat – strategi och handlingsplan", 1, "resultat")
        measures = self.followed_up()
        annual = sum(1 for m in measures if m.frequency == "annual")
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
        by_goal = defaultdict(list)
        for m in measures:
            by_goal[m.goal_id].append(m)
        for goal in d.goals:
            sec.sections.append(self.goal_chapter(goal, by_goal.get(goal.pk, [])))
        return sec

    def goal_chapter(self, goal, measures) -> Section:
        gsec = Section(f"Mål {goal.number}: {goal.display_name}", 2, f"mal-{goal.number}")
        gsec.blocks.append(Paragraph(goal.display_formulation, style="lead"))
        indicators = [i for i in self.d.indicators if i.goal_id == goal.pk]
        for i in indicators:
            i.goal = goal  # avoid a lazy load per indicator
        active = [i for i in indicators if i.kind == IndicatorKind.STRATEGY and not i.is_retired]
        if not active:
            gsec.blocks.append(Paragraph(NO_INDICATORS))
        groups: OrderedDict[str, list[Indicator]] = OrderedDict()
        for i in sorted(
            active, key=lambda i: i.violence_type.sort_order if i.violence_type else -1
        ):
            groups.setdefault(str(i.violence_type) if i.violence_type else COMMON_GROUP, []).append(
                i
            )
        for name, inds in groups.items():
            vsec = Section(name, 3, f"mal-{goal.number}-{slug(name)}")
            for ind in inds:
                vsec.sections.append(self.indicator_section(ind, goal.number))
            gsec.sections.append(vsec)
        retired = [i for i in indicators if i.is_retired and i.kind == IndicatorKind.STRATEGY]
        if retired:
            gsec.sections.append(self.retired_section(goal, retired))
        if measures:
            gsec.sections.append(self.measures_section(goal, measures))
        return gsec

    def retired_section(self, goal, retired) -> Section:
        rsec = Section("Indikatorer som utgått", 3, f"mal-{goal.number}-utgatt")
        for ind in retired:
            isec = Section(ind.name.rstrip("."), 4, f"ind-{slug(ind.code)}", in_toc=False)
            isec.blocks.append(Paragraph(ind.retired_reason or "Skälet har inte angetts."))
            if notes := self.period_notes(ind):
                isec.blocks.append(Paragraph(notes, style="status"))
            isec.blocks.append(
                Paragraph(
                    f"Senaste år med data: {ind.last_data_year}."
                    if ind.last_data_year
                    else "Indikatorn har inga uppgifter.",
                    style="status",
                )
            )
            rsec.sections.append(isec)
        return rsec

    def indicator_section(self, ind: Indicator, goal_number: int) -> Section:
        isec = Section(ind.name.rstrip("."), 4, f"ind-{slug(ind.code)}", in_toc=False)
        series = self.series_of(ind)
        if not series:
            subject = short_subject(ind)
            isec.blocks.append(
                self.generated(
                    f"Det finns inga uppgifter om {subject} för perioden "
                    f"{self.d.first_period_year}–{self.year}.",
                    f"ind:{ind.code}",
                )
            )
            self.flags[goal_number]["missing"].append(subject)
            if notes := self.period_notes(ind):
                isec.blocks.append(Paragraph(notes, style="status"))
            return isec
        table = self.indicator_table(ind, series)
        isec.blocks.append(table)
        chart = self.chart(ind, series, table)
        if chart is not None:
            isec.blocks.append(chart)
        paragraph = self.indicator_paragraph(ind, series)
        if paragraph is not None:
            isec.blocks.append(paragraph)
        return isec

    # -- the drafted paragraph --------------------------------------------------------------------

    def main_series(self, series: list[Series]) -> tuple[Series | None, list[Series]]:
        """The total (or the single series) and the groups to compare with each other."""
        values = [s for s in series if s.statistic == Statistic.VALUE]
        totals = [s for s in values if s.is_total]
        main = totals[0] if len(totals) == 1 else None
        rest = [s for s in values if s is not main]
        # compare the first breakdown level (school levels), else subtotals of the last
        # dimensions (e.g. every provision together), else the leaves
        dims = values[0].indicator.breakdowns if values else []
        if dims and len(dims) > 1:
            top = [
                s
                for s in rest
                if s.breakdown.get(dims[0], "totalt") != "totalt"
                and all(s.breakdown.get(d, "totalt") == "totalt" for d in dims[1:])
            ]
            if len(top) >= 2:
                return main, top
            for d in reversed(dims[1:]):
                sub = [s for s in rest if s.breakdown.get(d) == "totalt"]
                if len(sub) >= 2:
                    rest = sub
        return main, rest

    def indicator_paragraph(self, ind: Indicator, series: list[Series], *, min_points: int = 1):
        values = [s for s in series if s.statistic == Statistic.VALUE]
        if not values:
            return None
        subject = short_subject(ind)
        key = f"ind:{ind.code}"
        if values[0].multi_area and len(values) > 2:
            text = describe_distribution(
                subject=subject,
                unit=ind.unit,
                decimals=ind.decimals,
                direction=ind.direction,
                area_noun=_AREA_NOUNS.get(values[0].area_level, ("områdena", "områden")),
                series=[Group(s.area_name, self.points(s)) for s in values],
                small_base=self.small_base,
            )
            return self.generated(text.text, key, footnotes=text.footnotes)
        main, rest = self.main_series(series)
        if main is None and len(values) == 1:
            main, rest = values[0], []
        if ind.kind == IndicatorKind.MEASURE:
            # a measure's figures stand beside the agency's own text: the level and change of
            # a single series, no comparison of its parts
            if main is None:
                return None
            rest = []
        if main is not None and len(main.points) < min_points:
            return None
        medians = {s.breakdown_key: s for s in series if s.statistic == Statistic.MEDIAN}
        median = medians.get(main.breakdown_key) if main is not None else None
        revisions = [
            r for s in values for o in s.points.values() for r in self.d.revisions.get(o.pk, [])
        ]
        text = describe_indicator(
            subject=subject,
            unit=ind.unit,
            decimals=ind.decimals,
            direction=ind.direction,
            area=main.area_name if main is not None else "",
            points=self.points(main) if main is not None else None,
            median_points=self.points(median) if median is not None else None,
            groups=[Group(group_label(self, s), self.points(s), s.breakdown) for s in rest],
            small_number_threshold=ind.small_number_threshold,
            small_base=self.small_base,
            revisions=[r for r in revisions if main is not None and r.period in main.points]
            or None,
            denominator_noun="handlagda brott" if "handlagda" in ind.name.lower() else None,
        )
        if ind.kind == IndicatorKind.STRATEGY:
            self.collect_flags(ind, values, median if main is not None else None, main)
        return self.generated(text.text, key, footnotes=text.footnotes)

    @staticmethod
    def points(s: Series):
        return [to_point(o) for o in sorted(s.points.values(), key=lambda o: period_key(o.period))]

    def collect_flags(self, ind: Indicator, values: list[Series], median, main) -> None:
        goal = ind.goal.number
        subject = short_subject(ind)
        flags = self.flags[goal]
        checked = [main] if main is not None else values
        latest_periods = {p for s in values for p in s.points}
        expected = max(latest_periods, key=period_key) if latest_periods else None
        for s in checked:
            pts = self.points(s)
            t = trend(pts, decimals=ind.decimals, small_number_threshold=ind.small_number_threshold)
            if t.latest is None:
                continue
            if median is not None and ind.direction in ("up", "down"):
                m = median.points.get(t.latest.period)
                if m is not None and m.value is not None:
                    ours = round_half_up(t.latest.value, ind.decimals)
                    theirs = round_half_up(m.value, ind.decimals)
                    if (ours < theirs) if ind.direction == "up" else (ours > theirs):
                        flags["worse_than_median"].append(subject)
            # a lower bound or approximate value is not compared as if it were exact
            qualified = t.change_is_qualified
            n = 0 if qualified else t.consecutive_worsening(ind.direction)
            if n >= 2:
                flags["worsening"].append(subject)
            if t.previous is not None and ind.direction in ("up", "down") and not qualified:
                c = change(t.previous, t.latest, ind.unit, ind.decimals)
                size = abs(c.absolute)
                clear = (
                    size >= CLEAR_CHANGE_PP
                    if ind.unit == "percent"
                    else (c.relative_percent is not None and abs(c.relative_percent) >= 10)
                )
                if c.direction == ind.direction and clear:
                    flags["improved"].append(subject)
            if expected and t.latest.period != expected:
                flags["missing"].append(subject)
            break

    # -- chart ----------------------------------------------------------------------------------

    def chart(self, indicator: Indicator, series: list[Series], table: Table) -> Chart | None:
        from lagesbild.statusreport.charts import ChartSeries, report_chart

        medians = {s.breakdown_key for s in series if s.statistic == Statistic.MEDIAN}
        if medians:
            shown = [s for s in series if s.breakdown_key in medians]
        elif "diagram" in (indicator.report_ref or "").lower():
            # the published report has a chart of this indicator: the total and its groups
            main, rest = self.main_series(series)
            shown = ([main] if main is not None else []) + rest
        else:
            return None
        shown = [s for s in shown if any(o.value is not None for o in s.points.values())]
        if not shown:
            return None
        shown.sort(key=lambda s: s.statistic == Statistic.MEDIAN)
        periods = sorted({p for s in shown for p in s.points}, key=period_key)
        parents: set[tuple] = set()
        lines, parts = [], []
        for s in shown:
            label, _level = self.row_label(s, parents)
            if s.statistic == Statistic.VALUE and s.breakdown and label != s.area_name:
                label = f"{s.area_name} – {label}"
            lines.append(
                ChartSeries(
                    label,
                    [s.points[p].value if p in s.points else None for p in periods],
                    median=s.statistic == Statistic.MEDIAN,
                )
            )
            values = [
                f"{p}: {format_unit(s.points[p].value, indicator.unit, indicator.decimals)}"
                for p in periods
                if p in s.points and s.points[p].value is not None
            ]
            if values:
                parts.append(f"{label}: " + ", ".join(values))
        self.chart_no += 1
        subject = short_subject(indicator)
        title = f"{subject[:1].upper()}{subject[1:]}" + (
            " jämfört med medianen i riket" if medians else ""
        )
        kind = "Stapeldiagram" if len(periods) == 1 else "Linjediagram"
        description = f"{kind}. {'; '.join(parts)}. Samma uppgifter finns i tabell {table.number}."
        unit = get_unit(indicator.unit)
        kwargs = dict(
            periods=periods,
            series=lines,
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
            svg=report_chart(fmt="svg", **kwargs) if "svg" in self.chart_formats else b"",
            png=report_chart(fmt="png", **kwargs) if "png" in self.chart_formats else b"",
            unit=unit.label,
            periods=periods,
            series=[(line.label, line.values) for line in lines],
        )
