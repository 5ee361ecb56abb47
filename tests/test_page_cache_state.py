"""Pages keep what they read and build across runs and sessions, but never past a change to the store: an ingest,
a delete, a restore (and, on a replica, a newly published copy) is seen by the next run."""

from __future__ import annotations

import pytest

import store
from store import publish
from tests.conftest import run_page
from tests.risk_records import BAF_COLUMNS, BAF_MARCH, BAF_ORG, CP_ORG, baf_records, cp_records, workbook

PAGE = "pages/risks.py"
JANUARY = [(ref, o, w, r, i, (1, 1), t) for ref, o, w, r, i, _current, t in BAF_MARCH]  # every risk at target


def _january(con) -> None:
    store.ingest(con, workbook(BAF_ORG, "2019-01-23", baf_records(JANUARY), "BAF", BAF_COLUMNS))


def _march(con) -> list:
    return store.ingest(con, workbook(BAF_ORG, "2019-03-28", baf_records(), "BAF", BAF_COLUMNS))


def _shown(at) -> tuple[str, str]:
    """The page's headline and the caption naming the register's date."""
    assert not at.exception
    return at.title[0].value, next(c.value for c in at.caption if "as at" in c.value)


@pytest.fixture
def baf_db(tmp_path, monkeypatch):
    path = tmp_path / "baf.duckdb"
    con = store.connect(path)
    _january(con)
    con.close()
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def _dates(at) -> list[str]:
    return at.selectbox(key="risk_as_at").options


def test_an_ingest_delete_and_restore_are_each_seen_by_the_next_run(baf_db):
    at = run_page(PAGE, org=BAF_ORG)
    before = _shown(at)
    assert before[0] == "Risks: All 7 risks at or below target" and "as at 23 Jan 2019" in before[1]
    at.run()
    assert _shown(at) == before  # the same state answers the same

    con = store.connect(baf_db)  # another connection to the store, as the Data page or the CLI would write
    try:
        march = _march(con)[0].snapshot_id
        at.run()  # the same session's next run offers the new date, and keeps the one it was showing
        assert _dates(at) == ["28 Mar 2019", "23 Jan 2019"] and _shown(at) == before
        at.selectbox(key="risk_as_at").set_value(at.selectbox(key="risk_as_at").options[0]).run()
        march_shown = _shown(at)
        assert march_shown[0] == "Risks: 7 of 7 risks above target" and "as at 28 Mar 2019" in march_shown[1]
        assert _shown(run_page(PAGE, org=BAF_ORG)) == march_shown  # a new session opens on the newest

        store.delete_snapshot(con, march)
        at.run()
        assert _dates(at) == ["23 Jan 2019"] and _shown(at) == before
        assert _shown(run_page(PAGE, org=BAF_ORG)) == before

        store.restore_deleted(con, march)
        assert _shown(run_page(PAGE, org=BAF_ORG)) == march_shown

        store.ingest(con, workbook(CP_ORG, "2018-07-30", cp_records(), "Operational risks", {"title": "A"}))
        at.session_state["orgs"] = at.session_state["org_select"] = [CP_ORG]
        at.run()
        assert "as at 30 Jul 2018" in _shown(at)[1]
    finally:
        con.close()


def test_a_replica_shows_a_newly_published_copy(tmp_path, monkeypatch):
    writer = store.connect(tmp_path / "writer.duckdb")
    target = tmp_path / "published.duckdb"
    try:
        _january(writer)
        publish.publish(writer, target)
        monkeypatch.setenv("ASSURANCE_DB", str(target))
        monkeypatch.setenv("ASSURANCE_READ_ONLY", "1")
        monkeypatch.setenv("ASSURANCE_RELOAD_SECONDS", "0")
        at = run_page(PAGE, org=BAF_ORG)
        assert "as at 23 Jan 2019" in _shown(at)[1]

        _march(writer)
        publish.publish(writer, target)
        at.run()
        assert at.selectbox(key="risk_as_at").options == ["28 Mar 2019", "23 Jan 2019"]
        assert "as at 28 Mar 2019" in _shown(run_page(PAGE, org=BAF_ORG))[1]
    finally:
        writer.close()
