"""Risk headlines, counts and pages never read a missing score, target or review date as good news, and
closed risks stay off the matrix and counts unless asked for."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import store
from analysis import risks as risk_analysis
from analysis import wording
from store import compare, overview, risks
from tests.conftest import run_page
from tests.risk_records import CRR_ORG, load_all

BEDFORDSHIRE = "Bedfordshire CCG"
CP = "Cambridgeshire and Peterborough CCG"
OXFORDSHIRE = "Oxfordshire CCG"


def register(rows: list[dict]) -> pd.DataFrame:
    base = {"organisation": "Org", "scale": "5x5", "status": "Open", "initial_rating": 12.0, "current_band": None}
    frame = pd.DataFrame([{**base, **row} for row in rows])
    for stage in risk_analysis.STAGES:
        frame[f"{stage}_rating"] = frame.get(f"{stage}_rating", pd.Series(dtype=float)).astype("Float64")
    for column in ("key", "display", "title", "owner", "as_at"):
        frame[column] = frame.get(column, pd.Series([f"r{i}" for i in range(len(frame))]))
    return frame


def test_a_register_with_no_current_or_target_score_is_never_at_or_below_target():
    counts = risk_analysis.summary(register([{"current_rating": None, "target_rating": None}] * 3))
    assert counts["above_target"] == 0 and counts["compared"] == 0
    assert wording.risk_headline(counts) == (
        "0 of 3 risks can be compared with a target (3 with no current score; 3 with no target)"
    )
    assert "at or below" not in wording.risk_headline(counts)
    assert (
        wording.missing_note(counts) == "Not stated in the register: no current score for 3 of 3; no target for 3 of 3."
    )


def test_a_headline_over_some_unknown_targets_says_how_many_could_not_be_compared():
    rows = [
        {"current_rating": 12.0, "target_rating": 4.0},
        {"current_rating": 4.0, "target_rating": 4.0},
        {"current_rating": 9.0, "target_rating": None},
    ]
    counts = risk_analysis.summary(register(rows))
    assert wording.risk_headline(counts) == (
        "1 of 2 risks with a current and target score above target; 1 of 3 cannot be compared (no current score or no target)"
    )
    none_above = risk_analysis.summary(register(rows[1:]))
    assert wording.risk_headline(none_above).startswith("0 of 1 risks with a current and target score above target")
    assert wording.judged(counts["above_target"], counts["compared"], counts["risks"]) == "1 of 2"
    assert wording.judged(0, 0, 3) == "not known"


def test_review_overdue_with_no_review_dates_is_not_zero():
    reviews = {"late": 0, "no_date": 16}
    assert wording.review_headline(reviews, 16, 90) == "No review date stated for 16 of 16 risks"
    assert wording.review_metric(reviews, 16) == "not known"
    assert wording.review_headline({"late": 2, "no_date": 1}, 5, 90) == (
        "2 risks not reviewed within 90 days; no review date stated for 1 of 5 risks"
    )
    assert wording.review_metric({"late": 2, "no_date": 1}, 5) == "2 of 4"


def test_closed_statuses_come_from_configuration_and_match_as_a_first_word():
    frame = register(
        [{"status": s} for s in ("Closed", " closed - merged with 2.1", "Open", None, "Closedown of site", "ARCHIVED")]
    )
    assert list(risk_analysis.is_closed(frame)) == [True, True, False, False, False, True]
    open_risks, closed = risk_analysis.without_closed(frame)
    assert closed == 3 and len(open_risks) == 3
    assert wording.closed_note(1) == "1 closed risk left out" and wording.closed_note(0) == ""


def test_overview_risk_tile_leaves_closed_risks_out_and_counts_them(sample_con):
    figures = overview.risk_tile(sample_con, BEDFORDSHIRE).figures
    assert figures["closed"] == 0 and figures["risks"] == 11  # the 2019 framework states no closed risk
    register_2012 = risks.register(sample_con, [BEDFORDSHIRE], "2012-04-27")
    open_risks, closed = risk_analysis.without_closed(register_2012)
    assert (len(register_2012), closed) == (21, 2)  # risks 1 and 10 are closed in the source
    assert set(register_2012.loc[risk_analysis.is_closed(register_2012), "ref"]) == {"1", "10"}


def choose_orgs(at, orgs):
    at.session_state["orgs"] = orgs
    at.session_state["org_select"] = orgs
    at.run()
    return at


def test_risks_page_bedfordshire_2012_never_claims_at_or_below_target_and_leaves_closed_risks_out(sample_db):
    at = choose_orgs(run_page("pages/risks.py"), [BEDFORDSHIRE])
    at.selectbox(key="risk_as_at").select_index(1).run()
    assert not at.exception
    title = at.title[0].value
    assert "at or below target" not in title
    assert "0 of 19 risks can be compared with a target" in title
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Risks"] == "19" and metrics["Above target"] == "not known"
    assert metrics["In the top band now"] == "2"  # risks 7 and 21: residual High
    assert any("current position only as a band for 19 of 19" in c.value for c in at.caption)
    assert any("19 current scores cannot be placed" in w.value for w in at.warning)
    unplaced = at.dataframe[0].value
    assert list(unplaced["Band"].iloc[:2]) == ["Moderate (3-4)", "Moderate (3-4)"]  # risks 2 and 3: residual Medium
    assert set(unplaced["Score as stated"]) == {"not stated"}
    captions = " ".join(c.value for c in at.caption)
    assert "2 closed risks left out" in captions
    at.session_state["risk_tab"] = "Movement"  # only the open tab's content is made
    at.run()
    assert "0 above target (19 of 19 cannot be judged: a score is not stated)" in [h.value for h in at.subheader]
    at.toggle(key="risk_closed").set_value(True).run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Risks"] == "21"
    assert any("2 closed included" in c.value for c in at.caption)


def test_risks_page_says_no_review_date_is_stated_rather_than_none_overdue(sample_db):
    at = choose_orgs(run_page("pages/risks.py"), [CP])
    at.session_state["risk_tab"] = "Review overdue"  # only the open tab's content is made
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Review overdue (> 90 days)"] == "not known"
    assert "No review date stated for 16 of 16 risks" in [s.value for s in at.subheader]
    assert any("No review date stated for 16 of 16 risks." in c.value for c in at.caption)


@pytest.fixture
def risk_db(tmp_path, monkeypatch):
    """The risk records of tests.risk_records: a 3x3 register whose latest snapshot has one closed risk of three."""
    path = tmp_path / "risks.duckdb"
    con = store.connect(path)
    load_all(con)
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def test_overview_leaves_closed_risks_off_the_heatmap_and_says_how_many(risk_db):
    at = choose_orgs(run_page("pages/overview.py"), [CRR_ORG])
    assert not at.exception
    assert at.subheader[0].value == "0 of 2 risks can be compared with a target (2 with no target)"
    text = " ".join(c.value for c in at.caption)
    assert "1 closed risk left out." in text
    assert not re.search(r"\b(nan|NaT)\b|\bNone\b(?! of)", text)


def test_compare_views_count_risks_that_could_not_be_judged_and_closed_ones(con):
    load_all(con)
    frame, _ = risk_analysis.without_closed(risks.register(con, [CRR_ORG]))
    by_org = compare.risks_by_organisation(con, frame).iloc[0]
    assert (by_org["Risks"], by_org["Above target"], by_org["Risks with no current or target score"]) == (2, 0, 2)
    row = compare.overview_compared(con, [CRR_ORG]).iloc[0]
    assert (row["Risks"], row["Closed risks left out"], row["Risks with no current or target score"]) == (2, 1, 2)


def test_a_store_made_before_bands_were_kept_gains_the_band_columns(tmp_path):
    import duckdb

    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute(
        "CREATE TABLE risks (snapshot_id INTEGER NOT NULL, source_sheet VARCHAR, source_row INTEGER, ref VARCHAR)"
    )
    old.close()
    con = store.connect(path)
    columns = {row[0] for row in con.execute("DESCRIBE risks").fetchall()}
    con.close()
    assert {"initial_band", "current_band", "target_band"} <= columns
