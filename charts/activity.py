"""Activity figures: monthly trajectory, cumulative plan vs actual, annual do-nothing to plan, side by side.

Plan and actual differ in line style and marker as well as colour; every figure names its snapshot
in the title the page passes in.
"""

from __future__ import annotations

import math
from functools import partial

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import config
import formats
from charts import LEGEND_BELOW, titled
from safe_text import plotly as plain


def count(value) -> str:
    return formats.count(value)


def signed_pct(value) -> str:
    return formats.percent(value, signed=True)


_layout = partial(titled, legend=LEGEND_BELOW, hovermode="x unified")


def _plan_line(x, y, name: str, mode: str = "lines", **extra) -> go.Scatter:
    line = {"color": config.palette().blue, "dash": "dash", "width": 2}
    return go.Scatter(
        x=x, y=y, name=name, mode=mode, line=line, hovertemplate=f"{name}: %{{y:,.0f}}<extra></extra>", **extra
    )


def _actual_line(x, y, name: str, **extra) -> go.Scatter:
    return go.Scatter(
        x=x,
        y=y,
        name=name,
        mode="lines+markers",
        line={"color": config.palette().black, "width": 2},
        marker={"symbol": "diamond", "size": 8},
        hovertemplate=f"{name}: %{{y:,.0f}}<extra></extra>",
        **extra,
    )


def _plan_and_actual(frame: pd.DataFrame, showlegend: bool = True) -> list[go.Scatter]:
    """Monthly plan (dashed) and actuals (solid, where loaded)."""
    actual = frame[frame["actual"].notna()]
    return [
        _plan_line(
            frame["month"],
            frame["plan"],
            "Plan",
            "lines+markers",
            legendgroup="plan",
            showlegend=showlegend,
            marker={"symbol": "circle-open", "size": 7},
        ),
        _actual_line(
            actual["month"],
            actual["actual"],
            "Actual",
            legendgroup="actual",
            showlegend=showlegend,
            customdata=actual[["month"]].astype(str).to_numpy(),
        ),
    ]


def trajectory(frame: pd.DataFrame, title: str) -> go.Figure:
    """Monthly plan (dashed) and actuals (solid, where loaded) for one organisation and code."""
    return _layout(go.Figure(_plan_and_actual(frame)), title, yaxis_title="Activity (count)")


def cumulative(frame: pd.DataFrame, title: str) -> go.Figure:
    """Cumulative plan through the year and cumulative actual to date, the variance written at the last actual."""
    actual = frame[frame["cumulative_actual"].notna()]
    fig = go.Figure(
        [
            _plan_line(frame["month"], frame["cumulative_plan"], "Cumulative plan"),
            _actual_line(actual["month"], actual["cumulative_actual"], "Cumulative actual"),
        ]
    )
    if not actual.empty:
        last = actual.iloc[-1]
        variance = last["cumulative_actual"] - last["cumulative_plan"]
        pct = variance / last["cumulative_plan"] * 100 if last["cumulative_plan"] else float("nan")
        fig.add_annotation(
            x=last["month"],
            y=last["cumulative_actual"],
            text=f"{count(variance)} ({signed_pct(pct)}) against plan",
            showarrow=True,
            arrowhead=2,
            ax=40,
            ay=-40,
        )
    return _layout(fig, title, yaxis_title="Cumulative activity (count)")


def annual_bridge(row: pd.Series, title: str) -> go.Figure:
    """Prior-year outturn, growth to the do-nothing, QIPP, and the plan, as a waterfall."""
    steps = []
    if pd.notna(row.get("prior_outturn")):
        steps.append(("Prior outturn", row["prior_outturn"], "absolute"))
        if pd.notna(row.get("do_nothing")):
            steps.append(("Growth", row["do_nothing"] - row["prior_outturn"], "relative"))
    elif pd.notna(row.get("do_nothing")):
        steps.append(("Do nothing", row["do_nothing"], "absolute"))
    steps += [
        ("QIPP", row.get("qipp") if pd.notna(row.get("qipp")) else 0, "relative"),
        ("Plan", row.get("plan"), "total"),
    ]
    labels, values, measures = (list(column) for column in zip(*steps, strict=True))
    text = [count(v) if m != "relative" else f"{v:+,.0f}" for v, m in zip(values, measures, strict=True)]
    colours = config.palette()  # growth red, QIPP green, plan blue, outturn grey
    fig = go.Figure(
        go.Waterfall(
            x=labels,
            y=values,
            measure=measures,
            text=text,
            textposition="outside",
            increasing={"marker": {"color": colours.red}},
            decreasing={"marker": {"color": colours.green}},
            totals={"marker": {"color": colours.blue}},
            connector={"line": {"color": colours.grey}},
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    if pd.notna(row.get("do_nothing")):
        fig.add_hline(
            y=row["do_nothing"],
            line_dash="dot",
            line_color=colours.grey,
            annotation_text=f"Do nothing {count(row['do_nothing'])}",
            annotation_position="top left",
        )
    return _layout(fig, title, yaxis_title="Annual activity (count)", showlegend=False, hovermode="closest")


def variance_bars(ytd: pd.DataFrame, title: str) -> go.Figure:
    """Year-to-date actual against plan, % of plan, per code; the figure and sign are written on every bar."""
    rows = ytd.dropna(subset=["variance_pct"])
    fig = go.Figure(
        go.Bar(
            x=rows["variance_pct"],
            y=[plain(c) for c in rows["code"]],
            orientation="h",
            marker_color=config.palette().blue,
            marker_pattern_shape=["" if v >= 0 else "/" for v in rows["variance_pct"]],
            text=[f"{signed_pct(p)} ({count(v)})" for p, v in zip(rows["variance_pct"], rows["variance"], strict=True)],
            textposition="outside",
            customdata=rows[["code"]].to_numpy(),
            hovertemplate="%{y}: %{x:+.1f}% of plan<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, xaxis_title="Actual against plan, year to date (%)", hovermode="closest")


def small_multiples(frame: pd.DataFrame, title: str, columns: int = 2) -> go.Figure:
    """One panel per organisation for the same measure: plan and actual, each panel titled by organisation."""
    orgs = list(dict.fromkeys(frame["organisation"]))
    cols = max(1, min(columns, len(orgs)))
    rows = max(1, math.ceil(len(orgs) / cols))
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=[plain(o) for o in orgs] or [""], shared_xaxes=True, vertical_spacing=0.12
    )
    for i, org in enumerate(orgs):
        part = frame[frame["organisation"] == org]
        for trace in _plan_and_actual(part, showlegend=i == 0):
            fig.add_trace(trace, row=i // cols + 1, col=i % cols + 1)
    fig.update_layout(height=max(320, 280 * rows))
    return _layout(fig, title)
