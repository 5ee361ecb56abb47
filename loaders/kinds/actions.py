"""Improvement plans: action trackers, their RAG summary tables, and action concern reports."""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from openpyxl.utils import get_column_letter

from config import settings
from loaders.cells import rag_from_fill
from loaders.context import Context, date_in_text
from loaders.headers import HeaderMatch, match_quality, normalise, synonyms
from loaders.kinds.common import (
    Recorder,
    blank_cell_fill,
    date_cell,
    filled_rows,
    fmt,
    is_total_label,
    rag,
    rag_from_fills,
    ref_cell,
    section_text,
    text,
    whole,
)
from loaders.tables import Table, is_empty
from records import Dataset, empty_record

COLOURS = ("blue", "green", "amber", "red", "grey")
_LETTER = re.compile(r"^([a-z])[).]?\s+(\S.*)$", re.DOTALL)


@cache
def _words(name: str) -> tuple[str, ...]:
    """A word list of the loader vocabulary (``non_dates`` of its own section), normalised."""
    words = settings().non_dates.words if name == "non_dates" else getattr(settings().loader_vocabulary, name)
    return tuple(normalise(w) for w in words)


def _non_date(value: str) -> bool:
    key = normalise(value)
    return any(key == w or key.startswith(w + " ") for w in _words("non_dates") if w)


def _due(rec: Recorder, r: int, c: int | None, ctx: Context, what: str = "Due date"):
    """(text, iso, original iso) for a due-date cell, with an issue when it cannot be read."""
    value = rec.table.rows[r][c] if c is not None else None
    if is_empty(value):
        return None, None, None
    parsed = date_cell(value, ctx.fy_start_year)
    shown = parsed.text if isinstance(value, str) else (parsed.iso or text(value))
    if parsed.problem and not (isinstance(value, str) and _non_date(value)):
        rec.warn("unreadable_date", r, c, f"{what}: {parsed.problem}; the text is kept.")
    return shown, parsed.iso, parsed.original_iso


# --- actions ---------------------------------------------------------------------------------------


def accepts_actions(m: HeaderMatch) -> bool:
    others = ("ref", "due_text", "due_date", "rag_label", "rag", "status", "owner", "updated")
    return m.has("action") and sum(1 for f in others if f in m.columns) >= 2


def resolve_columns(table: Table) -> dict[str, int]:
    """Canonical field -> column. A recommendation number with no action number is the actions' ref. Beside a
    deadline column, one headed 'Revised ...' (a 'Target Date' and a 'Revised Target Date') holds the deadline
    as it stands, and the other the original."""
    columns = dict(table.match.columns)
    if table.fixed:
        return columns
    if "ref" not in columns and "parent_ref" in columns:
        columns["ref"] = columns.pop("parent_ref")  # a tracker numbered only by its recommendations
    if "original_due_date" in columns:
        return columns
    due = columns.get("due_text", columns.get("due_date"))
    taken = set(columns.values())
    for c in sorted(table.match.texts):
        if c in taken or not _revised_deadline(table.header(c)):
            continue
        if due is not None:
            columns["original_due_date"] = due
            columns.pop("due_date", None)
        columns["due_text"] = c
        break
    return columns


def _revised_deadline(header: str) -> bool:
    key = normalise(header)
    for word in _words("revised_words"):
        if key.startswith(word + " "):
            return "due_text" in match_quality(key[len(word) + 1 :], synonyms("actions"))[0]
    return False


def build_actions(table: Table, ctx: Context) -> list[Dataset]:
    if not table.fixed:
        table.match = dataclasses.replace(table.match, columns=resolve_columns(table))
    rec = Recorder("actions", table)
    cols = table.match.columns
    updates = sorted(table.match.repeated.get("progress", []))
    if updates:
        first, last = get_column_letter(updates[0] + 1), get_column_letter(updates[-1] + 1)
        rec.dataset.columns["progress"] = first if first == last else f"{first}:{last}"
    c_ref, c_action = cols.get("ref"), cols.get("action")
    c_rag = cols.get("rag_label", cols.get("rag"))
    fills = rag_from_fills(rec, c_rag)
    if c_rag is None and _status_reads_as_rag(table, cols.get("status")):
        c_rag = cols["status"]
    forward = _sparse_refs(table, c_ref, c_action)
    parents = _parent_refs(table, c_ref)
    area = _heading_area(table) if "area" not in cols else None
    last_ref, letters, parent = None, 0, None
    for r, row in filled_rows(table):
        heading = section_text(row)
        if heading is not None and _key_heading(heading):
            message = f"'{heading}' opens a key to the ratings; the rows from here are not read as actions."
            rec.issue("info", "key_rows", table.ref(r, next(c for c, v in enumerate(row) if not is_empty(v))), message)
            break
        action_text, letter = _action_text(table, r, c_action)
        ref = ref_cell(table, r, c_ref)
        if heading is not None and action_text in (None, heading) and ref in (None, heading):
            parent = recommendation_ref(heading)
            if parent is None:
                area = heading
            continue
        if action_text is None:
            if c_rag is not None and not is_empty(row[c_rag]):
                rec.unreadable(r, "it has a RAG rating but no action text")
            else:
                rec.skipped(r, "it has no action text")
            continue
        if r in parents:
            parent = bare_ref(ref)
            message = f"Row {r + 1} ({ref}) heads the actions numbered under it; it is not an action itself."
            rec.issue("info", "parent_row", table.ref(r, c_ref), message)
            continue
        if ref is not None:
            last_ref, letters = ref, 0
        elif forward and last_ref is not None:
            ref = last_ref
        if letter is None and forward and ref is not None:
            letter, action_text = _leading_letter(action_text, letters)
        if letter is not None:
            letters += 1
            if ref is not None:
                ref = f"{ref}{letter}"
        record = empty_record("actions")
        record.update(ref=ref, action=action_text)
        record["area"] = text(row[cols["area"]]) if "area" in cols else area
        record.update({f: text(row[cols[f]]) for f in ("owner", "status") if f in cols})
        record["progress"] = _latest_progress(row, table.match.repeated.get("progress", []))
        if "parent_ref" in cols:
            parent = _parent_cell(table, r, cols["parent_ref"], parent)
        record["parent_ref"] = parent
        _deadlines(table, r, record, ctx, rec)
        if "updated" in cols and not is_empty(row[cols["updated"]]):
            record["updated"] = rec.date(r, cols["updated"], "Updated", ctx.fy_start_year).iso
        if c_rag is not None:
            record["rag_label"], record["rag"] = _rag(table, r, c_rag, fills, rec)
        if ref is None:
            where = c_ref if c_ref is not None else c_action
            rec.warn("missing_ref", r, where, "This action has no reference number; it is loaded without one.")
        rec.add(record, r)
    return [rec.dataset]


def _latest_progress(row: list, columns: list[int]) -> str | None:
    """The latest progress narrative: of several update columns (one per month), the last one written."""
    written = [text(row[c]) for c in sorted(columns) if not is_empty(row[c])]
    return written[-1] if written else None


def _heading_area(table: Table) -> str | None:
    """The heading right above the header as the actions' area, unless it is an 'as at' or period line."""
    heading = table.heading()
    return None if heading is None or date_in_text(heading) is not None else heading


def _deadlines(table: Table, r: int, record: dict, ctx: Context, rec: Recorder) -> None:
    """The deadline as it stands and, when a revised one is stated, the original: from one cell
    ('30/11/18 (01/09/18)') or from separate Original and Revised columns."""
    cols, row = table.match.columns, table.rows[r]
    c_due = cols.get("due_text", cols.get("due_date"))
    c_original = cols.get("original_due_date")
    if c_original is not None and (c_due is None or is_empty(row[c_due])):
        c_due, c_original = c_original, None
    record["due_text"], record["due_date"], record["original_due_date"] = _due(rec, r, c_due, ctx)
    if c_original is not None and not is_empty(row[c_original]):
        record["original_due_date"] = _due(rec, r, c_original, ctx, "Original deadline")[1]


def _key_heading(heading: str) -> bool:
    """'Key', 'RAG key:', 'Legend': a key to the ratings written below a tracker."""
    return normalise(heading) in _words("key_headings")


@cache
def _recommendation_heading() -> re.Pattern:
    labels = "|".join(
        re.escape(w) for w in sorted(settings().loader_vocabulary.recommendation_labels, key=len, reverse=True)
    )
    return re.compile(
        rf"^(?:{labels})\.?\s*(?:no\.?|number|ref\.?)?\s*[:#-]?\s*([A-Za-z]?\d+(?:\.\d+)*[A-Za-z]?)(?=$|[\s:.)\-–])",
        re.IGNORECASE,
    )


def recommendation_ref(heading: str | None) -> str | None:
    """'Recommendation 2: Strengthen board oversight' -> '2'; None when the text names no recommendation."""
    if not heading:
        return None
    m = _recommendation_heading().match(heading.strip())
    return m.group(1) if m else None


_LEADING_REF = re.compile(r"^([A-Za-z]{0,3}\d+(?:\.\d+)*[A-Za-z]?)(?=$|[\s:.)\-–])")


def bare_ref(value: str | None) -> str | None:
    """A recommendation's ref without its label word ('Recommendation 1' -> '1'); a ref cell that is
    text ('1. Strengthen governance') gives its leading number; other text is kept as written."""
    if value is None:
        return None
    found = recommendation_ref(value)
    if found is not None:
        return found
    m = _LEADING_REF.match(value.strip())
    return m.group(1).rstrip(".") if m else value


def _parent_cell(table: Table, r: int, c: int, carried: str | None) -> str | None:
    """The recommendation column's entry for a row; a blank (merged down, or written once per group)
    belongs to the recommendation above."""
    value = table.rows[r][c]
    if is_empty(value):
        return carried
    return bare_ref(ref_cell(table, r, c))


def _status_reads_as_rag(table: Table, c: int | None) -> bool:
    """A tracker with no RAG column whose status words are RAG words (On track, At risk, Complete):
    its status is its RAG. A status of Open / Closed is not."""
    if c is None:
        return False
    words = {text(table.rows[r][c]) for r in table.body() if isinstance(table.rows[r][c], str)} - {None}
    known = [w for w in words if rag(w)[0] is not None]
    return bool(words) and len(known) * 3 >= len(words) * 2


def _parent_refs(table: Table, c_ref: int | None) -> set[int]:
    """Rows such as '1.4 Commission external support' with nothing else filled, whose ref the
    following rows extend (1.4.1, 1.4.2)."""
    if c_ref is None:
        return set()
    others = [c for f, c in table.match.columns.items() if f not in ("ref", "action", "area", "parent_ref")]
    rows = table.rows
    refs = [(r, ref_cell(table, r, c_ref)) for r in table.body()]
    parents = set()
    for i, (r, ref) in enumerate(refs):
        if ref is None or any(not is_empty(rows[r][c]) for c in others):
            continue
        following = next((x for _, x in refs[i + 1 :] if x is not None), None)
        if following is not None and following.startswith(bare_ref(ref) + "."):
            parents.add(r)
    return parents


def _sparse_refs(table: Table, c_ref: int | None, c_action: int) -> bool:
    """True when refs are written only on the first row of each group (to be carried down)."""
    if c_ref is None:
        return False
    with_action = [r for r in table.body() if not is_empty(table.rows[r][c_action])]
    blank = sum(1 for r in with_action if is_empty(table.rows[r][c_ref]))
    return bool(with_action) and blank > 0.25 * len(with_action)


def _action_text(table: Table, r: int, c: int) -> tuple[str | None, str | None]:
    """(text, letter): a lone letter in the action column with the words in the next column."""
    row = table.rows[r]
    value = text(row[c])
    if value is not None and re.fullmatch(r"[a-z][).]?", value):
        nxt = text(row[c + 1]) if c + 1 < len(row) and (c + 1) not in table.match.columns.values() else None
        if nxt:
            return nxt, value[0]
    return value, None


def _leading_letter(action: str, letters: int) -> tuple[str | None, str]:
    """'a GB to formally sign off' -> ('a', 'GB to formally sign off') when 'a' is the next letter expected."""
    m = _LETTER.match(action)
    if m and m.group(1) == chr(ord("a") + letters):
        return m.group(1), m.group(2)
    return None, action


def _rag(table: Table, r: int, c: int, fills: bool, rec: Recorder) -> tuple[str | None, str | None]:
    if fills:
        return None, rag_from_fill(table.sheet.fill(r, c))
    label = text(table.rows[r][c])
    if label is None:
        return None, blank_cell_fill(table, r, c)
    found, problem = rag(label)
    if problem:
        rec.warn("unknown_rag", r, c, f"RAG: {problem}; the label is kept.")
    return label, found


# --- RAG summary -----------------------------------------------------------------------------------


def accepts_summary(m: HeaderMatch) -> bool:
    return m.has("area") and sum(1 for c in COLOURS if c in m.columns) >= 3


def build_summary(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("action_summary", table)
    cols = table.match.columns
    c_area = cols["area"]
    report_date = ctx.as_at
    if report_date is None and "report_date" not in cols:
        message = "The workbook states no as-at date, so the summary's report date is unknown."
        rec.issue("warning", "missing_date", table.name, message)
    block: list[dict] = []
    for r, row in filled_rows(table):
        label = text(row[c_area])
        counts = {}
        problems = []
        for colour in (*COLOURS, "total"):
            c = cols.get(colour)
            if c is None:
                continue
            counts[colour], problem = whole(row[c]) if not is_empty(row[c]) else (None, None)
            if problem:
                problems.append((c, colour, problem))
        if problems and all(v is None for v in counts.values()):
            rec.skipped(r, f"'{label}' holds words, not counts (a key or note)")
            continue
        for c, colour, problem in problems:
            rec.warn("unreadable_number", r, c, f"{colour.capitalize()}: {problem}.")
        if all(v is None for v in counts.values()):
            rec.skipped(r, f"'{label}' holds no counts" if label else "it holds no counts")
            continue
        record = empty_record("action_summary")
        record.update(counts, area=label)
        record["report_date"] = report_date
        if "report_date" in cols:
            record["report_date"] = date_cell(row[cols["report_date"]], ctx.fy_start_year).iso or report_date
        previous = label is not None and normalise(label).startswith(_words("previous_report_labels"))
        if previous:
            found = date_in_text(label)
            if found is None:
                rec.warn(
                    "unreadable_date", r, c_area, f"'{label}' names an earlier report but no date that can be read."
                )
            record["report_date"] = found
        _fill_total(rec, r, record, cols)
        if is_total_label(label) and not previous:
            _check_summary_total(rec, r, record, block, cols)
            block = []
            continue
        if not previous:
            block.append(record)
        rec.add(record, r)
    return [rec.dataset]


def _fill_total(rec, r, record, cols) -> None:
    present = [record[c] for c in COLOURS if c in cols]
    summed = sum(v or 0 for v in present)
    if record["total"] is None:
        record["total"] = summed
    else:
        message = f"{record['area']}: total {record['total']} is not the sum of its RAG counts, {summed}."
        rec.total(r, cols["total"], record["total"], summed, message, None)


def _check_summary_total(rec, r, record, block, cols) -> None:
    for colour in (*COLOURS, "total"):
        c = cols.get(colour)
        stated = record.get(colour)
        summed = sum(b.get(colour) or 0 for b in block)
        if c is not None and stated is not None:
            message = f"Total {colour} is {fmt(stated)} but the areas above sum to {fmt(summed)}."
            rec.total(r, c, stated, summed, message, None)


# --- action concern report -------------------------------------------------------------------------


def accepts_concerns(m: HeaderMatch) -> bool:
    return m.has("concern") and m.has_any("ref", "action")


def build_concerns(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("action_concerns", table)
    cols = table.match.columns
    for r, row in filled_rows(table):
        ref = ref_cell(table, r, cols.get("ref"))
        action = text(row[cols["action"]]) if "action" in cols else None
        if ref is None and action is None:
            heading = section_text(row)
            rec.skipped(r, f"'{heading}' is a heading" if heading else "it has no action number or action")
            continue
        record = empty_record("action_concerns")
        record.update(ref=ref, action=action)
        due = _due(rec, r, cols.get("deadline_text"), ctx, "Deadline")
        record["deadline_text"], record["due_date"], record["original_due_date"] = due
        for fld in ("concern", "first_raised", "status"):
            record[fld] = text(row[cols[fld]]) if fld in cols else None
        c = cols.get("first_raised")
        if c is not None and not isinstance(row[c], str | type(None)):
            record["first_raised"] = date_cell(row[c], ctx.fy_start_year).iso or text(row[c])
        rec.add(record, r)
    rec.dataset.columns = {f: get_column_letter(c + 1) for f, c in cols.items()}
    return [rec.dataset]
