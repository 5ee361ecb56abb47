"""Risk registers: the register at an as-at date, the one before it, score history, source cells, detail.

``register`` reads the store once per page run; ``analysis.risks`` filters, counts and compares the frame it
returns, so every chart and list follows the same risks. A risk is identified by ``key`` (its ref, or its
title where the register has no refs) within its organisation.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd

from analysis.risks import STAGES, with_derived
from store.db import query_df
from store.snapshots import as_at_dates

SCORE_FIELDS = ("likelihood", "consequence", "score")

REGISTER_SQL = """
WITH chosen AS (
    SELECT organisation, max(as_at) AS as_at FROM snapshots
    WHERE kind = 'risks' AND superseded_by IS NULL AND list_contains(?, organisation)
      AND (? IS NULL OR as_at <= ?)
    GROUP BY organisation
)
SELECT s.organisation, s.as_at, s.source_file, r.*
FROM risks r
JOIN snapshots s USING (snapshot_id)
JOIN chosen c ON c.organisation = s.organisation AND c.as_at = s.as_at
WHERE s.kind = 'risks' AND s.superseded_by IS NULL
ORDER BY s.organisation, r.snapshot_id, r.source_row
"""


def _to_date(value) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "date") and callable(value.date):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def risk_dates(con, orgs: list[str]) -> list[date]:
    """As-at dates with a current risk snapshot for any of these organisations, oldest first."""
    return as_at_dates(con, orgs, "risks")


def _risk_frame(con, sql: str, params: list) -> pd.DataFrame:
    frame = query_df(con, sql, params)
    for column in [f"{stage}_{part}" for stage in STAGES for part in SCORE_FIELDS] + ["appetite_max_score"]:
        frame[column] = frame[column].astype("Int64")
    for column in ("as_at", "last_reviewed", "target_date", "next_review", "opened"):
        frame[column] = frame[column].map(_to_date)
    return with_derived(frame)


def register(con, orgs: list[str], as_at=None) -> pd.DataFrame:
    """Each organisation's risks at its latest current snapshot on or before ``as_at`` (default latest).

    With ``key``, ``label`` (ref, or a shortened title), ``display`` (with the organisation when there are
    several) and ``<stage>_rating`` (the stated score, else likelihood x consequence): ``analysis.risks.with_derived``.
    """
    return _risk_frame(con, REGISTER_SQL, [list(orgs), as_at, as_at])


PREVIOUS_SQL = """
SELECT s.organisation, s.as_at, r.*
FROM risks r JOIN snapshots s USING (snapshot_id)
WHERE s.kind = 'risks' AND s.superseded_by IS NULL AND s.organisation = ?
  AND s.as_at = (SELECT max(as_at) FROM snapshots WHERE kind = 'risks' AND superseded_by IS NULL
                 AND organisation = ? AND as_at < ?)
ORDER BY r.snapshot_id, r.source_row
"""


def previous_register(con, org: str, before) -> pd.DataFrame:
    """The organisation's risks at its latest current snapshot strictly before ``before``."""
    return _risk_frame(con, PREVIOUS_SQL, [org, org, before])


def previous_registers(con, frame: pd.DataFrame) -> dict:
    """For each organisation and as-at in ``frame``, that organisation's register at its previous as-at."""
    pairs = frame[["organisation", "as_at"]].drop_duplicates().itertuples(index=False)
    return {(org, as_at): previous_register(con, org, as_at) for org, as_at in pairs}


HISTORY_SQL = """
SELECT s.organisation, s.as_at, r.*
FROM risks r JOIN snapshots s USING (snapshot_id)
WHERE s.kind = 'risks' AND s.superseded_by IS NULL AND list_contains(?, s.organisation)
  AND (? IS NULL OR s.as_at <= ?)
ORDER BY s.organisation, s.as_at, r.snapshot_id, r.source_row
"""


def score_history(con, orgs: list[str], until=None, keys: list[str] | None = None) -> pd.DataFrame:
    """Each risk's current rating at every as-at up to ``until``: organisation, as_at, scale, key, display,
    current_rating.

    ``keys`` limits to those risks (e.g. the filtered register's).
    """
    frame = _risk_frame(con, HISTORY_SQL, [list(orgs), until, until])
    if keys is not None:
        frame = frame[frame["key"].isin(keys)]
    history = frame[["organisation", "as_at", "scale", "key", "display", "current_rating"]]
    return history.drop_duplicates(["organisation", "as_at", "scale", "key"]).reset_index(drop=True)


def source_cells(con, snapshot_id: int, sheet: str | None, row: int | None) -> dict[str, str]:
    """Field -> ``Sheet!C12`` for one record, from its snapshot's column map and its source row."""
    frame = query_df(con, "SELECT sheet, columns_json FROM snapshots WHERE snapshot_id = ?", [int(snapshot_id)])
    if frame.empty or row is None or pd.isna(row):
        return {}
    sheet = sheet or frame["sheet"].iloc[0] or ""
    columns = json.loads(frame["columns_json"].iloc[0] or "{}")
    prefix = f"'{sheet}'" if re.search(r"[^A-Za-z0-9_]", sheet) else sheet
    return {field: f"{prefix}!{letter}{int(row)}" for field, letter in columns.items() if letter}


DETAIL_FIELDS = [
    "ref",
    "title",
    "owner",
    "objective",
    "status",
    "scale",
    "last_reviewed",
    "appetite",
    "appetite_level",
    "appetite_max_score",
    "target_date",
    "trend",
    "next_review",
    "opened",
    "directorate",
    "committee",
]
TEXT_FIELDS = ["controls", "assurances", "gaps", "actions"]


def risk_detail(con, risk: pd.Series) -> dict:
    """One risk's detail: its fields, scores per stage with their source cells, and its narrative lists.

    ``risk`` is a row of ``register``. Returns ``{"fields": {...}, "scores": DataFrame, "text": {...},
    "cells": {...}, "source": "Sheet row N"}``; narrative fields that are blank are left out.
    """
    cells = source_cells(con, risk["snapshot_id"], risk["source_sheet"], risk["source_row"])
    scores = pd.DataFrame(
        [
            {
                "stage": stage.title(),
                **{part: risk[f"{stage}_{part}"] for part in SCORE_FIELDS},
                "source cell": ", ".join(
                    dict.fromkeys(cells[f"{stage}_{part}"] for part in SCORE_FIELDS if f"{stage}_{part}" in cells)
                ),
            }
            for stage in STAGES
        ]
    )
    text = {field: risk[field] for field in TEXT_FIELDS if isinstance(risk.get(field), str) and risk[field].strip()}
    return {
        "fields": {field: risk.get(field) for field in DETAIL_FIELDS},
        "scores": scores,
        "text": text,
        "cells": cells,
        "source": f"{risk['source_sheet']} row {risk['source_row']} of {risk['source_file']} "
        f"(snapshot {risk['snapshot_id']}, as at {risk['as_at']})",
    }
