"""Spell-checking of the report's Swedish: generated text and the agencies' texts.

Words are looked up in hunspell-sv (``<venv>/share/hunspell/sv_SE.{aff,dic}``, found through the
interpreter's data path) with spylls, plus the project's word list for domain terms
(``wordlist.txt`` next to this module, one word a line). Nothing is ever changed: the checker
returns findings the coordinator sees as suggestions on the review page.

Three kinds of finding:

* ``okänt`` – the dictionary does not know the word (with hunspell's suggestions where they
  are asked for: finding them can take spylls 5–20 s for one word hunspell has no close edit
  of, so the review page never asks – it only looks words up – and the report check
  (``checks.report_check``, off any request) does);
* ``särskrivning`` – two words that belong together ("våldsutsatt het" → "våldsutsatthet"): the
  second is a word-forming suffix written apart;
* ``sammansättning`` – a word hunspell accepts only as a compound of other words, which is not
  in the project word list ("riksmått": riks + mått, where "riskmått" was meant). Such words
  are listed for a human to check; adding a word to ``wordlist.txt`` accepts it.
"""

from __future__ import annotations

import os
import re
import sysconfig
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from pathlib import Path

WORDLIST = Path(__file__).resolve().parent / "wordlist.txt"
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉéÜü][A-Za-zÅÄÖåäöÉéÜü\-]*")
_SUFFIXES = {
    "het",
    "heten",
    "heter",
    "heterna",
    "skap",
    "skapet",
    "lighet",
    "ligheten",
    "ning",
    "ningen",
}


@dataclass(frozen=True)
class Finding:
    word: str
    kind: str  # okänt | särskrivning | sammansättning
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def message(self) -> str:
        if self.kind == "särskrivning":
            return f"”{self.word}” ska troligen skrivas ihop: {', '.join(self.suggestions)}."
        if self.kind == "sammansättning":
            return f"”{self.word}” är en sammansättning som ordlistan inte känner till."
        if self.suggestions:
            return f"”{self.word}” finns inte i ordlistan. Förslag: {', '.join(self.suggestions)}."
        return f"”{self.word}” finns inte i ordlistan."


def dictionary_path() -> str:
    return os.path.join(sysconfig.get_paths()["data"], "share", "hunspell", "sv_SE")


@lru_cache(maxsize=1)
def _dictionary():
    from spylls.hunspell import Dictionary

    from lagesbild.startup import long_lived

    with long_lived():  # about a million objects kept for the process's life
        return Dictionary.from_files(dictionary_path())


@lru_cache(maxsize=1)
def project_words() -> frozenset[str]:
    if not WORDLIST.exists():
        return frozenset()
    return frozenset(
        w.strip().lower()
        for w in WORDLIST.read_text(encoding="utf-8").splitlines()
        if w.strip() and not w.startswith("#")
    )


@lru_cache(maxsize=20000)
def _check_word(word: str, suggest: bool = True) -> Finding | None:
    lower = word.lower()
    if lower in project_words() or len(word) < 3 or word.isupper() or "-" in word:
        return None
    d = _dictionary()
    if not d.lookup(word):
        return Finding(word, "okänt", tuple(islice(d.suggest(word), 3)) if suggest else ())
    forms = d.lookuper.good_forms(word, compound_forms=False)
    if next(iter(forms), None) is None and word[:1].islower():
        return Finding(word, "sammansättning")
    return None


def check_text(text: str, *, suggest: bool = True) -> list[Finding]:
    """Findings in ``text``, each word once, in order of appearance; ``suggest=False`` looks
    words up without asking hunspell for suggestions (fast enough for a request)."""
    words = _WORD.findall(text)
    out: dict[tuple[str, str], Finding] = {}
    for i, w in enumerate(words):
        f = _check_word(w, suggest)
        if f is not None:
            out.setdefault((f.word, f.kind), f)
        if i and w.lower() in _SUFFIXES and words[i - 1][:1].islower():
            joined = words[i - 1] + w.lower()
            if _dictionary().lookup(joined):
                f = Finding(f"{words[i - 1]} {w}", "särskrivning", (joined,))
                out.setdefault((f.word, f.kind), f)
    return list(out.values())
