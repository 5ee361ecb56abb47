"""Each kind loader on small tables: the records it builds and the issues it must raise."""

from __future__ import annotations

from loaders.context import Context
from loaders.kinds import ACCEPT, BY_NAME
from loaders.kinds.checks import cross_check
from loaders.tables import find_tables
from loaders.workbook import Sheet


def build(rows, merged=(), name="S", ctx=None):
    width = max(len(r) for r in rows)
    sheet = Sheet(name, True, [list(r) + [None] * (width - len(r)) for r in rows], list(merged))
    out = []
    for table in find_tables(sheet, ACCEPT):
        out.extend(BY_NAME[table.layout].build(table, ctx or Context(as_at="2019-03-31", financial_year="2018/19")))
    return out


def one(datasets, kind):
    (found,) = [d for d in datasets if d.kind == kind]
    return found


def issue_codes(dataset):
    return [i.code for i in dataset.issues]


# --- risks -------------------------------------------------------------------------------------------


def test_merged_block_rows_belong_to_one_risk():
    rows = [
        ["Risk", "Title", "Initial", "Current", "Target", "Key controls"],
        ["3.1", "Primary care capacity", "4.x 4 = 16", "4 x 4 = 16", "3 x 3 = 9", "Cause one control"],
        [None, None, None, None, None, "Cause two control"],
        [None, None, None, None, None, "Cause three control"],
        ["4.1", "Engagement", "$2 \\times 4 = 8$", "<p>2 x 3 = 6</p>", "1 x 1 = 1", None],
    ]
    risks = one(build(rows, merged=[(1, 0, 3, 0), (1, 1, 3, 1), (1, 2, 3, 2)]), "risks")
    first, second = risks.records
    assert (first["ref"], first["initial_score"], first["target_likelihood"]) == ("3.1", 16, 3)
    assert first["controls"].split("\n") == ["Cause one control", "Cause two control", "Cause three control"]
    assert (second["initial_likelihood"], second["initial_consequence"], second["current_score"]) == (2, 4, 6)
    assert issue_codes(risks) == []


def test_score_strings_with_rag_words_and_a_stated_score_that_is_not_l_times_c():
    rows = [
        ["Risk", "Year Start Risk Score", "Current Risk Score", "Target Risk Score"],
        ["QIPP delivery", "20 4x5 Red", "20 4x4", "16 Red"],
        ["Workforce", "12 Amber", "4 Yellow", "3 1x3 Green"],
    ]
    risks = one(build(rows), "risks")
    qipp, workforce = risks.records
    assert (qipp["current_likelihood"], qipp["current_consequence"], qipp["current_score"]) == (4, 4, 20)
    assert qipp["target_score"] == 16 and qipp["target_likelihood"] is None
    assert workforce["target_likelihood"] == 1 and workforce["target_consequence"] == 3
    assert issue_codes(risks) == ["score_mismatch"] and risks.issues[0].cell == "S!C2"


def test_three_by_three_register_with_words_and_a_residual_band():
    rows = [
        [
            "Risk ID",
            "Description of Risk",
            "Probability (Likelihood)",
            "Impact",
            "Overall Risk Rating",
            "Residual Risk",
        ],
        [1, "Estates", "Medium", "Medium", "Medium", "Low"],
        [2, "IT", "Low", "Medium", "High", "Medium"],
    ]
    risks = one(build(rows), "risks")
    estates, it = risks.records
    assert estates["scale"] == "3x3" and (estates["initial_likelihood"], estates["initial_score"]) == (2, 4)
    assert estates["current_score"] is None  # a band word alone is not a score to place
    assert (estates["current_band"], it["current_band"]) == ("low", "moderate")
    assert estates["initial_band"] is None  # the initial position has likelihood and impact
    assert it["initial_score"] == 2
    assert sorted(set(issue_codes(risks))) == ["band_word_only", "rating_mismatch"]


def test_a_band_column_is_kept_where_a_stage_has_no_score_and_checked_where_it_has_one():
    rows = [
        ["Ref", "Title", "Current Score", "Current Band", "Target Band"],
        ["R1", "Estates", None, "Extreme", "Moderate"],
        ["R2", "IT", 4, "High", None],
        ["R3", "Data", None, "Severe", None],
    ]
    risks = one(build(rows), "risks")
    estates, it, data = risks.records
    assert (estates["current_band"], estates["target_band"], estates["current_score"]) == ("extreme", "moderate", None)
    assert it["current_band"] is None and it["current_score"] == 4
    assert data["current_band"] is None
    issues = {i.cell: i.code for i in risks.issues}
    assert issues == {"S!D3": "rating_mismatch", "S!D4": "unknown_band"}


def test_unknown_level_word_is_a_warning_with_its_cell():
    rows = [["Ref", "Title", "Likelihood", "Consequence"], ["R1", "A", "LIKELY", "HUGE"], ["R2", "B", "RARE", "MINOR"]]
    risks = one(build(rows), "risks")
    assert [i.cell for i in risks.issues if i.code == "unknown_level"] == ["S!D2"]
    assert risks.records[1]["current_score"] == 2


def test_section_rows_become_the_objective():
    rows = [["Risk", "Current Score"], ["Quality"], ["Falls", 12], ["Finance"], ["Overspend", 16]]
    risks = one(build(rows), "risks")
    assert [(r["title"], r["objective"]) for r in risks.records] == [("Falls", "Quality"), ("Overspend", "Finance")]


# --- QIPP --------------------------------------------------------------------------------------------

SCHEMES = [
    ["Ref", "Scheme", "Area", "Stage", "RAG", "Net value £'000"],
    ["Q1", "A", "Prescribing", "1 - Initiation", "Green", 100],
    ["Q2", "B", "Prescribing", "3 - Delivery", "Red", 50],
    ["Q3", "C", "CHC", "0 - Pipeline", "Red", 30],
]


def test_stage_matrix_is_checked_against_the_schemes():
    matrix = [
        ["Expenditure area", "0 - Pipeline", None, "1 - Initiation", None, "3 - Delivery", None, "QIPP Target"],
        [None, "No.", "Value", "No.", "Value", "No.", "Value", None],
        ["Prescribing", 0, None, 1, 100, 1, 55, 200],
        ["CHC", 1, 30, None, None, None, None, 50],
        ["Totals", 1, 30, 1, 100, 1, 55, 250],
    ]
    datasets = build(SCHEMES, name="Tracker") + build(matrix, name="Matrix")
    targets = one(datasets, "qipp_targets")
    assert [(r["area"], r["target"]) for r in targets.records] == [("Prescribing", 200), ("CHC", 50)]
    issues = cross_check(
        [d for d in datasets if d.kind == "qipp_schemes"], [d for d in datasets if d.kind == "qipp_stage_matrix"]
    )
    (mismatch,) = [i for i in issues if i.code == "summary_mismatch"]
    assert mismatch.cell == "Matrix!G3" and "55" in mismatch.message and "50" in mismatch.message


def test_rag_summary_is_checked_against_the_schemes():
    summary = [
        ["Status", "RAG", "Net Value", "Risk adjusted"],
        ["Schemes in delivery", "Red", 50, 30],
        [None, "Green", 100, 100],
        ["Pipeline", "Red", 35, 15],
        [None, None, 185, 145],
    ]
    datasets = build(SCHEMES, name="Tracker") + build(summary, name="RAG")
    issues = cross_check(
        [d for d in datasets if d.kind == "qipp_schemes"], [d for d in datasets if d.kind == "qipp_rag_summary"]
    )
    (mismatch,) = [i for i in issues if i.code == "summary_mismatch"]
    assert mismatch.cell == "RAG!C4" and "35" in mismatch.message and "30" in mismatch.message
    rag = one(datasets, "qipp_rag_summary")
    assert issue_codes(rag) == []  # its own totals add up


def test_scheme_rag_must_be_red_amber_or_green():
    rows = [SCHEMES[0], ["Q1", "A", "CHC", 2, "Blue", 10], ["Q2", "B", "CHC", 7, "G", "ten"]]
    schemes = one(build(rows), "qipp_schemes")
    assert [r["rag"] for r in schemes.records] == [None, "green"]
    assert schemes.records[1]["stage"] is None and schemes.records[1]["value"] is None
    warnings = sorted(i.code for i in schemes.issues if i.severity == "warning")
    assert warnings == ["unknown_rag", "unknown_stage", "unreadable_number"]


# --- finance -----------------------------------------------------------------------------------------


def test_plan_in_millions_by_magnitude():
    small = [
        ["£m", "2012/13", "2013/14", "Total"],
        ["Growth", 16.28, 15.62, 31.9],
        ["Pressures", "(5.62)", "(5.62)", "(11.24)"],
    ]
    plan = one(build(small), "finance_plan")
    values = {(r["line"], r["plan_column"]): r["value"] for r in plan.records}
    assert values[("Growth", "2012/13")] == 16280 and values[("Pressures", "Total")] == -11240
    assert "unit_mismatch" not in issue_codes(plan)
    large = [["£m", "FOT", "Growth", "Plan"], ["Acute", "584,262", "23,367", "600,814"]]
    plan = one(build(large), "finance_plan")
    assert plan.records[0]["value"] == 584262 and "unit_mismatch" in issue_codes(plan)


def test_risks_and_mitigations_in_millions_with_sections_and_total():
    rows = [
        ["Risks and mitigations", "Total Risk", "Mitigated Risk", "In forecast", "Residual risk"],
        ["Plan risks"],
        ["Acute", -4, 0, 0, 0],
        ["DTOC", -1.9, -0.2, 0, -0.2],
        ["Total Risk Position", -5.9, -0.2, 0, -0.3],
    ]
    risks = one(build(rows), "finance_risks")
    assert [(r["section"], r["item"], r["total_risk"]) for r in risks.records[:2]] == [
        ("Plan risks", "Acute", -4000),
        ("Plan risks", "DTOC", -1900),
    ]
    assert risks.records[2]["is_total"]
    (mismatch,) = [i for i in risks.issues if i.code == "total_mismatch"]
    assert mismatch.cell == "S!E5" and "-300" in mismatch.message and "-200" in mismatch.message


def test_month_position_with_unlabelled_label_column_and_derived_line():
    rows = [
        ["Month 9 position 2019/20"],
        [None, "YTD Budget", "YTD Actual", "Variance"],
        ["Allocation", 1000, 1000, 0],
        ["Acute", 600, 620, -20],
        ["Community", 400, 390, 10],
        ["Total Expenditure", 1000, 1010, -10],
        ["In year surplus", 0, -10, -10],
    ]
    lines = one(build(rows), "finance_lines")
    assert [r["line"] for r in lines.records][-1] == "In year surplus"
    assert {(r["month"], r["financial_year"]) for r in lines.records} == {(9, "2019/20")}
    assert [r["is_total"] for r in lines.records] == [False, False, False, True, False]
    assert issue_codes(lines) == ["unit_assumed"]  # no unit stated: read as £'000, and said so


# --- activity ----------------------------------------------------------------------------------------


def test_activity_checks_do_nothing_qipp_and_children():
    months = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
    rows = [
        ["Code", "Title", "Do Nothing", "QIPP", "Plan", *months],
        ["E.1", "Referrals", 130, -10, 120, *[10] * 12],
        ["E.1a", "GP", 70, -5, 66, *[5] * 12],
        ["E.1b", "Other", 60, -5, 55, *[5] * 11, 0],
    ]
    datasets = build(rows)
    monthly, annual = one(datasets, "activity"), one(datasets, "activity_annual")
    assert len(monthly.records) == 36 and monthly.records[9]["month"] == "2019-01-01"
    assert [i.cell for i in annual.issues] == ["S!E3", "S!E2"]  # 70-5 is not 66; 66+55 is not 120
    assert [i.cell for i in monthly.issues] == ["S!E3"]  # 60 by month against 66


# --- actions -----------------------------------------------------------------------------------------


def test_actions_refs_carried_down_with_letters():
    rows = [
        ["Ref", "Requirement", "Action", None, "Due Date", "GB Owner", "RAG", "Status"],
        ["Leadership"],
        [1, "Lead", "a GB to formally sign off", None, "24-May", "Chair", "Complete", "Closed"],
        [None, None, "b Second action", None, "Immediate", "AO", "On-Track", "Open"],
        [2, "Next", "a", "Agree governance", "03-Dec", "CFO", "Not Started", "Not Started"],
        [None, None, "b", "Sign off", "Ongoing (Start in June)", "CFO", "Delayed", "Open"],
    ]
    actions = one(build(rows, merged=[(0, 2, 0, 3)]), "actions")
    assert [(r["ref"], r["action"]) for r in actions.records] == [
        ("1a", "GB to formally sign off"),
        ("1b", "Second action"),
        ("2a", "Agree governance"),
        ("2b", "Sign off"),
    ]
    assert [r["rag"] for r in actions.records] == ["blue", "green", "grey", "red"]
    assert actions.records[0]["due_date"] == "2018-05-24" and actions.records[2]["due_date"] == "2018-12-03"
    assert {r["area"] for r in actions.records} == {"Leadership"}
    assert issue_codes(actions) == []


def test_summary_with_last_report_and_total_check():
    rows = [
        ["Improvement Areas", "Red", "Amber", "Green", "Blue"],
        ["1. Leadership", 1, 0, 1, 25],
        ["2. Finance", 1, 1, 1, 10],
        ["Total", 2, 1, 2, 36],
        ["Last report (01/02/19)", 7, 9, 11, 70],
    ]
    summary = one(build(rows, ctx=Context(as_at="2019-03-14")), "action_summary")
    assert [(r["area"], r["report_date"], r["total"]) for r in summary.records] == [
        ("1. Leadership", "2019-03-14", 27),
        ("2. Finance", "2019-03-14", 13),
        ("Last report (01/02/19)", "2019-02-01", 97),
    ]
    (mismatch,) = summary.issues
    assert mismatch.code == "total_mismatch" and mismatch.cell == "S!E4"


def test_concern_report_revised_and_original_deadlines():
    rows = [
        ["Action no", "Action", "deadline", "Concern", "first raised at CMT?", "Open/closed"],
        ["1.10", "Update OD Strategy", "30/11/18 (01/09/18)", "Overdue", "01-Sep", "Open"],
        ["2.8", "Contract review", "Apr-18", "Slippage in deadline", "1st Oct", "Closed"],
    ]
    concerns = one(build(rows), "action_concerns")
    first, second = concerns.records
    assert (first["due_date"], first["original_due_date"], first["first_raised"]) == (
        "2018-11-30",
        "2018-09-01",
        "01-Sep",
    )
    assert second["due_date"] == "2018-04-30" and second["status"] == "Closed"


def test_a_row_with_figures_but_no_identity_is_an_error_with_its_row():
    rows = [SCHEMES[0], ["Q1", "A", "CHC", 1, "Red", 10], [None, None, "CHC", 1, "Red", 99]]
    schemes = one(build(rows), "qipp_schemes")
    (error,) = [i for i in schemes.issues if i.severity == "error"]
    assert error.code == "unreadable_row" and error.cell == "S!A3"
    assert len(schemes.records) == 1


def test_a_position_without_a_label_column_is_an_error_for_the_dataset():
    rows = [["YTD Budget", "YTD Actual", "YTD Variance"], [10, 8, 2]]
    lines = one(build(rows), "finance_lines")
    assert [i.code for i in lines.issues if i.severity == "error"] == ["missing_column"] and lines.records == []
