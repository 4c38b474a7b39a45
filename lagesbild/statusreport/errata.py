"""Errata: what changed in the figures between two editions of a report, and how it is shown.

``figures(report)`` reads every figure of a document model: each cell of each table, named by
the table, its row and its column. ``errata_between(old, new)`` compares two documents figure by
figure and lists each one that changed, appeared or disappeared (where, from what, to what).
The coordinator can edit the list before publishing; ``errata_section`` adds it to the document
so that the edition's files carry it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from lagesbild.statusreport.document import BulletList, Paragraph, Report, Section, Table

MISSING = "–"
TITLE = "Rättelser"


@dataclass(frozen=True)
class Figure:
    table: str  # "Tabell 3. Andel beviljade kontaktförbud"
    row: str
    column: str
    text: str  # as printed: "1 613", "6,9", ".."


def _label(table: Table) -> str:
    return f"{table.label} {table.caption}".strip()


def _column_labels(table: Table, width: int) -> list[str]:
    labels = []
    for j in range(width):
        parts = []
        for row in table.header_rows:
            if j < len(row) and row[j].text and row[j].text not in parts:
                parts.append(row[j].text)
        labels.append(", ".join(parts) or str(j + 1))
    return labels


def figures(report: Report) -> dict[tuple[str, str, str], Figure]:
    """Every figure of the report's tables, keyed by (table id, row, column).

    A table is keyed by its id, not its number, so a table that moved keeps its figures; its
    label in the errata is the newer document's.
    """
    out: dict[tuple[str, str, str], Figure] = {}
    for table in report.tables():
        width = max((len(r) for r in table.header_rows + table.body_rows), default=0)
        columns = _column_labels(table, width)
        seen: dict[str, int] = {}
        for row in table.body_rows:
            heads = [c.text for c in row if c.header and c.text]
            row_label = " – ".join(heads) or (row[0].text if row else "")
            n = seen.get(row_label, 0)
            seen[row_label] = n + 1
            row_key = row_label if n == 0 else f"{row_label} ({n + 1})"
            for j, cell in enumerate(row):
                if cell.header:
                    continue
                key = (table.id, row_key, columns[j])
                out[key] = Figure(_label(table), row_key, columns[j], cell.text)
    return out


def errata_between(old: Report, new: Report) -> list[dict[str, str]]:
    """[{"place", "before", "after", "note"}] for each figure that differs, in the new
    document's order (figures that disappeared last)."""
    before, after = figures(old), figures(new)
    out = []
    for key, fig in after.items():
        was = before.get(key)
        if was is None:
            if fig.text in ("", MISSING):
                continue
            out.append(_erratum(fig, MISSING, fig.text))
        elif was.text != fig.text:
            out.append(_erratum(fig, was.text, fig.text))
    for key, fig in before.items():
        if key not in after and fig.text not in ("", MISSING):
            out.append(_erratum(fig, fig.text, MISSING))
    return out


def _erratum(fig: Figure, before: str, after: str) -> dict[str, str]:
    return {
        "place": f"{fig.table}: {fig.row}, {fig.column}",
        "before": before or MISSING,
        "after": after or MISSING,
        "note": "",
    }


def erratum_text(erratum: dict[str, str]) -> str:
    text = f"{erratum['place']}: {erratum['before']} har ändrats till {erratum['after']}."
    if erratum.get("note"):
        text += f" {erratum['note']}"
    return text


def errata_section(*, errata: list[dict[str, str]], edition: int, previous: int) -> Section:
    """A chapter "Rättelser" listing the errata, appended to an edition's document."""
    intro = (
        f"Detta är utgåva {edition} av rapporten. Den ersätter utgåva {previous}. "
        "Följande uppgifter har ändrats:"
        if errata
        else f"Detta är utgåva {edition} av rapporten. Den ersätter utgåva {previous}."
    )
    blocks: list = [Paragraph(intro, key="rattelser")]
    if errata:
        blocks.append(BulletList([erratum_text(e) for e in errata], key="rattelser:lista"))
    return Section(TITLE, 1, "rattelser", blocks=blocks)
