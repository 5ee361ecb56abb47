"""Organisations compared, as shown: charts of each organisation's headline figure with its as-at date, and the
table beneath them with dates as 21 Apr 2020, £'000 with thousands separators and negatives in
brackets, percentages to one decimal, a dash for what is not loaded (never None or nan)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import config
import formats
from analysis.comparisons import Compared
from charts.finance import variance_text
from charts.qipp import gap_words
from charts.spc import spc_figure
from safe_text import plotly as plain

NOT_LOADED = "–"
SYNTHETIC_NOTE = "synthetic demo data"


def _date(value) -> str:
    return formats.date(value, missing=NOT_LOADED)


def _number(value, column: str) -> str:
    if column.endswith("%"):
        return formats.percent(value, missing=NOT_LOADED, symbol=False)
    if "£" in column:
        return formats.money(value, missing=NOT_LOADED)
    return formats.count(value, missing=NOT_LOADED)


def _text(value) -> str:
    return NOT_LOADED if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def compared_table(compared: pd.DataFrame, date_columns: list[str]) -> pd.DataFrame:
    """The comparison with every cell as text; ``date_columns`` hold dates. The "Data" mark stays blank when empty."""
    shown = pd.DataFrame(index=compared.index)
    for column in compared.columns:
        values = compared[column]
        if column in date_columns:
            shown[column] = [_date(v) for v in values]
        elif column == "Data":
            shown[column] = values.fillna("")
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            shown[column] = [_number(v, column) for v in values]
        else:
            numbers = values.dropna()
            if len(numbers) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
                shown[column] = [_number(v, column) for v in values]
            else:
                shown[column] = [_text(v) for v in values]
    return shown.reset_index(drop=True)


def _organisation_label(row) -> str:
    """An organisation's axis label: its name, a synthetic-data mark, and the as-at date its figure comes from."""
    name = plain(row["organisation"]) + (f" ({SYNTHETIC_NOTE})" if row["synthetic"] else "")
    return f"{name}<br>as at {formats.date(row['as_at'])}"


def _not_loaded_note(not_loaded: list[str], sentence: str) -> str:
    """A subtitle naming the organisations a chart leaves out: ``sentence`` with ``{}`` for their names."""
    if not not_loaded:
        return ""
    return f"<br><sup>{sentence.format(plain(', '.join(not_loaded)))}</sup>"


def _bar_layout(fig: go.Figure, title: str, bars: int, x_title: str, money: bool = True) -> go.Figure:
    values = [
        float(v) for trace in fig.data if trace.type == "bar" for v in trace.x if v is not None and not pd.isna(v)
    ]
    low, high = min([0.0, *values]), max([0.0, *values])
    room = 0.3 * ((high - low) or 1)  # for the labels beside the bars, clear of the organisation names
    fig.update_xaxes(range=[low - room if low < 0 else 0, high + room if high > 0 else 0])
    fig.add_vline(x=0, line_color=config.palette().black, line_width=1)
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        xaxis_tickformat=formats.MONEY_TICKS if money else ",d",
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 10, "r": 140, "t": 80, "b": 10},
        height=max(260, 48 * bars + 150),
    )
    return fig


def _finance_colour(word: str) -> str:
    settings = config.settings().finance
    return {"favourable": settings.favourable_colour, "adverse": settings.adverse_colour}.get(
        word, config.palette().grey
    )


def qipp_gap_bars(compared: Compared, title: str) -> go.Figure:
    """Each organisation's risk-adjusted gap to its QIPP target: short (adverse) or over (favourable), labelled in
    £'000 and in words, largest shortfall first; each organisation with its as-at date."""
    rows = compared.rows
    colour = {"short": "adverse", "over": "favourable"}
    fig = go.Figure(
        go.Bar(
            y=[_organisation_label(r) for _, r in rows.iterrows()],
            x=rows["gap"],
            orientation="h",
            marker_color=[_finance_colour(colour.get(w, "")) for w in rows["word"]],
            text=[gap_words(g) for g in rows["gap"]],
            textposition="outside",
            cliponaxis=False,
            customdata=rows[["organisation"]].to_numpy(),
            hovertemplate="%{customdata[0]}: %{text} of target<extra></extra>",
            name="Gap, risk-adjusted",
        )
    )
    title = plain(title) + _not_loaded_note(compared.not_loaded, "No QIPP tracker loaded for {}")
    return _bar_layout(fig, title, len(rows), "Gap to target, risk-adjusted £'000 (short +, over in brackets)")


def finance_variance_bars(compared: Compared, title: str) -> go.Figure:
    """Each organisation's year-to-date (solid) and forecast (hatched) variance, coloured and labelled favourable or
    adverse; each organisation with its month and as-at date."""
    rows = compared.rows
    labels = {}
    for _, row in rows.iterrows():
        labels[row["organisation"]] = _organisation_label(row).replace("<br>as at", f"<br>{plain(row['month'])}, as at")
    fig = go.Figure()
    for measure, pattern in (("Year to date", ""), ("Forecast outturn", "/")):  # named by pattern: colour is the word
        part = rows[rows["measure"] == measure]
        fig.add_bar(
            y=[labels[o] for o in part["organisation"]],
            x=part["variance"],
            orientation="h",
            name=f"{measure} ({'hatched' if pattern else 'solid'})",
            marker={"color": [_finance_colour(w) for w in part["word"]], "pattern": {"shape": pattern}},
            text=[variance_text(v) for v in part["variance"]],
            textposition="outside",
            cliponaxis=False,
            customdata=part[["organisation"]].to_numpy(),
            hovertemplate=f"%{{customdata[0]}} {measure.lower()}: %{{text}}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    title = plain(title) + _not_loaded_note(compared.not_loaded, "No finance position loaded for {}")
    return _bar_layout(
        fig, title, 2 * rows["organisation"].nunique(), "Variance £'000 (favourable +, adverse in brackets)"
    )


def risks_above_target_bars(compared: Compared, title: str) -> go.Figure:
    """Per organisation, its risks stacked: above target (red), at or below target (green), not judged (grey, no
    current or target score); labelled "n of m above target"; each organisation with its as-at date."""
    rows = compared.rows
    palette = config.palette()
    labels = [_organisation_label(r) for _, r in rows.iterrows()]
    fig = go.Figure()
    for column, name, colour in (
        ("above", "Above target", palette.red),
        ("within", "At or below target", palette.green),
        ("unjudged", "No current or target score", palette.light_grey),
    ):
        fig.add_bar(
            y=labels,
            x=rows[column],
            orientation="h",
            name=name,
            marker_color=colour,
            customdata=rows[["organisation"]].to_numpy(),
            hovertemplate=f"%{{customdata[0]}}: %{{x}} {name.lower()}<extra></extra>",
        )
    fig.add_scatter(  # the finding in words at the end of each bar
        y=labels,
        x=rows["risks"],
        mode="text",
        text=[f"  {a} of {n} above target" for a, n in zip(rows["above"], rows["risks"], strict=True)],
        textposition="middle right",
        showlegend=False,
        hoverinfo="skip",
        cliponaxis=False,
    )
    fig.update_layout(barmode="stack")
    title = plain(title) + _not_loaded_note(compared.not_loaded, "No risk register loaded for {}")
    return _bar_layout(fig, title, len(rows), "Risks", money=False)


def spc_small_multiples(compared: Compared, title: str, y_title: str = "", columns: int = 2) -> go.Figure:
    """An XmR chart per organisation (each ``SpcPanel`` drawn by ``spc_figure``), titled by organisation, its
    latest snapshot and what its chart says; one legend for all."""
    panels = compared.rows
    cols = max(1, min(columns, len(panels)))
    rows = max(1, math.ceil(len(panels) / cols))
    titles = [
        f"{plain(p.organisation)}, as at {formats.date(p.as_at)}<br><sup>{plain(p.result.describe())}</sup>"
        for p in panels
    ]
    fig = make_subplots(rows=rows, cols=cols, subplot_titles=titles or [""], vertical_spacing=0.16)
    shown: set[str] = set()
    for i, panel in enumerate(panels):
        for trace in spc_figure(panel.result, "").data:
            trace.legendgroup = trace.name
            trace.showlegend = trace.name not in shown
            shown.add(trace.name)
            fig.add_trace(trace, row=i // cols + 1, col=i % cols + 1)
    fig.update_yaxes(title_text=plain(y_title), col=1)
    title = plain(title) + _not_loaded_note(compared.not_loaded, "Fewer than two months of actuals for {}")
    fig.update_layout(
        title=title,
        height=max(360, 320 * rows + 120),
        hovermode="closest",
        legend={"orientation": "h", "y": -0.08},
        margin={"l": 10, "r": 10, "t": 130, "b": 10},
    )
    return fig
