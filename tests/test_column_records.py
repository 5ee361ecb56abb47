"""Records held as columns: the same records, issues and stored rows as records held as dicts."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.kinds.checks import duplicate_refs
from loaders.kinds.common import is_total_label, text, text_column
from records import KIND_FIELDS, ColumnRecords, Dataset, WorkbookResult, record_columns
from store import ingest
from store.db import query_df
from tests.test_loaders_kinds import build, one

HEADER = ["Ref", "Scheme", "Area", "Stage", "RAG", "Value £'000", "Lead", "Recurrent"]


def _columns(refs: list, values: list) -> ColumnRecords:
    return ColumnRecords("qipp_schemes", "Tracker", {"ref": refs, "value": values}, [2 + n for n in range(len(refs))])


def test_column_records_read_as_dicts_with_their_source():
    records = _columns(["Q1", "Q2"], [10.0, None])
    assert len(records) == 2 and records.columns() is not None
    first = records[0]
    assert list(first) == [*KIND_FIELDS["qipp_schemes"], "source"]
    assert (first["ref"], first["value"], first["source"]) == ("Q1", 10.0, {"sheet": "Tracker", "row": 2})
    assert records.columns() is None  # made once, then read as the list
    assert records + [] == list(records) and records[1:] == [records[1]]


def test_column_records_serialise_and_compare_like_lists():
    records = _columns(["Q1"], [5.0])
    dataset = Dataset("qipp_schemes", "Tracker", 1, records=records)
    assert json.loads(json.dumps(dataset.to_dict()))["records"][0]["ref"] == "Q1"
    assert records == [dict(records[0])]


def test_record_columns_are_the_same_from_dicts_and_from_columns():
    held = _columns(["Q1", None, "Q3"], [1.0, 2.0, 3.0])
    from_columns = record_columns("qipp_schemes", held)
    from_dicts = record_columns("qipp_schemes", list(_columns(["Q1", None, "Q3"], [1.0, 2.0, 3.0])))
    assert from_columns == from_dicts
    assert from_columns[1:] == (["Tracker"] * 3, [2, 3, 4])


def test_scheme_issues_keep_row_order_across_columns():
    rows = [
        HEADER,
        ["Q1", "Scheme one", "Acute", "Stage 9", "Purple", 10, "A", "maybe"],
        ["Q2", "Scheme two", "Acute", 3, "Red", "lots", "B", "Y"],
        [None, "Total", None, None, None, 99, None, None],
    ]
    schemes = one(build(rows), "qipp_schemes")
    cells = [(i.code, i.cell) for i in schemes.issues if i.code != "unit_assumed"]
    assert cells == [
        ("unknown_stage", "S!D2"),
        ("unknown_rag", "S!E2"),
        ("unknown_word", "S!H2"),
        ("unreadable_number", "S!F3"),
        ("total_mismatch", "S!F4"),
    ]
    assert [r["value"] for r in schemes.records] == [10.0, None]


def test_sections_and_totals_between_schemes_use_the_running_sum():
    rows = [
        ["Ref", "Scheme", "Lead", "Stage", "Value £'000"],
        [None, None, "Acute", None, None],
        ["Q1", "One", "A", 4, 10],
        ["Q2", "Two", "B", 4, 5.5],
        ["Sub total", None, None, None, 15.5],
        [None, None, "Community", None, None],
        ["Q3", "Three", "C", 5, 1],
        ["Total", None, None, None, 18],
    ]
    schemes = one(build(rows), "qipp_schemes")
    assert [(r["ref"], r["area"], r["source"]["row"]) for r in schemes.records] == [
        ("Q1", "Acute", 3),
        ("Q2", "Acute", 4),
        ("Q3", "Community", 7),
    ]
    assert [i.code for i in schemes.issues] == ["total_mismatch"] and schemes.issues[0].cell == "S!E8"


def test_duplicate_refs_found_with_and_without_blanks():
    distinct = Dataset("qipp_schemes", "Tracker", 1, records=_columns(["Q1", None, None, "Q2"], [1.0] * 4))
    assert duplicate_refs(distinct) == []
    repeated = Dataset("qipp_schemes", "Tracker", 1, records=_columns(["Q1", None, "Q1"], [1.0] * 3))
    repeated.columns = {"ref": "A"}
    (issue,) = duplicate_refs(repeated)
    assert issue.cell == "Tracker!A4" and "first at Tracker!A2" in issue.message


def test_total_labels_are_recognised_without_remembering_every_label():
    assert is_total_label("Grand TOTAL") and is_total_label("Acute GIC and PbR Total")
    assert not is_total_label("Totally new pathway") and not is_total_label("Scheme 12") and not is_total_label(None)


def test_columns_and_dicts_store_the_same_rows(con):
    columns = _columns(["Q1", "Q2"], [1.5, None])
    columns._columns["name"] = ["One", 7.0]  # a text field holding a number is stored as its text
    as_dicts = [dict(r) for r in _columns(["Q1", "Q2"], [1.5, None])]
    as_dicts[0]["name"], as_dicts[1]["name"] = "One", "7.0"
    for org, records in (("A", columns), ("B", as_dicts)):
        result = WorkbookResult("t.xlsx", org * 64, org=org, as_at="2024-03-31")
        result.datasets.append(Dataset("qipp_schemes", "Tracker", 1, records=records))
        ingest(con, result)
    stored = query_df(
        con,
        "SELECT s.organisation, q.ref, q.name, q.value, q.source_sheet, q.source_row FROM qipp_schemes q "
        "JOIN snapshots s USING (snapshot_id) ORDER BY s.organisation, q.source_row",
    )
    a, b = (stored[stored.organisation == org].drop(columns="organisation").reset_index(drop=True) for org in "AB")
    assert a.equals(b) and list(a.name) == ["One", "7.0"] and a.value.isna().tolist() == [False, True]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.floats(allow_nan=False),
            st.sampled_from(["", "-", "—", " lead", "lead ", "a  b", "<b>x</b>", "R&D", "a|b", "a |b", "Q1", "x\ty"]),
            st.text(max_size=6),
        ),
        max_size=12,
    )
)
def test_a_column_of_text_is_tidied_as_each_cell_would_be(values):
    assert text_column(values) == [text(v) for v in values]


def test_a_first_scheme_row_of_words_is_data_not_a_second_header_row():
    rows = [
        HEADER,
        ["Q1", "Scheme one", "Acute", "Stage 2", "Amber", "TBC", "A. Lead", "Y"],
        ["Q2", "Scheme two", "Acute", 3, "Red", 20, "B. Lead", "N"],
    ]
    schemes = one(build(rows), "qipp_schemes")
    assert schemes.header_row == 1
    assert [(r["ref"], r["stage"], r["rag"]) for r in schemes.records] == [("Q1", 2, "amber"), ("Q2", 3, "red")]
    assert ("unreadable_number", "S!F2") in [(i.code, i.cell) for i in schemes.issues]
