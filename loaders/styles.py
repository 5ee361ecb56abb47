"""Cell styles (solid fills and number formats) through openpyxl's read-only API, loaded only when asked for.

A fill's theme colour and tint are resolved to "RRGGBB", as Excel shows it.
"""

from __future__ import annotations

import colorsys
import io
import re
from types import SimpleNamespace
from typing import Any

from defusedxml import ElementTree as SafeET
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.xml.constants import SHARED_STRINGS

_STRING_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
EXCEL_MAX_ROWS, EXCEL_MAX_COLS = 1_048_576, 16_384
NS_DRAWING = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", *(f"accent{n}" for n in range(1, 7)), "hlink", "folHlink")


class _UnsizedWorksheet(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        pass  # Styles resets a sheet's dimensions before reading it, so the sheet is not parsed to size it


class _TextsUnread:
    """The shared strings table as far as cell styles need it: how many texts it holds, not what they say."""

    def __init__(self, count: int) -> None:
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> None:
        if not -self._count <= index < self._count:
            raise IndexError(index)  # as the table itself would: the sheet's cells then offer no styles


class _StyleReader(ExcelReader):
    """openpyxl's read-only workbook reader, except that it reads neither the cells' texts nor every
    worksheet to find its size (a sheet stating no dimension is parsed whole for that): only the sheets
    asked about are parsed, once, when their cells are read."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            self.shared_strings = _TextsUnread(len(_STRING_ITEM.findall(self.archive.read(part.PartName[1:]))))

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue  # a chartsheet has no cells
            worksheet = _UnsizedWorksheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


_UNSTYLED = SimpleNamespace(fill=None, number_format="General")


class Styles:
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
            reader = _StyleReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False, rich_text=False)
            reader.read()
            self._book = reader.wb
            self._theme = _theme_colours(self._book.loaded_theme)
        except Exception as exc:  # a style we cannot read must not stop the values being used
            self.problem = f"cell styles could not be read ({type(exc).__name__})"
            self._book = None

    def _sheet_cells(self, sheet: str) -> dict[tuple[int, int], Any]:
        """(row, col), 1-based -> the cell as written in the file."""
        try:
            worksheet = self._book[sheet]
        except KeyError:
            return {}
        if not hasattr(worksheet, "iter_rows"):
            return {}  # a chartsheet
        worksheet.reset_dimensions()  # pad rows only out to their own last cell, whatever the sheet states
        cells: dict[tuple[int, int], Any] = {}
        for row in worksheet.iter_rows():
            for cell in row:
                if hasattr(cell, "row"):  # padding between written cells has no place of its own
                    cells[(cell.row, cell.column)] = cell
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
            fill = getattr(self._cell(sheet, r, c), "fill", None)
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
