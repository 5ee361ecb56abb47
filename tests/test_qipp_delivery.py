"""In-year QIPP delivery: a phased tracker stored (old stores gain the fields), summed by month, charted and shown."""

from __future__ import annotations

import pandas as pd
import pytest

import loaders
import store
from analysis import qipp_delivery
from charts import qipp as charts
from store import qipp
from tests.conftest import run_page
from tests.corpus.current_qipp import phased_groups

ORG = "NHS Northfield ICB"
AS_AT = "2024-09-30"


def phased_result():
    return loaders.load_workbook(phased_groups(), "northfield.xlsx", as_at=AS_AT)


@pytest.fixture
def phased_con(con):
    store.ingest(con, phased_result())
    return con


def test_a_phased_tracker_is_stored_with_its_in_year_fields_and_phasing(phased_con):
    schemes = qipp.schemes(phased_con, ORG)
    assert schemes[["ref", "plan_ytd", "actual_ytd", "forecast"]].values.tolist() == [
        ["NF-01", 240.0, 240.0, 478.0],
        ["NF-02", 200.0, 150.0, 520.0],
        ["NF-03", 150.0, 75.0, 180.0],
        ["NF-04", 0.0, 0.0, 150.0],
    ]
    phasing = qipp.phasing(phased_con, ORG, pd.Timestamp(AS_AT).date())
    assert len(phasing) == 48
    row = phasing[(phasing["ref"] == "NF-02") & (phasing["month"] == pd.Timestamp("2024-06-01").date())]
    assert row[["plan", "actual"]].values.tolist() == [[50.0, 30.0]]


def test_a_store_from_before_phasing_gains_the_table_and_the_fields(tmp_path):
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    con.execute("DROP TABLE qipp_phasing")
    for column in ("plan_ytd", "actual_ytd", "forecast"):
        con.execute(f"ALTER TABLE qipp_schemes DROP COLUMN {column}")
    con.close()
    con = store.connect(path)
    store.ingest(con, phased_result())
    assert len(qipp.phasing(con, ORG, pd.Timestamp(AS_AT).date())) == 48
    assert qipp.schemes(con, ORG)["forecast"].sum() == 478 + 520 + 180 + 150
    con.close()


PHASING = pd.DataFrame(
    {
        "ref": ["A", "A", "A", "B", "B", "B"],
        "month": [pd.Timestamp(f"2024-0{m}-01").date() for m in (4, 5, 6)] * 2,
        "plan": [10.0, 10.0, 10.0, 5.0, 5.0, 20.0],
        "actual": [8.0, 12.0, None, 5.0, None, None],
    }
)


def test_monthly_delivery_sums_schemes_and_stops_the_actual_at_the_last_month_to_date():
    by_month = qipp_delivery.monthly(PHASING)
    assert by_month["plan"].tolist() == [15.0, 15.0, 30.0]
    assert by_month["actual"].tolist()[:2] == [13.0, 12.0] and pd.isna(by_month["actual"].iloc[2])
    assert by_month["cumulative_plan"].tolist() == [15.0, 30.0, 60.0]
    assert by_month["cumulative_actual"].tolist()[:2] == [13.0, 25.0] and pd.isna(by_month["cumulative_actual"].iloc[2])
    only_b = qipp_delivery.monthly(PHASING, refs=["B"])
    assert only_b["cumulative_plan"].tolist() == [5.0, 10.0, 30.0]
    assert only_b["actual"].notna().tolist() == [True, False, False]  # B's May is blank: to date ends in April


def test_a_scheme_without_a_reference_is_known_by_its_name():
    schemes = pd.DataFrame({"ref": ["A", None], "name": ["Falls", "Wound care"]})
    assert qipp_delivery.scheme_keys(schemes) == ["A", "Wound care"]


def test_in_year_uses_stated_ytd_else_the_phasing():
    by_month = qipp_delivery.monthly(PHASING)
    stated = pd.DataFrame({"plan_ytd": [30.0], "actual_ytd": [24.0], "forecast": [55.0], "value": [60.0]})
    found = qipp_delivery.in_year(stated, by_month)
    assert (found.plan_ytd, found.actual_ytd, found.variance) == (30.0, 24.0, -6.0)
    assert not found.from_phasing
    unstated = stated.assign(plan_ytd=None, actual_ytd=None, forecast=None)
    found = qipp_delivery.in_year(unstated, by_month)
    assert (found.plan_ytd, found.actual_ytd, found.from_phasing) == (30.0, 25.0, True)
    assert found.to_month == pd.Timestamp("2024-05-01").date()
    empty = qipp_delivery.monthly(PHASING.iloc[0:0])
    assert qipp_delivery.in_year(unstated, empty) is None


def test_delivery_chart_draws_plan_actual_and_the_forecast():
    fig = charts.delivery_chart(qipp_delivery.monthly(PHASING), forecast=55.0, title="Delivery")
    names = [t.name for t in fig.data]
    assert names == [
        "Plan in month",
        "Actual in month",
        "Plan, cumulative",
        "Actual, cumulative",
        "Forecast for the year",
    ]
    forecast = fig.data[-1]
    assert list(forecast.x) == ["May 2024", "Jun 2024"] and list(forecast.y) == [25.0, 55.0]
    assert list(fig.data[3].x) == ["Apr 2024", "May 2024"]


def test_the_page_shows_in_year_delivery_for_a_phased_tracker(tmp_path, monkeypatch):
    path = tmp_path / "phased.duckdb"
    con = store.connect(path)
    store.ingest(con, phased_result())
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = run_page("pages/qipp.py")
    assert not at.exception
    assert "In-year delivery to September 2024" in [s.value for s in at.subheader]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["YTD plan £'000"] == "590"  # 240 + 200 + 150 + 0
    assert metrics["YTD actual £'000"] == "465"
    assert metrics["YTD variance £'000"] == "(125)"
    assert metrics["Forecast £'000"] == "1,328"
    assert metrics["Annual plan £'000"] == "1,630"
    at.multiselect(key="qipp_f_areas").set_value(["CHC"]).run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["YTD plan £'000"], metrics["YTD actual £'000"]) == ("150", "75")
    assert metrics["Annual plan £'000"] == "300"
