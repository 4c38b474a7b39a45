"""One renderer per format, all with ``render(document) -> (filename, mimetype, bytes)``.

``RENDERERS`` is the closed set (a plain dict, no plugin machinery). ``CHART_FORMATS`` says which
chart images each format needs, so the builder draws only those.
"""

from __future__ import annotations

from importlib import import_module

FORMATS = ("html", "docx", "pdf", "xlsx")
CHART_FORMATS = {"html": ("svg",), "pdf": ("png",), "docx": ("png",), "xlsx": ()}


def renderer(fmt: str):
    if fmt not in FORMATS:
        raise ValueError(f"Okänt format: {fmt!r} (välj {', '.join(FORMATS)})")
    return import_module(f"lagesbild.statusreport.render.{fmt}").render


def render_report(document, fmt: str) -> tuple[str, str, bytes]:
    return renderer(fmt)(document)
