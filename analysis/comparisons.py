"""Organisations compared, as the figures a chart draws: one row per organisation (or per organisation and
measure) with the value, what it means in words, and the as-at date it comes from. Organisations with nothing
loaded are listed apart, never drawn as a zero."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import activity as activity_analysis
from analysis.overview import position_word
from analysis.spc_rules import SpcResult, spc


@dataclass
class Compared:
    """What a comparison chart draws (``rows``) and the organisations it cannot draw (``not_loaded``)."""

    rows: pd.DataFrame | list
    not_loaded: list[str] = field(default_factory=list)


def _missing(value) -> bool:
    return value is None or pd.isna(value)


def _date(value):
    return None if _missing(value) else pd.Timestamp(value).date()


def _synthetic(row: pd.Series) -> bool:
    return bool(row.get("Data"))


def gap_word(gap) -> str:
    """``short``, ``over`` or ``on target`` for a gap (target less value), to the nearest thousand."""
    if _missing(gap) or round(float(gap)) == 0:
        return "on target"
    return "short" if gap > 0 else "over"


def qipp_gaps(table: pd.DataFrame) -> Compared:
    """From ``store.compare.qipp_by_organisation``: each organisation's risk-adjusted gap to target, largest first."""
    rows, missing = [], []
    for _, row in table.iterrows():
        gap = row["QIPP gap, risk-adjusted £'000"]
        if _missing(gap):
            missing.append(row["Organisation"])
            continue
        rows.append(
            {
                "organisation": row["Organisation"],
                "synthetic": _synthetic(row),
                "as_at": _date(row["QIPP as at"]),
                "gap": float(gap),
                "target": row["QIPP target £'000"],
                "risk_adjusted": row["QIPP risk-adjusted £'000"],
                "word": gap_word(gap),
            }
        )
    frame = pd.DataFrame(rows, columns=["organisation", "synthetic", "as_at", "gap", "target", "risk_adjusted", "word"])
    return Compared(frame.sort_values("gap", ascending=False, kind="stable").reset_index(drop=True), missing)


FINANCE_MEASURES = {"YTD variance £'000": "Year to date", "Forecast variance £'000": "Forecast outturn"}


def finance_variances(table: pd.DataFrame) -> Compared:
    """From ``store.compare.finance_by_organisation``: a row per organisation and measure (year to date, forecast)
    with the variance (favourable positive), its word, the month and its as-at date."""
    rows, missing = [], []
    for _, row in table.iterrows():
        if all(_missing(row[column]) for column in FINANCE_MEASURES):
            missing.append(row["Organisation"])
            continue
        for column, measure in FINANCE_MEASURES.items():
            rows.append(
                {
                    "organisation": row["Organisation"],
                    "synthetic": _synthetic(row),
                    "as_at": _date(row["Finance as at"]),
                    "month": row["Finance month"],
                    "measure": measure,
                    "variance": None if _missing(row[column]) else float(row[column]),
                    "word": position_word(row[column]),
                }
            )
    columns = ["organisation", "synthetic", "as_at", "month", "measure", "variance", "word"]
    return Compared(pd.DataFrame(rows, columns=columns), missing)


def risks_above_target(table: pd.DataFrame, as_at_column: str = "As at") -> Compared:
    """From ``store.compare.risks_by_organisation`` (or the Overview's comparison, with ``as_at_column``
    "Risks as at"): per organisation, risks above target, at or below it, and those that cannot be judged."""
    rows, missing = [], []
    for _, row in table.iterrows():
        if _missing(row["Risks"]):
            missing.append(row["Organisation"])
            continue
        unjudged = int(row["Risks with no current or target score"])
        above = int(row["Above target"])
        rows.append(
            {
                "organisation": row["Organisation"],
                "synthetic": _synthetic(row),
                "as_at": _date(row[as_at_column]),
                "risks": int(row["Risks"]),
                "above": above,
                "within": int(row["Risks"]) - above - unjudged,
                "unjudged": unjudged,
            }
        )
    columns = ["organisation", "synthetic", "as_at", "risks", "above", "within", "unjudged"]
    frame = pd.DataFrame(rows, columns=columns)
    return Compared(frame.sort_values("above", ascending=False, kind="stable").reset_index(drop=True), missing)


@dataclass
class SpcPanel:
    """One organisation's XmR chart of a measure's actuals, and the snapshot its latest actual comes from."""

    organisation: str
    result: SpcResult
    as_at: object


def spc_by_organisation(monthly: pd.DataFrame, code: str, min_points: int | None = None) -> Compared:
    """From ``store.activity.monthly``: an ``SpcPanel`` per organisation with at least two actuals of ``code``
    (in ``rows``, a list); the others in ``not_loaded``."""
    improvement = activity_analysis.improvement_direction(code)
    panels, missing = [], []
    part = monthly[monthly["code"] == code]
    for org in dict.fromkeys(part["organisation"]):
        own = part[(part["organisation"] == org) & part["actual"].notna()].sort_values("month")
        if len(own) < 2:
            missing.append(org)
            continue
        result = spc(own["actual"], own["month"], improvement=improvement, min_points=min_points)
        panels.append(SpcPanel(org, result, _date(own["actual_as_at"].max())))
    return Compared(panels, missing)
