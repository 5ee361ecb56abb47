"""Risk registers: the register at an as-at date, matrix cells, movement, history, reviews, detail.

``register`` reads the store; most other functions take the frame it returns (after filtering), so a
page reads once per run and every chart and list follows the same risks. A risk is identified by
``key`` (its ref, or its title where the register has no refs) within its organisation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

import config
from store.db import query_df

STAGES = ("initial", "current", "target")
SCALES = ("5x5", "3x3")
DEFAULT_SCALE = "5x5"
LABEL_LENGTH = 24
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
    frame = query_df(
        con,
        "SELECT DISTINCT as_at FROM snapshots WHERE kind = 'risks' AND superseded_by IS NULL "
        "AND list_contains(?, organisation) ORDER BY as_at",
        [list(orgs)],
    )
    return [_to_date(d) for d in frame["as_at"]]


def _label(ref, title, source_row) -> str:
    if isinstance(ref, str) and ref.strip():
        return ref.strip()
    if isinstance(title, str) and title.strip():
        title = title.strip()
        return title if len(title) <= LABEL_LENGTH else title[: LABEL_LENGTH - 1].rstrip() + "…"
    return f"row {source_row}"


def _with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds key, label, display label, scale default and a score per stage (stated, else L x C)."""
    out = frame.copy()
    out["as_at"] = out["as_at"].map(_to_date)
    out["last_reviewed"] = out["last_reviewed"].map(_to_date)
    out["scale"] = out["scale"].where(out["scale"].isin(SCALES), DEFAULT_SCALE)
    refs = out["ref"].where(out["ref"].fillna("").astype(str).str.strip() != "", None)
    out["key"] = refs.fillna(out["title"]).fillna("row " + out["source_row"].astype(str))
    out["label"] = [_label(r, t, n) for r, t, n in zip(out["ref"], out["title"], out["source_row"], strict=True)]
    several = out["organisation"].nunique() > 1
    out["display"] = (out["organisation"] + ": " + out["label"]) if several else out["label"]
    for stage in STAGES:
        product = out[f"{stage}_likelihood"] * out[f"{stage}_consequence"]
        out[f"{stage}_rating"] = out[f"{stage}_score"].astype("Float64").fillna(product.astype("Float64"))
        out[f"{stage}_band"] = _bands(out, stage)
    return out


def _bands(frame: pd.DataFrame, stage: str) -> pd.Series:
    """Per risk, the band name of the stage: of its rating where it has one, else the band the register states."""
    stated = frame[f"{stage}_band"] if f"{stage}_band" in frame else pd.Series(None, index=frame.index, dtype=object)
    out = stated.astype(object).where(stated.notna(), None)
    rated = frame[f"{stage}_rating"].notna()
    for (org, scale), rows in frame[rated].groupby(["organisation", "scale"]):
        bands = sorted(config.risk_bands(org, scale), key=lambda band: band["max"])
        for index, rating in rows[f"{stage}_rating"].items():
            out[index] = next((band["name"] for band in bands if rating <= band["max"]), None)
    return out


def band_label(name, org: str | None, scale: str) -> str | None:
    """The configured label of a band name ("moderate" -> "Moderate (3-4)"), or None."""
    if not isinstance(name, str):
        return None
    return next((band["label"] for band in config.risk_bands(org, scale) if band["name"] == name), name)


def register(con, orgs: list[str], as_at=None) -> pd.DataFrame:
    """Each organisation's risks at its latest current snapshot on or before ``as_at`` (default latest).

    Adds ``key``, ``label`` (ref, or a shortened title), ``display`` (with the organisation when
    there are several) and ``<stage>_rating`` (the stated score, else likelihood x consequence).
    """
    frame = query_df(con, REGISTER_SQL, [list(orgs), as_at, as_at])
    for stage in STAGES:
        for part in SCORE_FIELDS:
            frame[f"{stage}_{part}"] = frame[f"{stage}_{part}"].astype("Int64")
    return _with_derived(frame)


@dataclass(frozen=True)
class RiskFilters:
    """An empty tuple means no filter on that field; a blank value is matched by ``NOT_STATED``."""

    objectives: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [
            f"{name} {', '.join(values)}"
            for name, values in (("objective", self.objectives), ("owner", self.owners), ("status", self.statuses))
            if values
        ]
        return "; ".join(parts) if parts else "all risks"


NOT_STATED = "(not stated)"
FILTER_FIELDS = {"objectives": "objective", "owners": "owner", "statuses": "status"}


def _stated(series: pd.Series) -> pd.Series:
    text = series.astype(object).where(series.notna(), None)
    return text.map(lambda v: v.strip() if isinstance(v, str) and v.strip() else NOT_STATED)


def filter_options(frame: pd.DataFrame) -> dict[str, list[str]]:
    """Values to offer for each filter, sorted, with ``NOT_STATED`` last where some risks have none."""
    options = {}
    for name, column in FILTER_FIELDS.items():
        values = set(_stated(frame[column])) if not frame.empty else set()
        options[name] = sorted(values - {NOT_STATED}) + ([NOT_STATED] if NOT_STATED in values else [])
    return options


def filter_risks(frame: pd.DataFrame, filters: RiskFilters | None) -> pd.DataFrame:
    if filters is None or frame.empty:
        return frame
    keep = pd.Series(True, index=frame.index)
    for name, column in FILTER_FIELDS.items():
        chosen = getattr(filters, name)
        if chosen:
            keep &= _stated(frame[column]).isin(chosen)
    return frame[keep]


def placed(frame: pd.DataFrame, stage: str) -> pd.DataFrame:
    """Risks with both likelihood and consequence for the stage: the ones a matrix can show."""
    return frame[frame[f"{stage}_likelihood"].notna() & frame[f"{stage}_consequence"].notna()]


def unplaced(frame: pd.DataFrame, stage: str) -> pd.DataFrame:
    """Risks a matrix cannot show for the stage (no likelihood or no consequence), with what they state."""
    missing = frame[frame[f"{stage}_likelihood"].isna() | frame[f"{stage}_consequence"].isna()]
    bands = [
        band_label(b, o, sc)
        for b, o, sc in zip(missing[f"{stage}_band"], missing["organisation"], missing["scale"], strict=True)
    ]
    return missing.assign(band=pd.Series(bands, index=missing.index, dtype=object))[
        [
            "organisation",
            "display",
            "title",
            "scale",
            f"{stage}_likelihood",
            f"{stage}_consequence",
            f"{stage}_score",
            "band",
        ]
    ]


def matrix_cells(frame: pd.DataFrame, stage: str) -> pd.DataFrame:
    """One row per occupied cell: scale, likelihood, consequence, count, labels (list), titles (list)."""
    columns = ["scale", "likelihood", "consequence", "count", "labels", "titles"]
    rows = placed(frame, stage)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    grouped = rows.groupby(["scale", f"{stage}_likelihood", f"{stage}_consequence"], sort=True)
    cells = grouped.agg(count=("key", "size"), labels=("display", list), titles=("title", list)).reset_index()
    cells.columns = columns
    cells["likelihood"] = cells["likelihood"].astype(int)
    cells["consequence"] = cells["consequence"].astype(int)
    return cells


def cell_risks(frame: pd.DataFrame, stage: str, scale: str, likelihood: int, consequence: int) -> pd.DataFrame:
    """The risks in one matrix cell."""
    rows = placed(frame, stage)
    return rows[
        (rows["scale"] == scale)
        & (rows[f"{stage}_likelihood"] == likelihood)
        & (rows[f"{stage}_consequence"] == consequence)
    ]


MOVEMENT_COLUMNS = [
    "organisation",
    "as_at",
    "key",
    "display",
    "title",
    "owner",
    "scale",
    "initial_rating",
    "current_rating",
    "target_rating",
    "change",
    "above_target_by",
    "not_moved",
    "above_target",
]


def movement(frame: pd.DataFrame) -> pd.DataFrame:
    """Per risk: initial, current and target rating, the change since initial and the gap above target.

    ``not_moved``: current equals initial. ``above_target``: current is higher than target. A risk
    without both ratings is neither (not known).
    """
    out = frame.copy()
    out["change"] = out["current_rating"] - out["initial_rating"]
    out["above_target_by"] = out["current_rating"] - out["target_rating"]
    out["not_moved"] = (out["change"] == 0).fillna(False).astype(bool)
    out["above_target"] = (out["above_target_by"] > 0).fillna(False).astype(bool)
    return out[MOVEMENT_COLUMNS].reset_index(drop=True)


def not_moved(frame: pd.DataFrame) -> pd.DataFrame:
    moves = movement(frame)
    return moves[moves["not_moved"]].reset_index(drop=True)


def above_target(frame: pd.DataFrame) -> pd.DataFrame:
    moves = movement(frame)
    return moves[moves["above_target"]].sort_values("above_target_by", ascending=False).reset_index(drop=True)


PREVIOUS_SQL = """
SELECT s.organisation, s.as_at, r.*
FROM risks r JOIN snapshots s USING (snapshot_id)
WHERE s.kind = 'risks' AND s.superseded_by IS NULL AND s.organisation = ?
  AND s.as_at = (SELECT max(as_at) FROM snapshots WHERE kind = 'risks' AND superseded_by IS NULL
                 AND organisation = ? AND as_at < ?)
ORDER BY r.snapshot_id, r.source_row
"""

WORSENED_COLUMNS = [
    "organisation",
    "key",
    "display",
    "title",
    "previous_as_at",
    "previous_rating",
    "as_at",
    "current_rating",
    "worse_by",
]


def previous_register(con, org: str, before) -> pd.DataFrame:
    """The organisation's risks at its latest current snapshot strictly before ``before``."""
    frame = query_df(con, PREVIOUS_SQL, [org, org, before])
    for stage in STAGES:
        for part in SCORE_FIELDS:
            frame[f"{stage}_{part}"] = frame[f"{stage}_{part}"].astype("Int64")
    return _with_derived(frame)


def worse_since_previous(con, frame: pd.DataFrame) -> pd.DataFrame:
    """Risks in ``frame`` whose current rating is higher than at their organisation's previous as-at.

    A risk is matched by key on the same scale: a 3x3 score is never compared with a 5x5 one.
    """
    found = []
    for (org, as_at), risks in frame.groupby(["organisation", "as_at"], sort=True):
        before = previous_register(con, org, as_at)
        if before.empty:
            continue
        earlier = before.drop_duplicates(["key", "scale"]).set_index(["key", "scale"])
        earlier = earlier[["as_at", "current_rating"]].add_suffix("_previous")
        joined = risks.join(earlier, on=["key", "scale"], how="inner")
        worse = joined[(joined["current_rating"] > joined["current_rating_previous"]).fillna(False).astype(bool)]
        found.append(
            worse.assign(
                previous_as_at=worse["as_at_previous"],
                previous_rating=worse["current_rating_previous"],
                worse_by=worse["current_rating"] - worse["current_rating_previous"],
            )[WORSENED_COLUMNS]
        )
    if not found:
        return pd.DataFrame(columns=WORSENED_COLUMNS)
    return pd.concat(found, ignore_index=True).sort_values("worse_by", ascending=False).reset_index(drop=True)


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
    frame = query_df(con, HISTORY_SQL, [list(orgs), until, until])
    for stage in STAGES:
        for part in SCORE_FIELDS:
            frame[f"{stage}_{part}"] = frame[f"{stage}_{part}"].astype("Int64")
    frame = _with_derived(frame)
    if keys is not None:
        frame = frame[frame["key"].isin(keys)]
    history = frame[["organisation", "as_at", "scale", "key", "display", "current_rating"]]
    return history.drop_duplicates(["organisation", "as_at", "scale", "key"]).reset_index(drop=True)


REVIEW_COLUMNS = ["organisation", "display", "title", "owner", "last_reviewed", "as_at", "days_since_review", "reason"]


def review_overdue(frame: pd.DataFrame, days: int | None = None) -> pd.DataFrame:
    """Risks last reviewed more than ``days`` (default from configuration) before their as-at date,
    and risks with no review date at all; longest unreviewed first."""
    days = config.review_overdue_days() if days is None else int(days)
    if frame.empty:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    out = frame.copy()
    out["days_since_review"] = [
        (as_at - reviewed).days if reviewed is not None and as_at is not None else None
        for as_at, reviewed in zip(out["as_at"], out["last_reviewed"], strict=True)
    ]
    out["days_since_review"] = out["days_since_review"].astype("Int64")
    no_date = out["last_reviewed"].isna()
    late = (out["days_since_review"] > days).fillna(False).astype(bool)
    out["reason"] = None
    out.loc[late, "reason"] = "Last reviewed " + out.loc[late, "days_since_review"].astype(str) + " days before as-at"
    out.loc[no_date, "reason"] = NO_REVIEW_DATE
    overdue = out[late | no_date].sort_values("days_since_review", ascending=False, na_position="first")
    return overdue[REVIEW_COLUMNS].reset_index(drop=True)


NO_REVIEW_DATE = "No review date recorded"


def review_counts(overdue: pd.DataFrame) -> dict[str, int]:
    """From ``review_overdue``: how many are late, and how many have no review date at all."""
    no_date = int((overdue["reason"] == NO_REVIEW_DATE).sum()) if not overdue.empty else 0
    return {"late": len(overdue) - no_date, "no_date": no_date}


def review_headline(reviews: dict[str, int], total: int, days: int) -> str:
    """The review finding, saying how many risks state no review date (never a zero standing for "not stated")."""
    no_date = reviews["no_date"]
    missing = f"no review date stated for {no_date} of {_plural(total)}"
    if total and no_date == total:
        return missing[0].upper() + missing[1:]
    late = f"{_plural(reviews['late'])} not reviewed within {days} days"
    return f"{late}; {missing}" if no_date else late


def review_metric(reviews: dict[str, int], total: int) -> str:
    """The overdue count for a metric: out of the risks with a review date when some have none."""
    return judged(reviews["late"], total - reviews["no_date"], total)


def source_cells(con, snapshot_id: int, sheet: str | None, row: int | None) -> dict[str, str]:
    """Field -> ``Sheet!C12`` for one record, from its snapshot's column map and its source row."""
    frame = query_df(con, "SELECT sheet, columns_json FROM snapshots WHERE snapshot_id = ?", [int(snapshot_id)])
    if frame.empty or row is None or pd.isna(row):
        return {}
    sheet = sheet or frame["sheet"].iloc[0] or ""
    columns = json.loads(frame["columns_json"].iloc[0] or "{}")
    prefix = f"'{sheet}'" if re.search(r"[^A-Za-z0-9_]", sheet) else sheet
    return {field: f"{prefix}!{letter}{int(row)}" for field, letter in columns.items() if letter}


DETAIL_FIELDS = ["ref", "title", "owner", "objective", "status", "scale", "last_reviewed"]
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
                "likelihood": risk[f"{stage}_likelihood"],
                "consequence": risk[f"{stage}_consequence"],
                "score": risk[f"{stage}_score"],
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


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """Headline counts, each with how many risks it could be judged for.

    ``above_target`` is out of ``compared`` (current and target score known), ``not_moved`` out of
    ``with_movement`` (initial and current score known), ``top_band`` out of ``with_current`` plus
    ``current_band_only`` (risks whose current position the register states only as a band).
    """
    moves = movement(frame)
    top = 0
    for scale, rows in frame.groupby("scale"):
        for org, org_rows in rows.groupby("organisation"):
            top_band = max(config.risk_bands(org, scale), key=lambda band: band["min"])["name"]
            top += int((org_rows["current_band"] == top_band).sum())
    current = frame["current_rating"].notna()
    return {
        "risks": len(frame),
        "above_target": int(moves["above_target"].sum()),
        "not_moved": int(moves["not_moved"].sum()),
        "top_band": top,
        "with_current": int(current.sum()),
        "current_band_only": int((~current & frame["current_band"].notna()).sum()),
        "with_target": int(frame["target_rating"].notna().sum()),
        "compared": int((current & frame["target_rating"].notna()).sum()),
        "with_movement": int((current & frame["initial_rating"].notna()).sum()),
    }


def _plural(count: int, word: str = "risk") -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def headline(counts: dict[str, int]) -> str:
    """A title that states the finding, and never calls risks without a current or target score on target."""
    total = counts["risks"]
    if not total:
        return "No risks"
    above = counts["above_target"]
    compared = counts.get("compared", total)
    if not compared:
        no_current, no_target = total - counts.get("with_current", 0), total - counts.get("with_target", 0)
        missing = "; ".join(
            part
            for part in (
                f"{no_current} with no current score" if no_current else "",
                f"{no_target} with no target" if no_target else "",
            )
            if part
        )
        if total == 1:
            return f"The risk cannot be compared with a target ({missing})"
        return f"0 of {total} risks can be compared with a target ({missing})"
    unknown = total - compared
    if not unknown:
        if not above:
            return f"All {total} risks at or below target" if total > 1 else "The risk is at or below target"
        return f"{above} of {total} risks above target"
    found = f"{above} of {compared} risks with a current and target score above target"
    return f"{found}; {unknown} of {total} cannot be compared (no current score or no target)"


def judged(count: int, known: int, total: int) -> str:
    """A count for a tile or metric: the count alone when every risk could be judged, else out of those that could."""
    if known == total:
        return str(count)
    return "not known" if not known else f"{count} of {known}"


def unjudged_note(known: int, total: int) -> str:
    """A note after a count, such as " (3 of 21 cannot be judged ...)", when some risks lack the scores it needs."""
    return f" ({total - known} of {total} cannot be judged: a score is not stated)" if known < total else ""


def missing_note(counts: dict[str, int]) -> str:
    """What the headline counts could not see: risks with no current score, target or initial score."""
    total = counts["risks"]
    parts = []
    band_only = counts.get("current_band_only", 0)
    if band_only:
        parts.append(f"current position only as a band for {band_only} of {total}, so not on the matrix")
    no_current = total - counts.get("with_current", total) - band_only
    if no_current:
        parts.append(f"no current score for {no_current} of {total}")
    no_target = total - counts.get("with_target", total)
    if no_target:
        parts.append(f"no target for {no_target} of {total}")
    no_initial = counts.get("with_current", total) - counts.get("with_movement", total)
    if no_initial:
        parts.append(f"no initial score for {no_initial} more")
    return ("Not stated in the register: " + "; ".join(parts) + ".") if parts else ""


def counts_note(counts: dict[str, int], closed: int = 0) -> str:
    """The Overview's and board pack's line under the risk headline: top band, not moved, what is missing, closed."""
    total = counts["risks"]
    found = [
        f"{judged(count, known, total)} {words}"
        for count, known, words in (
            (counts["top_band"], counts["with_current"] + counts.get("current_band_only", 0), "in the top band"),
            (counts["not_moved"], counts["with_movement"], "not moved from initial"),
        )
        if known
    ]
    parts = [f"{'; '.join(found)}." if found else "", missing_note(counts)]
    if closed:
        parts.append(f"{closed_note(closed).capitalize()}.")
    return " ".join(part for part in parts if part)


def is_closed(frame: pd.DataFrame) -> pd.Series:
    """Per risk: its status is one of the configured closed statuses (or starts with one as a word)."""
    words = [w.strip().lower() for w in config.closed_risk_statuses() if w.strip()]
    if frame.empty or not words:
        return pd.Series(False, index=frame.index, dtype=bool)
    pattern = re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")(?![a-z])")
    status = frame["status"].astype(object)
    return status.map(lambda v: isinstance(v, str) and bool(pattern.match(v.strip().lower()))).astype(bool)


def without_closed(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The risks that are not closed, and how many closed ones were left out."""
    closed = is_closed(frame)
    return frame[~closed], int(closed.sum())


def closed_note(closed: int) -> str:
    return f"{_plural(closed, 'closed risk')} left out" if closed else ""


def snapshots_used(frame: pd.DataFrame) -> pd.DataFrame:
    """Which snapshot each organisation's risks come from: organisation, as_at, snapshot_id, source_file."""
    columns = ["organisation", "as_at", "snapshot_id", "source_file"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    return frame[columns].drop_duplicates().sort_values(columns).reset_index(drop=True)


def as_at_note(frame: pd.DataFrame) -> str:
    """One line naming the as-at date and file behind the risks shown, per organisation."""
    used = snapshots_used(frame)
    parts = [
        f"{row.organisation}: as at {row.as_at:%d %b %Y} ({row.source_file}, snapshot {row.snapshot_id})"
        for row in used.itertuples(index=False)
    ]
    return "; ".join(parts)
