"""Improvement-plan, activity and cover-sheet layouts as ICBs keep them today, built in code.

Each builder returns the bytes of one workbook; ``tests/test_current_actions.py`` holds what each must read as.
"""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import PatternFill

MONTHS = ["Apr-24", "May-24", "Jun-24", "Jul-24", "Aug-24", "Sep-24", "Oct-24", "Nov-24", "Dec-24", "Jan-25", "Feb-25"]
MONTHS.append("Mar-25")


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cover(book: Workbook, lines: list[tuple]) -> None:
    sheet = book.active
    sheet.title = "Cover"
    for line in lines:
        sheet.append(list(line))


def _key_sheet(book: Workbook, title: str = "Key") -> None:
    key = book.create_sheet(title)
    key.append(["Status", "Meaning"])
    for word, meaning in (
        ("Complete", "The action is done and evidenced"),
        ("On track", "Will be delivered by the deadline"),
        ("At risk", "The deadline may be missed"),
        ("Off track", "The deadline will be missed"),
        ("Not started", "Work has not begun"),
    ):
        key.append([word, meaning])


def recommendations_in_a_column() -> bytes:
    """A CQC-style improvement plan: Rec No. written once per recommendation (merged down), Action No.,
    Original and Revised deadline columns, a status column of words, a progress narrative; a cover sheet
    with the organisation, 'Position at ...' and a small status key; an instructions sheet."""
    book = Workbook()
    _cover(
        book,
        [
            ("NHS Northshire Integrated Care Board",),
            ("Well-led improvement plan",),
            ("Position at 30 September 2024",),
            (),
            ("Status", "Meaning"),
            ("Complete", "Done and evidenced"),
            ("On track", "Will be met"),
            ("Off track", "Will be missed"),
        ],
    )
    notes = book.create_sheet("Instructions")
    notes.append(["How to complete this tracker"])
    notes.append(["Update the progress column by the 5th working day of each month."])
    notes.append(["Use the status words on the Cover sheet only."])
    plan = book.create_sheet("Action Plan")
    plan.append(["Well-led improvement plan 2024/25"])
    plan.append([])
    plan.append(
        [
            "Rec No.",
            "Recommendation",
            "Action No.",
            "Action",
            "Lead",
            "Original Deadline",
            "Revised Deadline",
            "Status",
            "Progress Update",
        ]
    )
    rows = [
        (
            "1",
            "Strengthen board oversight of quality",
            "1.1",
            "Refresh the quality committee terms of reference",
            "Chief Nurse",
            datetime(2024, 6, 30),
            None,
            "Complete",
            "Approved by the Board in June.",
        ),
        (
            None,
            None,
            "1.2",
            "Introduce a quality dashboard to every Board meeting",
            "Chief Nurse",
            datetime(2024, 7, 31),
            datetime(2024, 11, 30),
            "Amber - at risk",
            "Data feeds delayed by the supplier.",
        ),
        (
            "2",
            "Improve the management of waiting lists",
            "2.1",
            "Validate every waiting list over 52 weeks",
            "Chief Operating Officer",
            datetime(2024, 9, 30),
            None,
            "On track",
            "80% validated.",
        ),
        (
            None,
            None,
            "2.2",
            "Publish harm reviews for patients waiting over 104 weeks",
            "Medical Director",
            datetime(2024, 8, 31),
            datetime(2025, 1, 31),
            "Off track",
            None,
        ),
        (
            None,
            None,
            "2.3",
            "Agree a system-wide validation standard",
            "Chief Operating Officer",
            datetime(2025, 3, 31),
            None,
            "Not started",
            "Due to start in January.",
        ),
    ]
    for row in rows:
        plan.append(list(row))
    plan.append([])
    plan.append(["Key"])
    plan.append([None, None, "Complete", "Delivered and evidenced"])
    plan.append([None, None, "On track", "Will be delivered by the deadline"])
    plan.merge_cells("A4:A5")
    plan.merge_cells("B4:B5")
    plan.merge_cells("A6:A8")
    plan.merge_cells("B6:B8")
    return _saved(book)


def recommendation_headings() -> bytes:
    """A recommendation written as a heading row above its actions; deadlines written 'revised (original)';
    RAG only as the status cell's fill colour; a legend sheet and a dashboard sheet."""
    book = Workbook()
    _cover(book, [("Organisation:", "NHS Southvale ICB"), ("Period ending", "31 October 2024")])
    sheet = book.create_sheet("Tracker")
    sheet.append(["SEND written statement of action"])
    sheet.append(["Ref", "Action", "Action Owner", "Deadline", "RAG", "Latest Update"])
    fills = {"blue": "0070C0", "green": "00B050", "amber": "FFC000", "red": "FF0000"}
    rows = [
        ("Recommendation 1: Joint commissioning of therapies",),
        (
            "1.1",
            "Map current therapy provision",
            "Head of Joint Commissioning",
            "30/09/24",
            "blue",
            "Mapping complete.",
        ),
        (
            "1.2",
            "Agree a pooled budget for therapies",
            "Director of Finance",
            "31/12/24 (30/09/24)",
            "amber",
            "Legal advice awaited.",
        ),
        ("Recommendation 2: Timeliness of EHC plans",),
        ("2.1", "Recruit two designated clinical officers", "Chief Nurse", "31/01/25", "green", "Interviews booked."),
        (
            "2.2",
            "Weekly tracking of plans past 20 weeks",
            "Designated Clinical Officer",
            "Ongoing",
            "red",
            "Backlog grew in October.",
        ),
    ]
    for row in rows:
        values = list(row)
        colour = values[4] if len(values) > 4 else None
        if colour:
            values[4] = None
        sheet.append(values)
        if colour:
            cell = sheet.cell(row=sheet.max_row, column=5)
            cell.fill = PatternFill("solid", fgColor=fills[colour])
    legend = book.create_sheet("Legend")
    legend.append(["Colour", "Meaning"])
    legend.append(["Blue", "Complete"])
    legend.append(["Green", "On track"])
    legend.append(["Amber", "At risk"])
    legend.append(["Red", "Off track"])
    dashboard = book.create_sheet("Dashboard")
    dashboard.append(["Area", "Blue", "Green", "Amber", "Red", "Total"])
    dashboard.append(["All actions", 1, 1, 1, 1, 4])
    return _saved(book)


def target_and_revised_dates() -> bytes:
    """Recommendation text merged down beside its actions, 'Target Date' and 'Revised Target Date', a status
    column of compound words and no RAG column, an update column named for its month."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Improvement Plan"
    sheet.append(["NHS Eastvale ICB - Safeguarding improvement plan"])
    sheet.append(["Progress as at 31 October 2024"])
    sheet.append(
        ["Ref", "Recommendation", "Actions", "Executive Lead", "Target Date", "Revised Target Date", "Status",
         "Update (October 2024)"]
    )  # fmt: skip
    rows = [
        ("1.1", "1. The ICB should strengthen safeguarding supervision", "Agree a supervision policy",
         "Chief Nurse", "31/03/2024", None, "Complete", "Policy approved in March."),
        ("1.2", None, "Audit supervision uptake", "Chief Nurse", "30/06/2024", "30/09/2024", "Green - on track",
         "Audit fieldwork finished."),
        ("2.1", "2. The ICB should improve learning from reviews", "Publish a learning briefing each quarter",
         "Medical Director", "31/07/2024", "31/12/2024", "Amber – at risk", "Q2 briefing drafted late."),
        ("2.2", None, "Train GP safeguarding leads", "Medical Director", "30/09/2024", None, "Red - off track",
         None),
    ]  # fmt: skip
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("B4:B5")
    sheet.merge_cells("B6:B7")
    return _saved(book)


def activity_plan_and_actual_sheets() -> bytes:
    """An operating plan with the plan on one sheet and the actuals on another, POD code columns."""
    book = Workbook()
    _cover(book, [("NHS Northshire ICB",), ("Operating plan monitoring 2024/25",), ("Position at 31 August 2024",)])
    plan = book.create_sheet("Plan")
    plan.append(["Activity plan 2024/25"])
    plan.append(["POD code", "Point of delivery", *MONTHS])
    plan.append(["EL", "Elective inpatients", *[100 + m for m in range(12)]])
    plan.append(["OPFA", "First outpatient attendances", *[500 + 10 * m for m in range(12)]])
    actual = book.create_sheet("Actual")
    actual.append(["Activity actuals 2024/25"])
    actual.append(["POD code", "Point of delivery", *MONTHS[:5]])
    actual.append(["EL", "Elective inpatients", 98, 103, 99, 110, 101])
    actual.append(["OPFA", "First outpatient attendances", 512, 505, 530, 541, 520])
    actual.append(["AE", "A&E attendances", 900, 910, 950, 940, 930])
    return _saved(book)


def activity_plan_and_actual_blocks() -> bytes:
    """Plan and actual as two blocks on one sheet, each under its own title."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Activity"
    sheet.append(["NHS Southvale ICB activity 2024/25"])
    sheet.append(["Plan"])
    sheet.append(["Code", "Measure", *MONTHS[:6]])
    sheet.append(["NEL", "Non-elective admissions", 300, 310, 305, 298, 302, 315])
    sheet.append(["DC", "Day cases", 800, 820, 790, 805, 810, 830])
    sheet.append([])
    sheet.append(["Actual"])
    sheet.append(["Code", "Measure", *MONTHS[:6]])
    sheet.append(["NEL", "Non-elective admissions", 320, 305, 311, 290, None, None])
    sheet.append(["DC", "Day cases", 780, 840, 801, 812, None, None])
    return _saved(book)


def annual_plan_only() -> bytes:
    """An annual activity plan with only a plan column: no do-nothing, QIPP or outturn columns."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Annual plan"
    sheet.append(["NHS Northshire ICB operating plan 2024/25"])
    sheet.append(["POD code", "Point of delivery", "Plan 2024/25"])
    sheet.append(["EL", "Elective inpatients", 1400])
    sheet.append(["NEL", "Non-elective admissions", 3600])
    sheet.append(["OPFU", "Follow-up outpatient attendances", 12500])
    return _saved(book)


VARIANTS = {
    "actions_recommendation_column.xlsx": recommendations_in_a_column,
    "actions_recommendation_headings.xlsx": recommendation_headings,
    "actions_target_and_revised_dates.xlsx": target_and_revised_dates,
    "activity_plan_actual_sheets.xlsx": activity_plan_and_actual_sheets,
    "activity_plan_actual_blocks.xlsx": activity_plan_and_actual_blocks,
    "activity_annual_plan_only.xlsx": annual_plan_only,
}
