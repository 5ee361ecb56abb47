"""Activity plans: monthly plan (and actual) by point-of-delivery code, and the annual figures."""

from __future__ import annotations

import re

from openpyxl.utils import get_column_letter

from config import settings
from loaders.context import Context
from loaders.headers import HeaderMatch, month_of_header, normalise
from loaders.kinds.common import (
    Recorder,
    filled_rows,
    fmt,
    is_total_label,
    missing_year,
    month_cell,
    month_column_dates,
    month_record,
    section_text,
    set_month_figure,
    stated_financial_year,
    text,
)
from loaders.tables import Table, is_empty, is_number
from records import Dataset, Issue, empty_record

ANNUAL = ("prior_outturn", "do_nothing", "qipp", "plan")
_CHILD = re.compile(r"^(.*\d)([a-z])$", re.IGNORECASE)


def accepts_monthly(m: HeaderMatch) -> bool:
    monthly = len(m.repeated.get("month_columns", [])) >= 3 or (m.has("month") and m.has_any("plan", "actual"))
    return m.has_any("code", "title") and monthly


def accepts_annual(m: HeaderMatch) -> bool:
    """Two of the annual figures, or a plan alone beside both a code and a title (a plan with no
    do-nothing, QIPP or outturn columns)."""
    if not m.has_any("code", "title"):
        return False
    return sum(1 for f in ANNUAL if f in m.columns) >= 2 or m.has("code", "title", "plan")


def table_series(table: Table) -> str | None:
    """'plan' or 'actual': the first of the titles above a table (nearest first), then its sheet's name, that
    names only one of them ('Actual', 'Activity actuals 2024/25', a sheet called 'Plan'); None when none does."""
    named = settings().loader_vocabulary.series_words
    for label in [t for _, t in reversed(table.above)] + [table.name]:
        said = {named.get(w) for w in normalise(label).split()} - {None}
        if len(said) == 1:
            return said.pop()
    return None


def _month_columns(table: Table, fy_start: int | None) -> tuple[dict[int, tuple[str, str]], list[int]]:
    """Month column -> (first-of-month ISO date, 'plan' | 'actual'), and columns whose year is unknown."""
    default = table_series(table) or "plan"

    def read(group: str | None, sub: str):
        found = month_of_header(sub) or (month_of_header(group) if group else None)
        measure = "actual" if group and "actual" in normalise(sub) else "plan" if group else default
        return None if found is None else (found, measure)

    return month_column_dates(table, fy_start, read)


def build_monthly(table: Table, ctx: Context) -> list[Dataset]:
    fy = stated_financial_year(table, ctx)
    fy_start = int(fy[:4]) if fy else None
    monthly = Recorder("activity", table)
    annual = Recorder("activity_annual", table)
    monthly.dataset.financial_year = annual.dataset.financial_year = fy
    months, unknown = _month_columns(table, fy_start)
    if unknown:
        missing_year(monthly, unknown[0], "2018/19")
    if months:
        first, last = min(months), max(months)
        monthly.dataset.columns["month"] = f"{get_column_letter(first + 1)}:{get_column_letter(last + 1)}"
    c_code, c_title = table.col("code"), table.col("title")
    c_type = table.col("measure_type")
    if c_type is None:
        c_type = _series_column(table, {c_code, c_title, *months})
    annual_cols = {f: table.col(f) for f in ANNUAL if table.col(f) is not None}
    annual.dataset.columns = {
        f: get_column_letter(c + 1)
        for f, c in [("code", c_code), ("title", c_title), *annual_cols.items()]
        if c is not None
    }
    long_form = "month" in table.match.columns
    if c_code is None:
        message = "The activity table has no code column, so each measure is identified by its title."
        monthly.on_header("info", "no_codes", c_title, message)
    by_key: dict[tuple[str, str], dict] = {}
    for r, row in filled_rows(table):
        code, title = _code_and_title(row, c_code, c_title)
        if code is None and title is None:
            if any(is_number(row[c]) for c in months):
                monthly.unreadable(r, "it has monthly figures but no code or title")
            else:
                monthly.skipped(r, "it has no code or title")
            continue
        if section_text(row) is not None:
            monthly.skipped(r, f"'{code or title}' is a heading with no figures")
            continue
        if is_total_label(code or title):
            monthly.skipped(r, "it is a total row (totals are derived from the lines)")
            continue
        if long_form:
            _long_row(table, r, code, title, monthly, fy_start)
            continue
        measure = _series(row[c_type]) if c_type is not None else None
        if measure == "other":
            monthly.skipped(r, f"its series '{text(row[c_type])}' is neither plan nor actual")
            continue
        for c, (month, col_measure) in months.items():
            value = monthly.money(r, c)
            if value is None:
                continue
            record = month_record(monthly, by_key, (code or title, month), r, code=code, title=title, month=month)
            set_month_figure(monthly, r, c, record, measure or col_measure, value, code or title)
        if annual_cols and measure != "actual":
            record = _annual_record(annual, r, code, title, annual_cols)
            if any(record[f] is not None for f in annual_cols):
                annual.add(record, r)
    check_annual(table, annual, annual_cols)
    check_months(table, monthly, annual, months)
    return [d for d in (monthly.dataset, annual.dataset) if d.records or d.issues or d is monthly.dataset]


def _series(value) -> str | None:
    """'Plan' / 'Actual' (and their variants) from a series column; 'other' for any other label."""
    key = normalise(str(value or ""))
    if not key:
        return None
    return settings().loader_vocabulary.series_words.get(
        key, "actual" if "actual" in key else "plan" if "plan" in key else "other"
    )


def _series_column(table: Table, taken: set) -> int | None:
    """A column whose entries name series (Plan and Actual, perhaps Variance too), whatever its header says."""
    body = [table.rows[r] for r in table.body()]
    for c in range(len(table.rows[0]) if table.rows else 0):
        if c in taken:
            continue
        entries = [normalise(str(row[c])) for row in body if c < len(row) and not is_empty(row[c])]
        words = settings().loader_vocabulary.series_words
        named = [e for e in entries if e in words]
        if len({words[e] for e in named}) == 2 and len(named) * 2 >= len(entries):
            return c
    return None


def _long_row(table, r, code, title, rec, fy_start) -> None:
    month = month_cell(rec, r, table.col("month"), fy_start)
    if month is None:
        return
    record = empty_record("activity")
    record.update(code=code, title=title, month=month)
    for f in ("plan", "actual"):
        if table.col(f) is not None:
            record[f] = rec.money(r, table.col(f), label=f.capitalize())
    rec.add(record, r)


def build_annual(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("activity_annual", table)
    cols = {f: table.col(f) for f in ANNUAL if table.col(f) is not None}
    c_code, c_title = table.col("code"), table.col("title")
    for r, row in filled_rows(table):
        code, title = _code_and_title(row, c_code, c_title)
        if (code is None and title is None) or section_text(row) is not None:
            rec.skipped(r, "it has no figures" if code or title else "it has no code or title")
            continue
        rec.add(_annual_record(rec, r, code, title, cols), r)
    check_annual(table, rec, cols)
    return [rec.dataset]


def _code_and_title(row: list, c_code: int | None, c_title: int | None) -> tuple[str | None, str | None]:
    title = text(row[c_title]) if c_title is not None else None
    code = text(row[c_code]) if c_code is not None else title  # without codes a measure is known by its title
    return code, title


def _annual_record(rec: Recorder, r: int, code: str | None, title: str | None, cols: dict[str, int]) -> dict:
    record = empty_record("activity_annual")
    record.update({f: rec.money(r, c) for f, c in cols.items()}, code=code, title=title)
    return record


def _row(record: dict) -> int:
    return record["source"]["row"] - 1


def check_annual(table: Table, rec: Recorder, cols: dict[str, int]) -> None:
    """Do nothing + QIPP = plan on each line; children (7a, 7b) add up to their parent (7)."""
    records = rec.dataset.records
    if {"do_nothing", "qipp", "plan"} <= set(cols):
        for record in records:
            dn, q, plan = record["do_nothing"], record["qipp"], record["plan"]
            if None not in (dn, q, plan):
                message = (
                    f"{record['code'] or record['title']}: plan {fmt(plan)} is not do nothing + QIPP = {fmt(dn + q)}."
                )
                rec.total(_row(record), cols["plan"], plan, dn + q, message)
    for parent, children in _families(records):
        for f, c in cols.items():
            values = [ch[f] for ch in children]
            if parent[f] is None or any(v is None for v in values):
                continue
            rec.total(
                _row(parent),
                c,
                parent[f],
                sum(values),
                f"{parent['code']}: {table.header(c)} {fmt(parent[f])} is not the sum of "
                f"{', '.join(ch['code'] for ch in children)} = {fmt(sum(values))}.",
            )


def _families(records: list[dict]) -> list[tuple[dict, list[dict]]]:
    """(parent, children) where codes such as E.M.7a and E.M.7b sit under E.M.7."""
    by_code = {r["code"]: r for r in records if r.get("code")}
    families: dict[str, list[dict]] = {}
    for code, record in by_code.items():
        m = _CHILD.match(code)
        if m and m.group(1) in by_code:
            families.setdefault(m.group(1), []).append(record)
    return [(by_code[p], kids) for p, kids in families.items() if len(kids) >= 2]


def check_months(table: Table, monthly: Recorder, annual: Recorder, months: dict[int, tuple[str, str]]) -> None:
    """The monthly plan adds up to the annual plan, line by line."""
    c_plan = table.col("plan")
    if c_plan is None or not months:
        return
    plans: dict[str, list[float]] = {}
    for record in monthly.dataset.records:
        if record.get("plan") is not None:
            plans.setdefault(record["code"] or record["title"], []).append(record["plan"])
    for record in annual.dataset.records:
        key = record["code"] or record["title"]
        if record["plan"] is None or len(plans.get(key, ())) < 12:
            continue
        summed = sum(plans[key])
        monthly.total(
            _row(record),
            c_plan,
            record["plan"],
            summed,
            f"{key}: the monthly plan sums to {fmt(summed)} but the annual plan is "
            f"{fmt(record['plan'])} (difference {fmt(summed - record['plan'])}).",
        )


def merge_plan_and_actual(datasets: list[Dataset]) -> None:
    """Plan and actual read from different sheets or blocks become one record per code and month, in the
    first activity dataset; a code or month found in only one of them is reported."""
    found = [d for d in datasets if d.kind == "activity"]
    if not found:
        return
    home = found[0]
    for other in found[1:]:
        home.records.extend(other.records)
        home.issues.extend(other.issues)
        datasets.remove(other)
    merged: dict[tuple[str, str], dict] = {}
    kept: list[dict] = []
    joined = False
    for record in home.records:
        key = (record["code"] or record["title"], record["month"])
        first = merged.get(key)
        if first is None:
            merged[key] = record
            kept.append(record)
            continue
        for fld in ("plan", "actual"):
            if record[fld] is None:
                continue
            if first[fld] is not None:
                message = (
                    f"{key[0]} {key[1][:7]} {fld} is given twice ({fmt(first[fld])} at {_where(first)} and "
                    f"{fmt(record[fld])}); the later figure is kept."
                )
                home.issues.append(Issue("warning", "duplicate_ref", _where(record), message))
            first[fld] = record[fld]
            joined = True
        first["title"] = first["title"] or record["title"]
    home.records[:] = kept
    if joined or _separate_series(kept):
        _report_unmatched(home, kept)


def _where(record: dict) -> str:
    source = record["source"]
    sheet = source["sheet"].replace("'", "''")
    return f"'{sheet}'!A{source['row']}" if any(ch in sheet for ch in " '!") else f"{sheet}!A{source['row']}"


def _separate_series(records: list[dict]) -> bool:
    """Some records carry only a plan and others only an actual: the two came from separate tables."""
    only_plan = any(r["plan"] is not None and r["actual"] is None for r in records)
    only_actual = any(r["actual"] is not None and r["plan"] is None for r in records)
    return only_plan and only_actual


def _report_unmatched(home: Dataset, records: list[dict]) -> None:
    """An actual with no plan; a code planned but with no actual in a month others have actuals for."""

    def unmatched(record: dict, message: str) -> None:
        home.issues.append(Issue("warning", "unmatched_activity", _where(record), message))

    actual_months = {r["month"] for r in records if r["actual"] is not None}
    planned_codes = {r["code"] or r["title"] for r in records if r["plan"] is not None}
    with_actuals = {r["code"] or r["title"] for r in records if r["actual"] is not None}
    first: dict[str, dict] = {}
    for record in records:
        first.setdefault(record["code"] or record["title"], record)
    for code in sorted(with_actuals - planned_codes):
        unmatched(first[code], f"{code} has actuals but no plan in this workbook.")
    for code in sorted(planned_codes - with_actuals):
        if actual_months:
            unmatched(first[code], f"{code} has a plan but no actuals in this workbook.")
    for record in records:
        code, month = record["code"] or record["title"], record["month"][:7]
        if code in planned_codes and record["actual"] is not None and record["plan"] is None:
            unmatched(record, f"{code} has an actual for {month} but no plan for that month.")
        elif code in with_actuals and record["plan"] is not None and record["actual"] is None:
            if record["month"] in actual_months:
                unmatched(record, f"{code} has a plan for {month} but no actual, though other lines have one.")
