"""Table downloads: CSV and XLSX bytes that a spreadsheet cannot run as formulas; numbers stay numbers."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd

from store.export import table_csv, table_xlsx

DANGEROUS = ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\ry", "plain", None]


def frame() -> pd.DataFrame:
    return pd.DataFrame({"text": DANGEROUS, "value": [-1976, 2.5, 0, 1, 2, 3, 4, 5]})


def test_csv_neutralises_formula_text_and_keeps_numbers():
    data = table_csv(frame())
    assert data.startswith("\ufeff".encode())
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(back["text"][:6]) == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\ry"]
    assert back["text"][6] == "plain"
    assert list(back["value"]) == [-1976, 2.5, 0, 1, 2, 3, 4, 5]


def test_xlsx_writes_text_as_text_and_numbers_as_numbers():
    book = openpyxl.load_workbook(io.BytesIO(table_xlsx(frame(), "Schemes: 2018/19")))
    sheet = book.active
    assert sheet.title == "Schemes  2018 19"
    cells = [sheet.cell(row=r, column=1) for r in range(2, 8)]
    # openpyxl leaves the carriage return in its XML escape
    assert [c.value.replace("_x000D_", "\r") for c in cells] == DANGEROUS[:6]  # the text itself, no quote added
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)  # text cells Excel keeps as text when edited
    assert sheet.cell(row=8, column=1).value == "plain" and not sheet.cell(row=8, column=1).quotePrefix
    assert sheet.cell(row=2, column=2).value == -1976 and sheet.cell(row=2, column=2).data_type == "n"


def test_xlsx_keeps_a_phone_number_and_a_formula_like_header_as_written():
    data = table_xlsx(pd.DataFrame({"=HYPERLINK(1)": ["x"], "phone": ["+44 1223 123456"]}))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["=HYPERLINK(1)", "phone"]
    assert sheet["B2"].value == "+44 1223 123456" and sheet["B2"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula anywhere


def test_headers_are_neutralised_too():
    data = table_csv(pd.DataFrame({"=HYPERLINK(1)": [1]}))
    assert data.decode("utf-8-sig").splitlines()[0] == '"\'=HYPERLINK(1)"'


def test_xlsx_title_rows_frozen_header_widths_and_formats():
    titles = ["Schemes", "Organisation: =Eastfield ICB", "As at 30 Jun 2018", "Filters: RAG red"]
    table = pd.DataFrame(
        {"Scheme": ["Prescribing efficiencies across the system", "B"], "Value £'000": [-1976.0, 12.0]}
    )
    data = table_xlsx(table, "Schemes", titles)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [sheet.cell(row=r, column=1).value for r in range(1, 5)] == titles
    assert sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix  # an organisation's name is never a formula
    assert sheet["A1"].font.b
    assert [c.value for c in sheet[6]] == ["Scheme", "Value £'000"]  # a blank row, then the header
    assert sheet.freeze_panes == "A7"
    assert sheet["B7"].value == -1976 and sheet["B7"].number_format == "#,##0;(#,##0)"
    assert sheet.column_dimensions["A"].width >= len(table["Scheme"][0])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_a_file_name_takes_the_organisation_in_plain_words():
    from formats import file_word

    assert file_word("NHS Bedfordshire CCG") == "nhs-bedfordshire-ccg"
    assert file_word("../../etc/passwd") == "etc-passwd"
