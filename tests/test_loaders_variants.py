"""Workbooks laid out unlike any sample: other wording, units in pounds, fill-only RAG, odd stage words."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import PatternFill

import loaders


def ics_workbook() -> bytes:
    book = Workbook()
    risks = book.active
    risks.title = "Corporate Risk Register"
    risks["B1"] = "NHS Somewhere Integrated Care Board"
    risks["B2"] = "Corporate Risk Register"
    risks["B3"] = "Reporting period: Q2 2023/24 (as at 30/09/2023)"
    header = [
        "Risk Ref",
        "Risk Description",
        "Risk Owner",
        "Inherent Likelihood",
        "Inherent Impact",
        "Inherent Score",
        "Residual Likelihood",
        "Residual Impact",
        "Residual Score",
        "Target Score",
        "Date of last review",
        "Status",
    ]
    rows = [
        ["CRR01", "Workforce shortfall", "Director of People", 4, 4, 16, 4, 3, 12, 6, date(2023, 9, 1), "Open"],
        ["CRR10", "Estates backlog", "CFO", 3, 3, 9, 3, 3, 9, 4, "14/07/2023", "Open"],
    ]
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            risks.cell(row=5 + r, column=2 + c, value=value)
    tracker = book.create_sheet("Savings Tracker")
    tracker.append(["Efficiency programme 2023/24"])
    tracker.append([])
    tracker.append(
        [
            "Scheme ID",
            "Scheme Name",
            "Workstream",
            "Gateway Stage",
            "Delivery RAG",
            "Annual Saving (£)",
            "SRO",
            "Recurrent?",
        ]
    )
    tracker.append(["S1", "Biosimilars", "Medicines", "Delivery", None, "£250,000", "Chief Pharmacist", "Yes"])
    tracker.append(["S2", "Outpatients", "Planned care", "Planning", "Amber", "1,200,000", "COO", "No"])
    tracker.append(["S3", "CHC review", "Continuing care", "Idea", "Red", 300000, "CNO", "Yes"])
    tracker["E4"].fill = PatternFill("solid", fgColor="00B050")
    notes = book.create_sheet("Notes")
    notes.append(["Colour", "Meaning"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_differently_worded_workbook_loads_every_table():
    result = loaders.load_workbook(ics_workbook(), "ics.xlsx")
    assert (result.org, result.as_at) == ("NHS Somewhere Integrated Care Board", "2023-09-30")
    kinds = {d.kind: d for d in result.datasets}
    risk = kinds["risks"].records[0]
    assert (risk["ref"], risk["initial_score"], risk["current_likelihood"], risk["current_consequence"]) == (
        "CRR01",
        16,
        4,
        3,
    )
    assert kinds["risks"].records[1]["last_reviewed"] == "2023-07-14"
    schemes = kinds["qipp_schemes"].records
    assert [s["value"] for s in schemes] == [250, 1200, 300]  # pounds to GBP thousands
    assert [s["rag"] for s in schemes] == ["green", "amber", "red"]  # S1 from its fill alone
    assert [s["stage"] for s in schemes] == [3, 2, 0]  # "Idea" is a pipeline scheme
    assert not [i for d in result.datasets for i in d.issues if i.severity != "info"]


def test_a_sheet_with_no_known_table_is_said_not_silently_skipped():
    result = loaders.load_workbook(ics_workbook(), "ics.xlsx")
    said = [i for i in result.issues if i.code == "sheet_not_read"]
    assert [i.cell for i in said] == ["Notes"]


def recovery_workbook() -> bytes:
    book = Workbook()
    log = book.active
    log.title = "Recovery Plan"
    for row in (
        ["Financial Recovery Plan - action log"],
        ["Organisation: NHS Northshire ICB"],
        ["Date: 31 January 2024"],
        [],
    ):
        log.append(row)
    log.append(
        [
            "Action No",
            "Workstream",
            "Action Description",
            "Lead",
            "Target Date",
            "BRAG",
            "Progress update",
            "Last updated",
        ]
    )
    log.append(
        ["1.1", "Governance", "Refresh scheme of delegation", "Director", date(2023, 12, 31), "B", "Done", "12/01/24"]
    )
    log.append([1.1, "Finance", "Grip and control panel", "CFO", "30/11/23 (31/10/23)", "R", "Slipped", "12/01/24"])
    log.append(["2.1", "Finance", "Agency cap", "CPO", "Q4 2023/24", "A", "", "12/01/24"])
    log["A7"].number_format = "0.00"
    activity = book.create_sheet("Activity")
    activity.append(["Point of delivery", "Measure", date(2023, 4, 1), date(2023, 5, 1), date(2023, 6, 1)])
    activity.append(["Elective spells", "Plan", 1000, 1100, 1050])
    activity.append(["Elective spells", "Actual", 980, 1150, None])
    activity.append(["Elective spells", "Variance", -20, 50, None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_action_log_with_its_own_words():
    result = loaders.load_workbook(recovery_workbook(), "recovery.xlsx")
    assert (result.org, result.as_at) == ("NHS Northshire ICB", "2024-01-31")
    actions = next(d for d in result.datasets if d.kind == "actions").records
    assert [a["ref"] for a in actions] == ["1.1", "1.10", "2.1"]  # 1.10 stored as the number 1.1 shown as 1.10
    assert [a["rag"] for a in actions] == ["blue", "red", "amber"]
    assert (actions[1]["due_date"], actions[1]["original_due_date"]) == ("2023-11-30", "2023-10-31")
    assert actions[2]["due_date"] == "2024-03-31"


def test_plan_and_actual_rows_are_told_apart_by_their_series_column():
    result = loaders.load_workbook(recovery_workbook(), "recovery.xlsx")
    activity = next(d for d in result.datasets if d.kind == "activity")
    by_month = {r["month"]: (r["plan"], r["actual"]) for r in activity.records}
    assert by_month == {"2023-04-01": (1000, 980), "2023-05-01": (1100, 1150), "2023-06-01": (1050, None)}
    assert {r["code"] for r in activity.records} == {"Elective spells"}
    assert any(i.code == "skipped_row" or "Variance" in i.message for i in activity.issues)


def test_variances_stated_adverse_positive_are_turned_favourable_positive_and_said_so():
    book = Workbook()
    sheet = book.active
    sheet.title = "M10"
    sheet.append(["Month 10 2019/20 position (£000)"])
    sheet.append(
        [
            "Area",
            "Plan YTD",
            "Actual YTD",
            "Variance YTD (actual - plan)",
            "Annual Plan",
            "Forecast Outturn",
            "Forecast Variance",
        ]
    )
    sheet.append(["Acute", 1500, 1520, 20, 2000, 2030, 30])
    sheet.append(["Community", 500, 490, -10, 600, 590, -10])
    out = io.BytesIO()
    book.save(out)
    lines = loaders.load_workbook(out.getvalue(), "m10.xlsx", org="X").datasets[0]
    assert [(r["ytd_variance"], r["forecast_variance"]) for r in lines.records] == [(-20, -30), (10, 10)]
    said = [i for i in lines.issues if i.code == "variance_sign"]
    assert [i.cell for i in said] == ["'M10'!D2", "'M10'!G2"]  # quoted: M10 is also a cell name
    assert not [i for i in lines.issues if i.code == "variance_mismatch"]
