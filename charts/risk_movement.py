"""How risks move: initial -> current -> target per risk (a dumbbell chart), and scores across snapshots.

Stages differ by marker shape as well as colour (from the configured palette), and the legend names them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

import config
from charts import MARGIN, titled
from safe_text import plotly as plain

STAGES = {
    "initial": {"name": "Initial", "symbol": "circle-open"},
    "current": {"name": "Current", "symbol": "diamond"},
    "target": {"name": "Target", "symbol": "x-thin-open"},
}
ROW_HEIGHT = 26


def movement_figure(moves: pd.DataFrame, title: str = "Movement: initial → current → target") -> go.Figure:
    """One row per risk (``display``), its initial, current and target rating on one score axis.

    ``moves`` as from ``analysis.risks.movement``. A grey line joins the lowest and highest of the three.
    """
    labels = [plain(label) for label in moves["display"]]
    palette = config.palette()
    colours = {"initial": palette.grey, "current": palette.red, "target": palette.blue}
    fig = go.Figure()
    xs, ys = [], []
    for label, *ratings in zip(
        labels, moves["initial_rating"], moves["current_rating"], moves["target_rating"], strict=True
    ):
        known = [float(r) for r in ratings if r is not None and not pd.isna(r)]
        if len(known) > 1:
            xs += [min(known), max(known), None]
            ys += [label, label, None]
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": palette.light_grey, "width": 3},
        hoverinfo="skip",
        showlegend=False,
        name="range",
    )
    for stage, look in STAGES.items():
        values = [None if v is None or pd.isna(v) else float(v) for v in moves[f"{stage}_rating"]]
        fig.add_scatter(
            x=values,
            y=labels,
            mode="markers",
            name=look["name"],
            marker={
                "symbol": look["symbol"],
                "size": 12,
                "color": colours[stage],
                "line": {"width": 2, "color": colours[stage]},
            },
            hovertemplate=f"%{{y}}: {look['name'].lower()} %{{x:.0f}}<extra></extra>",
        )
    return titled(
        fig,
        title,
        height=max(260, ROW_HEIGHT * len(labels) + 140),
        margin={**MARGIN, "t": 90},
        legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
        xaxis={"title": "Score (likelihood x consequence)", "rangemode": "tozero", "dtick": 5},
        yaxis={"autorange": "reversed", "type": "category", "categoryorder": "array", "categoryarray": labels},
    )


HIGHLIGHT_FROM = 8  # with more risks than this, only the highlighted ones are coloured and named
MOST_HIGHLIGHTED = 8


def moved_most(history: pd.DataFrame, limit: int = MOST_HIGHLIGHTED) -> list[str]:
    """The risks (by label) whose current score moved across snapshots, the largest movement first."""
    if history.empty:
        return []
    ratings = history.dropna(subset=["current_rating"]).groupby("display", sort=False)["current_rating"]
    spread = (ratings.max() - ratings.min()).sort_values(ascending=False, kind="stable")
    return list(spread[spread > 0].index[:limit])


def score_history_figure(
    history: pd.DataFrame, title: str = "Current score across snapshots", highlight: list[str] | None = None
) -> go.Figure:
    """Each risk's current rating at each as-at date: one line per risk, named by its label.

    With many risks, only those in ``highlight`` (by default the ones that moved most) are coloured, thick and
    named at their last point; the rest are thin grey lines behind them, still named on hover."""
    labels = list(dict.fromkeys(history["display"])) if not history.empty else []
    if highlight is None:
        highlight = labels if len(labels) <= HIGHLIGHT_FROM else moved_most(history)
    chosen = [label for label in labels if label in set(highlight)]
    others = [label for label in labels if label not in set(chosen)]
    grey = config.palette().light_grey
    ends = _end_labels(history, chosen)
    by_label = dict(iter(history.sort_values("as_at", kind="stable").groupby("display", sort=False))) if labels else {}
    traces = []
    for label in others + chosen:
        rows = by_label.get(label, history.iloc[0:0])
        lit = label in chosen
        traces.append(
            {
                "type": "scatter",
                "x": list(rows["as_at"]),
                "y": [None if pd.isna(v) else float(v) for v in rows["current_rating"]],
                "mode": "lines+markers+text" if lit and others else "lines+markers",
                "text": [""] * (len(rows) - 1) + [ends.get(label, "")] if lit and others else None,
                "textposition": "middle right",
                "name": plain(label),
                "line": {"width": 3} if lit else {"width": 1, "color": grey},
                "marker": {"size": 8} if lit else {"size": 4, "color": grey},
                "showlegend": lit,
                "hovertemplate": "%{fullData.name}<br>%{x|%-d %b %Y}: %{y:.0f}<extra></extra>",
            }
        )
    if others and chosen:
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "lines",
                "line": {"width": 1, "color": grey},
                "name": f"{len(others)} other risks (grey)",
                "hoverinfo": "skip",
            }
        )
    layout = {
        "title": {"text": plain(title)},
        "height": 420 if len(labels) <= HIGHLIGHT_FROM else 520,
        "margin": MARGIN,
        "xaxis": _date_axis(history),
        "yaxis": {"title": {"text": "Current score"}, "rangemode": "tozero"},
        "hovermode": "closest",
        "legend": {"title": {"text": "Risk"}},
    }
    return go.Figure(data=[{k: v for k, v in trace.items() if v is not None} for trace in traces], layout=layout)


def _end_labels(history: pd.DataFrame, chosen: list[str]) -> dict[str, str]:
    """The name written at each chosen line's last point; lines that end on the same score share one label
    (``2.2, 4.1``) rather than writing over each other."""
    last = history[history["display"].isin(chosen)].sort_values("as_at").groupby("display", sort=False).tail(1)
    ends: dict[str, str] = {}
    for _, group in last.groupby(["as_at", "current_rating"], sort=False, dropna=False):
        names = [label for label in chosen if label in set(group["display"])]
        ends[names[0]] = plain(", ".join(names))
    return ends


def _date_axis(history: pd.DataFrame) -> dict:
    """Dates as days; a single as-at gets a month either side rather than a scale of milliseconds."""
    axis = {"title": "As at", "type": "date", "tickformat": "%-d %b %Y"}
    dates = pd.to_datetime(pd.Series(history["as_at"]).dropna().unique()) if not history.empty else []
    if len(dates) == 1:
        axis["range"] = [dates[0] - pd.Timedelta(days=31), dates[0] + pd.Timedelta(days=31)]
    return axis
