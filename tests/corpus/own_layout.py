"""A tracker laid out as no synonym expects: owner and status headers the loaders do not know, and status words of
its own. Detection reads it partly; the user corrects it once and saves the layout for next month."""

from __future__ import annotations

import io

from openpyxl import Workbook


def action_tracker(month: str, rows: list[tuple], extra_column: bool = False) -> bytes:
    """An improvement-plan tracker whose owner and status headers no synonym knows, with its own status words."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet["A1"] = "Eastfield ICB"
    sheet["A2"] = f"Recovery plan tracker as at {month}"
    header = ["Action No", "Action", "Executive Sponsor", "Deadline", "Position"]
    if extra_column:
        header.insert(2, "Board Committee")
    sheet.append([])
    sheet.append(header)
    for row in rows:
        row = list(row)
        if extra_column:
            row.insert(2, "Quality")
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


NOVEMBER = [
    ("1.1", "Agree the elective recovery trajectory", "Director of Finance", "31/12/2026", "Slipping"),
    ("1.2", "Publish the discharge dashboard", "Chief Nurse", "30/11/2026", "Complete"),
    ("1.3", "Recruit two discharge coordinators", "Chief Operating Officer", "31/01/2027", "Stalled"),
]
DECEMBER = [
    ("1.1", "Agree the elective recovery trajectory", "Director of Finance", "31/12/2026", "Back on plan"),
    ("1.2", "Publish the discharge dashboard", "Chief Nurse", "30/11/2026", "Complete"),
    ("1.3", "Recruit two discharge coordinators", "Chief Operating Officer", "31/01/2027", "Slipping"),
]
