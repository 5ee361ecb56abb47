"""Risk registers and assurance frameworks: BAF score cells, L/C/score columns, words, 3x3 registers."""

from __future__ import annotations

import re
from functools import cache

from openpyxl.utils import get_column_letter

import config
from config import settings
from loaders.cells import parse_level, parse_score
from loaders.context import Context
from loaders.headers import HeaderMatch, match_phrase, synonyms
from loaders.kinds.common import Recorder, filled_rows, ref_cell, section_text, text
from loaders.kinds.risk_fields import (
    MERGED_DOWN_FIELDS,
    merged_value,
    read_appetite,
    read_trend,
    title_appetite,
    title_objective,
    unknown_trend,
    without_label,
)
from loaders.tables import Table, is_empty
from records import empty_record

STAGES = ("initial", "current", "target")
LEVEL_FIELDS = {f"{s}_{a}" for s in STAGES for a in ("likelihood", "consequence")}
SCORE_FIELDS = {f"{s}_score" for s in STAGES}
TEXT_FIELDS = (
    "title",
    "owner",
    "objective",
    "status",
    "controls",
    "assurances",
    "gaps",
    "actions",
    "appetite",
    "directorate",
    "committee",
)
DATE_FIELDS = {
    "last_reviewed": "Last reviewed",
    "target_date": "Target date",
    "next_review": "Next review",
    "opened": "Opened",
}
LIST_FIELDS = ("controls", "assurances", "gaps", "actions")
REF_LIKE = re.compile(r"^[A-Za-z]{0,6}\s*-?\s*\d+(?:[.\-/]\d+)*[a-z]?$")


def accepts(m: HeaderMatch) -> bool:
    scored = m.has_any(*LEVEL_FIELDS, *SCORE_FIELDS, "likelihood", "consequence", "score")
    return scored and m.has_any("ref", "title")


def build(table: Table, ctx: Context) -> list:
    columns = resolve_columns(table)
    rec = Recorder("risks", table)
    scale = _scale(table, columns)
    columns = _drop_text_levels(table, columns, scale, rec)
    rec.dataset.columns = {f: get_column_letter(c + 1) for f, c in columns.items()}
    section = None
    sheet_objective = None if "objective" in columns else title_objective(table)
    sheet_appetite = (
        None if {"appetite", "appetite_level", "appetite_max_score"} & set(columns) else title_appetite(table)
    )
    residual_words = False
    previous: dict | None = None
    for r, row in filled_rows(table):
        heading = section_text(row)
        ref = without_label(ref_cell(table, r, columns.get("ref")))
        title = text(_value(row, columns.get("title")))
        if heading is not None and heading in (title, ref) and not _has_scores(row, columns):
            section = heading
            previous = None
            continue
        if ref is None and title is None:
            if previous is not None and not _has_scores(row, columns):
                _continue_record(previous, row, columns)
            elif _has_scores(row, columns):
                rec.unreadable(r, "it has scores but no risk reference or title")
            else:
                rec.skipped(r, "it has no risk reference or title")
            continue
        record = empty_record("risks")
        record.update(ref=ref, title=title, scale=scale)
        for fld in TEXT_FIELDS[1:]:
            record[fld] = text(_cell(table, r, columns.get(fld), fld))
        if record["objective"] is None and "objective" not in columns:
            record["objective"] = section or sheet_objective
        for stage in STAGES:
            residual_words |= _read_stage(table, r, row, columns, stage, scale, record, rec)
        if "scale" in columns:
            stated = text(_value(row, columns["scale"]))
            if stated in ("3x3", "5x5"):
                record["scale"] = stated
        for fld, label in DATE_FIELDS.items():
            c = columns.get(fld)
            if c is not None and not is_empty(_value(row, c)):
                record[fld] = rec.date(r, c, label, ctx.fy_start_year).iso
        _read_appetite(table, r, columns, record, rec, sheet_appetite)
        _read_trend(r, row, columns, record, rec)
        previous = rec.add(record, r)
    if residual_words:
        message = (
            "Some scores are stated only as a band word (Low/Medium/High) without likelihood and impact; "
            "the band is kept, but no score is guessed, so those risks cannot be placed on the matrix."
        )
        rec.issue("info", "band_word_only", table.name, message)
    return [rec.dataset]


def _value(row: list, c: int | None):
    return row[c] if c is not None and c < len(row) else None


def _cell(table: Table, r: int, c: int | None, fld: str):
    """A field's cell; a label merged down over several risks' rows belongs to each of them."""
    if c is not None and fld in MERGED_DOWN_FIELDS:
        return merged_value(table, r, c)
    return _value(table.rows[r], c)


def _read_appetite(table, r, columns, record, rec, sheet_appetite: str | None) -> None:
    """The appetite as written, its level (from a level column where there is one) and its tolerable score;
    the sheet's title states it for every risk when no column does."""
    c, lc, sc = (columns.get(f) for f in ("appetite", "appetite_level", "appetite_max_score"))
    value, level = _cell(table, r, c, "appetite"), _cell(table, r, lc, "appetite")
    if sheet_appetite is not None:
        found = read_appetite(sheet_appetite, None, record["scale"])
        record.update(appetite=sheet_appetite, appetite_level=found.level, appetite_max_score=found.max_score)
        reported = any(i.code == "unknown_appetite" and i.cell == table.name for i in rec.dataset.issues)
        if found.problem and not reported:
            message = f"Risk appetite: {found.problem}; it is kept as written."
            rec.issue("warning", "unknown_appetite", table.name, message)
        return
    stated = _cell(table, r, sc, "appetite_max_score")
    words, where = (level, lc) if not is_empty(level) else (value, c)
    if is_empty(words) and is_empty(stated):
        return
    record["appetite"] = next((text(v) for v in (value, level, stated) if not is_empty(v)), None)
    found = read_appetite(words, stated, record["scale"])
    record["appetite_level"], record["appetite_max_score"] = found.level, found.max_score
    if found.problem:
        where = where if not is_empty(words) else sc
        rec.warn("unknown_appetite", r, where, f"Risk appetite: {found.problem}; it is kept as written.")


def _read_trend(r: int, row: list, columns: dict[str, int], record: dict, rec: Recorder) -> None:
    c = columns.get("trend")
    value = _value(row, c)
    if c is None or is_empty(value):
        return
    record["trend"] = read_trend(value)
    if record["trend"] is None:
        rec.warn("unknown_trend", r, c, f"Trend: {unknown_trend(value)}.")


def resolve_columns(table: Table) -> dict[str, int]:
    """Canonical field -> column, placing unqualified likelihood/consequence/score columns."""
    columns = dict(table.match.columns)
    if table.fixed:
        return columns
    for c, fld in _grouped_stage_columns(table).items():
        for other in [f for f, col in columns.items() if col == c]:
            del columns[other]
        columns[fld] = c
    generic = {k: columns.pop(k) for k in ("likelihood", "consequence", "score") if k in columns}
    stage = "current"
    if "score" in generic and "current_score" in columns:
        stage = "initial"
    for axis, c in generic.items():
        fld = f"{stage}_{axis}"
        if fld not in columns:
            columns[fld] = c
    if "ref" not in columns and "title" in columns and _ref_like_column(table, columns["title"]):
        columns["ref"] = columns.pop("title")
        other = _unmatched_for(table, "title", exclude=set(columns.values()))
        if other is not None:
            columns["title"] = other
    return columns


def _grouped_stage_columns(table: Table) -> dict[int, str]:
    """Under a group row naming a stage ("Inherent", "Residual", "Target") the sub-columns "L", "C",
    "Score" are that stage's likelihood, consequence and score."""
    syn = synonyms("risks")
    out: dict[int, str] = {}
    for c, shown in table.match.texts.items():
        group = table.match.groups.get(c)
        if not group or not shown.startswith(group + " "):
            continue
        stage = next((f.split("_")[0] for f in match_phrase(group, syn) if f.endswith("_score")), None)
        sub = match_phrase(shown[len(group) + 1 :], syn)
        axis = next((a for a in ("likelihood", "consequence", "score") if any(f.endswith(a) for f in sub)), None)
        if stage in STAGES and axis:
            out[c] = f"{stage}_{axis}"
    return out


def _unmatched_for(table: Table, fld: str, exclude: set[int]) -> int | None:
    syn = synonyms("risks")
    for c, shown in sorted(table.match.texts.items()):
        if c not in exclude and fld in match_phrase(shown, syn):
            return c
    return None


def _ref_like_column(table: Table, c: int) -> bool:
    values = [table.rows[r][c] for r in table.body() if not is_empty(table.rows[r][c])][:50]
    like = sum(1 for v in values if isinstance(v, int | float) or REF_LIKE.match(without_label(str(v).strip())))
    return bool(values) and like >= 0.8 * len(values)


def _has_scores(row: list, columns: dict[str, int]) -> bool:
    return any(not is_empty(_value(row, columns.get(f))) for f in (*LEVEL_FIELDS, *SCORE_FIELDS) if f in columns)


def _continue_record(record: dict, row: list, columns: dict[str, int]) -> None:
    """A row under a record with no ref or title (merged cells of a block): its texts join the record's."""
    for fld in LIST_FIELDS:
        extra = text(_value(row, columns.get(fld)))
        if extra:
            record[fld] = f"{record[fld]}\n{extra}" if record[fld] else extra


@cache
def _three_words() -> dict[str, int]:
    return {k.upper(): v for k, v in settings().scale_3x3_words.items()}


def _scale(table: Table, columns: dict[str, int]) -> str:
    """'3x3' when every level or rating word in the table is Low / Medium / High, else '5x5'."""
    rated = [columns[f] for f in (*LEVEL_FIELDS, *SCORE_FIELDS) if f in columns]
    cells = [table.rows[r][c] for c in rated for r in table.body()]
    words = [v.strip().upper() for v in cells if isinstance(v, str) and not is_empty(v)]
    return "3x3" if words and all(w in _three_words() for w in words) else "5x5"


def _drop_text_levels(table: Table, columns: dict[str, int], scale: str, rec: Recorder) -> dict[str, int]:
    """A likelihood/consequence column that holds prose (C&P's 'Impact' descriptions) is not a level."""
    out = dict(columns)
    for fld in sorted(LEVEL_FIELDS & set(columns)):
        c = columns[fld]
        values = [table.rows[r][c] for r in table.body() if not is_empty(table.rows[r][c])][:40]
        axis = fld.split("_")[1]
        bad = sum(
            1 for v in values if isinstance(v, str) and not _numeric_text(v) and parse_level(v, axis, scale).problem
        )
        if bad > len(values) / 2:
            del out[fld]
            what = fld.replace("_", " ")
            message = f"Column '{table.header(c)}' holds text, not {axis} levels; it is not read as {what}."
            rec.on_header("info", "column_not_levels", c, message)
    return out


def _read_stage(table, r, row, columns, stage, scale, record, rec) -> bool:
    """Fill likelihood, consequence and score of one stage; True when only a band word was given."""
    lc, cc, sc = (columns.get(f"{stage}_{x}") for x in ("likelihood", "consequence", "score"))
    likelihood = _level(r, row, lc, "likelihood", scale, rec)
    consequence = _level(r, row, cc, "consequence", scale, rec)
    score = None
    word_only = False
    raw = _value(row, sc)
    if sc is not None and not is_empty(raw):
        if scale == "3x3" and isinstance(raw, str) and raw.strip().upper() in _three_words():
            level = _three_words()[raw.strip().upper()]
            if likelihood is not None and consequence is not None:
                _check_band(r, sc, stage, level, likelihood * consequence, raw, rec)
            else:
                word_only = True
                record[f"{stage}_band"] = (_word_band(level) or {}).get("name")
        else:
            cell = parse_score(raw, scale)
            if table.consequence_first and not cell.tagged:
                cell = cell._replace(likelihood=cell.consequence, consequence=cell.likelihood)
            score = cell.score
            for problem in cell.problems:
                code = "score_mismatch" if " is not " in problem else "unreadable_score"
                if cell.rag is not None and cell.score is not None and " is not " not in problem:
                    code = "rag_mismatch"
                rec.warn(code, r, sc, f"{stage.capitalize()} score '{text(raw)}': {problem}.")
            levels = {"likelihood": likelihood, "consequence": consequence}
            for axis, in_cell in (("likelihood", cell.likelihood), ("consequence", cell.consequence)):
                if in_cell is not None and levels[axis] is None:
                    levels[axis] = in_cell
                elif in_cell is not None and levels[axis] != in_cell:
                    message = f"{stage.capitalize()} {axis} {levels[axis]} disagrees with the score cell's {in_cell}."
                    rec.warn("score_mismatch", r, sc, message)
            likelihood, consequence = levels["likelihood"], levels["consequence"]
    if score is None and likelihood is not None and consequence is not None:
        score = likelihood * consequence
    elif score is not None and likelihood is not None and consequence is not None and sc is not None:
        if score != likelihood * consequence and not _cell_reported(rec, table.ref(r, sc)):
            rec.warn(
                "score_mismatch",
                r,
                sc,
                f"{stage.capitalize()} score {score} is not {likelihood} x {consequence} = "
                f"{likelihood * consequence}; both are kept.",
            )
    record.update({f"{stage}_likelihood": likelihood, f"{stage}_consequence": consequence, f"{stage}_score": score})
    _read_band(r, row, columns.get(f"{stage}_band"), stage, scale, record, rec)
    return word_only


def _read_band(r, row, c, stage, scale, record, rec) -> None:
    """A band column ("Current band: High"): kept where the stage has no score; checked against a score it has."""
    raw = _value(row, c)
    if c is None or is_empty(raw):
        return
    word = str(raw).strip().lower()
    named = next((b for b in _bands(scale) if word in (b["name"], b["label"].lower())), None)
    if named is None and scale == "3x3" and word.upper() in _three_words():
        named = _word_band(_three_words()[word.upper()])
    if named is None:
        rec.warn("unknown_band", r, c, f"{stage.capitalize()} band '{text(raw)}' is not a configured band.")
        return
    score = record[f"{stage}_score"]
    if score is None:
        record[f"{stage}_band"] = named["name"]
    elif not named["min"] <= score <= named["max"]:
        message = f"{stage.capitalize()} band '{text(raw)}' is not the band of score {score}; the score is used."
        rec.warn("rating_mismatch", r, c, message)


def _cell_reported(rec: Recorder, cell: str) -> bool:
    return any(i.cell == cell and i.code == "score_mismatch" for i in rec.dataset.issues)


def _numeric_text(value: str) -> bool:
    return bool(re.fullmatch(r"\s*[-+]?\d+(?:\.\d+)?\s*", value))


def _level(r, row, c, axis, scale, rec) -> int | None:
    value = _value(row, c)
    if c is None or is_empty(value):
        return None
    parsed = parse_level(value, axis, scale)
    if parsed.problem:
        rec.warn("unknown_level", r, c, f"{axis.capitalize()}: {parsed.problem}.")
        return None
    return parsed.value


def _bands(scale: str) -> list[dict]:
    return sorted(config.risk_bands(scale=scale), key=lambda b: b["min"])


def _word_band(level: int) -> dict | None:
    """The configured 3x3 band a band word (Low 1, Medium 2, High 3) names."""
    bands = _bands("3x3")
    return bands[level - 1] if 1 <= level <= len(bands) else None


def _check_band(r, c, stage, level, score, raw, rec) -> None:
    stated = _word_band(level)
    if stated is not None and not stated["min"] <= score <= stated["max"]:
        actual = next((b for b in _bands("3x3") if b["min"] <= score <= b["max"]), None)
        rec.warn(
            "rating_mismatch",
            r,
            c,
            f"{stage.capitalize()} rating '{text(raw)}' is not the band of likelihood x impact = {score}"
            f" ({actual['label'] if actual else 'no band'}); both are kept.",
        )
