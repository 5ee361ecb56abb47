"""Organisations side by side: the columns each Overview tile gives a comparison row, and which columns hold dates."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from analysis import risks as risk_analysis

if TYPE_CHECKING:
    from analysis.overview import Tile


def position_word(variance) -> str:
    """``favourable``, ``adverse`` or ``on plan`` for a favourable-positive variance, so no figure relies on colour."""
    if variance is None or pd.isna(variance) or round(float(variance)) == 0:
        return "on plan"
    return "favourable" if variance > 0 else "adverse"


def value_or_none(tile: Tile, name: str):
    return tile.figures.get(name) if tile.loaded else None


def risk_columns(tile: Tile) -> dict:
    return {
        "Risks as at": tile.as_at,
        "Risks": value_or_none(tile, "risks"),
        "Above target": value_or_none(tile, "above_target"),
        "Risks with no current or target score": _unjudged(tile.figures) if tile.loaded else None,
        "In the top band": value_or_none(tile, "top_band"),
        "Closed risks left out": value_or_none(tile, "closed"),
    }


def _unjudged(counts: dict) -> int:
    """Risks the above-target count could not judge (no current score or no target)."""
    return counts["risks"] - counts["compared"]


def qipp_columns(tile: Tile) -> dict:
    return {
        "QIPP as at": tile.as_at,
        "QIPP target £'000": value_or_none(tile, "target"),
        "QIPP risk-adjusted £'000": value_or_none(tile, "risk_adjusted"),
        "QIPP gap, risk-adjusted £'000": value_or_none(tile, "gap_risk_adjusted"),
        "QIPP gap excl. pipeline £'000": value_or_none(tile, "gap_excl"),
    }


def finance_columns(tile: Tile) -> dict:
    ytd, forecast = value_or_none(tile, "ytd_variance"), value_or_none(tile, "forecast_variance")
    return {
        "Finance as at": tile.as_at,
        "Finance month": value_or_none(tile, "label"),
        "YTD variance £'000": ytd,
        "YTD position": position_word(ytd) if tile.loaded else None,
        "Forecast variance £'000": forecast,
        "Forecast position": position_word(forecast) if tile.loaded else None,
    }


def activity_columns(tile: Tile) -> dict:
    measured = value_or_none(tile, "with_actuals")
    return {
        "Activity plan as at": tile.as_at,
        "Activity above plan YTD": f"{tile.figures['above_plan']} of {measured}" if measured else None,
        "Activity below plan YTD": f"{tile.figures['below_plan']} of {measured}" if measured else None,
    }


def improvement_columns(tile: Tile) -> dict:
    return {
        "Improvement plan as at": tile.as_at,
        "Actions complete %": value_or_none(tile, "pct_complete"),
        "Actions complete": value_or_none(tile, "label"),
    }


def as_at_columns(compared: pd.DataFrame) -> list[str]:
    """The columns of a comparison that hold each organisation's as-at date."""
    return [c for c in compared.columns if c == "As at" or c.endswith(" as at")]


def risks_by_organisation(frame: pd.DataFrame, marks: dict[str, str]) -> pd.DataFrame:
    """Per organisation in a (filtered) register: risks, above target, not moved, in the top band, as at."""
    orgs = list(dict.fromkeys(frame["organisation"]))
    rows = []
    for org in orgs:
        own = frame[frame["organisation"] == org]
        counts = risk_analysis.summary(own)
        rows.append(
            {
                "Organisation": org,
                "Data": marks[org],
                "As at": pd.Timestamp(own["as_at"].max()).date(),
                "Risks": counts["risks"],
                "Above target": counts["above_target"],
                "Risks with no current or target score": _unjudged(counts),
                "Not moved since initial": counts["not_moved"],
                "In the top band": counts["top_band"],
            }
        )
    return pd.DataFrame(rows)
