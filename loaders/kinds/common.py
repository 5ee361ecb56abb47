"""Helpers shared by the kind loaders: fast cell reading, issues, total and section rows."""

from __future__ import annotations

from datetime import date
from functools import cache
from operator import itemgetter
from typing import Any

from config import settings
from loaders import vocabulary
from loaders.cells import (
    blank_marks,
    clean_text,
    column_multiplier,
    parse_date,
    parse_int,
    parse_money,
    parse_rag,
    rag_from_fill,
    ref_text,
)
from loaders.context import Context, table_financial_year
from loaders.headers import HeaderMatch, financial_year_in, normalise
from loaders.tables import Table, filled, is_empty, is_number
from records import Dataset, Issue, calendar_year, empty_record, total_severity


def text(value: Any) -> str | None:
    """Cell text as the source words it, tidied (fast for plain strings)."""
    if value is None:
        return None
    if type(value) is str:
        if (
            value.isprintable()
            and "<" not in value
            and "&" not in value
            and "  " not in value
            and value[:1] != " "
            and value[-1:] != " "
        ):
            return None if not value or value in blank_marks() else value
        cleaned = clean_text(value)
        return None if cleaned is None or cleaned in blank_marks() else cleaned
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean_text(value)


def text_column(values: list) -> list:
    """``text`` of every cell of a column: at once when every cell is plain text (checked on the
    column joined, as a scheme tracker's refs and names are); else each distinct value once."""
    strings = [v for v in values if v is not None]
    if set(map(type, strings)) <= {str} and "" not in strings and blank_marks().isdisjoint(strings):
        joined = "|".join(strings)
        if (
            joined.isprintable()
            and not any(mark in joined for mark in ("<", "&", "  ", "| ", " |"))
            and joined[:1] != " "
            and joined[-1:] != " "
        ):
            return list(values)
    distinct = set(values)
    if len(distinct) * 2 > len(values):
        return list(map(text, values))
    tidied = {v: text(v) for v in distinct}
    return [tidied[v] for v in values]


def body_columns(body: list[list]):
    """A function from a column index (or None) to that column's cells in ``body``, each read once."""
    read: dict[int | None, list] = {None: [None] * len(body)}

    def column(c: int | None) -> list:
        if c not in read:
            read[c] = list(map(itemgetter(c), body))
        return read[c]

    return column


def _finite_float(value: Any) -> bool:
    return type(value) is float and value - value == 0.0  # false for inf and NaN


def money_column(cells: list, multiplier: float = 1.0) -> tuple[list, dict[int, str]]:
    """``money`` of every cell: the values, and the problems by position."""
    if multiplier == 1.0:
        values = [v if _finite_float(v) else None for v in cells]
    else:
        values = [round(v * multiplier, 6) if _finite_float(v) else None for v in cells]
    problems = {}
    for i in [i for i, v in enumerate(cells) if v is not None and not _finite_float(v)]:
        values[i], problem = money(cells[i], multiplier)
        if problem:
            problems[i] = problem
    return values, problems


class Memo(dict):
    """A column converter remembered per distinct cell value (categorical columns repeat a lot).
    Cell values from a workbook are always hashable (text, numbers, dates, None)."""

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __missing__(self, key):
        result = self[key] = self.convert(key)
        return result


def money(value: Any, multiplier: float = 1.0) -> tuple[float | None, str | None]:
    if value is None:
        return None, None
    if type(value) is int or _finite_float(value) or (is_number(value) and value - value == 0):
        return (round(float(value) * multiplier, 6) if multiplier != 1.0 else float(value)), None
    parsed = parse_money(value, multiplier)
    return (round(parsed.value, 6) if parsed.value is not None else None), parsed.problem


def whole(value: Any) -> tuple[int | None, str | None]:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, None
    parsed = parse_int(value)
    return parsed.value, parsed.problem


@cache
def rag_word(value: str) -> tuple[str | None, str | None]:
    parsed = parse_rag(value)
    return parsed.value, parsed.problem


def rag(value: Any) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if (word := vocabulary.mapped("rag", value)) is not None:
        return word, None
    if isinstance(value, str):
        return rag_word(value)
    parsed = parse_rag(value)
    return parsed.value, parsed.problem


@cache
def _date_cached(value: str, fy_start_year: int | None):
    return parse_date(value, fy_start_year=fy_start_year)


def date_cell(value: Any, fy_start_year: int | None = None):
    if isinstance(value, str):
        return _date_cached(value, fy_start_year)
    return parse_date(value, fy_start_year=fy_start_year)


def unit_multiplier(table: Table, c: int | None, default: float = 1.0) -> float:
    """The column's unit as a factor to £'000 (its header, else the table's title rows), else ``default``."""
    if c is None:
        return default
    if c in table.units:
        return table.units[c]
    found = column_multiplier(table.header(c))
    if found is None:
        found = title_unit(table)
    return default if found is None else found


def title_unit(table: Table) -> float | None:
    """The unit the title rows above the table state (the nearest that states one), as a factor to £'000."""
    return next((m for _, t in reversed(table.above) if (m := column_multiplier(t)) is not None), None)


@cache
def _total_keys() -> tuple[str, ...]:
    return tuple(sorted({normalise(t) for t in settings().loader_vocabulary.total_labels}, key=len, reverse=True))


@cache
def _total_hint() -> str:
    """Text every total label holds (normalising only lowers case and turns marks into spaces), so
    that most labels are ruled out without being normalised or remembered."""
    return "total" if all("total" in key for key in _total_keys()) else ""


def is_total_label(label: str | None) -> bool:
    """A label that names a total outright: "Total", "Total Expenditure", "Acute GIC and PbR Total"."""
    return bool(label) and _total_hint() in str(label).lower() and _is_total_key(str(label))


@cache
def _is_total_key(label: str) -> bool:
    key = normalise(label)
    return key in _total_keys() or key.endswith((" total", " totals"))


@cache
def may_be_total(label: str | None) -> bool:
    """A label such as "Total CCG budget": a total only if its figures are the sum of the lines above."""
    return bool(label) and normalise(label).startswith(("total ", "totals ", "sub total "))


@cache
def is_memorandum_label(label: str | None) -> bool:
    if not label:
        return False
    key, labels = normalise(label), settings().loader_vocabulary.memorandum_labels
    return any(key == normalise(m) or key.startswith(normalise(m) + " ") for m in labels)


def section_text(row: list) -> str | None:
    """The text of a section row: only one cell filled, and it is text."""
    cells = filled(row)
    if len(cells) == 1 and isinstance(row[cells[0]], str):
        return text(row[cells[0]])
    return None


def filled_rows(table: Table):
    """(r, row) for each body row with anything in it."""
    for r in table.body():
        row = table.rows[r]
        if not all(is_empty(v) for v in row):
            yield r, row


class Recorder:
    """Collects a dataset's records and issues."""

    def __init__(self, kind: str, table: Table):
        self.table = table
        self.dataset = Dataset(kind, table.name, table.header_row, columns=table.letters())

    def issue(self, severity: str, code: str, cell: str, message: str) -> None:
        self.dataset.issues.append(Issue(severity, code, cell, message))

    def warn(self, code: str, r: int, c: int | None, message: str) -> None:
        self.issue("warning", code, self.table.ref(r, c), message)

    def on_header(self, severity: str, code: str, c: int, message: str) -> None:
        """An issue about a whole column, placed at its header cell."""
        self.issue(severity, code, self.table.ref(self.table.header_rows[-1], c), message)

    def money(self, r: int, c: int, multiplier: float = 1.0, label: str | None = None) -> float | None:
        """``money`` of a cell, with a warning when it cannot be read (named by ``label``, else its header)."""
        value, problem = money(self.table.rows[r][c], multiplier)
        if problem:
            self.warn("unreadable_number", r, c, f"{label or self.table.header(c)}: {problem}.")
        return value

    def date(self, r: int, c: int, label: str, fy_start_year: int | None):
        """``date_cell`` of a cell, with a warning when it cannot be read."""
        parsed = date_cell(self.table.rows[r][c], fy_start_year)
        if parsed.problem:
            self.warn("unreadable_date", r, c, f"{label}: {parsed.problem}.")
        return parsed

    def add(self, record: dict, r: int) -> dict:
        record["source"] = {"sheet": self.table.name, "row": r + 1}
        self.dataset.records.append(record)
        return record

    def total(
        self,
        r: int,
        c: int,
        stated: float,
        computed: float,
        message: str,
        unit: float | None = 1.0,
        code: str = "total_mismatch",
    ) -> None:
        """Report a stated figure at cell (r, c) that differs from what its lines give (see ``total_issue``)."""
        found = total_issue(code, self.table.ref(r, c), stated, computed, message, unit)
        if found is not None:
            self.dataset.issues.append(found)

    def skipped(self, r: int, why: str) -> None:
        self.issue("info", "row_skipped", self.table.ref(r, 0), f"Row {r + 1} was not loaded: {why}.")

    def unreadable(self, r: int, why: str) -> None:
        """A row holding data that cannot be placed: an error, so it is never lost quietly."""
        self.issue("error", "unreadable_row", self.table.ref(r, 0), f"Row {r + 1} could not be read: {why}.")

    def missing(self, fields: list[str]) -> bool:
        """An error for the dataset when required columns are absent; True when so."""
        absent = [f for f in fields if self.table.col(f) is None]
        if absent:
            message = f"The table at row {self.table.header_row} has no column for {', '.join(absent)}."
            self.issue("error", "missing_column", self.table.name, message)
        return bool(absent)


def missing_year(rec: Recorder, c: int, example: str) -> None:
    rec.on_header(
        "error",
        "missing_year",
        c,
        "The month columns do not say which year they are in, and the workbook states no "
        f"financial year; give one in a title row (e.g. '{example}').",
    )


def stated_financial_year(table: Table, ctx: Context) -> str | None:
    """The financial year the table's titles, sheet name or headers state, else the workbook's."""
    titles = [t for _, t in table.above] + [table.name] + list(table.match.texts.values())
    return next((f for f in map(financial_year_in, titles) if f), None) or table_financial_year([], ctx)


def header_parts(match: HeaderMatch, c: int) -> tuple[str | None, str]:
    """(group, own header) of a column: "Plan Apr-24" under a "Plan" group is ("Plan", "Apr-24")."""
    shown, group = match.texts[c], match.groups.get(c)
    return group, shown[len(group) + 1 :] if group and shown.startswith(group + " ") else shown


def month_column_dates(table: Table, fy_start: int | None, read) -> tuple[dict[int, tuple[str, Any]], list[int]]:
    """Month column -> (first-of-month ISO date, what else ``read`` finds in its header), and the columns whose
    year neither the header nor the financial year gives. ``read(group, own header)`` gives ((month, year or
    None), the rest), or None for a column that names no month."""
    out: dict[int, tuple[str, Any]] = {}
    unknown = []
    for c in table.match.repeated.get("month_columns", []):
        found = read(*header_parts(table.match, c))
        if found is None:
            continue
        (month, year), rest = found
        if year is None:
            if fy_start is None:
                unknown.append(c)
                continue
            year = calendar_year(fy_start, month)
        out[c] = (date(year, month, 1).isoformat(), rest)
    return out, unknown


def month_cell(rec: Recorder, r: int, c: int, fy_start_year: int | None) -> str | None:
    """The first of the month a cell names (ISO), with a warning when it names none."""
    parsed = date_cell(rec.table.rows[r][c], fy_start_year)
    if parsed.iso is None:
        rec.warn("unreadable_date", r, c, f"Month: {parsed.problem or 'no date'}.")
        return None
    return parsed.iso[:8] + "01"


def month_record(rec: Recorder, by_key: dict, key: tuple, r: int, **fields) -> dict:
    """The record of ``key`` (a line and a month), made from ``fields`` at row r the first time it is given."""
    if key not in by_key:
        record = empty_record(rec.dataset.kind)
        record.update(fields)
        by_key[key] = rec.add(record, r)
    return by_key[key]


def set_month_figure(rec: Recorder, r: int, c: int, record: dict, field: str, value: float, name: str) -> None:
    """A month's plan or actual; a second figure for the same month is reported, and the later one kept."""
    if record[field] is not None:
        rec.warn(
            "duplicate_ref",
            r,
            c,
            f"{name} {record['month'][:7]} {field} is given twice ({fmt(record[field])} and {fmt(value)}); "
            "the later figure is kept.",
        )
    record[field] = value


def fmt(x: float | None) -> str:
    if x is None:
        return "nothing"
    if abs(x - round(x)) < 1e-9:
        return f"{round(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def total_issue(
    code: str, cell: str, stated: float, computed: float, message: str, unit: float | None = 1.0
) -> Issue | None:
    """The issue for a stated total or variance against what its lines give, or None when they agree: a
    difference within the source's rounding (``unit`` is the table's; None for counts) is information."""
    severity = total_severity(stated, computed, unit)
    if severity == "info":
        message = f"{message} The difference is within the source's rounding."
    return None if severity is None else Issue(severity, code, cell, message)


def close(a: float | None, b: float | None, tolerance: float = 0.5) -> bool:
    return a is not None and b is not None and abs(a - b) <= tolerance


FILL_ROWS_LIMIT = 5000  # beyond this, fills are read only for a RAG column with no words at all


def blank_cell_fill(table: Table, r: int, c: int) -> str | None:
    """The RAG of a blank cell's fill colour, in tables small enough to read styles cell by cell."""
    if table.end - table.start > FILL_ROWS_LIMIT:
        return None
    return rag_from_fill(table.sheet.fill(r, c))


def rag_from_fills(rec: Recorder, c: int | None) -> bool:
    """True when the RAG column holds no words at all, so that the cells' fill colours give the RAG (said once)."""
    rows = rec.table.rows
    if c is None or any(isinstance(rows[r][c], str) and rows[r][c].strip() for r in rec.table.body()):
        return False
    rec.on_header("info", "rag_from_fill", c, "The RAG column has no words; RAG is read from the cells' fill colours.")
    return True


def ref_cell(table: Table, r: int, c: int | None) -> str | None:
    """A reference as written; a decimal one (1.10) with the places its number format shows."""
    if c is None:
        return None
    value = table.rows[r][c]
    if is_empty(value):
        return None
    if isinstance(value, float) and not value.is_integer():
        return ref_text(value, table.sheet.number_format(r, c))
    return ref_text(value)
