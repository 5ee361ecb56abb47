"""Month-N finance position as frames: line roles, totals checked, overall figures and in-year deficit, trend.

Money is GBP thousands; variances are favourable-positive. A line's role comes from configuration
(``[finance]``): ``income`` (e.g. Allocation), ``expenditure`` (every other ordinary line), ``total``
(a totals row) or ``derived`` (e.g. In year deficit = income less expenditure).
"""

from __future__ import annotations

import pandas as pd

import config
from records import total_severity

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


def trend(frame: pd.DataFrame) -> pd.DataFrame:
    """Overall position at each month of ``store.finance.lines``: as_at, financial_year, month, label, basis and
    the six measures."""
    rows = []
    for (as_at, fy, month), part in frame.groupby(["as_at", "financial_year", "month"], sort=True, dropna=False):
        rows.append(
            {"as_at": as_at, "financial_year": fy, "month": month, "label": month_label(fy, month), **_overall(part)}
        )
    return pd.DataFrame(rows, columns=["as_at", "financial_year", "month", "label", "basis", *MEASURES])


def line_trend(frame: pd.DataFrame) -> pd.DataFrame:
    """YTD and forecast variance by line (expenditure and income lines) of ``store.finance.lines``: long format."""
    frame = frame[frame["role"].isin([INCOME, EXPENDITURE])]
    frame = frame.assign(
        label=[month_label(fy, m) for fy, m in zip(frame["financial_year"], frame["month"], strict=True)]
    )
    return frame[["as_at", "label", "line", "ytd_variance", "forecast_variance"]].reset_index(drop=True)
