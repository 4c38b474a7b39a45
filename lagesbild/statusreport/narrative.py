"""Rule-based Swedish sentences about an indicator series (deterministic, no Django).

``describe_series(subject=..., unit=..., decimals=..., points=...)`` returns a
:class:`Narrative`: ``sentences`` for the body text and ``footnotes``. The same input always
gives the same text. See ``docs/narrative.md`` for the rules with examples.

Sentences, in this order (each only when its data exists):

1. **Change** between the two latest published values (value present, not too few cases)::

       Andelen beviljade kontaktförbud ökade från 37 procent 2024 till 39 procent 2025, en ökning
       med 2 procentenheter, och är den högsta under perioden 2019–2025.
       Antalet stödsökande till Välj att sluta minskade från 144 år 2024 till 121 år 2025, en
       minskning med 23 (16 procent).
       Medelvärdet för upplevd trygghet låg kvar på 6,9 läsåret 2024/2025, samma nivå som
       2023/2024.

   A change in a share is always in *procentenheter*; only counts get a relative change in
   procent, and only from a base of at least ``small_base`` (20). "den högsta/lägsta under
   perioden <första>–<sista>" needs at least three published values and
   the latest strictly above/below all earlier ones. With a single value: "… var 39 procent
   2025." Values and changes are compared as published (rounded to ``decimals``).
2. **Worsening streak** (``direction`` = desired direction, two steps or more):
   "Andelen har minskat tre år i rad, trots att målet är en ökning."
3. **National median** for the latest published period: "Andelen ligger 2025 under medianen i
   riket (40 procent)." / "över …" / "i nivå med medianen i riket" (equal when rounded).
4. **Range** (three published values or more): "Under perioden 2019–2025 har andelen legat
   mellan 56 och 65 procent."
5. **Too few cases**: "Antalet handlagda brott 2025 är för lågt för att andelen ska vara
   meningsfull." (``denominator_noun="handlagda brott"``; otherwise "Underlaget 2025 är för
   litet …"). Such periods are left out of every other sentence.
6. **Missing periods** (value ``None`` or a gap in the series): "Det finns inga uppgifter för
   2020 och 2021."

Footnotes: revisions ("Siffran för 2024 har reviderats från 634 till 650." + the reason),
points flagged ``revised`` without a :class:`Revision`, provisional figures ("Siffran för 2025
är preliminär."), and the reason a value is missing ("2020: Undersökningen genomfördes inte.").

Wording details: after a bare number the period gets its noun ("121 år 2025", "5,9 läsåret
2024/2025") so two figures never touch; otherwise the period stands alone ("39 procent 2025").
The short subject ("andelen", "antalet", "medelvärdet") is the first word of ``subject`` in
lower case unless ``short_subject`` is given; its grammatical gender (definite form ending in
"-t" → neuter: "det högsta", "meningsfullt"; otherwise common: "den högsta", "meningsfull")
drives agreement. Numbers follow :mod:`lagesbild.core.numbers`: "1 613", "6,9", "2,29".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from lagesbild.core.numbers import (
    Unit,
    format_number,
    format_percent,
    format_pp,
    format_unit,
    get_unit,
    round_half_up,
)
from lagesbild.indicators.stats import (
    DIRECTIONS,
    Change,
    Point,
    Revision,
    Trend,
    change,
    period_kind,
    period_label,
    period_range_label,
    period_sort_key,
    trend,
)

__all__ = ["Narrative", "Revision", "describe_series", "join_list"]


@dataclass
class Narrative:
    sentences: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The sentences as one paragraph."""
        return " ".join(self.sentences)


# --- phrase tables ----------------------------------------------------------------------------

_CHANGE_TEMPLATES = {
    "up": "{subject} ökade från {from_} till {to}, en ökning med {amount}",
    "down": "{subject} minskade från {from_} till {to}, en minskning med {amount}",
    "unchanged": "{subject} låg kvar på {to}, samma nivå som {period_from}",
}
_LEVEL_TEMPLATE = "{subject} var {to}."
# a qualified value (a lower bound, an approximate value) is shown with its word and never
# compared as if it were exact: no change, no direction, no streak
QUALIFIER_WORDS = {"at_least": "minst", "approximately": "cirka"}
_EXTREME = {  # (highest?, gender) → phrase
    (True, "utrum"): "den högsta",
    (True, "neutrum"): "det högsta",
    (False, "utrum"): "den lägsta",
    (False, "neutrum"): "det lägsta",
}
_EXTREME_TEMPLATE = ", och är {extreme} under perioden {span}"
_MEDIAN_TEMPLATES = {
    "up": "{head} ligger {period} över medianen i riket ({median}).",
    "down": "{head} ligger {period} under medianen i riket ({median}).",
    "unchanged": "{head} ligger {period} i nivå med medianen i riket.",
}
_RANGE_TEMPLATE = "Under perioden {range} har {head} legat mellan {low} och {high}."
_RANGE_FLAT_TEMPLATE = "Under perioden {range} har {head} legat på {value}."
_STREAK_VERB = {"up": "ökat", "down": "minskat"}  # the direction the series moved
_GOAL_NOUN = {"up": "en ökning", "down": "en minskning"}  # the desired direction
_STREAK_TEMPLATE = "{head} har {verb} {count} {years} i rad, trots att målet är {goal}."
_STREAK_YEARS = {"year": "år", "school_year": "läsår"}
_STREAK_MIN = 2
_SMALL_ADJECTIVE = {"utrum": "meningsfull", "neutrum": "meningsfullt"}
_SMALL_TEMPLATE = "{basis} {periods} är för {too} för att {head} ska vara {adjective}."
_SMALL_BASIS_COUNT = ("Antalet {noun}", "lågt")
_SMALL_BASIS_DEFAULT = ("Underlaget", "litet")
_MISSING_TEMPLATE = "Det finns inga uppgifter för {periods}."
_NO_DATA = "Det finns inga uppgifter."
_REVISION_TEMPLATE = "Siffran för {period} har reviderats från {old} till {new}."
_FLAG_FOOTNOTES = {  # flag → (singular, plural)
    "revised": ("Siffran för {periods} har reviderats.", "Siffrorna för {periods} har reviderats."),
    "provisional": (
        "Siffran för {periods} är preliminär.",
        "Siffrorna för {periods} är preliminära.",
    ),
}
_QUALIFIER_FOOTNOTES = {
    "at_least": (
        "Siffran för {periods} är en nedre gräns: det verkliga värdet är minst så stort.",
        "Siffrorna för {periods} är nedre gränser: de verkliga värdena är minst så stora.",
    ),
    "approximately": (
        "Siffran för {periods} är ungefärlig.",
        "Siffrorna för {periods} är ungefärliga.",
    ),
}
_MISSING_REASON_TEMPLATE = "{period}: {reason}"
_NUMBER_WORDS = {
    2: "två",
    3: "tre",
    4: "fyra",
    5: "fem",
    6: "sex",
    7: "sju",
    8: "åtta",
    9: "nio",
    10: "tio",
    11: "elva",
    12: "tolv",
}
_MIN_POINTS_FOR_EXTREME = 3
SMALL_BASE = 20
"""No relative change in procent from a count below this (``settings.REPORT_SMALL_BASE``)."""
_MIN_POINTS_FOR_RANGE = 3


# --- small helpers ----------------------------------------------------------------------------


def join_list(items: Sequence[str]) -> str:
    """``["2020"]`` → ``"2020"``; two → ``"2020 och 2021"``; more → ``"2019, 2020 och 2021"``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _capitalize(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."


def _gender(head: str) -> str:
    """Definite singular: "-et"/"-t" (antalet, medelvärdet) is neuter, else common gender."""
    return "neutrum" if head.endswith("t") else "utrum"


def _at(value_text: str, period: str) -> str:
    """A value followed by its period; the period gets its noun when the value ends in a digit."""
    return f"{value_text} {period_label(period, prefix=value_text[-1].isdigit())}"


class _Formatter:
    """Formats values and changes of one unit with the indicator's decimals."""

    def __init__(self, unit: Unit, decimals: int, small_base: int = SMALL_BASE) -> None:
        self.unit, self.decimals, self.small_base = unit, decimals, small_base

    def value(self, v: Decimal) -> str:
        return format_unit(v, self.unit, self.decimals)

    def bare(self, v: Decimal) -> str:
        """Without the unit word, for the first figure of "mellan 56 och 65 procent"."""
        return format_number(v, self.decimals)

    def amount(self, c: Change) -> str:
        size = abs(c.absolute)
        if self.unit.key == "percent":
            return format_pp(size, self.decimals)
        text = self.value(size)
        if (
            self.unit.key == "count"
            and c.relative_percent is not None
            and abs(c.value_from) >= self.small_base
        ):
            rel = abs(c.relative_percent)
            text += (
                f" ({format_percent(rel)})"
                if round_half_up(rel, 0) >= 1
                else " (mindre än 1 procent)"
            )
        return text

    def pair(self, old: Decimal, new: Decimal) -> tuple[str, str]:
        """Old and new value of a revision, with enough decimals to tell them apart."""
        for places in range(self.decimals, max(self.decimals, 10) + 1):
            a, b = format_number(old, places), format_number(new, places)
            if a != b:
                break
        return a, format_unit(new, self.unit, places)


# --- rules --------------------------------------------------------------------------------------


def qualifier_word(point: Point | None) -> str:
    """ "minst"/"cirka" for a qualified point, else ""."""
    return QUALIFIER_WORDS.get(point.qualifier, "") if point is not None else ""


def _change_sentence(subject: str, gender: str, t: Trend, f: _Formatter) -> list[str]:
    latest, previous = t.latest, t.previous
    if latest is None:
        return []
    if previous is None or t.change_is_qualified:
        word = qualifier_word(latest)
        value = f"{word} {f.value(latest.value)}" if word else f.value(latest.value)
        return [_LEVEL_TEMPLATE.format(subject=subject, to=_at(value, latest.period))]
    c = change(previous, latest, f.unit, f.decimals)
    text = _CHANGE_TEMPLATES[c.direction].format(
        subject=subject,
        from_=_at(f.value(c.value_from), c.period_from),
        to=_at(f.value(c.value_to), c.period_to),
        period_from=period_label(c.period_from),
        amount=f.amount(c) if c.direction != "unchanged" else "",
    )
    if len(t.published) >= _MIN_POINTS_FOR_EXTREME:
        for highest, flag in ((True, t.is_highest_since_start), (False, t.is_lowest_since_start)):
            if flag:
                text += _EXTREME_TEMPLATE.format(
                    extreme=_EXTREME[highest, gender],
                    span=period_range_label(t.published[0].period, t.published[-1].period),
                )
    return [text + "."]


def _streak_sentence(head: str, direction: str, t: Trend) -> list[str]:
    if t.change_is_qualified:
        return []
    n = t.consecutive_worsening(direction)
    if n < _STREAK_MIN:
        return []
    moved = "down" if direction == "up" else "up"
    return [
        _STREAK_TEMPLATE.format(
            head=_capitalize(head),
            verb=_STREAK_VERB[moved],
            count=_NUMBER_WORDS.get(n, str(n)),
            years=_STREAK_YEARS[period_kind(t.latest.period)],
            goal=_GOAL_NOUN[direction],
        )
    ]


def _median_sentence(
    head: str, t: Trend, median_points: Iterable[Point] | None, f: _Formatter
) -> list[str]:
    if t.latest is None or not median_points:
        return []
    by_period: dict[str, Point] = {}
    for p in median_points:
        if p.period in by_period:
            raise ValueError(f"Medianen för {p.period} förekommer två gånger")
        by_period[p.period] = p
    m = by_period.get(t.latest.period)
    if m is None or m.value is None:
        return []
    ours = round_half_up(t.latest.value, f.decimals)
    theirs = round_half_up(m.value, f.decimals)
    key = "up" if ours > theirs else "down" if ours < theirs else "unchanged"
    return [
        _MEDIAN_TEMPLATES[key].format(
            head=_capitalize(head), period=period_label(t.latest.period), median=f.value(theirs)
        )
    ]


def _range_sentence(head: str, t: Trend, f: _Formatter) -> list[str]:
    if len(t.published) < _MIN_POINTS_FOR_RANGE:
        return []
    low, high = t.published_value(t.minimum), t.published_value(t.maximum)
    span = period_range_label(t.published[0].period, t.published[-1].period)
    if low == high:
        return [_RANGE_FLAT_TEMPLATE.format(range=span, head=head, value=f.value(high))]
    return [_RANGE_TEMPLATE.format(range=span, head=head, low=f.bare(low), high=f.value(high))]


def _small_sentence(head: str, gender: str, t: Trend, denominator_noun: str | None) -> list[str]:
    if not t.small_periods:
        return []
    basis, too = _SMALL_BASIS_COUNT if denominator_noun else _SMALL_BASIS_DEFAULT
    return [
        _SMALL_TEMPLATE.format(
            basis=basis.format(noun=denominator_noun),
            periods=join_list(t.small_periods),
            too=too,
            head=head,
            adjective=_SMALL_ADJECTIVE[gender],
        )
    ]


def _missing_sentence(t: Trend) -> list[str]:
    if not t.missing_periods:
        return []
    return [_MISSING_TEMPLATE.format(periods=join_list(t.missing_periods))]


def _footnotes(t: Trend, revisions: Iterable[Revision] | None, f: _Formatter) -> list[str]:
    notes: list[str] = []
    revised: set[str] = set()
    for r in sorted(revisions or (), key=lambda r: period_sort_key(r.period)):
        old, new = f.pair(r.old_value, r.new_value)
        note = _REVISION_TEMPLATE.format(period=period_label(r.period), old=old, new=new)
        if r.reason.strip():
            note += " " + _sentence(r.reason)
        notes.append(note)
        revised.add(r.period)
    for flag, (one, many) in _FLAG_FOOTNOTES.items():
        periods = [p.period for p in t.points if flag in p.flags and p.period not in revised]
        if periods:
            notes.append((one if len(periods) == 1 else many).format(periods=join_list(periods)))
    for flag, (one, many) in _QUALIFIER_FOOTNOTES.items():
        periods = [p.period for p in t.points if flag in p.flags and p.value is not None]
        if periods:
            notes.append((one if len(periods) == 1 else many).format(periods=join_list(periods)))
    for p in t.points:
        if p.value is None and p.missing_reason.strip():
            notes.append(
                _sentence(
                    _MISSING_REASON_TEMPLATE.format(
                        period=p.period, reason=p.missing_reason.strip()
                    )
                )
            )
    return notes


# --- entry point ------------------------------------------------------------------------------


def describe_series(
    *,
    subject: str,
    unit: str,
    decimals: int,
    points: list[Point],
    direction: str = "up",
    median_points: list[Point] | None = None,
    small_number_threshold: int | None = None,
    revisions: list[Revision] | None = None,
    short_subject: str | None = None,
    denominator_noun: str | None = None,
    small_base: int = SMALL_BASE,
) -> Narrative:
    """Describe one series in Swedish sentences; see the module docstring for the rules.

    ``subject`` is the noun phrase that opens the first sentence ("Andelen beviljade
    kontaktförbud", "Antalet stödsökande till Välj att sluta"); ``short_subject`` the word that
    refers back to it (default: its first word in lower case). ``direction`` is the desired
    direction (``up``/``down``/``none``); ``denominator_noun`` names what the denominator counts
    ("handlagda brott") for the too-few-cases sentence.
    """
    u = get_unit(unit)
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"Ogiltigt antal decimaler: {decimals!r}")
    if direction not in DIRECTIONS:
        raise ValueError(f"Okänd riktning: {direction!r} (ska vara up, down eller none)")
    subject = subject.strip()
    if not subject:
        raise ValueError("Subjektet får inte vara tomt")
    head = (short_subject or subject.split()[0]).strip().lower()
    gender = _gender(head)
    f = _Formatter(u, decimals, small_base)
    t = trend(points, decimals=decimals, small_number_threshold=small_number_threshold)

    if not t.points:
        return Narrative([_NO_DATA], _footnotes(t, revisions, f))
    sentences = [
        *_change_sentence(_capitalize(subject), gender, t, f),
        *_streak_sentence(head, direction, t),
        *_median_sentence(head, t, median_points, f),
        *_range_sentence(head, t, f),
        *_small_sentence(head, gender, t, denominator_noun),
        *_missing_sentence(t),
    ]
    return Narrative(sentences, _footnotes(t, revisions, f))


# --- one paragraph per indicator ------------------------------------------------------------------
#
# ``describe_indicator`` writes at most three sentences about a whole indicator (its table), in
# this order of priority: (1) the level and change of the main series with the desired
# direction and, when true, "den högsta/lägsta under perioden …"; (2) the comparison the table
# invites (girls/boys, school levels, women/men, age groups …) at the latest period; (3) the
# area against the national median. A series of many areas (one per municipality) gets one
# sentence about the distribution instead. The patterns, with examples, are in docs/narrative.md.

MAX_SENTENCES = 3


@dataclass
class Group:
    """One breakdown series of an indicator: ``label`` in running text ("flickor i åk 8")."""

    label: str
    points: list[Point]
    dims: dict[str, str] = field(default_factory=dict)


_DIRECTION_PHRASE = {True: "i önskad riktning", False: "mot den önskade riktningen"}
_COMPARE_TEMPLATE = "För {a} var {head} {cmp} än för {b} {period}, {va} mot {vb}."
_EQUAL_TEMPLATE = "För {a} och {b} var {head} {same} {period}, {value}."
_SAME_WORD = {"utrum": "densamma", "neutrum": "detsamma"}
_SPREAD_TEMPLATE = "{head_cap} var {period} högst för {hi}, {vhi}, och lägst för {lo}, {vlo}."
_AREA_MEDIAN_TEMPLATES = {
    "up": "{area} låg {period} över medianen i riket ({median}){verdict}.",
    "down": "{area} låg {period} under medianen i riket ({median}){verdict}.",
    "unchanged": "{area} låg {period} i nivå med medianen i riket ({median}).",
}
_DISTRIBUTION_TEMPLATE = (
    "{head_cap} {period} var i mitten {median} bland de {n} {areas} och varierade mellan "
    "{low} och {high}"
)
_IMPROVED_TEMPLATE = "; {k} av {m} låg {better} än {previous}"


def _latest_common(groups: Sequence[Group], decimals: int) -> str | None:
    """The latest period in which at least two groups (or the only group) have a value."""
    counts: dict[str, int] = {}
    for g in groups:
        for p in g.points:
            if p.value is not None:
                counts[p.period] = counts.get(p.period, 0) + 1
    need = min(2, len(groups))
    periods = [p for p, n in counts.items() if n >= need]
    return max(periods, key=period_sort_key) if periods else None


def _value_at(g: Group, period: str) -> Decimal | None:
    return next((p.value for p in g.points if p.period == period), None)


def _comparison_sentence(
    head: str, gender: str, groups: Sequence[Group], f: _Formatter, direction: str
) -> list[str]:
    if len(groups) < 2:
        return []
    period = _latest_common(groups, f.decimals)
    if period is None:
        return []
    vals = [
        (g, round_half_up(_value_at(g, period), f.decimals))
        for g in groups
        if _value_at(g, period) is not None
    ]
    period = period_label(period, prefix=True)
    if len(vals) == 2:
        (ga, va), (gb, vb) = vals
        if va == vb:
            return [
                _EQUAL_TEMPLATE.format(
                    a=ga.label,
                    b=gb.label,
                    head=head,
                    same=_SAME_WORD[gender],
                    period=period,
                    value=f.value(va),
                )
            ]
        if va < vb:
            (ga, va), (gb, vb) = (gb, vb), (ga, va)
        return [
            _COMPARE_TEMPLATE.format(
                a=ga.label,
                b=gb.label,
                head=head,
                cmp="högre",
                period=period,
                va=f.bare(va),
                vb=f.value(vb),
            )
        ]
    hi = max(vals, key=lambda x: x[1])
    lo = min(vals, key=lambda x: x[1])
    if hi[1] == lo[1]:
        return []
    return [
        _SPREAD_TEMPLATE.format(
            head_cap=_capitalize(head),
            hi=hi[0].label,
            vhi=f.value(hi[1]),
            lo=lo[0].label,
            vlo=f.value(lo[1]),
            period=period,
        )
    ]


def _area_median_sentence(
    area: str, t: Trend, median_points: Iterable[Point] | None, f: _Formatter, direction: str
) -> list[str]:
    if t.latest is None or not median_points:
        return []
    m = next((p for p in median_points if p.period == t.latest.period), None)
    if m is None or m.value is None:
        return []
    ours = round_half_up(t.latest.value, f.decimals)
    theirs = round_half_up(m.value, f.decimals)
    key = "up" if ours > theirs else "down" if ours < theirs else "unchanged"
    verdict = ""
    if key != "unchanged" and direction in ("up", "down"):
        verdict = ", alltså bättre än riket" if key == direction else ", alltså sämre än riket"
    return [
        _AREA_MEDIAN_TEMPLATES[key].format(
            area=area,
            period=period_label(t.latest.period),
            median=f.value(theirs),
            verdict=verdict,
        )
    ]


def _level_sentence(subject: str, gender: str, t: Trend, f: _Formatter, direction: str) -> str:
    text = _change_sentence(subject, gender, t, f)[0].rstrip(".")
    if t.previous is not None and direction in ("up", "down") and not t.change_is_qualified:
        c = change(t.previous, t.latest, f.unit, f.decimals)
        if c.direction != "unchanged":
            phrase = _DIRECTION_PHRASE[c.direction == direction]
            marker = ", och är "
            if marker in text:
                before, after = text.split(marker, 1)
                text = f"{before} {phrase}{marker}{after}"
            else:
                text += f" {phrase}"
    return text + "."


def describe_indicator(
    *,
    subject: str,
    unit: str,
    decimals: int,
    direction: str = "none",
    area: str = "",
    points: list[Point] | None = None,
    median_points: list[Point] | None = None,
    groups: Sequence[Group] = (),
    small_number_threshold: int | None = None,
    small_base: int = SMALL_BASE,
    revisions: list[Revision] | None = None,
    denominator_noun: str | None = None,
) -> Narrative:
    """At most three sentences about one indicator; see the section comment above.

    ``subject`` is the short name in definite form ("andelen beviljade kontaktförbud"); its
    first word is the head that later sentences refer back to. ``points`` is the main series
    (the total), ``groups`` the breakdown series to compare; ``area`` names the main series'
    area for the comparison with the national median.
    """
    u = get_unit(unit)
    subject = subject.strip()
    if not subject:
        raise ValueError("Subjektet får inte vara tomt")
    head = subject.split()[0].lower()
    gender = _gender(head)
    f = _Formatter(u, decimals, small_base)
    sentences: list[str] = []
    notes: list[str] = []
    t = None
    if points:
        t = trend(points, decimals=decimals, small_number_threshold=small_number_threshold)
        notes = _footnotes(t, revisions, f)
        if t.latest is not None:
            sentences.append(_level_sentence(_capitalize(subject), gender, t, f, direction))
        if t.missing_periods:
            notes.append(_MISSING_TEMPLATE.format(periods=join_list(t.missing_periods)))
    if not sentences and groups:
        # no total: the level of each group carries the first sentence
        sentences.extend(_comparison_sentence(subject, gender, groups, f, direction))
        groups = ()
    sentences.extend(_comparison_sentence(head, gender, groups, f, direction))
    if t is not None and area:
        sentences.extend(_area_median_sentence(area, t, median_points, f, direction))
    if t is not None and len(sentences) < MAX_SENTENCES:
        sentences.extend(_streak_sentence(head, direction, t))
    if t is not None and len(sentences) < MAX_SENTENCES:
        sentences.extend(_small_sentence(head, gender, t, denominator_noun))
    if not sentences:
        sentences = [f"Det finns inga uppgifter om {subject[:1].lower()}{subject[1:]}."]
    return Narrative([_sentence(s) for s in sentences[:MAX_SENTENCES]], notes)


def describe_distribution(
    *,
    subject: str,
    unit: str,
    decimals: int,
    direction: str,
    area_noun: tuple[str, str],
    series: Sequence[Group],
    small_base: int = SMALL_BASE,
) -> Narrative:
    """One sentence on a series of many areas: the median, the range and, when the previous
    period exists, how many areas moved in the desired direction. ``area_noun`` is the plural
    definite/indefinite pair ("kommunerna", "kommuner")."""
    from lagesbild.indicators.stats import median as _median

    f = _Formatter(get_unit(unit), decimals, small_base)
    head = subject.strip()
    period = _latest_common(series, decimals)
    if period is None:
        return Narrative([f"Det finns inga uppgifter om {head[:1].lower()}{head[1:]}."])
    values = [round_half_up(_value_at(g, period), decimals) for g in series]
    text = _DISTRIBUTION_TEMPLATE.format(
        head_cap=_capitalize(head),
        period=period,
        median=f.value(_median(values)),
        n=len(values),
        areas=area_noun[0],
        low=f.bare(min(values)),
        high=f.value(max(values)),
    )
    if direction in ("up", "down"):
        earlier = sorted(
            {
                p.period
                for g in series
                for p in g.points
                if period_sort_key(p.period) < period_sort_key(period)
            },
            key=period_sort_key,
        )
        if earlier:
            prev = earlier[-1]
            pairs = [(_value_at(g, prev), _value_at(g, period)) for g in series]
            pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
            if pairs:
                better = sum(1 for a, b in pairs if (b > a if direction == "up" else b < a))
                text += _IMPROVED_TEMPLATE.format(
                    k=better,
                    m=len(pairs),
                    better="högre" if direction == "up" else "lägre",
                    previous=prev,
                )
    return Narrative([_sentence(text)])
