"""The Data page's refusals and confirmations: a far-future as-at date, an impossible year in a link, an older
file uploaded again, a deleted snapshot kept and restored, and audit rows that say what they were about."""

from __future__ import annotations

import io

import openpyxl

import store
from tests.conftest import ROOT, run_page
from tests.test_page_data import store_button, upload


def tracker(as_at: str, org: str = "Northmoor ICB", value: int = 50) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "QIPP"
    sheet.append(["Organisation:", org])
    sheet.append(["As at:", as_at])
    sheet.append([])
    sheet.append(["Ref", "Scheme", "Area", "Stage", "RAG", "Net Value (£'000)"])
    sheet.append(["Q1", "Scheme one", "Acute", "3 - Delivery", "Green", value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_far_future_as_at_date_is_stored_only_once_confirmed(empty_db):
    at = upload(run_page("pages/data.py"), "future.xlsx", tracker("2091-03-31"))
    assert not at.exception
    assert any("31 Mar 2091 is more than a month ahead" in w.value for w in at.warning)
    store_button(at).click()
    at.run()
    assert not at.exception
    assert any("more than a month ahead" in e.value for e in at.error)
    con = store.connect(empty_db)
    assert store.is_empty(con)
    con.close()
    at.checkbox(key=next(c.key for c in at.checkbox if c.key.startswith("future-"))).check()
    at.run()
    store_button(at).click()
    at.run()
    assert not at.exception
    assert any("new snapshot" in s.value for s in at.success)
    con = store.connect(empty_db)
    assert str(store.snapshots(con)["as_at"].iloc[0])[:10] == "2091-03-31"
    con.close()


def test_an_impossible_year_in_a_link_is_ignored_with_a_notice(sample_db):
    con = store.connect(sample_db)
    con.execute(
        "UPDATE snapshots SET as_at = DATE '9999-12-31' WHERE snapshot_id = (SELECT min(snapshot_id) FROM snapshots)"
    )
    con.close()
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["year"] = "9999/00"
    at.query_params["tab"] = "Snapshots"
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("9999/00" in w.value and "not available" in w.value for w in at.warning)
    assert "9999/00" not in at.selectbox(key="snap-year").options
    assert at.selectbox(key="snap-year").value == "All years"


def test_re_uploading_an_older_workbook_names_the_current_snapshot(empty_db):
    files = {"may.xlsx": tracker("2018-05-31"), "june.xlsx": tracker("2018-06-30")}
    for name, data in files.items():
        at = upload(run_page("pages/data.py"), name, data)
        store_button(at).click()
        at.run()
    at = upload(run_page("pages/data.py"), "may.xlsx", files["may.xlsx"])
    store_button(at).click()
    at.run()
    assert not at.exception
    [message] = [s.value for s in at.success]
    assert "already stored as the 31 May 2018 snapshot" in message
    assert "the current one is 30 Jun 2018" in message and "june.xlsx" in message and "older" in message


def test_a_deleted_snapshot_is_kept_restorable_and_the_audit_log_says_what_happened(sample_db):
    con = store.connect(sample_db)
    con.execute(  # a row from before audit rows described themselves, its snapshot long gone
        "INSERT INTO audit_log (audit_id, happened_at, action, snapshot_id, detail) "
        "VALUES (nextval('audit_ids'), TIMESTAMP '2018-01-01 09:00:00', 'delete', 999, 'old.xlsx')"
    )
    con.close()
    at = run_page("pages/data.py")
    opened = at.selectbox(key="snap-open").value
    at.checkbox(key=f"snap-confirm-{opened}").check()
    at.run()
    at.button(key="snap-delete").click()
    at.run()
    assert not at.exception
    assert any(f"Snapshot {opened} deleted" in s.value and "restore" in s.value for s in at.success)
    assert at.selectbox(key="snap-deleted-open").value == opened
    con = store.connect(sample_db)
    deleted = store.deleted_snapshots(con)
    con.close()
    assert list(deleted["snapshot_id"]) == [opened]
    at.button(key="snap-undelete").click()
    at.run()
    assert not at.exception
    assert any(f"Snapshot {opened} is restored" in s.value for s in at.success)
    con = store.connect(sample_db)
    try:
        assert opened in set(store.snapshots(con)["snapshot_id"]) and store.deleted_snapshots(con).empty
        audit = store.audit_log(con)
    finally:
        con.close()
    assert list(audit["action"][:2]) == ["restore deleted", "delete"]
    assert audit["organisation"][:2].notna().all() and audit["source_file"][:2].notna().all()
    at.session_state["snap-audit"] = True
    at.run()
    shown = next(frame.value for frame in at.dataframe if "Change" in frame.value.columns)
    assert list(shown.columns[:9]) == [
        "When",
        "Who",
        "Change",
        "Snapshot",
        "Other snapshots",
        "Organisation",
        "Kind",
        "As at",
        "File",
    ]
    assert list(shown["Change"][:2]) == ["restore deleted", "delete"]
    assert (shown["Who"] == "not signed in").all() and shown.notna().all().all()
    old = shown[shown["Snapshot"] == "999"].iloc[0]  # as text, so a saved layout's row shows no snapshot
    assert (old["Organisation"], old["Other snapshots"], old["Detail"]) == ("not recorded", "", "old.xlsx")
