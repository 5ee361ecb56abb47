"""QIPP: scheme trackers, targets by area, and the summary tables (area x stage, status x RAG) checked
against them."""

from __future__ import annotations

import re
from functools import cache

from openpyxl.utils import get_column_letter

from config import settings
from loaders import vocabulary
from loaders.cells import rag_from_fill
from loaders.context import Context
from loaders.headers import HeaderMatch, match_phrase, normalise, stage_of, stage_of_value, synonyms
from loaders.kinds.common import (
    FILL_ROWS_LIMIT,
    Memo,
    Recorder,
    blank_cell_fill,
    body_columns,
    close,
    filled_rows,
    fmt,
    header_parts,
    is_memorandum_label,
    is_total_label,
    money,
    money_column,
    rag,
    rag_from_fills,
    section_text,
    text,
    text_column,
    unit_multiplier,
    whole,
)
from loaders.kinds.qipp_phasing import Phasing, names_a_scheme, pounds_issue, series_of
from loaders.tables import Table, is_empty, is_number
from records import ColumnRecords, Dataset, Issue

SCHEME_RAGS = {"red", "amber", "green"}


# --- scheme tracker ------------------------------------------------------------------------------


def accepts_schemes(m: HeaderMatch) -> bool:
    if not m.has_any("ref", "name"):
        return False
    if m.has("value") and m.has_any("stage", "rag", "area", "lead"):
        return True
    # A savings tracker phased by month: its month columns, and a column only a scheme tracker has or a
    # reference or name headed for a scheme ("Scheme ID", "CIP Scheme").
    if len(m.repeated.get("month_columns", [])) < 3:
        return False
    named = any(names_a_scheme(m.texts.get(m.columns[f])) for f in ("ref", "name") if f in m.columns)
    return named or m.has_any("stage", "rag", "lead")


@cache
def _stage(value: str) -> int | None:
    return stage_of_value(value)


def parse_stage(value) -> tuple[int | None, str | None]:
    if value is None or is_empty(value):
        return None, None
    if is_number(value):
        if float(value).is_integer() and 0 <= value <= 5:
            return int(value), None
        return None, f"stage {value} is not 0-5"
    stage = vocabulary.mapped("stage", value)
    stage = int(stage) if stage is not None else _stage(str(value).strip())
    if stage is None:
        return None, f"unknown stage '{text(value)}'"
    return stage, None


def build_schemes(table: Table, ctx: Context) -> list[Dataset]:
    """Column by column, since trackers run to hundreds of thousands of rows: the rows that are not
    schemes (sections, totals, blanks) are found first and handled one by one with the running sum
    of the schemes above them; each field is then read for the scheme rows. Issues keep row order."""
    rec = Recorder("qipp_schemes", table)
    for pseudo in ("series", "ytd"):
        rec.dataset.columns.pop(pseudo, None)
    cols = table.match.columns
    c_ref, c_name, c_area, c_stage, c_rag, c_value, c_ra, c_lead, c_rec = (
        cols.get(f)
        for f in ("ref", "name", "area", "stage", "rag", "value", "risk_adjusted_value", "lead", "recurrent")
    )
    mult = unit_multiplier(table, c_value)
    fills = rag_from_fills(rec, c_rag)
    body = table.rows[table.start : table.end]
    column = body_columns(body)
    refs, names, stage_cells = text_column(column(c_ref)), text_column(column(c_name)), column(c_stage)
    values, value_problems = money_column(column(c_value), mult)
    series = series_of(column(cols.get("series"))) if "series" in cols else None
    follow = {i for i, s in enumerate(series) if s not in (None, "plan")} if series else set()
    others = [
        i
        for i, label in enumerate([name or ref for name, ref in zip(names, refs, strict=True)])
        if i in follow or label is None or (is_total_label(label) and is_empty(stage_cells[i]))
    ]
    kept, sections, pending = [], [], []
    section, running, previous = None, 0.0, 0
    issues = rec.dataset.issues
    for i in [*others, len(body)]:
        kept += range(previous, i)
        sections += [section] * (i - previous)
        running += sum(filter(None, values[previous:i]))
        previous = i + 1
        if i == len(body):
            break
        if i in follow:
            continue
        mark, r = len(issues), table.start + i
        if refs[i] is None and names[i] is None:
            section = _unnamed_row(rec, r, body[i], c_area, c_value, mult, running, section)
        elif c_value is not None:
            _check_total(rec, r, c_value, money(body[i][c_value], mult)[0], running, "scheme values", mult)
        pending += [(i, 0, issue) for issue in issues[mark:]]
        del issues[mark:]
    not_schemes = set(others)
    value_problems = {i: problem for i, problem in value_problems.items() if i not in not_schemes}
    pending += [
        (i, 3, _issue(table, i, c_value, "unreadable_number", f"Value: {p}.")) for i, p in value_problems.items()
    ]

    texts = Memo(text)
    data = {"ref": _at(refs, kept), "name": _at(names, kept), "value": _at(values, kept)}
    data["area"] = [texts[v] for v in _at(column(c_area), kept)] if c_area is not None else sections
    if c_lead is not None:
        data["lead"] = [texts[v] for v in _at(column(c_lead), kept)]
    checked = [
        ("stage", c_stage, 1, "unknown_stage", "Stage", Memo(parse_stage)),
        ("rag", c_rag, 2, "unknown_rag", "RAG", _rag_reader(table, c_rag, fills)),
        ("recurrent", c_rec, 5, "unknown_word", "Recurrent", Memo(_recurrent_word)),
    ]
    for fld, c, order, code, label, read in checked:
        if c is None:
            continue
        parsed = [read[v] for v in _at(column(c), kept)] if isinstance(read, Memo) else read(kept)
        data[fld] = [found for found, _ in parsed]
        pending += [
            (i, order, _issue(table, i, c, code, f"{label}: {problem}."))
            for i, (_, problem) in zip(kept, parsed, strict=True)
            if problem
        ]
    if c_ra is not None:
        found, problems = money_column(_at(column(c_ra), kept), unit_multiplier(table, c_ra, mult))
        data["risk_adjusted_value"] = found
        pending += [
            (kept[n], 4, _issue(table, kept[n], c_ra, "unreadable_number", f"Risk-adjusted value: {p}."))
            for n, p in problems.items()
        ]
    phasing = _in_year(table, ctx, data, kept, refs, names, series, follow, pending, mult)
    if series is not None and "ytd" in cols:
        for f in ("plan_ytd", "actual_ytd"):
            rec.dataset.columns.setdefault(f, get_column_letter(cols["ytd"] + 1))
    pending.sort(key=lambda item: item[:2])
    issues += [issue for *_, issue in pending]
    rec.dataset.records = ColumnRecords("qipp_schemes", table.name, data, [table.start + i + 1 for i in kept])
    pounds_issue(rec, table, [c_value, c_ra, *(cols.get(f) for f in IN_YEAR), *phasing.months])
    if c_value is not None and unit_multiplier(table, c_value, 0.0) == 0.0:
        message = f"Column '{table.header(c_value)}' states no unit; values are read as £'000."
        rec.on_header("info", "unit_assumed", c_value, message)
    phased = phasing.rec.dataset
    return [rec.dataset] + ([phased] if phased.records or phased.issues else [])


IN_YEAR = ("plan_ytd", "actual_ytd", "forecast")


def _in_year(table, ctx, data, kept, refs, names, series, follow, pending, mult) -> Phasing:
    """The in-year fields of the kept scheme rows (year to date plan and actual, forecast), and the tracker's
    monthly phasing: from month columns beside each scheme, and from the Actual rows (a series column) that
    follow a scheme's Plan row. A plain year-to-date column is the plan's or the actual's by its row's series."""
    cols = table.match.columns
    body = table.rows[table.start : table.end]
    pos = {i: n for n, i in enumerate(kept)}
    fields = {f: cols[f] for f in IN_YEAR if f in cols}
    if series is not None and "ytd" in cols:
        fields = {"plan_ytd": cols["ytd"], "actual_ytd": cols["ytd"], **fields}
    shared = "ytd" in cols and fields.get("actual_ytd") == fields.get("plan_ytd")
    units = {f: unit_multiplier(table, c, mult) for f, c in fields.items()}
    data.update({f: [None] * len(kept) for f in fields})
    cells: dict[tuple[int, str], tuple[int, int]] = {}  # (kept position, field) -> the cell its figure came from

    def read(i: int, n: int, f: str) -> None:
        value, problem = money(body[i][fields[f]], units[f])
        if problem:
            label = f.replace("_", " ").replace("ytd", "year to date").capitalize()
            pending.append((i, 6, _issue(table, i, fields[f], "unreadable_number", f"{label}: {problem}.")))
        if value is not None and data[f][n] is None:
            data[f][n] = value
            cells[(n, f)] = (table.start + i, fields[f])

    phasing = Phasing(table, ctx, mult, by_series=series is not None)
    label_of = [ref or name for ref, name in zip(refs, names, strict=True)]
    by_label = {label_of[i]: i for i in reversed(kept)}  # each label's first scheme row
    owner = None
    for i in range(len(body)):
        if i in pos:
            owner, n = i, pos[i]
            row_series = series[i] if series else None
            for f in fields:
                if not (shared and f == "actual_ytd"):
                    read(i, n, f)
            if phasing.months:
                phasing.add_row(table.start + i, label_of[i], row_series)
        elif i in follow:
            target = by_label.get(label_of[i], owner) if label_of[i] else owner
            if target is None:
                phasing.rec.unreadable(table.start + i, "it is an actual row with no scheme row above it")
                continue
            if series[i] != "actual":
                word = text(body[i][cols["series"]])
                phasing.rec.skipped(table.start + i, f"its series '{word}' is neither plan nor actual")
                continue
            n = pos[target]
            for f in ("actual_ytd", "forecast"):
                if f in fields:
                    read(i, n, f)
            if phasing.months:
                phasing.add_row(table.start + i, label_of[target], "actual")
    if phasing.months:
        for n, i in enumerate(kept):
            pairs = (("plan", "plan_ytd"), ("actual", "actual_ytd"))
            stated = {m: (data[f][n], cells.get((n, f))) for m, f in pairs if f in fields}
            phasing.check_ytd(label_of[i], stated, mult)
    return phasing


def _at(cells: list, kept: list[int]) -> list:
    if len(kept) == len(cells):  # every row kept, so kept is 0..n-1
        return list(cells)
    return [cells[i] for i in kept]


def _issue(table: Table, i: int, c: int, code: str, message: str) -> Issue:
    return Issue("warning", code, table.ref(table.start + i, c), message)


def _rag_reader(table: Table, c: int | None, fills: bool):
    """The scheme RAG of each kept row: its word, else (a blank cell, or a column with no words at
    all) its fill colour."""
    if c is None:
        return None
    if fills:
        return lambda kept: [_scheme_rag_value(rag_from_fill(table.sheet.fill(table.start + i, c)), None) for i in kept]
    words = Memo(lambda v: None if is_empty(v) else _rag_word(v))
    body = table.rows[table.start : table.end]
    no_fills = table.end - table.start > FILL_ROWS_LIMIT

    def read(kept: list[int]) -> list:
        found = [words[body[i][c]] for i in kept]
        if no_fills:
            return [(None, None) if word is None else word for word in found]
        return [
            _scheme_rag_value(blank_cell_fill(table, table.start + i, c), None) if word is None else word
            for i, word in zip(kept, found, strict=True)
        ]

    return read


def _unnamed_row(rec, r, row, c_area, c_value, mult, running, section):
    """A row with no scheme ref or name: blank, a section heading, a total, or an unreadable row."""
    if all(is_empty(v) for v in row):
        return section
    raw_value = row[c_value] if c_value is not None else None
    heading = section_text(row)
    if heading is not None and is_empty(raw_value):
        return heading
    if c_value is None:
        rec.skipped(r, "it has no scheme reference or name")
        return section
    value, _ = money(raw_value, mult)
    label = text(row[c_area]) if c_area is not None else heading
    if is_total_label(label) or (value is not None and close(value, running)):
        _check_total(rec, r, c_value, value, running, "scheme values", mult)
    elif value is not None:
        rec.unreadable(r, "it has a value but no scheme reference or name")
    else:
        rec.skipped(r, "it has no scheme reference or name")
    return section


def _rag_word(value) -> tuple[str | None, str | None]:
    found, problem = rag(value)
    if problem:
        return None, problem
    return _scheme_rag_value(found, value)


def _scheme_rag_value(found: str | None, value) -> tuple[str | None, str | None]:
    if found is not None and found not in SCHEME_RAGS:
        return None, f"'{text(value) or found}' is not red, amber or green for a scheme; left empty"
    return found, None


def _recurrent_word(value) -> tuple[bool | None, str | None]:
    if is_empty(value):
        return None, None
    if isinstance(value, bool):
        return value, None
    key = normalise(str(value))
    if key in settings().loader_vocabulary.recurrent_words:
        return True, None
    if key in settings().loader_vocabulary.non_recurrent_words:
        return False, None
    return None, f"'{text(value)}' is not Y or N"


def _check_total(rec: Recorder, r: int, c: int, stated, summed: float, what: str, unit: float) -> None:
    if stated is None:
        rec.skipped(r, "it is a total row with no value")
        return
    rec.total(r, c, stated, summed, f"Total {fmt(stated)} is not the sum of the {what} above it, {fmt(summed)}.", unit)


# --- targets by area -----------------------------------------------------------------------------


def accepts_targets(m: HeaderMatch) -> bool:
    return m.has("area", "target")


def build_targets(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("qipp_targets", table)
    c_area, c_target = table.col("area"), table.col("target")
    mult = unit_multiplier(table, c_target)
    running = 0.0
    for r, row in filled_rows(table):
        area = text(row[c_area])
        value = rec.money(r, c_target, mult, "Target")
        if area is None or is_total_label(area):
            if value is not None:
                _check_total(rec, r, c_target, value, running, "targets", mult)
            else:
                rec.skipped(r, "it has no area")
            continue
        running += value or 0.0
        rec.add({"area": area, "target": value}, r)
    return [rec.dataset]


# --- area x stage summary --------------------------------------------------------------------------


TOTAL_ROLES = ("total_excluding", "total_including")
STANDALONE_ROLES = ("area", "target", "gap_excluding", "gap_including", *TOTAL_ROLES)


def _classify(table_match: HeaderMatch) -> dict[int, tuple[str, int | None, str]]:
    """Column -> (role, stage, measure): role "stage"/"total_excluding"/"total_including" with measure
    "count"/"value", or a standalone role ("area", "target", "gap_excluding", "gap_including"). A group
    header names a stage or a total; else the column's own header names a stage (of value) or a role."""
    syn = synonyms("qipp_stage_matrix")
    out: dict[int, tuple[str, int | None, str]] = {}
    for c in table_match.texts:
        group, sub = header_parts(table_match, c)
        measure = "count" if "count" in syn.phrases.get(normalise(sub), ()) else "value"
        found = (group and _role(group, syn, TOTAL_ROLES, measure)) or _role(sub, syn, STANDALONE_ROLES, "value")
        if found:
            out[c] = found
    return out


def _role(shown: str, syn, roles: tuple[str, ...], measure: str) -> tuple[str, int | None, str] | None:
    stage = stage_of(shown)
    if stage is not None:
        return "stage", stage, measure
    found = match_phrase(shown, syn)
    return (found[0], None, measure) if found and found[0] in roles else None


def accepts_stage_matrix(m: HeaderMatch) -> bool:
    if "area" not in m.columns:
        return False
    stages = {s for role, s, _ in _classify(m).values() if role == "stage"}
    return len(stages) >= 2


def build_stage_matrix(table: Table, ctx: Context) -> list[Dataset]:
    roles = _classify(table.match)
    c_area = table.col("area")
    summary = Recorder("qipp_stage_matrix", table)
    targets = Recorder("qipp_targets", table)
    targets.dataset.columns = {
        role: get_column_letter(c + 1) for c, (role, _, _) in roles.items() if role in ("area", "target")
    }
    mult = {c: (1.0 if measure == "count" else unit_multiplier(table, c)) for c, (_, _, measure) in roles.items()}
    block: list[tuple[int, dict[int, float | None]]] = []  # the rows since the last totals row
    memorandum = False
    for r, row in filled_rows(table):
        label = text(row[c_area]) if c_area is not None else None
        values = {}
        for c, (role, _, measure) in roles.items():
            if role == "area":
                continue
            if measure != "count":
                values[c] = summary.money(r, c, mult[c])
                continue
            values[c], problem = whole(row[c]) if not is_empty(row[c]) else (None, None)
            if problem:
                summary.warn("unreadable_number", r, c, f"{table.header(c)}: {problem}.")
        if label and is_memorandum_label(label) and all(v is None for v in values.values()):
            memorandum, block = True, []
            message = f"'{label}' and the rows under it are a memorandum: checked, not loaded."
            summary.issue("info", "memorandum", table.ref(r, c_area), message)
            continue
        if label is None and all(v is None for v in values.values()):
            summary.skipped(r, "it holds no area and no figures")
            continue
        if is_total_label(label):
            _check_matrix_totals(table, summary, roles, mult, block, r, values)
            continue
        if label is None:
            summary.skipped(r, "it has no area")
            continue
        block.append((r, values))
        _check_matrix_row(table, summary, roles, mult, r, label, values)
        if memorandum:
            continue
        for c, (role, stage, measure) in roles.items():
            if role == "stage":
                cell = table.ref(r, c)
                summary.add({"area": label, "stage": stage, "measure": measure, "value": values[c], "cell": cell}, r)
        target_col = next((c for c, (role, _, _) in roles.items() if role == "target"), None)
        if target_col is not None and values.get(target_col) is not None:
            targets.add({"area": label, "target": values[target_col]}, r)
    return [summary.dataset] + ([targets.dataset] if targets.dataset.records else [])


def _cols(roles, role: str, measure: str, stages: range | None = None) -> list[int]:
    return [c for c, (ro, st, me) in roles.items() if ro == role and me == measure and (stages is None or st in stages)]


def _sum(values: dict[int, float | None], cols: list[int]) -> float:
    return sum(values.get(c) or 0 for c in cols)


def _unit(roles, mult, c) -> float | None:
    """The column's unit for a total check: None for counts of schemes, which are never rounded."""
    return None if roles[c][2] == "count" else mult[c]


def _check_matrix_row(table, rec, roles, mult, r, label, values) -> None:
    """Row totals against the row's stage cells, gaps against target less total."""
    for role, stages in (("total_excluding", range(1, 6)), ("total_including", range(0, 6))):
        for measure in ("count", "value"):
            for c in _cols(roles, role, measure):
                stated = values.get(c)
                summed = _sum(values, _cols(roles, "stage", measure, stages))
                if stated is not None:
                    what = "scheme counts" if measure == "count" else "stage values"
                    message = f"{label}: {table.header(c)} is {fmt(stated)} but its {what} sum to {fmt(summed)}."
                    rec.total(r, c, stated, summed, message, _unit(roles, mult, c))
    target = next((values[c] for c in _cols(roles, "target", "value")), None)
    for gap_role, total_role in (("gap_excluding", "total_excluding"), ("gap_including", "total_including")):
        for c in _cols(roles, gap_role, "value"):
            total = next((values[t] for t in _cols(roles, total_role, "value")), None)
            stated = values.get(c)
            if stated is not None and target is not None and total is not None:
                rec.total(
                    r,
                    c,
                    stated,
                    target - total,
                    f"{label}: {table.header(c)} is {fmt(stated)} but target less total is "
                    f"{fmt(target)} - {fmt(total)} = {fmt(target - total)}.",
                    mult[c],
                )


def _check_matrix_totals(table, rec, roles, mult, block, r, values) -> None:
    for c, (role, _, _) in roles.items():
        if role == "area":
            continue
        stated = values.get(c)
        summed = sum((v.get(c) or 0) for _, v in block)
        if stated is not None:
            message = f"{table.header(c)} on the totals row is {fmt(stated)} but the rows above sum to {fmt(summed)}."
            rec.total(r, c, stated, summed, message, _unit(roles, mult, c))
    block.clear()


# --- status x RAG summary ------------------------------------------------------------------------


def accepts_rag_summary(m: HeaderMatch) -> bool:
    return m.has("rag", "value") and m.has_any("status", "risk_adjusted_value")


def build_rag_summary(table: Table, ctx: Context) -> list[Dataset]:
    rec = Recorder("qipp_rag_summary", table)
    c_status, c_rag, c_value, c_ra = (table.col(f) for f in ("status", "rag", "value", "risk_adjusted_value"))
    mult = unit_multiplier(table, c_value)
    status = None
    sums = {"value": 0.0, "risk_adjusted_value": 0.0}
    for r, row in filled_rows(table):
        stated_status = text(row[c_status]) if c_status is not None else None
        status = stated_status or status
        word = text(row[c_rag])
        value = rec.money(r, c_value, mult, "Net value")
        adjusted = money(row[c_ra], mult)[0] if c_ra is not None else None
        label = stated_status or word
        if value is None and adjusted is None:
            rec.skipped(r, f"'{label}' has no figures" if label else "it has no figures")
            continue
        if word is None and (stated_status is None or is_total_label(stated_status)):
            for fld, c, stated in (("value", c_value, value), ("risk_adjusted_value", c_ra, adjusted)):
                if c is not None and stated is not None:
                    message = f"Total {fmt(stated)} is not the sum of the rows above, {fmt(sums[fld])}."
                    rec.total(r, c, stated, sums[fld], message, mult)
            continue
        found, problem = rag(word)
        if problem:
            rec.warn("unknown_rag", r, c_rag, f"RAG: {problem}.")
        sums["value"] += value or 0
        sums["risk_adjusted_value"] += adjusted or 0
        record = {"status": status, "label": label, "rag": found, "value": value, "risk_adjusted_value": adjusted}
        record["cell"] = table.ref(r, c_value)
        rec.add(record, r)
    return [rec.dataset]


def pipeline_status(status: str | None) -> bool:
    return bool(status and re.search(r"pipeline", status, re.IGNORECASE))
