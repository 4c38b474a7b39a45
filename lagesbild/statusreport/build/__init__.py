"""Selectors → document: one year's status report as a :class:`~..document.Report`.

``report_build(year=2025)`` reads everything through :func:`..selectors.report_data` and lays it
out as the published 2025 report does. Each part is built in one module: :mod:`.front` (title
data, foreword, method, use), :mod:`.goals` (a goal chapter: indicators, tables, charts,
drafted paragraphs), :mod:`.measures` (the action plan's measures), :mod:`.summary` (overall and
per-goal summaries, development areas) and :mod:`.appendix`. Nothing is Stockholm-specific.
"""

from __future__ import annotations

from lagesbild.statusreport.build.appendix import APPENDIX_TITLE, Appendix
from lagesbild.statusreport.build.base import BuilderBase, short_subject
from lagesbild.statusreport.build.front import FrontMatter
from lagesbild.statusreport.build.goals import COMMON_GROUP, NO_INDICATORS, GoalChapters
from lagesbild.statusreport.build.measures import NO_SUBMISSION, Measures
from lagesbild.statusreport.build.summary import Summary, summary_drafts
from lagesbild.statusreport.document import Report
from lagesbild.statusreport.selectors import ReportData, report_data

__all__ = [
    "APPENDIX_TITLE",
    "COMMON_GROUP",
    "NO_INDICATORS",
    "NO_SUBMISSION",
    "report_build",
    "short_subject",
    "summary_drafts",
]


class _Builder(FrontMatter, GoalChapters, Measures, Summary, Appendix, BuilderBase):
    def build(self) -> Report:
        report = self.report()
        report.sections = [
            self.foreword(),
            self.method(),
            self.use(),
            self.results(),
        ]
        report.sections.append(self.summary(report))  # after the chapters: reads their flags
        appendix = self.register_appendix()
        if appendix is not None:
            report.sections.append(appendix)
        return report


def report_build(
    *, year: int, chart_formats: tuple[str, ...] = ("svg", "png"), data: ReportData | None = None
) -> Report | None:
    """Build one year's report; ``None`` when no strategy is loaded."""
    data = data or report_data(year=year)
    if data is None:
        return None
    return _Builder(data, chart_formats).build()
