"""Improvement-plan actions: completion across reports, planned vs achieved, areas, overdue and concerns.

A report's RAG counts come from the action rows of the snapshot for that date or, where that is all
there is for a date, from the tracker's own RAG summary (``action_summary``). Where both exist for one
report they are compared area by area and a disagreement is shown, never reconciled.

% complete is ``analysis.completion``'s: complete actions over actions with a RAG (or a completing
status); actions with neither are counted and shown as "no RAG" but cannot be called complete or not.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

import config
from analysis.completion import COUNT_COLUMNS, UNRATED, rag_counts, with_completion
from store.db import query_df
from store.snapshots import current_records

TREND_COLUMNS = [
    "organisation",
    "report_date",
    "source",
    *COUNT_COLUMNS,
    UNRATED,
    "total",
    "rated",
    "pct_complete",
]
ACTION_COLUMNS = [
    "organisation",
    "as_at",
    "ref",
    "area",
    "action",
    "owner",
    "due_text",
    "due_date",
    "original_due_date",
    "rag_label",
    "rag",
    "status",
    "updated",
    "rag_key",
    "complete",
    "source_sheet",
    "source_row",
]


def _settings() -> config.schema.ImprovementPlan:
    return config.settings().improvement_plan


def rag_order() -> list[str]:
    return list(_settings().rag_order)


def rag_labels() -> dict[str, str]:
    return dict(_settings().rag_labels)


def _complete(rows: pd.DataFrame) -> pd.Series:
    """Per action: complete when its RAG is blue or its status is one of the configured completing statuses."""
    complete_statuses = {s.lower() for s in _settings().complete_statuses}
    stated = rows["status"].astype(object).map(lambda v: v.strip().lower() if isinstance(v, str) else None)
    return (rows["rag"] == "blue").fillna(False).astype(bool) | stated.isin(complete_statuses)


def _rag_keys(rows: pd.DataFrame, complete: pd.Series | None = None) -> pd.Series:
    """The RAG an action is counted under: its RAG, else unrated; an unrated action that is complete counts as blue."""
    keys = rows["rag"].where(rows["rag"].isin(COUNT_COLUMNS), UNRATED)
    if complete is not None:
        keys = keys.where(~(complete & (keys == UNRATED)), "blue")
    return keys


def _each_distinct(series: pd.Series, fn) -> pd.Series:
    """``series.map(fn)`` with ``fn`` called once per distinct value."""
    codes, uniques = pd.factorize(series, use_na_sentinel=False)
    values = [fn(u) for u in uniques]
    return pd.Series([values[c] for c in codes], index=series.index, dtype=object if not values else None)


def area_key(area) -> str:
    """Match an area across tables: by its leading number ("1. Leadership" and "1" agree), else its words."""
    text = "" if area is None or (isinstance(area, float) and np.isnan(area)) else str(area)
    number = re.match(r"\s*(\d+)(?:\.0)?(?:[.)\s]|$)", text)
    return number[1] if number else re.sub(r"[^a-z0-9]", "", text.lower())


def report_dates(con, org: str) -> list:
    """Dates with action rows for an organisation, oldest first."""
    dates = query_df(
        con,
        "SELECT DISTINCT s.as_at FROM snapshots s WHERE s.kind = 'actions' AND s.superseded_by IS NULL "
        "AND s.organisation = ? AND EXISTS (SELECT 1 FROM actions r WHERE r.snapshot_id = s.snapshot_id) "
        "ORDER BY s.as_at",
        [org],
    )
    return [pd.Timestamp(d) for d in dates["as_at"]]


def actions(con, orgs: list[str] | str | None = None, as_at=None) -> pd.DataFrame:
    """Action rows of each organisation's latest snapshot (or of the snapshot at ``as_at``)."""
    rows = current_records(con, "actions", orgs, as_at)
    if rows.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    latest = rows.groupby("organisation")["as_at"].transform("max")
    rows = rows[rows["as_at"] == latest].copy()
    rows["complete"] = _complete(rows)
    rows["rag_key"] = _rag_keys(rows, rows["complete"])
    for column in ("as_at", "due_date", "original_due_date", "updated"):
        rows[column] = pd.to_datetime(rows[column])
    return rows[ACTION_COLUMNS].reset_index(drop=True)


ROWS_BY_REPORT_SQL = """
SELECT s.organisation, s.as_at AS report_date, r.rag, r.status, count(*) AS actions
FROM actions r JOIN snapshots s USING (snapshot_id)
WHERE s.superseded_by IS NULL AND (? IS NULL OR list_contains(?, s.organisation))
GROUP BY s.organisation, s.as_at, r.rag, r.status
ORDER BY s.organisation, s.as_at
"""


def _rows_by_report(con, orgs) -> pd.DataFrame:
    """RAG counts of every actions snapshot (one report per as-at date)."""
    orgs = [orgs] if isinstance(orgs, str) else orgs
    rows = query_df(con, ROWS_BY_REPORT_SQL, [orgs, orgs])
    if rows.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    rows["rag_key"] = _rag_keys(rows, _complete(rows))
    counts = rag_counts(rows, ["organisation", "report_date"], weights="actions")
    counts["source"] = "rows"
    return counts[TREND_COLUMNS]


def _overall_labels() -> list[str]:
    vocabulary = config.settings().loader_vocabulary
    labels = vocabulary.total_labels + vocabulary.previous_report_labels
    return [label.lower() for label in labels]


def _is_overall(area) -> bool:
    """A summary row for the whole plan (a Total or "Last report" row) rather than one area."""
    if area is None or (isinstance(area, float) and np.isnan(area)) or not str(area).strip():
        return True
    text = re.sub(r"<[^>]+>", "", str(area)).strip().lower()
    return any(text.startswith(label) for label in _overall_labels())


def summary_records(con, orgs) -> pd.DataFrame:
    """The trackers' own summary rows, each report date taken from the latest snapshot that states it."""
    rows = current_records(con, "action_summary", orgs)
    if rows.empty:
        return rows
    rows["report_date"] = pd.to_datetime(rows["report_date"].where(rows["report_date"].notna(), rows["as_at"]))
    rows["as_at"] = pd.to_datetime(rows["as_at"])
    latest = rows.groupby(["organisation", "report_date"])["as_at"].transform("max")
    rows = rows[rows["as_at"] == latest].copy()
    rows["overall"] = _each_distinct(rows["area"], _is_overall).astype(bool)
    for column in COUNT_COLUMNS:
        rows[column] = rows[column].fillna(0).astype(int)
    return rows


def _summary_by_report(con, orgs) -> pd.DataFrame:
    """One count per report date from the summary: its area rows added up, or its overall row alone."""
    rows = summary_records(con, orgs)
    if rows.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    keys = ["organisation", "report_date"]
    areas = rows[~rows["overall"]].groupby(keys)[COUNT_COLUMNS].sum()
    overall = rows[rows["overall"]].groupby(keys).head(1).set_index(keys)[COUNT_COLUMNS]
    overall = overall[~overall.index.isin(areas.index)]
    counts = pd.concat([areas, overall]).sort_index().reset_index()
    counts[UNRATED] = 0
    counts = with_completion(counts)
    counts["source"] = "summary"
    return counts[TREND_COLUMNS]


def completion_trend(con, orgs: list[str] | str | None = None) -> pd.DataFrame:
    """RAG counts and % complete per organisation and report date, from rows where there are rows."""
    from_rows = _rows_by_report(con, orgs)
    from_summary = _summary_by_report(con, orgs)
    for frame in (from_rows, from_summary):
        frame["report_date"] = pd.to_datetime(frame["report_date"])
    have_rows = set(zip(from_rows["organisation"], from_rows["report_date"], strict=True))
    summary_only = from_summary[
        [
            (o, d) not in have_rows
            for o, d in zip(from_summary["organisation"], from_summary["report_date"], strict=True)
        ]
    ]
    parts = [frame for frame in (from_rows, summary_only) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=TREND_COLUMNS)
    trend = pd.concat(parts, ignore_index=True).sort_values(["organisation", "report_date"])
    for column in [*COUNT_COLUMNS, UNRATED, "total", "rated"]:
        trend[column] = trend[column].astype(int)
    trend["pct_complete"] = trend["pct_complete"].astype(float)
    return trend[TREND_COLUMNS].reset_index(drop=True)


def rows_vs_summary(con, org: str) -> pd.DataFrame:
    """Area by area, for each report with both rows and a summary: the two counts and whether they agree."""
    summary = summary_records(con, org)
    rows = current_records(con, "actions", org)
    columns = [
        "report_date",
        "area",
        *(f"{c}_rows" for c in COUNT_COLUMNS),
        "unrated_rows",
        *(f"{c}_summary" for c in COUNT_COLUMNS),
        "matches",
    ]
    if summary.empty or rows.empty:
        return pd.DataFrame(columns=columns)
    rows["report_date"] = pd.to_datetime(rows["as_at"])
    summary = summary[~summary["overall"]]
    both = set(rows["report_date"]) & set(summary["report_date"])
    rows = rows[rows["report_date"].isin(both)]
    summary = summary[summary["report_date"].isin(both)]
    if rows.empty and summary.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.assign(rag_key=_rag_keys(rows), key=_each_distinct(rows["area"], area_key))
    counted = rows.groupby(["report_date", "key", "rag_key"]).size().unstack("rag_key", fill_value=0)
    counted = counted.reindex(columns=[*COUNT_COLUMNS, UNRATED], fill_value=0).add_suffix("_rows")
    stated = summary.assign(key=_each_distinct(summary["area"], area_key)).set_index(["report_date", "key"])
    stated = stated[["area", *COUNT_COLUMNS]].rename(columns={c: f"{c}_summary" for c in COUNT_COLUMNS})
    out = counted.join(stated, how="outer").reset_index()
    out["area"] = out["area"].where(out["area"].notna(), out["key"])
    counts = [c for c in columns if c.endswith(("_rows", "_summary"))]
    out[counts] = out[counts].fillna(0).astype(int)
    agree = [out[f"{c}_rows"] == out[f"{c}_summary"] for c in COUNT_COLUMNS]
    out["matches"] = pd.concat(agree, axis=1).all(axis=1) & (out["unrated_rows"] == 0)
    out["_length"] = out["key"].str.len()
    out = out.sort_values(["report_date", "_length", "key"], kind="stable")
    return out[columns].reset_index(drop=True)


def concerns(con, orgs: list[str] | str | None = None) -> pd.DataFrame:
    """The action concern report of each organisation's latest snapshot."""
    rows = current_records(con, "action_concerns", orgs)
    columns = [
        "organisation",
        "as_at",
        "ref",
        "action",
        "deadline_text",
        "due_date",
        "original_due_date",
        "concern",
        "first_raised",
        "status",
    ]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    latest = rows.groupby("organisation")["as_at"].transform("max")
    return rows[rows["as_at"] == latest][columns].reset_index(drop=True)
