"""HTML renderer: an accessible, standalone HTML document (also the input of the PDF renderer).

Headings are in order (the title page has the only h1; chapters are h2 …), tables have a
caption and header cells with scope, every chart is inline SVG with <title>/<desc>, a visible
text alternative and a link to its data table. Drafted paragraphs carry
``data-generated="true"``; paragraphs a person has written or accepted do not.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from html import escape
from pathlib import Path

import nh3

from lagesbild.statusreport.document import (
    BulletList,
    Chart,
    Paragraph,
    Report,
    Section,
    Table,
)

MIMETYPE = "text/html; charset=utf-8"
CSS_DIR = Path(__file__).resolve().parent / "css"
_ALLOWED_TAGS = {"em", "strong", "i", "b", "a", "br", "sup", "sub", "span"}


def render(document: Report) -> tuple[str, str, bytes]:
    return f"{document.filename_stem}.html", MIMETYPE, page(document).encode("utf-8")


def stylesheet(*, media: str = "screen") -> str:
    css = (CSS_DIR / "report.css").read_text(encoding="utf-8")
    if media == "print":
        css += "\n" + (CSS_DIR / "print.css").read_text(encoding="utf-8")
    return css


def page(document: Report, *, media: str = "screen") -> str:
    """A complete HTML document with the report's CSS inlined."""
    return (
        '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(document.title)} – {escape(document.county)}</title>\n"
        f"<style>\n{stylesheet(media=media)}\n</style>\n</head>\n<body>\n"
        f"{body(document, media=media)}\n</body>\n</html>\n"
    )


def body(
    document: Report,
    *,
    edit_url: Callable[[str], str] | None = None,
    media: str = "screen",
) -> str:
    """The report as an <article> (for embedding in a page); ``edit_url(key)`` adds edit links."""
    r = _Renderer(edit_url, charts="png" if media == "print" else "svg")
    out = ['<article class="lagesrapport" lang="sv">', _title_page(document), _toc(document)]
    for sec in document.sections:
        out.append(r.section(sec))
    out.append("</article>")
    return "\n".join(out)


def _title_page(d: Report) -> str:
    return (
        '<header class="titelsida">'
        f'<p class="overrubrik">Regional lägesrapport {d.year}</p>'
        f'<h1 class="rapporttitel">{escape(d.title)}</h1>'
        f'<p class="undertitel">{escape(d.subtitle)}</p>'
        '<dl class="utgivning">'
        f"<dt>Län</dt><dd>{escape(d.county)}</dd>"
        f"<dt>Utgivare</dt><dd>{escape(d.publisher)}</dd>"
        f"<dt>Rapportår</dt><dd>{d.year}</dd>"
        f"<dt>Utgivningsår</dt><dd>{d.published_year}</dd>"
        + "".join(
            f"<dt>{label}</dt><dd>{escape(value)}</dd>"
            for label, value in (
                ("Rapportnummer", d.report_number),
                ("ISBN", d.isbn),
                ("Kontakt", d.contact),
                ("Omslagsbild", d.cover_credit),
            )
            if value
        )
        + "</dl>"
        + _draft_notice(d)
        + "</header>"
    )


def _draft_notice(d: Report) -> str:
    """On the title page while drafted paragraphs remain: a printed or downloaded copy must
    not look reviewed when it is not."""
    n = sum(1 for p in d.paragraphs() if p.generated)
    if not n:
        return ""
    if n == 1:
        text = (
            "1 stycke är framtaget automatiskt ur statistiken och har ännu inte granskats; det är "
            "markerat med ett streck i marginalen."
        )
    else:
        text = (
            f"{n} stycken är framtagna automatiskt ur statistiken och har ännu inte granskats; "
            "de är markerade med ett streck i marginalen."
        )
    return f'<p class="utkastnotis"><strong>Utkast.</strong> {text}</p>'


def _toc(d: Report) -> str:
    def items(sections: list[Section]) -> str:
        lis = []
        for s in sections:
            if not s.in_toc:
                continue
            sub = [c for c in s.sections if c.in_toc and c.level <= 2]
            inner = f"<ol>{items(sub)}</ol>" if sub else ""
            lis.append(f'<li><a href="#{s.id}">{escape(s.title)}</a>{inner}</li>')
        return "".join(lis)

    return (
        '<nav class="innehall" aria-labelledby="innehall-rubrik">'
        '<h2 id="innehall-rubrik">Innehåll</h2>'
        f"<ol>{items(d.sections)}</ol></nav>"
    )


class _Renderer:
    def __init__(self, edit_url: Callable[[str], str] | None, charts: str = "svg") -> None:
        self.edit_url = edit_url
        self.charts = charts
        self.footnote_no = 0

    def section(self, s: Section) -> str:
        h = min(s.level + 1, 6)
        out = [
            f'<section id="{s.id}" class="niva-{s.level}" aria-labelledby="{s.id}-rubrik">',
            f'<h{h} id="{s.id}-rubrik">{escape(s.title)}</h{h}>',
        ]
        out.extend(self.block(b) for b in s.blocks)
        out.extend(self.section(c) for c in s.sections)
        out.append("</section>")
        return "\n".join(out)

    def block(self, b) -> str:
        if isinstance(b, Paragraph):
            return self.paragraph(b)
        if isinstance(b, BulletList):
            attrs = ' data-generated="true" class="utkast"' if b.generated else ""
            items = "".join(f"<li>{escape(i)}</li>" for i in b.items)
            return f"<ul{attrs}>{items}</ul>"
        if isinstance(b, Table):
            return table(b)
        if isinstance(b, Chart):
            return chart(b, image=self.charts)
        raise TypeError(f"Okänt block: {type(b).__name__}")

    def paragraph(self, p: Paragraph) -> str:
        classes = [c for c in (p.style, "utkast" if p.generated else "") if c]
        attrs = f' class="{" ".join(classes)}"' if classes else ""
        if p.generated:
            attrs += ' data-generated="true"'
        if p.key:
            attrs += f' data-key="{escape(p.key)}"'
        inner = (
            nh3.clean(p.html, tags=_ALLOWED_TAGS, link_rel="noopener noreferrer")
            if p.html
            else escape(p.text)
        )
        refs, notes = "", ""
        if p.footnotes:
            first = self.footnote_no + 1
            for _note in p.footnotes:
                self.footnote_no += 1
                n = self.footnote_no
                refs += (
                    f'<sup class="fotnotsref"><a href="#fotnot-{n}" id="fotnotsref-{n}" '
                    f'aria-label="Fotnot {n}">{n}</a></sup>'
                )
            # the number is part of the text, not a list counter: it runs 1…N through the
            # document in every renderer (an <ol value=…> restarts at 1 in some of them)
            lis = "".join(
                f'<p class="fotnot" id="fotnot-{first + i}">'
                f'<span class="fotnotsnummer">{first + i}</span> {escape(f.text)}</p>'
                for i, f in enumerate(p.footnotes)
            )
            notes = f'<div class="fotnoter" role="note" aria-label="Fotnoter">{lis}</div>'
        edit = ""
        if self.edit_url and p.editable and p.key:
            label = "Granska utkastet" if p.generated else "Ändra"
            edit = f' <a class="redigera" href="{escape(self.edit_url(p.key))}">{label}</a>'
        return f"<p{attrs}>{inner}{refs}{edit}</p>{notes}"


def table(t: Table) -> str:
    head = "".join(
        "<tr>" + "".join(f'<th scope="col">{escape(c.text)}</th>' for c in row) + "</tr>"
        for row in t.header_rows
    )
    rows = []
    for row in t.body_rows:
        cells = []
        for c in row:
            if c.header:
                cls = f' class="niva-{c.level}"' if c.level else ""
                cells.append(f'<th scope="row"{cls}>{escape(c.text)}</th>')
            else:
                title = f' title="{escape(c.note)}"' if c.note else ""
                cells.append(f"<td{title}>{escape(c.text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    notes = "".join(f"<li>{escape(n)}</li>" for n in t.notes)
    notes_html = f'<ul class="tabellnoter" aria-label="Anmärkningar">{notes}</ul>' if notes else ""
    wide = " liggande" if t.landscape or t.columns > 9 else ""
    return (
        # A wide table scrolls sideways inside its wrapper: the wrapper is a named region that
        # takes keyboard focus, so it can be scrolled without a mouse (WCAG 2.1.1).
        f'<div class="tabell{wide}" role="region" tabindex="0" aria-label="{escape(t.label)}">'
        f'<table id="{t.id}">'
        f'<caption><span class="etikett">{escape(t.label)}</span> {escape(t.caption)} '
        f'<span class="kalla">Källa: {escape(t.source)}.</span></caption>'
        f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{notes_html}</div>"
    )


def _unique_ids(svg: str, prefix: str) -> str:
    """Prefix every id in a chart's SVG so that several charts on one page never clash."""
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(
        r'aria-labelledby="([^"]+)"',
        lambda m: 'aria-labelledby="' + " ".join(f"{prefix}-{i}" for i in m.group(1).split()) + '"',
        svg,
    )


def chart(c: Chart, *, image: str = "svg") -> str:
    if image == "png" and c.png:
        data = base64.b64encode(c.png).decode("ascii")
        svg = f'<img src="data:image/png;base64,{data}" alt="{escape(c.description)}">'
    else:
        svg = _unique_ids(c.svg.decode("utf-8"), c.id) if c.svg else ""
    return (
        f'<figure class="diagram" id="{c.id}" aria-labelledby="{c.id}-titel">'
        f'<figcaption id="{c.id}-titel"><span class="etikett">{escape(c.label)}</span> '
        f"{escape(c.title)}</figcaption>{svg}"
        f'<p class="textalternativ">{escape(c.description)} '
        f'<a href="#{c.table_id}">Se tabellen med uppgifterna.</a></p></figure>'
    )
