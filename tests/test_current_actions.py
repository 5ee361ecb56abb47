"""Improvement plans, activity and cover sheets laid out as ICBs keep them today: the records each must read as."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import Workbook

import loaders
import store
from analysis import recommendations
from loaders.cells import parse_rag
from loaders.kinds.actions import bare_ref, recommendation_ref
from loaders.templates import template_workbook
from store import actions, activity
from tests.conftest import run_page
from tests.corpus.current_actions import VARIANTS

FIELDS = ("ref", "parent_ref", "action", "due_date", "original_due_date", "rag_label", "rag", "progress")


def read(name: str):
    return loaders.load_workbook(VARIANTS[name](), name)


def records(result, kind: str) -> list[dict]:
    (dataset,) = [d for d in result.datasets if d.kind == kind]
    return dataset.records


def issues(result, code: str) -> list:
    return [i for i in result.issues + [i for d in result.datasets for i in d.issues] if i.code == code]


def test_actions_under_a_recommendation_column_with_original_and_revised_deadlines():
    result = read("actions_recommendation_column.xlsx")
    got = [tuple(r[f] for f in FIELDS) for r in records(result, "actions")]
    assert got == [
        ("1.1", "1", "Refresh the quality committee terms of reference", "2024-06-30", None, "Complete", "blue",
         "Approved by the Board in June."),
        ("1.2", "1", "Introduce a quality dashboard to every Board meeting", "2024-11-30", "2024-07-31",
         "Amber - at risk", "amber", "Data feeds delayed by the supplier."),
        ("2.1", "2", "Validate every waiting list over 52 weeks", "2024-09-30", None, "On track", "green",
         "80% validated."),
        ("2.2", "2", "Publish harm reviews for patients waiting over 104 weeks", "2025-01-31", "2024-08-31",
         "Off track", "red", None),
        ("2.3", "2", "Agree a system-wide validation standard", "2025-03-31", None, "Not started", "grey",
         "Due to start in January."),
    ]  # fmt: skip
    assert [r["owner"] for r in records(result, "actions")][:2] == ["Chief Nurse", "Chief Nurse"]
    assert (result.org, result.as_at) == ("NHS Northshire Integrated Care Board", "2024-09-30")
    assert not [i for d in result.datasets for i in d.issues if i.severity != "info"]
    assert [i.cell for i in issues(result, "key_rows")] == ["'Action Plan'!A10"]  # the key below is not actions


def test_target_and_revised_target_dates_and_a_recommendation_written_in_words():
    result = read("actions_target_and_revised_dates.xlsx")
    got = [tuple(r[f] for f in FIELDS) for r in records(result, "actions")]
    assert got == [
        ("1.1", "1", "Agree a supervision policy", "2024-03-31", None, "Complete", "blue", "Policy approved in March."),
        ("1.2", "1", "Audit supervision uptake", "2024-09-30", "2024-06-30", "Green - on track", "green",
         "Audit fieldwork finished."),
        ("2.1", "2", "Publish a learning briefing each quarter", "2024-12-31", "2024-07-31", "Amber – at risk",
         "amber", "Q2 briefing drafted late."),
        ("2.2", "2", "Train GP safeguarding leads", "2024-09-30", None, "Red - off track", "red", None),
    ]  # fmt: skip
    assert {r["area"] for r in records(result, "actions")} == {None}  # an 'as at' line is not an area
    assert (result.org, result.as_at) == ("NHS Eastvale ICB", "2024-10-31")
    columns = {c["letter"]: c for c in result.mapping["sheets"][0]["tables"][0]["columns"]}
    assert (columns["E"]["field"], columns["F"]["field"]) == ("original_due_date", "due_text")


def test_recommendation_heading_rows_and_fill_colours_give_parent_and_rag():
    result = read("actions_recommendation_headings.xlsx")
    got = [tuple(r[f] for f in FIELDS) for r in records(result, "actions")]
    assert got == [
        ("1.1", "1", "Map current therapy provision", "2024-09-30", None, None, "blue", "Mapping complete."),
        ("1.2", "1", "Agree a pooled budget for therapies", "2024-12-31", "2024-09-30", None, "amber",
         "Legal advice awaited."),
        ("2.1", "2", "Recruit two designated clinical officers", "2025-01-31", None, None, "green",
         "Interviews booked."),
        ("2.2", "2", "Weekly tracking of plans past 20 weeks", None, None, None, "red", "Backlog grew in October."),
    ]  # fmt: skip
    assert (result.org, result.as_at) == ("NHS Southvale ICB", "2024-10-31")


def test_key_legend_instruction_and_dashboard_sheets_are_said_and_not_loaded():
    for name, sheets in (
        ("actions_recommendation_column.xlsx", {"Cover", "Instructions"}),
        ("actions_recommendation_headings.xlsx", {"Cover", "Legend", "Dashboard"}),
    ):
        result = read(name)
        said = {i.cell: i.message for i in issues(result, "sheet_not_read")}
        assert set(said) == sheets
        assert {d.sheet for d in result.datasets} == {"Action Plan" if "column" in name else "Tracker"}
        assert all("not data" in m or "cover sheet" in m for m in said.values())


def test_a_small_lookup_on_a_cover_sheet_is_not_read_as_a_summary():
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    for row in (["Organisation:", "NHS Westmoor ICB"], ["As at", "30/06/2024"], []):
        cover.append(row)
    cover.append(["Area", "Blue", "Green", "Amber", "Red", "Total"])
    cover.append(["All areas", 3, 4, 2, 1, 10])
    tracker = book.create_sheet("Actions")
    tracker.append(["Action No.", "Action", "Lead", "Due date", "Status"])
    tracker.append(["1", "Agree the plan", "COO", "31/07/2024", "On track"])
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "cover.xlsx")
    assert [d.kind for d in result.datasets] == ["actions"]
    assert [i.cell for i in issues(result, "sheet_not_read")] == ["Cover"]
    assert records(result, "actions")[0]["rag"] == "green"  # a status of RAG words is the RAG


def test_plan_and_actual_on_separate_sheets_merge_on_code_and_month():
    result = read("activity_plan_actual_sheets.xlsx")
    rows = records(result, "activity")
    by_key = {(r["code"], r["month"]): (r["plan"], r["actual"]) for r in rows}
    assert by_key[("EL", "2024-04-01")] == (100, 98)
    assert by_key[("OPFA", "2024-08-01")] == (540, 520)
    assert by_key[("EL", "2025-03-01")] == (111, None)
    assert by_key[("AE", "2024-04-01")] == (None, 900)
    assert len(rows) == 2 * 12 + 5
    assert len([d for d in result.datasets if d.kind == "activity"]) == 1
    unmatched = issues(result, "unmatched_activity")
    assert [(i.cell, i.message) for i in unmatched] == [("Actual!A5", "AE has actuals but no plan in this workbook.")]


def test_plan_and_actual_blocks_on_one_sheet_merge():
    result = read("activity_plan_actual_blocks.xlsx")
    rows = records(result, "activity")
    by_key = {(r["code"], r["month"]): (r["plan"], r["actual"]) for r in rows}
    assert by_key[("NEL", "2024-04-01")] == (300, 320)
    assert by_key[("DC", "2024-07-01")] == (805, 812)
    assert by_key[("DC", "2024-09-01")] == (830, None)
    assert len(rows) == 12
    assert not issues(result, "unmatched_activity") and not issues(result, "duplicate_ref")


def test_an_annual_plan_with_only_a_plan_column():
    result = read("activity_annual_plan_only.xlsx")
    got = [(r["code"], r["title"], r["plan"], r["do_nothing"]) for r in records(result, "activity_annual")]
    assert got == [
        ("EL", "Elective inpatients", 1400, None),
        ("NEL", "Non-elective admissions", 3600, None),
        ("OPFU", "Follow-up outpatient attendances", 12500, None),
    ]


@pytest.mark.parametrize(
    ("label", "colour"),
    [
        ("Amber - at risk", "amber"),
        ("Red – off track", "red"),
        ("On track (Green)", "green"),
        ("Green/On-Track", "green"),
        ("Not yet started", "grey"),
        ("Off track", "red"),
    ],
)
def test_compound_status_labels_read_when_their_parts_agree(label, colour):
    assert parse_rag(label).value == colour


def test_a_compound_label_naming_two_colours_is_not_guessed():
    parsed = parse_rag("Green - at risk")
    assert parsed.value is None and "more than one colour" in parsed.problem


@pytest.mark.parametrize(
    ("text", "ref"),
    [("Recommendation 2: Timeliness", "2"), ("Rec. 3 - Governance", "3"), ("Must do 4", "4"), ("Overview", None)],
)
def test_recommendation_headings(text, ref):
    assert recommendation_ref(text) == ref


def test_a_recommendation_cell_keeps_its_number_not_its_words():
    assert [bare_ref(v) for v in ("Recommendation 1", "1. Strengthen governance", "R2", "Governance")] == [
        "1",
        "1",
        "R2",
        "Governance",
    ]


def test_every_variant_is_read_with_no_correction():
    """The share of this area's variants read right with no correction: every one."""
    right = 0
    for name in VARIANTS:
        result = read(name)
        if result.errors == [] and result.datasets and not issues(result, "unknown_rag"):
            right += 1
    assert right == len(VARIANTS)


def test_the_actions_template_carries_the_new_columns_and_reads_them_back():
    result = loaders.load_workbook(template_workbook("actions"), "actions.xlsx")
    (record,) = records(result, "actions")
    assert (record["parent_ref"], record["original_due_date"]) == ("1.3", "2018-06-30")
    assert record["progress"].startswith("Draft strategy")


def test_the_store_keeps_parent_progress_and_original_deadline(con):
    store.ingest(con, read("actions_recommendation_column.xlsx"))
    rows = actions.actions(con, "NHS Northshire Integrated Care Board").set_index("ref")
    assert rows.loc["1.2", "parent_ref"] == "1"
    assert rows.loc["1.2", "progress"] == "Data feeds delayed by the supplier."
    assert str(rows.loc["1.2", "original_due_date"].date()) == "2024-07-31"
    assert str(rows.loc["1.2", "due_date"].date()) == "2024-11-30"


def test_the_store_shows_merged_plan_and_actual(con):
    store.ingest(con, read("activity_plan_actual_sheets.xlsx"))
    frame = activity.monthly(con, "NHS Northshire ICB", "EL")
    april = frame[frame["month"] == "2024-04-01"].iloc[0]
    assert (april["plan"], april["actual"]) == (100, 98)


def _stored_rows(con, name: str, org: str):
    store.ingest(con, read(name))
    return actions.actions(con, org)


def test_actions_are_grouped_under_their_recommendation(con):
    rows = _stored_rows(con, "actions_recommendation_column.xlsx", "NHS Northshire Integrated Care Board")
    grouped = recommendations.by_recommendation(rows)
    assert list(grouped["Recommendation"]) == ["1", "2"]
    assert list(grouped["Actions"]) == [2, 3]
    assert list(grouped["Complete"]) == [1, 0]  # the count of blue actions, beside the sentence
    assert list(grouped["Completion"]) == [
        "1 of 2 actions with a RAG is complete",
        "0 of 3 actions with a RAG are complete",
    ]
    under = recommendations.actions_under(rows, "2")
    assert list(under["Ref"]) == ["2.1", "2.2", "2.3"]
    assert list(under["Original deadline"]) == ["–", "31 Aug 2024", "–"]
    assert list(under["Deadline"]) == ["30 Sep 2024", "31 Jan 2025", "31 Mar 2025"]
    assert list(under["Progress"]) == ["80% validated.", "–", "Due to start in January."]


def test_status_words_are_shown_as_written_and_as_read(con):
    rows = _stored_rows(con, "actions_recommendation_column.xlsx", "NHS Northshire Integrated Care Board")
    words = recommendations.status_words(rows)
    assert list(zip(words["Status as written"], words["Read as"], words["Actions"], strict=True)) == [
        ("Complete", "Complete", 1),
        ("On track", "Green", 1),
        ("Amber - at risk", "Amber", 1),
        ("Off track", "Red", 1),
        ("Not started", "Not started", 1),
    ]


def test_a_tracker_rated_only_by_fill_colour_says_so(con):
    rows = _stored_rows(con, "actions_recommendation_headings.xlsx", "NHS Southvale ICB")
    words = recommendations.status_words(rows)
    assert set(words["Status as written"]) == {"(cell colour, no words)"}
    listed = recommendations.action_list(rows)
    assert "Original deadline" in listed and "Owner" in listed
    assert not listed.isna().any().any()


def test_the_improvement_page_groups_actions_and_shows_status_words(tmp_path, monkeypatch):
    path = tmp_path / "current.duckdb"
    con = store.connect(path)
    store.ingest(con, read("actions_recommendation_column.xlsx"))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = run_page("pages/improvement.py")
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert labels == [
        "Recommendation 1: 1 of 2 actions with a RAG is complete",
        "Recommendation 2: 0 of 3 actions with a RAG are complete",
    ]
    shown = [df.value for df in at.dataframe]
    words = next(f for f in shown if "Status as written" in f and "Actions" in f and "Ref" not in f)
    assert "Amber - at risk" in set(words["Status as written"])
    assert any("5 actions under 2 recommendations" in m.value for m in at.markdown)


def _tracker_with_cover(cover_rows: list[list]) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = "Front sheet"
    for row in cover_rows:
        cover.append(row)
    tracker = book.create_sheet("Actions")
    tracker.append(["Action No.", "Action", "Lead", "Due date", "Status"])
    tracker.append(["1", "Agree the plan", "COO", "31/07/2024", "On track"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("cover_rows", "org", "as_at"),
    [
        (
            [["ICB Name:", "NHS Eastvale ICB"], ["Period ending:", "October 2024 (Month 7)"]],
            "NHS Eastvale ICB",
            "2024-10-31",
        ),
        (
            [["NHS Eastvale Integrated Care Board"], ["Position at 30 September 2019"]],
            "NHS Eastvale Integrated Care Board",
            "2019-09-30",
        ),
        (
            [["Name of organisation", "NHS Eastvale ICB"], ["Period end", "31/03/2025"]],
            "NHS Eastvale ICB",
            "2025-03-31",
        ),
        (
            [["Submitting organisation: NHS Eastvale ICB"], ["Data up to: 31 May 2024"]],
            "NHS Eastvale ICB",
            "2024-05-31",
        ),
    ],
)
def test_a_cover_sheets_organisation_and_period_phrases(cover_rows, org, as_at):
    result = loaders.load_workbook(_tracker_with_cover(cover_rows), "tracker.xlsx")
    assert (result.org, result.as_at) == (org, as_at)
    assert [i.cell for i in issues(result, "sheet_not_read")] == ["Front sheet"]


def test_the_activity_page_shows_actuals_from_another_sheet_against_plan(tmp_path, monkeypatch):
    path = tmp_path / "activity.duckdb"
    con = store.connect(path)
    store.ingest(con, read("activity_plan_actual_sheets.xlsx"))
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    at = run_page("pages/activity.py")
    assert not at.exception
    assert at.subheader[0].value == "AE A&E attendances: actuals only, no plan loaded (to Aug 2024)"
    assert at.caption[0].value.startswith("No plan loaded; actuals from snapshots as at 31 Aug 2024")
    at.selectbox(key="activity_code").set_value("EL")
    at.run()
    # Plan 100+101+102+103+104 = 510 against actuals 98+103+99+110+101 = 511 from the Actual sheet.
    assert at.subheader[0].value == "EL Elective inpatients: 0.2% above plan year to date (to Aug 2024)"
    shown = [s.value for s in [*at.subheader, *at.caption]]
    assert not [text for text in shown if re.search(r"\b(?:nan|none)\b", text)]


def test_a_tracker_numbered_only_by_recommendation_keeps_the_number_as_its_ref():
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Rec No.", "Action", "Lead", "Deadline", "Revised Deadline", "RAG"])
    sheet.append(["R1", "Publish the quality strategy", "Chief Nurse", "31/05/2024", "31/08/2024", "Amber"])
    sheet.append(["R2", "Appoint a patient safety partner", "Chief Nurse", "30/06/2024", None, "Blue"])
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "recs.xlsx")
    got = [(r["ref"], r["parent_ref"], r["due_date"], r["original_due_date"]) for r in records(result, "actions")]
    assert got == [("R1", None, "2024-08-31", "2024-05-31"), ("R2", None, "2024-06-30", None)]
    assert not issues(result, "missing_ref")


def test_the_latest_of_several_monthly_updates_is_the_progress():
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Action No.", "Action", "Lead", "Due date", "RAG", "Update June", "Update July", "August update"])
    sheet.append(["1.1", "Agree the plan", "COO", "31/07/2024", "Green", "Drafted", "Consulted", "Approved"])
    sheet.append(["1.2", "Recruit a lead", "CPO", "30/09/2024", "Amber", "Advert out", "Shortlisted", None])
    sheet.append(["1.3", "Open the hub", "COO", "31/03/2025", "Grey", None, None, None])
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "updates.xlsx")
    assert [r["progress"] for r in records(result, "actions")] == ["Approved", "Shortlisted", None]
    columns = {c["letter"]: c["field"] for c in result.mapping["sheets"][0]["tables"][0]["columns"]}
    assert [columns[letter] for letter in "FGH"] == ["progress", "progress", "progress"]


def test_a_title_naming_both_plan_and_actual_leaves_the_sheet_name_to_decide():
    book = Workbook()
    plan = book.active
    plan.title = "Plan"
    plan.append(["Operating plan 2024/25"])
    plan.append(["POD code", "Point of delivery", "Apr-24", "May-24", "Jun-24"])
    plan.append(["EL", "Elective inpatients", 100, 101, 102])
    actual = book.create_sheet("Actuals")
    actual.append(["Operating plan 2024/25: actuals against plan"])
    actual.append(["POD code", "Point of delivery", "Apr-24", "May-24", "Jun-24"])
    actual.append(["EL", "Elective inpatients", 97, 99, None])
    out = io.BytesIO()
    book.save(out)
    result = loaders.load_workbook(out.getvalue(), "both.xlsx")
    got = [(r["month"], r["plan"], r["actual"]) for r in records(result, "activity")]
    assert got == [("2024-04-01", 100, 97), ("2024-05-01", 101, 99), ("2024-06-01", 102, None)]
    assert not issues(result, "duplicate_ref")
