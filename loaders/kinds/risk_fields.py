"""A risk's fields beyond its scores: appetite, trend, label words on refs, labels merged down, an objective
stated in a sheet's title."""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple

from config import settings
from loaders import vocabulary
from loaders.cells import clean_text
from loaders.tables import Table, is_empty

# Columns whose labels often sit in one cell merged down over the rows of several risks.
MERGED_DOWN_FIELDS = ("objective", "owner", "directorate", "committee", "appetite", "appetite_max_score")
TRENDS = ("improving", "unchanged", "deteriorating")
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_RANGE_RE = re.compile(r"(\d+)\s*(?:-|–|to)\s*(\d+)")


class Appetite(NamedTuple):
    level: str | None
    max_score: int | None
    problem: str | None


@cache
def _levels() -> tuple[tuple[str, tuple[str, ...], int], ...]:
    return tuple((a.name, tuple(w.lower() for w in a.words), a.max_score) for a in settings().risks.appetite_levels)


def appetite_level(value: Any) -> str | None:
    """The configured level an appetite word names ("Cautious", "Seek (20-25)", "Low appetite")."""
    found = vocabulary.mapped("appetite", value)
    if found is not None:
        return found
    words = (clean_text(value) or "").lower()
    if not words:
        return None
    by_prefix = [(len(w), name) for name, ws, _ in _levels() for w in ws if _starts_with_word(words, w)]
    if by_prefix:
        return max(by_prefix)[1]
    named = {name.lower(): name for name, _, _ in _levels()}
    return next((named[w] for w in re.findall(r"[a-z]+", words) if w in named), None)


def _starts_with_word(text: str, word: str) -> bool:
    return text.startswith(word) and (len(text) == len(word) or not text[len(word)].isalpha())


def stated_max_score(value: Any, top: int) -> int | None:
    """The highest score a cell tolerates: 12 from 12, "8-12", "Cautious (up to 12)"; None when none fits."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        return int(number) if number.is_integer() and 1 <= number <= top else None
    words = clean_text(value) or ""
    ranged = _RANGE_RE.search(words)
    numbers = [float(ranged[2])] if ranged else [float(n) for n in _NUMBER_RE.findall(words)]
    fitting = [int(n) for n in numbers if n.is_integer() and 1 <= n <= top]
    return fitting[-1] if len(fitting) == 1 or ranged else None


def read_appetite(value: Any, stated: Any, scale: str) -> Appetite:
    """The level and tolerable score of an appetite cell and a tolerable-score cell (either may be empty)."""
    top = 9 if scale == "3x3" else 25
    level = None if is_empty(value) else appetite_level(value)
    if level is None and not is_empty(stated) and not isinstance(stated, int | float):
        level = appetite_level(stated)
    max_score = None if is_empty(stated) else stated_max_score(stated, top)
    if max_score is None and not is_empty(value):
        max_score = stated_max_score(value, top)
    if max_score is None and level is not None and scale != "3x3":
        max_score = next(limit for name, _, limit in _levels() if name == level)
    problem = None
    if level is None and max_score is None:
        shown = clean_text(value if not is_empty(value) else stated)
        problem = f"appetite '{shown}' names no configured appetite level and no tolerable score"
    return Appetite(level, max_score, problem)


@cache
def _trend_words() -> tuple[tuple[str, str], ...]:
    pairs = [(w.lower(), trend) for trend, words in settings().risks.trend_words.items() for w in words]
    return tuple(sorted(pairs, key=lambda p: -len(p[0])))


def read_trend(value: Any) -> str | None:
    """improving / unchanged / deteriorating from a word ("Reducing", "No change") or an arrow (↓ ↔ ▲)."""
    found = vocabulary.mapped("trend", value)
    if found is not None:
        return found
    words = (clean_text(value) or "").lower()
    if not words:
        return None
    by_word = next((trend for w, trend in _trend_words() if w[:1].isalpha() and _names(words, w)), None)
    if by_word is not None:
        return by_word
    arrows = {trend for w, trend in _trend_words() if not w[:1].isalpha() and w in words}
    return arrows.pop() if len(arrows) == 1 else None


def _names(text: str, word: str) -> bool:
    """The text starts with the word: a stem ("Improv", "Increas") as a prefix, a short word ("Up") whole."""
    return _starts_with_word(text, word) if len(word) <= 4 else text.startswith(word)


@cache
def _ref_label_re() -> re.Pattern:
    words = sorted(settings().risks.ref_label_words, key=len, reverse=True)
    label = "|".join(r"\s+".join(map(re.escape, w.split())) for w in words)
    return re.compile(
        rf"^(?:(?:{label})\.?\s*[:#.\-–]?\s*)+(?P<id>[A-Za-z]{{0,6}}\s*-?\s*\d+(?:[.\-/]\d+)*[a-z]?)\s*[:.\-–]?\s*$",
        re.I,
    )


def without_label(ref: str | None) -> str | None:
    """A ref without its leading label word: "Risk 1.1" and "Ref: 1.1 :" are "1.1"."""
    if ref is None:
        return None
    match = _ref_label_re().match(ref)
    return match["id"].strip() if match else ref


def merged_value(table: Table, r: int, c: int) -> Any:
    """A cell's value, or the value of the merged range it lies in below that range's first row."""
    value = table.rows[r][c] if c < len(table.rows[r]) else None
    if not is_empty(value):
        return value
    for r0, c0, r1, c1 in table.sheet.merged:
        if r0 < r <= r1 and c0 <= c <= c1 and r0 >= table.start:
            return table.rows[r0][c0] if c0 < len(table.rows[r0]) else None
    return value


@cache
def _objective_labels() -> tuple[str, ...]:
    words = settings().header_synonyms.get("risks", {}).get("objective", ())
    return tuple(sorted({w for w in words if not w.lower().endswith(" no")}, key=len, reverse=True))


def title_objective(table: Table) -> str | None:
    """The objective a sheet's title or name states ("Strategic Objective 2: Reduce inequalities"), when it
    states exactly one: the words after the label, or the label with its number when that is all there is."""
    labels = "|".join(re.escape(w) for w in _objective_labels())
    pattern = re.compile(
        rf"\b(?:{labels})s?\b(?P<number>\s*[A-Za-z]{{0,3}}\d+[a-z]?)?\s*[:\-–.]?\s*(?P<rest>.*)$", re.I
    )
    shown = [t for _, t in table.above] + [table.name]
    matches = [m for t in shown if (m := pattern.search(clean_text(t) or ""))]
    found = {(m[0] if m["number"] else m["rest"]).strip() for m in matches} - {""}
    return found.pop() if len(found) == 1 else None


_TITLE_APPETITE_RE = re.compile(r"\b(?:risk\s+)?appetite\s*(?:level|is)?\s*[:\-–]\s*(?P<words>\S.*)$", re.I)


def title_appetite(table: Table) -> str | None:
    """The appetite a sheet's title rows state for all its risks ("Risk appetite: Cautious"), when exactly one."""
    found = {m["words"].strip() for _, t in table.above if (m := _TITLE_APPETITE_RE.search(clean_text(t) or ""))}
    return found.pop() if len(found) == 1 else None


def unknown_trend(value: Any) -> str:
    return f"trend '{clean_text(value)}' is not one of the configured words or arrows for {', '.join(TRENDS)}"
