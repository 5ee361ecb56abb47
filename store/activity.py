"""Activity plans and actuals by point of delivery (E.M.7 referrals ... E.M.12 A&E).

Each monthly workbook carries the plan and the actuals to date, so a month's actual is taken from
the latest snapshot that has one (and a month restated between snapshots says so); the plan likewise
from the latest snapshot that has it. ``analysis.activity`` compares them.
"""

from __future__ import annotations

import pandas as pd

from analysis.activity import code_order, code_sort_key, financial_year, improvement_direction, parent_code
from store.snapshots import current_records

MONTHLY_COLUMNS = [
    "organisation",
    "code",
    "title",
    "month",
    "financial_year",
    "plan",
    "plan_as_at",
    "actual",
    "actual_as_at",
    "restated",
]


def measures(con, orgs: list[str] | str | None = None) -> pd.DataFrame:
    """Points of delivery with a plan, actual or annual figure: code, title, parent, direction (in code order)."""
    frames = [current_records(con, kind, orgs)[["as_at", "code", "title"]] for kind in ("activity", "activity_annual")]
    rows = pd.concat(frames, ignore_index=True).dropna(subset=["code"])
    if rows.empty:
        return pd.DataFrame(columns=["code", "title", "parent", "direction"])
    latest = rows.sort_values("as_at").groupby("code", as_index=False).last()
    latest["parent"] = latest["code"].map(parent_code)
    latest["direction"] = latest["code"].map(improvement_direction)
    latest = latest.iloc[sorted(range(len(latest)), key=lambda i: code_order(latest["code"].iloc[i]))]
    return latest[["code", "title", "parent", "direction"]].reset_index(drop=True)


def _latest_value(rows: pd.DataFrame, value: str) -> pd.DataFrame:
    """For each organisation, code and month: the value from the latest snapshot that has one."""
    present = rows[rows[value].notna()].sort_values(["as_at", "snapshot_id"])
    keys = ["organisation", "code", "month"]
    latest = present.groupby(keys, as_index=False).last()[[*keys, value, "as_at"]]
    versions = present.groupby(keys)[value].nunique().rename(f"{value}_versions").reset_index()
    return latest.rename(columns={"as_at": f"{value}_as_at"}).merge(versions, on=keys)


def monthly(con, orgs: list[str] | str | None = None, code: str | None = None) -> pd.DataFrame:
    """Plan and actual per organisation, code and month, each from the latest snapshot that has it.

    ``restated`` is true when snapshots disagree about a month's actual (the latest is shown).
    """
    rows = current_records(con, "activity", orgs)
    if code is not None:
        rows = rows[rows["code"] == code]
    rows = rows.dropna(subset=["code", "month"])
    if rows.empty:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    keys = ["organisation", "code", "month"]
    titles = rows.sort_values("as_at").groupby(keys, as_index=False)["title"].last()
    frame = titles.merge(_latest_value(rows, "plan"), on=keys, how="left")
    frame = frame.merge(_latest_value(rows, "actual"), on=keys, how="left")
    frame["restated"] = frame["actual_versions"].fillna(0) > 1
    frame["month"] = pd.to_datetime(frame["month"])
    frame["financial_year"] = frame["month"].map(financial_year)
    frame = frame.sort_values(["organisation", "code", "month"], key=code_sort_key).reset_index(drop=True)
    return frame[MONTHLY_COLUMNS]


def annual_rows(con, orgs: list[str] | str | None = None) -> pd.DataFrame:
    """The annual figures of every current annual snapshot (``analysis.activity.annual`` picks the latest)."""
    return current_records(con, "activity_annual", orgs).dropna(subset=["code"])
