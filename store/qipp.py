"""QIPP pipeline: the as-at dates, schemes and targets of an organisation (``analysis.qipp_schemes`` sums them).

Money is GBP thousands.
"""

from __future__ import annotations

import pandas as pd

from analysis.qipp_schemes import UNRATED, stage_names
from store.db import query_df
from store.snapshots import as_at_dates, current_records


def scheme_dates(con, org: str) -> list:
    """As-at dates with a current QIPP scheme snapshot for the organisation, oldest first."""
    return as_at_dates(con, org, "qipp_schemes")


def schemes(con, org: str, as_at=None) -> pd.DataFrame:
    """The organisation's schemes at one as-at date (every date when ``as_at`` is None), in source order.

    ``rag`` is lower-case with ``unrated`` for a scheme without one; ``stage_name`` from configuration.
    """
    frame = query_df(
        con,
        "SELECT s.as_at, r.ref, r.name, r.area, r.stage, lower(r.rag) AS rag, r.value, r.risk_adjusted_value, "
        "r.lead, r.recurrent, r.plan_ytd, r.actual_ytd, r.forecast, r.source_sheet, r.source_row "
        "FROM qipp_schemes r JOIN snapshots s USING (snapshot_id) "
        "WHERE s.superseded_by IS NULL AND s.organisation = ? AND (? IS NULL OR s.as_at = ?) "
        "ORDER BY s.as_at, r.snapshot_id, r.source_row",
        [org, as_at, as_at],
    )
    frame["rag"] = frame["rag"].fillna(UNRATED)
    names = stage_names()
    stage_name = [names[int(s)] if pd.notna(s) and 0 <= int(s) < len(names) else None for s in frame["stage"]]
    frame.insert(frame.columns.get_loc("stage") + 1, "stage_name", stage_name)
    frame["as_at"] = pd.to_datetime(frame["as_at"]).dt.date
    return frame


def targets(con, org: str, as_at=None) -> pd.DataFrame:
    """QIPP targets by area (every as-at date when ``as_at`` is None), in source order."""
    frame = current_records(con, "qipp_targets", org, as_at)
    frame["as_at"] = pd.to_datetime(frame["as_at"]).dt.date
    return frame[["as_at", "area", "target"]]


def phasing(con, org: str, as_at) -> pd.DataFrame:
    """The monthly phasing of the organisation's schemes at one as-at date: ref, month, plan, actual (£'000)."""
    frame = query_df(
        con,
        "SELECT r.ref, r.month, r.plan, r.actual FROM qipp_phasing r JOIN snapshots s USING (snapshot_id) "
        "WHERE s.superseded_by IS NULL AND s.organisation = ? AND s.as_at = ? "
        "ORDER BY r.month, r.snapshot_id, r.source_row",
        [org, as_at],
    )
    frame["month"] = pd.to_datetime(frame["month"]).dt.date
    return frame
