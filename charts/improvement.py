"""Improvement-plan figures: completion by RAG per report, planned vs achieved, areas, organisations compared.

RAG colours come from configuration and always travel with the RAG word and the count in the bar;
the "no RAG" segment is hatched.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import config
import formats
from charts import LEGEND_BELOW, titled
from safe_text import plotly as plain

WHITE_TEXT_ON = {"blue", "green", "red"}  # RAG fills dark enough for white text; black on the others


def rag_style() -> tuple[list[str], dict[str, str], dict[str, str]]:
    settings = config.settings().improvement_plan
    return list(settings.rag_order), dict(settings.rag_labels), dict(settings.rag_colours)


_layout = partial(titled, legend=LEGEND_BELOW)


def _rag_bar(rag: str, x, y, labels, colours, orientation="v", customdata=None) -> go.Bar:
    values = list(y if orientation == "v" else x)
    palette = config.palette()
    return go.Bar(
        x=x,
        y=y,
        name=labels[rag],
        orientation=orientation,
        marker_color=colours[rag],
        marker_line={"color": palette.black, "width": 0.5},
        marker_pattern_shape="/" if rag == "unrated" else "",
        text=[str(v) if v else "" for v in values],
        textposition="inside",
        insidetextanchor="middle",
        textfont={"color": palette.white if rag in WHITE_TEXT_ON else palette.black},
        customdata=customdata,
        hovertemplate=f"{labels[rag]}: %{{{'y' if orientation == 'v' else 'x'}}}<extra></extra>",
    )


def completion_trend(trend: pd.DataFrame, title: str) -> go.Figure:
    """Counts by RAG per report date (stacked) and % complete (line, right axis) for one organisation.

    The x label says where each report's counts come from (action rows or the tracker's summary).
    """
    order, labels, colours = rag_style()
    trend = trend.sort_values("report_date")
    x = [
        f"{formats.date(d)} ({plain(s)})" + (f"<br>{formats.percent(p)} complete" if pd.notna(p) else "")
        for d, s, p in zip(trend["report_date"], trend["source"], trend["pct_complete"], strict=True)
    ]
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    for rag in order:
        if rag in trend and trend[rag].sum() > 0:
            fig.add_trace(_rag_bar(rag, x, trend[rag], labels, colours, customdata=trend[["report_date"]].astype(str)))
    fig.add_scatter(
        x=x,
        y=trend["pct_complete"],
        name="% complete (right axis)",
        mode="lines+markers",
        line={"color": config.palette().black, "width": 2},
        marker={"symbol": "diamond", "size": 9},
        hovertemplate="%{y:.1f}% complete<extra></extra>",
        secondary_y=True,
    )
    fig.update_yaxes(title_text="Actions", secondary_y=False)
    fig.update_yaxes(
        title_text="% complete",
        range=[0, 105],
        tickvals=[0, 20, 40, 60, 80, 100],
        ticksuffix="%",
        secondary_y=True,
        showgrid=False,
    )
    return _layout(fig, title, barmode="stack")


def planned_vs_achieved(frame: pd.DataFrame, title: str) -> go.Figure:
    """Cumulative actions due (deadline as now stated, and as first set) against actions complete per report."""
    done, palette = frame[frame["complete"].notna()], config.palette()
    fig = go.Figure()
    for column, name, colour, dash, hover in (
        ("due", "Due by now-stated deadline", palette.blue, None, "Due"),
        ("due_original", "Due by original deadline", palette.light_blue, "dot", "Due originally"),
    ):
        fig.add_scatter(
            x=frame["date"],
            y=frame[column],
            name=name,
            mode="lines",
            line={"color": colour, "shape": "hv", "dash": dash, "width": 2},
            hovertemplate=f"{hover}: %{{y}}<extra></extra>",
        )
    fig.add_scatter(
        x=done["date"],
        y=done["complete"],
        name="Complete at report",
        mode="lines+markers+text",
        text=[f"{v:.0f}" for v in done["complete"]],
        textposition="top left",
        line={"color": palette.black, "width": 2},
        marker={"symbol": "diamond", "size": 10},
        hovertemplate="Complete: %{y}<extra></extra>",
    )
    return _layout(fig, title, yaxis_title="Actions (cumulative)", hovermode="x unified")


def area_bars(areas: pd.DataFrame, title: str) -> go.Figure:
    """Per improvement area: counts by RAG (stacked horizontally, counts written in), % complete in the label."""
    order, labels, colours = rag_style()
    y = [
        f"{plain(a)} · {formats.percent(p)}" if pd.notna(p) else plain(a)
        for a, p in zip(areas["area"], areas["pct_complete"], strict=True)
    ]
    fig = go.Figure(
        [
            _rag_bar(rag, areas[rag], y, labels, colours, orientation="h", customdata=areas[["area"]].to_numpy())
            for rag in order
            if rag in areas and areas[rag].sum() > 0
        ]
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, barmode="stack", xaxis_title="Actions", height=max(300, 60 * len(areas) + 120))


def organisations_compared(latest: pd.DataFrame, title: str) -> go.Figure:
    """Latest % complete per organisation, with the previous report's figure in the label."""
    text = [
        (formats.percent(p) if pd.notna(p) else "no action has a RAG")
        + (f" (was {formats.percent(q)})" if pd.notna(q) else "")
        + f" · {formats.date(d)}"
        for p, q, d in zip(latest["pct_complete"], latest["previous"], latest["report_date"], strict=True)
    ]
    organisations = latest[["organisation"]].to_numpy().tolist()
    shown_names = [plain(o) for o in latest["organisation"]]
    palette, bars = config.palette(), {"y": shown_names, "orientation": "h", "customdata": organisations}
    fig = go.Figure()
    fig.add_bar(  # a track to 100% behind each bar: an organisation at 0% still has a bar to click
        x=[100] * len(latest),
        marker_color=palette.pale_grey,
        hovertemplate="%{y}: click to open its plan<extra></extra>",
        name="100%",
        **bars,
    )
    fig.add_bar(
        x=latest["pct_complete"],
        marker_color=palette.blue,
        text=text,
        textposition="outside",
        hovertemplate="%{y}: %{x:.1f}% complete<extra></extra>",
        name="% complete",
        **bars,
    )
    fig.update_xaxes(range=[0, 130], title_text="% complete at latest report")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, showlegend=False, barmode="overlay", height=max(260, 70 * len(latest) + 120))


def organisations_over_time(trend: pd.DataFrame, title: str) -> go.Figure:
    """% complete per report date, a line (with its own marker shape) per organisation."""
    symbols = ["circle", "diamond", "square", "triangle-up", "x", "star"]
    fig = go.Figure()
    for i, (org, part) in enumerate(trend.sort_values("report_date").groupby("organisation", sort=True)):
        fig.add_scatter(
            x=part["report_date"],
            y=part["pct_complete"],
            name=plain(org),
            mode="lines+markers",
            marker={"symbol": symbols[i % len(symbols)], "size": 9},
            hovertemplate="%{fullData.name}: %{y:.1f}%<extra></extra>",
        )
    fig.update_yaxes(range=[0, 105], title_text="% complete")
    p = config.palette()
    return _layout(fig, title, colorway=[p.blue, p.amber, p.green, p.red, p.pink, p.light_blue, p.black])
