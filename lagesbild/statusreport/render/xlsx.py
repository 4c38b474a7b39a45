"""Excel renderer: every table of the report as data (openpyxl), one sheet per table.

Figures are numbers with a number format matching the report's decimals, not text, so they can
be used in calculations. The first sheet lists the tables with caption and source.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from lagesbild.core.exports import workbook_inert
from lagesbild.statusreport.document import Report

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _format(decimals: int, qualifier: str = "") -> str:
    """Excel's format codes are locale-neutral; Swedish Excel shows them as 1 613 and 6,9. A
    qualified figure stays a number and shows its word: "minst 634"."""
    code = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'"{qualifier} "{code}' if qualifier else code


def render(document: Report) -> tuple[str, str, bytes]:
    wb = Workbook()
    index = wb.active
    index.title = "Tabeller"
    index.append([f"{document.title} – {document.county}"])
    index["A1"].font = Font(bold=True, size=14)
    index.append([])
    index.append(["Tabell", "Flik", "Rubrik", "Källa"])
    for c in index[3]:
        c.font = Font(bold=True)
    for t in document.tables():
        index.append([t.number, t.sheet_name, t.caption, t.source])
        ws = wb.create_sheet(t.sheet_name[:31])
        ws.append([f"{t.label} {t.caption}"])
        ws["A1"].font = Font(bold=True)
        ws.append([f"Källa: {t.source}."])
        ws.append([])
        for row in t.header_rows:
            ws.append([c.text for c in row])
            for c in ws[ws.max_row]:
                c.font = Font(bold=True)
        for row in t.body_rows:
            values = []
            for c in row:
                if c.header:
                    values.append(c.text)
                elif c.value is not None:
                    values.append(c.value)
                else:
                    values.append(c.text or None)
            ws.append(values)
            excel_row = ws[ws.max_row]
            for cell, c in zip(excel_row, row, strict=False):
                if c.header:
                    cell.alignment = Alignment(indent=c.level * 2)
                elif c.value is not None:
                    cell.number_format = _format(c.decimals, c.qualifier)
        if t.notes:
            ws.append([])
            for n in t.notes:
                ws.append([n])
        ws.column_dimensions["A"].width = 60
        ws.freeze_panes = ws.cell(row=4 + len(t.header_rows), column=2)
    for c in document.charts():
        # every chart's figures as drawn, next to the table it comes from
        index.append(
            [c.label, f"Diagram {c.number}", c.title, f"Tabell {c.table_id.split('-')[-1]}"]
        )
        ws = wb.create_sheet(f"Diagram {c.number}"[:31])
        ws.append([f"{c.label} {c.title}"])
        ws["A1"].font = Font(bold=True)
        ws.append([c.unit])
        ws.append([])
        ws.append(["Serie", *c.periods])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for label, values in c.series:
            ws.append([label, *[v if v is not None else None for v in values]])
        ws.column_dimensions["A"].width = 60
    index.column_dimensions["C"].width = 100
    workbook_inert(wb)  # no text becomes a formula
    buf = io.BytesIO()
    wb.save(buf)
    return f"{document.filename_stem}.xlsx", MIMETYPE, buf.getvalue()
