"""Layout profiles on the reading side: a saved Mapping's layout signature, and replaying the profile whose
layout an uploaded workbook has (exactly, or nearly: a column added, moved or gone, the header a few rows
lower), saying what changed."""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from openpyxl.utils import column_index_from_string, get_column_letter

from loaders.grid import cell_ref
from loaders.headers import normalise
from loaders.mapping import IGNORE, PROFILE, Column, Mapping, MappingError, Stated, TableMapping, from_dict
from loaders.tables import header_of, shown_texts
from records import Issue

NEAR = 0.6  # share of a table's header texts a workbook must keep for a profile to be replayed
SHIFT = 5  # rows a header may have moved


def signature(mapping: dict) -> dict:
    """Sheet names, header rows and normalised header texts of the tables a mapping reads."""
    out: dict[str, list] = {}
    for sheet in mapping.get("sheets", []):
        tables = [t for t in sheet.get("tables", []) if t.get("layout") != IGNORE and t.get("columns")]
        if tables:
            out[sheet["sheet"]] = [
                {
                    "header_rows": list(t["header_rows"]),
                    "headers": {c["letter"]: normalise(c["header"]) for c in t["columns"] if normalise(c["header"])},
                }
                for t in tables
            ]
    return out


def signature_key(sig: dict) -> str:
    return hashlib.sha256(json.dumps(sig, sort_keys=True).encode()).hexdigest()


@dataclass
class Replay:
    mapping: Mapping
    profile: dict  # profile_id, organisation, saved_at, exact
    changes: list[Issue] = field(default_factory=list)


def best_replay(book, detected: Mapping, profiles, organisation: str | None) -> Replay | None:
    """The profile this workbook's layout matches best (an exact match first, the workbook's own
    organisation next, then the latest saved), applied to it; None when none matches."""
    best: tuple | None = None
    for profile in profiles:
        try:
            saved = from_dict(profile["mapping"])
        except MappingError:
            continue
        placed = _placements(book, saved)
        if placed is None:
            continue
        overlap = min(p[1] for p in placed.values()) if placed else 0.0
        rank = (overlap, profile.get("organisation") == organisation, str(profile.get("saved_at", "")))
        if overlap >= NEAR and (best is None or rank > best[0]):
            best = (rank, profile, saved, placed)
    if best is None:
        return None
    _, profile, saved, placed = best
    return _replay(book, detected, profile, saved, placed)


def _placements(book, saved: Mapping) -> dict[tuple[str, int], tuple[int, float, dict[int, str]]] | None:
    """(sheet, table index) -> (row shift, overlap, this workbook's header texts) for every table the profile
    reads; None when a sheet it reads is missing."""
    placed = {}
    for sheet_mapping in saved.sheets:
        for i, spec in enumerate(sheet_mapping.tables):
            if spec.layout == IGNORE or not spec.columns:
                continue
            sheet = book.sheet(sheet_mapping.sheet)
            if sheet is None:
                return None
            placed[(sheet.name, i)] = _best_shift(sheet, spec)
    return placed


def _best_shift(sheet, spec: TableMapping) -> tuple[int, float, dict[int, str]]:
    wanted = {normalise(c.header) for c in spec.columns or () if normalise(c.header)}
    best = (0, 0.0, {})
    for shift in sorted(range(-SHIFT, SHIFT + 1), key=abs):
        rows = [r - 1 + shift for r in spec.header_rows]
        if rows[0] < 0 or rows[-1] >= len(sheet.rows):
            continue
        texts = {c: t for c, t in shown_texts(*header_of(sheet, rows)).items() if normalise(t)}
        found = {normalise(t) for t in texts.values()}
        overlap = len(wanted & found) / len(wanted | found) if wanted | found else 0.0
        if overlap > best[1]:
            best = (shift, overlap, texts)
        if overlap == 1.0:
            break
    return best


def _replay(book, detected: Mapping, profile: dict, saved: Mapping, placed) -> Replay:
    mapping = copy.deepcopy(saved)
    mapping.organisation = Stated(profile.get("organisation"), None, PROFILE, 0.8)
    changes: list[Issue] = []
    exact = True
    for sheet_mapping in mapping.sheets:
        for i, spec in enumerate(sheet_mapping.tables):
            if (sheet_mapping.sheet, i) not in placed:
                continue
            shift, overlap, texts = placed[(sheet_mapping.sheet, i)]
            exact = exact and shift == 0 and overlap == 1.0
            _move(spec, shift, sheet_mapping.sheet, changes)
            spec.columns = _columns(spec, texts, detected, sheet_mapping.sheet, changes)
            spec.how, spec.confidence = PROFILE, round(overlap, 2)
    summary = {k: profile.get(k) for k in ("profile_id", "organisation", "saved_at")} | {"exact": exact}
    return Replay(mapping, summary, changes)


def _move(spec: TableMapping, shift: int, sheet: str, changes: list[Issue]) -> None:
    if not shift:
        return
    spec.header_rows = [r + shift for r in spec.header_rows]
    spec.data_start += shift
    if spec.data_end is not None:
        spec.data_end += shift
    rows = f"{abs(shift)} row{'s' if abs(shift) != 1 else ''} {'lower' if shift > 0 else 'higher'}"
    message = f"The header on sheet '{sheet}' is now at row {spec.header_rows[-1]} ({rows} than in the saved layout)."
    changes.append(_changed("info", sheet, spec.header_rows[-1] - 1, 0, message))


def _changed(severity: str, sheet: str, r: int, c: int, message: str) -> Issue:
    return Issue(severity, "layout_changed", cell_ref(sheet, r, c), message)


def _columns(spec: TableMapping, texts: dict[int, str], detected: Mapping, sheet: str, changes) -> list[Column]:
    """The profile's columns placed by their header text in this workbook; columns it does not know are read
    as detection reads them."""
    where: dict[str, list[int]] = {}
    for c, text in texts.items():
        where.setdefault(normalise(text), []).append(c)
    row = spec.header_rows[-1] - 1
    out: dict[int, Column] = {}
    for col in spec.columns or ():
        was = column_index_from_string(col.letter) - 1
        places = [c for c in where.get(normalise(col.header), []) if c not in out]
        if not places:
            if col.field:
                gone = f"Column '{col.header}' ({col.letter} in the saved layout) is not in this file"
                changes.append(_changed("warning", sheet, row, was, f"{gone}; {col.field} is not read."))
            continue
        c = min(places, key=lambda p: abs(p - was))
        moved = Column(get_column_letter(c + 1), col.header, col.field, PROFILE, 1.0, col.unit, col.unit_how)
        if c != was and col.field:
            move = f"Column '{col.header}' has moved from {col.letter} to {moved.letter}"
            changes.append(_changed("info", sheet, row, c, f"{move}; it is still read as {col.field}."))
        out[c] = moved
    fresh = _detected_columns(detected, sheet, spec.header_rows)
    for c in sorted(set(texts) - set(out)):
        new = fresh.get(c) or Column(get_column_letter(c + 1), texts[c], None)
        out[c] = new
        read_as = f"read as {new.field} ({new.how})" if new.field else "not read; map it if it holds data"
        changes.append(_changed("info", sheet, row, c, f"New column '{new.header}' at {new.letter}: {read_as}."))
    return [out[c] for c in sorted(out)]


def _detected_columns(detected: Mapping, sheet: str, header_rows: list[int]) -> dict[int, Column]:
    found = detected.sheet(sheet)
    for spec in found.tables if found else ():
        if spec.header_rows == header_rows and spec.columns:
            return {column_index_from_string(c.letter) - 1: c for c in spec.columns}
    return {}


def profile_sentence(profile: dict) -> str:
    """'Read with the layout saved on 3 Dec 2026 for Eastfield ICB', and whether it fitted exactly."""
    saved = str(profile.get("saved_at") or "")[:10]
    try:
        day = date.fromisoformat(saved)
        when = f"{day.day} {day:%b %Y}"
    except ValueError:
        when = "an earlier date"
    org = profile.get("organisation") or "this organisation"
    fit = "" if profile.get("exact", True) else "; the layout has changed since, see what changed below"
    return f"Read with the layout saved on {when} for {org}{fit}."
