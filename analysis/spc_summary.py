"""Making Data Count's summary of every measure: the latest point, its variation and assurance, the limits, the target.

Each activity measure (point of delivery) is charted from its monthly actuals with its configured improvement
direction; its assurance target is the average monthly plan of the financial year of its latest actual, one
number kept apart from the month-by-month plan (the trajectory).
"""

from __future__ import annotations

import pandas as pd

import config
from analysis.activity import code_order, improvement_direction
from analysis.spc_rules import ASSURANCE_LABELS, VARIATION_LABELS, SpcResult, spc

DIRECTION_WORDS = {"increase": "Higher is better", "decrease": "Lower is better", "neutral": "Neither"}
HEADINGS = {
    "code": "Code",
    "title": "Point of delivery",
    "improvement": "Improvement",
    "latest_month": "Latest month",
    "latest": "Latest value",
    "variation": "Variation",
    "assurance": "Assurance",
    "mean": "Mean",
    "lpl": "Lower process limit",
    "upl": "Upper process limit",
    "target": "Target",
    "points": "Months charted",
}
COLUMNS = list(HEADINGS)


def assurance_target(part: pd.DataFrame) -> float | None:
    """The average monthly plan of the financial year of the latest actual (None without a plan)."""
    actuals = part[part["actual"].notna()]
    if actuals.empty:
        return None
    year = actuals.sort_values("month")["financial_year"].iloc[-1]
    plan = part.loc[part["financial_year"] == year, "plan"].dropna()
    return float(plan.mean()) if len(plan) else None


def measure_spc(part: pd.DataFrame, **options) -> SpcResult:
    """The XmR chart of one measure's monthly actuals (``store.activity.monthly`` rows of one organisation and code),
    with its improvement direction, its assurance target and the plan as the trajectory. A fixed baseline is
    refused below ``[spc] min_baseline_points``."""
    shortest = config.settings().spc.min_baseline_points
    if options.get("baseline_points") and options["baseline_points"] < shortest:
        raise ValueError(f"a fixed baseline needs at least {shortest} points, not {options['baseline_points']}")
    part = part.sort_values("month").reset_index(drop=True)
    first, last = part["actual"].first_valid_index(), part["actual"].last_valid_index()
    charted = part.loc[first:last] if first is not None else part.iloc[0:0]
    return spc(
        charted["actual"],
        charted["month"],
        improvement=improvement_direction(str(part["code"].iloc[0])),
        target=options.pop("target", assurance_target(part)),
        trajectory=charted["plan"],
        **options,
    )


def summary(monthly: pd.DataFrame) -> pd.DataFrame:
    """One row per measure of one organisation's monthly activity (see ``COLUMNS``); a measure with fewer than two
    actuals has its latest value but no variation, assurance or limits."""
    rows = []
    for code, part in monthly.groupby("code", sort=False):
        part = part.sort_values("month").reset_index(drop=True)
        actuals = part[part["actual"].notna()]
        row = {
            "code": code,
            "title": part["title"].iloc[-1],
            "improvement": improvement_direction(str(code)),
            "latest_month": actuals["month"].iloc[-1] if len(actuals) else None,
            "latest": actuals["actual"].iloc[-1] if len(actuals) else None,
            "points": len(actuals),
            "target": assurance_target(part),
        }
        if len(actuals) >= 2:
            result = measure_spc(part)
            last = result.frame.iloc[-1]
            row |= {
                "variation": result.variation,
                "assurance": result.assurance,
                "mean": last["mean"],
                "lpl": last["lpl"],
                "upl": last["upl"],
            }
        rows.append(row)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.sort_values("code", key=lambda c: c.map(code_order)).reset_index(drop=True)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """The summary with the variation, assurance and direction in words (for a download)."""
    out = frame.copy()
    out["variation"] = out["variation"].map(lambda v: VARIATION_LABELS.get(v) if isinstance(v, str) else None)
    out["assurance"] = out["assurance"].map(lambda v: ASSURANCE_LABELS.get(v) if isinstance(v, str) else None)
    out["improvement"] = out["improvement"].map(DIRECTION_WORDS)
    return out.rename(columns=HEADINGS)
