"""Finding tables on a sheet: header rows (one or two), their layout, and the body rows under them.

A sheet may hold several tables, stacked and separated by blank rows or a new header row. Rows
above a header (titles, "Month 3", a section heading) are kept as the table's ``above`` text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl.utils import get_column_letter

from config import settings
from loaders.cells import clean_text, column_multiplier
from loaders.headers import (
    SEARCH_ROWS,
    HeaderMatch,
    could_score,
    header_text,
    header_words,
    match_header,
    normalise,
)
from loaders.workbook import cell_ref

Accept = Callable[[HeaderMatch], bool]

MIN_SCORE = 2


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip() in ("", "-", "–", "—")
    return value is None


def filled(row: list) -> list[int]:
    """Columns of a row that hold something."""
    return [c for c, v in enumerate(row) if not is_empty(v)]


@dataclass
class Table:
    sheet: Any  # loaders.workbook.Sheet (name, rows, merged, fill, number_format)
    layout: str
    match: HeaderMatch
    header_rows: list[int]  # 0-based
    start: int  # first body row, 0-based
    end: int  # one past the last body row
    above: list[tuple[int, str]] = field(default_factory=list)  # (row, text) above the header
    # Set when the table is read with a Mapping: its columns are final (no builder places them again),
    # and the units and variance sign the Mapping states win over what the headers and figures suggest.
    fixed: bool = False
    units: dict[int, float] = field(default_factory=dict)  # column -> factor to £'000
    adverse_positive: frozenset[str] | None = None  # variance fields stated actual - budget
    consequence_first: bool = False  # one-cell scores written consequence x likelihood

    @property
    def name(self) -> str:
        return self.sheet.name

    @property
    def rows(self) -> list[list]:
        return self.sheet.rows

    @property
    def header_row(self) -> int:
        """1-based row of the last header row."""
        return self.header_rows[-1] + 1

    def col(self, fld: str) -> int | None:
        return self.match.columns.get(fld)

    def ref(self, r: int, c: int | None = None, fld: str | None = None) -> str:
        if fld is not None:
            c = self.col(fld)
        if c is None:
            return cell_ref(self.name, r, 0).rsplit("!", 1)[0] + f"!{r + 1}:{r + 1}"
        return cell_ref(self.name, r, c)

    def letters(self) -> dict[str, str]:
        return {f: get_column_letter(c + 1) for f, c in self.match.columns.items()}

    def header(self, c: int) -> str:
        return self.match.texts.get(c, get_column_letter(c + 1))

    def heading(self) -> str | None:
        """The one-cell text row right above the header (a section heading), if there is one."""
        if self.above and self.above[-1][0] == self.header_rows[0] - 1:
            return self.above[-1][1]
        return None

    def body(self) -> range:
        return range(self.start, self.end)


def merged_header_fill(sheet, first: int, last: int) -> dict[tuple[int, int], Any]:
    """(row, col) -> value for cells covered by a merged range (other than its top-left) in rows first..last."""
    out: dict[tuple[int, int], Any] = {}
    for r0, c0, r1, c1 in getattr(sheet, "merged", ()) or ():
        if r1 < first or r0 > last:
            continue
        rows = sheet.rows
        value = rows[r0][c0] if r0 < len(rows) and c0 < len(rows[r0]) else None
        if value is None:
            continue
        for r in range(max(r0, first), min(r1, last) + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    out[(r, c)] = value
    return out


def _texts(row: list, r: int, merged: dict[tuple[int, int], Any]) -> dict[int, str]:
    width = max([len(row)] + [c + 1 for (mr, c) in merged if mr == r])
    texts = {}
    for c in range(width):
        value = row[c] if c < len(row) else None
        if value is None:
            value = merged.get((r, c))
        text = header_text(value)
        if text is not None:
            texts[c] = text
    return texts


def header_of(sheet, header_rows: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """(texts, groups) of a header of one or two rows, as ``best_header`` gives them to ``match_header``."""
    first, last = header_rows[0], header_rows[-1]
    merged = merged_header_fill(sheet, first, last)
    top = _texts(sheet.rows[first], first, merged)
    if len(header_rows) == 1:
        return top, {}
    return combine_rows(top, _texts(sheet.rows[last], last, merged))


def shown_texts(texts: dict[int, str], groups: dict[int, str]) -> dict[int, str]:
    """Each column's header as shown: a group's text before its sub-column's."""
    return {c: f"{groups[c]} {t}" if groups.get(c) and groups[c] != t else t for c, t in texts.items()}


def table_end(rows: list[list], start: int, next_header: int | None) -> int:
    """One past a table's last body row: where the rows introducing the next table begin, else the sheet's end."""
    return _leading_context(rows, start, next_header) if next_header is not None else len(rows)


def _could_be_header(row: list) -> bool:
    texts = 0
    for v in row:
        if v is None:
            continue
        t = type(v)
        if t is str:
            if len(v) > 150:
                return False
            if v and not v.isspace():
                texts += 1
        elif t is float or t is int:
            return False
        elif isinstance(v, datetime | date):
            texts += 1
    return texts >= 2


@dataclass
class Candidate:
    match: HeaderMatch
    rows: list[int]


def best_header(sheet, r: int, accept: dict[str, Accept]) -> Candidate | None:
    """The best header starting at row r: the row alone, or the row as a group row over the next."""
    rows = sheet.rows
    if r >= len(rows) or not _could_be_header(rows[r]):
        return None
    merged = merged_header_fill(sheet, r, r + 1)
    top = _texts(rows[r], r, merged)
    options = [(top, None, [r])]
    sub_cols: set[int] = set()
    if r + 1 < len(rows) and _is_sub_header(rows[r + 1]):
        sub = _texts(rows[r + 1], r + 1, merged)
        sub_cols = {c for c, t in sub.items() if top.get(c) != t}  # what the second row adds
        if len({sub[c] for c in sub_cols}) >= 2:  # one value merged across the table is a section banner
            texts, groups = combine_rows(top, sub)
            options.append((texts, groups, [r, r + 1]))
    best: Candidate | None = None
    for texts, groups, used in options:
        cells = header_words(texts, groups)
        for layout, accepts in accept.items():
            if not could_score(cells, layout, MIN_SCORE):
                continue
            m = match_header(texts, layout, groups)
            if m.score < MIN_SCORE or not accepts(m) or (groups is not None and len(m.own & sub_cols) < 2):
                continue
            if best is None or m.score > best.match.score:  # a second header row must improve the match
                best = Candidate(m, used)
    return best


def _is_sub_header(row: list) -> bool:
    texts = 0
    for v in row:
        if is_number(v):
            return False
        if isinstance(v, str) and v.strip():
            if len(v) > 60:
                return False
            texts += 1
        elif isinstance(v, datetime | date):  # months under a group ("Plan" over Apr-24 ... Mar-25)
            texts += 1
    return texts >= 1


def combine_rows(top: dict[int, str], sub: dict[int, str]) -> tuple[dict[int, str], dict[int, str]]:
    """Texts and groups of a two-row header: a group over its sub-columns, standalone cells as they are.

    A group cell lends its text to the sub-columns to its right whose group cell is blank, until
    the next group or standalone cell.
    """
    texts: dict[int, str] = {}
    groups: dict[int, str] = {}
    width = max([*top, *sub, -1]) + 1
    current: str | None = None
    for c in range(width):
        t, s = top.get(c), sub.get(c)
        if t is not None and s is not None:
            current = t
            texts[c], groups[c] = s, t
        elif t is not None:
            current = None
            texts[c] = t
        elif s is not None:
            texts[c] = s
            if current is not None:
                groups[c] = current
    return texts, groups


def find_tables(sheet, accept: dict[str, Accept]) -> list[Table]:
    """Every table on a sheet, in order."""
    rows = sheet.rows
    found = (best_header(sheet, r, accept) for r in range(min(SEARCH_ROWS, len(rows))))
    cand = next((c for c in found if c is not None), None)
    if cand is None:
        return []
    after = best_header(sheet, cand.rows[0] + 1, accept) if len(cand.rows) == 1 else None
    if after is not None and after.match.score > cand.match.score:
        cand = after  # a title-like row just above the real header
    tables: list[Table] = []
    above = text_rows(rows, 0, cand.rows[0])
    while True:
        start = cand.rows[-1] + 1
        units = units_row(rows[start]) if start < len(rows) else None
        if units is not None:
            start += 1
        nxt = _next_header(sheet, start, accept)
        end = table_end(rows, start, nxt.rows[0] if nxt else None)
        tables.append(Table(sheet, cand.match.layout, cand.match, cand.rows, start, end, above, units=units or {}))
        if not nxt:
            return tables
        above = text_rows(rows, end, nxt.rows[0])
        cand = nxt


def units_row(row: list) -> dict[int, float] | None:
    """A row under a header that only states units (£'000, £m, £) and sign conventions (Fav / (Adv)): each
    column's factor to £'000, or None when the row is not one."""
    cells = filled(row)
    if not cells:
        return None
    signs = {normalise(w) for w in settings().loader_vocabulary.units_row_words}
    units: dict[int, float] = {}
    signed: list[int] = []
    for c in cells:
        value = row[c]
        if not isinstance(value, str) or len(value.strip()) > 20:
            return None
        factor = column_multiplier(value)
        key = normalise(value)
        if factor is not None and not key:
            units[c] = factor
        elif key in signs:
            signed.append(c)
        elif key:
            return None
    if len(set(units.values())) == 1:  # "Fav / (Adv)" under a variance is in the unit the row states
        units.update(dict.fromkeys(signed, next(iter(units.values()))))
    return units


def _next_header(sheet, start: int, accept: dict[str, Accept]) -> Candidate | None:
    rows = sheet.rows
    probe = _numeric_columns(rows, start)
    first = probe[0] if probe else None
    for r in range(start, len(rows)):
        row = rows[r]
        if first is not None and type(row[first]) in _NUMBER_TYPES:
            continue  # the common case, checked before the general one below
        if probe and any(type(row[c]) in _NUMBER_TYPES for c in probe):
            continue
        if not _could_be_header(row):
            continue
        cand = best_header(sheet, r, accept)
        if cand is not None and cand.match.score >= 3 and _short_headers(cand.match):
            return cand
    return None


_NUMBER_TYPES = frozenset((float, int))


def _short_headers(match: HeaderMatch) -> bool:
    """Headers are short; a row of sentences that happens to start with header words is data."""
    return all(len(match.texts[c]) <= 60 for c in match.columns.values())


def _numeric_columns(rows: list[list], start: int) -> list[int]:
    """Columns holding numbers in the first body row that has any: a row with a number there is data."""
    for r in range(start, min(start + 20, len(rows))):
        found = [c for c, v in enumerate(rows[r]) if type(v) is float or type(v) is int]
        if found:
            return found[:3]
    return []


def _leading_context(rows: list[list], start: int, end: int) -> int:
    """Where the rows that introduce the next table (blank and one-cell text rows) begin."""
    r = end
    while r > start:
        cells = filled(rows[r - 1])
        if len(cells) > 1 or (cells and not isinstance(rows[r - 1][cells[0]], str)):
            break
        r -= 1
    return r


def text_rows(rows: list[list], start: int, end: int) -> list[tuple[int, str]]:
    """(row, its first text) for each row from start to end that holds any text."""
    found = ((r, next(filter(None, map(clean_text, rows[r])), None)) for r in range(start, end))
    return [(r, text) for r, text in found if text]
