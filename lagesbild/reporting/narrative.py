"""The narrative of a submission: plain paragraphs and links in, sanitised HTML out.

People write plain text: paragraphs separated by a blank line, links as bare addresses
(https://…) or as [text](https://…). Everything else is escaped; nh3 (ammonia) then cleans the
result as a second line of defence, allowing only p, br and a[href] with http(s)/mailto.
"""

from __future__ import annotations

import re
from html import escape

import nh3

ALLOWED_TAGS = {"p", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+|mailto:[^\s)]+)\)|(https?://[^\s<>\"]+)")


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def _links(escaped: str) -> str:
    def repl(m: re.Match) -> str:
        if m.group(3):
            url = m.group(3).rstrip(".,;:")
            tail = m.group(3)[len(url) :]
            return f'<a href="{url}">{url}</a>{tail}'
        return f'<a href="{m.group(2)}">{m.group(1)}</a>'

    return _LINK.sub(repl, escaped)


def narrative_to_html(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", (text or "").strip()) if p.strip()]
    parts = []
    for p in paragraphs:
        lines = [escape(" ".join(line.split())) for line in p.splitlines()]
        parts.append("<p>" + _links("<br>".join(lines)) + "</p>")
    return sanitise("\n".join(parts))
