"""Cell parsers: one cell's value in, a parsed value and a short problem (or None) out.

Every function here accepts any value a workbook can hold (str, int, float, bool, date, datetime,
time, None) and never raises. Vocabularies (likelihood and consequence words, RAG words and fills,
non-date words, score bands) come from configuration.
"""

from __future__ import annotations

import calendar
import colorsys
import html
import math
import re
from datetime import date, datetime, time, timedelta
from functools import cache
from numbers import Number
from typing import Any, NamedTuple

import config
from loaders import vocabulary
from loaders.headers import month_number
from records import calendar_year


class Parsed(NamedTuple):
    value: Any
    problem: str | None


class ScoreCell(NamedTuple):
    likelihood: int | None
    consequence: int | None
    score: int | None
    rag: str | None
    problems: list[str]
    tagged: bool = False  # each factor named by a letter or word ("L4 x C5"): its order is stated in the cell


class DateCell(NamedTuple):
    iso: str | None
    original_iso: str | None
    text: str | None
    problem: str | None


SCALE_MAX = {"5x5": 5, "3x3": 3}
EXCEL_ERRORS = {
    "#REF!",
    "#DIV/0!",
    "#N/A",
    "#VALUE!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
}

_INLINE_TAGS = r"b|i|u|em|strong|span|font|sup|sub|s|strike|small|big|mark|a"
_INLINE_TAG_RE = re.compile(rf"</?(?:{_INLINE_TAGS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ANY_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9:-]*(?:\s[^<>]*)?/?>|<!--.*?-->", re.DOTALL)
_SPACE_RE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_number(value: Any) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _finite(value: Any) -> bool:
    try:
        return math.isfinite(value)
    except (TypeError, ValueError, OverflowError):
        return False


# --- text ------------------------------------------------------------------------------------------


def clean_text(value: Any) -> str | None:
    """The value as tidy text: HTML tags and entities gone, whitespace collapsed; None if empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:
        return None
    if "<" in text:
        text = _INLINE_TAG_RE.sub("", text)
        text = _ANY_TAG_RE.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    text = text.translate(_INVISIBLE).replace("\u00a0", " ").replace("\u202f", " ")
    text = _SPACE_RE.sub(" ", text).strip()
    return text or None


@cache
def blank_marks() -> frozenset[str]:
    """Cell texts that stand for nothing (dashes), from configuration."""
    return frozenset(config.settings().loader_vocabulary.blank_marks)


def is_blank(value: Any) -> bool:
    """None, empty or whitespace text, or a dash standing for nothing."""
    text = clean_text(value)
    return text is None or text in blank_marks()


# --- numbers and money -----------------------------------------------------------------------------

_NUMBER_RE = re.compile(
    r"""^(?P<sign1>[-−+])?\s*(?P<open>\()?\s*(?P<sign2>[-−+])?\s*(?P<cur>[£$€])?\s*(?P<sign3>[-−])?\s*
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)(?:[eE](?P<exp>[-+]?\d{1,3}))?
    \s*(?P<unit>[A-Za-z%']+(?:\s+[A-Za-z]+)?)?\s*(?P<close>\))?\s*(?P<sign4>-)?$""",
    re.VERBOSE,
)

# In-cell money units -> factor to GBP thousands.
_MONEY_UNITS = {
    **dict.fromkeys(("m", "mn", "mil", "million", "millions"), 1000.0),
    **dict.fromkeys(("bn", "billion"), 1_000_000.0),
    **dict.fromkeys(("k", "thousand", "thousands", "'000", "000s"), 1.0),
}


class _Number(NamedTuple):
    value: float
    currency: bool
    unit: str | None  # lower-case unit word after the number ("%" for percent), or None


def _scan_number(value: Any) -> tuple[_Number | None, str | None]:
    """(number, None), (None, None) for a blank, or (None, problem)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, f"'{value}' is not a number"
    if _is_number(value):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return None, "not a number"
        if math.isnan(number):
            return None, "'NaN' is not a number"
        if not math.isfinite(number):
            return None, f"'{value}' is not a finite number"
        return _Number(number, False, None), None
    if isinstance(value, datetime | date | time):
        return None, f"a date or time ({value}), not a number"
    text = clean_text(value)
    if text is None or text in blank_marks():
        return None, None
    if text.upper() in EXCEL_ERRORS:
        return None, f"Excel error {text.upper()}"
    match = _NUMBER_RE.match(text)
    if match is None:
        return None, f"'{_shorten(text)}' is not a number"
    if bool(match["open"]) != bool(match["close"]):
        return None, f"'{_shorten(text)}' has an unmatched bracket"
    signs = [s for s in (match["sign1"], match["sign2"], match["sign3"], match["sign4"]) if s]
    negatives = sum(s in "-−" for s in signs) + bool(match["open"])  # a bracketed number is negative
    if negatives > 1 or len(signs) > 1:
        return None, f"'{_shorten(text)}' has more than one sign"
    try:
        number = float(match["num"].replace(",", "") + (f"e{match['exp']}" if match["exp"] else ""))
    except (ValueError, OverflowError):
        return None, f"'{_shorten(text)}' is not a number"
    if not math.isfinite(number):
        return None, f"'{_shorten(text)}' is not a finite number"
    unit = match["unit"].lower() if match["unit"] else None
    return _Number(-number if negatives else number, bool(match["cur"]), unit), None


def parse_money(value: Any, multiplier: float = 1.0) -> Parsed:
    """Money in GBP thousands; `multiplier` converts the column's unit, a unit in the cell wins."""
    number, problem = _scan_number(value)
    if number is None:
        return Parsed(None, problem)
    if number.unit == "%":
        return Parsed(None, f"'{clean_text(value)}' is a percentage, not money")
    if number.unit is not None:
        factor = _MONEY_UNITS.get(number.unit.replace("’", "'"))
        if factor is None:
            return Parsed(None, f"'{_shorten(clean_text(value) or '')}' is not an amount of money")
    elif number.currency:
        factor = 0.001  # "£844,000" states pounds whatever the column's unit
    else:
        factor = multiplier if _finite(multiplier) else 1.0
    return Parsed(_tidy(number.value * factor), None)


def _tidy(number: float) -> float:
    """Drop binary noise from a unit conversion (0.1 * 3 -> 0.3) without losing real precision."""
    rounded = round(number, 9)
    return 0.0 if rounded == 0 else rounded


def parse_int(value: Any) -> Parsed:
    """A whole number ("12", 12.0); fractions and percentages are problems."""
    number, problem = _scan_number(value)
    if number is None:
        return Parsed(None, problem)
    if number.unit is not None or not number.value.is_integer():
        return Parsed(None, f"'{_shorten(clean_text(value) or '')}' is not a whole number")
    return Parsed(int(number.value), None)


# --- likelihood, consequence, scores ---------------------------------------------------------------

_LEVEL_WITH_WORD_RE = re.compile(
    r"^\(?(\d+)\s*(?:[-–:.)=]\s*)?\(?([A-Za-z][^()]*?)\)?$|^([A-Za-z][A-Za-z ]*?)\s*[-–:(=]?\s*(\d+)\)?$"
)


def _level_words(axis: str, scale: str) -> dict[str, int]:
    settings = config.settings()
    if scale == "3x3":
        return settings.scale_3x3_words
    return settings.likelihood_words if axis == "likelihood" else settings.consequence_words


def _word_level(text: str, words: dict[str, int]) -> int | None:
    upper = text.upper()
    for word in sorted(words, key=len, reverse=True):
        if upper.startswith(word.upper()):
            return int(words[word])
    return None


def parse_level(value: Any, axis: str, scale: str = "5x5") -> Parsed:
    """A likelihood or consequence level: 1..5 (1..3 on 3x3), or a word such as LIKELY or MAJOR."""
    top = SCALE_MAX.get(scale)
    if top is None:
        return Parsed(None, f"unknown scale '{scale}'")
    if axis not in ("likelihood", "consequence"):
        return Parsed(None, f"unknown axis '{axis}'")
    if is_blank(value):
        return Parsed(None, None)
    words = _level_words(axis, scale) or {}
    text = clean_text(value) or ""
    level: int | None = None
    number = parse_int(value)
    if number.value is not None:
        level = number.value
    elif (mapped := vocabulary.mapped(axis, value)) is not None:
        level = int(mapped)
    elif (match := _LEVEL_WITH_WORD_RE.match(text)) is not None:
        digits, word = (match[1], match[2]) if match[1] else (match[4], match[3])
        level = int(digits)
        word_level = _word_level(word, words)
        if word_level is not None and word_level != level:
            return Parsed(None, f"{axis} '{_shorten(text)}': {word.strip()} is {word_level}, not {level}")
    else:
        level = _word_level(text, words)
        if level is None:
            return Parsed(None, f"unknown {axis} '{_shorten(text)}'")
    if not 1 <= level <= top:
        return Parsed(None, f"{axis} {level} is outside 1-{top}")
    return Parsed(level, None)


_TIMES_RE = re.compile(r"\\times|×|\*|✕")
_DOT_BEFORE_X_RE = re.compile(r"(\d)\s*\.\s*(?=[xX]\b|[xX]\s*\d)")
_SCORE_FORMS = (
    # "3 x 4 = 12", "4x4"
    (re.compile(r"^(?P<l>\d+)\s*x\s*(?P<c>\d+)\s*(?:=\s*(?P<s>\d+))?$", re.I)),
    # "20 4x5", "16 (4x4)", "16 - 4 x 4"
    (re.compile(r"^(?P<s>\d+)\s*[-–:(\[]?\s*(?P<l>\d+)\s*x\s*(?P<c>\d+)$", re.I)),
    # "12", "12.0"
    (re.compile(r"^(?P<s>\d+)(?:\.0+)?$")),
)
_TAGGED_FACTOR_RE = re.compile(
    r"(?<![A-WYZa-wyz])(?P<tag>likelihood|probability|consequence|impact|severity|[lcisp])\s*[:=]?\s*(?P<n>\d+)(?![\d.])",
    re.I,
)
_LIKELIHOOD_TAGS = ("l", "likelihood", "p", "probability")
_TAG_SEPARATORS_RE = re.compile(r"^[\s,;:/()\[\]=x-]+|[\s,;:/()\[\]=x-]+$", re.I)
_WORD_PRODUCT_RE = re.compile(
    r"^(?P<l>[A-Za-z][A-Za-z ]*?)\s+x\s+(?P<c>[A-Za-z][A-Za-z ]*?)(?:\s*=\s*(?P<s>\d+))?$", re.I
)


def _score_band_rag(score: int, scale: str) -> str | None:
    bands = config.risk_bands(scale=scale)
    words = config.settings().score_band_rag.get(scale, {})
    for band in sorted(bands, key=lambda b: b["max"]):
        if score <= band["max"]:
            return words.get(band["name"])
    return None


def parse_score(value: Any, scale: str = "5x5") -> ScoreCell:
    """A risk score cell: "3 x 4 = 12", "16 4x4 Red", "12 Amber", "LIKELY x MAJOR", 12 ..."""
    top = SCALE_MAX.get(scale)
    if top is None:
        return ScoreCell(None, None, None, None, [f"unknown scale '{scale}'"])
    if is_blank(value):
        return ScoreCell(None, None, None, None, [])
    if _is_number(value):
        number = parse_int(value)
        if number.value is None:
            return ScoreCell(None, None, None, None, [number.problem or f"'{value}' is not a score"])
        return _checked_score(None, None, number.value, None, scale, [])
    text = clean_text(value) or ""
    normal = _TIMES_RE.sub(" x ", text.replace("$", ""))
    normal = _DOT_BEFORE_X_RE.sub(r"\1 ", normal)
    normal = _SPACE_RE.sub(" ", normal).strip().rstrip(".").strip()
    problems: list[str] = []

    tagged = _tagged_score(normal, scale)
    if tagged is not None:
        return tagged

    words = _WORD_PRODUCT_RE.match(normal)
    if words is not None and not words["l"].isdigit():
        likelihood = parse_level(words["l"], "likelihood", scale)
        consequence = parse_level(words["c"], "consequence", scale)
        problems += [p for p in (likelihood.problem, consequence.problem) if p]
        if likelihood.value is None or consequence.value is None:
            return ScoreCell(likelihood.value, consequence.value, None, None, problems)
        stated = int(words["s"]) if words["s"] else None
        return _checked_score(likelihood.value, consequence.value, stated, None, scale, problems)

    last_digit = max((i for i, ch in enumerate(normal) if ch.isdigit()), default=-1)
    head, tail = normal[: last_digit + 1].strip(), normal[last_digit + 1 :]
    tail_word = re.sub(r"^[\s,;:/()\[\]=-]+|[\s,;:/()\[\]=.-]+$", "", tail)
    rag = None
    if tail_word:
        parsed_rag = parse_rag(tail_word)
        # else a band's name ("12 High") read as that band's RAG word
        rag = parsed_rag.value or config.settings().score_band_rag.get(scale, {}).get(tail_word.lower())
        if rag is None:
            problems.append(parsed_rag.problem or f"unknown RAG word '{_shorten(tail_word)}'")
    if not head:
        if rag is None:
            return ScoreCell(None, None, None, None, [f"'{_shorten(text)}' is not a risk score"])
        return ScoreCell(None, None, None, rag, [f"no score in '{_shorten(text)}'"])
    for form in _SCORE_FORMS:
        match = form.match(head)
        if match is not None:
            groups = match.groupdict()
            likelihood, consequence, stated = (int(groups[k]) if groups.get(k) else None for k in "lcs")
            return _checked_score(likelihood, consequence, stated, rag, scale, problems)
    return ScoreCell(None, None, None, None, [f"'{_shorten(text)}' is not a risk score"])


def _tagged_score(normal: str, scale: str) -> ScoreCell | None:
    """A cell naming each factor ("L4 x C5 = 20", "I5 L4 20", "C4 x L3"), or None when it does not."""
    factors = list(_TAGGED_FACTOR_RE.finditer(normal))
    if len(factors) != 2:
        return None
    likelihood = [int(f["n"]) for f in factors if f["tag"].lower() in _LIKELIHOOD_TAGS]
    consequence = [int(f["n"]) for f in factors if f["tag"].lower() not in _LIKELIHOOD_TAGS]
    if len(likelihood) != 1 or len(consequence) != 1:
        return None
    rest = _TAGGED_FACTOR_RE.sub(" ", normal)
    rest = _TAG_SEPARATORS_RE.sub("", _SPACE_RE.sub(" ", rest)).strip()
    stated, rag, problems = None, None, []
    if rest:
        remainder = parse_score(rest, scale)
        if remainder.likelihood is not None or (remainder.score is None and remainder.rag is None):
            return None
        stated, rag, problems = remainder.score, remainder.rag, [p for p in remainder.problems if " is " not in p]
    cell = _checked_score(likelihood[0], consequence[0], stated, rag, scale, problems)
    return cell._replace(tagged=True)


def _checked_score(
    likelihood: int | None,
    consequence: int | None,
    stated: int | None,
    rag: str | None,
    scale: str,
    problems: list[str],
) -> ScoreCell:
    top = SCALE_MAX[scale]
    for axis, level in (("likelihood", likelihood), ("consequence", consequence)):
        if level is not None and not 1 <= level <= top:
            problems.append(f"{axis} {level} is outside 1-{top}")
    likelihood, consequence = (v if v is not None and 1 <= v <= top else None for v in (likelihood, consequence))
    score = stated
    if score is not None and not 1 <= score <= top * top:
        problems.append(f"score {score} is outside 1-{top * top}")
        score = None
    if likelihood is not None and consequence is not None:
        product = likelihood * consequence
        if score is None and stated is None:
            score = product
        elif score is not None and score != product:
            problems.append(f"score {score} is not {likelihood} x {consequence} = {product}")
    if rag is not None and score is not None:
        expected = _score_band_rag(score, scale)
        if expected is not None and expected != rag:
            problems.append(f"score {score} is {expected}, but the cell says {rag}")
    return ScoreCell(likelihood, consequence, score, rag, problems)


# --- RAG -------------------------------------------------------------------------------------------


def parse_rag(value: Any) -> Parsed:
    """A RAG word as written ("Red", "R", "Complete", "On-Track") -> red/amber/green/blue/grey/yellow."""
    text = clean_text(value)
    if text is None or text in blank_marks():
        return Parsed(None, None)
    words = {str(k).strip().lower(): v for k, v in config.settings().rag_words.items()}
    found = _rag_of_words(text.lower(), words)
    if found is not None:
        return Parsed(found, None)
    # A compound label ("Amber - at risk", "On track (Green)"): its parts must agree.
    parts = [p for p in _RAG_PARTS.split(text.lower()) if p.strip()]
    read = {_rag_of_words(p.strip(), words) for p in parts} - {None}
    if len(parts) > 1 and len(read) == 1:
        return Parsed(read.pop(), None)
    if len(read) > 1:
        return Parsed(None, f"RAG label '{_shorten(text)}' names more than one colour")
    return Parsed(None, f"unknown RAG word '{_shorten(text)}'")


_RAG_PARTS = re.compile(r"\s+[-–—:]\s*|\s*[-–—:]\s+|[()\[\],;/]")


def _rag_of_words(key: str, words: dict[str, str]) -> str | None:
    for candidate in (key, key.rstrip(" .*"), key.replace("-", " "), key.rstrip(" .*").replace("-", " ")):
        if candidate in words:
            return words[candidate]
    return None


_HEX_RE = re.compile(r"^#?(?:[0-9A-Fa-f]{2})?([0-9A-Fa-f]{6})$")


def _rgb(hex_colour: str) -> tuple[int, int, int] | None:
    match = _HEX_RE.match(hex_colour.strip())
    if match is None:
        return None
    return int(match[1][0:2], 16), int(match[1][2:4], 16), int(match[1][4:6], 16)


def _hue(rgb: tuple[int, int, int]) -> float:
    return colorsys.rgb_to_hsv(*(v / 255 for v in rgb))[0] * 360


def _same_kind_of_colour(fill: tuple[int, int, int], known: tuple[int, int, int], grey_chroma: int, hue_limit: float):
    """Both greys, or both colours of a similar hue: a pale blue header is not grey, a pale yellow note not red."""
    fill_grey = max(fill) - min(fill) < grey_chroma
    known_grey = max(known) - min(known) < grey_chroma
    if fill_grey or known_grey:
        return fill_grey and known_grey
    gap = abs(_hue(fill) - _hue(known)) % 360
    return min(gap, 360 - gap) <= hue_limit


def rag_from_fill(rgb: str | None) -> str | None:
    """The RAG of a cell fill ("RRGGBB", "FFRRGGBB" or "#RRGGBB"), if near enough a configured colour."""
    fill = _rgb(rgb) if isinstance(rgb, str) else None
    if fill is None or min(fill) >= 0xF0:
        return None  # no colour, or white or near enough: no fill
    settings = config.settings()
    tolerance = settings.rag_fill
    best, best_distance = None, math.inf
    for colour, rag in settings.rag_fill_colours.items():
        known = _rgb(str(colour))
        if known is None or not _same_kind_of_colour(fill, known, tolerance.grey_chroma, tolerance.max_hue_difference):
            continue
        distance = math.dist(fill, known)
        if distance < best_distance:
            best, best_distance = rag, distance
    return best if best_distance <= tolerance.max_distance else None


# --- dates -----------------------------------------------------------------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (18264, 73050)  # 1950-01-01 .. 2099-12-31 as Excel serial numbers
_YEAR_RANGE = (1900, 2100)
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC_RE = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DAY_MONTH_RE = re.compile(
    r"^(\d{1,2})\s*(?:st|nd|rd|th)?[\s\-/.,]*([A-Za-z]{3,9})\.?(?:[\s\-/.,']*(\d{4}|\d{2}))?$", re.I
)
_MONTH_DAY_RE = re.compile(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_MONTH_YEAR_RE = re.compile(r"^([A-Za-z]{3,9})\.?(?:[\s\-/.,']*(\d{4}|\d{2}))?$", re.I)
_REVISED_RE = re.compile(
    r"^(?P<revised>[^()]+?)\s*\((?:\s*(?:was|originally|original|orig\.?)\s*:?)?\s*(?P<original>[^()]+)\)$", re.I
)
_LEAD_WORDS_RE = re.compile(r"^(?:by|due|before|w/c|wc|w/e|end of|end|eo)\s+", re.I)


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _non_date_words() -> set[str]:
    words = config.settings().non_dates.words
    return {re.sub(r"[^a-z0-9]", "", str(word).lower()) for word in words}


def _date_or_problem(year: int, month: int, day: int | None, text: str) -> Parsed:
    if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
        return Parsed(None, f"'{_shorten(text)}' is outside {_YEAR_RANGE[0]}-{_YEAR_RANGE[1]}")
    try:
        return Parsed(_last_day(year, month) if day is None else date(year, month, day), None)
    except ValueError:
        return Parsed(None, f"'{_shorten(text)}' is not a valid date")


def _year_for(month: int, fy_start_year: int | None, default_year: int | None) -> int | None:
    if fy_start_year is not None:
        return calendar_year(fy_start_year, month)
    return default_year


def _parse_date_text(text: str, fy_start_year: int | None, default_year: int | None) -> Parsed:
    stripped = _LEAD_WORDS_RE.sub("", text).strip().rstrip(".")
    if (m := _ISO_RE.match(stripped)) is not None:
        return _date_or_problem(int(m[1]), int(m[2]), int(m[3]), text)
    if (m := _NUMERIC_RE.match(stripped)) is not None:
        if not 1 <= int(m[3]) <= 12:
            return Parsed(None, f"'{_shorten(text)}' is not a valid day/month/year date")
        return _date_or_problem(_full_year(m[4]), int(m[3]), int(m[1]), text)
    for pattern, day_group, month_group, year_group in (
        (_DAY_MONTH_RE, 1, 2, 3),
        (_MONTH_DAY_RE, 2, 1, 3),
        (_MONTH_YEAR_RE, None, 1, 2),
    ):
        m = pattern.match(stripped)
        if m is None:
            continue
        month = month_number(m[month_group])
        if month is None:
            continue
        day = int(m[day_group]) if day_group else None
        if m[year_group]:
            year = _full_year(m[year_group])
        else:
            year = _year_for(month, fy_start_year, default_year)
            if year is None:
                return Parsed(None, f"'{_shorten(text)}' has no year")
        return _date_or_problem(year, month, day, text)
    return Parsed(None, f"'{_shorten(text)}' is not a date")


def _date_from_value(value: Any) -> Parsed:
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        if not _YEAR_RANGE[0] <= day.year <= _YEAR_RANGE[1]:
            return Parsed(None, f"{day.isoformat()} is outside {_YEAR_RANGE[0]}-{_YEAR_RANGE[1]}")
        return Parsed(day, None)
    if isinstance(value, time):
        return Parsed(None, f"a time of day ({value}), not a date")
    if _is_number(value):
        if not _finite(value) or not _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
            return Parsed(None, f"{value} is not a date")
        return Parsed(_EXCEL_EPOCH + timedelta(days=int(value)), None)
    return Parsed(None, f"'{_shorten(str(value))}' is not a date")


def parse_date(value: Any, fy_start_year: int | None = None, default_year: int | None = None) -> DateCell:
    """A date cell: Excel dates and serials, UK text dates, months, "revised (original)" pairs, non-dates."""
    if isinstance(value, bool):
        return DateCell(None, None, str(value), f"'{value}' is not a date")
    if isinstance(value, datetime | date | time) or _is_number(value):
        if isinstance(value, float) and math.isnan(value):
            return DateCell(None, None, None, None)
        parsed = _date_from_value(value)
        verbatim = value.isoformat() if isinstance(value, date) and not isinstance(value, datetime) else str(value)
        if isinstance(value, datetime) and value.time() == time(0):
            verbatim = value.date().isoformat()
        return DateCell(parsed.value.isoformat() if parsed.value else None, None, verbatim, parsed.problem)
    text = clean_text(value)
    if text is None or text in blank_marks():
        return DateCell(None, None, text, None)
    if re.sub(r"[^a-z0-9]", "", text.lower()) in _non_date_words():
        return DateCell(None, None, text, None)
    if (pair := _REVISED_RE.match(text)) is not None:
        revised = _parse_date_text(pair["revised"].strip(), fy_start_year, default_year)
        original = _parse_date_text(pair["original"].strip(), fy_start_year, default_year)
        if revised.value is not None and original.value is not None:
            return DateCell(revised.value.isoformat(), original.value.isoformat(), text, None)
        if revised.value is not None:
            note_only = not any(ch.isdigit() for ch in pair["original"])
            return DateCell(revised.value.isoformat(), None, text, None if note_only else original.problem)
    parsed = _parse_date_text(text, fy_start_year, default_year)
    if parsed.value is None and (periods := _parse_periods(text, fy_start_year, default_year)) is not None:
        return periods
    return DateCell(parsed.value.isoformat() if parsed.value else None, None, text, parsed.problem)


_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_PERIOD_RE = re.compile(
    rf"(?P<quarter>q[1-4]\s*(?:20)?\d{{2}}\s*/\s*\d{{2}})|(?P<month>{_MONTH_WORD})(?:[\s-]*(?P<year>(?:19|20)?\d{{2}})\b)?",
    re.IGNORECASE,
)
_RANGE_JOINERS = re.compile(r"^(?:\s|to|-|–|/|\+|&|and)*$", re.IGNORECASE)


def _quarter_end(text: str) -> date | None:
    """ "Q4 2017/18" -> the last day of that quarter of the financial year (Q1 is April to June)."""
    match = re.match(r"q([1-4])\s*((?:20)?\d{2})\s*/", text, re.IGNORECASE)
    if not match:
        return None
    start = int(match[2]) + (2000 if len(match[2]) == 2 else 0)
    quarter = int(match[1])
    year, month = (start, 3 * quarter + 3) if quarter < 4 else (start + 1, 3)
    return _last_day(year, month)


def _parse_periods(text: str, fy_start_year: int | None, default_year: int | None) -> DateCell | None:
    """Month ranges and successive deadlines: "Jan 18 to March 18", "Mar-May 2018", "Jan/Feb 2018",
    "Q4 2017/18 - Q2 2018/19" are due by the end of the last period; "Feb 18 April 18 Aug 18" (deadlines
    revised in turn, their line breaks lost) is due by the last, with the first as the original.
    None when the text is anything more than such periods and their joining words."""
    pieces = list(_PERIOD_RE.finditer(text))
    leftover = _PERIOD_RE.sub(" ", text)
    if not pieces or not _RANGE_JOINERS.match(leftover):
        return None
    ends: list[date] = []
    year = None
    for piece in reversed(pieces):  # a month without a year takes the year of the next one ("Jan/Feb 2018")
        if piece["quarter"]:
            day = _quarter_end(piece["quarter"])
        else:
            year = piece["year"] or year
            parsed = _parse_date_text(
                f"{piece['month']} {year}" if year else piece["month"], fy_start_year, default_year
            )
            day = parsed.value
        if day is None:
            return None
        ends.insert(0, day)
    joined_by_space_only = all(not text[a.end() : b.start()].strip() for a, b in zip(pieces, pieces[1:], strict=False))
    revisions = len(ends) > 1 and joined_by_space_only
    return DateCell(ends[-1].isoformat(), ends[0].isoformat() if revisions else None, text, None)


# --- refs and units --------------------------------------------------------------------------------

_DECIMALS_RE = re.compile(r"\.([0#?]+)")


def ref_text(value: Any, number_format: str | None = None) -> str | None:
    """A reference as written: "1.10" stays "1.10"; a float shown as "0.00" keeps its two decimals."""
    if value is None or isinstance(value, bool):
        return clean_text(value)
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if _is_number(value):
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            return clean_text(value)
        if not math.isfinite(number):
            return None if math.isnan(number) else clean_text(value)
        decimals = _format_decimals(number_format)
        if decimals is not None:
            least, most = decimals
            text = f"{number:.{most}f}"
            if most > least:
                whole, _, fraction = text.partition(".")
                fraction = fraction[:least] + fraction[least:].rstrip("0")
                text = whole + ("." + fraction if fraction else "")
            return text
        if number.is_integer() and abs(number) < 1e15:
            return str(int(number))
        return format(number, ".15g")
    return clean_text(value)


def _format_decimals(number_format: str | None) -> tuple[int, int] | None:
    """(fewest, most) decimals a number format shows, or None for General / no format."""
    if not isinstance(number_format, str) or number_format.strip().lower() in ("", "general", "@"):
        return None
    section = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format.split(";")[0])
    if not re.search(r"[0#?]", section):
        return None
    match = _DECIMALS_RE.search(section)
    if match is None:
        return (0, 0)
    digits = match[1]
    return (digits.count("0"), len(digits))


_THOUSANDS_RE = re.compile(
    r"(?:£|\bgbp)\s*['’]?\s*(?:000|k\b|thousand)|\(\s*['’]?000s?\s*\)|['’]000s?\b|\b000s\b|\bthousands\b", re.I
)
_MILLIONS_RE = re.compile(r"(?:£|\bgbp)\s*['’]?\s*(?:m|mn|million|millions)(?![a-z])|\bmillions\b", re.I)
_POUNDS_RE = re.compile(r"£|\bgbp\b|\bpounds?\b", re.I)
_UNIT_FACTORS = ((_THOUSANDS_RE, 1.0), (_MILLIONS_RE, 1000.0), (_POUNDS_RE, 0.001))


def column_multiplier(header_text: str) -> float | None:
    """The factor from a column's stated unit to GBP thousands: £m 1000, £'000 1, £ 0.001; None if none."""
    text = clean_text(header_text)
    if text is None:
        return None
    return next((factor for pattern, factor in _UNIT_FACTORS if pattern.search(text)), None)
