"""Risk registers as frames: ratings and bands, filters, matrix cells, movement, worsening, reviews, closed risks
and counts.

Every function takes a register frame as ``store.risks.register`` returns it (after filtering). A risk is
identified by ``key`` (its ref, or its title where the register has no refs) within its organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

import config

STAGES = ("initial", "current", "target")
SCALES = ("5x5", "3x3")
DEFAULT_SCALE = "5x5"
# How a trend is shown: an arrow for the score's direction, always with the word.
TREND_SHOWN = {"improving": "↓ improving", "unchanged": "↔ unchanged", "deteriorating": "↑ deteriorating"}


def with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """A register as stored, with key, label, display label, scale default and per stage a rating (stated score,
    else likelihood x consequence) and band."""
    out = frame.copy()
    out["scale"] = out["scale"].where(out["scale"].isin(SCALES), DEFAULT_SCALE)
    refs = out["ref"].where(out["ref"].fillna("").astype(str).str.strip() != "", None)
    out["key"] = refs.fillna(out["title"]).fillna("row " + out["source_row"].astype(str))
    out["label"] = [_label(r, n) for r, n in zip(out["ref"], out["source_row"], strict=True)]
    several = out["organisation"].nunique() > 1
    out["display"] = (out["organisation"] + ": " + out["label"]) if several else out["label"]
    for stage in STAGES:
        product = out[f"{stage}_likelihood"] * out[f"{stage}_consequence"]
        out[f"{stage}_rating"] = out[f"{stage}_score"].astype("Float64").fillna(product.astype("Float64"))
        out[f"{stage}_band"] = _bands(out, stage)
    return _with_appetite_and_target_date(out)


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A field a register may predate (stores written before it was read): missing means not stated."""
    return frame[name] if name in frame else pd.Series(None, index=frame.index, dtype=object)


def _with_appetite_and_target_date(out: pd.DataFrame) -> pd.DataFrame:
    """``above_appetite_by`` (current rating over the tolerable score; NA where either is unknown),
    ``appetite_shown``, ``target_past_due`` (the target date is before the as-at and the current rating is not yet
    at its target), ``target_date_shown`` and ``trend_shown``."""
    tolerable = pd.to_numeric(_column(out, "appetite_max_score"), errors="coerce").astype("Float64")
    out["above_appetite_by"] = (out["current_rating"] - tolerable).astype("Float64")
    out["above_appetite"] = (out["above_appetite_by"] > 0).fillna(False).astype(bool)
    out["appetite_shown"] = [
        _appetite_words(level, stated, limit)
        for level, stated, limit in zip(
            _column(out, "appetite_level"), _column(out, "appetite"), tolerable.astype(object), strict=True
        )
    ]
    target_dates = _column(out, "target_date")
    reached = (out["current_rating"] <= out["target_rating"]).fillna(False).astype(bool)
    out["target_past_due"] = [
        bool(isinstance(when, date) and isinstance(as_at, date) and when < as_at and not done)
        for when, as_at, done in zip(target_dates, out["as_at"], reached, strict=True)
    ]
    out["target_date_shown"] = [
        (f"{when:%d %b %Y}" + (" · past due" if late else "")) if isinstance(when, date) else None
        for when, late in zip(target_dates, out["target_past_due"], strict=True)
    ]
    out["trend_shown"] = _column(out, "trend").map(lambda t: TREND_SHOWN.get(t) if isinstance(t, str) else None)
    return out


def _appetite_words(level, stated, limit) -> str | None:
    """'Cautious (up to 12)': the level (else the words as written) and the tolerable score."""
    words = level if isinstance(level, str) and level else stated if isinstance(stated, str) and stated else None
    has_limit = limit is not None and not pd.isna(limit)
    if words is None:
        return f"up to {int(limit)}" if has_limit else None
    return f"{words} (up to {int(limit)})" if has_limit and str(int(limit)) not in words else words


def _label(ref, source_row) -> str:
    """The ref as written, else the register row it comes from (``Row 14``): short enough for a matrix cell and
    traceable to the sheet, where a title cut short would not be."""
    if isinstance(ref, str) and ref.strip():
        return ref.strip()
    return f"Row {source_row}"


def _bands(frame: pd.DataFrame, stage: str) -> pd.Series:
    """Per risk, the band name of the stage: of its rating where it has one, else the band the register states."""
    stated = _column(frame, f"{stage}_band")
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


@dataclass(frozen=True)
class RiskFilters:
    """An empty tuple means no filter on that field; a blank value is matched by ``NOT_STATED``."""

    objectives: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    above_appetite: bool = False

    def describe(self) -> str:
        parts = [
            f"{name} {', '.join(values)}"
            for name, values in (("objective", self.objectives), ("owner", self.owners), ("status", self.statuses))
            if values
        ]
        if self.above_appetite:
            parts.append("above appetite only")
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
    if filters.above_appetite and "above_appetite" in frame:
        keep &= frame["above_appetite"]
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
    stated = [f"{stage}_{field}" for field in ("likelihood", "consequence", "score")]
    shown = missing.assign(band=pd.Series(bands, index=missing.index, dtype=object))
    return shown[["organisation", "display", "title", "scale", *stated, "band"]]


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
    *(f"{stage}_rating" for stage in STAGES),
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


REVIEW_COLUMNS = [
    "organisation",
    "display",
    "title",
    "owner",
    "last_reviewed",
    "next_review",
    "as_at",
    "days_since_review",
    "reason",
]


def review_overdue(frame: pd.DataFrame, days: int | None = None) -> pd.DataFrame:
    """Risks last reviewed more than ``days`` (default from configuration) before their as-at date, risks whose
    stated next review date is before their as-at, and risks with no review date at all; longest unreviewed first."""
    days = config.review_overdue_days() if days is None else int(days)
    if frame.empty:
        return pd.DataFrame(columns=REVIEW_COLUMNS)
    out = frame.copy()
    out["next_review"] = _column(out, "next_review")
    days_since = [
        (as_at - reviewed).days if reviewed is not None and as_at is not None else None
        for as_at, reviewed in zip(out["as_at"], out["last_reviewed"], strict=True)
    ]
    out["days_since_review"] = pd.array(days_since, dtype="Int64")
    due_passed = pd.Series(
        [
            isinstance(due, date) and isinstance(as_at, date) and due < as_at
            for due, as_at in zip(out["next_review"], out["as_at"], strict=True)
        ],
        index=out.index,
        dtype=bool,
    )
    no_date = out["last_reviewed"].isna() & out["next_review"].isna()
    late = (out["days_since_review"] > days).fillna(False).astype(bool)
    out["reason"] = None
    out.loc[late, "reason"] = "Last reviewed " + out.loc[late, "days_since_review"].astype(str) + " days before as-at"
    out.loc[due_passed & ~late, "reason"] = [
        f"Next review was due {due:%d %b %Y}" for due in out.loc[due_passed & ~late, "next_review"]
    ]
    out.loc[no_date, "reason"] = NO_REVIEW_DATE
    overdue = out[late | due_passed | no_date].sort_values("days_since_review", ascending=False, na_position="first")
    return overdue[REVIEW_COLUMNS].reset_index(drop=True)


NO_REVIEW_DATE = "No review date recorded"


def review_counts(overdue: pd.DataFrame) -> dict[str, int]:
    """From ``review_overdue``: how many are late, and how many have no review date at all."""
    no_date = int((overdue["reason"] == NO_REVIEW_DATE).sum()) if not overdue.empty else 0
    return {"late": len(overdue) - no_date, "no_date": no_date}


def summary(frame: pd.DataFrame) -> dict[str, int]:
    """Headline counts, each with how many risks it could be judged for.

    ``above_target`` is out of ``compared`` (current and target score known), ``not_moved`` out of
    ``with_movement`` (initial and current score known), ``top_band`` out of ``with_current`` plus
    ``current_band_only`` (risks whose current position the register states only as a band).
    """
    moves = movement(frame)
    top = 0
    for (scale, org), rows in frame.groupby(["scale", "organisation"]):
        top_band = max(config.risk_bands(org, scale), key=lambda band: band["min"])["name"]
        top += int((rows["current_band"] == top_band).sum())
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


def appetite_counts(frame: pd.DataFrame) -> dict[str, int]:
    """``above_appetite`` out of ``with_appetite`` (current and tolerable score known), and ``target_past_due``."""
    return {
        "above_appetite": int(frame["above_appetite"].sum()),
        "with_appetite": int(frame["above_appetite_by"].notna().sum()),
        "target_past_due": int(frame["target_past_due"].sum()),
    }


def is_closed(frame: pd.DataFrame) -> pd.Series:
    """Per risk: its status is one of the configured closed statuses (or starts with one as a word)."""
    words = [w.strip().lower() for w in config.settings().risks.closed_statuses if w.strip()]
    if frame.empty or not words:
        return pd.Series(False, index=frame.index, dtype=bool)
    pattern = re.compile(r"^(?:" + "|".join(re.escape(w) for w in words) + r")(?![a-z])")
    status = frame["status"].astype(object)
    return status.map(lambda v: isinstance(v, str) and bool(pattern.match(v.strip().lower()))).astype(bool)


def without_closed(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The risks that are not closed, and how many closed ones were left out."""
    closed = is_closed(frame)
    return frame[~closed], int(closed.sum())


def snapshots_used(frame: pd.DataFrame) -> pd.DataFrame:
    """Which snapshot each organisation's risks come from: organisation, as_at, snapshot_id, source_file."""
    columns = ["organisation", "as_at", "snapshot_id", "source_file"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    return frame[columns].drop_duplicates().sort_values(columns).reset_index(drop=True)


def worse_since_previous(frame: pd.DataFrame, previous: dict) -> pd.DataFrame:
    """Risks in ``frame`` whose current rating is higher than at their organisation's previous as-at.

    ``previous`` maps (organisation, as_at) to that organisation's register before it
    (``store.risks.previous_registers``). A risk is matched by key on the same scale: a 3x3 score is never
    compared with a 5x5 one.
    """
    found = []
    for (org, as_at), risks in frame.groupby(["organisation", "as_at"], sort=True):
        before = previous[(org, as_at)]
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
