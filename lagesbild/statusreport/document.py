"""The status report as plain data: one model, rendered by each format in ``render/``.

Nothing here touches the database or knows a format. ``build.report_build`` fills it from
selectors; ``render.html``/``docx``/``pdf``/``xlsx`` turn it into bytes. Texts are plain
strings except :attr:`Paragraph.html`, which holds already sanitised HTML from approved agency
submissions (``reporting.Submission.narrative``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Footnote:
    text: str


@dataclass
class Paragraph:
    """A paragraph of body text.

    ``key`` is stable across regenerations (``ind:S6.1:``, ``forord``…) so the coordinator's
    edits can be attached to it. ``generated`` is true when the text comes from the narrative
    generator or a draft and nobody has accepted or edited it yet.
    """

    text: str
    key: str = ""
    generated: bool = False
    editable: bool = False
    html: str | None = None  # sanitised HTML (approved submissions); text is its plain form
    footnotes: list[Footnote] = field(default_factory=list)
    style: str = ""  # "", "lead" (goal formulation), "note", "status"


@dataclass
class BulletList:
    items: list[str]
    key: str = ""
    generated: bool = False


@dataclass
class Cell:
    text: str
    header: bool = False
    level: int = 0  # indentation of a row header (sub-rows of a group)
    note: str = ""  # e.g. why a value is missing
    value: Decimal | None = None  # the figure behind ``text`` (for spreadsheets)
    decimals: int = 0
    qualifier: str = ""  # "minst"/"cirka" when ``value`` is a lower bound or approximate


@dataclass
class Table:
    id: str
    number: int
    caption: str  # without the "Tabell N." prefix
    source: str
    header_rows: list[list[Cell]]
    body_rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)
    sheet_name: str = ""
    landscape: bool = False  # printed on a landscape page (many columns)

    @property
    def label(self) -> str:
        return f"Tabell {self.number}."

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.header_rows + self.body_rows), default=0)


@dataclass
class Chart:
    id: str
    number: int
    title: str
    description: str  # text alternative
    table_id: str  # the table holding the chart's figures
    svg: bytes = b""
    png: bytes = b""
    unit: str = ""
    # the chart's figures as drawn (for the spreadsheet): periods and (label, values)
    periods: list[str] = field(default_factory=list)
    series: list[tuple[str, list[Decimal | None]]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"Diagram {self.number}."


Block = Paragraph | BulletList | Table | Chart


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = chapter; renderers map it to h2 / "Heading 1"
    id: str


@dataclass
class Section:
    title: str
    level: int  # 1 = top-level chapter
    id: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    in_toc: bool = True

    @property
    def heading(self) -> Heading:
        return Heading(self.title, self.level, self.id)

    def walk(self) -> Iterator[Section]:
        yield self
        for s in self.sections:
            yield from s.walk()


@dataclass
class Report:
    year: int
    title: str
    subtitle: str
    county: str
    publisher: str
    published_year: int
    strategy: str
    plan: str
    sections: list[Section] = field(default_factory=list)
    # the publication's own data (title page and colophon), from ReportMetadata
    report_number: str = ""
    isbn: str = ""
    contact: str = ""
    cover_credit: str = ""
    full_title: str = ""
    # the drafted summaries (key → text), also where a written summary is printed instead
    summary_drafts: dict[str, str] = field(default_factory=dict)

    @property
    def filename_stem(self) -> str:
        return f"lagesrapport-{self.year}"

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    def headings(self) -> list[str]:
        return [s.title for s in self.walk()]

    def tables(self) -> list[Table]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Chart)]

    def paragraphs(self) -> list[Paragraph]:
        return [b for s in self.walk() for b in s.blocks if isinstance(b, Paragraph)]
