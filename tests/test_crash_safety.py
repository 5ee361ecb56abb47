"""A killed or starved ingest leaves the store with its earlier snapshots and no partial one."""

from __future__ import annotations

import random
import subprocess
import sys
import time

import pytest

import store
from store.db import query_df
from tests.conftest import ROOT

ROWS = 60_000


def run_worker(db, tag, rows=ROWS, limit=None, **kwargs):
    args = [sys.executable, "-m", "tests.ingest_worker", str(db), tag, str(rows)]
    if limit:
        args.append(str(limit))
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def consistent(db) -> dict:
    """Open the store and check that every snapshot holds exactly its records and no record is orphaned."""
    con = store.connect(db)
    try:
        counts = query_df(
            con,
            "SELECT s.snapshot_id, s.record_count, (SELECT count(*) FROM qipp_schemes q WHERE q.snapshot_id = s.snapshot_id) AS n "
            "FROM snapshots s",
        )
        orphans = query_df(
            con, "SELECT count(*) AS n FROM qipp_schemes WHERE snapshot_id NOT IN (SELECT snapshot_id FROM snapshots)"
        )["n"].iloc[0]
        assert orphans == 0
        assert (counts["record_count"] == counts["n"]).all()
        return {k: v for k, v in store.table_checksums(con).items()}
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_at_random_points_never_leaves_a_partial_snapshot(tmp_path):
    db = tmp_path / "crash.duckdb"
    assert run_worker(db, "base").wait(timeout=300) == 0
    baseline = consistent(db)
    rng = random.Random(20190328)
    survivors = 0
    for attempt in range(20):
        before = consistent(db)
        proc = run_worker(db, f"kill-{attempt}")
        time.sleep(rng.uniform(0.05, 3.0))
        proc.kill()
        proc.wait(timeout=60)
        after = consistent(db)
        if after != before:  # the ingest finished before the kill: exactly one more snapshot, complete
            survivors += 1
            con = store.connect(db)
            snaps = store.snapshots(con)
            con.close()
            assert snaps["source_file"].iloc[0] == f"tracker-kill-{attempt}.xlsx"
    con = store.connect(db)
    try:
        kept = store.snapshots(con)
        assert "tracker-base.xlsx" in set(kept["source_file"])
        assert len(kept) == 1 + survivors
    finally:
        con.close()
    assert baseline["organisations"] == consistent(db)["organisations"]


@pytest.mark.slow
def test_a_full_disk_during_ingest_gives_a_sentence_and_keeps_the_store(tmp_path):
    db = tmp_path / "full.duckdb"
    assert run_worker(db, "base", rows=2_000).wait(timeout=120) == 0
    before = consistent(db)
    size = db.stat().st_size
    proc = run_worker(db, "huge", rows=ROWS, limit=size + 256 * 1024)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, err
    assert "Nothing from tracker-huge.xlsx was stored" in out
    assert "Traceback" not in out + err
    assert consistent(db) == before
