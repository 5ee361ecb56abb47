"""The Data page's step "How this workbook was read": the Mapping that detection (or a saved layout) gave,
shown sheet by sheet and corrected before anything is stored. Each correction is applied to the uploaded
file straight away, so the records and issues shown are always those the Store button would store."""

from __future__ import annotations

import copy
import json
import re

import pandas as pd
import streamlit as st

import config
import formats
import loaders
from loaders.mapping import IGNORE, MONEY_LAYOUTS, USER, fields_of
from loaders.vocabulary import KINDS as VOCABULARY_VALUES
from pages.formatting import literal
from records import KIND_FIELDS

LAYOUT_NAMES = {
    "risks": "Risk register",
    "qipp_schemes": "QIPP schemes",
    "qipp_targets": "QIPP targets",
    "qipp_phasing": "QIPP monthly phasing",
    "qipp_stage_matrix": "QIPP area x stage summary (checked, not stored)",
    "qipp_rag_summary": "QIPP RAG summary (checked, not stored)",
    "finance_lines": "Finance position",
    "finance_risks": "Finance risks and mitigations",
    "finance_plan": "Finance plan",
    "activity": "Activity by month",
    "activity_annual": "Annual activity plan",
    "actions": "Improvement-plan actions",
    "action_summary": "Improvement-plan RAG summary",
    "action_concerns": "Improvement-plan concerns",
    IGNORE: "Not read",
}
NOT_READ = "(not read)"
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
UNITS = ["not stated", "£'000", "£m", "£"]
LEVEL_WORDS = {
    "likelihood": ("Rare", "Unlikely", "Possible", "Likely", "Almost certain"),
    "consequence": ("Negligible", "Minor", "Moderate", "Major", "Catastrophic"),
}
RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green", "blue": "Blue (complete)", "grey": "Grey (not started)"}
NOT_MAPPED = "not known"
VOCABULARY_NAMES = {"rag": "RAG", "appetite": "risk appetite"}


def layout_name(layout: str) -> str:
    return LAYOUT_NAMES.get(layout, layout.replace("_", " "))


def field_name(field: str) -> str:
    return field if field == NOT_READ else field.replace("_", " ")


def value_name(kind: str, value: str) -> str:
    if value == NOT_MAPPED:
        return value
    if kind == "rag":
        return RAG_WORDS.get(value, value)
    if kind == "stage":
        stages = config.settings().qipp.stages
        return f"{value} {stages[int(value)]}" if int(value) < len(stages) else value
    words = LEVEL_WORDS.get(kind)
    return f"{value} {words[int(value) - 1]}" if words else value


def needs_attention(result) -> bool:
    """Open the step by itself when the reading found nothing, found errors, or met words it does not know."""
    unknown = any(v is None for words in (result.mapping or {}).get("vocabulary", {}).values() for v in words.values())
    return not result.datasets or any(d.error_count for d in result.datasets) or unknown


def mapping_step(key: str, data: bytes, name: str, detected):
    """Show the mapping in force, take corrections, re-apply them; the reading the Store button stores."""
    # The reading in force (the detected one, or the last the user's corrections gave) and its revision, which
    # renews the widgets whenever a correction has been applied.
    entry = st.session_state.setdefault("mapped", {}).get(key, {"rev": 0, "result": detected})
    result = entry["result"]
    if result.mapping is None:
        return result
    with st.expander("How this workbook was read", expanded=entry["rev"] > 0 or needs_attention(result)):
        st.caption(
            "Each sheet's table, the field each column is read as, and the words the vocabularies do not know. "
            "Change any of them and the records and issues below follow; nothing is stored until you store it."
        )
        edited = mapping_editor(f"map-{key[:12]}-{entry['rev']}", result.mapping)
        first_records(result)
    if edited == result.mapping:
        return result
    failed = st.session_state.setdefault("mapping-failed", {})
    wanted = json.dumps(edited, sort_keys=True)
    if failed.get(key, (None,))[0] != wanted:
        with st.spinner("Reading the workbook with your changes ..."):
            again = loaders.load_workbook(data, name, mapping=edited)
        if again.readable:
            st.session_state["mapped"][key] = {"rev": entry["rev"] + 1, "result": again}
            st.rerun()
        failed[key] = (wanted, again.errors[0])
    st.error(f"That change cannot be applied: {literal(failed[key][1])}")
    return result


def mapping_editor(prefix: str, mapping: dict) -> dict:
    """Widgets for every choice of a mapping; the mapping as the widgets now say."""
    edited = copy.deepcopy(mapping)
    for s, sheet in enumerate(edited["sheets"]):
        st.markdown(f"**Sheet {literal(sheet['sheet'])}**")
        if not sheet["tables"]:
            _unread_sheet(f"{prefix}-{s}", sheet)
        for t, table in enumerate(sheet["tables"]):
            _table_editor(f"{prefix}-{s}-{t}", table)
    _vocabulary_editor(prefix, edited["vocabulary"])
    return edited


def _unread_sheet(prefix: str, sheet: dict) -> None:
    left, right = st.columns([3, 1])
    choice = left.selectbox(
        "Nothing is read from this sheet. Read it as",
        [IGNORE, *(layout for layout in LAYOUT_NAMES if layout != IGNORE)],
        format_func=layout_name,
        key=f"{prefix}-new",
    )
    row = right.number_input("Header row", min_value=1, value=1, step=1, key=f"{prefix}-new-row")
    if choice != IGNORE:
        sheet["tables"] = [new_table(choice, [int(row)])]


def new_table(layout: str, header_rows: list[int]) -> dict:
    """A table the user names: its columns are matched to the header by the synonyms when it is applied."""
    return {
        "layout": layout,
        "header_rows": header_rows,
        "data_start": header_rows[-1] + 1,
        "data_end": None,
        "columns": None,
        "adverse_positive": None,
        "factor_order": "likelihood first",
        "how": USER,
        "confidence": 1.0,
    }


def _header_rows(text: str, fallback: list[int]) -> list[int]:
    """'5' or '4-5' -> the header rows; what it was when the text is not one or two row numbers."""
    parts = [p.strip() for p in str(text).replace("to", "-").split("-") if p.strip()]
    if 1 <= len(parts) <= 2 and all(p.isdigit() and int(p) >= 1 for p in parts):
        rows = [int(p) for p in parts]
        if len(rows) == 1 or rows[1] == rows[0] + 1:
            return rows
    st.warning(f"'{literal(text)}' is not a header row; give one row number, or two in a row such as 4-5.")
    return fallback


def _table_editor(prefix: str, table: dict) -> None:
    layouts = list(LAYOUT_NAMES)
    kind, rows, last = st.columns([3, 1, 1])
    layout = kind.selectbox(
        "Read as",
        layouts,
        index=layouts.index(table["layout"]) if table["layout"] in layouts else 0,
        format_func=layout_name,
        key=f"{prefix}-layout",
        help=f"Decided by {table['how']} (confidence {table['confidence']:.0%}).",
    )
    shown = "-".join(map(str, table["header_rows"]))
    header_rows = _header_rows(rows.text_input("Header row", value=shown, key=f"{prefix}-rows"), table["header_rows"])
    end = last.number_input(
        "Last data row",
        min_value=0,
        value=int(table["data_end"] or 0),
        step=1,
        key=f"{prefix}-end",
        help="0 reads to the end of the table (the next table's title or header, or the sheet's end).",
    )
    if layout != table["layout"] or header_rows != table["header_rows"]:
        table.update(new_table(layout, header_rows))
        return
    table["data_end"] = int(end) or None
    if layout == IGNORE or not table["columns"]:
        return
    _columns_editor(prefix, layout, table["columns"])
    if layout == "risks":
        orders = ["likelihood first", "consequence first"]
        table["factor_order"] = st.radio(
            "Scores written in one cell, such as 4 x 5",
            orders,
            index=orders.index(table.get("factor_order", orders[0])),
            format_func=lambda o: "likelihood x consequence" if o == orders[0] else "consequence x likelihood",
            horizontal=True,
            key=f"{prefix}-order",
        )


def _columns_editor(prefix: str, layout: str, columns: list[dict]) -> None:
    fields = [NOT_READ, *fields_of(layout)]
    widths = [1, 3, 4, 3, 2]
    for cell, heading in zip(st.columns(widths), ["Column", "Header", "First values", "Read as", "Unit"], strict=True):
        cell.caption(heading)
    for column in columns:
        letter, header, samples, read_as, unit = st.columns(widths)
        letter.markdown(column["letter"])
        header.markdown(literal(column["header"]) or " ")
        samples.caption(literal("; ".join(column.get("samples") or [])) or "(blank)")
        current = column["field"] or NOT_READ
        choice = read_as.selectbox(
            f"Column {column['letter']} read as",
            fields,
            index=fields.index(current) if current in fields else 0,
            format_func=field_name,
            key=f"{prefix}-{column['letter']}",
            label_visibility="collapsed",
            help=f"Decided by {column['how']} (confidence {column['confidence']:.0%}).",
        )
        if choice != current:
            column.update(field=None if choice == NOT_READ else choice, how=USER, confidence=1.0)
        if column["unit"] is not None or column["unit_how"] is not None or _is_money(layout, column["field"]):
            stated = column["unit"] or UNITS[0]
            unit_choice = unit.selectbox(
                f"Column {column['letter']} unit",
                UNITS,
                index=UNITS.index(stated) if stated in UNITS else 0,
                key=f"{prefix}-{column['letter']}-unit",
                label_visibility="collapsed",
            )
            if unit_choice != stated:
                column.update(unit=None if unit_choice == UNITS[0] else unit_choice, unit_how=USER)


def _is_money(layout: str, field: str | None) -> bool:
    return field is not None and layout in MONEY_LAYOUTS and KIND_FIELDS.get(layout, {}).get(field) == "num"


def _vocabulary_editor(prefix: str, vocabulary: dict) -> None:
    for kind, words in vocabulary.items():
        if not words:
            continue
        st.markdown(f"**Words the {VOCABULARY_NAMES.get(kind, kind)} vocabulary does not know**")
        options = [NOT_MAPPED, *VOCABULARY_VALUES[kind]]
        for word, value in words.items():
            left, right = st.columns([3, 2])
            left.markdown(literal(word))
            current = NOT_MAPPED if value is None else str(value)
            choice = right.selectbox(
                f"'{word}' means",
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda v, kind=kind: value_name(kind, v),
                key=f"{prefix}-word-{kind}-{word}",
                label_visibility="collapsed",
            )
            words[word] = None if choice == NOT_MAPPED else choice


def first_records(result, shown: int = 5) -> None:
    """The first records of each dataset, as they would be stored."""
    for dataset in result.datasets:
        if not dataset.records:
            continue
        frame = pd.DataFrame([{k: v for k, v in r.items() if k != "source"} for r in dataset.records[:shown]])
        frame = frame.dropna(axis="columns", how="all").rename(columns=field_name).map(_shown)
        st.caption(
            f"First records of {layout_name(dataset.kind).lower()} on sheet {literal(dataset.sheet)} "
            f"({len(dataset.records):,} in all)"
        )
        st.dataframe(frame, hide_index=True, width="stretch")


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return formats.date(value)
    return str(value)
