"""The SPC (XmR) figure: values, mean, process limits per period, target, trajectory, and special causes.

Special causes are coloured as Making Data Count colours them (improvement blue, concern orange,
neither purple, common cause grey) and also differ in marker shape and legend name, so colour is
never the only cue. The variation and assurance icons sit in the top right corner; a month with no value
is marked where the line skips it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

import config
import formats
from analysis.spc_rules import COMMON, RULE_LABELS, SpcResult, special_cause_kind
from charts import MARGIN, titled
from charts.spc_icons import assurance_icon, colours, data_uri, variation_icon
from safe_text import plotly as plain

KINDS = ("improvement", "concern", "neutral", COMMON)
KIND_NAMES = {
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neutral": "Special cause: neither",
    COMMON: "Common cause",
}
KIND_WORDS = {
    "improvement": "blue: unusual, and better (special cause improvement)",
    "concern": "orange: unusual, and worse (special cause concern)",
    "neutral": "purple: unusual, where neither higher nor lower is better (special cause, neither)",
    COMMON: "grey: the usual ups and downs of this process (common cause)",
}
UNUSUAL = (
    "Unusual means a point beyond a process limit, six rises or falls in a row, seven points on one side of the "
    "mean, or two of three points close to a limit."
)
KIND_SYMBOLS = {"improvement": "diamond", "concern": "x", "neutral": "square", COMMON: "circle"}


def legend_words(improvement: str) -> str:
    """The point colours in plain words, for the caption under the chart."""
    kinds = ["neutral", COMMON] if improvement == "neutral" else ["improvement", "concern", COMMON]
    return "Points: " + "; ".join(KIND_WORDS[k] for k in kinds) + ". " + UNUSUAL


def _segments(frame: pd.DataFrame, column: str) -> tuple[list, list]:
    """A value per period as a line broken between periods (None between segments)."""
    xs, ys = [], []
    for _, part in frame.groupby("period", sort=True):
        xs += [*part["x"], None]
        ys += [*part[column], None]
    return xs[:-1], ys[:-1]


def spc_figure(
    result: SpcResult, title: str, y_title: str = "", target_name: str = "Target", trajectory_name: str = "Trajectory"
) -> go.Figure:
    """The XmR chart of an ``SpcResult``; ``customdata`` on every point is its x value."""
    frame = result.frame
    palette = colours()
    fig = go.Figure()
    fig.add_scatter(
        x=frame["x"],
        y=frame["y"],
        mode="lines",
        name="Values",
        line={"color": palette[COMMON], "width": 1.5},
        hoverinfo="skip",
    )
    for column, name, colour, dash, width in (
        ("upl", "Upper process limit", "limit", "dash", 1),
        ("lpl", "Lower process limit", "limit", "dash", 1),
        ("mean", "Mean", "mean", None, 1.5),
    ):
        xs, ys = _segments(frame, column)
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            name=name,
            line={"color": palette[colour], "dash": dash, "width": width},
            hovertemplate=f"{name}: %{{y:,.1f}}<extra></extra>",
        )
    for column, name, dash, width, shown in (
        ("trajectory", trajectory_name, "dot", 1.5, frame["trajectory"].notna().any()),
        ("target", target_name, "dashdot", 2, result.target is not None),
    ):
        if shown:
            fig.add_scatter(
                x=frame["x"],
                y=frame[column],
                mode="lines",
                name=name,
                line={"color": palette[column], "dash": dash, "width": width},
                hovertemplate=f"{plain(name)}: %{{y:,.0f}}<extra></extra>",
            )
    kinds = frame["variation"].map(special_cause_kind)
    for kind in KINDS:
        points = frame[kinds == kind]
        if points.empty:
            continue
        rules = [
            RULE_LABELS.get(r, "no special cause") if isinstance(r, str) else "no special cause" for r in points["rule"]
        ]
        fig.add_scatter(
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
    titled(
        fig,
        title,
        yaxis_title=plain(y_title),
        hovermode="closest",
        height=480,
        margin={**MARGIN, "t": 100},
        legend={"orientation": "h", "y": -0.16, "yanchor": "top"},
        xaxis={"automargin": True},
        images=icons(result),
    )
    for month in result.skipped:
        _mark_skipped(fig, month)
    return fig


def icons(result: SpcResult) -> list[dict]:
    """The variation icon and, where there is one, the assurance icon, in the top right corner above the plot."""
    shown = [variation_icon(result.variation)]
    if result.assurance:
        shown.append(assurance_icon(result.assurance))
    return [
        {
            "source": data_uri(svg),
            "xref": "paper",
            "yref": "paper",
            "x": 1 - 0.055 * (len(shown) - 1 - i),
            "y": 1.01,
            "sizex": 0.05,
            "sizey": 0.2,
            "xanchor": "right",
            "yanchor": "bottom",
            "layer": "above",
        }
        for i, svg in enumerate(shown)
    ]


def _mark_skipped(fig: go.Figure, x) -> None:
    """A month with no value: a dotted line where the chart's line jumps over it, labelled."""
    label = formats.month(x) if hasattr(x, "month") else str(x)
    fig.add_vline(x=x, line={"color": colours()[COMMON], "dash": "dot", "width": 1})
    fig.add_annotation(
        x=x,
        y=1,
        yref="paper",
        text=f"No value for {plain(label)}",
        showarrow=False,
        textangle=-90,
        xanchor="right",
        yanchor="top",
        font={"size": 11, "color": colours()["limit"]},
    )
