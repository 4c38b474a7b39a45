"""The English catalogue is complete and its compiled .mo matches the .po (no gettext needed)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def _joined(block: str, key: str) -> str | None:
    m = re.search(rf"^{key} ((?:\".*\"\n?)+)", block, flags=re.M)
    return None if m is None else "".join(re.findall(r'"(.*)"', m.group(1)))


def _entries(po: Path):
    text = po.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        msgid = _joined(block, "msgid")
        if msgid is None or block.lstrip().startswith("#~"):
            continue
        key = r"msgstr\[1\]" if "msgid_plural" in block else "msgstr"
        yield block, msgid, _joined(block, key)


def _unescape(s: str) -> str:
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_every_english_message_is_translated_and_not_fuzzy():
    untranslated = [
        msgid
        for block, msgid, msgstr in _entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
        if not msgstr or "#, fuzzy" in block
    ]
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    mo = gettext.GNUTranslations((LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb"))
    checked = 0
    for block, msgid, msgstr in _entries(LOCALE / "en" / "LC_MESSAGES" / "django.po"):
        if "msgid_plural" in block or "msgctxt" in block:
            continue
        checked += 1
        assert mo.gettext(_unescape(msgid)) == _unescape(msgstr), msgid
    assert checked > 300
    assert (LOCALE / "sv" / "LC_MESSAGES" / "django.mo").exists()
