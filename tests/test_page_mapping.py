"""The Data page's step "How this workbook was read" under AppTest: correct a reading, store it, save its layout,
and the next month's workbook of the same layout is read with it; viewers change no layout."""

from __future__ import annotations

import hashlib

import pytest

import store
from tests.conftest import run_page
from tests.corpus.own_layout import DECEMBER, NOVEMBER, action_tracker
from tests.test_page_data import store_button, upload


def prefix(data: bytes, rev: int) -> str:
    return f"map-{hashlib.sha256(data).hexdigest()[:12]}-{rev}"


def stored_actions(path) -> dict[str, dict]:
    con = store.connect(path)
    try:
        frame = store.actions.actions(con, "Eastfield ICB")
    finally:
        con.close()
    return {r["ref"]: r for r in frame.to_dict("records")}


def correct_and_store(at, data: bytes):
    """What a user does: two columns and two words, then Store and Save this layout."""
    at.selectbox(key=f"{prefix(data, 0)}-0-0-C").set_value("owner")
    at.run()
    at.selectbox(key=f"{prefix(data, 1)}-0-0-E").set_value("rag_label")
    at.run()
    assert at.selectbox(key=f"{prefix(data, 2)}-word-rag-Slipping").value == "not known"
    at.selectbox(key=f"{prefix(data, 2)}-word-rag-Slipping").set_value("amber")
    at.run()
    at.selectbox(key=f"{prefix(data, 3)}-word-rag-Stalled").set_value("red")
    at.run()
    assert not at.exception and not at.error
    store_button(at).click()
    at.run()
    next(b for b in at.button if b.label.startswith("Save this layout for")).click()
    at.run()
    return at


def test_a_corrected_reading_is_stored_and_its_layout_reads_next_month(empty_db):
    november = action_tracker("30 November 2026", NOVEMBER)
    at = upload(run_page("pages/data.py"), "tracker-nov.xlsx", november)
    assert not at.exception
    assert [e.label for e in at.expander][0] == "How this workbook was read"
    column_c = at.selectbox(key=f"{prefix(november, 0)}-0-0-C")
    assert column_c.value == "(not read)"  # "Executive Sponsor" is no synonym of owner
    at = correct_and_store(at, november)
    assert not at.exception
    assert any("new snapshot" in s.value for s in at.success)
    assert any("Saved as layout" in s.value and "Eastfield ICB" in s.value for s in at.success)
    actions = stored_actions(empty_db)
    assert actions["1.1"]["owner"] == "Director of Finance"
    assert [actions[r]["rag"] for r in ("1.1", "1.2", "1.3")] == ["amber", "blue", "red"]

    december = action_tracker("31 December 2026", DECEMBER)
    at = upload(run_page("pages/data.py"), "tracker-dec.xlsx", december)
    assert not at.exception
    assert any("Read with the layout saved on" in i.value and "Eastfield ICB" in i.value for i in at.info)
    assert at.selectbox(key=f"{prefix(december, 0)}-0-0-C").value == "owner"
    store_button(at).click()
    at.run()
    assert not at.exception
    con = store.connect(empty_db)
    try:
        latest = store.snapshots(con).sort_values("as_at").iloc[-1]
        mapping, profile = store.snapshot_mapping(con, int(latest["snapshot_id"]))
    finally:
        con.close()
    assert str(latest["as_at"])[:10] == "2026-12-31"
    assert profile is not None and profile["organisation"] == "Eastfield ICB"
    assert mapping["vocabulary"]["rag"]["Slipping"] == "amber"


def test_a_change_that_cannot_be_applied_is_one_sentence_and_the_reading_stays(empty_db):
    november = action_tracker("30 November 2026", NOVEMBER)
    at = upload(run_page("pages/data.py"), "tracker-nov.xlsx", november)
    at.selectbox(key=f"{prefix(november, 0)}-0-0-B").set_value("(not read)")  # the action text itself
    at.run()
    assert not at.exception
    assert any("needs a column mapped to action" in e.value for e in at.error)
    assert store_button(at).disabled is False  # the last good reading can still be stored


@pytest.fixture
def viewer(tmp_path, monkeypatch):
    import config

    viewer_config = tmp_path / "viewer.toml"
    viewer_config.write_text(config.DEFAULT_PATH.read_text().replace('local_role = "editor"', 'local_role = "viewer"'))
    config.settings.cache_clear()
    yield lambda: monkeypatch.setenv("ASSURANCE_CONFIG", str(viewer_config))
    config.settings.cache_clear()


def test_viewers_cannot_change_or_delete_a_saved_layout(empty_db, viewer):
    import config
    from loaders import load_workbook
    from loaders.layout_profiles import signature, signature_key

    mapping = load_workbook(action_tracker("30 November 2026", NOVEMBER), "t.xlsx").mapping
    con = store.connect(empty_db)
    sig = signature(mapping)
    saved = store.save_profile(con, "Eastfield ICB", signature_key(sig), sig, mapping, "editor")
    before = store.table_checksums(con)
    con.close()
    viewer()
    config.settings.cache_clear()
    at = run_page("pages/data.py")
    at.session_state["data-tab"] = "Saved layouts"
    at.run()
    assert not at.exception
    at.text_input(key=f"layout-org-{saved}").set_value("Westfield ICB")
    at.run()
    at.button(key="layout-save").click()
    at.run()
    assert any("Only editors may change saved layouts" in e.value for e in at.error)
    at.checkbox(key=f"layout-confirm-{saved}").check()
    at.run()
    at.button(key="layout-delete").click()
    at.run()
    assert any("Only editors may delete saved layouts" in e.value for e in at.error)
    con = store.connect(empty_db)
    try:
        assert store.table_checksums(con) == before
    finally:
        con.close()


def test_editors_can_delete_a_saved_layout(empty_db):
    from loaders import load_workbook
    from loaders.layout_profiles import signature, signature_key

    mapping = load_workbook(action_tracker("30 November 2026", NOVEMBER), "t.xlsx").mapping
    con = store.connect(empty_db)
    sig = signature(mapping)
    saved = store.save_profile(con, "Eastfield ICB", signature_key(sig), sig, mapping, "editor")
    con.close()
    at = run_page("pages/data.py")
    at.session_state["data-tab"] = "Saved layouts"
    at.run()
    at.checkbox(key=f"layout-confirm-{saved}").check()
    at.run()
    at.button(key="layout-delete").click()
    at.run()
    assert not at.exception
    con = store.connect(empty_db)
    try:
        assert store.list_profiles(con).empty
        assert "profile deleted" in set(store.audit_log(con, None)["action"])
    finally:
        con.close()
