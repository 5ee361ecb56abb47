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


def _sections(frame: pd.DataFrame) -> pd.Series:
    """Each line's section (None where the source has none); a frame from before sections were read has none."""
    if "section" not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame["section"].astype(object).where(frame["section"].notna(), None)


def _groups(frame: pd.DataFrame):
    """Each total row with the expenditure lines it should sum.

    Where a position has sections, a sub-total (a total within a section) sums its section's lines and a
    total outside any section sums every line; otherwise a total sums the lines since the previous total.
    """
    sections = _sections(frame)
    for _, snapshot in frame.groupby("snapshot_id", sort=False):
        own = sections.loc[snapshot.index]
        if own.notna().any():
            spending = snapshot.index[snapshot["role"] == EXPENDITURE]
            for idx in snapshot.index[snapshot["role"] == TOTAL]:
                section = own[idx]
                yield idx, [i for i in spending if pd.isna(section) or own[i] == section]
            continue
        members: list[int] = []
        for idx, role in snapshot["role"].items():
            if role == EXPENDITURE:
                members.append(idx)
            elif role == TOTAL:
                yield idx, members
                members = []


def _grand_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The total rows that total the whole position: outside any section where the position has sections."""
    totals = frame[frame["role"] == TOTAL]
    sections = _sections(frame)
    if sections.notna().any():
        return totals[sections.loc[totals.index].isna()]
    return totals


def total_checks(frame: pd.DataFrame) -> pd.DataFrame:
    """Every stated total and derived line against what its lines give.

    A total is compared with the sum of the expenditure lines above it; a derived line (in-year
    deficit) with income less expenditure total (for variances, income plus expenditure variance).
    Columns: line, measure, stated, calculated, difference (stated less calculated), agrees, severity
    (None when they agree, "info" for a difference within the source's rounding, else "warning"), source_row.
    """
    rows = []
    totals_by_snapshot: dict = {}
    for snapshot_id, snapshot in frame.groupby("snapshot_id", sort=False):
        grand = _grand_totals(snapshot)
        if len(grand):
            totals_by_snapshot[snapshot_id] = grand.iloc[0]
    for total_idx, members in _groups(frame):
        total = frame.loc[total_idx]
        if not members:
            continue
        rows += [
            (total["line"], measure, total[measure], frame.loc[members, measure].fillna(0).sum(), total["source_row"])
            for measure in MEASURES
            if pd.notna(total[measure])
        ]
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
    checks[["stated", "calculated"]] = checks[["stated", "calculated"]].astype(float)
    checks["difference"] = checks["stated"] - checks["calculated"]
    checks["severity"] = [total_severity(s, c) for s, c in zip(checks["stated"], checks["calculated"], strict=True)]
    checks["agrees"] = checks["severity"].isna()
    return checks[["line", "measure", "stated", "calculated", "difference", "agrees", "severity", "source_row"]]


def _overall(frame: pd.DataFrame) -> dict:
    """The month's overall figures: the last total of the whole position, or the expenditure lines summed where
    there is none."""
    totals = _grand_totals(frame)
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
    rows = [
        {"as_at": as_at, "financial_year": fy, "month": month, "label": month_label(fy, month), **_overall(part)}
        for (as_at, fy, month), part in frame.groupby(["as_at", "financial_year", "month"], sort=True, dropna=False)
    ]
    return pd.DataFrame(rows, columns=["as_at", "financial_year", "month", "label", "basis", *MEASURES])


def by_section(frame: pd.DataFrame) -> pd.DataFrame:
    """The position grouped by section: each section's lines in source order followed by its sub-total, each group
    where its section first appears; rows outside any section (income, overall totals, surplus) where they are.
    Adds ``section_order`` (the group's place) to ``frame``'s columns."""
    sections = _sections(frame)
    first = {}
    for idx, section in zip(frame.index, sections, strict=True):
        if section is not None:
            first.setdefault(section, idx)
    positions = {idx: n for n, idx in enumerate(frame.index)}
    place = [positions[first[s]] if s is not None else positions[i] for i, s in zip(frame.index, sections, strict=True)]
    ordered = frame.assign(
        section=sections,
        section_order=place,
        _total_last=(frame["role"] == TOTAL) & sections.notna(),
        _source=range(len(frame)),
    )
    ordered = ordered.sort_values(["section_order", "_total_last", "_source"], kind="stable")
    return ordered.drop(columns=["_total_last", "_source"]).reset_index(drop=True)


def section_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per section in source order: its sub-total where the source states one, else its lines summed.
    Columns: section, basis ("sub-total" or "sum of lines"), the six measures and prior_forecast_variance."""
    sections = _sections(frame)
    measures = [*MEASURES, "prior_forecast_variance"] if "prior_forecast_variance" in frame.columns else MEASURES
    rows = []
    for section in dict.fromkeys(s for s in sections if s is not None):
        part = frame[sections == section]
        totals = part[part["role"] == TOTAL]
        if len(totals):
            row = totals.iloc[0]
            rows.append({"section": section, "basis": "sub-total", **{m: row[m] for m in measures}})
        else:
            lines = part[part["role"].isin([EXPENDITURE, INCOME])]
            rows.append(
                {"section": section, "basis": "sum of lines", **{m: lines[m].sum(min_count=1) for m in measures}}
            )
    return pd.DataFrame(rows, columns=["section", "basis", *measures])
