"""Table downloads: CSV and XLSX bytes that a spreadsheet cannot run as formulas; numbers stay numbers."""

from __future__ import annotations

import io

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
    # openpyxl leaves the carriage return in its XML escape; what matters is the leading quote
    assert [c.value.replace("_x000D_", "\r") for c in cells] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx", "'\ry"]
    assert all(c.data_type == "s" for c in cells)
    assert sheet.cell(row=2, column=2).value == -1976 and sheet.cell(row=2, column=2).data_type == "n"


def test_headers_are_neutralised_too():
    data = table_csv(pd.DataFrame({"=HYPERLINK(1)": [1]}))
    assert data.decode("utf-8-sig").splitlines()[0] == '"\'=HYPERLINK(1)"'
