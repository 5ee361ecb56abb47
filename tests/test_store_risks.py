from datetime import date

import pandas as pd
import pytest

import store
from analysis import risks as risk_analysis
from analysis import wording
from store import risks
from tests.risk_records import BAF_ORG, CP_ORG, CRR_ORG, load_all


@pytest.fixture
def loaded(con):
    load_all(con)
    return con


def test_risk_dates_are_the_as_at_dates_of_the_chosen_organisations(loaded):
    assert risks.risk_dates(loaded, [BAF_ORG]) == [date(2019, 1, 23), date(2019, 3, 28)]
    assert risks.risk_dates(loaded, [BAF_ORG, CRR_ORG])[0] == date(2012, 4, 27)
    assert risks.risk_dates(loaded, []) == []


def test_register_defaults_to_the_latest_snapshot(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    assert set(frame["as_at"]) == {date(2019, 3, 28)}
    assert list(frame["ref"]) == ["1.1", "1.2", "1.3", "2.1a", "2.1b", "3.1", "4.1"]
    one = frame.set_index("ref").loc["1.1"]
    assert (one["current_likelihood"], one["current_consequence"], one["current_rating"]) == (2, 2, 4)


def test_register_takes_each_organisations_latest_on_or_before_the_date(loaded):
    frame = risks.register(loaded, [BAF_ORG, CRR_ORG], as_at=date(2019, 2, 1))
    by_org = frame.groupby("organisation")["as_at"].first().to_dict()
    assert by_org == {BAF_ORG: date(2019, 1, 23), CRR_ORG: date(2012, 4, 27)}
    assert frame["display"].iloc[0].startswith(BAF_ORG + ": ")


def test_register_labels_risks_without_refs_by_their_row_and_rates_from_the_stated_score(loaded):
    frame = risks.register(loaded, [CP_ORG])
    assert frame["ref"].isna().all()
    assert frame["key"].iloc[0] == "Risk to delivery of QIPP Plan (Transformation)"
    assert list(frame["label"]) == [f"Row {n}" for n in frame["source_row"]]  # a ref, not a title cut short
    stated_only = frame.iloc[2]
    assert stated_only["initial_rating"] == 16 and pd.isna(stated_only["initial_likelihood"])


def test_matrix_cells_count_and_label_each_cell(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    cells = risk_analysis.matrix_cells(frame, "current").set_index(["likelihood", "consequence"])
    assert cells.loc[(4, 4), "count"] == 3
    assert cells.loc[(4, 4), "labels"] == ["2.1a", "2.1b", "3.1"]
    assert cells.loc[(2, 2), "labels"] == ["1.1"]
    assert cells["count"].sum() == len(frame)
    initial = risk_analysis.matrix_cells(frame, "initial").set_index(["likelihood", "consequence"])
    assert initial.loc[(4, 4), "count"] == 3 and initial.loc[(3, 4), "labels"] == ["1.1", "1.2"]


def test_unplaced_lists_risks_a_matrix_cannot_show(loaded):
    frame = risks.register(loaded, [CP_ORG])
    assert len(risk_analysis.matrix_cells(frame, "initial")) == 2
    missing = risk_analysis.unplaced(frame, "initial")
    assert list(missing["initial_score"]) == [16]
    assert risk_analysis.unplaced(frame, "current").empty


def test_matrix_cells_keep_scales_apart(loaded):
    frame = risks.register(loaded, [BAF_ORG, CRR_ORG])
    cells = risk_analysis.matrix_cells(frame, "current")
    assert set(cells["scale"]) == {"5x5", "3x3"}
    small = cells[cells["scale"] == "3x3"].set_index(["likelihood", "consequence"])
    assert small.loc[(1, 1), "count"] == 2 and small.loc[(2, 2), "count"] == 1


def test_cell_risks_are_the_risks_in_that_cell(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    assert list(risk_analysis.cell_risks(frame, "current", "5x5", 4, 4)["ref"]) == ["2.1a", "2.1b", "3.1"]
    assert risk_analysis.cell_risks(frame, "current", "3x3", 4, 4).empty


def test_movement_flags_not_moved_and_above_target(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    assert list(risk_analysis.not_moved(frame)["display"]) == ["2.1a", "2.1b", "3.1"]
    above = risk_analysis.above_target(frame)
    assert above["display"].iloc[0] == "1.2"  # 9 against a target of 1
    assert set(above["display"]) == {"1.1", "1.2", "1.3", "2.1a", "2.1b", "3.1", "4.1"}
    moves = risk_analysis.movement(frame).set_index("display")
    assert moves.loc["1.3", "change"] == -12 and moves.loc["3.1", "above_target_by"] == 7


def test_movement_with_an_unknown_target_is_not_above_target(loaded):
    frame = risks.register(loaded, [CRR_ORG])
    assert risk_analysis.above_target(frame).empty
    assert list(risk_analysis.not_moved(frame)["display"]) == []


def test_worse_since_previous_compares_with_the_previous_as_at(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    worse = risk_analysis.worse_since_previous(frame, risks.previous_registers(loaded, frame))
    assert list(worse["key"]) == ["1.1"]
    assert worse["previous_rating"].iloc[0] == 2 and worse["current_rating"].iloc[0] == 4
    assert worse["previous_as_at"].iloc[0] == date(2019, 1, 23)


def test_worse_since_previous_is_empty_without_an_earlier_snapshot(loaded):
    unchanged = risks.register(loaded, [CP_ORG])
    assert risk_analysis.worse_since_previous(unchanged, risks.previous_registers(loaded, unchanged)).empty
    january = risks.register(loaded, [BAF_ORG], as_at=date(2019, 1, 31))
    assert risk_analysis.worse_since_previous(january, risks.previous_registers(loaded, january)).empty


def test_score_history_has_each_risk_at_each_as_at(loaded):
    history = risks.score_history(loaded, [BAF_ORG])
    one = history[history["key"] == "1.1"]
    assert list(one["current_rating"]) == [2, 4]
    assert list(one["as_at"]) == [date(2019, 1, 23), date(2019, 3, 28)]
    assert len(risks.score_history(loaded, [BAF_ORG], until=date(2019, 2, 1))) == 7
    assert set(risks.score_history(loaded, [BAF_ORG], keys=["1.3"])["key"]) == {"1.3"}


def test_review_overdue_uses_the_days_given(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    late = risk_analysis.review_overdue(frame, days=60)
    assert list(late["display"]) == ["1.1", "1.2", "1.3"]
    assert late["days_since_review"].iloc[0] == (date(2019, 3, 28) - date(2019, 1, 23)).days
    assert risk_analysis.review_overdue(frame, days=90).empty
    assert len(risk_analysis.review_overdue(frame, days=0)) == 5


def test_review_overdue_lists_risks_with_no_review_date(loaded):
    frame = risks.register(loaded, [CP_ORG])
    overdue = risk_analysis.review_overdue(frame, days=365)
    assert len(overdue) == 3 and set(overdue["reason"]) == {risk_analysis.NO_REVIEW_DATE}
    assert risk_analysis.review_counts(overdue) == {"late": 0, "no_date": 3}
    assert risk_analysis.review_counts(risk_analysis.review_overdue(risks.register(loaded, [BAF_ORG]), 60)) == {
        "late": 3,
        "no_date": 0,
    }


def test_filters_narrow_the_register(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    options = risk_analysis.filter_options(frame)
    assert options["objectives"] == ["1", "2", "3", "4"]
    assert options["owners"][-1] == risk_analysis.NOT_STATED
    assert len(risk_analysis.filter_risks(frame, risk_analysis.RiskFilters(objectives=("2",)))) == 2
    assert list(
        risk_analysis.filter_risks(frame, risk_analysis.RiskFilters(owners=(risk_analysis.NOT_STATED,)))["ref"]
    ) == ["3.1"]
    crr = risks.register(loaded, [CRR_ORG])
    assert list(risk_analysis.filter_risks(crr, risk_analysis.RiskFilters(statuses=("Open",)))["ref"]) == ["12", "13"]
    assert risk_analysis.RiskFilters(statuses=("Open",)).describe() == "status Open"


def test_source_cells_name_sheet_column_and_row(loaded):
    frame = risks.register(loaded, [BAF_ORG]).set_index("ref")
    one = frame.loc["1.1"]
    cells = risks.source_cells(loaded, one["snapshot_id"], one["source_sheet"], one["source_row"])
    assert cells["current_score"] == "BAF!G5" and cells["ref"] == "BAF!A5"
    cp = risks.register(loaded, [CP_ORG]).iloc[1]
    assert risks.source_cells(loaded, cp["snapshot_id"], cp["source_sheet"], cp["source_row"]) == {
        "title": "'Operational risks'!A9"
    }


def test_risk_detail_gives_scores_with_their_cells_and_the_narrative(loaded):
    frame = risks.register(loaded, [BAF_ORG]).set_index("ref", drop=False)
    detail = risks.risk_detail(loaded, frame.loc["2.1b"])
    assert detail["fields"]["owner"] == "Chief Finance Officer"
    scores = detail["scores"].set_index("stage")
    assert scores.loc["Current", "score"] == 16 and scores.loc["Current", "source cell"] == "BAF!G9"
    assert scores.loc["Target", "source cell"] == "BAF!H9"
    assert detail["text"] == {
        "controls": "Controls for 2.1b",
        "assurances": "Assurance for 2.1b",
        "actions": "Actions for 2.1b",
    }
    assert "BAF row 9" in detail["source"]


def test_summary_and_headline_state_the_finding(loaded):
    counts = risk_analysis.summary(risks.register(loaded, [BAF_ORG]))
    assert counts == {
        "risks": 7,
        "above_target": 7,
        "not_moved": 3,
        "top_band": 3,
        "with_current": 7,
        "current_band_only": 0,
        "with_target": 7,
        "compared": 7,
        "with_movement": 7,
    }
    assert wording.risk_headline(counts) == "7 of 7 risks above target"
    assert wording.risk_headline({"risks": 0, "above_target": 0}) == "No risks"
    assert wording.risk_headline({"risks": 3, "above_target": 0}) == "All 3 risks at or below target"


def test_superseded_snapshot_is_not_read(loaded):
    frame = risks.register(loaded, [BAF_ORG])
    snapshot = int(frame["snapshot_id"].iloc[0])
    store.delete_snapshot(loaded, snapshot)
    assert set(risks.register(loaded, [BAF_ORG])["as_at"]) == {date(2019, 1, 23)}


def test_empty_store_gives_empty_frames(con):
    frame = risks.register(con, ["Nobody"])
    assert frame.empty
    assert risk_analysis.matrix_cells(frame, "current").empty
    assert risk_analysis.movement(frame).empty
    assert risk_analysis.worse_since_previous(frame, risks.previous_registers(con, frame)).empty
    assert risk_analysis.review_overdue(frame).empty
    assert risks.score_history(con, ["Nobody"]).empty
    assert risk_analysis.summary(frame)["risks"] == 0


def test_snapshots_used_name_the_as_at_and_file_per_organisation(loaded):
    frame = risks.register(loaded, [BAF_ORG, CP_ORG])
    used = risk_analysis.snapshots_used(frame)
    assert list(used["organisation"]) == [BAF_ORG, CP_ORG]
    assert list(used["as_at"]) == [date(2019, 3, 28), date(2018, 7, 30)]
    note = wording.as_at_note(frame)
    assert note.startswith(f"{BAF_ORG}: as at 28 Mar 2019 (") and "30 Jul 2018" in note
    assert wording.as_at_note(frame.iloc[0:0]) == ""


def test_worse_since_previous_never_compares_scores_of_different_scales(loaded):
    from tests.risk_records import crr_records, workbook

    small = crr_records()
    small[0].update(ref="1.1", current_likelihood=1, current_consequence=1, current_score=1)
    store.ingest(loaded, workbook(BAF_ORG, "2019-02-15", small, "CRR", {"ref": "A"}))
    march = risks.register(loaded, [BAF_ORG])
    assert risk_analysis.worse_since_previous(march, risks.previous_registers(loaded, march)).empty
    history = risks.score_history(loaded, [BAF_ORG], keys=["1.1"])
    assert list(history["scale"]) == ["5x5", "3x3", "5x5"]


# Golden: the sample workbooks against the risk tables of the data dictionary.
SAMPLE_BEDFORDSHIRE = "Bedfordshire CCG"
SAMPLE_CAMBRIDGESHIRE = "Cambridgeshire and Peterborough CCG"
SAMPLE_OXFORDSHIRE = "Oxfordshire CCG"


def test_bedfordshire_baf_movement(sample_con):
    frame = risks.register(sample_con, [SAMPLE_BEDFORDSHIRE], date(2019, 3, 28))
    assert list(risk_analysis.not_moved(frame)["display"]) == ["2.1a", "2.1b", "3.1"]
    assert len(risk_analysis.above_target(frame)) == 11
    moves = risk_analysis.movement(frame).set_index("display")
    assert (
        moves.loc["1.3", "initial_rating"],
        moves.loc["1.3", "current_rating"],
        moves.loc["1.3", "target_rating"],
    ) == (
        20,
        8,
        4,
    )


def test_cambridgeshire_member_practices_risk_rose_from_12_to_16(sample_con):
    frame = risks.register(sample_con, [SAMPLE_CAMBRIDGESHIRE])
    assert len(frame) == 16
    moves = risk_analysis.movement(frame)
    engage = moves[moves["title"].str.startswith("Failure to engage with Member Practices")]
    assert list(engage["initial_rating"]) == [12] and list(engage["current_rating"]) == [16]
    assert list(engage["change"]) == [4]


def test_oxfordshire_words_become_cells(sample_con):
    frame = risks.register(sample_con, [SAMPLE_OXFORDSHIRE])
    cells = risk_analysis.matrix_cells(frame, "current").set_index(["likelihood", "consequence"])
    assert cells.loc[(4, 4), "labels"] == ["AF28", "AF29", "AF30", "AF32", "AF35"]
    assert cells.loc[(3, 4), "labels"] == ["AF31", "AF34"] and cells.loc[(4, 3), "labels"] == ["AF33"]
    target = risk_analysis.matrix_cells(frame, "target").set_index(["likelihood", "consequence"])
    assert target.loc[(1, 4), "labels"] == ["AF35"]
