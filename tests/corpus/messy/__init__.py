"""Workbooks laid out unlike the samples, generated on demand: ``python -m tests.corpus.messy DIR``.

Each builder returns the workbook's bytes; ``tests/test_loaders_messy.py`` states what each must
load to. Layouts vary the way organisations' own files do: title rows and logos above the header,
columns in another order under other names, extra columns, fills instead of RAG words, numbers
stored as text, two tables on one sheet, hidden sheets, canonical template headers.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import PatternFill


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _book(org: str = "Messy CCG", as_at="As at 31 October 2019") -> tuple[Workbook, object]:
    book = Workbook()
    cover = book.active
    cover.title = "Front page"
    cover.append(["NHS Messy Clinical Commissioning Group"])
    cover.append([])
    cover.append(["Organisation", org])
    cover.append([as_at])
    return book, cover


def fill(colour: str) -> PatternFill:
    return PatternFill("solid", fgColor=colour)


def risk_register_reordered() -> bytes:
    """Columns in another order and wording, logo rows above, an extra column, a hidden column."""
    book, _ = _book()
    sheet = book.create_sheet("BAF Q2")
    sheet.append(["[logo]"])
    sheet.append(["Board Assurance Framework - Quarter 2 2019/20"])
    sheet.append(["Date last reviewed: 14 October 2019"])
    sheet.append([])
    sheet.append(
        [
            "Residual Risk",
            "Risk Description",
            "Notes",
            "Risk No.",
            "Target Risk",
            "Inherent Risk",
            "Executive Lead",
            "Date Reviewed",
        ]
    )
    sheet.append(
        ["3 x 3 = 9", "Financial balance", "see paper", "R-01", "2 x 2 = 4", "4 x 4 = 16", "CFO", "03/10/2019"]
    )
    sheet.append(
        [
            "4 x 4 = 16",
            "Workforce gaps",
            None,
            "R-02",
            "3 x 3 = 9",
            "4 x 5 = 20",
            "Director of HR",
            datetime(2019, 10, 1),
        ]
    )
    sheet.append(["12", "Estates", None, "R-03", "4", "16", "COO", "1st October 2019"])
    sheet.column_dimensions["C"].hidden = True
    return _save(book)


def risk_register_split_columns() -> bytes:
    """Likelihood / consequence / score in separate columns under a group row, words for levels."""
    book, _ = _book()
    sheet = book.create_sheet("Register")
    sheet.append(["Corporate risk register"])
    sheet.append(["ID", "Title", "Owner", "Inherent", None, None, "Residual", None, None, "Target", None, None])
    sheet.append([None, None, None, "L", "C", "Score", "L", "C", "Score", "L", "C", "Score"])
    sheet.append(["CR1", "Cyber attack", "SIRO", "Likely", "Major", 16, "Possible", "Major", 12, "Rare", "Major", 4])
    sheet.append(["CR2", "Flooding", "COO", 2, 5, 10, 2, 4, 9, 1, 4, 4])
    sheet.merge_cells("D2:F2")
    sheet.merge_cells("G2:I2")
    sheet.merge_cells("J2:L2")
    return _save(book)


def scheme_tracker_fills_and_text_numbers() -> bytes:
    """RAG only as fill colours, values as text with commas and brackets, £ in the header, a total row."""
    book, _ = _book()
    sheet = book.create_sheet("Savings")
    sheet.append(["QIPP delivery tracker 2019/20"])
    sheet.append(["Values in £000"])
    sheet.append(
        ["Scheme ID", "Project Name", "Programme", "Gateway", "Delivery Confidence", "Saving £000", "SRO", "Recurrent?"]
    )
    rows = [
        ["S1", "Outpatient follow-up reduction", "Planned Care", "3 - Delivery", "00B050", "1,250", "COO", "Yes"],
        ["S2", "Biosimilars switch", "Prescribing", "Planning", "FFC000", "(40)", "Head of Meds Opt", "N"],
        ["S3", "Falls pathway", "Community", 1, "FF0000", "300", "Director of Nursing", "Y"],
        ["S4", "Idea: digital first", "Community", "0 - Pipeline", None, "75", "CIO", "N"],
    ]
    for row in rows:
        colour = row[4]
        row[4] = None
        sheet.append(row)
        if colour:
            sheet.cell(sheet.max_row, 5).fill = fill(colour)
    sheet.append(["Total", None, None, None, None, "1,585", None, None])
    return _save(book)


def two_tables_on_one_sheet() -> bytes:
    """A targets table and, below it after blank rows, an action tracker with section rows."""
    book, _ = _book()
    sheet = book.create_sheet("Summary")
    sheet.append(["QIPP targets by programme"])
    sheet.append(["Programme", "Savings Target"])
    sheet.append(["Planned Care", 2000])
    sheet.append(["Prescribing", "1,500"])
    sheet.append(["Totals", 3500])
    sheet.append([])
    sheet.append([])
    sheet.append(["Recovery actions"])
    sheet.append(["Action Ref", "Action Required", "Lead", "Deadline", "BRAG"])
    sheet.append(["Governance"])
    sheet.append(["G1", "Refresh standing orders", "Board Secretary", "30/11/19 (30/09/19)", "Amber"])
    sheet.append(["G2", "Appoint audit chair", "Chair", "Ongoing", None])
    sheet.append(["Finance"])
    sheet.append(["F1", "Monthly deep dives", "CFO", date(2019, 12, 31), None])
    sheet.cell(sheet.max_row, 5).fill = fill("0070C0")
    sheet.append(["F2", "Grip and control panel", "CFO", "sometime soon", "Green"])
    return _save(book)


def canonical_headers() -> bytes:
    """A workbook in the blank template's own headers (canonical field names), marked synthetic."""
    book, cover = _book("Demo CCG", as_at="As at: 2019-06-30")
    cover.append(["This workbook holds synthetic demo data."])
    cover.append(["assurance-dashboard:synthetic-demo-data"])
    sheet = book.create_sheet("finance_lines")
    sheet.append(
        [
            "line",
            "ytd_budget",
            "ytd_actual",
            "ytd_variance",
            "annual_budget",
            "forecast_outturn",
            "forecast_variance",
            "is_total",
            "financial_year",
            "month",
        ]
    )
    sheet.append(["Acute", 100, 110, -10, 400, 420, -20, "N", "2019/20", 3])
    sheet.append(["Primary care", 50, 45, 5, 200, 190, 10, "N", "2019/20", 3])
    sheet.append(["Total", 150, 155, -5, 600, 610, -10, "Y", "2019/20", 3])
    return _save(book)


def activity_with_actuals() -> bytes:
    """Months as real dates over Plan / Actual sub-columns, codes with children, a hidden sheet."""
    book, _ = _book()
    sheet = book.create_sheet("Activity")
    sheet.append(["Activity trajectories 2019/20"])
    months = [date(2019, 4, 1), date(2019, 5, 1), date(2019, 6, 1)]
    top = ["Measure Code", "Measure", "Annual Plan"]
    sub = [None, None, None]
    for m in months:
        top += [m, None]
        sub += ["Plan", "Actual"]
    sheet.append(top)
    sheet.append(sub)
    sheet.append(["A1", "Referrals", 300, 100, 98, 100, 103, 100, None])
    sheet.append(["A1a", "GP referrals", 180, 60, 61, 60, 60, 60, None])
    sheet.append(["A1b", "Other referrals", 120, 40, 37, 40, 43, 40, None])
    hidden = book.create_sheet("Old risks")
    hidden.append(["Ref", "Risk", "Current score"])
    hidden.append(["X1", "Legacy risk", "3 x 3 = 9"])
    hidden.sheet_state = "hidden"
    return _save(book)


def finance_two_row_header() -> bytes:
    """Year-to-date and forecast groups over Budget / Actual / Variance, unlabelled label column, £m."""
    book, _ = _book()
    sheet = book.create_sheet("M6")
    sheet.append(["Finance report month 6 2019/20 (£m)"])
    sheet.append([None, "Year to date", None, None, "Full year", None, None])
    sheet.append([None, "Budget", "Actual", "Variance", "Budget", "Forecast", "Variance"])
    sheet.append(["Acute", 10.5, 11.0, -0.5, 21.0, 22.0, -1.0])
    sheet.append(["Community", 4.0, 3.5, 0.5, 8.0, 7.5, 0.5])
    sheet.append([None, 14.5, 14.5, 0.0, 29.0, 29.5, -0.5])
    sheet.merge_cells("B2:D2")
    sheet.merge_cells("E2:G2")
    return _save(book)


BUILDERS = {
    "risk-register-reordered.xlsx": risk_register_reordered,
    "risk-register-split-columns.xlsx": risk_register_split_columns,
    "scheme-tracker-fills.xlsx": scheme_tracker_fills_and_text_numbers,
    "two-tables-one-sheet.xlsx": two_tables_on_one_sheet,
    "canonical-headers.xlsx": canonical_headers,
    "activity-with-actuals.xlsx": activity_with_actuals,
    "finance-two-row-header.xlsx": finance_two_row_header,
}


def write_corpus(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in BUILDERS.items():
        path = directory / name
        path.write_bytes(build())
        paths.append(path)
    return paths
