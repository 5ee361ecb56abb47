"""Header wording: normalising header text, matching it to canonical fields, and finding header rows.

The synonyms live in ``config/assurance.toml`` (``[header_synonyms.<layout>]``). A layout is a table
shape the loaders know: every record kind, plus summary tables that are checked but not loaded
(``qipp_stage_matrix``, ``qipp_rag_summary``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from config import settings
from records import KIND_FIELDS

MAX_HEADER_TEXT = 90  # longer cells are data, not headers
SEARCH_ROWS = 30

_UNITS = re.compile(
    r"£\s*'?\s*0{3}s?|£\s*'?\s*k\b|£\s*'?\s*m\b|£\s*'?\s*millions?\b|\(\s*£[^)]*\)|£|\bgbp\b|\b0{3}s\b|%",
    re.IGNORECASE,
)
_FINANCIAL_YEAR = re.compile(r"\b(?:fy\s*)?(?:19|20)?\d\d\s*[/-]\s*(?:19|20)?\d\d\b", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_HEADER = re.compile(
    r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s*[-/' ]\s*((?:19|20)?\d\d))?$", re.IGNORECASE
)


@cache
def normalise(text: str) -> str:
    """Lower case, units and financial-year tokens removed, punctuation to single spaces."""
    s = str(text).replace("\u00a0", " ").replace("&", " and ").lower()
    s = _UNITS.sub(" ", s)
    s = _FINANCIAL_YEAR.sub(" ", s)
    return _NON_WORD.sub(" ", s).strip()


def header_text(value) -> str | None:
    """The text of a header cell, or None when it is empty or too long to be a header."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%b-%y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(str(value).split())
    return text if text and len(text) <= MAX_HEADER_TEXT else None


def financial_year_in(text: str) -> str | None:
    """'2018/19', '18/19', '2018-2019' -> '2018/19'; None when the text names no financial year."""
    m = re.search(r"\b((?:19|20)\d\d)\s*[/-]\s*((?:19|20)?\d\d)\b", text)
    if m:
        start, end = int(m.group(1)), int(m.group(2)[-2:])
        if (start + 1) % 100 == end:
            return f"{start}/{end:02d}"
    m = re.search(r"(?<![\d/])(\d\d)\s*/\s*(\d\d)(?![\d/])", text)
    if m and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
        return f"20{m.group(1)}/{m.group(2)}"
    return None


def month_number(word: str) -> int | None:
    """A month's name, or its first three letters or more ('Sept' too) -> 1..12; None otherwise."""
    lower = word.lower()
    if len(lower) < 3:
        return None
    if lower == "sept":
        return 9
    return next((n for n, name in enumerate(MONTH_NAMES, start=1) if name.startswith(lower)), None)


def month_of_header(value) -> tuple[int, int | None] | None:
    """A month column header -> (calendar month, year or None): 'Apr', 'April 2018', 'Apr-18', a date."""
    if isinstance(value, datetime | date):
        return value.month, value.year
    if not isinstance(value, str):
        return None
    m = _MONTH_HEADER.match(value.strip())
    month = month_number(re.match(r"[a-z]+", value.strip().lower()).group(0)) if m else None
    if month is None:
        return None
    year = None if m.group(2) is None else int(m.group(2))
    return month, year if year is None or year > 100 else 2000 + year


_MONTH_OR_PERIOD_START = re.compile(r"jan|feb|apr|jun|jul|aug|sep|oct|nov|dec|m", re.IGNORECASE)
_PERIOD_HEADER = re.compile(r"^(?:m|month)\s*0?(1[0-2]|[1-9])$", re.IGNORECASE)


def month_with_label(value) -> tuple[tuple[int, int | None], str | None] | None:
    """A month header and the words beside it: 'Apr-24' -> ((4, 2024), None), 'Plan Apr-24' and 'Apr 24 Plan'
    -> ((4, 2024), 'Plan'), 'M1 Actual' -> ((4, None), 'Actual') (M1 is the financial year's first month)."""
    if not isinstance(value, str):
        found = month_of_header(value)
        return (found, None) if found else None
    words = value.split()
    if not any(map(_MONTH_OR_PERIOD_START.match, words)):
        return None  # a month or period header starts with a month's name, "M" or "Month"
    for n in range(len(words), 0, -1):
        for month_words, label in ((words[:n], words[n:]), (words[-n:], words[:-n])):
            if len(label) > 3:
                continue
            found = _month_or_period(" ".join(month_words))
            if found:
                return found, " ".join(label) or None
    return None


def _month_or_period(text: str) -> tuple[int, int | None] | None:
    period = _PERIOD_HEADER.match(text.strip())
    if period:
        return (int(period.group(1)) + 2) % 12 + 1, None
    return month_of_header(text)


@dataclass(frozen=True)
class Synonyms:
    """Normalised phrase -> fields (in canonical order) for one layout."""

    layout: str
    phrases: dict[str, tuple[str, ...]]
    fields: tuple[str, ...]
    longest: int  # words in the longest phrase
    starts: frozenset[str] = frozenset()  # the first words of the phrases: no phrase starts elsewhere
    seen: dict = field(default_factory=dict, compare=False, repr=False)  # text -> match_quality's answer
    cells: dict = field(default_factory=dict, compare=False, repr=False)  # (text, group) -> _cell_fields' answer


@cache
def synonyms(layout: str) -> Synonyms:
    table = settings().header_synonyms.get(layout, {})
    kind_fields = KIND_FIELDS.get(layout, {})
    order = list(kind_fields) + [f for f in table if f not in kind_fields]
    phrases: dict[str, list[str]] = {}
    for fld in order:
        for word in [*table.get(fld, []), *([fld] if fld in kind_fields else [])]:
            key = normalise(word)
            if key and fld not in phrases.setdefault(key, []):
                phrases[key].append(fld)
    longest = max((len(k.split()) for k in phrases), default=1)
    starts = frozenset(k.split()[0] for k in phrases)
    return Synonyms(layout, {k: tuple(v) for k, v in phrases.items()}, tuple(order), longest, starts)


def match_phrase(text: str | None, syn: Synonyms) -> tuple[str, ...]:
    """Fields a header names: the whole normalised text, else the longest phrase it starts with."""
    return match_quality(text, syn)[0]


MEMO_LIMIT = 100_000  # texts remembered per layout: every row of every table is tried as a header


def match_quality(text: str | None, syn: Synonyms) -> tuple[tuple[str, ...], bool]:
    """(fields, exact): exact when the whole header is a known phrase, not just its first words."""
    if not text:
        return (), False
    found = syn.seen.get(text)
    if found is None:
        if len(syn.seen) >= MEMO_LIMIT:
            syn.seen.clear()
        found = syn.seen[text] = _match_quality(text, syn)
    return found


def _match_quality(text: str, syn: Synonyms) -> tuple[tuple[str, ...], bool]:
    key = normalise(text)
    if not key:
        return (), False
    hit = syn.phrases.get(key)
    if hit:
        return hit, True
    words = key.split()
    longest = min(len(words) - 1, syn.longest)
    if words[0] in syn.starts:
        for n in range(longest, 0, -1):
            hit = syn.phrases.get(" ".join(words[:n]))
            if hit:
                return hit, False
    # Then the longest known phrase anywhere inside it ("Annual Saving" names a saving).
    starts = [start for start in range(1, len(words)) if words[start] in syn.starts]
    for n in range(longest, 0, -1):
        for start in starts:
            if start + n > len(words):
                break
            hit = syn.phrases.get(" ".join(words[start : start + n]))
            if hit:
                return hit, False
    return (), False


@dataclass
class HeaderMatch:
    """Columns of one header (one or two rows) matched to one layout's fields."""

    layout: str
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column (first match)
    repeated: dict[str, list[int]] = field(default_factory=dict)  # field -> columns, for repeating fields
    texts: dict[int, str] = field(default_factory=dict)  # column -> header text as shown (group + sub)
    groups: dict[int, str] = field(default_factory=dict)  # column -> group text above it (two-row headers)
    unmatched: list[int] = field(default_factory=list)
    own: set[int] = field(default_factory=set)  # columns matched on their own text, not a group's alone

    @property
    def score(self) -> int:
        return len(self.columns) + sum(len(v) for v in self.repeated.values())

    def has(self, *names: str) -> bool:
        return all(n in self.columns or n in self.repeated for n in names)

    def has_any(self, *names: str) -> bool:
        return any(n in self.columns or n in self.repeated for n in names)


# Fields that may take many columns: the plan bridge's value columns, the stage matrix's
# No./Value pairs, an activity table's month columns, an action tracker's monthly updates.
REPEATING = {
    ("finance_plan", "plan_column"),
    ("qipp_stage_matrix", "count"),
    ("qipp_stage_matrix", "value"),
    ("activity", "month_columns"),
    ("qipp_schemes", "month_columns"),
    ("actions", "progress"),
}


def stage_of(text: str | None) -> int | None:
    """'0 - Pipeline', 'Pipeline', '3-Delivery', 'Stage 3' -> stage number; None otherwise."""
    if not text:
        return None
    names = [normalise(n) for n in settings().qipp.stages]
    key = normalise(text)
    m = re.fullmatch(rf"(?:(?:{_prefixes()})\s*)?(\d)(?:\s+([a-z ]+))?", key)
    if m:
        n = int(m.group(1))
        return n if n < len(names) and (m.group(2) is None or m.group(2) == names[n]) else None
    return names.index(key) if key in names else None


def stage_of_value(text: str | None) -> int | None:
    """A tracker's stage cell: what ``stage_of`` reads, or another word for a stage ("Idea", "Live")."""
    stage = stage_of(text)
    if stage is not None or not text:
        return stage
    words = {normalise(w): n for w, n in settings().qipp.stage_words.items()}
    key = normalise(text)
    return words[key] if key in words else _numbered_stage(key)


@cache
def _prefixes() -> str:
    """The configured words written before a stage number, as a regular-expression alternation."""
    prefixes = sorted({normalise(p) for p in ["Stage", *settings().qipp.stage_prefixes]}, key=len, reverse=True)
    return "|".join(map(re.escape, prefixes))


@cache
def _stage_number() -> re.Pattern:
    return re.compile(rf"(?:(?:{_prefixes()})\s*)?(\d)(?:\s+[a-z].*)?")


def _numbered_stage(key: str) -> int | None:
    """'gateway 3', 'phase 2', '2 business case' (a number with any name after it) -> the number, when a stage."""
    m = _stage_number().fullmatch(key)
    if m is None:
        return None
    n = int(m.group(1))
    return n if n < len(settings().qipp.stages) else None


def match_header(texts: dict[int, str], layout: str, groups: dict[int, str] | None = None) -> HeaderMatch:
    """Assign each header text to a field of ``layout``.

    ``groups`` holds the text of a group row above (two-row headers): the combined "group sub"
    text is tried first, then the sub-header alone, then the group alone. When a phrase names
    several fields, the first free one after the previous column's field is taken.
    """
    syn = synonyms(layout)
    groups = groups or {}
    result = HeaderMatch(layout, groups=dict(groups))
    order = {f: i for i, f in enumerate(syn.fields)}
    previous = -1
    prefix_only: set[str] = set()  # fields held by a column that only started with their phrase
    for col in sorted(texts):
        text = texts[col]
        group = groups.get(col)
        shown, special, candidates, exact, own = _cell_fields(text, group, syn)
        result.texts[col] = shown
        if special:
            result.repeated.setdefault(special, []).append(col)
            result.own.add(col)
            continue
        chosen = _choose(candidates, result, order, previous, layout)
        if chosen is None and exact:
            chosen = _displace(candidates, result, prefix_only)
        if chosen is None:
            result.unmatched.append(col)
            continue
        if not exact:
            prefix_only.add(chosen)
        else:
            prefix_only.discard(chosen)
        if own:
            result.own.add(col)
        if (layout, chosen) in REPEATING:
            result.repeated.setdefault(chosen, []).append(col)
        else:
            result.columns[chosen] = col
        previous = order.get(chosen, previous)
    return result


def header_words(texts: dict[int, str], groups: dict[int, str] | None) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Each header cell's words and special layouts (see ``_cell_words``), for ``could_score``."""
    groups = groups or {}
    return [_cell_words(text, groups.get(col)) for col, text in texts.items()]


def could_score(cells: list[tuple[frozenset[str], frozenset[str]]], layout: str, least: int) -> bool:
    """False when fewer than ``least`` of a header's cells (``header_words``) name any field of ``layout``:
    match_header's score (one per matched column) cannot then reach ``least``."""
    starts = synonyms(layout).starts
    named = 0
    for words, special in cells:
        if layout in special or not starts.isdisjoint(words):
            named += 1
            if named >= least:
                return True
    return False


_WORDS: dict[tuple[str, str | None], tuple[frozenset[str], frozenset[str]]] = {}
_WORDS_SETTINGS: list = [None]  # the settings _WORDS was found with


def _cell_words(text: str, group: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """(words, layouts) of a header cell: every word match_quality may look up for it, and the layouts it may
    be a special column of. A layout's phrase only matches a text holding the phrase's first word (its
    ``starts``), so a cell naming none of a layout's first words and not special to it names no field of it."""
    if _WORDS_SETTINGS[0] is not settings() or len(_WORDS) >= MEMO_LIMIT:
        _WORDS.clear()
        _WORDS_SETTINGS[0] = settings()
    key = (text, group)
    found = _WORDS.get(key)
    if found is None:
        if group is None:
            words = frozenset(normalise(text).split())
            special = frozenset(layout for layout, _ in REPEATING if _special(layout, text, None))
        else:
            (text_words, text_special), (group_words, group_special) = _cell_words(text, None), _cell_words(group, None)
            shown = f"{group} {text}" if group != text else text
            words = text_words | group_words | frozenset(normalise(shown).split())
            special = text_special | group_special
        found = _WORDS[key] = (words, special)
    return found


def _cell_fields(text: str, group: str | None, syn: Synonyms) -> tuple[str, str | None, tuple[str, ...], bool, bool]:
    """(shown, special, candidates, exact, own) of one header cell: what match_header needs of it before
    it looks at the other columns. Pure in the text, the group and the layout's configured synonyms."""
    key = (text, group)
    found = syn.cells.get(key)
    if found is None:
        if len(syn.cells) >= MEMO_LIMIT:
            syn.cells.clear()
        shown = f"{group} {text}" if group and group != text else text
        special = _special(syn.layout, text, group)
        candidates, exact, own = ((), False, True) if special else _candidates(shown, text, group, syn)
        found = syn.cells[key] = (shown, special, candidates, exact, own)
    return found


def _candidates(shown: str, text: str, group: str | None, syn: Synonyms) -> tuple[tuple[str, ...], bool, bool]:
    """(fields, exact, own): the combined "group sub" text first, unless only its group part matched,
    then the sub-header alone, then the group alone. ``own`` is False when the sub-header added nothing."""
    combined, exact = match_quality(shown, syn)
    if shown == text:
        return combined, exact, True
    group_fields = match_quality(group, syn)[0]
    if combined and (exact or combined != group_fields):
        return combined, exact, True
    alone, alone_exact = match_quality(text, syn)
    if alone:
        return alone, alone_exact, True
    if combined:
        return combined, exact, False
    return group_fields, False, False


def _special(layout: str, text: str, group: str | None) -> str | None:
    """The repeating field a month, stage or plan-year column is of, whatever its header's words; only some
    layouts with a REPEATING field have such columns."""
    if layout == "activity" and (month_of_header(text) or (group and month_of_header(group))):
        return "month_columns"
    if layout == "qipp_schemes" and (month_with_label(text) or (group and month_with_label(group))):
        return "month_columns"
    if layout == "qipp_stage_matrix" and group is None and stage_of(text) is not None:
        return "value"
    if layout == "finance_plan" and len(text) <= 30 and len(normalise(text).split()) <= 3:
        if financial_year_in(text) or normalise(text) == "total":  # "2012/13 £'m", "2018/19 Plan", "Total"
            return "plan_column"
    return None


def _displace(candidates, result: HeaderMatch, prefix_only: set[str]) -> str | None:
    """An exact header takes its field from a column that only started with the phrase
    ('Mitigated Risk' over 'Mitigation comment', 'Target Overall Rating' over 'Target closure')."""
    for fld in candidates:
        if fld in prefix_only and fld in result.columns:
            result.unmatched.append(result.columns.pop(fld))
            prefix_only.discard(fld)
            return fld
    return None


def _choose(candidates, result: HeaderMatch, order, previous, layout) -> str | None:
    free = [c for c in candidates if c not in result.columns or (layout, c) in REPEATING]
    if not free:
        return None
    after = [c for c in free if order.get(c, -1) > previous]
    return (after or free)[0]
