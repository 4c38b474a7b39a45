"""Site search over indicators, measures (of the current plan) and support services.

One interface, `site_search(query=...)`, two engines:

- PostgreSQL: full-text search with the built-in `swedish` configuration (Snowball stemming:
  "våldsutsatta" finds "våldsutsatt"), ranked with ts_rank.
- SQLite: an FTS5 index built in memory for the query (a few hundred short documents), with the
  unicode61 tokenizer (case and diacritics folded) and prefix queries on a lightly stemmed word,
  since FTS5 has no Swedish stemmer. Ranked with bm25.

Only public content is searched: published indicators, the plan's measures and support
services in force. No curator note (`note`) is indexed.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.urls import reverse

MAX_QUERY = 200
# Common Swedish inflection endings, longest first: stripped before a prefix query on SQLite.
_SUFFIXES = (
    "arnas", "ernas", "ornas", "andet", "heten", "arna", "erna", "orna", "ande", "ende",
    "het", "ens", "ets", "ade", "are", "ast", "na", "en", "et", "ar", "er", "or", "as",
    "es", "a", "e", "s",
)  # fmt: skip


@dataclass
class Hit:
    kind: str  # "indicator" | "measure" | "service"
    title: str
    url: str
    text: str
    rank: float = 0.0


def _documents(on: date | None = None) -> list[tuple[str, str, str, str, str]]:
    """(kind, key, title, body, url) of everything public that can be found."""
    from lagesbild.directory.models import SupportService
    from lagesbild.directory.selectors import valid_on
    from lagesbild.indicators.selectors import current_plan
    from lagesbild.strategy.models import Measure
    from lagesbild.web.selectors import published_indicators

    docs = []
    for ind in published_indicators():
        docs.append(
            (
                "indicator",
                ind.code,
                f"{ind.code} {ind.display_name}",
                " ".join([ind.name, ind.name_en, ind.definition, ind.definition_en, ind.source]),
                reverse("indicator", args=[ind.code]),
            )
        )
    plan = current_plan()
    for m in Measure.objects.filter(plan=plan).order_by("sort_key") if plan else []:
        docs.append(
            (
                "measure",
                m.code,
                f"{m.code} {m.display_text}"[:160],
                " ".join([m.text, m.text_en, m.responsible_text]),
                reverse("measure", args=[m.code]),
            )
        )
    for s in valid_on(SupportService.objects.all(), on or date.today()).order_by("name"):
        docs.append(
            (
                "service",
                s.key,
                s.name,
                " ".join([s.name, s.description, s.organiser_name, s.opening_hours]),
                reverse("directory:service", args=[s.key]),
            )
        )
    return docs


def _words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", query.casefold()) if len(w) >= 2][:12]


def swedish_stem(word: str) -> str:
    """A light Swedish stem for prefix matching: strip one common ending, keep ≥ 4 letters."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _search_sqlite(words: list[str], docs, limit: int) -> list[Hit]:
    db = sqlite3.connect(":memory:")
    try:
        db.execute(
            "CREATE VIRTUAL TABLE doc USING fts5(kind UNINDEXED, key UNINDEXED, url UNINDEXED, "
            "title, body, tokenize = 'unicode61 remove_diacritics 0')"
        )
        db.executemany("INSERT INTO doc (kind, key, title, body, url) VALUES (?, ?, ?, ?, ?)", docs)
        match = " AND ".join(f'"{swedish_stem(w)}"*' for w in words)
        rows = db.execute(
            "SELECT kind, title, url, snippet(doc, 4, '', '', ' … ', 18), bm25(doc, 5.0, 1.0) "
            "FROM doc WHERE doc MATCH ? ORDER BY bm25(doc, 5.0, 1.0) LIMIT ?",
            (match, limit),
        ).fetchall()
    finally:
        db.close()
    return [Hit(k, t, u, snip, -rank) for k, t, u, snip, rank in rows]


def _search_postgresql(words: list[str], docs, limit: int) -> list[Hit]:
    """Rank the documents with PostgreSQL's Swedish full-text search, in one query."""
    if not docs:
        return []
    values = ", ".join(["(%s, %s, %s, %s)"] * len(docs))
    params: list = []
    for kind, _key, title, body, url in docs:
        params += [kind, title, body, url]
    sql = (
        "WITH d(kind, title, body, url) AS (VALUES " + values + "), "
        "q AS (SELECT plainto_tsquery('swedish', %s) AS q) "
        "SELECT kind, title, url, ts_headline('swedish', body, q.q, "
        '\'MaxWords=18, MinWords=8, StartSel="", StopSel=""\'), '
        "ts_rank(setweight(to_tsvector('swedish', title), 'A') || "
        "to_tsvector('swedish', body), q.q) AS r "
        "FROM d, q WHERE (setweight(to_tsvector('swedish', title), 'A') || "
        "to_tsvector('swedish', body)) @@ q.q ORDER BY r DESC, title LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, " ".join(words), limit])
        rows = cursor.fetchall()
    return [Hit(k, t, u, snip, float(r)) for k, t, u, snip, r in rows]


def site_search(*, query: str, limit: int = 50) -> list[Hit]:
    """Indicators, measures and support services matching every word of `query`, best first."""
    words = _words((query or "")[:MAX_QUERY])
    if not words:
        return []
    docs = _documents()
    if connection.vendor == "postgresql":
        return _search_postgresql(words, docs, limit)
    return _search_sqlite(words, docs, limit)
