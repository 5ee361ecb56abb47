"""The Data page under AppTest: upload, preview, store, re-upload, bad files, snapshots."""

from __future__ import annotations

import re

import store
from tests.conftest import SAMPLES, run_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def one_sentence(text: str) -> bool:
    return "\n" not in text and len(re.findall(r"[.!?](?:\s|$)", text)) == 1


def sample_workbook():
    return sorted(SAMPLES.glob("*.xlsx"))[0]


def upload(at, name: str, data: bytes):
    at.file_uploader(key="uploads").set_value([(name, data, XLSX)])
    at.run()
    return at


def store_button(at):
    return next(b for b in at.button if b.label.startswith("Store "))


def test_page_runs_on_an_empty_store(empty_db):
    at = run_page("pages/data.py")
    assert not at.exception
    assert at.session_state["data-tab"] == "Upload"  # nothing is stored yet, so uploading comes first
    assert not any("No snapshots yet" in i.value for i in at.info)  # only the open tab runs
    at.session_state["data-tab"] = "Snapshots"
    at.run()
    assert not at.exception
    assert any("No snapshots yet" in i.value for i in at.info)


def test_uploading_a_sample_workbook_previews_then_stores_it(empty_db):
    path = sample_workbook()
    at = upload(run_page("pages/data.py"), path.name, path.read_bytes())
    assert not at.exception
    [org] = [t for t in at.text_input if t.label == "Organisation"]
    assert org.value  # detected from the workbook's cover
    store_button(at).click()
    at.run()
    assert not at.exception
    assert at.success and "new snapshot" in at.success[0].value
    con = store.connect(empty_db)
    try:
        assert len(store.snapshots(con)) >= 1
    finally:
        con.close()


def test_re_uploading_the_same_file_adds_no_snapshot(empty_db):
    path = sample_workbook()
    first = upload(run_page("pages/data.py"), path.name, path.read_bytes())
    store_button(first).click()
    first.run()
    con = store.connect(empty_db)
    count = len(store.snapshots(con))
    con.close()
    again = upload(run_page("pages/data.py"), path.name, path.read_bytes())
    store_button(again).click()
    again.run()
    assert "this file is already stored as the" in again.success[0].value
    con = store.connect(empty_db)
    try:
        assert len(store.snapshots(con)) == count
    finally:
        con.close()


def test_a_bad_file_gets_one_sentence_and_leaves_the_store_unchanged(sample_db):
    con = store.connect(sample_db)
    before = store.table_checksums(con)
    con.close()
    at = upload(run_page("pages/data.py"), "finance.xlsx", b"line,budget\nAcute,100\n")
    assert not at.exception
    [error] = at.error
    assert "finance.xlsx" in error.value and one_sentence(error.value)
    assert not [b for b in at.button if b.label.startswith("Store ")]
    con = store.connect(sample_db)
    try:
        assert store.table_checksums(con) == before
    finally:
        con.close()


def test_snapshots_can_be_opened_restored_and_deleted(sample_db):
    at = run_page("pages/data.py")
    assert not at.exception
    opened = at.selectbox(key="snap-open").value
    at.checkbox(key=f"snap-confirm-{opened}").check()
    at.run()
    at.button(key="snap-delete").click()
    at.run()
    assert not at.exception
    assert any(f"Snapshot {opened} deleted" in s.value for s in at.success)
    con = store.connect(sample_db)
    try:
        assert opened not in set(store.snapshots(con)["snapshot_id"])
    finally:
        con.close()


def test_viewers_are_refused_on_the_server(sample_db, tmp_path, monkeypatch):
    import config

    viewer_config = tmp_path / "viewer.toml"
    viewer_config.write_text(config.DEFAULT_PATH.read_text().replace('local_role = "editor"', 'local_role = "viewer"'))
    monkeypatch.setenv("ASSURANCE_CONFIG", str(viewer_config))
    config.settings.cache_clear()
    try:
        con = store.connect(sample_db)
        before = store.table_checksums(con)
        con.close()
        at = run_page("pages/data.py")
        opened = at.selectbox(key="snap-open").value
        at.checkbox(key=f"snap-confirm-{opened}").check()
        at.run()
        at.button(key="snap-delete").click()
        at.run()
        assert any("Only editors may delete snapshots" in e.value for e in at.error)
        con = store.connect(sample_db)
        assert store.table_checksums(con) == before
        con.close()
    finally:
        config.settings.cache_clear()


def test_viewers_get_no_uploader(sample_db, tmp_path, monkeypatch):
    import config

    viewer_config = tmp_path / "viewer.toml"
    viewer_config.write_text(config.DEFAULT_PATH.read_text().replace('local_role = "editor"', 'local_role = "viewer"'))
    monkeypatch.setenv("ASSURANCE_CONFIG", str(viewer_config))
    config.settings.cache_clear()
    try:
        at = run_page("pages/data.py")
        at.session_state["data-tab"] = "Upload"
        at.run()
        assert not at.exception
        assert not at.get("file_uploader")
        assert any("Only editors may upload workbooks" in i.value for i in at.info)
    finally:
        config.settings.cache_clear()


def test_a_read_only_replica_gets_no_uploader(sample_db, monkeypatch):
    monkeypatch.setenv("ASSURANCE_READ_ONLY", "1")
    at = run_page("pages/data.py")
    at.session_state["data-tab"] = "Upload"
    at.run()
    assert not at.exception
    assert not at.get("file_uploader")
    assert any("read-only copy does not take uploads" in i.value for i in at.info)


def test_an_editor_gets_the_uploader(sample_db):
    at = run_page("pages/data.py")
    at.session_state["data-tab"] = "Upload"
    at.run()
    assert len(at.get("file_uploader")) == 1
