"""Safe workbook reading: refuse hostile or unreadable files in one sentence, then read values fast.

Values come from python-calamine. Styles (fills, number formats) come from openpyxl, loaded only
when first asked for and at most once per workbook. Before either library sees the file, the zip
is checked against size and compression limits, every part is scanned for XML document type and
entity declarations, and each worksheet's cells are placed as calamine will place them, so that
its rows, columns and the dense grid between them are checked against the limits.
"""

from __future__ import annotations

import colorsys
import functools
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import python_calamine
from defusedxml import ElementTree as SafeET

import config

Progress = Callable[[str, int], None]

OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
CHUNK = 1 << 20
CARRY_LIMIT = 1 << 16  # the most of a chunk held back to be scanned with the next
DTD_SEAM = 32  # bytes either side of a chunk boundary searched again for a declaration split by it
PLAIN_CELL_SEAM = 32  # more than a plain cell's `<c r="AB123456"`, carried over a chunk boundary
WIDER_SEARCH_AFTER = 1000  # cells beyond Z in one stretch before the search for unusual cells widens
SMALL_PART = 1 << 20  # parts smaller than this are not judged by their compression ratio
EXCEL_MAX_ROWS, EXCEL_MAX_COLS = 1_048_576, 16_384

_DTD_MARKS = (b"<!", b"<\x00!\x00")
_DTD_RE = re.compile(
    rb"<!\s*(?:DOCTYPE|ENTITY)|<\x00!\x00(?:D\x00O\x00C\x00T\x00Y\x00P\x00E|E\x00N\x00T\x00I\x00T\x00Y)", re.IGNORECASE
)
_ROW_TAG_RE = re.compile(rb"<row\b([^>]*)>")
_ROW_R_RE = re.compile(rb' r="(\d+)"')
_HIDDEN_RE = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")
# Row and cell tags as an XML reader sees them: any namespace prefix, attribute values that hold ">" or "<".
_TAG_BODY = rb"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
_SHEET_TAG_START_RE = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])")
_ROW_START_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])")
_TAG_REST_RE = re.compile(rb"(" + _TAG_BODY + rb")>")
_ATTRIBUTE_RE = re.compile(rb"""([^\s=/]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PREFIXED_TAG_RE = re.compile(rb":(?:row|c)[\s/>]")
_REFERENCE_RE = re.compile(rb"([A-Za-z]+)([0-9]+)")
_ROW_VALUE_RE = re.compile(rb"[A-Za-z]*([0-9]+)")
_ERROR_CELL_RE = re.compile(
    rb'<c\s[^>]*?r="([A-Z]{1,3})(\d+)"[^>]*?t="e"[^>]*>(?:<f[^>]*>[^<]*</f>|<f[^>]*/>)?<v>([^<]{1,16})</v>'
)
_COL_TAG_RE = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_COL_SPAN_RE = re.compile(rb'\bmin\s*=\s*"(\d+)"[^>]*?\bmax\s*=\s*"(\d+)"|\bmax\s*=\s*"(\d+)"[^>]*?\bmin\s*=\s*"(\d+)"')
_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref\s*=\s*"([^"]+)"')
_CELL_REF_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_SHEET_NAME_NEEDS_QUOTES = re.compile(r"[^A-Za-z0-9_.]|^\d|^[A-Za-z]{1,3}\d+$|^(?:R|C|RC|R\d+C\d+)$", re.IGNORECASE)

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink",
               "folHlink")  # fmt: skip


class BadFile(Exception):
    """A file that cannot be read at all; str() is one sentence for a person, naming the file."""


def _limits() -> dict[str, int]:
    defaults = {
        "max_file_bytes": 100 * 2**20,
        "max_uncompressed_bytes": 2**30,
        "max_compression_ratio": 200,
        "max_zip_members": 10_000,
        "max_rows": 500_000,
        "max_cols": 2_000,
        "max_cells": 20_000_000,
    }
    return defaults | dict(config.settings().get("limits", {}))


def _size(n: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1024 or unit == "TB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}".replace(".0 ", " ")
        n /= 1024
    return f"{n:.0f} TB"


def column_letters(c: int) -> str:
    letters = ""
    c += 1
    while c > 0:
        c, rest = divmod(c - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - 64)
    return index - 1


def cell_ref(sheet: str, r: int, c: int) -> str:
    """0-based row and column -> "Sheet!C12", quoting the sheet name as Excel does when it must."""
    name = str(sheet)
    if _SHEET_NAME_NEEDS_QUOTES.search(name):
        name = "'" + name.replace("'", "''") + "'"
    return f"{name}!{column_letters(max(c, 0))}{max(r, 0) + 1}"


# --- the workbook as read ---------------------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    visible: bool
    rows: list[list]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
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
        self._style_reader: _Styles | None = None
        for sheet in sheets:
            sheet.workbook = self

    def sheet(self, name: str) -> Sheet | None:
        return next((s for s in self.sheets if s.name == name), None)

    def _styles(self) -> _Styles:
        if self._style_reader is None:
            merged = {sheet.name: sheet.merged for sheet in self.sheets}
            self._style_reader = _Styles(self._data if self.kind == "xlsx" else None, merged)
            self.style_problem = self._style_reader.problem
            self._data = b""  # styles are loaded once; the bytes are no longer needed
        return self._style_reader


# --- styles through openpyxl, lazily ----------------------------------------------------------------


class _Unstyled:
    fill = None
    number_format = "General"


_UNSTYLED = _Unstyled()


class _Styles:
    """openpyxl's view of the workbook, for fills and number formats only; never raises.

    The workbook is opened read-only, so only the style tables are parsed up front; a worksheet's
    cells are parsed the first time one of its cells is asked about.
    """

    def __init__(self, data: bytes | None, merged: dict[str, list[tuple[int, int, int, int]]] | None = None) -> None:
        self.problem: str | None = None
        self._book = None
        self._theme: list[str] = []
        self._merged = merged or {}
        self._cells: dict[str, dict[tuple[int, int], Any]] = {}
        if data is None:
            return
        try:
            import openpyxl

            if not openpyxl.DEFUSEDXML:
                self.problem = "cell styles were not read because defusedxml is not in use by openpyxl"
                return
            self._book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False, rich_text=False
            )
            self._theme = _theme_colours(self._book.loaded_theme)
        except Exception as exc:  # a style we cannot read must not stop the values being used
            self.problem = f"cell styles could not be read ({type(exc).__name__})"
            self._book = None

    def _sheet_cells(self, sheet: str) -> dict[tuple[int, int], Any]:
        """(row, col), 1-based -> the cell as written in the file."""
        from openpyxl.cell.read_only import ReadOnlyCell
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet
        from openpyxl.worksheet._reader import WorkSheetParser

        try:
            worksheet = self._book[sheet]
        except KeyError:
            return {}
        if not isinstance(worksheet, ReadOnlyWorksheet):
            return {}  # a chartsheet
        book = self._book
        cells: dict[tuple[int, int], Any] = {}
        with worksheet._get_source() as source:
            parser = WorkSheetParser(
                source, worksheet._shared_strings, data_only=True, epoch=book.epoch,
                date_formats=book._date_formats, timedelta_formats=book._timedelta_formats,
            )  # fmt: skip
            for _, row in parser.parse():
                for cell in row:
                    cells[(cell["row"], cell["column"])] = ReadOnlyCell(worksheet, **cell)
        return cells

    def _cell(self, sheet: str, r: int, c: int) -> Any:
        if self._book is None or r < 0 or c < 0 or r >= EXCEL_MAX_ROWS or c >= EXCEL_MAX_COLS:
            return None
        for r0, c0, r1, c1 in self._merged.get(sheet, ()):
            if r0 <= r <= r1 and c0 <= c <= c1 and (r, c) != (r0, c0):
                return _UNSTYLED  # as openpyxl leaves a merged range's other cells when it loads a whole book
        cells = self._cells.get(sheet)
        if cells is None:
            try:
                cells = self._sheet_cells(sheet)
            except Exception:  # an unreadable sheet has no styles to offer
                cells = {}
            self._cells[sheet] = cells
        return cells.get((r + 1, c + 1))  # never create cells just by looking

    def fill(self, sheet: str, r: int, c: int) -> str | None:
        try:
            cell = self._cell(sheet, r, c)
            if cell is None:
                return None
            fill = cell.fill
            if getattr(fill, "patternType", None) != "solid":
                return None
            return _colour_rgb(fill.fgColor, self._theme) or _colour_rgb(fill.bgColor, self._theme)
        except Exception:
            return None

    def number_format(self, sheet: str, r: int, c: int) -> str | None:
        try:
            cell = self._cell(sheet, r, c)
            return None if cell is None else str(cell.number_format)
        except Exception:
            return None


def _theme_colours(theme_xml: bytes | str | None) -> list[str]:
    """Theme colours in the order cell styles index them (light 1, dark 1, light 2, dark 2, accents...)."""
    if not theme_xml:
        return []
    try:
        root = SafeET.fromstring(theme_xml)
    except Exception:
        return []
    scheme = root.find(f".//{NS_DRAWING}clrScheme")
    if scheme is None:
        return []
    found: dict[str, str] = {}
    for element in scheme:
        slot = element.tag.split("}")[-1]
        rgb = next((e.get("val") or e.get("lastClr") for e in element if e.get("val") or e.get("lastClr")), None)
        if rgb and re.fullmatch(r"[0-9A-Fa-f]{6}", rgb):
            found[slot] = rgb.upper()
    return [found.get(slot, "") for slot in THEME_ORDER]


def _colour_rgb(colour: Any, theme: list[str]) -> str | None:
    if colour is None:
        return None
    kind = getattr(colour, "type", None)
    rgb: str | None = None
    if kind == "rgb" and isinstance(colour.rgb, str) and re.fullmatch(r"[0-9A-Fa-f]{6,8}", colour.rgb):
        rgb = colour.rgb[-6:].upper()
    elif kind == "theme" and isinstance(colour.theme, int) and 0 <= colour.theme < len(theme):
        rgb = theme[colour.theme] or None
    elif kind == "indexed" and isinstance(colour.indexed, int):
        from openpyxl.styles.colors import COLOR_INDEX

        if 0 <= colour.indexed < min(len(COLOR_INDEX), 64):
            rgb = COLOR_INDEX[colour.indexed][-6:].upper()
    if rgb is None:
        return None
    tint = getattr(colour, "tint", 0.0) or 0.0
    return _apply_tint(rgb, float(tint)) if tint else rgb


def _apply_tint(rgb: str, tint: float) -> str:
    """Excel's tint: darken toward black (tint < 0) or lighten toward white (tint > 0) in HLS."""
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    tint = max(-1.0, min(1.0, tint))
    lightness = lightness * (1 + tint) if tint < 0 else lightness * (1 - tint) + tint
    red, green, blue = colorsys.hls_to_rgb(hue, lightness, saturation)
    return "".join(f"{round(v * 255):02X}" for v in (red, green, blue))


# --- refusing before reading ------------------------------------------------------------------------


def _refuse_by_signature(data: bytes, name: str) -> None:
    head = data[:8]
    if head.startswith(OLE2_SIGNATURE):
        if "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data:
            raise BadFile(f"'{name}' is password-protected; remove the password in Excel and upload it again.")
        raise BadFile(f"'{name}' is an old .xls workbook; save it as .xlsx in Excel and upload it again.")
    if head.startswith(ZIP_SIGNATURES):
        return
    if head.startswith(b"%PDF"):
        raise BadFile(f"'{name}' is a PDF, not an Excel workbook.")
    if re.match(rb"\s*<(?:!doctype\s+html|html|table)\b", data[:1024], re.IGNORECASE):
        raise BadFile(
            f"'{name}' is a web page (HTML) saved with a spreadsheet name; open it in Excel and save it as .xlsx."
        )
    if _looks_like_text(data[:4096]):
        suffix = PurePosixPath(name).suffix or "a workbook"
        raise BadFile(
            f"'{name}' is a CSV/text file renamed {suffix}, not an Excel workbook; open it in Excel and save it as .xlsx."
        )
    raise BadFile(f"'{name}' is not an Excel workbook (.xlsx, .xlsm or .ods).")


def _looks_like_text(sample: bytes) -> bool:
    for encoding in ("utf-8", "utf-16", "cp1252"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text:
            return False
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
        return printable / len(text) > 0.95
    return False


def _open_zip(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise BadFile(f"'{name}' is damaged or incomplete and cannot be opened; save it again from Excel.") from exc
    limits = _limits()
    if len(members) > limits["max_zip_members"]:
        raise BadFile(f"'{name}' holds {len(members):,} parts, more than the limit of {limits['max_zip_members']:,}.")
    total = sum(member.file_size for member in members)
    if total > limits["max_uncompressed_bytes"]:
        raise BadFile(
            f"'{name}' expands to {_size(total)}, more than the limit of {_size(limits['max_uncompressed_bytes'])}."
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise BadFile(f"'{name}' is password-protected; remove the password in Excel and upload it again.")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > SMALL_PART and ratio > limits["max_compression_ratio"]:
            raise BadFile(
                f"'{name}' has a part compressed {ratio:,.0f} to 1, beyond the limit of "
                f"{limits['max_compression_ratio']} to 1, so it was not opened (it may be a zip bomb)."
            )
    return archive


def _kind(archive: zipfile.ZipFile, name: str) -> str:
    names = set(archive.namelist())
    if "mimetype" in names:
        try:
            with archive.open("mimetype") as fh:
                mimetype = fh.read(200).strip()
        except Exception as exc:
            raise BadFile(f"'{name}' is damaged or incomplete and cannot be opened; save it again from Excel.") from exc
        if mimetype == ODS_MIMETYPE and "content.xml" in names:
            return "ods"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise BadFile(f"'{name}' is a binary .xlsb workbook; save it as .xlsx in Excel and upload it again.")
    if "EncryptionInfo" in names:
        raise BadFile(f"'{name}' is password-protected; remove the password in Excel and upload it again.")
    if "word/document.xml" in names:
        raise BadFile(f"'{name}' is a Word document, not an Excel workbook.")
    if "ppt/presentation.xml" in names:
        raise BadFile(f"'{name}' is a PowerPoint presentation, not an Excel workbook.")
    raise BadFile(f"'{name}' is a zip archive but not an Excel workbook.")


def _damaged(name: str) -> BadFile:
    return BadFile(f"'{name}' is damaged or incomplete and cannot be opened; save it again from Excel.")


def _stream(data: bytes, member: zipfile.ZipInfo, name: str, budget: list[int]) -> Iterator[bytes]:
    """A part's bytes in chunks, decompressed here so that a part producing more than it declares
    (which zipfile would quietly cut short, but other readers would not) is refused."""
    offset = member.header_offset
    header = data[offset : offset + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(name)
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    start = offset + 30 + name_length + extra_length
    compressed = memoryview(data)[start : start + member.compress_size]
    if len(compressed) < member.compress_size:
        raise _damaged(name)
    if member.compress_type == zipfile.ZIP_STORED:
        decompressor = None
    elif member.compress_type == zipfile.ZIP_DEFLATED:
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    else:
        raise BadFile(f"'{name}' uses a compression method Excel does not, so it was not opened.")
    produced, crc = 0, 0
    for position in range(0, len(compressed), CHUNK):
        piece = bytes(compressed[position : position + CHUNK])
        while piece:
            if decompressor is None:
                chunk, piece = piece, b""
            else:
                try:
                    chunk = decompressor.decompress(piece, CHUNK)
                except zlib.error as exc:
                    raise _damaged(name) from exc
                piece = decompressor.unconsumed_tail
            produced += len(chunk)
            budget[0] -= len(chunk)
            if produced > member.file_size or budget[0] < 0:
                raise BadFile(f"'{name}' expands to more than its parts declare, so it was not opened.")
            crc = zlib.crc32(chunk, crc)
            if chunk:
                yield chunk
    if decompressor is not None and not decompressor.eof or produced != member.file_size or crc != member.CRC:
        raise _damaged(name)


@dataclass
class _PartScan:
    max_row: int = 0
    max_col: int = -1
    dimension: str | None = None
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col) 0-based -> "#REF!"


def _scan_errors(xml: bytes, start: int, end: int, scan: _PartScan) -> None:
    """Excel error cells (#REF!, #DIV/0!), which calamine reads as empty, so that they can be reported."""
    if xml.find(b"#", start, end) < 0 or xml.find(b't="e"', start, end) < 0:  # every error value starts with "#"
        return
    for cell in _ERROR_CELL_RE.finditer(xml, start, end):
        row, col = int(cell[2]) - 1, _column_index(cell[1].decode("ascii"))
        scan.errors[(row, col)] = cell[3].decode("utf-8", "replace")


def _refuse_dtd(buffer: bytes, part: str, name: str) -> None:
    if b"!" in buffer and any(mark in buffer for mark in _DTD_MARKS) and _DTD_RE.search(buffer):
        raise BadFile(
            f"'{name}' contains an XML document type declaration (in {part}), which workbooks never need, "
            "so it was not opened."
        )


def _scan_part(
    chunks: Iterator[bytes], part: str, name: str, sheet: str | None,
    again: Callable[[], Iterator[bytes]] | None = None,
) -> _PartScan:  # fmt: skip
    """Refuse DTDs anywhere in a part; for a worksheet, also find its extent and hidden rows/columns.

    A worksheet is refused as soon as its stated dimension or the cells placed so far pass the limits;
    `again` streams the part once more when its plain cells must be searched a second time (see
    _SheetScan.finish). Chunks are scanned where they lie; only the seam between two (the end of one and the start of the
    next, up to whole rows) is copied and scanned on its own.
    """
    scan = _PartScan()
    tail = b""
    if sheet is None:
        for chunk in chunks:
            _refuse_dtd(tail + chunk[:DTD_SEAM], part, name)
            _refuse_dtd(chunk, part, name)
            tail = (tail + chunk)[-DTD_SEAM:] if len(chunk) < DTD_SEAM else chunk[-DTD_SEAM:]
        return scan
    sheet_scan = _SheetScan(scan, sheet, name)
    for chunk, last in _with_last(chunks):
        start = 0
        if tail:
            start = chunk.find(b"<row", 0, CARRY_LIMIT)
            if start < 0:  # no row starts near the start of this chunk: scan it with what was held back
                chunk, start = tail + chunk, 0
            else:
                seam = tail + chunk[:start]
                _refuse_dtd(seam, part, name)
                sheet_scan.stretch(seam, 0, len(seam))
        _refuse_dtd(chunk, part, name)
        end = len(chunk) if last else max(_last_row_start(chunk), start)
        sheet_scan.stretch(chunk, start, end, final=last)
        tail = chunk[end:]
    if again is not None:
        sheet_scan.finish(again)
    return scan


def _with_last(items: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Each item with whether it is the last one."""
    previous = next(items, None)
    for item in items:
        yield previous, False
        previous = item
    if previous is not None:
        yield previous, True


def _last_row_start(chunk: bytes) -> int:
    """Where the last row of a chunk begins: the chunk is scanned up to there and the rest with the next one,
    so that no row tag or error cell is split between two stretches. A row too long to hold back is cut
    at its last cell, else its last tag, and a tag too long to hold back is not held back."""
    start = max(len(chunk) - CARRY_LIMIT, 0)
    for mark in (b"<row", b"<c ", b"<"):
        at = chunk.rfind(mark, start)
        if at >= 0:
            return at
    return len(chunk)


class _SheetScan:
    """A worksheet scanned one stretch of whole tags at a time, in order.

    calamine places each cell by its own reference (a cell without one follows the cell before it in its
    row, a row without a number the row before it) and builds a dense grid out to the furthest cell, so the
    scan finds that extent first. Cells written as Excel writes them, in a column and a row that cannot
    pass the limits together, are passed over by one search; every other cell tag is read exactly, and a
    stretch holding a cell without a reference or a prefixed tag is followed tag by tag as calamine does.
    """

    def __init__(self, scan: _PartScan, sheet: str, name: str) -> None:
        self.scan, self.sheet, self.name = scan, sheet, name
        self.rows_seen = 0
        self.in_data = False
        self.limits = _limits()
        self.plain_columns = _plain_columns(self.limits)
        plain_rows = min(self.limits["max_rows"], self.limits["max_cells"] // self.plain_columns)
        # One letter is the cheapest search; a sheet with many cells beyond Z switches to the wider one.
        self.unusual_cell = _unusual_cell_re(min(self.plain_columns, 26), plain_rows)
        self.wider_search = _unusual_cell_re(self.plain_columns, plain_rows)
        self.row_index = 0  # calamine's place for the next cell without a reference, 0-based
        self.col_index = 0

    def stretch(self, xml: bytes, start: int, end: int, final: bool = False) -> None:
        """Scan xml[start:end] (searched in place, not copied); `final` when nothing of the part follows."""
        if start >= end:
            return
        scan = self.scan
        if not self.in_data:
            self.in_data = _scan_sheet_header(xml[start:end], scan, self.sheet, self.name)
        unclosed = None if final else self._unclosed
        prefixed = _PREFIXED_TAG_RE.search(xml, start, end) is not None
        self.rows_seen = _scan_rows(xml, start, end, scan, self.rows_seen, prefixed, unclosed)
        _scan_errors(xml, start, end, scan)
        if prefixed or not self._unusual_cells(xml, start, end, unclosed):
            self._follow(xml, start, end, unclosed)
        else:
            self._note_place(xml, start, end)
        _check_extent(self.sheet, self.name, scan.max_row, scan.max_col + 1, "has")

    def finish(self, again: Callable[[], Iterator[bytes]]) -> None:
        """Once a column beyond the plain ones is found, the rows of plain cells count too: the part is
        searched again for a plain cell further down than that width allows."""
        scan = self.scan
        cols = scan.max_col + 1
        if cols <= self.plain_columns:
            return
        further = _plain_cell_beyond_re(self.limits["max_cells"] // cols)
        tail = b""
        for chunk in again():
            buffer = tail + chunk
            for cell in further.finditer(buffer):
                scan.max_row = max(scan.max_row, int(cell[1]))
            tail = buffer[-PLAIN_CELL_SEAM:]
        _check_extent(self.sheet, self.name, scan.max_row, cols, "has")

    def _unclosed(self) -> None:
        raise BadFile(
            f"Sheet '{self.sheet}' in '{self.name}' has a tag that does not close within "
            f"{CARRY_LIMIT // 1024} KB, which Excel never writes, so it was not opened."
        )

    def _place(self, row: int, col: int) -> None:
        scan = self.scan
        if row > scan.max_row:
            scan.max_row = row
        if col > scan.max_col:
            scan.max_col = col

    def _unusual_cells(self, xml: bytes, start: int, end: int, unclosed: Callable[[], None] | None) -> bool:
        """Place every cell not written the plain way; False as soon as one has no reference."""
        for count, found in enumerate(self.unusual_cell.finditer(xml, start, end)):
            if count == WIDER_SEARCH_AFTER:
                self.unusual_cell = self.wider_search
            at = found.end()
            if at >= end or xml[at : at + 1] not in _TAG_NAME_ENDS:  # <col>, <color> and the like
                continue
            body = _tag_body(xml, at, end, unclosed)
            if body is None:
                continue
            reference = _attribute(body, b"r", last=True)
            if reference is None:
                return False
            if (place := _reference(reference)) is not None:
                self._place(*place)
        return True

    def _follow(self, xml: bytes, start: int, end: int, unclosed: Callable[[], None] | None) -> None:
        """Every row and cell tag in order, placing cells as calamine does."""
        at = start
        while (found := _SHEET_TAG_START_RE.search(xml, at, end)) is not None:
            at = found.end()
            row_tag = found[2] == b"row"
            if found[1]:  # an end tag
                if row_tag:
                    self.row_index, self.col_index = self.row_index + 1, 0
                continue
            body = _tag_body(xml, at, end, unclosed)
            if body is None:
                return
            at += len(body) + 1
            if row_tag:
                number = _attribute(body, b"r", last=False)
                if number is not None and (digits := _ROW_VALUE_RE.fullmatch(number)):
                    self.row_index = int(digits[1]) - 1
                if body.endswith(b"/"):
                    self.row_index, self.col_index = self.row_index + 1, 0
                continue
            reference = _attribute(body, b"r", last=True)
            if reference is None:
                place = (self.row_index + 1, self.col_index)
            elif (place := _reference(reference)) is None:
                continue  # calamine refuses a reference it cannot read
            self._place(*place)
            self.col_index = place[1] + 1

    def _note_place(self, xml: bytes, start: int, end: int) -> None:
        """Where the next cell without a reference would go, after a stretch of referenced cells."""
        row_start, row_end = xml.rfind(b"<row", start, end), xml.rfind(b"</row>", start, end)
        if row_end > row_start:
            self.row_index, self.col_index = self.rows_seen, 0
            return
        if row_start >= 0:
            self.row_index, self.col_index = self.rows_seen - 1, 0
        at = end
        while (at := xml.rfind(b"<c", max(row_start, start), at)) >= 0:
            if xml[at + 2 : at + 3] in _TAG_NAME_ENDS:
                tag = _TAG_REST_RE.match(xml, at + 2, end)
                place = _reference(_attribute(tag[1], b"r", last=True) or b"") if tag else None
                if place is not None:
                    self.col_index = place[1] + 1
                return


_TAG_NAME_ENDS = (b" ", b"\t", b"\r", b"\n", b"/", b">")


def _tag_body(xml: bytes, at: int, end: int, unclosed: Callable[[], None] | None) -> bytes | None:
    """The attributes of the tag whose name ends at `at`, up to its closing ">" (quoted ">" and "<" allowed)."""
    tag = _TAG_REST_RE.match(xml, at, end)
    if tag is None:
        if unclosed is not None:  # the tag runs on into the next stretch
            unclosed()
        return None
    return tag[1]


def _attribute(body: bytes, wanted: bytes, last: bool) -> bytes | None:
    """An attribute's raw value (calamine reads a cell's last "r" and a row's first)."""
    value = None
    for found in _ATTRIBUTE_RE.finditer(body):
        if found[1] == wanted:
            value = found[2] if found[2] is not None else found[3]
            if not last:
                break
    return value


def _reference(value: bytes) -> tuple[int, int] | None:
    """(1-based row, 0-based column) of a cell reference as calamine reads it, or None if it cannot."""
    parts = _REFERENCE_RE.fullmatch(value)
    if parts is None:
        return None
    return int(parts[2]), _column_index(parts[1].decode("ascii"))


def _plain_columns(limits: dict[str, int]) -> int:
    """How many columns (at most ZZ) fit within the cell limit with as many rows as the row limit allows."""
    return max(1, min(limits["max_cols"], limits["max_cells"] // max(limits["max_rows"], 1), 702))


def _letters(first: int, last: int) -> bytes:
    return bytes([65 + first]) if first == last else b"[%c-%c]" % (65 + first, 65 + last)


def _columns_before(count: int) -> bytes:
    """A pattern for the upper-case letters of the first `count` columns (1 to 702)."""
    if count <= 26:
        return _letters(0, count - 1)
    full, part = divmod(count - 26, 26)
    options = []
    if full:
        options.append(_letters(0, full - 1) + b"[A-Z]?+")
    if part:
        options.append(bytes([65 + full]) + _letters(0, part - 1) + b"?+")
    if (single := full + bool(part)) <= 25:
        options.append(_letters(single, 25))
    return b"|".join(options)


def _rows_within(limit: int) -> bytes:
    """A pattern for row numbers (no leading zero) that are certainly at most `limit`: fewer digits, or as many
    with a smaller first digit; any other is read exactly."""
    digits = str(max(limit, 1)).encode()
    return b"[1-9][0-9]{0,%d}+(?<![%c-9][0-9]{%d})" % (len(digits) - 1, digits[0], len(digits) - 1)


@functools.lru_cache(maxsize=16)
def _unusual_cell_re(columns: int, max_rows: int) -> re.Pattern[bytes]:
    """Any cell tag but `<c r="B12" t="s">`: its reference first, in double quotes and upper case, a column among
    the first `columns`, a row within `max_rows`, and no other "r" attribute up to the next "<" (so that a ">"
    inside an attribute value cannot hide one). It also finds <col> and the like, which are passed over."""
    plain = b' r="(?:%s)%s"(?![^<]*r[\\s=])' % (_columns_before(columns), _rows_within(max_rows))
    return re.compile(b"<c(?!" + plain + b")")


@functools.lru_cache(maxsize=16)
def _plain_cell_beyond_re(rows: int) -> re.Pattern[bytes]:
    """A plain cell whose row number may be beyond `rows` (the number is compared exactly afterwards)."""
    digits = str(rows).encode()
    return re.compile(
        b'<c r="[A-Z]{1,2}+([%c-9][0-9]{%d}|[1-9][0-9]{%d,})"' % (digits[0], len(digits) - 1, len(digits))
    )


def _scan_sheet_header(xml: bytes, scan: _PartScan, sheet: str, name: str) -> bool:
    """The stated dimension and hidden columns, which come before the cells; True once the cells begin."""
    data_at = xml.find(b"sheetData")
    header = xml if data_at < 0 else xml[:data_at]
    if scan.dimension is None and (dimension := _DIMENSION_RE.search(header)):
        scan.dimension = dimension[1].decode("ascii", "replace")
        if (stated := _dimension_extent(scan.dimension)) is not None:
            _check_extent(sheet, name, stated[0], stated[1], "states it has", cells=False)
    for tag in _COL_TAG_RE.finditer(header):
        if not _HIDDEN_RE.search(tag[1]) or not (span := _COL_SPAN_RE.search(tag[1])):
            continue
        low, high = (int(span[1]), int(span[2])) if span[1] else (int(span[4]), int(span[3]))
        scan.hidden_cols.update(range(max(low, 1) - 1, min(high, EXCEL_MAX_COLS)))
    return data_at >= 0


def _scan_rows(
    xml: bytes, start: int, end: int, scan: _PartScan, rows_seen: int, prefixed: bool,
    unclosed: Callable[[], None] | None,
) -> int:  # fmt: skip
    """Update the highest row number and hidden rows from xml[start:end], whole tags only; rows seen so far."""
    if not prefixed:
        attributes = _ROW_TAG_RE.findall(xml, start, end)
        joined = b"\0".join(attributes)
        numbers = _ROW_R_RE.findall(joined)
        last_row = xml.rfind(b"<row", start, end)
        plain = len(numbers) == len(attributes) == joined.count(b"r=") and b"<" not in joined
        if plain and (last_row < 0 or xml.find(b">", last_row, end) >= 0):  # each tag states its number once
            if not attributes:
                return rows_seen
            stated = list(map(int, numbers))
            scan.max_row = max(scan.max_row, max(stated))
            if b"hidden" in joined:
                for number, tag in zip(stated, attributes, strict=True):
                    if b"hidden" in tag and _HIDDEN_RE.search(tag):
                        scan.hidden_rows.add(number - 1)
            return stated[-1]
    at = start
    while (found := _ROW_START_RE.search(xml, at, end)) is not None:  # rows without a number follow on
        body = _tag_body(xml, found.end(), end, unclosed)
        if body is None:
            break
        at = found.end() + len(body) + 1
        number = _attribute(body, b"r", last=False)
        digits = _ROW_VALUE_RE.fullmatch(number) if number is not None else None
        rows_seen = int(digits[1]) if digits else rows_seen + 1
        scan.max_row = max(scan.max_row, rows_seen)
        if _HIDDEN_RE.search(body):
            scan.hidden_rows.add(rows_seen - 1)
    return rows_seen


def _dimension_extent(ref: str | None) -> tuple[int, int] | None:
    """(rows, columns) a dimension such as "A1:Z5000" states, or None when it cannot be read."""
    if not ref:
        return None
    corner = ref.split(":")[-1].strip()
    match = _CELL_REF_RE.match(corner)
    if match is None:
        return None
    return int(match[2]), _column_index(match[1]) + 1


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> worksheet part path, from the workbook part and its relationships."""
    try:
        workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
        rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        return {}
    targets: dict[str, str] = {}
    for rel in rels.iter(f"{NS_PKG_REL}Relationship"):
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        targets[rel.get("Id") or ""] = _normalise_part(path)
    parts = {}
    for sheet in workbook.iter(f"{NS_MAIN}sheet"):
        rel_id = sheet.get(f"{NS_REL}id")
        if sheet.get("name") is not None and rel_id in targets:
            parts[sheet.get("name")] = targets[rel_id]
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


def _check_extent(sheet: str, name: str, rows: int, cols: int, what: str, cells: bool = True) -> None:
    limits = _limits()
    if rows > limits["max_rows"]:
        raise BadFile(
            f"Sheet '{sheet}' in '{name}' {what} {rows:,} rows, more than the limit of {limits['max_rows']:,}."
        )
    if cols > limits["max_cols"]:
        raise BadFile(
            f"Sheet '{sheet}' in '{name}' {what} {cols:,} columns, more than the limit of {limits['max_cols']:,}."
        )
    if cells and rows * cols > limits["max_cells"]:
        raise BadFile(
            f"Sheet '{sheet}' in '{name}' {what} {rows:,} rows by {cols:,} columns ({rows * cols:,} cells), "
            f"more than the limit of {limits['max_cells']:,} cells."
        )


def _prescan(archive: zipfile.ZipFile, data: bytes, name: str, kind: str) -> dict[str, _PartScan]:
    """Scan every part; return the worksheet scans by sheet name (xlsx only)."""
    sheet_parts = _sheet_parts(archive) if kind == "xlsx" else {}
    sheet_by_part = {part: sheet for sheet, part in sheet_parts.items()}
    budget = [_limits()["max_uncompressed_bytes"]]
    scans: dict[str, _PartScan] = {}
    for member in archive.infolist():
        if member.is_dir():
            continue
        sheet = sheet_by_part.get(_normalise_part(member.filename))
        again = None if sheet is None else functools.partial(_stream, data, member, name, [member.file_size])
        scan = _scan_part(_stream(data, member, name, budget), member.filename, name, sheet, again)
        if sheet is not None:
            scans[sheet] = scan
    return scans


# --- reading ----------------------------------------------------------------------------------------


def open_workbook(data: bytes, filename: str, progress: Progress | None = None) -> Workbook:
    """Every sheet's values, or BadFile with one sentence saying why the file cannot be read."""
    name = PurePosixPath(str(filename).replace("\\", "/")).name or "the file"
    if not isinstance(data, bytes | bytearray | memoryview):
        raise BadFile(f"'{name}' could not be read as a file.")
    data = bytes(data)
    if not data:
        raise BadFile(f"'{name}' is empty.")
    limits = _limits()
    if len(data) > limits["max_file_bytes"]:
        raise BadFile(f"'{name}' is {_size(len(data))}, larger than the limit of {_size(limits['max_file_bytes'])}.")
    _refuse_by_signature(data, name)
    archive = _open_zip(data, name)
    with archive:
        kind = _kind(archive, name)
        scans = _prescan(archive, data, name, kind)
    sheets = _read_values(data, name, scans, progress)
    if not sheets:
        raise BadFile(f"'{name}' has no sheets.")
    return Workbook(name, data, sheets, kind)


def _read_values(data: bytes, name: str, scans: dict[str, _PartScan], progress: Progress | None) -> list[Sheet]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:
        raise BadFile(f"'{name}' could not be read as a workbook ({_reason(exc)}).") from exc
    sheets = []
    try:
        for meta in book.sheets_metadata:
            sheets.append(_read_sheet(book, meta, name, scans.get(meta.name)))
            if progress is not None:
                progress(meta.name, len(sheets[-1].rows))
    finally:
        book.close()
    return sheets


def _read_sheet(book: Any, meta: Any, name: str, scan: _PartScan | None) -> Sheet:
    visible = meta.visible == python_calamine.SheetVisibleEnum.Visible
    if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
        return Sheet(meta.name, visible, [])
    try:
        values = book.get_sheet_by_name(meta.name)
        end = values.end
        if end is not None:
            _check_extent(meta.name, name, end[0] + 1, end[1] + 1, "has")
        raw = values.to_python(skip_empty_area=False)
        merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in (values.merged_cell_ranges or [])]
    except BadFile:
        raise
    except Exception as exc:
        raise BadFile(
            f"Sheet '{meta.name}' in '{name}' is damaged and could not be read; save the workbook again from Excel."
        ) from exc
    width = max((len(row) for row in raw), default=0)
    rows = [_row_values(row, width) for row in raw]
    for (r, c), text in (scan.errors if scan else {}).items():
        if r < len(rows) and c < width and rows[r][c] is None:
            rows[r][c] = text
    hidden_rows = scan.hidden_rows if scan else set()
    hidden_cols = set(scan.hidden_cols) if scan else set()
    return Sheet(meta.name, visible, rows, merged, hidden_rows, hidden_cols)


def _row_values(row: list, width: int) -> list:
    """A row with empty cells as None, padded to the sheet's width."""
    if "" in row:
        row = [None if v == "" else v for v in row]
    if len(row) < width:
        row = row + [None] * (width - len(row))
    return row


def _reason(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120].rstrip(".")
