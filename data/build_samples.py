"""Build the sample workbooks in data/samples/ from the transcriptions in data/sample_sources/.

One workbook per source document (public NHS board papers), laid out the way the organisation
lays it out: title rows, section rows, totals, merged cells, two-row headers, numbers stored as
numbers or as text the way the source shows them. Every workbook starts with a cover sheet naming
the document, the organisation, the as-at date and where the figures come from.

    python -m data.build_samples [--out DIR]

The output is deterministic: rebuilding writes the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import re
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATA = Path(__file__).resolve().parent
SOURCES = DATA / "sample_sources"
SAMPLES = DATA / "samples"

FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)
ZIP_TIME = (2024, 1, 1, 0, 0, 0)
AUTHOR = "Assurance dashboard sample data"

TITLE = Font(bold=True, size=14)
SUBTITLE = Font(bold=True, size=12)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
NOTE_FILL = PatternFill("solid", fgColor="FFF2CC")
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
RAG_FILLS = {
    "R": PatternFill("solid", fgColor="FF0000"),
    "A": PatternFill("solid", fgColor="FFC000"),
    "G": PatternFill("solid", fgColor="00B050"),
    "B": PatternFill("solid", fgColor="0070C0"),
}
RED_TEXT = InlineFont(color="FF0000")

THOUSANDS = "#,##0;-#,##0"
BRACKETS = "#,##0;(#,##0)"
MILLIONS_BRACKETS = "0.00;(0.00)"
UK_DATE = "DD/MM/YYYY"


# --------------------------------------------------------------------------------------------
# Reading the transcriptions
# --------------------------------------------------------------------------------------------


def read_json(name: str):
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def read_tsv(name: str) -> list[list[str]]:
    return [line.split("\t") for line in (SOURCES / name).read_text(encoding="utf-8").splitlines()]


def read_csv(name: str) -> list[dict[str, str]]:
    with (SOURCES / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


_NUMBER = re.compile(r"^\(?-?[\d,]*\.?\d+\)?%?$")


def number(text: str):
    """A source number as a real number: `1,149,272`, `-13,969`, `(1,976)`, `3.3%`, `0.0`.

    Empty text gives None; anything else that is not a number (`-`, words) is kept as text.
    """
    text = text.strip()
    if not text:
        return None
    if not _NUMBER.match(text):
        return text
    negative = text.startswith("(") and text.endswith(")")
    core = text.strip("()").replace(",", "")
    percent = core.endswith("%")
    value = float(core.rstrip("%"))
    if percent:
        value = round(value / 100, 10)
    if negative:
        value = -value
    if not percent and value == int(value) and "." not in core:
        return int(value)
    return value


def percent_format(text: str) -> str:
    decimals = len(text.split(".")[1].rstrip("%")) if "." in text else 0
    return "0." + "0" * decimals + "%" if decimals else "0%"


def uk_date(text: str) -> dt.datetime:
    return dt.datetime.strptime(text.strip(), "%d/%m/%Y")


# --------------------------------------------------------------------------------------------
# Writing sheets
# --------------------------------------------------------------------------------------------


@dataclass
class SheetWriter:
    """Appends rows to a worksheet and remembers where it is."""

    ws: Worksheet
    row: int = 1

    def title(self, text: str, font: Font = TITLE) -> None:
        self.ws.cell(self.row, 1, text).font = font
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def put(self, column: int, value, *, fmt: str | None = None, font: Font | None = None, fill=None, border=None):
        """One cell of the current row, in the grid and wrapped; a date is shown dd/mm/yyyy."""
        cell = self.ws.cell(self.row, column, value)
        if isinstance(value, dt.datetime):
            fmt = fmt or UK_DATE
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        cell.border = border or GRID
        cell.alignment = WRAP

    def values(self, values: Iterable, *, font: Font | None = None, fill=None) -> int:
        """A row of cells from column 1, empty text left empty; returns its row number."""
        for column, value in enumerate(values, start=1):
            self.put(column, None if value == "" else value, font=font, fill=fill)
        self.row += 1
        return self.row - 1

    def header(self, labels: Iterable) -> int:
        row = self.values(labels, font=BOLD, fill=HEADER_FILL)
        for cell in self.ws[row]:
            cell.alignment = CENTRE
        return row

    def section(self, text: str, width: int, *, fill=SECTION_FILL, font: Font = BOLD) -> None:
        """A section row: the text in the first cell, merged across the table."""
        self.put(1, text, font=font, fill=fill)
        if width > 1:
            self.ws.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=width)
        self.row += 1

    def merge_down(self, column: int, first: int, last: int) -> None:
        if last > first:
            self.ws.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)

    def set_widths(self, widths: dict[int, float]) -> None:
        for column, width in widths.items():
            self.ws.column_dimensions[get_column_letter(column)].width = width


def new_sheet(wb: Workbook, name: str, title: str | None = None, subtitle=None, note=None) -> SheetWriter:
    """A new sheet, headed by its title, subtitle and an italic note when given, then a blank row."""
    w = SheetWriter(wb.create_sheet(name))
    if title is not None:
        for text, font in ((title, TITLE), (subtitle, SUBTITLE), (note, ITALIC)):
            if text is not None:
                w.title(text, font)
        w.blank()
    return w


def cover(wb: Workbook, *, document: str, organisation: str, as_at: str, source: str, notes: list[str]) -> None:
    ws = wb.create_sheet("Cover", 0)
    w = SheetWriter(ws)
    w.title(document)
    w.blank()
    for text in (f"Organisation: {organisation}", f"As at: {as_at}", f"Document: {document}", f"Source: {source}"):
        ws.cell(w.row, 1, text).alignment = WRAP
        w.row += 1
    w.blank()
    w.title("Notes", BOLD)
    for note in notes:
        ws.cell(w.row, 1, note).alignment = WRAP
        w.row += 1
    w.blank()
    ws.cell(w.row, 1, "Sheets").font = BOLD
    for sheet in wb.sheetnames[1:]:
        w.row += 1
        ws.cell(w.row, 1, sheet)
    w.set_widths({1: 120})
    ws.sheet_view.showGridLines = False
    wb.active = 0


def new_workbook() -> Workbook:
    """An empty workbook: sheets are added by the builder, the cover last (it lists them)."""
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def save(wb: Workbook, path: Path) -> Path:
    """Save with fixed properties and zip timestamps so a rebuild writes the same bytes."""
    wb.properties.creator = AUTHOR
    wb.properties.lastModifiedBy = AUTHOR
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")  # openpyxl stamps the time of saving as modified
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return path


def latest_in_red(text: str):
    """Progress text whose `<b>...</b>` part is the latest update: shown in red, as the pack does."""
    if "<b>" not in text or "<ul" in text:
        return text
    parts = re.split(r"(<b>.*?</b>)", text)
    return CellRichText([TextBlock(RED_TEXT, part[3:-4]) if part.startswith("<b>") else part for part in parts if part])


# --------------------------------------------------------------------------------------------
# 1. Bedfordshire CCG Governing Body Assurance Framework, March 2019 (seed 000)
# --------------------------------------------------------------------------------------------

BAF = "The Governing Body Assurance Framework"
BEDFORDSHIRE = "Bedfordshire Clinical Commissioning Group"
BAF_COLUMNS = [
    "Risk Ref",
    "Principal Goal",
    "Risk",
    "Responsible Director",
    "Lead",
    "Date last reviewed",
    "Cause of risk",
    "Effect of risk realising",
    "Initial Score",
    "Current Score",
    "Target Score",
    "Brief rationale of current risk rating",
    "Linked operational risks appearing on Corporate Risk Register",
    "Any gaps in assurance",
]
BAF_SHARED = [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14]
# The fields in the columns of BAF_SHARED, stated once for a risk's cause/effect rows (the cells are merged).
BAF_SHARED_KEYS = [
    "ref",
    "principal_goal",
    "title",
    "director",
    "lead",
    "date_last_reviewed",
    "initial_score",
    "current_score",
    "target_score",
    "rationale",
    "linked_operational_risks",
    "gaps_in_assurance",
]


def build_bedfordshire_baf(out: Path) -> Path:
    risks = read_json("bedfordshire_baf_2019.json")
    wb = new_workbook()

    w = new_sheet(wb, "Principal Risks", BAF, BEDFORDSHIRE, "As at 28 March 2019")
    w.header(BAF_COLUMNS)
    objective = None
    for risk in risks:
        if risk["objective_no"] != objective:
            objective = risk["objective_no"]
            w.section(f"Objective No {objective}: {risk['objective']}", len(BAF_COLUMNS))
        rows = list(risk["causes_effects"])
        if risk["new_risk_marker"]:
            rows.append({"cause": "", "effect": risk["new_risk_marker"]})
        first = w.row
        for n, row in enumerate(rows):
            shared = [risk[key] if n == 0 else None for key in BAF_SHARED_KEYS]
            w.values([*shared[:6], row["cause"], row["effect"], *shared[6:]])
        for column in BAF_SHARED:
            w.merge_down(column, first, w.row - 1)
    w.set_widths({1: 9, 2: 40, 3: 40, 4: 28, 5: 28, 6: 16, 7: 45, 8: 45, 9: 14, 10: 14, 11: 14, 12: 45, 13: 40, 14: 40})
    w.ws.freeze_panes = "B6"

    w = new_sheet(wb, "Controls and Assurances", f"{BAF}: controls and assurances", BEDFORDSHIRE)
    w.header(
        [
            "Risk",
            "Controls\nWhat controls are in place now stopping the risk realising",
            "Assurances\nWhere we can gain evidence that our controls, on which we are placing reliance, are effective",
            "Level",
        ]
    )
    for risk in risks:
        first = w.row
        for n, control in enumerate(risk["controls"]):
            w.values([risk["ref"] if n == 0 else None, control["control"], control["assurance"], control["level"]])
        w.merge_down(1, first, w.row - 1)
    w.set_widths({1: 8, 2: 70, 3: 70, 4: 16})

    w = new_sheet(wb, "Action Plans", f"{BAF}: remedial action plans", BEDFORDSHIRE)
    for risk in risks:
        w.section(f"Risk {risk['ref']}: {risk['title']}", 3)
        w.header(risk["action_headers"])
        for action in risk["actions"]:
            w.values([action["action"], action["by_when"], action["outcome"]])
        w.blank()
    w.set_widths({1: 80, 2: 24, 3: 70})
    cover(
        wb,
        document=BAF,
        organisation="Bedfordshire CCG",
        as_at="28 March 2019",
        source=(
            "Bedfordshire Clinical Commissioning Group, Governing Body Assurance Framework (public Governing Body "
            "paper, risks last reviewed between 23 January and 28 March 2019), transcribed from the published text."
        ),
        notes=[
            "The as-at date is the latest 'Date last reviewed' in the framework (risks 3.1, 4.1, 5.1 and 5.3).",
            "Score cells are copied exactly as published, including their typing slips: '$3 \\times 4 = 12$' (1.1), "
            "'<p>4 x 4 = 16</p>' (1.4) and '4.x 4 = 16' (3.1).",
            "Risk 3.1 has three cause/effect rows under one score; risk 2.1b carries the published 'NEW RISK' marker "
            "on a second effect row. The shared cells of those rows are merged.",
            "Text keeps the published words, including HTML left in the published text.",
        ],
    )
    return save(wb, out / "bedfordshire_ccg_assurance_framework_2019-03-28.xlsx")


# --------------------------------------------------------------------------------------------
# 2. Cambridgeshire & Peterborough CCG Improvement and Delivery Plan 2018/19, month 3 (seed 001)
# --------------------------------------------------------------------------------------------

CP_ORG = "Cambridgeshire and Peterborough CCG"
CP_AS_AT = "As at 30 July 2018 (Month 3)"


def cp_financial_plan(wb: Workbook) -> None:
    rows = read_tsv("cp_financial_plan.tsv")
    w = new_sheet(wb, "Financial Plan", CP_ORG, "2018/19 Financial Plan", CP_AS_AT)
    w.header(rows[0])
    for label, *cells in rows[1:]:
        if label == "Expenditure":
            w.section(label, len(rows[0]))
            continue
        font, border = (BOLD, TOTAL_BORDER) if label in ("Total spend", "Surplus/(deficit)") else (None, None)
        w.put(1, label, font=font, border=border)  # the values of a total row are not underlined
        for column, text in enumerate(cells, start=2):
            value = number(text)
            fmt = percent_format(text) if text.strip().endswith("%") else THOUSANDS
            w.put(column, value, fmt=fmt if isinstance(value, int | float) else None, font=font)
        w.row += 1
    w.set_widths({1: 30, **{c: 13 for c in range(2, len(rows[0]) + 1)}})


def cp_month3(wb: Workbook) -> None:
    rows = read_tsv("cp_month3_position.tsv")
    w = new_sheet(wb, "M3 Position", CP_ORG, "Month 3 Position vs Plan", CP_AS_AT)
    w.header(["£'000", *rows[0][1:]])
    variance_columns = {4, 7}  # pasted from the finance report as text, brackets for adverse
    for label, *cells in rows[1:]:
        total = label == "Total Expenditure"
        text_row = label == "In year deficit"
        font = BOLD if total or text_row else None
        w.put(1, label, font=font)
        for column, text in enumerate(cells, start=2):
            as_text = text_row or column in variance_columns or (label == "Allocation" and column == 5)
            value, fmt = (text, None) if as_text else (number(text), BRACKETS)
            w.put(column, value, fmt=fmt, font=font, border=TOTAL_BORDER if total else None)
        w.row += 1
    w.blank()
    w.ws.cell(w.row, 1, "CCG spend is £818k over plan at month 3, and forecast outturn on plan").font = ITALIC
    w.set_widths({1: 26, **{c: 16 for c in range(2, 8)}})


def cp_risks_mitigations(wb: Workbook) -> None:
    rows = read_tsv("cp_risks_mitigations.tsv")
    w = new_sheet(wb, "Risks and Mitigations", CP_ORG, "Risks and Mitigations (Month 3)", CP_AS_AT)
    w.header(rows[0])
    sections = {"Plan risks and mitigations", "QIPP risks and mitigations", "Delivery risks and mitigations"}
    for row in rows[1:]:
        row = (row + [""] * 7)[:7]
        if row[0] in sections:
            w.section(row[0], 7)
            continue
        total = row[0] == "Total Risk Position" or row[3] in ("Contingency", "Net risk position after contingency")
        font = BOLD if total else None
        w.put(1, row[0] or None, font=font)
        w.put(2, number(row[1]), fmt="0.0#", font=font)
        w.put(3, row[2] or None)
        w.put(4, row[3] or None, font=font)
        for column, text in zip((5, 6, 7), row[4:7], strict=True):
            w.put(column, number(text), fmt="0.0#", font=font)
        w.row += 1
    w.set_widths({1: 34, 2: 11, 3: 50, 4: 60, 5: 12, 6: 12, 7: 12})


def cp_qipp_rag(wb: Workbook) -> None:
    rows = read_tsv("cp_qipp_rag.tsv")
    w = new_sheet(wb, "QIPP RAG", CP_ORG, "QIPP (Month 3): status by RAG", CP_AS_AT)
    w.header(rows[0])
    first_delivery = w.row
    for row in rows[1:]:
        font, border = (BOLD, TOTAL_BORDER) if not row[0] and not row[1] else (None, None)
        w.put(1, row[0] or None, font=font, border=border)
        w.put(2, row[1] or None, font=font, border=border)
        for column, fmt in ((3, THOUSANDS), (4, THOUSANDS), (5, "0%"), (6, THOUSANDS)):
            w.put(column, number(row[column - 1]), fmt=fmt, font=font, border=border)
        w.row += 1
    w.merge_down(1, first_delivery, first_delivery + 2)
    w.blank()
    w.title("98% delivery against £8,786 M3 target.", ITALIC)
    w.title("On a risk adjusted basis £2.2m of QIPP gap.", ITALIC)
    w.set_widths({1: 22, 2: 10, 3: 12, 4: 14, 5: 10, 6: 12})


def cp_qipp_area_stage(wb: Workbook) -> None:
    rows = read_tsv("cp_qipp_area_stage.tsv")
    w = new_sheet(wb, "QIPP by Area", CP_ORG, "QIPP (Month 3): expenditure area by stage (£'000s)", CP_AS_AT)
    top, sub = rows[0], rows[1]
    width = len(top)
    first = w.header(top)
    w.header(sub)
    for column in range(1, width + 1):
        if not top[column - 1] and column > 1 and top[column - 2]:
            w.ws.merge_cells(start_row=first, start_column=column - 1, end_row=first, end_column=column)
        elif top[column - 1] and not sub[column - 1]:
            w.merge_down(column, first, first + 1)
    for row in rows[2:]:
        if not any(cell.strip() for cell in row):
            w.blank()
            continue
        if len(row) == 1:
            w.section(row[0], width, fill=NOTE_FILL, font=Font(bold=True, italic=True))
            continue
        font, border = (BOLD, TOTAL_BORDER) if row[0] in ("Totals", "Acute GIC and PbR Total") else (None, None)
        w.put(1, row[0], font=font, border=border)
        for column, text in enumerate(row[1:], start=2):
            value = number(text)
            w.put(column, value, fmt=THOUSANDS if isinstance(value, int) else None, font=font, border=border)
        w.row += 1
    w.set_widths({1: 28, **{c: 10 for c in range(2, width + 1)}})
    w.ws.freeze_panes = "B7"


def cp_qipp_tracker(wb: Workbook) -> None:
    schemes = read_csv("cp_qipp_schemes.csv")
    w = new_sheet(wb, "QIPP Tracker", CP_ORG, "QIPP Scheme Tracker 2018/19", CP_AS_AT)
    w.section(
        "Note: scheme rows are reconstructed from the published aggregates (QIPP status by RAG and expenditure "
        "area by stage, Month 3); scheme names, leads and individual values are illustrative, the totals by "
        "area, stage and RAG are the published ones.",
        9,
        fill=NOTE_FILL,
        font=ITALIC,
    )
    w.blank()
    w.header(
        [
            "Scheme Ref",
            "Scheme Name",
            "Expenditure Area",
            "Stage",
            "RAG",
            "Net Value (£'000s)",
            "Risk Adjusted Value (£'000s)",
            "Scheme Lead",
            "Recurrent (Y/N)",
        ]
    )
    for scheme in schemes:
        described = [scheme[key] for key in ("ref", "scheme", "area", "stage", "rag")]
        values = [number(scheme["net_value"]), number(scheme["risk_adjusted"])]
        w.values([*described, *values, scheme["lead"], scheme["recurrent"]])
        w.ws.cell(w.row - 1, 6).number_format = THOUSANDS
        w.ws.cell(w.row - 1, 7).number_format = THOUSANDS
    w.set_widths({1: 10, 2: 55, 3: 26, 4: 16, 5: 8, 6: 14, 7: 14, 8: 40, 9: 10})
    w.ws.auto_filter.ref = f"A7:I{w.row - 1}"
    w.ws.freeze_panes = "A8"


def cp_improvement_plan(wb: Workbook) -> None:
    actions = read_csv("cp_improvement_plan.csv")
    w = new_sheet(wb, "Improvement Plan", CP_ORG, "Improvement Plan 2018/19", CP_AS_AT)
    header_row = w.header(["Ref", "Requirement", "Action", None, "Due Date", "GB Owner", "RAG", "Status"])
    w.ws.merge_cells(start_row=header_row, start_column=3, end_row=header_row, end_column=4)
    section = None
    ref_first = None
    for n, action in enumerate(actions, start=1):
        if action["section"] != section:
            section = action["section"]
            w.section(section, 8)
        if action["ref"]:
            ref_first = w.row
        letter_in_text = not action["letter"]
        w.values(
            [
                int(action["ref"]) if action["ref"] else None,
                action["requirement"] or None,
                action["action"] if letter_in_text else action["letter"],
                None if letter_in_text else action["action"],
                action["due"],
                action["owner"],
                action["rag"] or None,
                action["status"] or None,
            ]
        )
        if letter_in_text:
            w.ws.merge_cells(start_row=w.row - 1, start_column=3, end_row=w.row - 1, end_column=4)
        if n == len(actions) or actions[n]["ref"] or actions[n]["section"] != section:  # the last row of its ref
            w.merge_down(1, ref_first, w.row - 1)
            w.merge_down(2, ref_first, w.row - 1)
    w.set_widths({1: 6, 2: 50, 3: 4, 4: 60, 5: 22, 6: 14, 7: 16, 8: 12})


def cp_operational_risks(wb: Workbook) -> None:
    risks = read_csv("cp_operational_risks.csv")
    w = new_sheet(wb, "Operational Risks", CP_ORG, "Operational Risks", CP_AS_AT)
    w.header(
        [
            "Risk",
            "Year Start Risk Score (April 18)",
            "Current Risk Score",
            "Target Risk Score 2018/19 -",
            "Impact",
            "Actions / Mitigations",
            "Senior Risk Owner (SRO)",
        ]
    )
    for risk in risks:
        if not risk["year_start"] and not risk["sro"]:
            w.section(risk["risk"], 7)
            continue
        w.values([risk[k] for k in ("risk", "year_start", "current", "target", "impact", "actions", "sro")])
    w.set_widths({1: 45, 2: 14, 3: 14, 4: 14, 5: 60, 6: 45, 7: 26})


def cp_activity(wb: Workbook) -> None:
    rows = read_tsv("cp_activity_plan.tsv")
    w = new_sheet(wb, "Activity Plan", CP_ORG, "Activity Plan 2018/19", CP_AS_AT)
    w.header(rows[0])
    for row in rows[1:]:
        w.put(1, row[0])
        w.put(2, row[1])
        for column, text in enumerate(row[2:], start=3):
            # "17/18 to 18/19" (column 7) is a percent string in the source
            value, fmt = (text or None, None) if column == 7 else (number(text), THOUSANDS)
            w.put(column, value, fmt=fmt)
        w.row += 1
    w.set_widths({1: 10, 2: 50, **{c: 11 for c in range(3, len(rows[0]) + 1)}})
    w.ws.freeze_panes = "C6"


def build_cambridgeshire_peterborough(out: Path) -> Path:
    wb = new_workbook()
    cp_financial_plan(wb)
    cp_month3(wb)
    cp_risks_mitigations(wb)
    cp_qipp_rag(wb)
    cp_qipp_area_stage(wb)
    cp_qipp_tracker(wb)
    cp_improvement_plan(wb)
    cp_operational_risks(wb)
    cp_activity(wb)
    cover(
        wb,
        document="Improvement and Delivery Plan 2018-2019",
        organisation="Cambridgeshire and Peterborough CCG",
        as_at="30 July 2018 (Month 3 of 2018/19)",
        source=(
            "NHS Cambridgeshire & Peterborough CCG, Improvement and Delivery Plan 2018-2019, dated 30 July 2018, "
            "approved by NHSE on 1.08.2018 (public Governing Body paper), transcribed from the published text."
        ),
        notes=[
            "One sheet per table of the plan; figures as published, including where they do not reconcile.",
            "The Financial Plan corner cell says £m although the values are £'000, as published.",
            "QIPP by Area: the Prescribing row total (4,924) is published although its stage values sum to 4,923. "
            "The 'Memorandum Acute GIC and PbR' block is a re-cut of the acute schemes, not additional schemes.",
            "QIPP Tracker: scheme rows are reconstructed from the published aggregates (QIPP status by RAG and "
            "expenditure area by stage). Names, leads and individual values are illustrative; the counts and "
            "values by area, stage and RAG reproduce the published tables exactly.",
            "Risks and Mitigations are in £m (no unit is shown in the source).",
        ],
    )
    return save(wb, out / "cambridgeshire_peterborough_ccg_improvement_delivery_plan_2018-19_m3.xlsx")


# --------------------------------------------------------------------------------------------
# 3. Oxfordshire CCG assurance framework risks AF28-AF35 (seed 002)
# --------------------------------------------------------------------------------------------


OXFORDSHIRE = "Oxfordshire Clinical Commissioning Group"


def build_oxfordshire(out: Path) -> Path:
    risks = read_json("oxfordshire_af_2020.json")
    wb = new_workbook()
    w = new_sheet(wb, "Risk Register", OXFORDSHIRE, "Assurance Framework: Risks AF28 to AF35", "As at 21/04/2020")
    single = [
        "Ref",
        "Risk No.",
        "Risk Title",
        "Risk Description",
        "Directorate, Owner",
        "Priorities affected",
        "Identified on",
        "Target closure",
    ]
    groups = ["Initial", "Current", "Target"]
    first = w.header(
        [*single, "Initial", None, None, "Current", None, None, "Target", None, None, "Summary of Current Mitigation"]
    )
    w.header([None] * len(single) + ["Likelihood", "Consequence", "Overall rating"] * 3 + [None])
    for column in range(1, len(single) + 1):
        w.merge_down(column, first, first + 1)
    last = len(single) + 3 * len(groups) + 1
    w.merge_down(last, first, first + 1)
    for n in range(len(groups)):
        start = len(single) + 1 + 3 * n
        w.ws.merge_cells(start_row=first, start_column=start, end_row=first, end_column=start + 2)
    for risk in risks:
        w.values(
            [
                risk["ref"],
                int(risk["risk_no"]),
                risk["title"] or None,
                risk["desc"],
                risk["owner"],
                "\n".join(risk["priorities"]),
                uk_date(risk["identified"]),
                uk_date(risk["closure"]),
                *(risk[key][n] for n in range(len(groups)) for key in "LCR"),
                risk["mitigation"],
            ]
        )
    w.set_widths({1: 7, 2: 8, 3: 28, 4: 50, 5: 34, 6: 32, 7: 12, 8: 12, **{c: 11 for c in range(9, 18)}, 18: 60})
    w.ws.freeze_panes = "C7"

    w = new_sheet(wb, "Actions", OXFORDSHIRE, "Assurance Framework: actions")
    w.header(["Ref", "Action Assigned to:", "Due:", "Action Description:", "Progress to Date:", "Completed Date:"])
    for risk in risks:
        for assigned, due, description, progress, completed in risk["actions"]:
            w.values([risk["ref"], assigned, uk_date(due), description, progress, completed or None])
    w.set_widths({1: 7, 2: 22, 3: 12, 4: 70, 5: 60, 6: 14})
    cover(
        wb,
        document="Assurance Framework: risks AF28 to AF35",
        organisation="Oxfordshire CCG",
        as_at="21 April 2020",
        source=(
            "Oxfordshire Clinical Commissioning Group, assurance framework risk report (public Board paper, "
            "entries dated 02/07/2019 to 21/04/2020), transcribed from the published text."
        ),
        notes=[
            "The as-at date is the latest entry: AF35 was identified on 21/04/2020.",
            "Likelihood and consequence are the system's words (LIKELY, POSS, UNLIKE, RARE; MAJOR, MOD); "
            "the overall rating is the published number.",
            "AF29 has no title in the published report; the cell is left blank.",
            "Actions whose text was split across the page in the published report are joined back into one row.",
        ],
    )
    return save(wb, out / "oxfordshire_ccg_assurance_framework_2020-04-21.xlsx")


# --------------------------------------------------------------------------------------------
# 4. Bedfordshire CCG Corporate Risk Register, 27 April 2012 (seed 003)
# --------------------------------------------------------------------------------------------


def build_bedfordshire_crr(out: Path) -> Path:
    rows = read_tsv("bedfordshire_crr_2012.tsv")
    table7 = read_tsv("bedfordshire_table7_2012.tsv")
    wb = new_workbook()
    w = new_sheet(wb, "Corporate Risk Register", BEDFORDSHIRE, "Corporate Risk Register", "27 April 2012")
    w.header(rows[0])
    for row in rows[1:]:
        w.values([int(row[0]), row[1], uk_date(row[2]), *row[3:]])
    w.set_widths(dict(enumerate([7, 12, 12, 60, 12, 10, 12, 12, 60, 10, 24, 8, 12, 12, 10], start=1)))
    w.ws.freeze_panes = "B6"
    w.ws.auto_filter.ref = f"A5:O{w.row - 1}"

    w = new_sheet(wb, "Financial Challenge", f"Table 7: Financial challenge for {BEDFORDSHIRE} 2012/13-14/15")
    w.header(table7[0])
    for row in table7[1:]:
        balance = row[0].startswith(("Opening", "Closing"))
        challenge = row[0] == "QIPP Challenge"
        font = BOLD if balance or challenge else None
        w.put(1, row[0], font=font)
        for column, text in enumerate(row[1:], start=2):
            w.put(column, number(text), fmt=MILLIONS_BRACKETS, font=font, border=TOTAL_BORDER if challenge else None)
        w.row += 1
    w.set_widths({1: 42, 2: 14, 3: 14, 4: 14, 5: 14})
    cover(
        wb,
        document="Corporate Risk Register (Appendix 5 of the Strategic Commissioning Plan 2012-2015)",
        organisation="Bedfordshire CCG",
        as_at="27 April 2012",
        source=(
            "Bedfordshire Clinical Commissioning Group, Strategic Commissioning Plan 2012-2015, DRAFT V2.1 "
            "(22 May 2012), Appendix 5 Corporate Risk Register 27 April 2012 and Table 7, as presented to the "
            "Central Bedfordshire Shadow Health and Wellbeing Board on 5 July 2012; transcribed from the "
            "published text."
        ),
        notes=[
            "The register rates probability, impact, overall and residual risk as High / Medium / Low (a 3x3 register).",
            "The overall rating does not follow one matrix: Low x Medium is Medium for risks 8 and 9 but High for "
            "risks 12 and 13, as published.",
            "Financial Challenge (Table 7) is in £m; brackets are negatives. Opening and closing Total are balances.",
        ],
    )
    return save(wb, out / "bedfordshire_ccg_corporate_risk_register_2012-04-27.xlsx")


# --------------------------------------------------------------------------------------------
# 5. Southend CCG Improvement Delivery Plan performance pack (seed 004)
# --------------------------------------------------------------------------------------------

SOUTHEND_AREAS = {
    1: "1. Leadership, Structure & OD (27 Actions)",
    2: "2. Financial Management and Recovery (13 Actions)",
    3: "3. Governance and Reporting Arrangements 19 Actions",
    4: "4. Commissioning and Contracting 6 actions",
    5: "5. Joint Committee and System Working (5 actions)",
    6: "6. CCG Annual Assessment Area for Improvement/other external recommendations (27 actions)",
}
SOUTHEND_COLUMNS = [
    "Recommendation",
    "No.",
    "Action",
    "SRO",
    "Ops lead",
    "By when (end of)",
    "Outcome Measure",
    "Measurement of Success",
    "Progress Update",
    None,
    "Updated",
    "RAG",
    "new",
    "Evidence Status",
    "Evidence detail",
    "Actions to complete action",
    None,
]
# The fields of the columns before and after the progress update, dates and RAG.
SOUTHEND_LEADING = (
    "recommendation",
    "no",
    "action",
    "sro",
    "ops_lead",
    "by_when",
    "outcome_measure",
    "measurement_of_success",
)
SOUTHEND_TRAILING = ("evidence_status", "evidence_detail", "actions_to_complete", "overflow")
_FULL_DATE = re.compile(r"^\d\d/\d\d/\d{4}$")


def southend_date(text: str):
    """Dates typed as dd/mm/yyyy became real dates; `12.02.19` and `10/03/19` stayed text."""
    return uk_date(text) if _FULL_DATE.match(text) else text or None


def southend_governance(wb: Workbook) -> None:
    w = new_sheet(wb, "Governance", "Improvement Plan - Governance", note="Version control v3.17")
    for title, name in (
        ("Project Details (table 1)", "southend_project_details.tsv"),
        ("Responsible Officers for Delivery (table 2)", "southend_responsible_officers.tsv"),
    ):
        rows = read_tsv(name)
        w.title(title, SUBTITLE)
        w.header(rows[0])
        for row in rows[1:]:
            w.values(row)
        w.blank()
    w.title("RAG Key (table 4)", SUBTITLE)
    for letter, meaning in (
        ("R", "No progress against action"),
        ("A", "Actions underway"),
        ("G", "All actions in place"),
        ("B", "Completed*"),
    ):
        w.put(1, None, fill=RAG_FILLS[letter])
        w.put(2, meaning)
        w.row += 1
    footnote = "* to check that relevant actions are embedded a review will be conducted within 3 months of the action due date"
    w.ws.cell(w.row, 1, footnote).font = ITALIC
    w.set_widths({1: 28, 2: 50, 3: 50})


def southend_summary(wb: Workbook) -> None:
    rows = read_tsv("southend_rag_summary.tsv")
    w = new_sheet(
        wb, "Improvement Plan Summary", "NHS SOUTHEND CCG IMPROVEMENT DELIVERY PLAN", "Improvement Plan Summary"
    )
    w.header(rows[0])
    for row in rows[1:]:
        font, border = (BOLD, TOTAL_BORDER) if row[0].startswith("<b>") else (None, None)
        label, *cells = [re.sub(r"</?b>", "", cell) for cell in row]
        w.put(1, label, font=font, border=border)
        for column, text in enumerate(cells, start=2):
            w.put(column, number(text), font=font, border=border)
        w.row += 1
    w.blank()
    w.ws.cell(w.row, 1, "12th Feb")
    w.ws.cell(w.row + 2, 1, "Mar 10th")
    w.set_widths({1: 60, 2: 26, 3: 10, 4: 10, 5: 10})


def southend_actions(wb: Workbook) -> None:
    actions = read_json("southend_actions.json")
    w = new_sheet(wb, "IP Performance")
    w.title("IMPROVEMENT PLAN (DELIVERY)")
    w.ws.cell(w.row, 1, "red text = latest update").font = Font(color="FF0000", italic=True)
    w.row += 2
    width = len(SOUTHEND_COLUMNS)
    for area in range(1, 7):
        rows = [a for a in actions if a["area"] == area]
        w.section(SOUTHEND_AREAS[area], width)
        labels = list(SOUTHEND_COLUMNS)
        if area > 1:
            labels[10] = "Date"
            labels[12] = None
        w.header(labels)
        rec_first = None
        for action in rows:
            if action["recommendation"]:
                if rec_first is not None:
                    w.merge_down(1, rec_first, w.row - 1)
                rec_first = w.row
            w.values(
                [
                    *(action[key] for key in SOUTHEND_LEADING),
                    latest_in_red(action["progress_update"]),
                    southend_date(action["extra_date"]),
                    southend_date(action["updated"]),
                    action["rag"],
                    None,
                    *(action[key] for key in SOUTHEND_TRAILING),
                ]
            )
            if action["rag"]:
                w.ws.cell(w.row - 1, 12).fill = RAG_FILLS[action["rag"]]
        if rec_first is not None:
            w.merge_down(1, rec_first, w.row - 1)
        w.blank()
    w.set_widths(dict(enumerate([40, 8, 50, 14, 18, 16, 30, 35, 60, 11, 11, 6, 6, 30, 30, 30, 14], start=1)))
    w.ws.freeze_panes = "C4"


def southend_concerns(wb: Workbook) -> None:
    rows = read_tsv("southend_concerns.tsv")
    w = new_sheet(wb, "Action Concern Report", "Action Concern Report")
    w.header(rows[0])
    for ref, *cells in rows[1:]:
        # Two-part refs were typed as numbers, which is how 3.10 became 3.1 in the published report.
        as_number = re.fullmatch(r"\d+\.\d+", ref) is not None
        w.values([float(ref) if as_number else ref, *[cell or None for cell in cells]])
    w.set_widths({1: 8, 2: 50, 3: 20, 4: 30, 5: 10, 6: 12, 7: 40, 8: 50, 9: 40, 10: 10})


def build_southend(out: Path) -> Path:
    wb = new_workbook()
    southend_governance(wb)
    southend_summary(wb)
    southend_actions(wb)
    southend_concerns(wb)
    cover(
        wb,
        document="Improvement Delivery Plan 2018/19 Performance Pack",
        organisation="Southend CCG",
        as_at="14 March 2019",
        source=(
            "NHS Southend CCG, Improvement Delivery Plan 2018/19 Performance Pack V3.16 (version control v3.17), "
            "public Governing Body paper, transcribed from the published text."
        ),
        notes=[
            "As at 14 March 2019: the pack's front page still says 'As at January 10th January 2019', but its "
            "progress updates are dated up to 14.03.19 and the summary compares with the 'Last report (01/02/19)'; "
            "the latest date in the pack is used.",
            "IP Performance keeps the published rows: area 1 has 33 rows (two of them, 1.4 and 1.10, only head "
            "their sub-actions) against its heading of 27 actions; areas 2 to 6 have 70 rows as their headings say. "
            "The summary table counts 97 actions.",
            "RAG letters are as published (B blue, G green, A amber, R red, blank) and the RAG cell carries the "
            "colour; 1.10.2 is R although its text ends 'Complete'.",
            "Action Concern Report: faults kept as published: row 1.1 holds the text of 1.10, 3.1 is 3.10 "
            "(refs typed as numbers lose a trailing zero) and 2.8 appears twice.",
            "Progress updates: the latest update is shown in red text, as in the pack. The RAG key (Governance, "
            "table 4) lost its colours in the published text; they are restored from the summary counts.",
        ],
    )
    return save(wb, out / "southend_ccg_improvement_delivery_plan_2019-03-14.xlsx")


# --------------------------------------------------------------------------------------------

BUILDERS = (
    build_bedfordshire_baf,
    build_cambridgeshire_peterborough,
    build_oxfordshire,
    build_bedfordshire_crr,
    build_southend,
)


def build_all(out: Path = SAMPLES) -> list[Path]:
    return [builder(out) for builder in BUILDERS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the sample workbooks from the transcribed source documents.")
    parser.add_argument("--out", type=Path, default=SAMPLES, help=f"output folder (default: {SAMPLES})")
    args = parser.parse_args(argv)
    for path in build_all(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
