"""QIPP figures: pipeline by stage, area x stage tiles, RAG net vs risk-adjusted, bridge, trend.

Every bar and tile carries ``customdata`` naming what it stands for, so a click can become a filter
(``selection_filters``). RAG colours always come with the RAG word.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import plotly.graph_objects as go

import config
import formats
from analysis.activity import financial_year
from analysis.comparisons import gap_word
from charts import LEGEND_BELOW, mark_year_starts, titled
from charts.selection import point_values
from safe_text import plotly as plain

TILE_SCALE = [[0.0, "#eef4fa"], [1.0, "#6baed6"]]  # light blues: black text stays readable on every tile
RISK_ADJUSTED_PATTERN = "/"


def money(value) -> str:
    """GBP thousands to the nearest thousand, negatives in brackets; a dash for nothing."""
    return formats.money(value)


def rag_colour(rag: str | None) -> str:
    colours = config.settings().qipp.rag_colours
    return colours.get(rag or "unrated", colours["unrated"])


_base_layout = partial(titled, clickmode="event+select", yaxis_tickformat=formats.MONEY_TICKS)


def stage_bars(summary: pd.DataFrame, title: str = "Pipeline by stage") -> go.Figure:
    """Value per stage (bars) with scheme counts in the labels; ``customdata`` is [stage]."""
    labels = [plain(f"{s} {n}") for s, n in zip(summary["stage"], summary["stage_name"], strict=True)]
    palette = config.palette()
    colours = [palette.light_blue if s == 0 else palette.blue for s in summary["stage"]]
    text = [
        f"{money(v)}<br>{c} scheme{'s' if c != 1 else ''}"
        for v, c in zip(summary["value"], summary["count"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=summary["value"],
            text=text,
            textposition="outside",
            marker_color=colours,
            customdata=[[int(s)] for s in summary["stage"]],
            name="Net value £'000",
            hovertemplate="%{x}: £%{y:(,.0f}k<extra></extra>",
        )
    )
    return _base_layout(fig, title, yaxis_title="Net value £'000", showlegend=False)


def matrix_tiles(matrix: pd.DataFrame, stage_names: list[str], title: str = "Schemes by area and stage") -> go.Figure:
    """A tile per area x stage holding schemes: count and value as text, shade by value.

    A scatter of square markers rather than a heatmap so a click selects a tile; ``customdata`` is [area, stage].
    """
    body = matrix[matrix["area"] != "Totals"]
    xs, ys, values, text, custom = [], [], [], [], []
    for row in body.itertuples(index=False):
        record = row._asdict()
        for stage, name in enumerate(stage_names):
            count = record[f"n_{stage}"]
            if not count:
                continue
            xs.append(plain(f"{stage} {name}"))
            ys.append(plain(record["area"]))
            values.append(record[f"value_{stage}"])
            text.append(f"{count} · {money(record[f'value_{stage}'])}")
            custom.append([record["area"], stage])
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=text,
            textfont={"color": config.palette().black},
            marker={
                "symbol": "square",
                "size": 46,
                "color": values,
                "colorscale": TILE_SCALE,
                "colorbar": {"title": "£'000"},
                "line": {"width": 1, "color": "#444444"},
            },
            customdata=custom,
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    stages = [plain(f"{s} {n}") for s, n in enumerate(stage_names)]
    fig.update_xaxes(categoryorder="array", categoryarray=stages, side="top", type="category")
    fig.update_yaxes(
        categoryorder="array", categoryarray=[plain(a) for a in reversed(list(body["area"]))], type="category"
    )
    return _base_layout(fig, title, height=max(260, 60 * len(body) + 100), showlegend=False)


def rag_bars(summary: pd.DataFrame, title: str = "Net and risk-adjusted value by RAG") -> go.Figure:
    """Net (solid) and risk-adjusted (hatched) value per status and RAG; ``customdata`` is [status, rag]."""
    body = summary[summary["status"] != "Total"]
    labels = [plain(f"{s}: {str(r).capitalize()}") for s, r in zip(body["status"], body["rag"], strict=True)]
    colours = [rag_colour(r) for r in body["rag"]]
    custom = body[["status", "rag"]].to_numpy().tolist()
    hatched = {"shape": RISK_ADJUSTED_PATTERN, "fgcolor": config.palette().white}
    fig = go.Figure()
    for column, name, marker, words in (
        ("value", "Net value", {"color": colours}, "net"),
        ("risk_adjusted", "Risk-adjusted (hatched)", {"color": colours, "pattern": hatched}, "risk-adjusted"),
    ):
        fig.add_bar(
            name=name,
            x=labels,
            y=body[column],
            marker=marker,
            customdata=custom,
            text=[money(v) for v in body[column]],
            textposition="outside",
            hovertemplate=f"%{{x}} {words} £%{{y:(,.0f}}k<extra></extra>",
        )
    return _base_layout(fig, title, barmode="group", yaxis_title="£'000", legend={"orientation": "h", "y": -0.2})


def _delta(value) -> str:
    """A step of the bridge: ``+1,234`` up, ``(1,234)`` down."""
    return f"+{money(value)}" if value is not None and not pd.isna(value) and round(value) > 0 else money(value)


def bridge_waterfall(steps: pd.DataFrame, title: str = "Target to risk-adjusted gap") -> go.Figure:
    """The bridge as a waterfall: totals labelled with their figure, each step with its delta (+ up, brackets down).
    The gap to target is its own bar from the risk-adjusted value back to the target, adverse when short and
    favourable when over, labelled in words."""
    finance = config.settings().finance
    palette = config.palette()
    is_gap = steps["step"] == "Gap to target"
    body, gap = steps[~is_gap], steps[is_gap]
    labelled = {"textposition": "outside", "constraintext": "none", "cliponaxis": False}  # labels never cut off
    fig = go.Figure()
    fig.add_waterfall(
        x=[plain(s) for s in body["step"]],
        y=body["value"],
        measure=body["measure"],
        text=[money(v) if m != "relative" else _delta(v) for v, m in zip(body["value"], body["measure"], strict=True)],
        increasing={"marker": {"color": palette.green}},
        decreasing={"marker": {"color": palette.red}},
        totals={"marker": {"color": palette.blue}},
        connector={"line": {"color": "#888888"}},
        name="Bridge",
        **labelled,
    )
    if len(gap):
        value = gap["value"].iloc[0]
        fig.add_waterfall(
            x=[plain(gap["step"].iloc[0])],
            y=[value],
            measure=["relative"],
            base=float(body["value"][body["measure"] == "total"].iloc[-1]),
            text=[f"{money(abs(value))} {'short of' if value > 0 else 'above'} target"],
            increasing={"marker": {"color": finance.adverse_colour}},
            decreasing={"marker": {"color": finance.favourable_colour}},
            name="Gap to target",
            **labelled,
        )
    fig.update_xaxes(categoryorder="array", categoryarray=[plain(s) for s in steps["step"]])
    top = steps["value"][steps["measure"] != "relative"].astype(float).max()  # totals bound every step here
    if pd.notna(top) and top > 0:
        fig.update_yaxes(range=[0, top * 1.15])  # room above the tallest bar for its label
    return _base_layout(fig, title, yaxis_title="£'000", showlegend=False, waterfallmode="overlay")


def trend_lines(trend: pd.DataFrame, title: str = "Identified, risk-adjusted and target across snapshots") -> go.Figure:
    """Each figure across snapshots, the lines broken where the financial year changes (targets are set per year)."""
    palette = config.palette()
    lines = {
        "identified_excl": ("Identified excl. pipeline", palette.blue),
        "identified_incl": ("Identified incl. pipeline", palette.light_blue),
        "risk_adjusted": ("Risk-adjusted", palette.red),
        "target": ("Target", palette.black),
    }
    years = [financial_year(d) for d in trend["as_at"]]
    parts = [part for _, part in trend.groupby(pd.Series(years, index=trend.index), sort=False)]
    fig = go.Figure()
    for column, (name, colour) in lines.items():
        if trend[column].notna().any():
            for n, part in enumerate(parts):
                fig.add_scatter(
                    x=[formats.date(d) for d in part["as_at"]],
                    y=part[column],
                    name=name,
                    legendgroup=name,
                    showlegend=n == 0,
                    mode="lines+markers",
                    line={"color": colour, "dash": "dash" if column == "target" else "solid"},
                )
    mark_year_starts(fig, parts, years, xanchor="left")
    fig.update_xaxes(categoryorder="array", categoryarray=[formats.date(d) for d in trend["as_at"]])
    return _base_layout(fig, title, xaxis_title="As at", yaxis_title="£'000", xaxis_type="category")


def selection_filters(event) -> dict[str, list]:
    """What a click on one of these charts asks to filter to: {"areas": [...], "stages": [...], "rags": [...]}.

    Reads the ``customdata`` each figure sets: [stage] (stage bars), [area, stage] (tiles) or
    [status, rag] (RAG bars).
    """
    wanted: dict[str, list] = {"areas": [], "stages": [], "rags": []}
    points = ((event or {}).get("selection") or {}).get("points") or []
    for point in points:
        data = point_values(point)
        if len(data) == 1:
            wanted["stages"].append(int(data[0]))
        elif len(data) == 2 and isinstance(data[1], int | float) and not isinstance(data[1], bool):
            wanted["areas"].append(str(data[0]))
            wanted["stages"].append(int(data[1]))
        elif len(data) == 2:
            wanted["rags"].append(str(data[1]))
            if data[0] == "Pipeline":
                wanted["stages"].append(0)
    return {k: list(dict.fromkeys(v)) for k, v in wanted.items()}


MATRIX_PINNED = (  # kept in view while the stages scroll by
    "Expenditure area",
    "Total incl. pipeline £'000",
    "Target £'000",
    "Gap excl. pipeline £'000",
    "Gap incl. pipeline £'000",
)


def matrix_table(matrix: pd.DataFrame, stage_names: list[str]) -> pd.DataFrame:
    """The area x stage matrix with the source's headings: "1 Initiation No.", "1 Initiation £'000", ..."""
    columns = {"area": "Expenditure area"}
    for stage, name in enumerate(stage_names):
        columns[f"n_{stage}"] = f"{stage} {name} No."
        columns[f"value_{stage}"] = f"{stage} {name} £'000"
    columns.update(
        {
            "n_excl": "Total excl. pipeline No.",
            "value_excl": "Total excl. pipeline £'000",
            "n_incl": "Total incl. pipeline No.",
            "value_incl": "Total incl. pipeline £'000",
            "target": "Target £'000",
            "gap_excl": "Gap excl. pipeline £'000",
            "gap_incl": "Gap incl. pipeline £'000",
        }
    )
    return matrix[list(columns)].rename(columns=columns)


def rag_table(summary: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Status": summary["status"],
            "RAG": summary["rag"].map(lambda r: str(r).capitalize() if isinstance(r, str) else ""),
            "Schemes": summary["count"],
            "Net value £'000": summary["value"],
            "Risk-adjusted £'000": summary["risk_adjusted"],
            "Variance £'000": summary["variance"],
            "Share of risk-adjusted %": summary["share"] * 100,
        }
    )


def gap_direction(gap) -> str:
    """ "short of target", "over target" or "on target" for a gap (target less value)."""
    return {"short": "short of target", "over": "over target"}.get(gap_word(gap), "on target")


def gap_words(gap) -> str:
    """A gap (target less value) in words: "£509k short", "£91k over" or "on target"."""
    word = gap_word(gap)
    return word if word == "on target" else f"£{money(abs(gap))}k {word}"


def headline(figures: dict) -> str:
    """The page's finding: the gap to target excluding and including pipeline, and risk-adjusted."""
    if figures["target"] is None:
        return (
            f"£{money(figures['identified_incl'])}k identified in {figures['schemes_incl']} schemes; no target loaded"
        )
    return (
        f"gap to target {gap_words(figures['gap_excl'])} excluding pipeline, {gap_words(figures['gap_incl'])} "
        f"including it, {gap_words(figures['gap_risk_adjusted'])} risk-adjusted"
    )


def money_table(table: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The table with its shares from 0 to 1 as percentages, and the names of all its percentage columns: the page
    formats £'000 and % columns by column (numbers stay numbers and sort; house formats as ``pages.formatting``)."""
    percents = [c for c in table.columns if c.startswith("Share")]
    shown = table.copy()
    for column in percents:
        if not column.endswith("%"):
            shown[column] = 100 * shown[column]
    return shown, percents


def delivery_chart(
    by_month: pd.DataFrame, forecast: float | None = None, title: str = "Delivery against plan"
) -> go.Figure:
    """Monthly plan and actual (bars), cumulative plan and actual to date (lines), and the forecast for the year
    (a marker at the last month, joined to the actual to date)."""
    palette = config.palette()
    months = [pd.Timestamp(m).strftime("%b %Y") for m in by_month["month"]]
    fig = go.Figure()
    fig.add_bar(x=months, y=by_month["plan"], name="Plan in month", marker_color=palette.light_blue)
    fig.add_bar(x=months, y=by_month["actual"], name="Actual in month", marker_color=palette.blue)
    fig.add_scatter(
        x=months,
        y=by_month["cumulative_plan"],
        name="Plan, cumulative",
        mode="lines+markers",
        line={"color": palette.black, "dash": "dash"},
    )
    to_date = by_month["cumulative_actual"].notna()
    months_to_date = [m for m, shown in zip(months, to_date, strict=True) if shown]
    fig.add_scatter(
        x=months_to_date,
        y=by_month.loc[to_date, "cumulative_actual"],
        name="Actual, cumulative",
        mode="lines+markers",
        line={"color": palette.red},
    )
    if forecast is not None and months:
        last = months_to_date[-1:] or [months[0]]
        start = by_month.loc[to_date, "cumulative_actual"].iloc[-1] if to_date.any() else 0.0
        fig.add_scatter(
            x=[last[0], months[-1]],
            y=[start, forecast],
            name="Forecast for the year",
            mode="lines+markers",
            line={"color": palette.red, "dash": "dot"},
            marker={"symbol": ["circle", "diamond"], "size": [6, 11]},
        )
    return _base_layout(fig, title, yaxis_title="£'000", xaxis_type="category", barmode="group", legend=LEGEND_BELOW)


def delivery_table(by_month: pd.DataFrame) -> pd.DataFrame:
    """The monthly delivery as shown and downloaded."""
    return pd.DataFrame(
        {
            "Month": [pd.Timestamp(m).strftime("%b %Y") for m in by_month["month"]],
            "Plan £'000": by_month["plan"].astype(float),
            "Actual £'000": by_month["actual"].astype(float),
            "Cumulative plan £'000": by_month["cumulative_plan"].astype(float),
            "Cumulative actual £'000": by_month["cumulative_actual"].astype(float),
        }
    )
