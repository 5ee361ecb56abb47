"""Risk registers and board assurance frameworks laid out as integrated care boards keep them today: appetite,
target dates, direction of travel, assuring committees, score cells whose factors carry letters, levels
written with their words, refs with label words, labels merged down, an objective stated only in a title.

``tests/test_current_risks.py`` states the records each must load to."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cover(book: Workbook, org: str, as_at: str) -> None:
    cover = book.active
    cover.title = "Cover"
    cover.append([f"NHS {org}"])
    cover.append([])
    cover.append(["Organisation", org])
    cover.append([as_at])


def baf_tagged_scores() -> bytes:
    """A BAF sheet per strategic objective, the objective only in the title; refs 'Risk 2.1'; one-cell scores
    with lettered factors in either order; appetite words with or without a tolerable score; arrows for trend."""
    book = Workbook()
    _cover(book, "Northmoor ICB", "Position at 30 September 2025")
    sheet = book.create_sheet("SO2")
    sheet.append(["Board Assurance Framework 2025/26"])
    sheet.append(["Strategic Objective 2: Reduce inequalities in access and outcomes"])
    sheet.append([])
    sheet.append(
        [
            "Risk ID",
            "Risk Description",
            "Executive Lead",
            "Assuring Committee",
            "Inherent Risk Score",
            "Current Risk Score",
            "Target Risk Score",
            "Risk Appetite",
            "Target Date",
            "Direction of Travel",
            "Next Review Date",
        ]
    )
    sheet.append(
        [
            "Risk 2.1",
            "Elective waiting lists grow faster in the most deprived areas",
            "Chief Delivery Officer",
            "Quality and Performance Committee",
            "L4 x C5 = 20",
            "I4 L4 16",
            "C4 x L2",
            "Cautious",
            datetime(2026, 3, 31),
            "↑",
            datetime(2025, 11, 15),
        ]
    )
    sheet.append(
        [
            "Risk 2.2",
            "Digital exclusion limits access to primary care",
            "Director of Strategy",
            "Population Health Committee",
            "C5 x L3 = 15",
            "L3 x C3 = 9",
            "L2 x C3 = 6",
            "Open (up to 15)",
            datetime(2025, 6, 30),
            "↔",
            datetime(2025, 12, 1),
        ]
    )
    sheet.append(
        [
            "Risk 2.3",
            "Core20PLUS5 targets are not met for hypertension",
            "Medical Director",
            "Quality and Performance Committee",
            "L5 C4 20",
            "L4 C3 12",
            "L2 C3 6",
            "Minimal",
            datetime(2026, 9, 30),
            "Improving",
            datetime(2025, 10, 20),
        ]
    )
    return _save(book)


def register_consequence_first() -> bytes:
    """A corporate register whose header states consequence x likelihood for untagged score cells, levels
    written '4 - Likely' and 'Major (4)', directorate and committee merged down, refs 'Ref: CR01 :'."""
    book = Workbook()
    _cover(book, "Westbridge ICB", "Month 7 2025/26")
    sheet = book.create_sheet("Corporate Risk Register")
    sheet.append(["Corporate Risk Register - October 2025"])
    sheet.append([])
    sheet.append(
        [
            "Directorate",
            "Risk Ref",
            "Risk Title",
            "Risk Owner",
            "Date Opened",
            "Current Likelihood",
            "Current Consequence",
            "Current Score",
            "Target Score (C x L)",
            "Appetite Level",
            "Tolerable Score",
            "Trend",
            "Committee",
        ]
    )
    rows = [
        [
            "Nursing and Quality",
            "Ref: CR01 :",
            "Continuing healthcare assessments breach 28 days",
            "Chief Nurse",
            datetime(2024, 5, 1),
            "4 - Likely",
            "Major (4)",
            16,
            "4 x 2 = 8",
            "Cautious",
            "8-12",
            "▲",
            "Quality Committee",
        ],
        [
            None,
            "Ref: CR02 :",
            "Safeguarding training compliance below 90%",
            "Chief Nurse",
            datetime(2025, 2, 14),
            "Possible (3)",
            "3 - Moderate",
            9,
            "3 x 1",
            "Minimal",
            6,
            "▼",
            None,
        ],
        [
            "Finance",
            "Ref: CR03 :",
            "Prescribing costs exceed budget",
            "Chief Finance Officer",
            datetime(2023, 11, 20),
            "5 - Almost certain",
            "Moderate (3)",
            15,
            "3 x 3 = 9",
            "Open",
            None,
            "◄►",
            "Finance and Investment Committee",
        ],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A4:A5")
    sheet.merge_cells("M4:M5")
    return _save(book)


def baf_impact_first_sections() -> bytes:
    """An assurance framework with objective sections, untagged one-cell scores under 'Impact x Likelihood',
    trend in words, appetite statements with a tolerable range, opened and review dates as text."""
    book = Workbook()
    _cover(book, "Eastvale ICB", "Period ending 31 October 2025")
    sheet = book.create_sheet("BAF")
    sheet.append(["Eastvale ICB Board Assurance Framework"])
    sheet.append(["Scores are Impact x Likelihood"])
    sheet.append(
        [
            "Ref",
            "Principal Risk",
            "Lead Director",
            "Identified On",
            "Initial Risk Rating",
            "Residual Risk Rating",
            "Target Risk Rating",
            "Risk Appetite Statement",
            "Target Date",
            "Movement Since Last Review",
            "Next Review",
            "Oversight Committee",
        ]
    )
    sheet.append(["Objective 1: Financial sustainability"])
    sheet.append(
        [
            "BAF 1",
            "The system does not deliver its financial plan",
            "Chief Finance Officer",
            "01/04/2024",
            "5x5=25",
            "4x5=20",
            "4x3=12",
            "Open - the Board will accept risks scoring up to 16 for value",
            "31/03/2026",
            "Deteriorating",
            "30/11/2025",
            "Finance Committee",
        ]
    )
    sheet.append(
        [
            "BAF 2",
            "Running cost reductions are not delivered",
            "Chief People Officer",
            "15/07/2025",
            "4x4=16",
            "4x2=8",
            "2x2=4",
            "Cautious (8-12)",
            "31/12/2025",
            "No change",
            "30/11/2025",
            "Remuneration Committee",
        ]
    )
    sheet.append(["Objective 2: Quality and safety"])
    sheet.append(
        [
            "BAF 3",
            "Maternity services do not meet safety standards",
            "Chief Nursing Officer",
            "10/10/2023",
            "5x4=20",
            "5x3=15",
            "5x1=5",
            "Averse",
            "30/06/2025",
            "Reducing",
            "15/12/2025",
            "Quality Committee",
        ]
    )
    return _save(book)


VARIANTS = {
    "icb_baf_tagged_scores.xlsx": baf_tagged_scores,
    "icb_register_consequence_first.xlsx": register_consequence_first,
    "icb_baf_impact_first_sections.xlsx": baf_impact_first_sections,
}


def register_grouped_appetite() -> bytes:
    """A register with a two-row header (current risk over likelihood, impact and score; risk appetite over
    level and score), objectives merged down over their risks, refs 'No. 7', levels as 'Likely (4)'."""
    book = Workbook()
    _cover(book, "Southfield ICB", "As at 30 September 2025")
    sheet = book.create_sheet("Risk Register")
    sheet.append(["Corporate Risk Register Q2 2025/26"])
    sheet.append([])
    sheet.append(
        ["Strategic Objective", "Risk No.", "Risk", "Owner", "Current Risk", None, None, "Risk Appetite", None]
        + ["Direction of Travel", "Date of Next Review"]
    )
    sheet.append([None, None, None, None, "Likelihood", "Impact", "Score", "Level", "Score", None, None])
    sheet.append(
        ["Improve population health", "No. 7", "Vaccination uptake falls below target", "Director of Public Health"]
        + ["Likely (4)", "3 - Moderate", 12, "Open", 15, "Upward", "2025-12-31"]
    )
    sheet.append(
        [None, "No. 8", "Screening backlog persists", "Director of Public Health"]
        + ["Possible (3)", "4 - Major", 12, "Cautious", 8, "⬇ Downward", "2025-11-30"]
    )
    sheet.append(
        ["Sustainable finances", "No. 9", "Continuing healthcare costs rise", "Chief Finance Officer"]
        + ["Almost certain (5)", "4 - Major", 20, "Minimal", None, "Static", "2025-10-31"]
    )
    for cells in ("E3:G3", "H3:I3", "A5:A6", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "J3:J4", "K3:K4"):
        sheet.merge_cells(cells)
    return _save(book)


VARIANTS["icb_register_grouped_appetite.xlsx"] = register_grouped_appetite
