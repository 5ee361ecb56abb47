"""The SPC (XmR) figure: values, mean, process limits per period, target, and special causes.

Special causes are coloured as Making Data Count colours them (improvement blue, concern orange,
neither purple, common cause grey) and also differ in marker shape and legend name, so colour is
never the only cue. The variation and assurance icons are written out as labelled badges.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import config
from analysis.spc_rules import ASSURANCE_LABELS, COMMON, RULE_LABELS, VARIATION_LABELS, SpcResult, special_cause_kind
from safe_text import plotly as plain

KINDS = ("improvement", "concern", "neutral", COMMON)
KIND_NAMES = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither",
    COMMON: "Common cause",
}
KIND_SYMBOLS = {"improvement": "diamond", "concern": "x", "neutral": "square", COMMON: "circle"}


def colours() -> dict[str, str]:
    settings = config.settings().spc
    return {
        "improvement": settings.improvement_colour,
        "concern": settings.concern_colour,
        "neutral": settings.neutral_colour,
        COMMON: settings.common_cause_colour,
        "mean": settings.mean_colour,
        "limit": settings.limit_colour,
        "target": settings.target_colour,
    }


def _segments(frame: pd.DataFrame, column: str) -> tuple[list, list]:
    """A value per period as a line broken between periods (None between segments)."""
    xs, ys = [], []
    for _, part in frame.groupby("period", sort=True):
        xs += [*part["x"], None]
        ys += [*part[column], None]
    return xs[:-1], ys[:-1]


def spc_figure(result: SpcResult, title: str, y_title: str = "", target_name: str = "Target") -> go.Figure:
    """The XmR chart of an ``SpcResult``; ``customdata`` on every point is its x value."""
    frame = result.frame
    palette = colours()
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=frame["x"],
            y=frame["y"],
            mode="lines",
            name="Values",
            line={"color": palette[COMMON], "width": 1.5},
            hoverinfo="skip",
        )
    )
    for column, name, dash in (("upl", "Upper process limit", "dash"), ("lpl", "Lower process limit", "dash")):
        xs, ys = _segments(frame, column)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=name,
                line={"color": palette["limit"], "dash": dash, "width": 1},
                hovertemplate=f"{name}: %{{y:,.1f}}<extra></extra>",
            )
        )
    xs, ys = _segments(frame, "mean")
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            name="Mean",
            line={"color": palette["mean"], "width": 1.5},
            hovertemplate="Mean: %{y:,.1f}<extra></extra>",
        )
    )
    if frame["target"].notna().any():
        constant = frame["target"].nunique(dropna=True) == 1
        fig.add_trace(
            go.Scatter(
                x=frame["x"],
                y=frame["target"],
                mode="lines",
                name=target_name,
                line={
                    "color": palette["target"],
                    "dash": "dashdot",
                    "width": 2,
                    "shape": "hv" if constant else "linear",
                },
                hovertemplate=f"{target_name}: %{{y:,.0f}}<extra></extra>",
            )
        )
    kinds = frame["variation"].map(special_cause_kind)
    for kind in KINDS:
        points = frame[kinds == kind]
        if points.empty:
            continue
        rules = [
            RULE_LABELS.get(r, "no special cause") if isinstance(r, str) else "no special cause" for r in points["rule"]
        ]
        fig.add_trace(
            go.Scatter(
                x=points["x"],
                y=points["y"],
                mode="markers",
                name=KIND_NAMES[kind],
                marker={
                    "color": palette[kind],
                    "symbol": KIND_SYMBOLS[kind],
                    "size": 10 if kind != COMMON else 7,
                    "line": {"color": config.palette().white, "width": 1},
                },
                customdata=np.column_stack([points["x"].astype(str), rules]),
                hovertemplate="%{customdata[0]}: %{y:,.0f}<br>%{customdata[1]}<extra>" + KIND_NAMES[kind] + "</extra>",
            )
        )
    fig.update_layout(
        title=plain(title),
        yaxis_title=plain(y_title),
        hovermode="closest",
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        annotations=badges(result),
    )
    return fig


def badges(result: SpcResult) -> list[dict]:
    """The variation and assurance icons as labelled boxes above the plot."""
    palette = colours()
    variation = result.variation
    kind = special_cause_kind(variation)
    items = [(VARIATION_LABELS[variation], palette[kind])]
    if result.assurance:
        assurance_colour = {"pass": palette["improvement"], "fail": palette["concern"]}.get(
            result.assurance, palette[COMMON]
        )
        items.append((ASSURANCE_LABELS[result.assurance], assurance_colour))
    items += [(warning, palette[COMMON]) for warning in result.warnings]
    return [
        {
            "text": text,
            "xref": "paper",
            "yref": "paper",
            "x": 1,
            "y": 1.02 + 0.08 * row,
            "xanchor": "right",
            "yanchor": "bottom",
            "showarrow": False,
            "bordercolor": colour,
            "borderwidth": 2,
            "borderpad": 3,
            "font": {"size": 12},
        }
        for row, (text, colour) in enumerate(items)
    ]
