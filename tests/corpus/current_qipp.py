"""QIPP and savings trackers laid out as ICBs keep them today: phased by month under Plan and Actual groups, a
Plan / Actual series column with a row of each, a units row under the header, figures in pounds or £m, gateway
and Idea / Plan / Deliver stage words, and monthly phasing one row per scheme and month."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook

MONTHS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Scheme ID, name, programme, gateway, RAG, lead, annual saving, plan by month, actual Apr-Sep, YTD plan,
# YTD actual, forecast (£'000).
PHASED = [
    (
        "NF-01",
        "Medicines optimisation in care homes",
        "Prescribing",
        "Gateway 3",
        "Green",
        "Head of Medicines",
        480,
        [40] * 12,
        [38, 41, 40, 39, 42, 40],
        240,
        240,
        478,
    ),
    (
        "NF-02",
        "Outpatient follow-up reduction",
        "Planned Care",
        "Gateway 2",
        "Amber",
        "Planned Care Lead",
        650,
        [0, 0, 50, 50, 50, 50, 50, 50, 75, 75, 100, 100],
        [0, 0, 30, 35, 40, 45],
        200,
        150,
        520,
    ),
    (
        "NF-03",
        "Continuing healthcare review",
        "CHC",
        "Gateway 4",
        "Red",
        None,
        300,
        [25] * 12,
        [10, 12, 15, 11, 9, 13],
        150,
        75,
        180,
    ),
    (
        "NF-04",
        "Urgent care streaming",
        "Urgent Care",
        "Gateway 0",
        None,
        "UEC Director",
        200,
        [0] * 8 + [50] * 4,
        [],
        0,
        0,
        150,
    ),
]


def phased_groups() -> bytes:
    """Month columns under merged Plan and Actual group headers, year-to-date and forecast columns, £000s in
    the title, gateway stages, and a total row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "QIPP Tracker"
    sheet["A1"] = "NHS Northfield ICB"
    sheet["A2"] = "QIPP Savings Tracker 2024/25 (£000s)"
    sheet["A3"] = "Position at 30 September 2024"
    fixed = ["Scheme ID", "Scheme Name", "Programme", "Gateway", "Delivery RAG", "Lead", "Annual Saving"]
    tail = ["YTD Plan", "YTD Actual", "Forecast Outturn"]
    top = fixed + ["Plan"] + [None] * 11 + ["Actual"] + [None] * 11 + tail
    plan_months = [f"{m}-{24 if i < 9 else 25}" for i, m in enumerate(MONTHS)]
    actual_months = [datetime(2024 + (i >= 9), (i + 3) % 12 + 1, 1) for i in range(12)]  # dates, as Excel keeps them
    sub = [None] * len(fixed) + plan_months + actual_months + [None] * 3
    sheet.append([])
    sheet.append(top)
    sheet.append(sub)
    sheet.merge_cells(start_row=5, start_column=8, end_row=5, end_column=19)
    sheet.merge_cells(start_row=5, start_column=20, end_row=5, end_column=31)
    for ref, name, area, stage, rag, lead, value, plan, actual, ytd_plan, ytd_actual, forecast in PHASED:
        actual_cells = actual + [None] * (12 - len(actual))
        sheet.append([ref, name, area, stage, rag, lead, value, *plan, *actual_cells, ytd_plan, ytd_actual, forecast])
    totals = [sum(s[6] for s in PHASED)]
    sheet.append(["Total", None, None, None, None, None, *totals])
    return _save(book)


# Scheme ref, name, stage, RAG, full-year value, plan by month, actual Apr-Aug, YTD plan, YTD actual, forecast (£).
SERIES = [
    (
        "SM-101",
        "Virtual wards step-down",
        "3 (Delivery)",
        "Amber",
        250000,
        [20000] * 6 + [22000, 22000, 21000, 21000, 21000, 23000],
        [18000, 19000, 17000, 20000, 16000],
        100000,
        90000,
        230000,
    ),
    (
        "SM-102",
        "Biosimilar switching",
        "4 (Benefits realisation)",
        "Green",
        120000,
        [10000] * 12,
        [11000, 12000, 10000, 13000, 14000],
        50000,
        60000,
        125000,
    ),
    (
        "SM-103",
        "Estates rationalisation",
        "1 (Idea)",
        "Red",
        90000,
        [0] * 6 + [15000] * 6,
        [0, 0, 0, 0, 0],
        0,
        0,
        60000,
    ),
]


def series_rows() -> bytes:
    """A Plan row and an Actual row per scheme (a Plan / Actual column), month headers as dates, one YTD
    column read by row, figures in pounds, stages written as a number with a name in brackets."""
    book = Workbook()
    sheet = book.active
    sheet.title = "CIP-QIPP"
    sheet["A1"] = "Southmoor ICB"
    sheet["A2"] = "Efficiency and QIPP programme 2025/26 (£)"
    sheet["A3"] = "Period ending 31 August 2025"
    sheet.append([])
    months = [datetime(2025 + (i >= 9), (i + 3) % 12 + 1, 1) for i in range(12)]
    sheet.append(
        ["Scheme Ref", "Scheme", "Stage", "RAG", "Full Year Value", "Plan / Actual", *months, "YTD", "Forecast"]
    )
    for ref, name, stage, rag, value, plan, actual, ytd_plan, ytd_actual, forecast in SERIES:
        sheet.append([ref, name, stage, rag, value, "Plan", *plan, ytd_plan, forecast])
        sheet.append([None, None, None, None, None, "Actual", *actual, *[None] * (12 - len(actual)), ytd_actual])
    return _save(book)


# Code, title, directorate, stage word, RAG, SRO, full-year effect, plan YTD, actual YTD, forecast (£'000).
UNITS_ROW = [
    ("HS-01", "Community MSK pathway", "Planned Care", "Deliver", "Green", "Director of Strategy", 320, 160, 150, 300),
    ("HS-02", "Agency staffing controls", "Workforce", "Plan", "Amber", "Chief People Officer", 210, 90, 60, 170),
    ("HS-03", "Digital outpatient letters", "Corporate", "Idea", None, "Chief Digital Officer", 75, 0, 0, 40),
]


def units_row() -> bytes:
    """A units row ("£'000") under a one-row header, Idea / Plan / Deliver stages, scheme codes, and a total."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Savings Plan"
    sheet["A1"] = "Harbourside ICB Savings Plan 2025/26"
    sheet.append([])
    sheet.append(
        [
            "Scheme Code",
            "Scheme Title",
            "Directorate",
            "Stage",
            "RAG",
            "Senior Responsible Officer",
            "Full Year Effect",
            "Plan YTD",
            "Actual YTD",
            "Forecast Out-turn",
        ]
    )
    sheet.append([None] * 6 + ["£'000"] * 4)
    for row in UNITS_ROW:
        sheet.append(list(row))
    sheet.append(["Total Savings", None, None, None, None, None, *(sum(r[c] for r in UNITS_ROW) for c in range(6, 10))])
    return _save(book)


# Scheme ID, month, plan, actual (£m).
LONG = [
    ("WV-1", datetime(2024, 4, 1), 0.04, 0.035),
    ("WV-1", datetime(2024, 5, 1), 0.04, 0.042),
    ("WV-1", datetime(2024, 6, 1), 0.05, None),
    ("WV-2", datetime(2024, 4, 1), 0.1, 0.08),
    ("WV-2", datetime(2024, 5, 1), 0.1, 0.11),
    ("WV-2", datetime(2024, 6, 1), 0.12, None),
]


def phasing_long() -> bytes:
    """A scheme register and, on its own sheet, the monthly phasing one row per scheme and month in £m."""
    book = Workbook()
    schemes = book.active
    schemes.title = "Schemes"
    schemes["A1"] = "Westvale ICB QIPP 2024/25 £'000"
    schemes.append([])
    schemes.append(["Scheme ID", "Scheme", "Area", "Stage", "RAG", "Net Value"])
    schemes.append(["WV-1", "Falls prevention", "Community", "Gateway 3", "Green", 540])
    schemes.append(["WV-2", "Dressings formulary", "Prescribing", "Gateway 4", "Amber", 1300])
    phasing = book.create_sheet("Phasing")
    phasing["A1"] = "Monthly phasing (£m)"
    phasing.append([])
    phasing.append(["Scheme ID", "Month", "Plan", "Actual"])
    for row in LONG:
        phasing.append(list(row))
    return _save(book)


# Scheme ID, name, programme, plan M1-M3, actual M1-M2, forecast (£'000).
PERIODS = [
    ("CIP-7", "Theatre productivity", "Surgery", [30, 30, 35], [28, 33], 370),
    ("CIP-8", "Procurement savings", "Corporate", [12, 12, 12], [12, 10], 140),
]


def period_columns() -> bytes:
    """Month columns named by period and measure in one header row ("M1 Plan", "M1 Actual"), no stage or RAG:
    the scheme columns' headers make it a savings tracker."""
    book = Workbook()
    sheet = book.active
    sheet.title = "CIP"
    sheet["A1"] = "Riverside ICB CIP and QIPP tracker 2025/26 (£000s)"
    sheet.append([])
    months = [f"M{n} {measure}" for n in (1, 2, 3) for measure in ("Plan", "Actual")]
    sheet.append(["Scheme ID", "Scheme Name", "Programme", *months, "Forecast Outturn"])
    for ref, name, area, plan, actual, forecast in PERIODS:
        cells = [v for pair in zip(plan, [*actual, None], strict=True) for v in pair]
        sheet.append([ref, name, area, *cells, forecast])
    return _save(book)


VARIANTS = {
    "qipp_phased_groups.xlsx": phased_groups,
    "qipp_series_rows.xlsx": series_rows,
    "qipp_units_row.xlsx": units_row,
    "qipp_phasing_long.xlsx": phasing_long,
    "qipp_period_columns.xlsx": period_columns,
}
