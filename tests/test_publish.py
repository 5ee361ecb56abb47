"""Replicas: the writer publishes atomic copies of the store; readers open them read-only and move to a
new copy when one is published, never seeing part of a file."""

from __future__ import annotations

import subprocess
import sys

import pytest

import store
from store import publish
from store.db import query_df
from tests.conftest import ROOT
from tests.ingest_worker import big_result


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def snapshot_count(con) -> int:
    return int(query_df(con, "SELECT count(*) AS n FROM snapshots")["n"].iloc[0])


def test_published_copy_holds_the_same_tables(sample_con, tmp_path):
    target = publish.publish(sample_con, tmp_path / "published" / "store.duckdb")
    assert target.exists()
    assert [p.name for p in target.parent.iterdir()] == ["store.duckdb"]  # no temporary file left behind
    replica = publish.open_published(target)
    assert store.table_checksums(replica) == store.table_checksums(sample_con)
    assert store.snapshots(replica).equals(store.snapshots(sample_con))


def test_a_replica_cannot_write(sample_con, tmp_path):
    replica = publish.open_published(publish.publish(sample_con, tmp_path / "pub.duckdb"))
    before = store.table_checksums(replica)
    with pytest.raises(store.StoreError, match="Nothing from tracker-refused.xlsx was stored"):
        store.ingest(replica, big_result("refused", 3))
    assert store.table_checksums(replica) == before


def test_replica_moves_to_a_new_copy_only_after_its_interval(con, tmp_path):
    target = tmp_path / "pub.duckdb"
    store.ingest(con, big_result("first", 5))
    publish.publish(con, target)
    clock = FakeClock()
    replica = publish.Replica(target, reload_seconds=5, clock=clock)
    first = replica.connection()
    assert snapshot_count(first) == 1

    store.ingest(con, big_result("second", 7))
    publish.publish(con, target)
    clock.now = 4.9
    assert replica.connection() is first  # not looked at yet
    clock.now = 5.0
    second = replica.connection()
    assert second is not first and replica.opened == 2
    assert snapshot_count(second) == 2
    assert snapshot_count(first) == 1  # a page run already under way keeps reading the copy it started with
    clock.now = 20
    assert replica.connection() is second  # unchanged file: not reopened


def test_nothing_published_yet_reads_as_an_empty_store_until_it_is(con, tmp_path):
    target = tmp_path / "later.duckdb"
    replica = publish.Replica(target, reload_seconds=0)
    assert not replica.published
    assert store.is_empty(replica.connection())
    store.ingest(con, big_result("late", 4))
    publish.publish(con, target)
    assert snapshot_count(replica.connection()) == 1 and replica.published


def test_cli_publishes_a_store_not_held_open_by_another_process(sample_db, tmp_path):
    target = tmp_path / "replica" / "assurance.duckdb"
    run = subprocess.run(
        [sys.executable, "-m", "store.publish", "--db", str(sample_db), "--to", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert str(target) in run.stdout
    source, copy = store.connect(sample_db, read_only=True), publish.open_published(target)
    assert store.table_checksums(copy) == store.table_checksums(source)
    source.close()

    same = subprocess.run(
        [sys.executable, "-m", "store.publish", "--db", str(sample_db), "--to", str(sample_db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert same.returncode == 2 and "Traceback" not in same.stderr
    assert "must not be the working store" in same.stderr


WRITER = """
import sys
import store
from store import publish
from tests.ingest_worker import big_result

db, target, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = store.connect(db)
for n in range(rounds):
    store.ingest(con, big_result(f"round-{n}", 2_000 + n))
    publish.publish(con, target)
    print(n, flush=True)
con.close()
"""


def consistent_view(con) -> tuple[int, int]:
    """Every snapshot holds exactly the records it says it has; returns (snapshots, current records)."""
    counts = query_df(
        con,
        "SELECT s.snapshot_id, s.record_count, s.superseded_by, "
        "(SELECT count(*) FROM qipp_schemes q WHERE q.snapshot_id = s.snapshot_id) AS n FROM snapshots s",
    )
    assert (counts["record_count"] == counts["n"]).all(), counts
    current = counts[counts["superseded_by"].isna()]
    assert len(current) == 1, counts
    return len(counts), int(current["n"].iloc[0])


@pytest.mark.slow
def test_a_reader_process_keeps_answering_while_the_writer_publishes(tmp_path):
    target = tmp_path / "published.duckdb"
    rounds = 8
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(tmp_path / "writer.duckdb"), str(target), str(rounds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    replica = publish.Replica(target, reload_seconds=0)
    seen: list[tuple[int, int]] = []
    while writer.poll() is None or not seen or seen[-1][0] < rounds:
        if not replica.published and writer.poll() is None:
            replica.connection()
            continue
        state = consistent_view(replica.connection())
        if not seen or seen[-1] != state:
            seen.append(state)
        if writer.poll() is not None and state[0] < rounds:
            assert writer.returncode == 0, writer.stderr.read()
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    assert [n for n, _ in seen] == sorted({n for n, _ in seen})  # snapshots only ever grow, one copy at a time
    for snapshots, records in seen:
        assert records == 2_000 + snapshots - 1  # the current snapshot is the last round that copy holds
    assert seen[-1] == (rounds, 2_000 + rounds - 1)
    assert len(seen) >= 2  # the reader saw the store change while it was answering


def test_a_read_view_sees_one_committed_state_until_its_own_write(tmp_path):
    from store.db import ReadView

    con = store.connect(tmp_path / "view.duckdb")
    store.ingest(con, big_result("one", 3))
    view = ReadView(con)
    assert snapshot_count(view) == 1
    store.ingest(con, big_result("other-session", 4))  # another session commits in the middle of the run
    assert snapshot_count(view) == 1
    assert snapshot_count(con) == 2
    store.ingest(view, big_result("this-run", 5))  # the run's own write moves its view on
    assert snapshot_count(view) == 3
    with pytest.raises(Exception, match="no_such_table"):
        query_df(view, "SELECT * FROM no_such_table")
    assert snapshot_count(view) == 3  # a failed query does not leave the view unusable
    view.close()
    con.close()


def delete_first_snapshot(at) -> int:
    opened = at.selectbox(key="snap-open").value
    at.checkbox(key=f"snap-confirm-{opened}").check()
    at.run()
    at.button(key="snap-delete").click()
    at.run()
    return opened


def test_a_replica_says_it_is_read_only_and_refuses_changes(sample_con, tmp_path, monkeypatch):
    from pages.store_view import READ_ONLY_NOTE
    from tests.conftest import run_page

    target = publish.publish(sample_con, tmp_path / "replica.duckdb")
    monkeypatch.setenv("ASSURANCE_DB", str(target))
    monkeypatch.setenv("ASSURANCE_READ_ONLY", "1")
    before = store.table_checksums(publish.open_published(target))
    at = run_page("pages/data.py")
    assert not at.exception
    assert any(READ_ONLY_NOTE == i.value for i in at.info)
    delete_first_snapshot(at)
    assert not at.exception
    assert any("This read-only copy cannot delete snapshots" in e.value for e in at.error)
    assert store.table_checksums(publish.open_published(target)) == before
    overview = run_page("pages/overview.py")
    assert not overview.exception


def test_the_editing_copy_publishes_each_change(sample_db, tmp_path, monkeypatch):
    from tests.conftest import run_page

    target = tmp_path / "published" / "store.duckdb"
    monkeypatch.setenv("ASSURANCE_PUBLISH", str(target))
    at = run_page("pages/data.py")
    deleted = delete_first_snapshot(at)
    assert not at.exception
    published = store.snapshots(publish.open_published(target))
    assert len(published) > 0 and deleted not in set(published["snapshot_id"])
