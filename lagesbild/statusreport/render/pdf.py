"""PDF renderer: WeasyPrint from the HTML renderer's output with the print stylesheet.

Page numbers ("Sida 3 av 40"), a running header (report title and current chapter) and a table
of contents with page numbers (``target-counter``) come from ``css/print.css``. The PDF is
tagged (``pdf_variant="pdf/ua-1"``): a structure tree, the document language from
``<html lang="sv">``, alt texts of the charts, and bookmarks from the headings. ``layout()``
gives WeasyPrint's laid-out document, whose boxes the tests check against the page margins.
"""

from __future__ import annotations

import logging

from lagesbild.statusreport.document import Report
from lagesbild.statusreport.render import html as html_renderer

MIMETYPE = "application/pdf"
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs every unsupported CSS property at WARNING; the report's CSS is shared with the
# screen, so those are expected.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def layout(document: Report):
    """The report laid out in pages (a ``weasyprint.Document``)."""
    from weasyprint import HTML

    source = html_renderer.page(document, media="print")
    return HTML(string=source, base_url=None).render(pdf_variant=PDF_VARIANT)


def render(document: Report) -> tuple[str, str, bytes]:
    pdf = layout(document).write_pdf(
        pdf_identifier=f"lagesrapport-{document.year}".encode(),
        custom_metadata=True,
        pdf_variant=PDF_VARIANT,
    )
    return f"{document.filename_stem}.pdf", MIMETYPE, pdf
