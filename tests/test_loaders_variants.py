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
    header = ["Risk Ref", "Risk Description", "Risk Owner", "Inherent Likelihood", "Inherent Impact", "Inherent Score",
              "Residual Likelihood", "Residual Impact", "Residual Score", "Target Score", "Date of last review", "Status"]  # fmt: skip
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
    tracker.append(["Scheme ID", "Scheme Name", "Workstream", "Gateway Stage", "Delivery RAG", "Annual Saving (£)", "SRO", "Recurrent?"])  # fmt: skip
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
