"""What goes into a board pack: one organisation's latest position in every dataset, as frames and figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

import formats
from analysis import completion, qipp_schemes, wording
from analysis import finance as finance_analysis
from analysis import risks as risk_analysis
from store import actions, compare, finance, overview, qipp
from store.snapshots import organisations


@dataclass
class PackContents:
    """The data of a board pack; each section is None when that dataset is not loaded for the organisation."""

    org: str
    synthetic: bool
    generated: date
    tiles: dict[str, overview.Tile]
    headline: pd.DataFrame = field(default_factory=pd.DataFrame)
    risks: dict | None = None
    qipp: dict | None = None
    finance: dict | None = None
    activity: dict | None = None
    improvement: dict | None = None
    as_at: dict[str, object] = field(default_factory=dict)


def _risks(con, tile: overview.Tile) -> dict | None:
    if not tile.loaded:
        return None
    register = tile.figures["register"]
    return {
        "register": register,
        "headline": wording.risk_headline(tile.figures),
        "note": wording.counts_note(tile.figures, tile.figures["closed"]),
        "cells": risk_analysis.matrix_cells(register, "current"),
        "moves": risk_analysis.movement(register),
        "above": risk_analysis.above_target(register),
    }


def _qipp(con, org: str, tile: overview.Tile) -> dict | None:
    if not tile.loaded:
        return None
    as_at = qipp.scheme_dates(con, org)[-1]
    schemes = qipp.schemes(con, org, as_at)
    targets = qipp_schemes.targets_at(qipp.targets(con, org), as_at)
    figures = qipp_schemes.position(schemes, qipp_schemes.target_total(targets))
    return {
        "as_at": as_at,
        "figures": figures,
        "stages": qipp_schemes.stage_summary(schemes),
        "rag": qipp_schemes.rag_summary(schemes),
        "bridge": qipp_schemes.bridge(figures),
        "matrix": qipp_schemes.area_stage_matrix(schemes, targets),
    }


def _finance(con, org: str, tile: overview.Tile) -> dict | None:
    if not tile.loaded:
        return None
    position = finance.position(con, org, tile.as_at)
    return {
        "label": tile.figures["label"],
        "position": position,
        "head": tile.figures,
        "trend": finance_analysis.trend(finance.lines(con, org)),
    }


def _activity(con, org: str, tile: overview.Tile) -> dict | None:
    if not tile.loaded:
        return None
    return {"ytd": tile.figures["table"], "with_actuals": tile.figures["with_actuals"]}


def _improvement(con, org: str, tile: overview.Tile) -> dict | None:
    if not tile.loaded:
        return None
    trend = actions.completion_trend(con, org).sort_values("report_date")
    rows = actions.actions(con, org)
    return {"trend": trend, "overdue": completion.overdue(rows), "headline": tile.figures["headline"]}


def contents(con, org: str, today: date | None = None) -> PackContents:
    """Everything the board pack shows for ``org``: each dataset at its latest current snapshot."""
    known = organisations(con)
    match = known[known["name"] == org]
    if match.empty:
        raise ValueError(f"{org} has no current snapshot in the store")
    tiles = overview.overview(con, org)
    pack = PackContents(org, bool(match["synthetic"].iloc[0]), today or date.today(), tiles)
    pack.risks = _risks(con, tiles["risks"])
    pack.qipp = _qipp(con, org, tiles["qipp"])
    pack.finance = _finance(con, org, tiles["finance"])
    pack.activity = _activity(con, org, tiles["activity"])
    pack.improvement = _improvement(con, org, tiles["improvement"])
    pack.as_at = {name: tile.as_at for name, tile in tiles.items() if tile.loaded}
    pack.headline = headline_figures(con, org)
    return pack


def latest_as_at(pack: PackContents):
    """The newest as-at date among the pack's datasets (for the file name), or None when nothing is loaded."""
    dates = [pd.Timestamp(d) for d in pack.as_at.values() if d is not None and pd.notna(d)]
    return max(dates).date() if dates else None


def headline_figures(con, org: str) -> pd.DataFrame:
    """The Overview's headline figures for one organisation as rows: figure, value (only those loaded)."""
    row = compare.overview_compared(con, [org]).iloc[0].drop(["Organisation", "Data"])
    stated = row[row.notna()]
    return pd.DataFrame({"Figure": stated.index, "Value": [_shown(f, v) for f, v in stated.items()]})


def _shown(figure: str, value) -> str:
    if isinstance(value, pd.Timestamp | date):
        return formats.date(value)
    if isinstance(value, float):
        if "£" in figure:
            return formats.money(value)
        if figure.endswith("%"):
            return formats.percent(value)
        return formats.count(value) if value.is_integer() else f"{value:,.1f}"
    return str(value)
