"""The QIPP page under AppTest: empty store, a reconstructed C&P tracker, filters, clicks and downloads."""

from __future__ import annotations

import json
from dataclasses import replace

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
    assert at.title[0].value.startswith("QIPP, area Prescribing: gap to its target £777k short excluding pipeline")
    assert at.subheader[-1].value == "Schemes (33)"
    at.button(key="qipp_clear").click().run()
    assert at.subheader[-1].value == "Schemes (55)"


def test_a_rag_filter_shows_a_share_of_value_and_target_not_a_gap(qipp_db):
    at = run_page("pages/qipp.py")
    at.multiselect(key="qipp_f_rags").set_value(["red"]).run()
    assert not at.exception
    # red: 2,909 in delivery and 600 in the pipeline, of 35,091 identified and a 35,000 target
    assert at.title[0].value == (
        "QIPP, RAG red: £3,509k identified, 10.0% of all identified value and 10.0% of the £35,000k target"
    )
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Share of identified value"], metrics["Share of target"]) == ("10.0%", "10.0%")
    assert not [label for label in metrics if label.startswith("Gap")]
    assert any(c.value.startswith("A share, not a gap") for c in at.caption)


def test_an_area_with_a_rag_filter_is_a_share_of_that_area(qipp_db):
    at = run_page("pages/qipp.py")
    at.multiselect(key="qipp_f_areas").set_value(["Prescribing"]).run()
    at.multiselect(key="qipp_f_rags").set_value(["green"]).run()
    assert not at.exception
    # Prescribing green: 1,692 + 150 + 771 of its 4,923 identified, against its 5,700 target
    assert at.title[0].value == (
        "QIPP, area Prescribing; RAG green: £2,613k identified, 53.1% of Prescribing's identified value and 45.8% of "
        "the £5,700k target"
    )


def test_an_area_without_a_target_is_named_not_counted_as_zero(tmp_path, monkeypatch):
    path = tmp_path / "qipp.duckdb"
    con = store.connect(path)
    targets = {area: target for area, target in CP_TARGETS.items() if area != "CHC"}
    store.ingest(con, qipp_result("m3", "2018-07-30", cp_scheme_records(), targets))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = run_page("pages/qipp.py")
    at.multiselect(key="qipp_f_areas").set_value(["Prescribing", "CHC"]).run()
    assert not at.exception
    assert at.title[0].value.startswith(
        "QIPP, areas Prescribing, CHC: gap to their target £777k short excluding pipeline"
    )
    assert any(
        c.value == "No target loaded for: CHC; the £7,500k identified there is not set against any target."
        for c in at.caption
    )
    at.multiselect(key="qipp_f_areas").set_value(["CHC"]).run()
    assert at.title[0].value == "QIPP: £7,500k identified in 1 scheme; no target loaded for CHC"


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


def test_compared_organisations_show_their_as_at_dates_and_say_they_differ(qipp_db, monkeypatch):
    con = store.connect(qipp_db)
    later = qipp_result("other", "2019-03-31", cp_scheme_records(), CP_TARGETS)
    store.ingest(con, replace(later, org="Other CCG"))
    con.close()
    at = run_page("pages/qipp.py")
    at.session_state["orgs"] = at.session_state["org_select"] = ["Cambridgeshire and Peterborough CCG", "Other CCG"]
    at.run()
    at.radio(key="qipp_view").set_value("Organisations compared").run()
    assert not at.exception
    (gap_chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert sorted(gap_chart["data"][0]["y"]) == [
        "Cambridgeshire and Peterborough CCG<br>as at 30 Jul 2018",
        "Other CCG<br>as at 31 Mar 2019",
    ]
    table = at.dataframe[0].value.set_index("Organisation")
    assert list(table["QIPP as at"]) == ["30 Jul 2018", "31 Mar 2019"]
    assert list(table["QIPP target £'000"]) == ["35,000", "35,000"]
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert (
        "QIPP: As-at dates differ: from 30 Jul 2018 (Cambridgeshire and Peterborough CCG) to 31 Mar 2019 (Other CCG); "
        "figures from different periods sit side by side."
    ) in captions
