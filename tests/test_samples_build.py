"""The sample workbooks: rebuilt from the transcriptions, read back with openpyxl, checked against the sources."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook

from data import build_samples

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "data" / "samples"

BAF = "bedfordshire_ccg_assurance_framework_2019-03-28.xlsx"
CP = "cambridgeshire_peterborough_ccg_improvement_delivery_plan_2018-19_m3.xlsx"
OCCG = "oxfordshire_ccg_assurance_framework_2020-04-21.xlsx"
CRR = "bedfordshire_ccg_corporate_risk_register_2012-04-27.xlsx"
SOUTHEND = "southend_ccg_improvement_delivery_plan_2019-03-14.xlsx"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    build_samples.build_all(out)
    return out


@pytest.fixture(scope="module")
def books(built):
    return {path.name: load_workbook(path) for path in built.glob("*.xlsx")}


def rows_below(ws, header_row: int):
    yield from ws.iter_rows(min_row=header_row + 1, values_only=True)


def find_row(ws, first_cell: str) -> int:
    for row in ws.iter_rows():
        if row[0].value == first_cell:
            return row[0].row
    raise AssertionError(f"no row starting {first_cell!r} in {ws.title}")


# ---------------------------------------------------------------------------------------------


def test_one_workbook_per_source_document(built):
    assert sorted(p.name for p in built.glob("*.xlsx")) == sorted([BAF, CP, OCCG, CRR, SOUTHEND])


def test_rebuilding_writes_the_same_bytes_as_the_committed_workbooks(built, tmp_path):
    again = build_samples.build_all(tmp_path)
    for path in again:
        assert path.read_bytes() == (built / path.name).read_bytes(), path.name
        assert (COMMITTED / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name} is stale: run python -m data.build_samples"
        )


@pytest.mark.parametrize(
    ("name", "organisation", "as_at"),
    [
        (BAF, "Bedfordshire CCG", "28 March 2019"),
        (CP, "Cambridgeshire and Peterborough CCG", "30 July 2018"),
        (OCCG, "Oxfordshire CCG", "21 April 2020"),
        (CRR, "Bedfordshire CCG", "27 April 2012"),
        (SOUTHEND, "Southend CCG", "14 March 2019"),
    ],
)
def test_every_workbook_opens_on_a_cover_naming_organisation_date_and_source(books, name, organisation, as_at):
    wb = books[name]
    assert wb.sheetnames[0] == "Cover"
    texts = [c for c in (row[0] for row in wb["Cover"].iter_rows(values_only=True)) if c]
    assert f"Organisation: {organisation}" in texts
    assert any(t.startswith(f"As at: {as_at}") for t in texts)
    assert any(t.startswith("Source: ") and "transcribed" in t for t in texts)
    assert set(wb.sheetnames[1:]) <= set(texts), "the cover lists every sheet"


def test_merged_ranges_never_overlap_and_hold_their_value_top_left(books):
    for name, wb in books.items():
        for ws in wb:
            covered = set()
            for merged in ws.merged_cells.ranges:
                cells = {(r, c) for r, c in merged.cells}
                assert not cells & covered, (name, ws.title, str(merged))
                covered |= cells
                top_left = (merged.min_row, merged.min_col)
                assert all(ws.cell(r, c).value is None for r, c in cells - {top_left}), (name, ws.title, str(merged))


# --- Bedfordshire BAF -------------------------------------------------------------------------


def test_baf_has_the_eleven_principal_risks_with_scores_as_published(books):
    ws = books[BAF]["Principal Risks"]
    header = find_row(ws, "Risk Ref")
    risks = {row[0]: row for row in rows_below(ws, header) if row[0] and not str(row[0]).startswith("Objective")}
    assert list(risks) == ["1.1", "1.2", "1.3", "1.4", "2.1a", "2.1b", "3.1", "4.1", "5.1", "5.2", "5.3"]
    assert risks["1.1"][8:11] == ("$3 \\times 4 = 12$", "$2 \\times 2 = 4$", "$1 \\times 1 = 1$")
    assert risks["1.4"][8] == "<p>4 x 4 = 16</p>"
    assert risks["3.1"][8:11] == ("4.x 4 = 16", "4 x 4 = 16", "3 x 3 = 9")
    assert risks["5.2"][8:11] == ("4 x 5 = 20", "2 x 4 = 8", "1 x 1 = 1")
    assert risks["3.1"][5] == "28th March 2019"
    assert risks["3.1"][3] is None, "the published 3.1 has no director"


def test_baf_risk_31_has_three_cause_rows_under_one_merged_score(books):
    ws = books[BAF]["Principal Risks"]
    first = find_row(ws, "3.1")
    causes = [ws.cell(first + n, 7).value for n in range(3)]
    assert causes[0].startswith("Difficulties in recruiting") and causes[2].startswith("Lack of resource")
    merged = {str(r) for r in ws.merged_cells.ranges}
    for column in ("A", "I", "J", "K"):
        assert f"{column}{first}:{column}{first + 2}" in merged


def test_baf_controls_carry_assurance_levels_and_actions_their_owners_wording(books):
    controls = books[BAF]["Controls and Assurances"]
    levels = Counter(re.sub(r"</?p>", "", row[3]) for row in rows_below(controls, 4) if row[3])
    assert levels == {
        "1 (Low)": 29,
        "1 (low)": 4,
        "2 (Medium)": 41,
        "2 (medium)": 5,
        "3 (substantial)": 12,
        "3 (Substantial)": 1,
        "3 (substantive)": 2,
    }
    actions = books[BAF]["Action Plans"]
    headers = {row[1] for row in actions.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("Remedial")}
    assert headers == {"By when?", "By when?/Status"}


# --- Cambridgeshire & Peterborough ------------------------------------------------------------


def qipp_area_table(ws):
    """{area: {stage: (count, value)}} and the Totals row, read from the two-row header layout."""
    top = find_row(ws, "Expenditure area")
    stages = {}
    for cell in ws[top]:
        match = re.match(r"^(\d) - ", str(cell.value or ""))
        if match:
            stages[int(match.group(1))] = cell.column
    table, totals, row_totals = {}, None, {}
    for row in ws.iter_rows(min_row=top + 2):
        label = row[0].value
        if label is None or str(label).startswith("Memorandum"):
            break
        cells = {s: (row[c - 1].value, row[c].value) for s, c in stages.items()}
        cells = {s: (n or 0, v or 0) for s, (n, v) in cells.items() if n not in (None, "-") and (n or v)}
        if label == "Totals":
            totals = cells
        else:
            table[label] = cells
            row_totals[label] = row[14].value
    return table, totals, row_totals


def tracker(wb):
    ws = wb["QIPP Tracker"]
    header = find_row(ws, "Scheme Ref")
    names = [c.value for c in ws[header]]
    return [dict(zip(names, row, strict=True)) for row in rows_below(ws, header) if row[0]]


def test_qipp_tracker_reproduces_the_area_by_stage_table_exactly(books):
    wb = books[CP]
    table, totals, _ = qipp_area_table(wb["QIPP by Area"])
    schemes = tracker(wb)
    assert len(schemes) == 55
    built = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for scheme in schemes:
        stage = int(scheme["Stage"].split(" - ")[0])
        built[scheme["Expenditure Area"]][stage][0] += 1
        built[scheme["Expenditure Area"]][stage][1] += scheme["Net Value (£'000s)"]
    for area, stages in table.items():
        for stage, (count, value) in stages.items():
            if count == 0:
                continue
            assert tuple(built[area][stage]) == (count, value), (area, stage)
        assert {s for s, (n, _) in stages.items() if n} == set(built[area]), area
    assert set(built) == set(table)
    for stage, (count, value) in totals.items():
        assert sum(built[a][stage][0] for a in built) == count
        assert sum(built[a][stage][1] for a in built) == value


def test_qipp_area_table_keeps_the_published_prescribing_total(books):
    table, _, row_totals = qipp_area_table(books[CP]["QIPP by Area"])
    assert row_totals["Prescribing"] == 4924
    assert sum(v for _, v in table["Prescribing"].values()) == 4923


def test_qipp_tracker_reproduces_the_rag_table_exactly(books):
    wb = books[CP]
    ws = wb["QIPP RAG"]
    header = find_row(ws, "Status")
    published = {}
    status = None
    for row in rows_below(ws, header):
        if row[1] is None:
            break
        status = row[0] or status
        published[(status, row[1])] = (row[2], row[3])
    built = defaultdict(lambda: [0, 0])
    for scheme in tracker(wb):
        status = "Pipeline" if scheme["Stage"].startswith("0") else "Schemes in delivery"
        built[(status, scheme["RAG"])][0] += scheme["Net Value (£'000s)"]
        built[(status, scheme["RAG"])][1] += scheme["Risk Adjusted Value (£'000s)"]
    assert {k: tuple(v) for k, v in built.items()} == published
    assert published[("Schemes in delivery", "Red")] == (2909, 1745)
    assert published[("Pipeline", "Red")] == (600, 300)


def test_month_3_total_row_and_bracketed_variances(books):
    ws = books[CP]["M3 Position"]
    total = [c.value for c in ws[find_row(ws, "Total Expenditure")]]
    assert total[1] == 304393
    assert ws.cell(find_row(ws, "Acute Services"), 4).value == "(1,976)"
    assert ws.cell(find_row(ws, "In year deficit"), 2).value == "(8,767)"


def test_financial_plan_corner_cell_and_section_row(books):
    ws = books[CP]["Financial Plan"]
    assert ws.cell(find_row(ws, "£m"), 1).value == "£m"
    total = [c.value for c in ws[find_row(ws, "Total spend")]]
    assert total[12] == 1216091
    expenditure = find_row(ws, "Expenditure")
    assert all(c.value is None for c in ws[expenditure][1:])


def test_improvement_plan_has_68_actions_with_ref_only_on_first_rows(books):
    ws = books[CP]["Improvement Plan"]
    header = find_row(ws, "Ref")
    rows = [r for r in rows_below(ws, header) if r[4] is not None]
    assert len(rows) == 68
    refs = [r[0] for r in rows if r[0] is not None]
    assert refs == list(range(1, 18))
    assert rows[0][2].startswith("a GB to formally sign off"), "Leadership letters are merged into the text"
    assert {r[4] for r in rows} >= {"24-May", "Ongoing (Start in June)", "NA", "Immediate"}
    assert all(isinstance(r[4], str) for r in rows)


def test_operational_risks_have_sections_and_score_words(books):
    ws = books[CP]["Operational Risks"]
    header = find_row(ws, "Risk")
    rows = [r for r in rows_below(ws, header) if r[0]]
    sections = [r[0] for r in rows if r[1] is None]
    assert sections == [
        "Service/Transformation Delivery",
        "Stakeholder Management",
        "Quality Management",
        "Financial Management",
        "Governance/Leadership",
    ]
    assert len(rows) - len(sections) == 16
    assert rows[1][1:4] == ("20 4x5 Red", "20 4x5", "10 2x5 Amber")


def test_activity_plan_codes_and_monthly_plan(books):
    ws = books[CP]["Activity Plan"]
    header = find_row(ws, "Code")
    names = [c.value for c in ws[header]]
    rows = {r[0]: dict(zip(names, r, strict=True)) for r in rows_below(ws, header) if r[0]}
    assert len(rows) == 12 and "E.M.10a" in rows
    months = names[names.index("Apr") :]
    assert len(months) == 12
    assert sum(rows["E.M.7"][m] for m in months) == rows["E.M.7"]["18/19 Plan"] == 315252
    assert rows["E.M.11a"]["17/18 OT"] is None and rows["E.M.10b"]["17/18 to 18/19"] == "14%"


# --- Oxfordshire ------------------------------------------------------------------------------


def test_occg_register_has_eight_risks_under_a_two_row_header(books):
    ws = books[OCCG]["Risk Register"]
    top = find_row(ws, "Ref")
    assert [ws.cell(top, c).value for c in (9, 12, 15)] == ["Initial", "Current", "Target"]
    assert [ws.cell(top + 1, c).value for c in (9, 10, 11)] == ["Likelihood", "Consequence", "Overall rating"]
    risks = [r for r in ws.iter_rows(min_row=top + 2, values_only=True) if r[0]]
    assert [r[0] for r in risks] == [f"AF{n}" for n in range(28, 36)]
    by_ref = {r[0]: r for r in risks}
    assert by_ref["AF29"][2] is None
    assert by_ref["AF35"][8:17] == ("LIKELY", "MAJOR", 16, "LIKELY", "MAJOR", 16, "RARE", "MAJOR", 4)
    assert by_ref["AF33"][9] == "MOD"
    assert by_ref["AF28"][4] == "Quality Team (CCG), Sula Wiltshire"
    assert max(r[6] for r in risks).strftime("%d/%m/%Y") == "21/04/2020"


# --- Bedfordshire corporate risk register -----------------------------------------------------


def test_crr_has_21_risks_on_a_three_point_scale(books):
    wb = books[CRR]
    ws = wb["Corporate Risk Register"]
    header = find_row(ws, "Risk ID")
    assert [c.value for c in ws[header]][-3:] == ["Updated", "Review Date", "Risk Status"]
    rows = [r for r in rows_below(ws, header) if r[0] is not None]
    assert [r[0] for r in rows] == list(range(1, 22))
    assert {r[c] for r in rows for c in (4, 5, 6, 9)} == {"High", "Medium", "Low"}
    listed = {
        1: ("25/04/2012", "25/04/2012"),
        7: ("23/04/2012", "13/05/2012"),
        10: ("23/04/2012", "23/04/2012"),
        11: ("25/04/2012", "18/05/2012"),
        12: ("23/04/2012", "30/05/2012"),
        16: ("23/04/2012", "15/05/2012"),
        21: ("27/04/2012", "04/05/2012"),
    }
    for r in rows:
        assert (r[12], r[13]) == listed.get(r[0], ("25/04/2012", "15/05/2012")), r[0]


def test_crr_financial_challenge_in_millions_with_brackets(books):
    ws = books[CRR]["Financial Challenge"]
    row = find_row(ws, "Pay & Price Pressures")
    assert ws.cell(row, 2).value == -5.62 and ws.cell(row, 2).number_format == build_samples.MILLIONS_BRACKETS
    assert ws.cell(find_row(ws, "QIPP Challenge"), 5).value == 18.77


# --- Southend ---------------------------------------------------------------------------------

NOT_B = {
    "1.3.2": "G",
    "1.10.2": "R",
    "1.10.1": None,
    "1.10.3": None,
    "1.4": None,
    "1.10": None,
    "2.4": "A",
    "2.5": "G",
    "2.9": "R",
    "3.1": "G",
    "3.3": "G",
    "3.15": "G",
    "3.4": "A",
    "4.1": "G",
    "4.6": "R",
    "5.4": "G",
    "6.15": "G",
    "6.19": "G",
    "6.16": "A",
    "6.17": "A",
    "6.22": "A",
    "6.23": "A",
    "6.24": "A",
    "6.25": "A",
    "6.26": "A",
}


def southend_rows(ws):
    """{area number: (heading, [row tuples])} from the IP Performance sheet."""
    areas = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        first = row[0]
        if isinstance(first, str) and re.match(r"^\d\. ", first) and all(v is None for v in row[1:]):
            current = int(first[0])
            areas[current] = (first, [])
        elif current and row[2] and row[2] != "Action":
            areas[current][1].append(row)
    return areas


def test_southend_actions_by_area_and_their_rag_letters(books):
    areas = southend_rows(books[SOUTHEND]["IP Performance"])
    stated = {n: int(re.search(r"(\d+) [Aa]ctions", heading).group(1)) for n, (heading, _) in areas.items()}
    assert sum(stated.values()) == 97
    for n in range(2, 7):
        assert len(areas[n][1]) == stated[n], n
    # Area 1 as published: 33 rows under a heading of 27 (1.4 and 1.10 only head their sub-actions).
    assert len(areas[1][1]) == 33
    letters = {}
    for _, rows in areas.values():
        for row in rows:
            letters[row[1] or f"(unnumbered {len(letters)})"] = row[11]
    for ref, letter in letters.items():
        assert letter == NOT_B.get(ref, "B"), ref
    assert all(isinstance(ref, str) for ref in letters)
    assert "1.10" in letters and "1.1" in letters


def test_southend_summary_table(books):
    ws = books[SOUTHEND]["Improvement Plan Summary"]
    header = find_row(ws, "Improvement Areas")
    rows = {r[0]: r[1:5] for r in rows_below(ws, header) if r[0] and r[1] is not None}
    assert rows["Total"] == (3, 9, 8, 77) and sum(rows["Total"]) == 97
    assert rows["Last report (01/02/19)"] == (7, 9, 11, 70)
    areas = [v for k, v in rows.items() if re.match(r"^\d\.", k)]
    assert tuple(map(sum, zip(*areas, strict=True))) == rows["Total"]


def test_southend_concern_report_keeps_the_published_faults(books):
    ws = books[SOUTHEND]["Action Concern Report"]
    header = find_row(ws, "Action no")
    rows = [r for r in rows_below(ws, header) if r[0] is not None]
    assert rows[0][0] == 1.1 and rows[0][1].startswith("To undertake governance review")
    assert rows[0][2] == "30/11/18 (01/09/18)"
    assert (3.1, "Update OD Strategy") in {(r[0], r[1]) for r in rows}
    assert Counter(r[0] for r in rows)[2.8] == 2
    assert "1.4.1" in {r[0] for r in rows}
