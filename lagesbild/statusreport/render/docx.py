"""Word renderer (python-docx).

Chapters use Word's built-in "Heading 1…" styles, so the navigation pane and the table of
contents work; the contents is a real TOC field that Word fills in when the document is opened
(``updateFields``). Tables are real Word tables with a repeating header row; charts are PNG
images whose alt text (``docPr/@descr``) is the chart's text alternative.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from lagesbild.statusreport.document import BulletList, Chart, Paragraph, Report, Section, Table

_FOOTNOTES: dict[int, int] = {}
MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DRAFT_COLOUR = RGBColor(0x6B, 0x46, 0x00)


def render(document: Report) -> tuple[str, str, bytes]:
    doc = Document()
    _setup(doc, document)
    _title_page(doc, document)
    _toc(doc)
    for sec in document.sections:
        _section(doc, sec)
    buf = io.BytesIO()
    doc.save(buf)
    _FOOTNOTES.pop(id(doc), None)
    return f"{document.filename_stem}.docx", MIMETYPE, buf.getvalue()


def _setup(doc, d: Report) -> None:
    props = doc.core_properties
    props.title = f"{d.title} – {d.county}"
    props.author = d.publisher
    props.language = "sv-SE"
    props.subject = d.subtitle
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    rpr.append(lang)
    # Ask Word to update the TOC field (page numbers) when the document is opened.
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    doc.settings.element.append(update)
    section = doc.sections[0]
    # A4 (python-docx's template is US Letter)
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(2.2)
    header = section.header.paragraphs[0]
    header.text = f"{d.title} – {d.county}"
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Sida ")
    _field(footer, "PAGE")


def _field(paragraph, instruction: str, placeholder: str = "") -> None:
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = instruction
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run._r.append(begin)
    run._r.append(instr)
    run._r.append(sep)
    text_run = paragraph.add_run(placeholder)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    text_run._r.append(end)


def _title_page(doc, d: Report) -> None:
    doc.add_paragraph(f"Regional lägesrapport {d.year}".upper())
    doc.add_paragraph(d.title, style="Title")
    doc.add_paragraph(d.subtitle, style="Subtitle")
    for label, value in (
        ("Län", d.county),
        ("Utgivare", d.publisher),
        ("Rapportår", str(d.year)),
        ("Utgivningsår", str(d.published_year)),
        ("Rapportnummer", d.report_number),
        ("ISBN", d.isbn),
        ("Kontakt", d.contact),
        ("Omslagsbild", d.cover_credit),
    ):
        if not value:
            continue
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _toc(doc) -> None:
    doc.add_paragraph("Innehåll", style="TOC Heading" if "TOC Heading" in doc.styles else None)
    p = doc.add_paragraph()
    _field(
        p,
        'TOC \\o "1-3" \\h \\z \\u',
        "Innehållsförteckningen fylls i när dokumentet öppnas i Word "
        "(annars: högerklicka och välj Uppdatera fält).",
    )
    p.add_run().add_break(WD_BREAK.PAGE)


def _section(doc, s: Section) -> None:
    doc.add_heading(s.title, level=min(s.level, 9))
    for b in s.blocks:
        if isinstance(b, Paragraph):
            _paragraph(doc, b)
        elif isinstance(b, BulletList):
            for item in b.items:
                p = doc.add_paragraph(item, style="List Bullet")
                if b.generated:
                    for r in p.runs:
                        r.font.color.rgb = DRAFT_COLOUR
        elif isinstance(b, Table):
            _table(doc, b)
        elif isinstance(b, Chart):
            _chart(doc, b)
    for c in s.sections:
        _section(doc, c)


def _paragraph(doc, p: Paragraph) -> None:
    para = doc.add_paragraph()
    run = para.add_run(p.text)
    if p.style == "lead":
        run.bold = True
        run.font.size = Pt(12)
    elif p.style in ("status", "label"):
        run.italic = p.style == "status"
        run.bold = p.style == "label"
    if p.generated:
        run.font.color.rgb = DRAFT_COLOUR
    # python-docx has no API for Word footnotes (footnotes.xml): the notes follow their paragraph,
    # numbered 1…N through the document like the superscript references and the PDF
    for f in p.footnotes:
        _FOOTNOTES[id(doc)] = n = _FOOTNOTES.get(id(doc), 0) + 1
        ref = para.add_run(str(n))
        ref.font.superscript = True
        note = doc.add_paragraph()
        num = note.add_run(f"{n} ")
        num.font.superscript = True
        r = note.add_run(f.text)
        r.font.size = Pt(8)


def _table(doc, t: Table) -> None:
    cap = doc.add_paragraph(style="Caption")
    cap.add_run(t.label + " ").bold = True
    cap.add_run(f"{t.caption} Källa: {t.source}.")
    ncols = max(len(r) for r in t.header_rows + t.body_rows)
    table = doc.add_table(rows=0, cols=ncols)
    table.style = "Table Grid"
    for row in t.header_rows:
        cells = table.add_row().cells
        tr = table.rows[-1]._tr
        trpr = tr.get_or_add_trPr()
        th = OxmlElement("w:tblHeader")
        th.set(qn("w:val"), "true")
        trpr.append(th)
        for cell, c in zip(cells, row, strict=False):
            cell.text = ""
            cell.paragraphs[0].add_run(c.text).bold = True
    for row in t.body_rows:
        cells = table.add_row().cells
        for i, (cell, c) in enumerate(zip(cells, row, strict=False)):
            para = cell.paragraphs[0]
            run = para.add_run(c.text)
            if c.header:
                run.bold = c.level == 0
                para.paragraph_format.left_indent = Cm(0.4 * c.level)
            elif i:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for n in t.notes:
        r = doc.add_paragraph().add_run(n)
        r.font.size = Pt(8)


def _chart(doc, c: Chart) -> None:
    cap = doc.add_paragraph(style="Caption")
    cap.add_run(c.label + " ").bold = True
    cap.add_run(c.title)
    if c.png:
        shape = doc.add_picture(io.BytesIO(c.png), width=Cm(16))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", c.description)
        doc_pr.set("title", c.title)
    doc.add_paragraph(c.description)
