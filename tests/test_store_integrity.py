"""What the store refuses, names and keeps: look-alike organisation names, far-future as-at dates, an older
file uploaded again, self-describing audit rows, deleted snapshots kept and restorable, older stores migrated."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pandas as pd
import pytest

import loaders
import store
from loaders.__main__ import main
from tests.corpus import messy
from tests.test_store import workbook


def stored_issues(con, snapshot_id: int) -> list[str]:
    return list(store.snapshot_issues(con, snapshot_id)["code"])


def test_a_name_with_invisible_characters_is_the_same_organisation(con):
    store.ingest(con, workbook("a", org="Northmoor ICB"))
    [twin] = store.ingest(con, workbook("b", as_at="2019-04-30", org="North\u200bmoor\u00a0 ICB\u2060"))
    [wide] = store.ingest(con, workbook("c", as_at="2019-05-31", org="\uff2eorthmoor ICB\u200e"))  # fullwidth N
    assert list(store.organisations(con)["name"]) == ["Northmoor ICB"]
    assert "organisation_name_normalised" in stored_issues(con, twin.snapshot_id)
    assert "organisation_name_normalised" in stored_issues(con, wide.snapshot_id)
    [plain] = store.ingest(con, workbook("d", as_at="2019-06-30", org="Northmoor  ICB"))  # spacing only
    assert "organisation_name_normalised" not in stored_issues(con, plain.snapshot_id)


def test_organisation_names_are_normalised_for_matching():
    from records import organisation_name

    assert organisation_name("Riverside\u200d and\u3000Weald  ICB\ufeff") == "Riverside and Weald ICB"
    assert organisation_name("\u202eBCI\u202c") == "BCI"
    assert organisation_name("\u200b\u2060 ") is None


def cover_workbook(org_cell: str) -> bytes:
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Organisation:", org_cell])
    cover.append(["As at:", "2019-03-31"])
    sheet = book.create_sheet("Risks")
    sheet.append(["Ref", "Risk", "Current Score"])
    sheet.append(["1.1", "Falls", 12])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_loader_reads_a_look_alike_name_plainly_and_says_so_with_its_cell():
    result = loaders.load_workbook(cover_workbook("Northmoor\u2062 ICB"), "cover.xlsx")
    assert result.org == "Northmoor ICB"
    [issue] = [i for i in result.issues if i.code == "organisation_name_normalised"]
    assert issue.cell == "Cover!B1" and "Northmoor ICB" in issue.message
    plain = loaders.load_workbook(cover_workbook("Northmoor ICB"), "cover.xlsx")
    assert not [i for i in plain.issues if i.code == "organisation_name_normalised"]


def test_an_as_at_date_more_than_a_month_ahead_needs_confirming(con):
    ahead = (date.today() + timedelta(days=40)).isoformat()
    with pytest.raises(store.FutureAsAt) as refused:
        store.ingest(con, workbook("a", as_at="2091-03-31"))
    assert str(refused.value).endswith("store it.") and "31 Mar 2091" in str(refused.value)
    with pytest.raises(store.FutureAsAt):
        store.ingest(con, workbook("a", as_at=ahead))
    assert store.is_empty(con)
    [stored] = store.ingest(con, workbook("a", as_at="2091-03-31"), allow_future=True)
    assert stored.status == "new"
    [soon] = store.ingest(con, workbook("b", as_at=(date.today() + timedelta(days=20)).isoformat()))
    assert soon.status == "new"  # within a month: a period about to close


def test_an_as_at_date_no_financial_year_can_hold_is_refused_even_when_confirmed(con):
    with pytest.raises(store.StoreError, match="not a reporting date"):
        store.ingest(con, workbook("a", as_at="9999-12-31"), allow_future=True)
    assert store.is_empty(con)


def test_the_cli_refuses_a_far_future_as_at_unless_allowed(tmp_path, capsys):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(messy.scheme_tracker_fills_and_text_numbers())
    db = str(tmp_path / "cli.duckdb")
    assert main(["ingest", str(path), "--db", db, "--as-at", "9999-12-31"]) == 2
    err = capsys.readouterr().err.strip()
    assert "not a reporting date" in err and "\n" not in err and "Traceback" not in err
    assert main(["ingest", str(path), "--db", db, "--as-at", "2091-06-30"]) == 2
    err = capsys.readouterr().err.strip()
    assert "more than a month ahead" in err and "--allow-future" in err and "\n" not in err
    assert main(["ingest", str(path), "--db", db, "--as-at", "2091-06-30", "--allow-future"]) == 0


def test_an_older_file_uploaded_again_says_which_snapshot_is_current(con):
    [may] = store.ingest(con, workbook("may", as_at="2018-05-31"))
    [june] = store.ingest(con, workbook("june", as_at="2018-06-30"))
    [again] = store.ingest(con, workbook("may", as_at="2018-05-31"))
    assert again.status == "identical" and again.snapshot_id == may.snapshot_id
    sentence = again.sentence()
    assert "already stored as the 31 May 2018 snapshot" in sentence
    assert f"30 Jun 2018 (snapshot {june.snapshot_id}) from baf-june.xlsx" in sentence
    [latest] = store.ingest(con, workbook("june", as_at="2018-06-30"))
    assert latest.sentence().endswith("; nothing changed.") and "current one" not in latest.sentence()


def test_a_superseded_file_uploaded_again_says_what_supersedes_it(con):
    [first] = store.ingest(con, workbook("a"))
    [second] = store.ingest(con, workbook("b"))
    [again] = store.ingest(con, workbook("a"))
    assert again.snapshot_id == first.snapshot_id
    assert f"superseded by snapshot {second.snapshot_id} from baf-b.xlsx" in again.sentence()


def audit_rows(con) -> list[dict]:
    return store.audit_log(con).to_dict("records")


def test_every_audit_row_says_what_it_was_about(con):
    [first] = store.ingest(con, workbook("a"), who="ann@example.org")
    [second] = store.ingest(con, workbook("b"), who="ann@example.org")
    store.restore(con, first.snapshot_id, who="bob@example.org")
    store.delete_snapshot(con, first.snapshot_id, who="bob@example.org")
    rows = audit_rows(con)
    assert [r["action"] for r in rows] == ["delete", "restore", "supersede", "ingest"]
    for row in rows:
        assert row["organisation"] == "Org A" and row["kind"] == "risks"
        assert str(row["as_at"])[:10] == "2019-03-28" and row["source_file"].startswith("baf-")
        assert row["who"] in ("ann@example.org", "bob@example.org")
    delete, restore, supersede, _ = rows
    assert (delete["snapshot_id"], delete["source_file"], list(delete["other_snapshots"])) == (
        first.snapshot_id,
        "baf-a.xlsx",
        [second.snapshot_id],  # the one that became current again
    )
    assert (restore["snapshot_id"], list(restore["other_snapshots"])) == (first.snapshot_id, [second.snapshot_id])
    assert (supersede["snapshot_id"], list(supersede["other_snapshots"])) == (second.snapshot_id, [first.snapshot_id])


def test_a_deleted_snapshot_leaves_every_page_but_is_kept_and_restorable(con):
    [first] = store.ingest(con, workbook("a", scores=(12, 16)))
    [second] = store.ingest(con, workbook("b", scores=(9, 16)))
    store.delete_snapshot(con, second.snapshot_id, who="bob@example.org")
    assert second.snapshot_id not in set(store.snapshots(con)["snapshot_id"])
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [12, 16]
    [deleted] = store.deleted_snapshots(con).to_dict("records")
    assert (deleted["snapshot_id"], deleted["source_file"], deleted["deleted_by"]) == (
        second.snapshot_id,
        "baf-b.xlsx",
        "bob@example.org",
    )
    assert deleted["was_current"] and deleted["record_count"] == 2
    assert store.restore_deleted(con, second.snapshot_id, who="bob@example.org") == [first.snapshot_id]
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [9, 16]  # records were kept
    assert store.deleted_snapshots(con).empty
    assert audit_rows(con)[0]["action"] == "restore deleted"


def test_a_deleted_superseded_snapshot_comes_back_superseded(con):
    [first] = store.ingest(con, workbook("a", scores=(12, 16)))
    [second] = store.ingest(con, workbook("b", scores=(9, 16)))
    store.delete_snapshot(con, first.snapshot_id)
    assert store.restore_deleted(con, first.snapshot_id) == []
    snaps = store.snapshots(con).set_index("snapshot_id")
    assert snaps.loc[first.snapshot_id, "superseded_by"] == second.snapshot_id
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [9, 16]


def test_a_deleted_file_loaded_again_cannot_be_restored_twice(con):
    [first] = store.ingest(con, workbook("a"))
    store.delete_snapshot(con, first.snapshot_id)
    [again] = store.ingest(con, workbook("a"))
    assert again.status == "new"
    with pytest.raises(store.StoreError, match=f"stored again as snapshot {again.snapshot_id}"):
        store.restore_deleted(con, first.snapshot_id)


OLD_AUDIT_LOG = """
CREATE TABLE audit_log (
    audit_id INTEGER PRIMARY KEY, happened_at TIMESTAMP NOT NULL, who VARCHAR, action VARCHAR NOT NULL,
    snapshot_id INTEGER, sha256 VARCHAR, detail VARCHAR
)"""


def test_a_store_from_before_self_describing_audit_rows_migrates(tmp_path):
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    [first] = store.ingest(con, workbook("a"))
    con.execute("DROP TABLE audit_log")
    con.execute("DROP TABLE deleted_snapshots")
    con.execute(OLD_AUDIT_LOG)
    con.execute(
        "INSERT INTO audit_log VALUES "
        "(nextval('audit_ids'), TIMESTAMP '2019-04-01 09:00:00', NULL, 'ingest', ?, 'a', 'baf-a.xlsx'), "
        "(nextval('audit_ids'), TIMESTAMP '2019-04-02 09:00:00', NULL, 'delete', 99, 'z', NULL)",
        [first.snapshot_id],
    )
    con.close()
    con = store.connect(path)
    try:
        rows = {r["snapshot_id"]: r for r in audit_rows(con)}
        assert rows[first.snapshot_id]["organisation"] == "Org A" and rows[first.snapshot_id]["kind"] == "risks"
        assert rows[first.snapshot_id]["source_file"] == "baf-a.xlsx"
        assert pd.isna(rows[99]["organisation"])  # a snapshot deleted before deletions were kept: nothing to name
        [second] = store.ingest(con, workbook("b"))
        store.delete_snapshot(con, second.snapshot_id)
        assert list(store.deleted_snapshots(con)["snapshot_id"]) == [second.snapshot_id]
        assert audit_rows(con)[0]["organisation"] == "Org A"
    finally:
        con.close()
