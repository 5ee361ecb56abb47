"""Sheets that explain a workbook rather than hold its data: keys, legends, instructions, dashboards, and the
cover sheet's small lookup tables. They are recognised by name (words in configuration) and not loaded."""

from __future__ import annotations

from config import settings
from loaders.headers import normalise
from loaders.tables import Table, is_empty


def _named(name: str, words) -> bool:
    key = normalise(name)
    return any(key == w or key.startswith(w + " ") for w in (normalise(x) for x in words) if w)


def reference_sheet(name: str) -> bool:
    """A key, legend, instructions, dashboard or lookup sheet ("Key", "Instructions for use", "Dashboard Oct")."""
    return _named(name, settings().loader_vocabulary.reference_sheets)


def cover_sheet(name: str) -> bool:
    return _named(name, settings().loader_vocabulary.cover_sheets)


def lookup_on_cover(table: Table) -> bool:
    """A small table on a cover sheet (a status key beside the organisation and period): not data."""
    if not cover_sheet(table.name):
        return False
    rows = [r for r in table.body() if not all(is_empty(v) for v in table.rows[r])]
    return len(rows) <= settings().loader_vocabulary.cover_table_rows


def not_read_sentence(name: str) -> str:
    """Why nothing was loaded from a sheet no table is read from."""
    if reference_sheet(name):
        return f"Sheet '{name}' is a key, guidance or dashboard sheet, not data; nothing was loaded from it."
    if cover_sheet(name):
        return (
            f"Sheet '{name}' is a cover sheet: the organisation and period are read from it, and any small "
            "lookup table on it is not loaded as data."
        )
    return f"Sheet '{name}' holds no table the loaders recognise; nothing was loaded from it."
