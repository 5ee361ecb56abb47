"""Activity and improvement-plan figures, tested as functions of frames."""

from __future__ import annotations

import pandas as pd
import pytest

import store
from analysis import activity as activity_analysis
from analysis import completion
from charts import activity as activity_charts
from charts import improvement as improvement_charts
from store import actions, activity
from tests.test_store_actions import SOUTHEND, southend_result
from tests.test_store_activity import ORG, load_history


@pytest.fixture
def activity_con(con):
    load_history(con)
    load_history(con, org="Example CCG", synthetic=True)
    return con


@pytest.fixture
def southend(con):
    store.ingest(con, southend_result())
    return con


def test_trajectory_plan_and_actuals(activity_con):
    frame = activity.monthly(activity_con, ORG, "E.M.8")
    fig = activity_charts.trajectory(frame, "E.M.8")
    plan, actual = fig.data
    assert plan.name == "Plan" and list(plan.y)[:2] == [26950, 29002]
    assert actual.name == "Actual" and len(actual.y) == 3
    assert plan.line.dash == "dash" and actual.line.dash is None
    assert plan.marker.symbol != actual.marker.symbol


def test_cumulative_writes_the_variance(activity_con):
    frame = activity_analysis.cumulative(activity.monthly(activity_con, ORG, "E.M.8"))
    fig = activity_charts.cumulative(frame, "E.M.8")
    assert fig.data[0].y[-1] == 341326 + 1  # the months add up to one more than the annual plan (check 20)
    assert len(fig.data[1].y) == 3
    note = fig.layout.annotations[0].text
    ytd = activity_analysis.year_to_date(activity.monthly(activity_con, ORG, "E.M.8")).iloc[0]
    assert f"{ytd['variance']:,.0f}" in note and f"{ytd['variance_pct']:+.1f}%" in note


def test_annual_bridge_from_prior_outturn_to_plan(activity_con):
    row = (
        activity_analysis.annual(activity.annual_rows(activity_con, ORG), activity.monthly(activity_con, ORG))
        .set_index("code")
        .loc["E.M.7"]
    )
    fig = activity_charts.annual_bridge(row, "E.M.7")
    waterfall = fig.data[0]
    assert list(waterfall.x) == ["Prior outturn", "Growth", "QIPP", "Plan"]
    assert list(waterfall.y) == [318285, 330640 - 318285, -15388, 315252]
    assert list(waterfall.text) == ["318,285", "+12,355", "-15,388", "315,252"]


def test_annual_bridge_without_prior_outturn_starts_at_do_nothing(activity_con):
    row = (
        activity_analysis.annual(activity.annual_rows(activity_con, ORG), activity.monthly(activity_con, ORG))
        .set_index("code")
        .loc["E.M.11a"]
    )
    waterfall = activity_charts.annual_bridge(row, "E.M.11a").data[0]
    assert list(waterfall.x) == ["Do nothing", "QIPP", "Plan"]
    assert list(waterfall.y) == [25437, 0, 25437]


def test_variance_bars_label_sign_and_pattern(activity_con):
    ytd = activity_analysis.year_to_date(activity.monthly(activity_con, ORG))
    fig = activity_charts.variance_bars(ytd, "YTD")
    bars = fig.data[0]
    assert len(bars.y) == 12
    assert all(t.startswith("-") for t in bars.text)  # every actual is 2% under plan
    assert set(bars.marker.pattern.shape) == {"/"}


def test_small_multiples_one_panel_per_organisation(activity_con):
    frame = activity_analysis.side_by_side(activity.monthly(activity_con, [ORG, "Example CCG"], "E.M.7"), "E.M.7")
    fig = activity_charts.small_multiples(frame, "E.M.7")
    titles = [a.text for a in fig.layout.annotations]
    assert titles == [ORG, "Example CCG"]
    assert len(fig.data) == 4
    assert [t.showlegend for t in fig.data] == [True, True, False, False]


def test_completion_trend_stacked_counts_and_percent(southend):
    trend = actions.completion_trend(southend, SOUTHEND)
    fig = improvement_charts.completion_trend(trend, "Southend")
    bars = {t.name: t for t in fig.data if t.type == "bar"}
    assert list(bars["Complete"].y) == [70, 78]
    assert list(bars["Red"].y) == [7, 3]
    assert bars["Complete"].marker.color == "#0072B2"
    assert list(bars["No RAG"].y) == [0, 4] and bars["No RAG"].marker.pattern.shape == "/"
    assert list(bars["Complete"].text) == ["70", "78"]
    assert "Not started" not in bars  # no grey in this plan
    line = next(t for t in fig.data if t.type == "scatter")
    assert [round(v) for v in line.y] == [72, 79]
    assert list(line.x) == ["1 Feb 2019 (summary)<br>72.2% complete", "14 Mar 2019 (rows)<br>78.8% complete"]
    assert list(fig.layout.yaxis2.tickvals) == [0, 20, 40, 60, 80, 100]
    assert fig.layout.barmode == "stack"


def test_planned_vs_achieved_lines(southend):
    frame = pd.DataFrame(
        {
            "date": pd.to_datetime(["2018-06-30", "2018-09-30", "2019-02-01"]),
            "due": [1, 3, 3],
            "due_original": [2, 3, 3],
            "complete": [None, None, 70],
            "undated": [0, 0, 0],
        }
    )
    fig = improvement_charts.planned_vs_achieved(frame, "Plan")
    due, original, done = fig.data
    assert list(due.y) == [1, 3, 3] and due.line.shape == "hv"
    assert original.line.dash == "dot"
    assert list(done.y) == [70] and list(done.text) == ["70"]


def test_area_bars(southend):
    areas = completion.by_area(actions.actions(southend, SOUTHEND))
    fig = improvement_charts.area_bars(areas, "Areas")
    complete = next(t for t in fig.data if t.name == "Complete")
    assert list(complete.x) == [27, 10, 15, 4, 4, 18]
    assert complete.y[0].endswith("· 93.1%")  # 27 of 29 rated in area 1
    assert complete.orientation == "h"


def test_organisations_compared_and_over_time(southend):
    store.ingest(southend, southend_result(sha="other", rows=None, summary=False, org="Example CCG"))
    trend = actions.completion_trend(southend, [SOUTHEND, "Example CCG"])
    latest = completion.latest_by_organisation(trend)
    fig = improvement_charts.organisations_compared(latest, "Compared")
    track, bars = fig.data
    assert list(bars.y) == ["Example CCG", SOUTHEND]
    assert bars.text[1].startswith("78.8% (was 72.2%)")
    assert list(track.x) == [100, 100] and track.customdata == bars.customdata  # a click anywhere on a row opens it
    lines = improvement_charts.organisations_over_time(trend, "Over time")
    assert [t.name for t in lines.data] == ["Example CCG", SOUTHEND]
    assert lines.data[0].marker.symbol != lines.data[1].marker.symbol
