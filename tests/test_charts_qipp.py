"""QIPP figure builders, tested on their data: values, labels, colours, customdata for click filters."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import config
from analysis import qipp_schemes
from charts import qipp as charts
from tests.test_store_qipp import CP_TARGETS, cp_scheme_records

STAGES = qipp_schemes.stage_names()


@pytest.fixture(scope="module")
def schemes() -> pd.DataFrame:
    frame = pd.DataFrame(cp_scheme_records()).drop(columns="source")
    frame["stage_name"] = [STAGES[s] for s in frame["stage"]]
    frame["source_sheet"], frame["source_row"] = "QIPP Schemes", range(6, 6 + len(frame))
    return frame


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return pd.DataFrame({"area": list(CP_TARGETS), "target": list(CP_TARGETS.values())})


def test_stage_bars_show_value_and_count_per_stage(schemes):
    fig = charts.stage_bars(qipp_schemes.stage_summary(schemes))
    bar = fig.data[0]
    assert list(bar.x) == ["0 Pipeline", "1 Initiation", "2 Planning", "3 Delivery", "4 Monitoring", "5 Closure"]
    assert list(bar.y) == [600, 10986, 2047, 20187, 1271, 0]
    assert bar.text[1] == "10,986<br>20 schemes" and bar.text[0] == "600<br>1 scheme"
    assert [list(c) for c in bar.customdata] == [[0], [1], [2], [3], [4], [5]]
    assert bar.marker.color[0] != bar.marker.color[1]  # pipeline told apart, and named on the axis


def test_matrix_tiles_one_per_non_empty_cell(schemes, targets):
    matrix = qipp_schemes.area_stage_matrix(schemes, targets)
    fig = charts.matrix_tiles(matrix, STAGES)
    tiles = fig.data[0]
    assert len(tiles.x) == 15  # the non-empty area x stage cells of the source table
    cells = {(y, x): t for x, y, t in zip(tiles.x, tiles.y, tiles.text, strict=True)}
    assert cells[("Prescribing", "1 Initiation")] == "11 · 1,955"
    assert cells[("Community / CSI", "0 Pipeline")] == "1 · 600"
    assert ["Acute (PbR)", 3] in [list(c) for c in tiles.customdata]
    assert tiles.marker.symbol == "square"


def test_rag_bars_pair_net_and_hatched_risk_adjusted_in_rag_colours(schemes):
    fig = charts.rag_bars(qipp_schemes.rag_summary(schemes))
    net, adjusted = fig.data
    assert list(net.x) == [
        "Schemes in delivery: Red",
        "Schemes in delivery: Amber",
        "Schemes in delivery: Green",
        "Pipeline: Red",
    ]
    assert list(net.y) == [2909, 2310, 29272, 600]
    assert [round(v) for v in adjusted.y] == [1745, 1617, 29272, 300]
    assert list(net.marker.color) == [
        charts.rag_colour("red"),
        charts.rag_colour("amber"),
        charts.rag_colour("green"),
        charts.rag_colour("red"),
    ]
    assert adjusted.marker.pattern.shape == "/"
    assert list(net.customdata[3]) == ["Pipeline", "red"]


def test_bridge_waterfall_labels_the_gap_in_words(schemes, targets):
    figures = qipp_schemes.position(schemes, qipp_schemes.target_total(targets))
    fig = charts.bridge_waterfall(qipp_schemes.bridge(figures))
    fall, gap = fig.data
    assert list(fall.measure) == ["absolute", "relative", "relative", "total", "relative", "total"]
    assert fall.text[3] == "35,091"
    assert list(gap.text) == ["2,066 short of target"]


def test_bridge_shortfall_is_adverse_and_every_step_labelled_with_its_delta(schemes, targets):
    figures = qipp_schemes.position(schemes, qipp_schemes.target_total(targets))
    steps = qipp_schemes.bridge(figures)
    fall, gap = charts.bridge_waterfall(steps).data
    finance = config.settings().finance
    assert gap.increasing.marker.color == finance.adverse_colour  # a shortfall rises back to the target
    assert gap.base == figures["risk_adjusted"] and list(gap.y) == [figures["gap_risk_adjusted"]]
    relative = [(v, t) for v, t, m in zip(fall.y, fall.text, fall.measure, strict=True) if m == "relative"]
    assert relative and all(t.startswith("+") if v > 0 else t.startswith("(") for v, t in relative)
    over = charts.bridge_waterfall(steps.assign(value=steps["value"].where(steps["step"] != "Gap to target", -50)))
    assert over.data[1].decreasing.marker.color == finance.favourable_colour
    assert list(over.data[1].text) == ["50 above target"]


def test_qipp_trend_breaks_where_the_financial_year_changes():
    trend = pd.DataFrame(
        {
            "as_at": pd.to_datetime(["2019-02-28", "2019-03-31", "2019-04-30", "2019-05-31"]),
            "identified_excl": [1, 2, 3, 4],
            "identified_incl": [2, 3, 4, 5],
            "risk_adjusted": [1, 2, 3, 4],
            "target": [10, 10, 12, 12],
        }
    )
    fig = charts.trend_lines(trend)
    target = [t for t in fig.data if t.name == "Target"]
    assert [list(t.x) for t in target] == [["28 Feb 2019", "31 Mar 2019"], ["30 Apr 2019", "31 May 2019"]]
    assert [t.showlegend for t in target] == [True, False]
    assert [a.text for a in fig.layout.annotations] == ["2019/20 starts"]


def test_trend_lines_skip_series_with_no_data(schemes):
    trend = pd.DataFrame(
        {
            "as_at": ["2018-06-30", "2018-07-30"],
            "identified_excl": [1, 2],
            "identified_incl": [2, 3],
            "risk_adjusted": [1.5, 2.5],
            "target": [None, None],
        }
    )
    fig = charts.trend_lines(trend)
    assert [t.name for t in fig.data] == ["Identified excl. pipeline", "Identified incl. pipeline", "Risk-adjusted"]
    assert list(fig.data[0].x) == ["30 Jun 2018", "30 Jul 2018"]


@pytest.mark.parametrize(
    ("customdata", "expected"),
    [
        ([[3]], {"areas": [], "stages": [3], "rags": []}),
        ([["Prescribing", 1], ["CHC", 1]], {"areas": ["Prescribing", "CHC"], "stages": [1], "rags": []}),
        ([["Schemes in delivery", "amber"]], {"areas": [], "stages": [], "rags": ["amber"]}),
        ([["Pipeline", "red"]], {"areas": [], "stages": [0], "rags": ["red"]}),
        ([{"0": 2}], {"areas": [], "stages": [2], "rags": []}),  # a numeric row as the browser may send it
        ([{"0": "CHC", "1": 3}], {"areas": ["CHC"], "stages": [3], "rags": []}),
        ([], {"areas": [], "stages": [], "rags": []}),
    ],
)
def test_selection_filters_read_the_customdata(customdata, expected):
    event = {"selection": {"points": [{"customdata": c} for c in customdata]}}
    assert charts.selection_filters(event) == expected


def test_clickable_figures_send_customdata_as_plain_lists(schemes, targets):
    """The browser returns a clicked point's customdata as the figure's JSON holds it: a numeric array there
    becomes a typed array, whose rows come back as objects, not lists."""
    figures = [
        charts.stage_bars(qipp_schemes.stage_summary(schemes)),
        charts.rag_bars(qipp_schemes.rag_summary(schemes)),
        charts.matrix_tiles(qipp_schemes.area_stage_matrix(schemes, targets), STAGES),
    ]
    for fig in figures:
        for trace in json.loads(fig.to_json())["data"]:
            assert isinstance(trace["customdata"], list) and trace["customdata"], trace["customdata"]
            assert all(isinstance(row, list) for row in trace["customdata"])


def test_selection_filters_tolerate_no_event():
    assert charts.selection_filters(None) == {"areas": [], "stages": [], "rags": []}


def test_matrix_table_uses_the_source_headings(schemes, targets):
    table = charts.matrix_table(qipp_schemes.area_stage_matrix(schemes, targets), STAGES)
    assert "1 Initiation No." in table.columns and "Gap incl. pipeline £'000" in table.columns
    totals = table.iloc[-1]
    assert totals["Expenditure area"] == "Totals" and totals["Gap excl. pipeline £'000"] == 509


def test_money_format():
    assert charts.money(34491.4) == "34,491" and charts.money(-91) == "(91)" and charts.money(None) == "–"


def test_headline_states_the_gaps_in_words(schemes, targets):
    figures = qipp_schemes.position(schemes, qipp_schemes.target_total(targets))
    assert charts.headline(figures) == (
        "gap to target £509k short excluding pipeline, £91k over including it, £2,066k short risk-adjusted"
    )
    no_target = qipp_schemes.position(schemes, None)
    assert charts.headline(no_target) == "£35,091k identified in 55 schemes; no target loaded"
    assert charts.gap_words(0.2) == "on target"
    assert [charts.gap_direction(g) for g in (509, -91, 0, None)] == [
        "short of target",
        "over target",
        "on target",
        "on target",
    ]


def test_money_table_keeps_numbers_and_formats_money_and_percentages_by_column(schemes):
    from pages.formatting import MONEY, PERCENT, column_formats

    table = charts.rag_table(qipp_schemes.rag_summary(schemes))
    shown, percents = charts.money_table(table)
    assert "Share of risk-adjusted %" in percents  # a % column, already in percent
    share = shown["Share of risk-adjusted %"]
    assert 88.9 in set(share.round(1))  # green's share of the risk-adjusted total (89% in the source), one decimal
    money = [c for c in shown.columns if "£'000" in c]
    assert money and all(pd.api.types.is_numeric_dtype(shown[c]) for c in money)  # numbers, so the table sorts
    assert round(shown[money].min().min()) == -2157  # the risk adjustment, negative: shown in brackets
    formats_ = column_formats(shown, percent=percents)
    assert all(formats_[c]["type_config"]["format"] == MONEY["format"] for c in money)
    assert formats_["Share of risk-adjusted %"]["type_config"]["format"] == PERCENT["format"]
