"""Improvement-plan actions as frames: RAG counts by area, overdue actions, planned against achieved, latest
% complete per organisation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import completion

UNRATED = "unrated"


COUNT_COLUMNS = ["blue", "green", "amber", "red", "grey"]


def rag_counts(frame: pd.DataFrame, keys: list[str], weights: str | None = None) -> pd.DataFrame:
    """Actions per RAG for each value of ``keys``; ``weights`` names a column saying how many actions a row stands for."""
    grouped = frame.groupby([*keys, "rag_key"])
    counts = (grouped[weights].sum() if weights else grouped.size()).unstack("rag_key", fill_value=0)
    counts = counts.reindex(columns=[*COUNT_COLUMNS, UNRATED], fill_value=0).reset_index()
    return with_totals(counts)


def with_totals(counts: pd.DataFrame) -> pd.DataFrame:
    return completion.with_completion(counts)


def by_area(frame: pd.DataFrame) -> pd.DataFrame:
    """RAG counts and % complete per improvement area of the given action rows (in the rows' order)."""
    if frame.empty:
        return pd.DataFrame(columns=["area", *COUNT_COLUMNS, UNRATED, "rated", "total", "pct_complete"])
    frame = frame.assign(area=frame["area"].fillna("(no area)"))
    order = list(dict.fromkeys(frame["area"]))
    counts = rag_counts(frame, ["area"])
    counts["area"] = pd.Categorical(counts["area"], categories=order, ordered=True)
    return counts.sort_values("area").assign(area=lambda f: f["area"].astype(str)).reset_index(drop=True)


def overdue(frame: pd.DataFrame, as_at=None) -> pd.DataFrame:
    """Actions due before the as-at date and not complete, most overdue first, with revised and original dates."""
    columns = ["organisation", "ref", "area", "action", "owner", "due_text", "due_date", "original_due_date",
               "rag_label", "status", "days_overdue"]  # fmt: skip
    if frame.empty:
        return pd.DataFrame(columns=columns)
    when = pd.to_datetime(frame["as_at"]) if as_at is None else pd.Timestamp(as_at)
    late = frame[(frame["due_date"] < when) & ~frame["complete"]].copy()
    late["days_overdue"] = ((when if as_at is not None else late["as_at"]) - late["due_date"]).dt.days
    return late.sort_values("days_overdue", ascending=False)[columns].reset_index(drop=True)


def planned_vs_achieved(frame: pd.DataFrame, trend: pd.DataFrame) -> pd.DataFrame:
    """Cumulative actions due by each date (revised and original deadlines) against actions complete per report.

    Rows: date, due (cumulative, by the deadline as now stated), due_original (by the original deadline
    where one is given), complete (at a report date, from the completion trend). Actions without a
    parseable deadline are not on the planned curves; ``undated`` on every row says how many.
    """
    columns = ["date", "due", "due_original", "complete", "undated"]
    if frame.empty and trend.empty:
        return pd.DataFrame(columns=columns)
    dated = frame.dropna(subset=["due_date"])
    original = frame["original_due_date"].fillna(frame["due_date"]).dropna()
    dates = sorted(set(dated["due_date"]) | set(original) | set(pd.to_datetime(trend["report_date"])))
    complete = dict(zip(pd.to_datetime(trend["report_date"]), trend["blue"], strict=True))
    undated = int(frame["due_date"].isna().sum())
    out = [
        {"date": d, "due": int(due), "due_original": int(due_original), "complete": complete.get(d, np.nan),
         "undated": undated}
        for d, due, due_original in zip(dates, _due_by(dated["due_date"], dates), _due_by(original, dates), strict=True)
    ]  # fmt: skip
    return pd.DataFrame(out, columns=columns)


def _due_by(deadlines: pd.Series, dates: list) -> np.ndarray:
    """How many of ``deadlines`` fall on or before each of ``dates``."""
    ordered = np.sort(pd.DatetimeIndex(deadlines).as_unit("ns").asi8)
    return np.searchsorted(ordered, pd.DatetimeIndex(dates).as_unit("ns").asi8, side="right")


def latest_by_organisation(trend: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's latest % complete and the one before: organisation, report_date, pct_complete, previous."""
    out = []
    for org, part in trend.groupby("organisation", sort=True):
        part = part.sort_values("report_date")
        previous = part["pct_complete"].iloc[-2] if len(part) > 1 else np.nan
        out.append({"organisation": org, "report_date": part["report_date"].iloc[-1],
                    "pct_complete": part["pct_complete"].iloc[-1], "previous": previous,
                    "source": part["source"].iloc[-1]})  # fmt: skip
    return pd.DataFrame(out, columns=["organisation", "report_date", "pct_complete", "previous", "source"])
