"""Workbooks laid out unlike the samples load to the right records (tests/corpus/messy), and the
malformed corpus's loadable files report the issue each is built to provoke."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

import loaders
from tests.corpus import bad_files, messy


def load(builder):
    result = loaders.load_workbook(builder(), builder.__name__ + ".xlsx")
    assert result.errors == []
    return result


def only(result, kind):
    found = [d for d in result.datasets if d.kind == kind]
    assert len(found) == 1, [(d.kind, d.sheet) for d in result.datasets]
    return found[0]


def codes(result) -> set[str]:
    return {i.code for i in result.issues} | {i.code for d in result.datasets for i in d.issues}


def stages(record) -> list:
    return [
        record[f"{s}_{a}"] for s in ("initial", "current", "target") for a in ("likelihood", "consequence", "score")
    ]


def test_reordered_renamed_columns_under_logo_rows():
    result = load(messy.risk_register_reordered)
    assert (result.org, result.as_at) == ("Messy CCG", "2019-10-31")
    risks = only(result, "risks")
    assert risks.header_row == 5
    by_ref = {r["ref"]: r for r in risks.records}
    assert list(by_ref) == ["R-01", "R-02", "R-03"]
    assert stages(by_ref["R-01"]) == [4, 4, 16, 3, 3, 9, 2, 2, 4]
    assert by_ref["R-01"]["owner"] == "CFO" and by_ref["R-01"]["title"] == "Financial balance"
    assert by_ref["R-02"]["last_reviewed"] == "2019-10-01"
    assert stages(by_ref["R-03"]) == [None, None, 16, None, None, 12, None, None, 4]
    assert by_ref["R-03"]["last_reviewed"] == "2019-10-01"
    assert risks.columns["ref"] == "D" and risks.columns["current_score"] == "A"


def test_group_row_of_stages_over_l_c_score_with_words():
    risks = only(load(messy.risk_register_split_columns), "risks")
    by_ref = {r["ref"]: r for r in risks.records}
    assert stages(by_ref["CR1"]) == [4, 4, 16, 3, 4, 12, 1, 4, 4]
    assert stages(by_ref["CR2"]) == [2, 5, 10, 2, 4, 9, 1, 4, 4]
    mismatch = [i for i in risks.issues if i.code == "score_mismatch"]
    assert [i.cell for i in mismatch] == ["Register!I5"]
    assert "9" in mismatch[0].message and "8" in mismatch[0].message


def test_scheme_tracker_with_fills_text_numbers_and_a_total():
    result = load(messy.scheme_tracker_fills_and_text_numbers)
    schemes = only(result, "qipp_schemes")
    by_ref = {r["ref"]: r for r in schemes.records}
    assert [by_ref[k]["rag"] for k in ("S1", "S2", "S3", "S4")] == ["green", "amber", "red", None]
    assert [by_ref[k]["value"] for k in ("S1", "S2", "S3", "S4")] == [1250, -40, 300, 75]
    assert [by_ref[k]["stage"] for k in ("S1", "S2", "S3", "S4")] == [3, 2, 1, 0]
    assert [by_ref[k]["recurrent"] for k in ("S1", "S2", "S3", "S4")] == [True, False, True, False]
    assert "total_mismatch" not in codes(result)  # 1,585 is the sum
    assert any(i.code == "rag_from_fill" for i in schemes.issues)


def test_two_tables_on_one_sheet():
    result = load(messy.two_tables_on_one_sheet)
    targets = only(result, "qipp_targets")
    assert [(r["area"], r["target"]) for r in targets.records] == [("Planned Care", 2000), ("Prescribing", 1500)]
    actions = only(result, "actions")
    by_ref = {r["ref"]: r for r in actions.records}
    assert [r["area"] for r in actions.records] == ["Governance", "Governance", "Finance", "Finance"]
    g1 = by_ref["G1"]
    assert (g1["due_date"], g1["original_due_date"], g1["rag"]) == ("2019-11-30", "2019-09-30", "amber")
    assert by_ref["G2"]["due_text"] == "Ongoing" and by_ref["G2"]["due_date"] is None
    assert by_ref["F1"]["rag"] == "blue" and by_ref["F1"]["rag_label"] is None  # colour only
    unreadable = [i for i in actions.issues if i.code == "unreadable_date"]
    assert len(unreadable) == 1 and "sometime soon" in unreadable[0].message


def test_canonical_headers_and_synthetic_marker():
    result = load(messy.canonical_headers)
    assert result.synthetic and result.org == "Demo CCG" and result.as_at == "2019-06-30"
    lines = only(result, "finance_lines")
    assert [(r["line"], r["is_total"], r["month"], r["financial_year"]) for r in lines.records] == [
        ("Acute", False, 3, "2019/20"),
        ("Primary care", False, 3, "2019/20"),
        ("Total", True, 3, "2019/20"),
    ]
    assert lines.records[0]["ytd_variance"] == -10


def test_activity_months_as_dates_over_plan_and_actual():
    result = load(messy.activity_with_actuals)
    monthly = only(result, "activity").records
    rows = {(r["code"], r["month"]): (r["plan"], r["actual"]) for r in monthly}
    assert rows[("A1", "2019-04-01")] == (100, 98)
    assert rows[("A1b", "2019-05-01")] == (40, 43)
    assert rows[("A1", "2019-06-01")] == (100, None)
    assert {r["code"]: r["plan"] for r in only(result, "activity_annual").records} == {
        "A1": 300,
        "A1a": 180,
        "A1b": 120,
    }
    assert "hidden_sheet" in codes(result)
    hidden = only(result, "risks")
    assert hidden.sheet == "Old risks" and hidden.records[0]["current_score"] == 9


def test_finance_two_row_header_in_millions_with_an_unlabelled_total():
    lines = only(load(messy.finance_two_row_header), "finance_lines")
    by_line = {r["line"]: r for r in lines.records}
    assert by_line["Acute"]["ytd_budget"] == 10500 and by_line["Acute"]["forecast_variance"] == -1000
    assert by_line["Community"]["forecast_outturn"] == 7500
    total = by_line["Total"]
    assert total["is_total"] and total["ytd_budget"] == 14500
    assert {r["month"] for r in lines.records} == {6}
    assert not [i for i in lines.issues if i.severity != "info"]


LOADABLE = [entry for entry in bad_files.CORPUS if entry.expect == "issue"]


@pytest.mark.parametrize("entry", LOADABLE, ids=[e.name for e in LOADABLE])
def test_malformed_corpus_reports_its_issue(entry):
    result = loaders.load_workbook(entry.build(), entry.name)
    assert result.errors == []
    assert entry.code in codes(result)
    everything = list(result.issues) + [i for d in result.datasets for i in d.issues]
    for found in everything:
        if found.code == entry.code and found.code not in ("no_tables", "hidden_sheet", "no_rows"):
            assert "!" in found.cell  # a cell a person can find


def qipp_tracker_with_raw_cells(raw: dict[int, bytes]) -> bytes:
    """A QIPP tracker whose value cells hold the given raw XML numbers (``<v>inf</v>``), as a hostile or
    broken writer can leave them; keyed by the placeholder number written first."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "QIPP"
    sheet.append(["Organisation:", "Test CCG"])
    sheet.append(["As at:", "2018-06-30"])
    sheet.append([])
    sheet.append(["Ref", "Scheme", "Area", "Stage", "RAG", "Net Value (£'000)"])
    for n, placeholder in enumerate([*raw, 50], 1):
        sheet.append([f"Q{n}", f"Scheme {n}", "Acute", "3 - Delivery", "Green", placeholder])
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                for placeholder, text in raw.items():
                    data = data.replace(f"<v>{placeholder}</v>".encode(), b"<v>" + text + b"</v>")
            target.writestr(item, data)
    return out.getvalue()


def test_infinite_and_nan_number_cells_are_refused_with_their_cells():
    data = qipp_tracker_with_raw_cells({111: b"inf", 222: b"NaN", 333: b"-inf"})
    schemes = only(loaders.load_workbook(data, "raw-numbers.xlsx"), "qipp_schemes")
    assert [r["value"] for r in schemes.records] == [None, None, None, 50]
    refused = {i.cell: i.message for i in schemes.issues if i.code == "unreadable_number"}
    assert set(refused) == {"QIPP!F5", "QIPP!F6", "QIPP!F7"}
    assert "inf" in refused["QIPP!F5"] and "NaN" in refused["QIPP!F6"]
