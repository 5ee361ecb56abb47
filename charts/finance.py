"""Finance figures and tables: position by line, diverging variance bars, in-year deficit, trend.

Variances are favourable-positive. Favourable and adverse are told by colour AND by word; money is
GBP thousands, shown with a minus sign or, as the source documents do, in brackets.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

import config
import formats
from analysis.overview import position_word as direction
from charts import MARGIN, mark_year_starts, titled
from safe_text import plotly as plain

FORECAST_PATTERN = "/"
MEASURE_NAMES = {
    field: formats.HEADINGS[field]
    for field in ("ytd_budget", "ytd_actual", "ytd_variance", "annual_budget", "forecast_outturn", "forecast_variance")
}
PRIOR_NAME = "Last month's forecast variance £'000"
MOVEMENT_NAME = "Forecast movement since last month £'000"
BASIS_NAMES = {"sub-total": "the source's sub-total", "sum of lines": "its lines summed"}
ROLE_NAMES = {"income": "Income", "expenditure": "Expenditure", "total": "Total", "derived": "Derived"}
LEGEND_LOWER = {"orientation": "h", "y": -0.2}


def colours() -> dict[str, str]:
    settings = config.settings().finance
    return {"favourable": settings.favourable_colour, "adverse": settings.adverse_colour, "on plan": "#777777"}


def format_money(value, brackets: bool = True) -> str:
    """GBP thousands to the nearest thousand: ``(1,976)`` or, without ``brackets``, ``-1,976``; blank when missing."""
    return formats.money(value, brackets, missing="")


def variance_text(variance, brackets: bool = True) -> str:
    word = direction(variance)
    return "on plan" if word == "on plan" else f"{format_money(variance, brackets)} {word}"


def position_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The position as shown: the line, its role, the six figures, and each variance in words; the section and
    last month's forecast variance where the source states them."""
    shown = pd.DataFrame({"Line": frame["line"], "Role": frame["role"].map(ROLE_NAMES)})
    if _stated(frame, "section"):
        shown.insert(0, "Section", frame["section"].astype(object).where(frame["section"].notna(), ""))
    shown = _with_measures(shown, frame)
    if _stated(frame, "prior_forecast_variance"):
        shown[PRIOR_NAME] = frame["prior_forecast_variance"].astype(float)
    return shown


def section_frame(summary: pd.DataFrame) -> pd.DataFrame:
    """``analysis.finance.section_summary`` as shown: each section's YTD and forecast variance, last month's
    forecast variance and the movement since, and whether they are the source's sub-total or its lines summed."""
    shown = _with_measures(
        pd.DataFrame({"Section": summary["section"]}), summary, ("ytd_variance", "forecast_variance")
    )
    if _stated(summary, "prior_forecast_variance"):
        shown[PRIOR_NAME] = summary["prior_forecast_variance"].astype(float)
        shown[MOVEMENT_NAME] = (summary["forecast_variance"] - summary["prior_forecast_variance"]).astype(float)
    shown["From"] = summary["basis"].map(BASIS_NAMES)
    return shown


def section_table(summary: pd.DataFrame, brackets: bool = False) -> Styler:
    return _styled(section_frame(summary), brackets)


def _stated(frame: pd.DataFrame, column: str) -> bool:
    return column in frame.columns and bool(frame[column].notna().any())


def trend_frame(trend: pd.DataFrame) -> pd.DataFrame:
    """The overall position month by month, as shown: the month, the six figures, variances in words."""
    return _with_measures(pd.DataFrame({"Month": trend["label"]}), trend)


def _with_measures(shown: pd.DataFrame, frame: pd.DataFrame, measures=tuple(MEASURE_NAMES)) -> pd.DataFrame:
    """Each of ``measures`` as a column, and each variance's word beside it."""
    for measure in measures:
        name = MEASURE_NAMES[measure]
        shown[name] = frame[measure].astype(float)
        if measure.endswith("variance"):
            shown[name.replace("£'000", "fav/(adv)")] = frame[measure].map(direction)
    return shown


def position_table(frame: pd.DataFrame, brackets: bool = True) -> Styler:
    """``position_frame`` styled: figures formatted, variance cells and words coloured, totals in bold."""
    return _styled(position_frame(frame), brackets)


def totals_table(frame: pd.DataFrame, brackets: bool = True) -> Styler:
    """Only the totals rows and the derived (surplus or deficit) line of the position, styled as ``position_table``."""
    return _styled(position_frame(frame[frame["role"].isin(["total", "derived"])]).reset_index(drop=True), brackets)


def trend_table(trend: pd.DataFrame, brackets: bool = True) -> Styler:
    return _styled(trend_frame(trend), brackets)


def _styled(shown: pd.DataFrame, brackets: bool) -> Styler:
    palette = colours()
    variance_columns = [c for c in shown.columns if "variance" in c or c == MOVEMENT_NAME]
    money_columns = [c for c in shown.columns if c.endswith("£'000")]

    def tint(value):
        word = value if isinstance(value, str) else direction(value)
        return f"color: {palette[word]}; font-weight: 600" if word != "on plan" else ""

    def bold_totals(row):
        weight = "font-weight: 700" if row.get("Role") in ("Total", "Derived") else ""
        return [weight] * len(row)

    styler = shown.style.format(lambda v: format_money(v, brackets), subset=money_columns)
    styler = styler.map(tint, subset=variance_columns).apply(bold_totals, axis=1)
    return styler.hide(axis="index")


def variance_bars(frame: pd.DataFrame, brackets: bool = True, title: str = "Variance by line") -> go.Figure:
    """Diverging horizontal bars per line: YTD (solid) and forecast (hatched), coloured and labelled
    favourable / adverse."""
    lines = frame[frame["role"].isin(["income", "expenditure"])]
    palette = colours()
    fig = go.Figure()
    for measure, name, pattern in (
        ("ytd_variance", "YTD variance", ""),
        ("forecast_variance", "Forecast variance", FORECAST_PATTERN),
    ):
        values = lines[measure].astype(float)
        fig.add_bar(
            name=f"{name}{' (hatched)' if pattern else ''}",
            y=[plain(line) for line in lines["line"]],
            x=values,
            orientation="h",
            marker={"color": [palette[direction(v)] for v in values], "pattern": {"shape": pattern}},
            text=[variance_text(v, brackets) for v in values],
            textposition="outside",
            cliponaxis=False,
            customdata=lines[["line"]].to_numpy(),
            hovertemplate=f"%{{y}} {name}: %{{text}}<extra></extra>",
        )
    fig.add_vline(x=0, line_color=config.palette().dark_grey, line_width=1)
    fig.update_yaxes(autorange="reversed", type="category")
    return titled(
        fig,
        title,
        barmode="group",
        xaxis_title="£'000 (favourable +, adverse in brackets)",
        xaxis_tickformat=formats.MONEY_TICKS,
        legend=LEGEND_LOWER,
        margin={**MARGIN, "r": 80},
        height=max(300, 70 * len(lines) + 120),
    )


def deficit_bars(deficit: dict, brackets: bool = True, title: str = "In-year deficit against plan") -> go.Figure:
    """Plan against actual (YTD) and against forecast (full year) for the derived in-year deficit line."""
    palette = colours()
    fig = go.Figure()
    pairs = (
        ("Year to date", "ytd_budget", "ytd_actual", "ytd_variance"),
        ("Full year", "annual_budget", "forecast_outturn", "forecast_variance"),
    )
    for period, plan, actual, variance in pairs:
        word = direction(deficit[variance])
        fig.add_bar(
            x=[f"{period}: plan", f"{period}: {'actual' if period == 'Year to date' else 'forecast'}"],
            y=[deficit[plan], deficit[actual]],
            name=period,
            marker={"color": [config.palette().grey, palette[word]], "pattern": {"shape": ["", "/"]}},
            text=[format_money(deficit[plan], brackets), f"{format_money(deficit[actual], brackets)} ({word})"],
            textposition="outside",
        )
    return titled(fig, title, yaxis_title="£'000", yaxis_tickformat=formats.MONEY_TICKS, showlegend=False)


def _years(trend: pd.DataFrame) -> list[pd.DataFrame]:
    """The trend cut at each change of financial year (one part without a ``financial_year`` column)."""
    if "financial_year" not in trend.columns:
        return [trend]
    return [part for _, part in trend.groupby(trend["financial_year"].ne(trend["financial_year"].shift()).cumsum())]


LABEL_EVERY_MONTH_UP_TO = 6  # beyond, only each year's latest month is labelled (every month on hover)


def trend_lines(trend: pd.DataFrame, title: str = "Variance across months") -> go.Figure:
    """Overall YTD and forecast variance by month, with a zero line; markers labelled in words (a long trend only
    at each year's latest month). The lines break
    where the financial year changes (year-to-date figures restart in April), a dotted line naming the new year."""
    fig, colours = go.Figure(), config.palette()
    years = _years(trend)
    for measure, name, dash in (
        ("ytd_variance", "YTD variance", "solid"),
        ("forecast_variance", "Forecast variance", "dash"),
    ):
        for n, part in enumerate(years):
            words = [variance_text(v) for v in part[measure]]
            labelled = words if len(trend) <= LABEL_EVERY_MONTH_UP_TO else [""] * (len(words) - 1) + words[-1:]
            fig.add_scatter(
                x=[plain(label) for label in part["label"]],
                y=part[measure],
                name=name,
                legendgroup=name,
                showlegend=n == 0,
                mode="lines+markers+text",
                text=labelled,
                customdata=words,
                hovertemplate=f"%{{x}} {name}: %{{customdata}}<extra></extra>",
                textposition="top center",
                line={"dash": dash, "color": colours.blue if measure == "ytd_variance" else colours.pink},
            )
    categories = [plain(label) for label in trend["label"]]
    if len(years) > 1:  # a trend without a financial_year column is one part
        mark_year_starts(fig, years, list(trend["financial_year"]), xanchor="left", yanchor="bottom")
    fig.add_hline(y=0, line_color=colours.dark_grey, line_width=1)
    fig.update_xaxes(categoryorder="array", categoryarray=categories)
    return titled(
        fig,
        title,
        yaxis_title="£'000 (favourable +, adverse in brackets)",
        yaxis_tickformat=formats.MONEY_TICKS,
        xaxis_type="category",
        legend=LEGEND_LOWER,
    )


CHECK_WORDS = {None: "agrees", "info": "differs by the source's rounding", "warning": "does not agree"}


def checks_frame(checks: pd.DataFrame, brackets: bool = True) -> pd.DataFrame:
    """Total checks as shown: the row, the figure, stated, calculated, difference, and a verdict in words."""
    return pd.DataFrame(
        {
            "Row": checks["line"],
            "Figure": checks["measure"].map(MEASURE_NAMES),
            "Stated £'000": [format_money(v, brackets) for v in checks["stated"]],
            "Calculated £'000": [format_money(v, brackets) for v in checks["calculated"]],
            "Difference £'000": [format_money(v, brackets) for v in checks["difference"]],
            "Check": [CHECK_WORDS.get(severity, CHECK_WORDS[None]) for severity in checks["severity"]],
            "Source row": checks["source_row"],
        }
    )


def risks_frame(risks: pd.DataFrame, brackets: bool = True) -> pd.DataFrame:
    shown = pd.DataFrame({"Section": risks["section"], "Item": risks["item"]})
    names = {
        "total_risk": "Total risk £'000",
        "mitigated_risk": "Mitigated £'000",
        "in_forecast": "In forecast £'000",
        "residual_risk": "Residual £'000",
    }
    for column, name in names.items():
        shown[name] = [format_money(v, brackets) for v in risks[column]]
    shown["Total row"] = risks["is_total"].fillna(False).astype(bool).map({True: "total", False: ""})
    return shown


def plan_frame(plan: pd.DataFrame, brackets: bool = True) -> pd.DataFrame:
    shown = pd.DataFrame({"Line": plan["line"]})
    for column in plan.columns[2:]:
        shown[column] = [format_money(v, brackets) for v in plan[column]]
    shown["Total row"] = plan["is_total"].fillna(False).astype(bool).map({True: "total", False: ""})
    return shown


def headline(label: str, head: dict) -> str:
    """The page's finding, e.g. "Month 3 2018/19: £818k adverse year to date, forecast on plan"."""

    def said(variance) -> str:
        word = direction(variance)
        return word if word == "on plan" else f"£{format_money(abs(variance))}k {word}"

    return f"{label}: {said(head['ytd_variance'])} year to date, forecast {said(head['forecast_variance'])}"
