"""QIPP phasing: a scheme's plan and actual saving month by month, as a tracker writes them beside its schemes
(month columns under Plan and Actual groups, or a Plan / Actual series column with a row of each), or one row
per scheme and month."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from config import settings
from loaders.context import Context
from loaders.headers import HeaderMatch, month_with_label, normalise
from loaders.kinds.common import (
    Recorder,
    filled_rows,
    fmt,
    missing_year,
    month_cell,
    month_column_dates,
    month_record,
    set_month_figure,
    stated_financial_year,
    text,
    unit_multiplier,
)
from loaders.tables import Table, is_empty
from records import Dataset, empty_record

MEASURES = ("plan", "actual")


def fy_start(table: Table, ctx: Context) -> int | None:
    """The first calendar year of the financial year the table's titles, sheet or workbook state."""
    fy = stated_financial_year(table, ctx)
    return int(fy[:4]) if fy else None


def series_word(value) -> str | None:
    """'plan' or 'actual' for a series cell ('Plan', 'Actuals', 'Outturn'), 'other' for any other word."""
    key = normalise(str(value)) if not is_empty(value) else ""
    if not key:
        return None
    return settings().loader_vocabulary.series_words.get(key, "other")


def series_of(cells: list) -> list[str | None] | None:
    """Each row's series from a column naming Plan and Actual rows; None when the column does not name both."""
    found = [series_word(v) for v in cells]
    named = [s for s in found if s in MEASURES]
    filled = [s for s in found if s is not None]
    return None if set(named) != set(MEASURES) or len(named) * 2 < len(filled) else found


def month_columns(table: Table, start: int | None) -> tuple[dict[int, tuple[str, str | None]], list[int]]:
    """Month column -> (first-of-month ISO date, 'plan' | 'actual' | None from its group), and the columns
    whose year neither the header nor the financial year gives."""

    def read(group: str | None, sub: str):
        in_sub, in_group = month_with_label(sub), month_with_label(group) if group else None
        if in_sub:
            return in_sub[0], _measure(" ".join(filter(None, (group, in_sub[1]))))
        if in_group:
            return in_group[0], _measure(" ".join(filter(None, (in_group[1], sub))))
        return None

    return month_column_dates(table, start, read)


def _measure(label: str | None) -> str | None:
    key = normalise(label or "")
    words = settings().loader_vocabulary.series_words
    if key in words:
        return words[key]
    named = {words[w] for w in key.split() if w in words}
    return named.pop() if len(named) == 1 else None


class Phasing:
    """The phasing records of one scheme tracker, gathered row by row and checked against its year-to-date columns."""

    def __init__(self, table: Table, ctx: Context, multiplier: float, by_series: bool = False):
        self.rec = Recorder("qipp_phasing", table)
        self.months, unknown = month_columns(table, fy_start(table, ctx))
        self.by_key: dict[tuple[str, str], dict] = {}
        if unknown:
            missing_year(self.rec, unknown[0], "2024/25")
        others = [] if by_series else sorted({c for c, (_, m) in self.months.items() if m is None})
        if others:
            message = (
                f"Month columns such as '{table.header(others[0])}' are neither plan nor actual; they are not read."
            )
            self.rec.on_header("info", "columns_not_read", others[0], message)
        first, last = min(self.months, default=None), max(self.months, default=None)
        self.mult = unit_multiplier(table, first, multiplier)
        if self.months:
            self.rec.dataset.columns = {"month": f"{get_column_letter(first + 1)}:{get_column_letter(last + 1)}"}

    def add_row(self, r: int, ref: str, series: str | None) -> None:
        """Read one row's month cells for ``ref``."""
        for c, (month, col_measure) in self.months.items():
            measure = series if series in MEASURES else col_measure
            if measure is None:
                continue
            value = self.rec.money(r, c, self.mult)
            if value is None:
                continue
            record = month_record(self.rec, self.by_key, (ref, month), r, ref=ref, month=month)
            set_month_figure(self.rec, r, c, record, measure, value, ref)

    def check_ytd(self, ref: str, stated: dict[str, tuple[float | None, tuple | None]], unit: float) -> None:
        """Year-to-date actual against the months with an actual, and year-to-date plan against the plan of
        the same months (the tracker's months to date); ``stated`` is measure -> (figure, its (row, column))."""
        records = [rec for (key, _), rec in self.by_key.items() if key == ref]
        to_date = [rec for rec in records if rec["actual"] is not None]
        if not to_date:
            return
        last = max(rec["month"] for rec in to_date)
        summed = {
            "actual": sum(rec["actual"] for rec in to_date),
            "plan": sum(rec["plan"] or 0.0 for rec in records if rec["month"] <= last),
        }
        for measure, (figure, cell) in stated.items():
            if figure is None or cell is None:
                continue
            self.rec.total(
                *cell,
                figure,
                summed[measure],
                f"{ref}: year-to-date {measure} {fmt(figure)} is not the sum of its months to {last[:7]}, "
                f"{fmt(summed[measure])}.",
                unit,
            )


def pounds_issue(rec: Recorder, table: Table, columns: list[int | None]) -> None:
    """Figures stated in pounds are read as £'000: say so once, at the first such column."""
    c = next((c for c in columns if c is not None and unit_multiplier(table, c, 1.0) == 0.001), None)
    if c is not None:
        message = f"Column '{table.header(c)}' is in pounds (£); its figures are read as £'000, divided by 1,000."
        rec.on_header("info", "pounds_converted", c, message)


# --- one row per scheme and month ----------------------------------------------------------------------


def names_a_scheme(header: str | None) -> bool:
    words = set(normalise(header or "").split())
    return any(normalise(w) in words for w in settings().qipp.scheme_words)


def accepts_phasing(m: HeaderMatch) -> bool:
    return m.has("ref", "month") and m.has_any("plan", "actual") and names_a_scheme(m.texts.get(m.columns["ref"]))


def build_phasing(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("qipp_phasing", table)
    start = fy_start(table, ctx)
    c_ref, c_month = table.col("ref"), table.col("month")
    cols = {f: table.col(f) for f in MEASURES if table.col(f) is not None}
    mult = {f: unit_multiplier(table, c) for f, c in cols.items()}
    for r, row in filled_rows(table):
        ref = text(row[c_ref])
        if ref is None:
            if any(not is_empty(row[c]) for c in cols.values()):
                rec.unreadable(r, "it has figures but no scheme reference")
            else:
                rec.skipped(r, "it has no scheme reference")
            continue
        month = month_cell(rec, r, c_month, start)
        if month is None:
            continue
        record = empty_record("qipp_phasing")
        record.update(ref=ref, month=month)
        record.update({f: rec.money(r, c, mult[f], f.capitalize()) for f, c in cols.items()})
        rec.add(record, r)
    pounds_issue(rec, table, list(cols.values()))
    return [rec.dataset]
