"""Month-N finance position: lines by role, totals checked, in-year deficit, trend; risks and plan bridge.

Money is GBP thousands; variances are favourable-positive. A line's role comes from configuration
(``[finance]``): ``income`` (e.g. Allocation), ``expenditure`` (every other ordinary line), ``total``
(a totals row) or ``derived`` (e.g. In year deficit = income less expenditure).
"""

from __future__ import annotations

import pandas as pd

import config
from loaders.records import total_severity
from store.db import query_df

MEASURES = ["ytd_budget", "ytd_actual", "ytd_variance", "annual_budget", "forecast_outturn", "forecast_variance"]
VARIANCES = ("ytd_variance", "forecast_variance")
INCOME, EXPENDITURE, TOTAL, DERIVED = "income", "expenditure", "total", "derived"


def month_label(financial_year: str | None, month: int | None) -> str:
    if month is None or pd.isna(month):
        return str(financial_year or "")
    return f"Month {int(month)} {financial_year or ''}".strip()


def line_role(line: str | None, is_total: bool | None) -> str:
    words = config.settings().finance
    name = (line or "").strip().lower()
    if any(w in name for w in words.derived_lines):
        return DERIVED
    if is_total or name.startswith("total"):
        return TOTAL
    if any(name.startswith(w) for w in words.income_lines):
        return INCOME
    return EXPENDITURE


def months(con, org: str) -> pd.DataFrame:
    """The month-end positions loaded for the organisation, oldest first: as_at, financial_year, month, label."""
    frame = query_df(
        con,
        "SELECT DISTINCT as_at, financial_year, month FROM snapshots "
        "WHERE organisation = ? AND kind = 'finance_lines' AND superseded_by IS NULL ORDER BY as_at",
        [org],
    )
    frame["as_at"] = pd.to_datetime(frame["as_at"]).dt.date
    frame["label"] = [month_label(fy, m) for fy, m in zip(frame["financial_year"], frame["month"], strict=True)]
    return frame


def _lines(con, org: str, as_at=None) -> pd.DataFrame:
    frame = query_df(
        con,
        "SELECT s.as_at, s.financial_year, s.month, r.snapshot_id, r.line, r.ytd_budget, r.ytd_actual, r.ytd_variance, "
        "r.annual_budget, r.forecast_outturn, r.forecast_variance, r.is_total, r.source_sheet, r.source_row "
        "FROM finance_lines r JOIN snapshots s USING (snapshot_id) "
        "WHERE s.superseded_by IS NULL AND s.organisation = ? AND (? IS NULL OR s.as_at = ?) "
        "ORDER BY s.as_at, r.snapshot_id, r.source_row",
        [org, as_at, as_at],
    )
    frame["as_at"] = pd.to_datetime(frame["as_at"]).dt.date
    frame["role"] = [
        line_role(line, bool(t) if pd.notna(t) else False)
        for line, t in zip(frame["line"], frame["is_total"], strict=True)
    ]
    return frame


def position(con, org: str, as_at) -> pd.DataFrame:
    """The month's lines in source order: line, role, the six measures, snapshot_id, source_sheet, source_row."""
    frame = _lines(con, org, as_at)
    return frame[["line", "role", *MEASURES, "snapshot_id", "source_sheet", "source_row"]].reset_index(drop=True)


def _groups(frame: pd.DataFrame):
    """Each total row with the expenditure lines it should sum: those since the previous total in its snapshot."""
    for _, snapshot in frame.groupby("snapshot_id", sort=False):
        members: list[int] = []
        for idx, role in snapshot["role"].items():
            if role == EXPENDITURE:
                members.append(idx)
            elif role == TOTAL:
                yield idx, members
                members = []


def total_checks(frame: pd.DataFrame) -> pd.DataFrame:
    """Every stated total and derived line against what its lines give.

    A total is compared with the sum of the expenditure lines above it; a derived line (in-year
    deficit) with income less expenditure total (for variances, income plus expenditure variance).
    Columns: line, measure, stated, calculated, difference (stated less calculated), agrees, severity
    (None when they agree, "info" for a difference within the source's rounding, else "warning"), source_row.
    """
    rows = []
    totals_by_snapshot: dict = {}
    for total_idx, members in _groups(frame):
        total = frame.loc[total_idx]
        totals_by_snapshot.setdefault(total["snapshot_id"], total)
        if not members:
            continue
        for measure in MEASURES:
            stated = total[measure]
            if pd.isna(stated):
                continue
            rows.append(
                (total["line"], measure, stated, frame.loc[members, measure].fillna(0).sum(), total["source_row"])
            )
    for _, derived in frame[frame["role"] == DERIVED].iterrows():
        total = totals_by_snapshot.get(derived["snapshot_id"])
        income = frame[(frame["snapshot_id"] == derived["snapshot_id"]) & (frame["role"] == INCOME)]
        if total is None or income.empty:
            continue
        for measure in MEASURES:
            stated = derived[measure]
            if pd.isna(stated) or pd.isna(total[measure]):
                continue
            income_sum = income[measure].fillna(0).sum()
            calculated = income_sum + total[measure] if measure in VARIANCES else income_sum - total[measure]
            rows.append((derived["line"], measure, stated, calculated, derived["source_row"]))
    checks = pd.DataFrame(rows, columns=["line", "measure", "stated", "calculated", "source_row"])
    checks["stated"] = checks["stated"].astype(float)
    checks["calculated"] = checks["calculated"].astype(float)
    checks["difference"] = checks["stated"] - checks["calculated"]
    checks["severity"] = [total_severity(s, c) for s, c in zip(checks["stated"], checks["calculated"], strict=True)]
    checks["agrees"] = checks["severity"].isna()
    return checks[["line", "measure", "stated", "calculated", "difference", "agrees", "severity", "source_row"]]


def _overall(frame: pd.DataFrame) -> dict:
    """The month's overall figures: the last total row, or the expenditure lines summed where there is none."""
    totals = frame[frame["role"] == TOTAL]
    if len(totals):
        row = totals.iloc[-1]
        return {"basis": row["line"], **{m: row[m] for m in MEASURES}}
    lines = frame[frame["role"] == EXPENDITURE]
    return {"basis": "sum of lines", **{m: lines[m].sum(min_count=1) for m in MEASURES}}


def headline(frame: pd.DataFrame) -> dict:
    """Overall YTD and forecast figures (``basis`` names the row they come from) and the in-year deficit row."""
    derived = frame[frame["role"] == DERIVED]
    deficit = None
    if len(derived):
        row = derived.iloc[0]
        deficit = {"line": row["line"], **{m: row[m] for m in MEASURES}}
    return {**_overall(frame), "deficit": deficit}


def trend(con, org: str) -> pd.DataFrame:
    """Overall position at each month loaded: as_at, financial_year, month, label, basis and the six measures."""
    frame = _lines(con, org)
    rows = []
    for (as_at, fy, month), part in frame.groupby(["as_at", "financial_year", "month"], sort=True, dropna=False):
        rows.append(
            {"as_at": as_at, "financial_year": fy, "month": month, "label": month_label(fy, month), **_overall(part)}
        )
    return pd.DataFrame(rows, columns=["as_at", "financial_year", "month", "label", "basis", *MEASURES])


def line_trend(con, org: str) -> pd.DataFrame:
    """YTD and forecast variance by line (expenditure and income lines) at each month: long format."""
    frame = _lines(con, org)
    frame = frame[frame["role"].isin([INCOME, EXPENDITURE])]
    frame = frame.assign(
        label=[month_label(fy, m) for fy, m in zip(frame["financial_year"], frame["month"], strict=True)]
    )
    return frame[["as_at", "label", "line", "ytd_variance", "forecast_variance"]].reset_index(drop=True)


def position_issues(con, org: str, as_at) -> pd.DataFrame:
    """What the loader reported about the month's position: severity, code, cell, message."""
    return query_df(
        con,
        "SELECT i.severity, i.code, i.cell, i.message FROM snapshot_issues i JOIN snapshots s USING (snapshot_id) "
        "WHERE s.superseded_by IS NULL AND s.organisation = ? AND s.kind = 'finance_lines' AND s.as_at = ? "
        "ORDER BY CASE i.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, i.snapshot_id, i.seq",
        [org, as_at],
    )


def _latest_as_at(con, org: str, kind: str):
    frame = query_df(
        con,
        "SELECT max(as_at) AS as_at FROM snapshots WHERE organisation = ? AND kind = ? AND superseded_by IS NULL",
        [org, kind],
    )
    value = frame["as_at"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def risks(con, org: str) -> tuple[object, pd.DataFrame]:
    """The latest risks and mitigations table: (as_at, frame of section, item, total_risk, mitigated_risk,
    in_forecast, residual_risk, is_total, source_row)."""
    as_at = _latest_as_at(con, org, "finance_risks")
    frame = query_df(
        con,
        "SELECT r.section, r.item, r.total_risk, r.mitigated_risk, r.in_forecast, r.residual_risk, r.is_total, "
        "r.source_row FROM finance_risks r JOIN snapshots s USING (snapshot_id) "
        "WHERE s.superseded_by IS NULL AND s.organisation = ? AND s.as_at = ? ORDER BY r.snapshot_id, r.source_row",
        [org, as_at],
    )
    return as_at, frame


def plan(con, org: str) -> tuple[object, pd.DataFrame]:
    """The latest financial plan bridge, wide: (as_at, frame of line, is_total, then one column per plan column
    in the source's order)."""
    as_at = _latest_as_at(con, org, "finance_plan")
    long = query_df(
        con,
        "SELECT r.line, r.plan_column, r.value, r.is_total, r.source_row FROM finance_plan r "
        "JOIN snapshots s USING (snapshot_id) WHERE s.superseded_by IS NULL AND s.organisation = ? AND s.as_at = ? "
        "ORDER BY r.snapshot_id, r.source_row, r.rowid",
        [org, as_at],
    )
    if long.empty:
        return as_at, pd.DataFrame(columns=["line", "is_total"])
    columns = _column_order(long)
    lines = long.drop_duplicates(["source_row", "line"])[["source_row", "line", "is_total"]]
    wide = long.pivot_table(index=["source_row", "line"], columns="plan_column", values="value", aggfunc="sum")
    wide = lines.merge(wide.reset_index(), on=["source_row", "line"], how="left")
    return as_at, wide[["line", "is_total", *columns]].reset_index(drop=True)


def _column_order(long: pd.DataFrame) -> list[str]:
    """Plan columns in the source's order, recovered from the order within each row (a row lists only the
    columns it has a value in): every row's order is honoured, ties broken by first appearance."""
    first_seen = list(dict.fromkeys(long["plan_column"]))
    before: dict[str, set[str]] = {c: set() for c in first_seen}
    for _, row in long.groupby("source_row", sort=False)["plan_column"]:
        seen: list[str] = []
        for column in row:
            before[column].update(seen)
            seen.append(column)
    order: list[str] = []
    remaining = list(first_seen)
    while remaining:
        ready = [c for c in remaining if before[c] <= set(order)]
        if not ready:  # rows disagree about the order: keep first appearance for the rest
            return order + remaining
        order.append(ready[0])
        remaining.remove(ready[0])
    return order
