"""Finance figures and tables, tested on their data: figures, words, colours, bracket convention."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import finance as finance_analysis
from charts import finance as charts
from tests.test_store_finance import FIELDS, M3_LINES


@pytest.fixture(scope="module")
def m3() -> pd.DataFrame:
    frame = pd.DataFrame(M3_LINES, columns=FIELDS)
    frame["role"] = [
        finance_analysis.line_role(line, total) for line, total in zip(frame["line"], frame["is_total"], strict=True)
    ]
    frame["source_row"] = range(5, 5 + len(frame))
    frame["snapshot_id"] = 1
    return frame


@pytest.mark.parametrize(
    ("value", "brackets", "expected"),
    [
        (-1976, True, "(1,976)"),
        (-1976, False, "-1,976"),
        (2986, True, "2,986"),
        (0.0, True, "0"),
        (None, True, ""),
        (-0.4, True, "0"),
        (1184770, False, "1,184,770"),
    ],
)
def test_format_money_both_conventions(value, brackets, expected):
    assert charts.format_money(value, brackets) == expected


def test_direction_in_words():
    assert [charts.direction(v) for v in (-707, 305, 0, 0.3, None)] == [
        "adverse",
        "favourable",
        "on plan",
        "on plan",
        "on plan",
    ]
    assert charts.variance_text(-1976, brackets=True) == "(1,976) adverse"


def test_variance_bars_are_labelled_and_coloured_by_direction(m3):
    fig = charts.variance_bars(m3, brackets=True)
    ytd, forecast = fig.data
    assert list(ytd.y) == [
        "Allocation",
        "Acute Services",
        "Mental Health Services",
        "Community Services",
        "Continuing Care",
        "Primary Care",
        "Other",
        "Running Costs",
    ]
    assert list(ytd.x)[1] == -1976 and ytd.text[1] == "(1,976) adverse" and ytd.text[4] == "305 favourable"
    palette = charts.colours()
    assert ytd.marker.color[1] == palette["adverse"] and ytd.marker.color[4] == palette["favourable"]
    assert forecast.text[6] == "2,986 favourable" and forecast.text[7] == "on plan"
    assert forecast.marker.pattern.shape == "/" and ytd.orientation == "h"


def test_position_table_formats_colours_and_words(m3):
    styler = charts.position_table(m3, brackets=True)
    html = styler.to_html()
    assert "(1,976)" in html and "1,184,770" in html
    shown = charts.position_frame(m3)
    acute = shown[shown["Line"] == "Acute Services"].iloc[0]
    assert acute["YTD variance fav/(adv)"] == "adverse" and acute["Forecast variance fav/(adv)"] == "adverse"
    assert shown[shown["Line"] == "Other"].iloc[0]["YTD variance fav/(adv)"] == "favourable"
    assert charts.colours()["adverse"].lower() in html.lower()
    assert "-1,976" in charts.position_table(m3, brackets=False).to_html()


def test_deficit_bars_plan_against_actual_and_forecast(m3):
    head = finance_analysis.headline(m3)
    fig = charts.deficit_bars(head["deficit"], brackets=True)
    ytd, year = fig.data
    assert list(ytd.y) == [-8767, -9585] and ytd.text[1] == "(9,585) (adverse)"
    assert list(year.y) == [-35069, -35069] and year.text[1] == "(35,069) (on plan)"


def test_trend_lines_by_month():
    trend = pd.DataFrame(
        {"label": ["Month 3 2018/19", "Month 4 2018/19"], "ytd_variance": [-818, 200], "forecast_variance": [0, -1000]}
    )
    fig = charts.trend_lines(trend)
    assert [t.name for t in fig.data] == ["YTD variance", "Forecast variance"]
    assert list(fig.data[0].text) == ["(818) adverse", "200 favourable"]
    assert list(fig.data[1].x) == ["Month 3 2018/19", "Month 4 2018/19"]


def test_trend_lines_break_where_the_financial_year_changes():
    trend = pd.DataFrame(
        {
            "financial_year": ["2018/19", "2018/19", "2019/20", "2019/20"],
            "label": ["Month 11 2018/19", "Month 12 2018/19", "Month 1 2019/20", "Month 2 2019/20"],
            "ytd_variance": [-500, -700, 10, -20],
            "forecast_variance": [0, -100, 0, 0],
        }
    )
    fig = charts.trend_lines(trend)
    ytd = [t for t in fig.data if t.name == "YTD variance"]
    assert [list(t.x) for t in ytd] == [
        ["Month 11 2018/19", "Month 12 2018/19"],
        ["Month 1 2019/20", "Month 2 2019/20"],
    ]
    assert [t.showlegend for t in ytd] == [True, False]
    assert list(fig.layout.xaxis.categoryarray) == list(trend["label"])
    assert [a.text for a in fig.layout.annotations] == ["2019/20 starts"]
    long = pd.concat([trend] * 2, ignore_index=True).assign(label=[f"Month {n}" for n in range(8)])
    first = charts.trend_lines(long.assign(financial_year="2018/19")).data[0]
    assert list(first.text) == [""] * 7 + ["(20) adverse"]  # a long trend: words at the latest month, all on hover
    assert list(first.customdata)[0] == "(500) adverse"


def test_totals_table_holds_the_total_rows_and_the_deficit_line(m3):
    shown = charts.totals_table(m3).data
    expected = m3[m3["role"].isin(["total", "derived"])]
    assert list(shown["Line"]) == list(expected["line"]) and len(shown) >= 2
    assert set(shown["Role"]) == {"Total", "Derived"}
    assert "(9,585)" in charts.totals_table(m3, brackets=True).to_html()


def test_checks_frame_states_both_figures(m3):
    checks = finance_analysis.total_checks(m3)
    shown = charts.checks_frame(checks[~checks["agrees"]], brackets=False)
    first = shown.iloc[0]
    assert (first["Row"], first["Figure"], first["Stated £'000"], first["Calculated £'000"], first["Check"]) == (
        "Total Expenditure",
        "YTD budget £'000",
        "304,393",
        "304,392",
        "differs by the source's rounding",
    )
    real = m3.copy()
    real.loc[real["line"] == "Total Expenditure", "ytd_budget"] = 304400
    shown = charts.checks_frame(finance_analysis.total_checks(real), brackets=False).set_index(["Row", "Figure"])
    assert shown.loc[("Total Expenditure", "YTD budget £'000"), "Check"] == "does not agree"
    assert shown.loc[("Total Expenditure", "YTD actual £'000"), "Check"] == "agrees"


def test_risks_and_plan_frames_format_money():
    risks = pd.DataFrame(
        {
            "section": ["Plan"],
            "item": ["Acute Activity"],
            "total_risk": [-4000],
            "mitigated_risk": [0],
            "in_forecast": [0],
            "residual_risk": [None],
            "is_total": [False],
        }
    )
    shown = charts.risks_frame(risks, brackets=True)
    assert shown.iloc[0]["Total risk £'000"] == "(4,000)" and shown.iloc[0]["Residual £'000"] == ""
    plan = pd.DataFrame({"line": ["Total spend"], "is_total": [True], "Growth": [43573.0]})
    assert charts.plan_frame(plan).iloc[0].to_dict() == {
        "Line": "Total spend",
        "Growth": "43,573",
        "Total row": "total",
    }


def test_headline_states_the_month_finding(m3):
    head = finance_analysis.headline(m3)
    assert charts.headline("Month 3 2018/19", head) == "Month 3 2018/19: £818k adverse year to date, forecast on plan"
    assert charts.headline("M4", {"ytd_variance": 250.2, "forecast_variance": -1000}) == (
        "M4: £250k favourable year to date, forecast £1,000k adverse"
    )


def test_trend_table_by_month_with_words():
    trend = pd.DataFrame(
        {
            "label": ["Month 3 2018/19"],
            "ytd_budget": [304393],
            "ytd_actual": [305210],
            "ytd_variance": [-818],
            "annual_budget": [1219839],
            "forecast_outturn": [1219839],
            "forecast_variance": [0],
        }
    )
    shown = charts.trend_frame(trend)
    assert list(shown.columns[:2]) == ["Month", "YTD budget £'000"]
    assert shown.iloc[0]["YTD variance fav/(adv)"] == "adverse"
    assert "(818)" in charts.trend_table(trend, brackets=True).to_html()
