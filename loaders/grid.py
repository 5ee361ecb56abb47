"""The values grid: every sheet's cells as rows of Python values, read by python-calamine.

Run it only inside a contained worker (loaders.contained): calamine expands a sheet into a dense grid
out to its furthest cell, whatever that costs, and the worker's memory limit is what stops a hostile one.
What calamine leaves out is added here: Excel's error values (#REF!, which it reads as empty), hidden
rows and columns, and a sheet it cannot read at all is read through openpyxl's read-only API instead.
A text longer than the limit is cut, with an issue naming its cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote

import python_calamine
from defusedxml import ElementTree as SafeET
from openpyxl.utils import column_index_from_string, get_column_letter

from loaders.guard import BadFile
from loaders.styles import EXCEL_MAX_COLS, Styles
from records import Issue

Progress = Callable[[str, int], None]

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHEET_NAME_NEEDS_QUOTES = re.compile(r"[^A-Za-z0-9_.]|^\d|^[A-Za-z]{1,3}\d+$|^(?:R|C|RC|R\d+C\d+)$", re.IGNORECASE)
# Tags as far as their closing ">"; neither "<" nor ">" is searched past, so each search is linear.
_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|col)\b([^<>]*)>")
_ATTRIBUTE_RE = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)')""")
_VALUE_RE = re.compile(rb"(?:<(?:\w+:)?f\b[^<>]*>[^<>]*</(?:\w+:)?f>|<(?:\w+:)?f\b[^<>]*/>)?<(?:\w+:)?v>([^<>]{1,32})<")
_REFERENCE_RE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")


def cell_ref(sheet: str, r: int, c: int) -> str:
    """0-based row and column -> "Sheet!C12", quoting the sheet name as Excel does when it must."""
    name = str(sheet)
    if _SHEET_NAME_NEEDS_QUOTES.search(name):
        name = "'" + name.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(max(c, 0) + 1)}{max(r, 0) + 1}"


def sheet_of(cell: str) -> str:
    """The sheet a reference such as ``cell_ref`` writes names, unquoted: "'Q1 Risks'!C12" -> "Q1 Risks"."""
    name = cell.rsplit("!", 1)[0]
    if name.startswith("'") and name.endswith("'"):
        name = name[1:-1].replace("''", "'")
    return name


@dataclass
class Sheet:
    name: str
    visible: bool
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    issues: list[Issue] = field(default_factory=list)
    workbook: Workbook | None = field(default=None, repr=False, compare=False)

    def fill(self, r: int, c: int) -> str | None:
        """ "RRGGBB" of the cell's solid fill (theme colours and tints resolved), else None."""
        return self.workbook._styles().fill(self.name, r, c) if self.workbook else None

    def number_format(self, r: int, c: int) -> str | None:
        return self.workbook._styles().number_format(self.name, r, c) if self.workbook else None


class Workbook:
    def __init__(self, filename: str, data: bytes, sheets: list[Sheet], kind: str) -> None:
        self.filename = filename
        self.sheets = sheets
        self.kind = kind
        self.style_problem: str | None = None
        self._data = data
        self._style_reader: Styles | None = None
        for sheet in sheets:
            sheet.workbook = self

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def _styles(self) -> Styles:
        if self._style_reader is None:
            merged = {sheet.name: sheet.merged for sheet in self.sheets}
            self._style_reader = Styles(self._data if self.kind == "xlsx" else None, merged)
            self.style_problem = self._style_reader.problem
            self._data = b""  # styles are loaded once; the bytes are no longer needed
        return self._style_reader


# --- values -----------------------------------------------------------------------------------------


def read_sheets(data: bytes, name: str, kind: str, limits: dict[str, int], progress: Progress | None) -> list[Sheet]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:
        raise BadFile(f"'{name}' could not be read as a workbook ({_reason(exc)}).") from exc
    extras = _SheetExtras(data) if kind == "xlsx" else None
    sheets = []
    try:
        for meta in book.sheets_metadata:
            sheet = _read_sheet(book, meta, name, data, limits)
            if extras is not None:
                extras.add_to(sheet)
            sheets.append(sheet)
            if progress is not None:
                progress(meta.name, len(sheet.rows))
    finally:
        book.close()
    return sheets


def _read_sheet(book: Any, meta: Any, name: str, data: bytes, limits: dict[str, int]) -> Sheet:
    visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
    if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
        return Sheet(meta.name, visible, [])
    try:
        values = book.get_sheet_by_name(meta.name)
        end = values.end
        if end is not None:
            _check_extent(meta.name, name, end[0] + 1, end[1] + 1, limits)
        raw = values.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (values.merged_cell_ranges or [])]
    except BadFile:
        raise
    except Exception as exc:
        if "error value" not in str(exc):
            raise _damaged(meta.name, name) from exc
        raw, merged = _read_by_openpyxl(data, meta.name, name, limits), []
    sheet = Sheet(meta.name, visible, [], merged)
    sheet.rows = _grid(raw, sheet, limits["max_text_chars"])
    return sheet


def _read_by_openpyxl(data: bytes, sheet: str, name: str, limits: dict[str, int]) -> list[list]:
    """A sheet calamine refuses for an error value it does not know (#GETTING_DATA), read by openpyxl."""
    try:
        import openpyxl

        if not openpyxl.DEFUSEDXML:
            raise _damaged(sheet, name)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        worksheet = book[sheet]
        worksheet.reset_dimensions()
        rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
        book.close()
    except BadFile:
        raise
    except Exception as exc:
        raise _damaged(sheet, name) from exc
    _check_extent(sheet, name, len(rows), max(map(len, rows), default=0), limits)
    return [["" if value is None else value for value in row] for row in rows]


def _damaged(sheet: str, name: str) -> BadFile:
    return BadFile(f"Sheet '{sheet}' in '{name}' is damaged and could not be read; save the workbook again from Excel.")


def _grid(raw: list[list], sheet: Sheet, max_text: int) -> list[list]:
    """Rows with empty cells as None, padded to the sheet's width; a text beyond `max_text` is cut."""
    width = max((len(row) for row in raw), default=0)
    rows = []
    for r, row in enumerate(raw):
        if "" in row:
            row = [None if v == "" else v for v in row]
        if len(row) < width:
            row = row + [None] * (width - len(row))
        if max(map(len, filter(str.__instancecheck__, row)), default=0) > max_text:
            _cut_long_texts(row, r, sheet, max_text)
        rows.append(row)
    return rows


def _cut_long_texts(row: list, r: int, sheet: Sheet, max_text: int) -> None:
    for c, value in enumerate(row):
        if isinstance(value, str) and len(value) > max_text:
            row[c] = value[:max_text]
            ref = cell_ref(sheet.name, r, c)
            message = f"{ref} holds {len(value):,} characters; only the first {max_text:,} were kept, as in Excel."
            sheet.issues.append(Issue("warning", "text_cut", ref, message))


def _check_extent(sheet: str, name: str, rows: int, cols: int, limits: dict[str, int]) -> None:
    has = f"Sheet '{sheet}' in '{name}' has"
    if rows > limits["max_rows"]:
        raise BadFile(f"{has} {rows:,} rows, more than the limit of {limits['max_rows']:,}.")
    if cols > limits["max_cols"]:
        raise BadFile(f"{has} {cols:,} columns, more than the limit of {limits['max_cols']:,}.")
    if rows * cols > limits["max_cells"]:
        cells = f"{rows:,} rows by {cols:,} columns ({rows * cols:,} cells)"
        raise BadFile(f"{has} {cells}, more than the limit of {limits['max_cells']:,} cells.")


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120].rstrip(".")


# --- what calamine leaves out -----------------------------------------------------------------------


class _SheetExtras:
    """Error values, hidden rows and hidden columns of each worksheet, found by one linear search of its part."""

    def __init__(self, data: bytes) -> None:
        self._archive = zipfile.ZipFile(io.BytesIO(data))
        self._parts = _sheet_parts(self._archive)

    def add_to(self, sheet: Sheet) -> None:
        part = self._parts.get(sheet.name)
        if part is None or not sheet.rows:
            return
        try:
            xml = self._archive.read(part)
        except Exception:  # calamine read the sheet; what it left out cannot be found, so it stays as read
            return
        if b"hidden" not in xml and b't="e"' not in xml and b"t='e'" not in xml:
            return
        row_index, col_index = -1, 0
        for tag in _TAG_RE.finditer(xml):
            attributes = _attributes(tag[2])
            if tag[1] == b"row":
                digits = attributes.get(b"r", b"")
                row_index, col_index = (int(digits) - 1 if digits.isdigit() else row_index + 1), 0
                if attributes.get(b"hidden") in (b"1", b"true"):
                    sheet.hidden_rows.add(row_index)
            elif tag[1] == b"col":
                low, high = attributes.get(b"min", b""), attributes.get(b"max", b"")
                if attributes.get(b"hidden") in (b"1", b"true") and low.isdigit() and high.isdigit():
                    sheet.hidden_cols.update(range(max(int(low), 1) - 1, min(int(high), EXCEL_MAX_COLS)))
            else:
                place = _REFERENCE_RE.fullmatch(attributes.get(b"r", b""))
                if place:
                    r, c = int(place[2]) - 1, column_index_from_string(place[1].decode()) - 1
                else:
                    r, c = row_index, col_index
                col_index = c + 1
                if attributes.get(b"t") == b"e" and not tag[2].endswith(b"/"):
                    self._add_error(sheet, xml, tag.end(), r, c)

    @staticmethod
    def _add_error(sheet: Sheet, xml: bytes, at: int, r: int, c: int) -> None:
        value = _VALUE_RE.match(xml, at)
        if value and r < len(sheet.rows) and c < len(sheet.rows[r]) and sheet.rows[r][c] is None:
            sheet.rows[r][c] = value[1].decode("utf-8", "replace")


def _attributes(body: bytes) -> dict[bytes, bytes]:
    """Attribute name -> raw value; a name given twice keeps its last value."""
    return {found[1]: found[2] if found[2] is not None else found[3] for found in _ATTRIBUTE_RE.finditer(body)}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip entry of its worksheet, found as a lenient reader finds it (any letter case,
    backslashes or percent-encoding in the relationship's target)."""
    entries = {entry.lower(): entry for entry in archive.namelist()}
    try:
        workbook = SafeET.fromstring(archive.read(entries.get("xl/workbook.xml", "xl/workbook.xml")))
        rels = SafeET.fromstring(archive.read(entries.get("xl/_rels/workbook.xml.rels", "xl/_rels/workbook.xml.rels")))
    except Exception:
        return {}
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
        target = unquote(rel.get("Target") or "").replace("\\", "/")
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        entry = entries.get(_normalise_part(path).lower())
        if entry is not None:
            targets.setdefault(rel.get("Id") or "", entry)
    parts = {}
    for sheet in workbook.iter(f"{NS_MAIN}sheet"):
        rel_id = sheet.get(f"{NS_REL}id")
        if sheet.get("name") is not None and rel_id in targets:
            parts.setdefault(sheet.get("name"), targets[rel_id])
    return parts


def _normalise_part(path: str) -> str:
    pieces: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if pieces:
                pieces.pop()
        elif piece not in ("", "."):
            pieces.append(piece)
    return "/".join(pieces)
