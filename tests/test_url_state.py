"""URL state: a link with organisation, page and filters opens that view; changing a widget updates the link."""

from __future__ import annotations

import shutil
from datetime import date

import pandas as pd
import pytest

import loaders
import store
from data.demo import generate
from pages.url_state import url_text
from tests.conftest import ROOT

ORGS = ["Northmoor ICB", "Riverside and Weald ICB"]
SIZES = generate.Sizes(risks=8, schemes=12, finance_lines=3, actions=10, action_areas=2)


@pytest.fixture(scope="session")
def meeting_db_master(tmp_path_factory):
    """Two synthetic organisations over three months, every dataset: small enough to load in seconds."""
    folder = tmp_path_factory.mktemp("meetings")
    path = folder / "meetings.duckdb"
    con = store.connect(path)
    for workbook in generate.generate(folder / "workbooks", orgs=2, months=3, seed=3, sizes=SIZES):
        store.ingest(con, loaders.load_workbook(workbook.read_bytes(), workbook.name))
    con.close()
    return path


@pytest.fixture
def meeting_db(meeting_db_master, tmp_path, monkeypatch):
    path = tmp_path / "meetings.duckdb"
    shutil.copy(meeting_db_master, path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def open_link(page: str, **params):
    """Open the app as a copied link would: the query string first, then the page."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def param(at, name: str) -> list[str]:
    value = at.query_params.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


def test_url_text_writes_dates_booleans_and_numbers():
    assert url_text(date(2019, 3, 31)) == "2019-03-31"
    assert url_text(pd.Timestamp("2019-03-31")) == "2019-03-31"
    assert url_text(True) == "1" and url_text(False) == "0"
    assert url_text(3) == "3" and url_text(0.65) == "0.65"


def test_risks_link_restores_as_at_view_filters_and_review_days(meeting_db):
    owner = store.risks.register(store.connect(meeting_db), [ORGS[0]], date(2018, 5, 31))["owner"].dropna().iloc[0]
    at = open_link("pages/risks.py", org=ORGS[0], as_at="2018-05-31", view="Target", review_days="30", owner=owner)
    assert at.selectbox(key="risk_as_at").value == date(2018, 5, 31)
    assert at.radio(key="risk_view").value == "Target"
    assert at.multiselect(key="risk_owners").value == [owner]
    assert not warnings(at)
    at.session_state["risk_tab"] = "Review overdue"  # only the open tab's content is made
    assert at.run().number_input(key="risk_review_days").value == 30
    at.session_state["risk_tab"] = "Matrix"
    at.run()

    at.radio(key="risk_view").set_value("Initial").run()
    at.selectbox(key="risk_as_at").set_value(date(2018, 4, 30)).run()
    at.multiselect(key="risk_owners").set_value([]).run()
    assert param(at, "view") == ["Initial"]
    assert param(at, "as_at") == ["2018-04-30"]
    assert param(at, "owner") == []
    assert param(at, "org") == [ORGS[0]]


def test_an_invalid_parameter_falls_back_to_the_default_with_a_notice(meeting_db):
    at = open_link("pages/risks.py", org=ORGS[0], as_at="1999-01-01", view="Sideways", review_days="-5")
    assert at.selectbox(key="risk_as_at").value == date(2018, 6, 30)
    assert at.radio(key="risk_view").value == "Current"
    said = warnings(at)
    assert "as\\_at = 1999-01-01 is not available here, so 2018-06-30 is shown" in said
    assert "Sideways" in said and "review\\_days = -5" in said
    assert param(at, "as_at") == ["2018-06-30"]  # the link now says what is shown
    at.session_state["risk_tab"] = "Review overdue"  # only the open tab's content is made
    assert at.run().number_input(key="risk_review_days").value == 90


def test_an_unknown_filter_value_is_dropped_and_the_rest_kept(meeting_db):
    at = open_link("pages/qipp.py", org=ORGS[0], stage=["3", "9"])
    assert at.multiselect(key="qipp_f_stages").value == [3]
    assert "stage = 9 is not available here, so it is left out" in warnings(at)


def test_qipp_link_restores_snapshot_filters_and_factors(meeting_db):
    at = open_link("pages/qipp.py", org=ORGS, show=ORGS[1], as_at="2018-05-31", recurrent="Recurrent", factor_red="0.5")
    assert at.selectbox(key="qipp_org").value == ORGS[1]
    assert at.selectbox(key="qipp_as_at").value == date(2018, 5, 31)
    assert at.radio(key="qipp_f_recurrent").value == "Recurrent"
    assert at.number_input(key="qipp_factor_red").value == 0.5
    assert ORGS[1] in at.caption[0].value and "as at 31 May 2018" in at.caption[0].value

    rag = at.multiselect(key="qipp_f_rags").options[0]
    at.multiselect(key="qipp_f_rags").set_value([rag.lower()]).run()
    at.number_input(key="qipp_factor_red").set_value(0.6).run()
    assert param(at, "rag") == [rag.lower()]
    assert param(at, "factor_red") == []  # back at its default, so the link leaves it out


def test_qipp_organisations_compared_from_a_link(meeting_db):
    at = open_link("pages/qipp.py", org=ORGS, view="Organisations compared")
    table = at.dataframe[0].value
    assert list(table["Organisation"]) == ORGS
    assert set(table["Data"]) == {"synthetic demo data"}
    assert at.title[0].value.startswith("QIPP: ")


def test_finance_link_restores_organisation_month_and_brackets(meeting_db):
    at = open_link("pages/finance.py", org=ORGS, show=ORGS[1], month="2018-05-31", brackets="0")
    assert at.selectbox(key="fin_org").value == ORGS[1]
    assert at.selectbox(key="fin_month").value == date(2018, 5, 31)
    assert at.toggle(key="fin_brackets").value is False
    assert "as at 31 May 2018" in at.caption[0].value

    at.selectbox(key="fin_month").set_value(date(2018, 6, 30)).run()
    at.toggle(key="fin_brackets").set_value(True).run()
    assert param(at, "month") == ["2018-06-30"] and param(at, "brackets") == ["1"]


def test_finance_organisations_compared_say_favourable_or_adverse_in_words(meeting_db):
    at = open_link("pages/finance.py", org=ORGS, view="Organisations compared")
    table = at.dataframe[0].value
    assert list(table["Organisation"]) == ORGS
    assert set(table["Forecast position"]) <= {"favourable", "adverse", "on plan"}


def test_activity_link_restores_measure_and_organisation(meeting_db):
    codes = list(store.activity.measures(store.connect(meeting_db), [ORGS[1]])["code"])
    at = open_link("pages/activity.py", org=ORGS, code=codes[1], show=ORGS[1])
    assert at.selectbox(key="activity_code").value == codes[1]
    assert at.selectbox(key="activity_org").value == ORGS[1]
    at.selectbox(key="activity_code").set_value(codes[0]).run()
    assert param(at, "code") == [codes[0]]


def test_improvement_link_restores_organisation_and_report(meeting_db):
    at = open_link("pages/improvement.py", org=ORGS, show=ORGS[1], report="2018-05-31")
    assert at.selectbox(key="ip_org").value == ORGS[1]
    assert pd.Timestamp(at.selectbox(key="ip_report").value) == pd.Timestamp("2018-05-31")
    at.radio(key="ip_view").set_value("Organisations compared").run()
    assert param(at, "view") == ["Organisations compared"]


def test_overview_link_opens_the_comparison_of_organisations(meeting_db):
    at = open_link("pages/overview.py", org=ORGS, view="Organisations compared")
    table = at.dataframe[0].value
    assert list(table["Organisation"]) == ORGS
    for column in (
        "Risks",
        "Above target",
        "QIPP gap, risk-adjusted £'000",
        "YTD variance £'000",
        "Forecast position",
        "Actions complete %",
    ):
        assert table[column].notna().all(), column
    assert "forecast an adverse variance" in at.title[0].value or "most risks" in at.title[0].value


def test_overview_link_opens_one_organisation(meeting_db):
    at = open_link("pages/overview.py", org=ORGS, show=ORGS[1])
    assert at.title[0].value == f"Overview: {ORGS[1]}"
    assert param(at, "view") == ["One organisation"] and param(at, "show") == [ORGS[1]]


def test_data_link_restores_snapshot_filters(meeting_db):
    at = open_link("pages/data.py", org=ORGS[0], snapshots_of=ORGS[1], kind="risks")
    assert at.selectbox(key="snap-org").value == ORGS[1]
    assert at.selectbox(key="snap-kind").value == "risks"
    shown = at.dataframe[0].value
    assert set(shown["organisation"]) == {ORGS[1]} and set(shown["kind"]) == {"Risk register"}  # in words
