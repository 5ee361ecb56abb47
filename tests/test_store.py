"""The snapshot store: idempotent ingest, supersede and restore, atomic failure, history."""

from __future__ import annotations

import pytest

import store
from records import Dataset, Issue, WorkbookResult


def risk(ref: str, current: int, row: int) -> dict:
    return {"ref": ref, "title": f"Risk {ref}", "current_score": current, "source": {"sheet": "BAF", "row": row}}


def workbook(sha: str, as_at: str = "2019-03-28", scores=(12, 16), org: str = "Org A") -> WorkbookResult:
    records = [risk(f"1.{n + 1}", s, 5 + n) for n, s in enumerate(scores)]
    return WorkbookResult(
        file=f"baf-{sha}.xlsx",
        sha256=sha,
        org=org,
        as_at=as_at,
        datasets=[Dataset(kind="risks", sheet="BAF", header_row=4, records=records, columns={"ref": "A"})],
    )


def test_ingest_stores_records_with_their_source(con):
    [outcome] = store.ingest(con, workbook("a"))
    assert outcome.status == "new"
    frame = store.current_records(con, "risks", "Org A")
    assert list(frame["ref"]) == ["1.1", "1.2"]
    assert list(frame["source_row"]) == [5, 6]
    assert set(frame["source_sheet"]) == {"BAF"}


def test_loading_the_same_file_twice_changes_nothing(con):
    store.ingest(con, workbook("a"))
    before = store.table_checksums(con)
    [outcome] = store.ingest(con, workbook("a"))
    assert outcome.status == "identical"
    assert "nothing changed" in outcome.sentence()
    after = store.table_checksums(con)
    assert {k: v for k, v in after.items() if k != "audit_log"} == before


def test_new_file_for_same_period_supersedes_and_old_is_restorable(con):
    [first] = store.ingest(con, workbook("a", scores=(12, 16)))
    [second] = store.ingest(con, workbook("b", scores=(9, 16)))
    assert second.status == "superseded" and second.superseded_ids == [first.snapshot_id]
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [9, 16]
    store.restore(con, first.snapshot_id)
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [12, 16]
    snaps = store.snapshots(con).set_index("snapshot_id")
    assert snaps.loc[second.snapshot_id, "superseded_by"] == first.snapshot_id
    assert (
        snaps.loc[first.snapshot_id, "superseded_by"] is None
        or str(snaps.loc[first.snapshot_id, "superseded_by"]) == "<NA>"
    )


def test_history_across_as_at_dates_is_kept(con):
    store.ingest(con, workbook("a", as_at="2019-01-23", scores=(12, 16)))
    store.ingest(con, workbook("b", as_at="2019-03-28", scores=(9, 16)))
    assert [str(d) for d in store.as_at_dates(con, "Org A", "risks")] == ["2019-01-23", "2019-03-28"]
    history = store.current_records(con, "risks", "Org A")
    assert len(history) == 4
    january = store.current_records(con, "risks", "Org A", as_at="2019-01-23")
    assert list(january["current_score"]) == [12, 16]


def test_failed_ingest_leaves_the_store_exactly_as_it_was(con):
    store.ingest(con, workbook("a"))
    before = store.table_checksums(con)
    broken = workbook("c", as_at="2019-04-30")
    broken.datasets.append(
        Dataset(kind="qipp_schemes", sheet="QIPP", header_row=2, records=[{"ref": "Q1", "stage": "not a number"}])
    )
    with pytest.raises(store.StoreError, match="Nothing from baf-c.xlsx was stored"):
        store.ingest(con, broken)
    assert store.table_checksums(con) == before


def test_unreadable_or_unnamed_workbooks_are_refused_with_a_sentence(con):
    bad = WorkbookResult(file="x.xlsx", sha256="z", errors=["x.xlsx is not an Excel workbook."])
    with pytest.raises(store.StoreError, match="not an Excel workbook"):
        store.ingest(con, bad)
    nameless = workbook("d", org="")
    nameless.org = None
    with pytest.raises(store.StoreError, match="organisation"):
        store.ingest(con, nameless)
    undated = workbook("e")
    undated.as_at = None
    with pytest.raises(store.StoreError, match="as-at"):
        store.ingest(con, undated)
    assert store.is_empty(con)


def test_datasets_with_errors_need_consent_and_keep_their_issues(con):
    result = workbook("f")
    result.datasets[0].issues.append(Issue("error", "unreadable_row", "BAF!C9", "Row 9 could not be read."))
    with pytest.raises(store.StoreError, match="1 errors"):
        store.ingest(con, result)
    [outcome] = store.ingest(con, result, allow_errors=True)
    issues = store.snapshot_issues(con, outcome.snapshot_id)
    assert list(issues["cell"]) == ["BAF!C9"]


def test_explicit_org_and_as_at_override_the_workbook(con):
    store.ingest(con, workbook("g"), org="Org B", as_at="2020-01-31")
    snaps = store.snapshots(con)
    assert list(snaps["organisation"]) == ["Org B"] and str(snaps["as_at"].iloc[0])[:10] == "2020-01-31"


def test_finance_snapshot_as_at_is_the_month_end(con):
    lines = [
        {
            "line": "Acute",
            "ytd_budget": 1.0,
            "financial_year": "2018/19",
            "month": 3,
            "source": {"sheet": "M3", "row": 5},
        }
    ]
    result = WorkbookResult(
        file="m3.xlsx",
        sha256="h",
        org="Org A",
        as_at="2018-07-30",
        datasets=[Dataset(kind="finance_lines", sheet="M3", header_row=4, records=lines)],
    )
    store.ingest(con, result)
    assert str(store.snapshots(con)["as_at"].iloc[0])[:10] == "2018-06-30"


def test_deleting_a_snapshot_makes_the_one_it_superseded_current(con):
    [first] = store.ingest(con, workbook("a", scores=(12, 16)))
    [second] = store.ingest(con, workbook("b", scores=(9, 16)))
    store.delete_snapshot(con, second.snapshot_id)
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [12, 16]
    assert list(store.audit_log(con)["action"])[:3] == ["delete", "supersede", "ingest"]
