"""The Finance page under AppTest: empty store, the month-3 position, month selector, bracket toggle."""

from __future__ import annotations

from datetime import date

import pytest

import store
from tests.conftest import run_page
from tests.test_store_finance import M3_LINES, finance_result


@pytest.fixture
def finance_db(tmp_path, monkeypatch):
    path = tmp_path / "finance.duckdb"
    con = store.connect(path)
    store.ingest(con, finance_result("m3", 3))
    month4 = list(M3_LINES)
    month4[8] = ("Total Expenditure", 405000, 407000, -2000, 1219839, 1220839, -1000, True)
    store.ingest(con, finance_result("m4", 4, month4))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def test_runs_on_an_empty_store(empty_db):
    at = run_page("pages/finance.py")
    assert not at.exception
    assert any("No month-end finance position is loaded" in i.value for i in at.info)


def test_latest_month_first_and_selector_switches(finance_db):
    at = run_page("pages/finance.py")
    assert not at.exception
    assert at.title[0].value == "Month 4 2018/19: £2,000k adverse year to date, forecast £1,000k adverse"
    at.selectbox(key="fin_month").set_value(date(2018, 6, 30)).run()  # month 3
    assert at.title[0].value == "Month 3 2018/19: £818k adverse year to date, forecast on plan"


def test_totals_that_differ_are_shown_with_both_figures(finance_db):
    at = run_page("pages/finance.py")  # month 4: Total Expenditure is thousands away from its lines
    assert any("differ from what their lines give" in w.value for w in at.warning)
    checks = at.dataframe[2].value  # after the totals and the position
    row = checks[(checks["Row"] == "Total Expenditure") & (checks["Figure"] == "YTD budget £'000")].iloc[0]
    assert (row["Stated £'000"], row["Calculated £'000"], row["Check"]) == ("405,000", "304,392", "does not agree")


def test_rounding_differences_are_information_not_a_warning(finance_db):
    at = run_page("pages/finance.py")
    at.selectbox(key="fin_month").set_value(date(2018, 6, 30)).run()  # month 3: four totals each £1k out
    assert not at.warning
    assert any("within the source's rounding" in s.value for s in at.success)
    assert any(c.value.startswith("4 stated figures in total rows differ") for c in at.caption)
    shown = [d.value for d in at.dataframe if "Check" in d.value.columns]
    assert shown and set(shown[0]["Check"]) == {"agrees", "differs by the source's rounding"}


def test_bracket_toggle_switches_the_convention(finance_db):
    at = run_page("pages/finance.py")
    at.selectbox(key="fin_month").set_value(date(2018, 6, 30)).run()  # month 3
    assert {m.label: m.value for m in at.metric}["YTD variance £'000"] == "(818)"
    at.toggle(key="fin_brackets").set_value(False).run()
    assert {m.label: m.value for m in at.metric}["YTD variance £'000"] == "-818"


def test_runs_on_the_sample_store(sample_db):
    at = run_page("pages/finance.py")
    assert not at.exception
    org = "Cambridgeshire and Peterborough CCG"
    at.session_state["orgs"] = at.session_state["org_select"] = [org]  # what the shared sidebar keeps
    at.run()
    assert not at.exception
    assert at.title[0].value == "Month 3 2018/19: £818k adverse year to date, forecast on plan"
    subheaders = [s.value for s in at.subheader]
    assert any(s.startswith("Risks and mitigations") for s in subheaders)
    assert any(s.startswith("Financial plan bridge") for s in subheaders)
    assert not at.warning  # the month-3 totals are each £1k out: the source's rounding
    assert any("within the source's rounding" in s.value for s in at.success)
    issues = next(d.value for d in at.dataframe if "severity" in d.value.columns)
    rounding = issues[issues["code"].isin(["total_mismatch", "variance_mismatch"])]
    assert len(rounding) == 10 and set(rounding["severity"]) == {"info"}


def test_totals_and_the_deficit_line_stand_above_a_table_with_no_scroll(finance_db):
    at = run_page("pages/finance.py")
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:2] == ["Totals and in-year position, Month 4 2018/19", "Position by line, Month 4 2018/19"]
    totals, position = at.dataframe[0], at.dataframe[1]
    assert set(totals.value["Role"]) == {"Total", "Derived"}
    assert set(totals.value["Line"]) < set(position.value["Line"])
