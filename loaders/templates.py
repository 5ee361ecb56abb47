"""Blank workbook templates, one per dataset kind, with the canonical headers the loaders read."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from config import settings
from records import KIND_FIELDS

TITLES = {
    "risks": "Risk register",
    "qipp_schemes": "QIPP scheme tracker",
    "qipp_targets": "QIPP targets by area",
    "qipp_phasing": "QIPP monthly phasing",
    "finance_lines": "Month-N finance position (GBP thousands)",
    "finance_risks": "Finance risks and mitigations (GBP thousands)",
    "finance_plan": "Financial plan bridge (GBP thousands)",
    "activity": "Activity plan and actuals by month",
    "activity_annual": "Activity plan, annual figures",
    "actions": "Improvement plan actions",
    "action_summary": "Improvement plan RAG summary",
    "action_concerns": "Action concern report",
}

EXAMPLES: dict[str, dict] = {
    "risks": {
        "ref": "1.1",
        "title": "Risk to quality, patient care and experience",
        "owner": "Chief Nurse",
        "objective": "1",
        "scale": "5x5",
        "initial_likelihood": 3,
        "initial_consequence": 4,
        "initial_score": 12,
        "current_likelihood": 2,
        "current_consequence": 2,
        "current_score": 4,
        "target_likelihood": 1,
        "target_consequence": 1,
        "target_score": 1,
        "last_reviewed": "2019-01-23",
        "status": "Open",
        "appetite": "Cautious",
        "appetite_level": "Cautious",
        "appetite_max_score": 12,
        "target_date": "2019-09-30",
        "trend": "improving",
        "next_review": "2019-04-23",
        "opened": "2018-04-01",
        "directorate": "Nursing and Quality",
        "committee": "Quality Committee",
    },
    "qipp_schemes": {
        "ref": "Q001",
        "name": "Medicines optimisation in care homes",
        "area": "Prescribing",
        "stage": "3 - Delivery",
        "rag": "Green",
        "value": 150,
        "lead": "Head of Prescribing",
        "recurrent": "Y",
        "plan_ytd": 75,
        "actual_ytd": 62,
        "forecast": 130,
    },
    "qipp_targets": {"area": "Prescribing", "target": 5700},
    "qipp_phasing": {"ref": "Q001", "month": "2024-04-01", "plan": 12.5, "actual": 10.4},
    "finance_lines": {
        "line": "Acute Services",
        "ytd_budget": 150553,
        "ytd_actual": 152529,
        "ytd_variance": -1976,
        "annual_budget": 602156,
        "forecast_outturn": 603914,
        "forecast_variance": -1758,
        "is_total": "N",
        "financial_year": "2018/19",
        "month": 3,
        "section": "Acute",
        "prior_forecast_variance": -1500,
    },
    "finance_risks": {
        "section": "Plan risks and mitigations",
        "item": "Acute Activity",
        "total_risk": -4000,
        "mitigated_risk": 0,
        "in_forecast": 0,
        "residual_risk": 0,
        "is_total": "N",
    },
    "finance_plan": {"line": "Acute", "plan_column": "2018/19 Plan", "value": 600814, "is_total": "N"},
    "activity": {
        "code": "E.M.7",
        "title": "Total Referrals (Specific Acute)",
        "month": "2018-04-01",
        "plan": 25761,
        "actual": 25102,
    },
    "activity_annual": {
        "code": "E.M.7",
        "title": "Total Referrals (Specific Acute)",
        "prior_outturn": 318285,
        "do_nothing": 330640,
        "qipp": -15388,
        "plan": 315252,
    },
    "actions": {
        "ref": "1.3.1",
        "parent_ref": "1.3",
        "area": "Leadership",
        "action": "Agree the leadership strategy",
        "owner": "AO",
        "due_text": "31/08/2018",
        "original_due_date": "2018-06-30",
        "rag_label": "On-Track",
        "status": "Open",
        "updated": "2018-07-30",
        "progress": "Draft strategy discussed at the July Governing Body seminar.",
    },
    "action_summary": {
        "report_date": "2019-03-14",
        "area": "1. Leadership",
        "blue": 25,
        "green": 1,
        "amber": 0,
        "red": 1,
        "grey": 0,
        "total": 27,
    },
    "action_concerns": {
        "ref": "1.10",
        "action": "Update OD strategy",
        "deadline_text": "30/11/18 (01/09/18)",
        "concern": "Overdue",
        "first_raised": "01-Sep",
        "status": "Open",
    },
}

# The choices a template offers for a field, beside those read from configuration.
CHOICES = {
    **dict.fromkeys(("rag", "rag_label"), ["Red", "Amber", "Green", "Blue", "Grey"]),
    **dict.fromkeys(("recurrent", "is_total"), ["Y", "N"]),
    "scale": ["5x5", "3x3"],
    "trend": ["improving", "unchanged", "deteriorating"],
}


# Headers that say more than the field's name: a phasing table's reference is named for the scheme.
HEADER_LABELS = {("qipp_phasing", "ref"): "Scheme ref"}


def header_label(field: str, kind: str | None = None) -> str:
    return HEADER_LABELS.get((kind, field)) or field.replace("_", " ").capitalize()


def _choices(field: str) -> list[str] | None:
    if field == "stage":
        return [f"{n} - {name}" for n, name in enumerate(settings().qipp.stages)]
    if field == "appetite_level":
        return [level.name for level in settings().risks.appetite_levels]
    if field.endswith(("_likelihood", "_consequence")):
        return ["1", "2", "3", "4", "5"]
    return CHOICES.get(field)


def template_workbook(kind: str) -> bytes:
    """An .xlsx with a cover sheet and one sheet of canonical headers, validation lists and an example row."""
    fields = list(KIND_FIELDS[kind])
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append([TITLES[kind]])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append(["Organisation:", ""])
    cover.append(["As at:", ""])
    cover.append([])
    cover.append(
        ["Fill in the organisation and as-at date above, replace the example row, and upload on the Data page."]
    )
    cover.append(["Money is in GBP thousands; variances are favourable positive, adverse negative."])
    sheet = book.create_sheet(kind)
    sheet.append([TITLES[kind]])
    sheet.append([header_label(f, kind) for f in fields])
    sheet.append([EXAMPLES[kind].get(f) for f in fields])
    for col, field in enumerate(fields, 1):
        letter = get_column_letter(col)
        cell = sheet.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2F3")
        sheet.column_dimensions[letter].width = max(12, len(cell.value) + 2)
        choices = _choices(field)
        if choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
            validation.add(f"{letter}3:{letter}5000")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
