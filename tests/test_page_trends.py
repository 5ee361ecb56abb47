"""The Activity and Improvement plan pages under AppTest: empty store, sample store, a store with history."""

from __future__ import annotations

import pytest

import store
from tests.conftest import run_page
from tests.test_store_actions import SOUTHEND, southend_result, southend_rows
from tests.test_store_activity import ORG, load_history

OTHER = "Example CCG"


@pytest.fixture
def trends_db(tmp_path, monkeypatch):
    """Activity history for two organisations and Southend-like action trackers for two."""
    path = tmp_path / "trends.duckdb"
    con = store.connect(path)
    load_history(con)
    load_history(con, org=OTHER, synthetic=True)
    store.ingest(con, southend_result())
    store.ingest(con, southend_result(sha="other", rows=southend_rows()[:50], summary=False, org=OTHER, synthetic=True))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def choose_orgs(at, orgs):
    at.session_state["orgs"] = orgs  # what the shared sidebar keeps
    at.session_state["org_select"] = orgs
    at.run()
    return at


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


def test_activity_page_on_an_empty_store(empty_db):
    at = run_page("pages/activity.py")
    assert not at.exception
    assert any("No activity plan is loaded" in i.value for i in at.info)


def test_improvement_page_on_an_empty_store(empty_db):
    at = run_page("pages/improvement.py")
    assert not at.exception
    assert any("No improvement plan is loaded" in i.value for i in at.info)


def test_activity_page_one_organisation(trends_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG])
    assert not at.exception
    assert subheaders(at) == ["E.M.7 Total Referrals (Specific Acute): 2.0% below plan year to date (to Jun 2018)"]
    assert any("Plan as at 31 Aug 2018" in c.value for c in at.caption)
    assert at.metric[0].value == "80,113"
    assert any("restated" in w.value for w in at.warning) is False  # E.M.7 was not restated


def test_activity_page_changing_the_measure_changes_the_finding(trends_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG])
    at.selectbox(key="activity_code").set_value("E.M.12")
    at.run()
    assert not at.exception
    assert subheaders(at)[0].startswith("E.M.12 Total A&E Attendances")
    assert any("restated between snapshots for May 2018" in w.value for w in at.warning)


def test_activity_page_spc_tab_with_few_points_warns(trends_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG])
    assert any(
        w.value.startswith("The limits from Apr 2018 to Jun 2018 rest on 3 points") and "at least 13" in w.value
        for w in at.warning
    )
    assert any(c.value.startswith("Points: blue: unusual, and better") for c in at.caption)
    assert any(m.value.startswith("**Common cause") or m.value.startswith("**Special cause") for m in at.markdown)
    at.checkbox(key="spc_screen").uncheck()
    at.run()
    assert not at.exception


def test_activity_page_spc_summary_has_a_row_and_icons_for_every_measure(trends_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG])
    summary = next(d.value for d in at.dataframe if "variation" in d.value.columns)
    assert summary["code"].tolist()[:3] == ["E.M.7", "E.M.7a", "E.M.7b"]
    assert len(summary) == 12
    assert summary["variation"].str.startswith("data:image/svg+xml;base64,").all()
    assert summary["improvement"].iloc[0] == "Lower"


def test_activity_page_side_by_side(trends_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG, OTHER])
    at.radio(key="activity_view").set_value("Organisations side by side")
    at.run()
    assert not at.exception
    assert subheaders(at) == ["E.M.7 Total Referrals (Specific Acute) across 2 organisations"]


def test_improvement_page_headline_and_disagreement(trends_db):
    at = choose_orgs(run_page("pages/improvement.py"), [SOUTHEND])
    assert not at.exception
    assert subheaders(at) == [f"{SOUTHEND}: 78.8% complete, up from 72.2%"]
    warning = next(w.value for w in at.warning if "disagrees" in w.value)
    assert "in 2 areas" in warning and "Leadership, Structure" in warning and "Governance and reporting" in warning
    assert any("actions with a RAG are complete; 4 have no RAG" in m.value for m in at.markdown)


def test_improvement_page_switching_organisation(trends_db):
    at = choose_orgs(run_page("pages/improvement.py"), [SOUTHEND, OTHER])
    assert subheaders(at) == [f"{OTHER}: 87.0% complete"]
    at.selectbox(key="ip_org").set_value(SOUTHEND)
    at.run()
    assert subheaders(at) == [f"{SOUTHEND}: 78.8% complete, up from 72.2%"]
    at.radio(key="ip_view").set_value("Organisations compared")
    at.run()
    assert not at.exception
    assert subheaders(at) == [f"{OTHER} is furthest on: 87.0% complete"]


def test_activity_page_on_the_sample_store(sample_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG])
    assert not at.exception
    assert subheaders(at) == ["E.M.7 Total Referrals (Specific Acute): plan only, no actuals loaded yet"]
    assert any("SPC needs at least two months of actuals" in i.value for i in at.info)
    assert not any("do not equal do-nothing + QIPP" in w.value for w in at.warning)  # each ±1: the source's rounding
    assert any(c.value.startswith("9 annual figures differ") and "rounding" in c.value for c in at.caption)


def test_improvement_page_on_the_sample_store(sample_db):
    at = choose_orgs(run_page("pages/improvement.py"), [SOUTHEND])
    assert not at.exception
    assert subheaders(at) == [f"{SOUTHEND}: 78.8% complete, up from 72.2%"]
    assert any("disagrees with its action rows" in w.value for w in at.warning)


def test_activity_page_clicking_a_variance_bar_shows_that_measure(trends_db):
    at = choose_orgs(run_page("pages/activity.py"), [ORG])
    at.session_state["variance_bars"] = {"selection": {"points": [{"customdata": ["E.M.9"]}]}}
    at.run()
    assert not at.exception
    assert subheaders(at)[0].startswith("E.M.9 Consultant Led Follow-Up")
    at.selectbox(key="activity_code").set_value("E.M.8")
    at.run()
    assert subheaders(at)[0].startswith("E.M.8 ")  # the same click is not applied again


def test_improvement_page_clicking_an_organisation_opens_its_plan(trends_db):
    at = choose_orgs(run_page("pages/improvement.py"), [SOUTHEND, OTHER])
    at.radio(key="ip_view").set_value("Organisations compared")
    at.run()
    at.session_state["ip_compared"] = {"selection": {"points": [{"customdata": [SOUTHEND]}]}}
    at.run()
    assert not at.exception
    assert subheaders(at) == [f"{SOUTHEND}: 78.8% complete, up from 72.2%"]


def test_data_text_is_shown_literally_not_as_markdown(tmp_path, monkeypatch):
    path = tmp_path / "markdown.duckdb"
    con = store.connect(path)
    store.ingest(con, southend_result(org="**Bold** CCG [link](http://example.org)", summary=False, concerns=False))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = run_page("pages/improvement.py")
    assert not at.exception
    joiner = "\u2060"  # invisible; without it Streamlit would link the address
    assert subheaders(at)[0].startswith(rf"\*\*Bold\*\* CCG \[link\](http\:{joiner}//example.org)")
