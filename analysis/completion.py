"""% complete of an improvement plan: the one definition every page, compare view and board pack uses; the
completion trend across reports, RAG counts by area, overdue actions, planned against achieved.

An action is complete when its RAG is blue or its status is a completing one (it then counts as blue). % complete
is complete actions over actions with a RAG; actions with no RAG are counted beside it, never as
complete or not complete, and with none rated there is no % at all.

A report's RAG counts come from its action rows or, where that is all there is for a date, from the
tracker's own RAG summary. Where both exist for one report they are compared area by area and a
disagreement is shown, never reconciled.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

import config
import formats

RAG_COLUMNS = ("blue", "green", "amber", "red", "grey")
UNRATED = "unrated"
COMPLETE = "blue"
COUNT_COLUMNS = list(RAG_COLUMNS)
TREND_COLUMNS = ["organisation", "report_date", "source", *COUNT_COLUMNS, UNRATED, "total", "rated", "pct_complete"]
ACTION_COLUMNS = [
    "organisation",
    "as_at",
    "ref",
    "parent_ref",
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
    "progress",
    "rag_key",
    "complete",
    "source_sheet",
    "source_row",
]


@dataclass(frozen=True)
class Completion:
    """Counts behind one % complete: complete of rated, and how many have no RAG."""

    complete: int
    rated: int
    unrated: int

    @property
    def total(self) -> int:
        return self.rated + self.unrated

    @property
    def pct(self) -> float | None:
        return self.complete / self.rated * 100 if self.rated else None

    def pct_text(self) -> str:
        return "not known" if self.pct is None else formats.percent(self.pct)

    def label(self) -> str:
        """What the % counts, e.g. "43 of 66 actions with a RAG are complete; 2 have no RAG"."""
        if not self.rated:
            verb = "has" if self.total == 1 else "have"
            return f"0 of {_actions(self.total)} {verb} a RAG, so % complete is not known"
        verb = "is" if self.complete == 1 else "are"
        found = f"{self.complete} of {_actions(self.rated)} with a RAG {verb} complete"
        if self.unrated:
            return f"{found}; {self.unrated} {'has' if self.unrated == 1 else 'have'} no RAG"
        return found


def _actions(count: int) -> str:
    return f"{count} action{'s' if count != 1 else ''}"


def completion(counts: Mapping) -> Completion:
    """From one report's counts by RAG (``blue`` ... ``grey`` and ``unrated``; a missing count is 0)."""

    def count(name: str) -> int:
        value = counts.get(name, 0)
        return 0 if value is None or pd.isna(value) else int(value)

    rated = sum(count(rag) for rag in RAG_COLUMNS)
    return Completion(complete=count(COMPLETE), rated=rated, unrated=count(UNRATED))


def with_completion(counts: pd.DataFrame) -> pd.DataFrame:
    """Adds ``rated``, ``total`` and ``pct_complete`` (NaN where no action has a RAG) to counts by RAG."""
    out = counts.copy()
    if UNRATED not in out:
        out[UNRATED] = 0
    out["rated"] = out[list(RAG_COLUMNS)].sum(axis=1)
    out["total"] = out["rated"] + out[UNRATED]
    rated = out["rated"].where(out["rated"] > 0)
    out["pct_complete"] = (out[COMPLETE] / rated * 100).astype(float).where(rated.notna(), np.nan)
    return out


def change_text(latest: Completion, previous: Completion, since: str) -> str | None:
    """The change in complete actions since an earlier report, worded; None when there is no earlier %."""
    if previous.pct is None or latest.pct is None:
        return None
    moved = latest.complete - previous.complete
    if moved == 0:
        return f"no more complete since {since}"
    return f"{moved:+d} complete since {since}"


def stated(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts by RAG for a table: % complete as words ("65%", "not known") and what it counts, beside the counts."""
    results = [completion(row) for row in counts.to_dict("records")]
    out = counts.drop(columns=["pct_complete"], errors="ignore")
    return out.assign(
        pct_complete=[result.pct_text() for result in results], counted=[result.label() for result in results]
    )


def rag_counts(frame: pd.DataFrame, keys: list[str], weights: str | None = None) -> pd.DataFrame:
    """Actions per RAG for each value of ``keys``; ``weights`` names a column saying how many actions a row stands for."""
    grouped = frame.groupby([*keys, "rag_key"])
    counts = (grouped[weights].sum() if weights else grouped.size()).unstack("rag_key", fill_value=0)
    counts = counts.reindex(columns=[*COUNT_COLUMNS, UNRATED], fill_value=0).reset_index()
    return with_completion(counts)


def classified(rows: pd.DataFrame) -> pd.DataFrame:
    """Action rows with ``complete`` (RAG blue or a configured completing status) and ``rag_key`` (the RAG an
    action is counted under: its RAG, else unrated; an unrated action that is complete counts as blue)."""
    complete_statuses = {s.lower() for s in config.settings().improvement_plan.complete_statuses}
    stated = rows["status"].astype(object).map(lambda v: v.strip().lower() if isinstance(v, str) else None)
    complete = (rows["rag"] == "blue").fillna(False).astype(bool) | stated.isin(complete_statuses)
    keys = _rag_keys(rows)
    return rows.assign(complete=complete, rag_key=keys.where(~(complete & (keys == UNRATED)), "blue"))


def _rag_keys(rows: pd.DataFrame) -> pd.Series:
    return rows["rag"].where(rows["rag"].isin(COUNT_COLUMNS), UNRATED)


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


def _is_overall(area) -> bool:
    """A summary row for the whole plan (a Total or "Last report" row) rather than one area."""
    if area is None or (isinstance(area, float) and np.isnan(area)) or not str(area).strip():
        return True
    vocabulary = config.settings().loader_vocabulary
    text = re.sub(r"<[^>]+>", "", str(area)).strip().lower()
    return any(text.startswith(label.lower()) for label in vocabulary.total_labels + vocabulary.previous_report_labels)


def latest_snapshot(rows: pd.DataFrame, keys: list[str] | None = None) -> pd.DataFrame:
    """The rows of the latest snapshot (largest ``as_at``) for each organisation, or each value of ``keys``."""
    return rows[rows["as_at"] == rows.groupby(keys or ["organisation"])["as_at"].transform("max")]


def latest_actions(rows: pd.DataFrame) -> pd.DataFrame:
    """Action records (``store.snapshots.current_records``) of each organisation's latest snapshot, ``classified``,
    dates as timestamps."""
    if rows.empty:
        return pd.DataFrame(columns=ACTION_COLUMNS)
    rows = classified(latest_snapshot(rows))
    for column in ("as_at", "due_date", "original_due_date", "updated"):
        rows[column] = pd.to_datetime(rows[column])
    return rows[ACTION_COLUMNS].reset_index(drop=True)


def _summary_areas(summary: pd.DataFrame) -> pd.DataFrame:
    """A tracker's summary rows, each report date taken from the latest snapshot that states it, with ``overall``
    (a row for the whole plan) and counts where blank read as 0."""
    summary = summary.assign(
        report_date=pd.to_datetime(summary["report_date"].where(summary["report_date"].notna(), summary["as_at"])),
        as_at=pd.to_datetime(summary["as_at"]),
    )
    summary = latest_snapshot(summary, ["organisation", "report_date"])
    out = summary.assign(overall=_each_distinct(summary["area"], _is_overall).astype(bool))
    out[COUNT_COLUMNS] = out[COUNT_COLUMNS].fillna(0).astype(int)
    return out


def _trend_from_rows(counted: pd.DataFrame) -> pd.DataFrame:
    if counted.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    counts = rag_counts(classified(counted), ["organisation", "report_date"], weights="actions")
    return counts.assign(source="rows")[TREND_COLUMNS]


def _trend_from_summary(summary: pd.DataFrame) -> pd.DataFrame:
    """One count per report date from the summary: its area rows added up, or its overall row alone."""
    if summary.empty:
        return pd.DataFrame(columns=TREND_COLUMNS)
    summary, keys = _summary_areas(summary), ["organisation", "report_date"]
    areas = summary[~summary["overall"]].groupby(keys)[COUNT_COLUMNS].sum()
    overall = summary[summary["overall"]].groupby(keys).head(1).set_index(keys)[COUNT_COLUMNS]
    overall = overall[~overall.index.isin(areas.index)]
    counts = with_completion(pd.concat([areas, overall]).sort_index().reset_index())
    return counts.assign(source="summary")[TREND_COLUMNS]


def trend(counted: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """RAG counts and % complete per organisation and report date: from the action rows where a report has
    rows, else from the tracker's summary.

    ``counted``: organisation, report_date, rag, status and ``actions`` (how many rows have them);
    ``summary``: the trackers' summary records (organisation, as_at, report_date, area and a count per RAG) of
    every current snapshot.
    """
    keys = ["organisation", "report_date"]
    from_rows, from_summary = _trend_from_rows(counted), _trend_from_summary(summary)
    for frame in (from_rows, from_summary):
        frame["report_date"] = pd.to_datetime(frame["report_date"])
    have_rows = set(from_rows[keys].itertuples(index=False, name=None))
    summary_only = from_summary[[key not in have_rows for key in from_summary[keys].itertuples(index=False, name=None)]]
    parts = [frame for frame in (from_rows, summary_only) if not frame.empty]
    if not parts:
        return pd.DataFrame(columns=TREND_COLUMNS)
    out = pd.concat(parts, ignore_index=True).sort_values(keys)
    for column in [*COUNT_COLUMNS, UNRATED, "total", "rated"]:
        out[column] = out[column].astype(int)
    out["pct_complete"] = out["pct_complete"].astype(float)
    return out[TREND_COLUMNS].reset_index(drop=True)


def rows_vs_summary(rows: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """Area by area, for each report with both action rows and a summary: the two counts and whether they agree.

    ``rows``: action rows with their snapshot's ``as_at``; ``summary``: as for ``trend``.
    """
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
    rows = rows.assign(report_date=pd.to_datetime(rows["as_at"]))
    summary = _summary_areas(summary)
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
    columns = [
        "organisation",
        "ref",
        "area",
        "action",
        "owner",
        "due_text",
        "due_date",
        "original_due_date",
        "rag_label",
        "status",
        "days_overdue",
    ]
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
        {
            "date": d,
            "due": int(due),
            "due_original": int(due_original),
            "complete": complete.get(d, np.nan),
            "undated": undated,
        }
        for d, due, due_original in zip(dates, _due_by(dated["due_date"], dates), _due_by(original, dates), strict=True)
    ]
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
        out.append(
            {
                "organisation": org,
                "report_date": part["report_date"].iloc[-1],
                "pct_complete": part["pct_complete"].iloc[-1],
                "previous": previous,
                "source": part["source"].iloc[-1],
            }
        )
    return pd.DataFrame(out, columns=["organisation", "report_date", "pct_complete", "previous", "source"])
