"""The import Mapping: how each sheet of a workbook is read.

Detection writes a Mapping (``detect``); extraction only ever applies one (``tables_of``). A Mapping is
plain, versioned, JSON-ready data, so the user can correct it on the Data page or in a file, and a saved
layout profile can replay it next month. Every choice says how it was decided and how sure that is.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import asdict, dataclass
from itertools import islice
from typing import Any

from openpyxl.utils import column_index_from_string, get_column_letter

from loaders.cells import column_multiplier
from loaders.grid import sheet_of
from loaders.headers import REPEATING, HeaderMatch, match_header, match_quality, synonyms
from loaders.kinds import ACCEPT, BY_NAME, RESOLVE
from loaders.sheet_roles import lookup_on_cover, reference_sheet
from loaders.tables import Table, find_tables, header_of, shown_texts, table_end, text_rows
from loaders.vocabulary import KINDS as VOCABULARIES
from records import KIND_FIELDS, Issue

VERSION = 1
IGNORE = "ignore"

# How a choice was decided.
SYNONYM = "header synonym"
PARTIAL = "part of the header"
PLACED = "header group and position"
CONTENTS = "cell contents"
TITLE = "title row"
UNITS_ROW = "units row"
DEFAULT = "default"
USER = "the user"
PROFILE = "saved profile"

UNITS = {"£'000": 1.0, "£m": 1000.0, "£": 0.001}
_UNIT_NAMES = {factor: name for name, factor in UNITS.items()}
MONEY_LAYOUTS = {"qipp_schemes", "qipp_targets", "finance_lines", "finance_risks", "qipp_rag_summary"}
LIKELIHOOD_FIRST, CONSEQUENCE_FIRST = "likelihood first", "consequence first"
_CONSEQUENCE_FIRST = re.compile(r"\b(?:c|i|s|consequence|impact|severity)\s*[x×*]\s*(?:l|likelihood)\b", re.I)

# Issue codes that report a word a vocabulary does not know, and the vocabulary.
UNKNOWN_WORD_CODES = {f"unknown_{kind}": kind for kind in ("rag", "stage", "trend", "appetite")}


class MappingError(ValueError):
    """A Mapping that cannot be applied to this workbook; the message is one sentence for the user."""


@dataclass
class Column:
    letter: str
    header: str
    field: str | None = None  # None: not read
    how: str = SYNONYM
    confidence: float = 1.0
    unit: str | None = None  # money columns: "£'000", "£m" or "£"
    unit_how: str | None = None
    samples: list[str] = dataclasses.field(default_factory=list)  # the first values under the header, as text


@dataclass
class TableMapping:
    layout: str  # a layout the loaders know, or "ignore"
    header_rows: list[int]  # 1-based
    data_start: int  # 1-based first body row
    data_end: int | None = None  # 1-based last body row; None: up to the next table or the sheet's end
    columns: list[Column] | None = None  # None: matched from the header by the synonyms when applied
    adverse_positive: list[str] | None = None  # variance fields stated actual - budget; None: from the figures
    factor_order: str = LIKELIHOOD_FIRST  # one-cell risk scores
    how: str = SYNONYM
    confidence: float = 1.0


@dataclass
class SheetMapping:
    sheet: str
    tables: list[TableMapping] = dataclasses.field(default_factory=list)  # none: nothing is read from the sheet


@dataclass
class Stated:
    """The organisation or the as-at date, and where it came from."""

    value: str | None = None
    cell: str | None = None
    how: str = DEFAULT
    confidence: float = 0.0


@dataclass
class Mapping:
    sheets: list[SheetMapping] = dataclasses.field(default_factory=list)
    organisation: Stated = dataclasses.field(default_factory=Stated)
    as_at: Stated = dataclasses.field(default_factory=Stated)
    # kind -> word -> value (None: unknown)
    vocabulary: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    version: int = VERSION

    def to_dict(self) -> dict:
        return asdict(self)

    def sheet(self, name: str) -> SheetMapping | None:
        return next((s for s in self.sheets if s.sheet == name), None)


# --- detection ---------------------------------------------------------------------------------------


def detect_sheet(sheet) -> SheetMapping:
    """The tables found on a sheet, and how they would be read."""
    if reference_sheet(sheet.name):
        return SheetMapping(sheet.name)
    tables = [t for t in find_tables(sheet, ACCEPT) if not lookup_on_cover(t)]
    return SheetMapping(sheet.name, [_table_mapping(t) for t in tables])


def _table_mapping(table: Table) -> TableMapping:
    matched = describe_columns(table)
    return TableMapping(
        table.layout,
        [r + 1 for r in table.header_rows],
        table.start + 1,
        None,
        matched,
        factor_order=_factor_order(table) if table.layout == "risks" else LIKELIHOOD_FIRST,
        confidence=round(min(1.0, sum(1 for c in matched if c.field) / max(len(matched), 1) + 0.3), 2),
    )


def describe_columns(table: Table) -> list[Column]:
    """Each header column of a table: the field it is read as, how that was decided, its unit and samples."""
    layout = table.layout
    resolved = RESOLVE.get(layout, lambda t: dict(t.match.columns))(table)
    by_column = {c: f for f, c in resolved.items()}
    for fld, cols in table.match.repeated.items():
        by_column.update(dict.fromkeys(cols, fld))
    syn = synonyms(layout)
    columns = []
    for c in sorted(set(table.match.texts) | set(by_column)):
        shown = table.header(c)
        fld = by_column.get(c)
        how, confidence = _column_how(shown, fld, table.match, c, syn)
        column = Column(get_column_letter(c + 1), shown, fld, how, confidence, samples=_samples(table, c))
        money_field = KIND_FIELDS.get(layout, {}).get(fld) == "num" or (layout, fld) in REPEATING
        if fld is not None and layout in MONEY_LAYOUTS and money_field:
            column.unit, column.unit_how = _unit(table, c)
        columns.append(column)
    return columns


SAMPLES = 3


def _samples(table: Table, c: int) -> list[str]:
    values = (table.rows[r][c] for r in table.body() if c < len(table.rows[r]))
    texts = (" ".join(str(v).split())[:40] for v in values if v is not None and str(v).strip())
    return list(islice(texts, SAMPLES))


def _column_how(shown: str, fld: str | None, match: HeaderMatch, c: int, syn) -> tuple[str, float]:
    if fld is None:
        return SYNONYM, 0.5 if c in match.unmatched else 1.0
    if match.columns.get(fld) != c and c not in match.repeated.get(fld, ()):
        return PLACED, 0.8
    found, exact = match_quality(shown, syn)
    return (SYNONYM, 1.0) if exact or not found else (PARTIAL, 0.7)


def _unit(table: Table, c: int) -> tuple[str | None, str | None]:
    """A money column's unit and where it is stated: a units row, the header, else the titles above."""
    if c in table.units:
        return _UNIT_NAMES[table.units[c]], UNITS_ROW
    for text, how in [(table.header(c), SYNONYM)] + [(title, TITLE) for _, title in reversed(table.above)]:
        factor = column_multiplier(text)
        if factor is not None:
            return _UNIT_NAMES[factor], how
    return None, None


def _factor_order(table: Table) -> str:
    texts = [table.header(c) for c in table.match.texts] + [t for _, t in table.above]
    return CONSEQUENCE_FIRST if any(_CONSEQUENCE_FIRST.search(t) for t in texts) else LIKELIHOOD_FIRST


def stated(value: str | None, cell: str | None, given: bool) -> Stated:
    if given:
        return Stated(value, None, USER, 1.0)
    if value is None:
        return Stated()
    return Stated(value, cell, CONTENTS, 0.9 if cell else 0.6)


# --- applying ----------------------------------------------------------------------------------------


def tables_of(sheet, sheet_mapping: SheetMapping) -> list[tuple[TableMapping, Table]]:
    """Each table a sheet's mapping reads, in order, with its part of the mapping; MappingError when one
    cannot be read."""
    read: list[tuple[TableMapping, Table]] = []
    previous_end = 0
    for i, spec in enumerate(sheet_mapping.tables):
        following = sheet_mapping.tables[i + 1] if i + 1 < len(sheet_mapping.tables) else None
        table = _table(sheet, spec, following, previous_end)
        previous_end = table.end
        if spec.layout != IGNORE:
            read.append((spec, table))
    return read


def _table(sheet, spec: TableMapping, following: TableMapping | None, previous_end: int) -> Table:
    where = f"sheet '{sheet.name}'"
    rows = sheet.rows
    header_rows = [r - 1 for r in spec.header_rows]
    if not header_rows or header_rows[0] < 0 or header_rows[-1] >= len(rows) or len(header_rows) > 2:
        raise MappingError(f"The header rows {spec.header_rows} are not one or two rows of {where}.")
    start = max(spec.data_start - 1, header_rows[-1] + 1)
    if spec.data_end is not None:
        end = min(spec.data_end, len(rows))
    else:
        end = table_end(rows, start, following.header_rows[0] - 1 if following else None)
    texts, groups = header_of(sheet, header_rows)
    if spec.layout == IGNORE:
        return Table(sheet, IGNORE, HeaderMatch(IGNORE), header_rows, start, max(end, start))
    if spec.layout not in BY_NAME:
        raise MappingError(
            f"The mapping reads a '{spec.layout}' table on {where}, which is not a layout the loaders know."
        )
    fixed = spec.columns is not None
    match = _fixed_match(spec, texts, groups, where) if fixed else match_header(texts, spec.layout, groups)
    if not ACCEPT[spec.layout](match):
        raise MappingError(_missing_sentence(spec.layout, match, where))
    table = Table(
        sheet, spec.layout, match, header_rows, start, max(end, start), text_rows(rows, previous_end, header_rows[0])
    )
    table.fixed = fixed
    if fixed:
        table.units = {_index(col.letter, where): UNITS[col.unit] for col in spec.columns if col.unit in UNITS}
    if spec.adverse_positive is not None:
        table.adverse_positive = frozenset(spec.adverse_positive)
    table.consequence_first = spec.factor_order == CONSEQUENCE_FIRST
    return table


def _fixed_match(spec: TableMapping, texts: dict[int, str], groups: dict[int, str], where: str) -> HeaderMatch:
    match = HeaderMatch(spec.layout, texts=shown_texts(texts, groups), groups=dict(groups))
    known = fields_of(spec.layout)
    for col in spec.columns or ():
        if col.field is None:
            continue
        c = _index(col.letter, where)
        if col.field not in known:
            raise MappingError(
                f"Column {col.letter} on {where} is mapped to '{col.field}', which a {spec.layout} table does not have."
            )
        match.texts.setdefault(c, col.header)
        match.own.add(c)
        if (spec.layout, col.field) in REPEATING:
            match.repeated.setdefault(col.field, []).append(c)
        elif col.field in match.columns:
            first = get_column_letter(match.columns[col.field] + 1)
            raise MappingError(
                f"Columns {first} and {col.letter} on {where} are both mapped to {col.field}; a field takes one column."
            )
        else:
            match.columns[col.field] = c
    mapped = set(match.columns.values()) | {c for cols in match.repeated.values() for c in cols}
    match.unmatched = [c for c in sorted(match.texts) if c not in mapped]
    return match


def fields_of(layout: str) -> list[str]:
    """The fields a column of this layout may be read as, in the layout's order."""
    found = list(KIND_FIELDS.get(layout, {})) + list(synonyms(layout).fields)
    found += [f for (lay, f) in sorted(REPEATING) if lay == layout]
    return list(dict.fromkeys(found))


def _index(letter: str, where: str) -> int:
    try:
        return column_index_from_string(str(letter).strip().upper()) - 1
    except ValueError:
        raise MappingError(f"'{letter}' is not a column letter ({where}).") from None


def _missing_sentence(layout: str, match: HeaderMatch, where: str) -> str:
    """Which field would let the table be read: the fields any one of which completes it."""
    completing = []
    for fld in synonyms(layout).fields:
        if match.has(fld):
            continue
        trial = HeaderMatch(layout, dict(match.columns), {k: list(v) for k, v in match.repeated.items()})
        if (layout, fld) in REPEATING:
            trial.repeated.setdefault(fld, []).extend([-1, -2, -3])
        else:
            trial.columns[fld] = -1
        if ACCEPT[layout](trial):
            completing.append(fld)
    if completing:
        needed = completing[0] if len(completing) == 1 else ", ".join(completing[:-1]) + f" or {completing[-1]}"
        return f"The {layout} table on {where} needs a column mapped to {needed} before it can be read."
    have = ", ".join(sorted(match.columns)) or "none"
    return f"The {layout} table on {where} has too few columns mapped to be read (mapped: {have})."


def record_decisions(spec: TableMapping, table: Table) -> None:
    """What the table's rules decided while reading it, kept in the mapping so a replay decides the same:
    the columns the header matched when the mapping left them to the synonyms, the variance sign."""
    if spec.columns is None:
        spec.columns = describe_columns(table)
    if table.layout == "finance_lines" and spec.adverse_positive is None and table.adverse_positive is not None:
        spec.adverse_positive = sorted(table.adverse_positive)


# --- words the vocabularies do not know ----------------------------------------------------------------


def unknown_words(issues: list[Issue], book, mapping: Mapping) -> None:
    """Add each word an issue reports as unknown to the mapping's vocabulary (mapped to None), once."""
    for issue in issues:
        kind = UNKNOWN_WORD_CODES.get(issue.code)
        if issue.code == "unknown_level":
            kind = "likelihood" if issue.message.lower().startswith("likelihood") else "consequence"
        if kind is None:
            continue
        value = cell_value(book, issue.cell)
        if isinstance(value, str) and value.strip():
            mapping.vocabulary.setdefault(kind, {}).setdefault(" ".join(value.split()), None)


_CELL = re.compile(r"^(?P<sheet>.+)!(?P<col>[A-Z]{1,3})(?P<row>\d+)$")


def cell_value(book, cell: str) -> Any:
    m = _CELL.match(cell or "")
    if m is None:
        return None
    sheet = book.sheet(sheet_of(cell))
    if sheet is None:
        return None
    r, c = int(m["row"]) - 1, column_index_from_string(m["col"]) - 1
    row = sheet.rows[r] if r < len(sheet.rows) else []
    return row[c] if c < len(row) else None


# --- reading a Mapping from JSON -----------------------------------------------------------------------


def from_dict(data: Any) -> Mapping:
    """A Mapping from its JSON form; MappingError with one sentence when it is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("sheets"), list):
        raise MappingError("This is not an import mapping: it has no list of sheets.")
    if data.get("version") != VERSION:
        raise MappingError(
            f"This mapping is version {data.get('version')!r}; this version of the loaders reads version {VERSION}."
        )
    try:
        sheets = [SheetMapping(str(s["sheet"]), [_table_from(t) for t in s.get("tables", [])]) for s in data["sheets"]]
        vocabulary = {str(k): dict(v) for k, v in (data.get("vocabulary") or {}).items()}
        return Mapping(
            sheets,
            Stated(**(data.get("organisation") or {})),
            Stated(**(data.get("as_at") or {})),
            _checked_vocabulary(vocabulary),
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise MappingError(f"This mapping cannot be read: {_what(exc)}.") from None


def _table_from(data: dict) -> TableMapping:
    columns = data.get("columns")
    return TableMapping(**{**data, "columns": None if columns is None else [Column(**c) for c in columns]})


def _what(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"an entry lacks '{exc.args[0]}'"
    m = re.search(r"unexpected keyword argument '(\w+)'", str(exc))
    return f"it has an unknown entry '{m[1]}'" if m else "an entry has the wrong shape"


def _checked_vocabulary(vocabulary: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    for kind, words in vocabulary.items():
        if kind not in VOCABULARIES:
            raise MappingError(f"The mapping's vocabulary '{kind}' is not one of {', '.join(VOCABULARIES)}.")
        for word, value in words.items():
            if value is not None and str(value) not in VOCABULARIES[kind]:
                raise MappingError(f"The mapping maps '{word}' to '{value}', which is not a {kind} value.")
    return vocabulary
