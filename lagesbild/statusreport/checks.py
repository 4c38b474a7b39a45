"""The report check: what a drafted report must never contain, counted over a built report.

``report_check(document, data)`` returns a :class:`CheckResult` with one list per rule (each
entry names the paragraph key and the offending text); a report is fit for review when every
list is empty. The suite runs it over the demo's 2025 report (``test_report_check.py``) and the
review page shows the spelling findings to the coordinator.

Rules: no sentence on synthetic or demo-marked data; no internal note; no "sedan <the series'
first period>"; no relative change in procent on a base under the threshold; no subjectless
sentence; no unknown word in generated text; at most three sentences per generated paragraph
(a goal summary: three to six).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lagesbild.statusreport.document import BulletList, Paragraph, Report, Table

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9])")
_SYNTHETIC = re.compile(r"syntetisk|demodata|påhittad|testdata", re.I)
_SINCE = re.compile(r"\bsedan (\d{4}(?:/\d{4})?)\b")
_RELATIVE = re.compile(r"från ([\d  ]+)\b[^.]*?\(([\d  ]+|mindre än 1) procent\)")
# telegraphic openings that leave out what the sentence is about
_SUBJECTLESS = re.compile(
    r"^(Uppgift saknas|Uppgifter saknas|Värdet för|Saknas|Ökade|Minskade|Låg kvar|Var \d)",
)


def sentences(text: str) -> list[str]:
    """Split running text into sentences (a full stop followed by a capital or a digit)."""
    # "5 år 2025." ends a sentence; "t.ex." and "bl.a." do not occur in generated text
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


@dataclass
class CheckResult:
    synthetic: list[str] = field(default_factory=list)
    internal_notes: list[str] = field(default_factory=list)
    since_first_period: list[str] = field(default_factory=list)
    relative_on_small_base: list[str] = field(default_factory=list)
    subjectless: list[str] = field(default_factory=list)
    unknown_words: list[str] = field(default_factory=list)
    too_long: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(getattr(self, f) for f in self.__dataclass_fields__)


def _texts(document: Report):
    """(key, text, generated) of every paragraph, list item, footnote and table note."""
    for sec in document.walk():
        yield sec.id, sec.title, False
        for b in sec.blocks:
            if isinstance(b, Paragraph):
                yield b.key, b.text, b.generated
                for f in b.footnotes:
                    yield b.key, f.text, False
            elif isinstance(b, BulletList):
                for i in b.items:
                    yield b.key, i, b.generated
            elif isinstance(b, Table):
                yield b.id, b.caption, False
                for n in b.notes:
                    yield b.id, n, False


def report_check(
    document: Report,
    *,
    internal_notes: set[str] = frozenset(),
    first_periods: set[str] = frozenset(),
    small_base: int = 20,
    spelling: bool = True,
) -> CheckResult:
    """Check a built report. ``internal_notes`` are the texts of notes marked internal (none may
    appear anywhere); ``first_periods`` the first periods of the report's series."""
    from lagesbild.statusreport.spelling import check_text

    r = CheckResult()
    for key, text, generated in _texts(document):
        where = f"{key}: {text[:120]}"
        if _SYNTHETIC.search(text):
            r.synthetic.append(where)
        if any(n and n in text for n in internal_notes):
            r.internal_notes.append(where)
        if not generated:
            continue
        # the trend words and relative changes the generator writes (agencies write freely)
        for m in _SINCE.finditer(text):
            if m.group(1) in first_periods:
                r.since_first_period.append(where)
        for m in _RELATIVE.finditer(text):
            base = int(re.sub(r"\D", "", m.group(1)) or 0)
            if base < small_base:
                r.relative_on_small_base.append(where)
        parts = sentences(text)
        for s in parts:
            if _SUBJECTLESS.match(s) or len(s.split()) < 3:
                r.subjectless.append(f"{key}: {s}")
        limit = 6 if key.startswith("sammanfattning:") else 3
        if len(parts) > limit:
            r.too_long.append(where)
        if spelling:
            r.unknown_words.extend(f"{key}: {f.message}" for f in check_text(text))
            # generated text may use no compound the project word list does not know either
    return r
