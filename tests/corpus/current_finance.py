"""Month-end finance reports laid out as integrated care boards keep them today: a cover sheet stating the
period in words, lines under section headings with a sub-total named for each section, a units row under the
header, units stated only in a title, figures in pounds or in £m, totals at the top, last month's forecast
variance beside this month's."""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = ["Annual Budget", "YTD Budget", "YTD Actual", "YTD Variance", "Forecast Outturn", "Forecast Variance"]
HEADER_FIELDS = ["annual_budget", "ytd_budget", "ytd_actual", "ytd_variance", "forecast_outturn", "forecast_variance"]

# (section, line, annual budget, ytd budget, ytd actual, forecast outturn, prior month forecast variance);
# variances are budget less actual (favourable positive).
ACUTE = [
    ("Acute Services", "Northfield Hospitals NHS FT", 412_300, 240_508, 243_120, 416_900, -3_950),
    ("Acute Services", "Southgate University Hospitals", 198_450, 115_763, 115_210, 197_800, 410),
    ("Acute Services", "Independent Sector", 24_600, 14_350, 15_020, 25_700, -900),
]
MENTAL_HEALTH = [
    ("Mental Health", "Northfield Partnership NHS FT", 96_200, 56_117, 56_117, 96_200, 0),
    ("Mental Health", "Out of Area Placements", 8_400, 4_900, 5_630, 9_650, -1_050),
]
COMMUNITY = [
    ("Community Services", "Community Health Services", 61_800, 36_050, 35_900, 61_500, 250),
    ("Community Services", "Continuing Healthcare", 72_300, 42_175, 43_060, 73_800, -1_200),
]
PRIMARY = [
    ("Primary Care", "Delegated Primary Care", 118_900, 69_358, 69_200, 118_700, 150),
    ("Primary Care", "Prescribing", 121_500, 70_875, 72_010, 123_400, -1_600),
]
SECTIONS = [ACUTE, MENTAL_HEALTH, COMMUNITY, PRIMARY]
ALLOCATION = ("Allocation", 1_130_000, 659_167, 659_167, 1_130_000)


def figures(line: tuple) -> list:
    """annual budget, YTD budget, YTD actual, YTD variance, forecast outturn, forecast variance."""
    _, _, annual, ytd_budget, ytd_actual, forecast, _ = line
    return [annual, ytd_budget, ytd_actual, ytd_budget - ytd_actual, forecast, annual - forecast]


def summed(lines: list[tuple]) -> list:
    columns = [figures(line) for line in lines]
    return [sum(values) for values in zip(*columns, strict=True)]


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cover(book: Workbook, *phrases: str) -> None:
    cover = book.active
    cover.title = "Cover"
    cover["B2"] = "NHS Northfield Integrated Care Board"
    for r, phrase in enumerate(phrases, start=4):
        cover.cell(row=r, column=2, value=phrase)


def sectioned_month_7() -> bytes:
    """A cover sheet's 'Month 7'; a units row under the header; sections each closed by 'Total <section>';
    a grand total of every line, then the allocation and 'Surplus / (Deficit)'."""
    book = Workbook()
    _cover(book, "Finance Report to the Board", "Month 7 2023/24", "Position at 31 October 2023")
    sheet = book.create_sheet("Summary")
    sheet.append(["Summary financial position"])
    sheet.append([])
    sheet.append(["Budget Area", *HEADER, "Prior Month Forecast Variance"])
    sheet.append([None, "£'000", "£'000", "£'000", "Fav / (Adv)", "£'000", "Fav / (Adv)", "Fav / (Adv)"])
    for section in SECTIONS:
        sheet.append([section[0][0]])
        for line in section:
            sheet.append([line[1], *figures(line), line[6]])
        sheet.append([f"Total {section[0][0]}", *summed(section), sum(line[6] for line in section)])
    every = [line for section in SECTIONS for line in section]
    sheet.append(["Total ICB Expenditure", *summed(every), sum(line[6] for line in every)])
    _, annual, ytd_budget, ytd_actual, forecast = ALLOCATION
    sheet.append(["Allocation", annual, ytd_budget, ytd_actual, ytd_actual - ytd_budget, forecast, 0, 0])
    spend = summed(every)
    deficit = [annual - spend[0], ytd_budget - spend[1], ytd_actual - spend[2], spend[3], forecast - spend[4]]
    sheet.append(["Surplus / (Deficit)", *deficit, spend[5], sum(line[6] for line in every)])
    return _save(book)


def totals_at_the_top() -> bytes:
    """The overall total first, then each section's sub-total above its lines; units only in the title (£000s);
    the period as 'Period ending' on the cover."""
    book = Workbook()
    _cover(book, "Month-end finance report", "Period ending 31 October 2023")
    sheet = book.create_sheet("Position")
    sheet.append(["Expenditure position £000s"])
    sheet.append(["Area", *HEADER])
    every = [line for section in SECTIONS for line in section]
    sheet.append(["Total Expenditure", *summed(every)])
    for section in SECTIONS:
        sheet.append([f"Total {section[0][0]}", *summed(section)])
        for line in section:
            sheet.append([line[1], *figures(line)])
    return _save(book)


def in_pounds() -> bytes:
    """Figures written in pounds ('Month 7 position (£)'); sections without sub-totals, a grand total at the end."""
    book = Workbook()
    sheet = book.active
    sheet.title = "M7 Position"
    sheet.append(["NHS Northfield ICB"])
    sheet.append(["Month 7 2023/24 position (£)"])
    sheet.append(["Service", *HEADER, "Last Month Forecast Variance"])
    for section in (ACUTE, MENTAL_HEALTH):
        sheet.append([section[0][0]])
        for line in section:
            sheet.append([line[1], *(v * 1000 for v in figures(line)), line[6] * 1000])
    both = ACUTE + MENTAL_HEALTH
    sheet.append(["Total", *(v * 1000 for v in summed(both)), sum(line[6] for line in both) * 1000])
    return _save(book)


def in_millions() -> bytes:
    """Figures in £m stated in the title; sub-totals named 'Acute Services Total'; a units row of '£m'."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Finance"
    sheet.append(["NHS Northfield ICB - Month 7 2023/24 - Financial Position (£m)"])
    sheet.append(["Programme", *HEADER, "Previous Month FOT Variance"])
    sheet.append([None, "£m", "£m", "£m", "£m", "£m", "£m", "£m"])
    for section in (ACUTE, PRIMARY):
        sheet.append([section[0][0]])
        for line in section:
            sheet.append([line[1], *(v / 1000 for v in figures(line)), line[6] / 1000])
        sheet.append(
            [f"{section[0][0]} Total", *(v / 1000 for v in summed(section)), sum(x[6] for x in section) / 1000]
        )
    return _save(book)


def wrong_sub_total() -> bytes:
    """A section sub-total that does not add up: the difference is reported against that section alone."""
    book = Workbook()
    _cover(book, "Month 7")
    sheet = book.create_sheet("Summary")
    sheet.append(["Financial position 2023/24 £'000"])
    sheet.append(["Budget Area", *HEADER])
    for section in (ACUTE, MENTAL_HEALTH):
        sheet.append([section[0][0]])
        for line in section:
            sheet.append([line[1], *figures(line)])
        total = summed(section)
        if section is MENTAL_HEALTH:
            total[2] += 500  # YTD actual stated 500 more than its lines
        sheet.append([f"Total {section[0][0]}", *total])
    return _save(book)


def generic_sub_totals() -> bytes:
    """Headings over income and spending, each section closed by a plain 'Sub-total', a grand 'Total' of the
    spending, sign words as a units row, and last month's forecast variance headed after the fact."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Month 7"
    sheet.append(["NHS Northfield ICB", None, None, "Month 7 2023/24"])
    sheet.append(["Description", *HEADER, "Forecast Variance Last Month"])
    sheet.append(["£000s", None, None, None, "Fav / (Adv)", None, "Fav / (Adv)", "Fav / (Adv)"])
    _, annual, ytd_budget, ytd_actual, forecast = ALLOCATION
    sheet.append(["Income"])
    sheet.append(["Allocation", annual, ytd_budget, ytd_actual, ytd_actual - ytd_budget, forecast, 0, 0])
    for section in (ACUTE, COMMUNITY):
        sheet.append([section[0][0]])
        for line in section:
            sheet.append([line[1], *figures(line), line[6]])
        sheet.append(["Sub-total", *summed(section), sum(line[6] for line in section)])
    both = ACUTE + COMMUNITY
    sheet.append(["Total", *summed(both), sum(line[6] for line in both)])
    return _save(book)


def section_column() -> bytes:
    """A pivot-style report: each directorate named once in its own column, merged down over its lines, with
    '<directorate> Total' beneath; a grand total at the end."""
    book = Workbook()
    sheet = book.active
    sheet.title = "M7 Directorates"
    sheet.append(["Month 7 2023/24 Directorate Budget Statement (£'000)"])
    sheet.append(["Directorate", "Budget Line", *HEADER, "Last Month Forecast Variance"])
    for section in (MENTAL_HEALTH, PRIMARY):
        first = sheet.max_row + 1
        for n, line in enumerate(section):
            sheet.append([section[0][0] if n == 0 else None, line[1], *figures(line), line[6]])
        sheet.merge_cells(start_row=first, start_column=1, end_row=sheet.max_row, end_column=1)
        sheet.append([f"{section[0][0]} Total", None, *summed(section), sum(line[6] for line in section)])
    both = MENTAL_HEALTH + PRIMARY
    sheet.append(["Grand Total", None, *summed(both), sum(line[6] for line in both)])
    return _save(book)


def grouped_header() -> bytes:
    """A two-row header ('Year to Date' and 'Full Year' over Budget / Actual / Variance, 'Last Month' over
    Forecast Variance) with a units row beneath; sections with their totals."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Month 7"
    sheet.append(["NHS Northfield ICB Month 7 2023/24 Position"])
    sheet.append([None, "Year to Date", None, None, "Full Year", None, None, "Last Month"])
    sheet.merge_cells("B2:D2")
    sheet.merge_cells("E2:G2")
    sheet.append(["Area", "Budget", "Actual", "Variance", "Budget", "Forecast", "Variance", "Forecast Variance"])
    sheet.append([None, *["£'000"] * 7])
    for section in (ACUTE, MENTAL_HEALTH):
        sheet.append([section[0][0]])
        for line in section:
            annual, ytd_budget, ytd_actual, ytd_variance, forecast, variance = figures(line)
            sheet.append([line[1], ytd_budget, ytd_actual, ytd_variance, annual, forecast, variance, line[6]])
        annual, ytd_budget, ytd_actual, ytd_variance, forecast, variance = summed(section)
        prior = sum(line[6] for line in section)
        sheet.append(
            [f"Total {section[0][0]}", ytd_budget, ytd_actual, ytd_variance, annual, forecast, variance, prior]
        )
    return _save(book)


def headings_with_figures() -> bytes:
    """Each section's row carries its section's figures above its lines, with no 'Total' in its name; the
    overall total at the end."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Summary"
    sheet.append(["Month 7 2023/24 summary position £'000"])
    sheet.append(["Service", *HEADER])
    for section in (ACUTE, COMMUNITY, PRIMARY):
        sheet.append([section[0][0], *summed(section)])
        for line in section:
            sheet.append([f"  {line[1]}", *figures(line)])
    every = ACUTE + COMMUNITY + PRIMARY
    sheet.append(["Total Commissioning", *summed(every)])
    return _save(book)


VARIANTS = {
    "finance_sectioned_m7.xlsx": sectioned_month_7,
    "finance_totals_at_top.xlsx": totals_at_the_top,
    "finance_in_pounds.xlsx": in_pounds,
    "finance_in_millions.xlsx": in_millions,
    "finance_wrong_sub_total.xlsx": wrong_sub_total,
    "finance_generic_sub_totals.xlsx": generic_sub_totals,
    "finance_section_column.xlsx": section_column,
    "finance_grouped_header.xlsx": grouped_header,
    "finance_headings_with_figures.xlsx": headings_with_figures,
}
