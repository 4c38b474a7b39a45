"""What a reader sees instead of internal codes: source documents by name, not by number.

The configuration directory's `source-documents.csv` (code,name,name_en) names the documents
the demo figures cite as "000 Tabell 5"; a public page or download shows "Regional lägesrapport
2025, Tabell 5" instead. A reference without a known code is shown as it is.
"""

from __future__ import annotations

import csv
import functools
import re

from django.conf import settings
from django.utils.translation import get_language

INTERNAL_CODE = re.compile(r"^\s*\"?(\d{3})\s+")


@functools.cache
def _documents(directory: str) -> dict[str, tuple[str, str]]:
    from pathlib import Path

    path = Path(directory) / "source-documents.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {r["code"]: (r["name"], r.get("name_en") or r["name"]) for r in csv.DictReader(fh)}


def public_ref(text: str) -> str:
    """'000 Tabell 5' → 'Regional lägesrapport 2025, Tabell 5' (English name under /en/)."""
    if not text:
        return text
    m = INTERNAL_CODE.match(text)
    if not m:
        return text
    names = _documents(str(settings.LAGESBILD_CONFIG_DIR)).get(m.group(1))
    if names is None:
        return text
    name = names[1] if (get_language() or "sv").startswith("en") else names[0]
    return f"{name}, {text[m.end() :].strip().strip(chr(34))}"
