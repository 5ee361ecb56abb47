"""Tables as downloadable CSV and XLSX bytes, safe to open in a spreadsheet.

In CSV, text cells that a spreadsheet would read as a formula (starting with = + - @, tab or
carriage return) are prefixed with a single quote (OWASP CSV injection advice). XLSX has text cells,
so there the text is kept as it is, written as text, and such cells are also marked as text-only
(Excel's quote prefix, which adds no character). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_NAME = 31
SHEET_NAME_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})

MONEY_FORMAT = "#,##0;(#,##0)"  # £'000, negatives in brackets
PERCENT_FORMAT = "0.0"
DATE_FORMAT = "d mmm yyyy"


def neutralise(value):
    """A text value that cannot be run as a formula; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell neutralised; numeric, boolean and date columns untouched."""
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise).astype(object)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def table_csv(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark so spreadsheets read the £ sign correctly); text always quoted."""
    return safe_frame(df).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8-sig")


def table_xlsx(df: pd.DataFrame, sheet: str = "Table", titles: list[str] | tuple = ()) -> bytes:
    """One-sheet workbook; text written as text cells, unchanged, so nothing in a cell is evaluated. ``titles`` are
    written above the table (the first in bold), the header row is frozen and the columns are as wide as their
    contents."""
    name = (sheet.translate(SHEET_NAME_FORBIDDEN).strip() or "Table")[:MAX_SHEET_NAME]
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    frame = df.set_axis([str(c) for c in df.columns], axis=1)
    with pd.ExcelWriter(
        buffer,
        engine="xlsxwriter",
        engine_kwargs={"options": options},
        date_format=DATE_FORMAT,
        datetime_format=DATE_FORMAT,
    ) as writer:
        top = len(titles) + 1 if titles else 0
        frame.to_excel(writer, sheet_name=name, index=False, startrow=top)
        worksheet = writer.sheets[name]
        _titles(writer.book, worksheet, titles)
        _mark_formula_like_text(writer.book, worksheet, frame, top)
        _number_formats(writer.book, worksheet, frame)
        worksheet.freeze_panes(top + 1, 0)
    return buffer.getvalue()


def _titles(book, worksheet, titles) -> None:
    bold = book.add_format({"bold": True, "font_size": 13, "quote_prefix": True})
    plain = book.add_format({"quote_prefix": True})
    for r, title in enumerate(titles):
        worksheet.write_string(r, 0, str(title), bold if r == 0 else plain)


def _width(values: pd.Series, heading: str) -> int:
    longest = max([len(heading), *(len(str(v)) for v in values.head(500) if v is not None)], default=8)
    return min(max(longest + 2, 8), 60)


def _number_formats(book, worksheet, frame: pd.DataFrame) -> None:
    """Columns shown as on the page: £ columns with thousands separators and negatives in brackets, % columns to one
    decimal (the values stay numbers; dates are written as 30 Jul 2018 by the writer)."""
    for c, column in enumerate(frame.columns):
        values = frame.iloc[:, c]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            worksheet.set_column(c, c, _width(values, column))
            continue
        chosen = MONEY_FORMAT if "£" in column else PERCENT_FORMAT if column.endswith("%") else None
        width = max(_width(values, column), 14 if chosen else 0)
        worksheet.set_column(c, c, width, book.add_format({"num_format": chosen}) if chosen else None)


def _mark_formula_like_text(book, worksheet, frame: pd.DataFrame, top: int = 0) -> None:
    """Rewrite text that looks like a formula with Excel's quote prefix: still the same text, and Excel keeps
    it as text even when the cell is edited."""
    header = book.add_format({"bold": True, "border": 1, "quote_prefix": True})
    text = book.add_format({"quote_prefix": True})
    for c, column in enumerate(frame.columns):
        if column.startswith(FORMULA_STARTS):
            worksheet.write_string(top, c, column, header)
        values = frame.iloc[:, c]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            for r, value in enumerate(values):
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    worksheet.write_string(top + r + 1, c, value, text)
