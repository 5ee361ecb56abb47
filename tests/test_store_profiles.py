"""Layout profiles in the store (saved, found, edited, deleted, audited) and the mapping every snapshot keeps:
read back, carried through delete and restore, and part of what makes a stored file the same again."""

from __future__ import annotations

import copy
import json
import pickle

import duckdb
import pandas as pd
import pytest

import store
from records import Dataset, WorkbookResult
from store import publish
from tests.test_store import workbook

SIGNATURE = {"sheets": [{"sheet": "BAF", "headers": [[4, 1, "ref"], [4, 2, "risk"], [4, 3, "current score"]]}]}
KEY = "sha256:layout-baf"


def mapping(ref_column: str = "A", **extra) -> dict:
    return {
        "version": 1,
        "sheets": [
            {"sheet": "BAF", "tables": [{"layout": "risks", "header_rows": [4], "columns": {ref_column: "ref"}}]},
            {"sheet": "Notes", "tables": [{"layout": "ignore"}]},
        ],
        "organisation": {"value": "Org A", "from": "BAF!B1"},
        **extra,
    }


def read_with(result: WorkbookResult, with_mapping: dict | None, profile: dict | None = None) -> WorkbookResult:
    result.mapping, result.profile = with_mapping, profile
    return result


def audit_rows(con) -> list[dict]:
    return store.audit_log(con).to_dict("records")


def test_a_profile_is_saved_listed_read_updated_and_deleted_each_change_audited(con):
    profile_id = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), "ann@example.org")
    saved = store.profile(con, profile_id)
    assert (saved["organisation"], saved["signature_key"], saved["saved_by"]) == ("Org A", KEY, "ann@example.org")
    assert saved["signature"] == SIGNATURE and saved["mapping"] == mapping()
    assert saved["updated_at"] is None and saved["saved_at"][:4].isdigit() and "T" in saved["saved_at"]
    [listed] = store.list_profiles(con).to_dict("records")
    assert (listed["profile_id"], listed["organisation"], listed["sheets"]) == (profile_id, "Org A", "BAF (risks)")
    assert listed["saved_by"] == "ann@example.org"

    corrected = mapping("B")
    store.update_profile(con, profile_id, corrected, "bob@example.org")
    updated = store.profile(con, profile_id)
    assert updated["mapping"] == corrected and updated["updated_by"] == "bob@example.org"
    assert updated["updated_at"] is not None and updated["saved_by"] == "ann@example.org"

    store.delete_profile(con, profile_id, "bob@example.org")
    assert store.profile(con, profile_id) is None and store.list_profiles(con).empty

    deleted, changed, saved_row = audit_rows(con)[:3]
    assert [r["action"] for r in (deleted, changed, saved_row)] == [
        "profile deleted",
        "profile updated",
        "profile saved",
    ]
    assert {r["organisation"] for r in (deleted, changed, saved_row)} == {"Org A"}
    assert {r["kind"] for r in (deleted, changed, saved_row)} == {"risks"}
    assert [r["who"] for r in (deleted, changed, saved_row)] == [
        "bob@example.org",
        "bob@example.org",
        "ann@example.org",
    ]
    assert saved_row["detail"] == f"Layout profile {profile_id} saved for Org A: BAF (risks)."
    assert deleted["detail"].startswith(f"Layout profile {profile_id} for Org A deleted")
    assert all(pd.isna(r["snapshot_id"]) for r in (deleted, changed, saved_row))


def test_the_same_layout_saved_again_for_an_organisation_keeps_one_profile(con):
    first = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), "ann@example.org")
    again = store.save_profile(con, "Org\u200b A", KEY, SIGNATURE, mapping("C"), "bob@example.org")
    other_org = store.save_profile(con, "Org B", KEY, SIGNATURE, mapping(), "ann@example.org")
    other_layout = store.save_profile(con, "Org A", "sha256:layout-other", SIGNATURE, mapping(), None)
    assert again == first and len({first, other_org, other_layout}) == 3
    assert store.profile(con, first)["mapping"] == mapping("C")  # the mapping saved last is the one kept
    assert store.profile(con, first)["updated_by"] == "bob@example.org"
    assert list(store.list_profiles(con, "Org A")["profile_id"]) == [first, other_layout]
    assert "saved again" in audit_rows(con)[2]["detail"]
    matching = {p["profile_id"]: p for p in store.profiles_for_matching(con)}
    assert set(matching) == {first, other_org, other_layout}
    assert matching[other_org] == {
        "profile_id": other_org,
        "organisation": "Org B",
        "saved_at": store.profile(con, other_org)["saved_at"],
        "signature_key": KEY,
        "signature": SIGNATURE,
        "mapping": mapping(),
    }


def test_a_profile_moved_to_another_organisation_cannot_clash_with_its_own(con):
    theirs = store.save_profile(con, "Org B", KEY, SIGNATURE, mapping(), None)
    ours = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), None)
    with pytest.raises(store.StoreError) as refused:
        store.update_profile(con, ours, mapping(), None, organisation="Org B")
    assert str(refused.value) == (
        f"Org B already has a layout profile ({theirs}) for this layout; "
        f"delete one of them before moving profile {ours} there."
    )
    store.delete_profile(con, theirs, None)
    store.update_profile(con, ours, mapping(), "bob@example.org", organisation="Org B")
    assert store.profile(con, ours)["organisation"] == "Org B"
    assert "(moved from Org A)" in audit_rows(con)[0]["detail"] and audit_rows(con)[0]["organisation"] == "Org B"


def test_unknown_profiles_and_unsavable_mappings_get_one_sentence(con):
    for change in (
        lambda: store.update_profile(con, 41, mapping(), None),
        lambda: store.delete_profile(con, 41, None),
    ):
        with pytest.raises(store.StoreError) as refused:
            change()
        assert str(refused.value) == "There is no layout profile 41."
    assert store.profile(con, 41) is None
    with pytest.raises(store.StoreError, match="^There is no snapshot 7.$"):
        store.snapshot_mapping(con, 7)
    with pytest.raises(store.StoreError, match="needs the organisation"):
        store.save_profile(con, "\u200b ", KEY, SIGNATURE, mapping(), None)
    with pytest.raises(store.StoreError, match="not plain data") as refused:
        store.save_profile(con, "Org A", KEY, SIGNATURE, {"version": 1, "when": object()}, None)
    assert "\n" not in str(refused.value)
    assert store.list_profiles(con).empty and store.audit_log(con).empty


def test_the_sheets_a_profile_reads_are_described_whatever_its_mapping_leaves_out(con):
    shapes = {
        "sha256:two": {
            "version": 1,
            "sheets": [
                {"sheet": "Risks", "tables": [{"layout": "risks"}]},
                {"sheet": "Savings", "tables": [{"layout": "qipp_schemes"}, {"layout": "qipp_targets"}]},
            ],
        },
        "sha256:bare": {"version": 1},
        "sha256:odd": {"sheets": [{"tables": [{"layout": "risks"}]}, {"sheet": "Plan"}, "not a sheet", {"sheet": 3}]},
    }
    for key, shape in shapes.items():
        store.save_profile(con, "Org A", key, {}, shape, None)
    assert list(store.list_profiles(con)["sheets"]) == [
        "Risks (risks), Savings (qipp_schemes, qipp_targets)",
        "no sheets read",
        "no sheets read",
    ]


def test_ingest_records_the_mapping_and_profile_and_reads_them_back(con):
    profile_id = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), "ann@example.org")
    summary = {
        "profile_id": profile_id,
        "organisation": "Org A",
        "saved_at": store.profile(con, profile_id)["saved_at"],
    }
    [read] = store.ingest(con, read_with(workbook("a"), mapping(), summary))
    [plain] = store.ingest(con, workbook("b", as_at="2019-04-30"))
    assert store.snapshot_mapping(con, read.snapshot_id) == (mapping(), summary)
    assert store.snapshot_mapping(con, plain.snapshot_id) == (None, None)
    store.delete_profile(con, profile_id, "ann@example.org")
    assert store.snapshot_mapping(con, read.snapshot_id) == (
        mapping(),
        {"profile_id": profile_id, "organisation": None, "saved_at": None},
    )


def test_a_deleted_and_restored_snapshot_keeps_its_mapping_and_profile(con):
    profile_id = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), None)
    [read] = store.ingest(con, read_with(workbook("a"), mapping(), {"profile_id": profile_id}))
    kept = store.snapshot_mapping(con, read.snapshot_id)
    store.delete_snapshot(con, read.snapshot_id)
    assert store.snapshot_mapping(con, read.snapshot_id) == kept  # a deleted snapshot still says how it was read
    store.restore_deleted(con, read.snapshot_id)
    assert store.snapshot_mapping(con, read.snapshot_id) == kept
    assert kept[0] == mapping() and kept[1]["profile_id"] == profile_id


def test_the_same_file_read_with_another_mapping_supersedes_and_with_the_same_one_changes_nothing(con):
    [first] = store.ingest(con, read_with(workbook("a"), mapping()))
    before = store.table_checksums(con)
    [same] = store.ingest(con, read_with(workbook("a"), copy.deepcopy(mapping())))
    assert (same.status, same.snapshot_id) == ("identical", first.snapshot_id)
    assert same.sentence().endswith("nothing changed.")
    assert {k: v for k, v in store.table_checksums(con).items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }

    [corrected] = store.ingest(con, read_with(workbook("a", scores=(9, 16)), mapping("B")))
    assert corrected.status == "superseded" and corrected.superseded_ids == [first.snapshot_id]
    assert corrected.sentence() == (
        f"risks from sheet 'BAF': stored as snapshot {corrected.snapshot_id}, superseding snapshot "
        f"{first.snapshot_id} (the same file read with another mapping)."
    )
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [9, 16]
    assert audit_rows(con)[0]["detail"] == "The same file read with another mapping."

    [back] = store.ingest(con, read_with(workbook("a"), mapping()))  # the first reading is stored already
    assert (back.status, back.snapshot_id) == ("identical", first.snapshot_id)
    assert f"superseded by snapshot {corrected.snapshot_id}" in back.sentence()
    assert store.restore(con, first.snapshot_id) == [corrected.snapshot_id]
    assert list(store.current_records(con, "risks", "Org A")["current_score"]) == [12, 16]


def test_a_file_stored_without_a_mapping_is_the_same_only_without_one(con):
    [legacy] = store.ingest(con, workbook("a"))
    [again] = store.ingest(con, workbook("a"))
    assert (again.status, again.snapshot_id) == ("identical", legacy.snapshot_id)
    [mapped] = store.ingest(con, read_with(workbook("a"), mapping()))
    assert mapped.status == "superseded" and mapped.superseded_ids == [legacy.snapshot_id]


def test_a_deleted_reading_restores_beside_the_same_file_read_with_another_mapping(con):
    [first] = store.ingest(con, read_with(workbook("a"), mapping()))
    [second] = store.ingest(con, read_with(workbook("a", scores=(9, 16)), mapping("B")))
    store.delete_snapshot(con, first.snapshot_id)
    assert store.restore_deleted(con, first.snapshot_id) == []  # it was superseded, and comes back superseded
    assert store.snapshots(con).set_index("snapshot_id").loc[first.snapshot_id, "superseded_by"] == second.snapshot_id
    store.delete_snapshot(con, second.snapshot_id)
    [again] = store.ingest(con, read_with(workbook("a", scores=(9, 16)), mapping("B")))
    with pytest.raises(store.StoreError, match=f"stored again as snapshot {again.snapshot_id}"):
        store.restore_deleted(con, second.snapshot_id)


OLD_SNAPSHOT_COLUMNS = """
    snapshot_id INTEGER PRIMARY KEY, organisation VARCHAR NOT NULL, kind VARCHAR NOT NULL, as_at DATE NOT NULL,
    financial_year VARCHAR, month INTEGER, source_file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, sheet VARCHAR,
    header_row INTEGER, loaded_at TIMESTAMP NOT NULL, loaded_by VARCHAR, loader_version VARCHAR NOT NULL,
    record_count INTEGER NOT NULL, issue_count INTEGER NOT NULL, error_count INTEGER NOT NULL,
    superseded_by INTEGER, columns_json VARCHAR"""


def test_a_store_from_before_mappings_were_kept_gains_the_profiles_and_the_snapshot_columns(tmp_path):
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE SEQUENCE snapshot_ids START 2")
    old.execute("CREATE TABLE organisations (name VARCHAR PRIMARY KEY, synthetic BOOLEAN NOT NULL DEFAULT FALSE)")
    old.execute(f"CREATE TABLE snapshots ({OLD_SNAPSHOT_COLUMNS})")
    old.execute(
        f"CREATE TABLE deleted_snapshots ({OLD_SNAPSHOT_COLUMNS}, deleted_at TIMESTAMP NOT NULL, deleted_by VARCHAR)"
    )
    old.execute("INSERT INTO organisations VALUES ('Org A', FALSE)")
    old.execute(
        "INSERT INTO snapshots VALUES (1, 'Org A', 'risks', DATE '2019-03-28', NULL, NULL, 'baf-a.xlsx', 'a', 'BAF', "
        "4, TIMESTAMP '2019-04-01 09:00:00', NULL, '1.0.0', 0, 0, 0, NULL, '{}')"
    )
    old.close()
    con = store.connect(path)
    try:
        for table in ("snapshots", "deleted_snapshots"):
            columns = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
            assert {"mapping_json", "profile_id"} <= columns, table
        assert store.snapshot_mapping(con, 1) == (None, None)
        store.delete_snapshot(con, 1)
        store.restore_deleted(con, 1)
        profile_id = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), None)
        [read] = store.ingest(con, read_with(workbook("a"), mapping(), {"profile_id": profile_id}))
        assert read.superseded_ids == [1]  # the same file, now read with a recorded mapping
        assert store.snapshot_mapping(con, read.snapshot_id)[1]["organisation"] == "Org A"
    finally:
        con.close()


def test_a_result_with_its_mapping_still_serialises_and_crosses_processes():
    result = read_with(
        WorkbookResult("t.xlsx", "s", "Org A", "2019-03-28", datasets=[Dataset("risks", "BAF", 4)]),
        mapping(),
        {"profile_id": 3, "organisation": "Org A", "saved_at": "2019-04-01T09:00:00"},
    )
    as_json = json.loads(json.dumps(result.to_dict()))
    assert as_json["mapping"] == mapping() and as_json["profile"]["profile_id"] == 3
    assert pickle.loads(pickle.dumps(result)) == result
    plain = WorkbookResult("t.xlsx", "s")
    assert (plain.mapping, plain.profile) == (None, None) and plain.to_dict()["mapping"] is None


def test_profiles_reach_a_published_copy_and_the_full_export(con, tmp_path):
    import io
    import zipfile

    from store import backup

    profile_id = store.save_profile(con, "Org A", KEY, SIGNATURE, mapping(), None)
    replica = publish.open_published(publish.publish(con, tmp_path / "published.duckdb"))
    try:
        assert [p["profile_id"] for p in store.profiles_for_matching(replica)] == [profile_id]
    finally:
        replica.close()
    with zipfile.ZipFile(io.BytesIO(backup.export_store(con, "parquet"))) as archive:
        profiles = pd.read_parquet(io.BytesIO(archive.read("layout_profiles.parquet")))
    assert list(profiles["profile_id"]) == [profile_id]
