"""The QIPP page under AppTest: empty store, a reconstructed C&P tracker, filters, clicks and downloads."""

from __future__ import annotations

import pytest

import store
from tests.conftest import run_page
from tests.test_store_qipp import CP_TARGETS, cp_scheme_records, qipp_result


@pytest.fixture
def qipp_db(tmp_path, monkeypatch):
    path = tmp_path / "qipp.duckdb"
    con = store.connect(path)
    store.ingest(con, qipp_result("m3", "2018-07-30", cp_scheme_records(), CP_TARGETS))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def test_runs_on_an_empty_store(empty_db):
    at = run_page("pages/qipp.py")
    assert not at.exception
    assert any("No QIPP scheme tracker is loaded" in i.value for i in at.info)


def test_title_states_the_gaps(qipp_db):
    at = run_page("pages/qipp.py")
    assert not at.exception
    assert at.title[0].value == (
        "QIPP: gap to target £509k short excluding pipeline, £91k over including it, £2,066k short risk-adjusted"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Identified incl. pipeline £'000"] == "35,091"
    assert metrics["Risk-adjusted £'000"] == "32,934"


def test_filters_change_every_total(qipp_db):
    at = run_page("pages/qipp.py")
    at.multiselect(key="qipp_f_areas").set_value(["Prescribing"]).run()
    assert not at.exception
    assert at.title[0].value.startswith("QIPP: gap to target £777k short excluding pipeline")
    assert at.subheader[-1].value == "Schemes (33)"
    at.button(key="qipp_clear").click().run()
    assert at.subheader[-1].value == "Schemes (55)"


def test_factors_are_adjustable(qipp_db):
    at = run_page("pages/qipp.py")
    at.number_input(key="qipp_factor_pipeline").set_value(1.0).run()
    assert {m.label: m.value for m in at.metric}["Risk-adjusted £'000"] == "33,234"


def test_a_click_on_a_tile_filters_to_it(qipp_db):
    at = run_page("pages/qipp.py")
    at.session_state["qipp_matrix_chart"] = {"selection": {"points": [{"customdata": ["CHC", 1]}]}}
    at.run()
    assert not at.exception
    assert at.multiselect(key="qipp_f_areas").value == ["CHC"]
    assert at.subheader[-1].value == "Schemes (1)"


def test_scheme_table_downloads_are_offered(qipp_db):
    at = run_page("pages/qipp.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Schemes (CSV)" in labels and "Schemes (XLSX)" in labels


def test_runs_on_the_sample_store(sample_db):
    at = run_page("pages/qipp.py")
    assert not at.exception
    org = "Cambridgeshire and Peterborough CCG"
    at.session_state["orgs"] = at.session_state["org_select"] = [org]  # what the shared sidebar keeps
    at.run()
    assert not at.exception
    assert at.title[0].value == (
        "QIPP: gap to target £509k short excluding pipeline, £91k over including it, £2,066k short risk-adjusted"
    )
    assert at.subheader[-1].value == "Schemes (55)"
    at.radio(key="qipp_f_recurrent").set_value("Non-recurrent").run()
    assert not at.exception
