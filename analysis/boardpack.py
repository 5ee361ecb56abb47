"""What goes into a board pack: one organisation's latest position in every dataset, as frames and figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

import formats
from analysis import completion, qipp_schemes, wording
from analysis import finance as finance_analysis
from analysis import risks as risk_analysis
from analysis.overview import Tile, headline_columns


@dataclass
class PackContents:
    """The data of a board pack; each section is None when that dataset is not loaded for the organisation."""

    org: str
    synthetic: bool
    generated: date
    tiles: dict[str, Tile]
    headline: pd.DataFrame = field(default_factory=pd.DataFrame)
    risks: dict | None = None
    qipp: dict | None = None
    finance: dict | None = None
    activity: dict | None = None
    improvement: dict | None = None
    as_at: dict[str, object] = field(default_factory=dict)

    def latest_as_at(self):
        """The newest as-at date among the pack's datasets (for the file name), or None when nothing is loaded."""
        dates = [pd.Timestamp(d) for d in self.as_at.values() if d is not None and pd.notna(d)]
        return max(dates).date() if dates else None


def pack(org: str, known: pd.DataFrame, generated: date, tiles: dict[str, Tile]) -> PackContents:
    """A pack with what the Overview's tiles hold: headline figures, risks, activity and each dataset's as-at date.
    ``known`` is ``store.snapshots.organisations``, which must list ``org``. ``qipp_section``, ``finance_section``
    and ``improvement_section`` make the rest from their frames."""
    match = known[known["name"] == org]
    if match.empty:
        raise ValueError(f"{org} has no current snapshot in the store")
    risks, activity = tiles["risks"], tiles["activity"]
    return PackContents(
        org,
        bool(match["synthetic"].iloc[0]),
        generated,
        tiles,
        headline=headline_figures(tiles),
        risks=_risks(risks.figures) if risks.loaded else None,
        activity={"ytd": activity.figures["table"], "with_actuals": activity.figures["with_actuals"]}
        if activity.loaded
        else None,
        as_at={name: tile.as_at for name, tile in tiles.items() if tile.loaded},
    )


def _risks(figures: dict) -> dict:
    register = figures["register"]
    return {
        "register": register,
        "headline": wording.risk_headline(figures),
        "note": wording.counts_note(figures, figures["closed"]),
        "cells": risk_analysis.matrix_cells(register, "current"),
        "moves": risk_analysis.movement(register),
        "above": risk_analysis.above_target(register),
    }


def qipp_section(as_at, schemes: pd.DataFrame, all_targets: pd.DataFrame) -> dict:
    """From the schemes at the latest as-at date and the targets at every date."""
    targets = qipp_schemes.targets_at(all_targets, as_at)
    figures = qipp_schemes.position(schemes, qipp_schemes.target_total(targets))
    return {
        "as_at": as_at,
        "figures": figures,
        "stages": qipp_schemes.stage_summary(schemes),
        "rag": qipp_schemes.rag_summary(schemes),
        "bridge": qipp_schemes.bridge(figures),
        "matrix": qipp_schemes.area_stage_matrix(schemes, targets),
    }


def finance_section(tile: Tile, position: pd.DataFrame, lines: pd.DataFrame) -> dict:
    """From the tile's month position and the lines of every month."""
    return {
        "label": tile.figures["label"],
        "position": position,
        "head": tile.figures,
        "trend": finance_analysis.trend(lines),
    }


def improvement_section(trend: pd.DataFrame, rows: pd.DataFrame) -> dict:
    """From the completion trend and the latest report's action rows."""
    return {"trend": trend, "overdue": completion.overdue(rows)}


def headline_figures(tiles: dict[str, Tile]) -> pd.DataFrame:
    """The Overview's headline figures as rows: figure, value (only those loaded)."""
    row = pd.Series(headline_columns(tiles), dtype=object)
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
