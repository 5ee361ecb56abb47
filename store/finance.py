"""Month-N finance position: the months loaded, each month's lines with their role, issues, risks and plan bridge.

Money is GBP thousands; ``analysis.finance`` checks the totals and sums the lines into the position and trend.
"""

from __future__ import annotations

import pandas as pd

from analysis.finance import MEASURES, line_role, month_label
from records import KIND_FIELDS
from store.db import query_df
from store.snapshots import as_at_dates, current_records


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


def lines(con, org: str, as_at=None) -> pd.DataFrame:
    frame = query_df(
        con,
        "SELECT s.as_at, s.financial_year, s.month, r.snapshot_id, r.line, r.ytd_budget, r.ytd_actual, r.ytd_variance, "
        "r.annual_budget, r.forecast_outturn, r.forecast_variance, r.is_total, r.section, r.prior_forecast_variance, "
        "r.source_sheet, r.source_row "
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
    """The month's lines in source order: line, role, the six measures, section, prior_forecast_variance,
    snapshot_id, source_sheet, source_row."""
    frame = lines(con, org, as_at)
    columns = ["line", "role", *MEASURES, "section", "prior_forecast_variance", "snapshot_id", "source_sheet"]
    return frame[[*columns, "source_row"]].reset_index(drop=True)


def position_issues(con, org: str, as_at) -> pd.DataFrame:
    """What the loader reported about the month's position: severity, code, cell, message."""
    return query_df(
        con,
        "SELECT i.severity, i.code, i.cell, i.message FROM snapshot_issues i JOIN snapshots s USING (snapshot_id) "
        "WHERE s.superseded_by IS NULL AND s.organisation = ? AND s.kind = 'finance_lines' AND s.as_at = ? "
        "ORDER BY CASE i.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, i.snapshot_id, i.seq",
        [org, as_at],
    )


def risks(con, org: str) -> tuple[object, pd.DataFrame]:
    """The latest risks and mitigations table: (as_at, frame of section, item, total_risk, mitigated_risk,
    in_forecast, residual_risk, is_total, source_row)."""
    as_at = max(as_at_dates(con, org, "finance_risks"), default=None)
    return as_at, current_records(con, "finance_risks", org, as_at)[[*KIND_FIELDS["finance_risks"], "source_row"]]


def plan(con, org: str) -> tuple[object, pd.DataFrame]:
    """The latest financial plan bridge, wide: (as_at, frame of line, is_total, then one column per plan column
    in the source's order)."""
    as_at = max(as_at_dates(con, org, "finance_plan"), default=None)
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
