"""PDF renderer: WeasyPrint from the HTML renderer's output with the print stylesheet.

Page numbers ("Sida 3 av 40"), a running header (report title and current chapter) and a table
of contents with page numbers (``target-counter``) come from ``css/print.css``.
"""

from __future__ import annotations

import logging

from weasyprint import HTML

from lagesbild.statusreport.document import Report
from lagesbild.statusreport.render import html as html_renderer

MIMETYPE = "application/pdf"

# WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is shared with the
# screen, so those are expected.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def render(document: Report) -> tuple[str, str, bytes]:
    source = html_renderer.page(document, media="print")
    pdf = HTML(string=source, base_url=None).write_pdf(
        pdf_identifier=f"lagesrapport-{document.year}".encode(),
        custom_metadata=True,
        # tagged PDF (structure tree, /Lang from <html lang>, alt texts, bookmarks from headings)
        pdf_variant="pdf/ua-1",
    )
    return f"{document.filename_stem}.pdf", MIMETYPE, pdf
