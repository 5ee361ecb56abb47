"""The Data page's snapshot list at more than one page: scope, paging, filters, exports on request, audit log."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date

import pandas as pd
import pytest

import loaders
import store
from data.demo import generate
from store.snapshots import audit_count, financial_year_dates, snapshot_count, snapshot_summary
from tests.conftest import run_page

ORGS = ["Northmoor ICB", "Riverside and Weald ICB"]
SIZES = generate.Sizes(risks=4, schemes=6, finance_lines=3, actions=5, action_areas=2)


@pytest.fixture(scope="session")
def two_orgs_db_master(tmp_path_factory):
    """Two synthetic organisations over three months, every dataset: 48 snapshots, more than one page of 25."""
    folder = tmp_path_factory.mktemp("two-orgs")
    path = folder / "two-orgs.duckdb"
    con = store.connect(path)
    for workbook in generate.generate(folder / "workbooks", orgs=2, months=3, seed=5, sizes=SIZES):
        store.ingest(con, loaders.load_workbook(workbook.read_bytes(), workbook.name))
    con.close()
    return path


@pytest.fixture
def two_orgs_db(two_orgs_db_master, tmp_path, monkeypatch):
    path = tmp_path / "two-orgs.duckdb"
    shutil.copy(two_orgs_db_master, path)
    monkeypatch.setenv("ASSURANCE_DB", str(path))
    return path


def all_snapshots(path) -> pd.DataFrame:
    con = store.connect(path)
    try:
        return store.snapshots(con)
    finally:
        con.close()


def listed(at) -> pd.DataFrame:
    return at.dataframe[0].value


def caption(at, starts: str) -> str:
    return next(c.value for c in at.caption if c.value.startswith(starts))


def choose(at, key: str, value):
    at.selectbox(key=key).set_value(value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def every_organisation(at, per_page: int = 25):
    choose(at, "snap-org", "All organisations")
    return choose(at, "snap-per-page", per_page)


def prepared(at, slot: str) -> dict[str, bytes]:
    """The files a Prepare button built, by file name."""
    _, files = at.session_state["data_prepared"][slot]
    return {file_name: data for _, data, file_name, _ in files}


def test_the_list_starts_with_the_sidebar_selection_newest_first(two_orgs_db):
    at = run_page("pages/data.py")
    assert not at.exception
    assert at.session_state["data-tab"] == "Snapshots"  # the store has snapshots, so they open first
    [org] = at.session_state["orgs"]
    shown = listed(at)
    expected = all_snapshots(two_orgs_db).query("organisation == @org")
    assert set(shown["organisation"]) == {org}
    assert sorted(shown["snapshot_id"]) == sorted(expected["snapshot_id"])
    assert list(shown["as_at"]) == sorted(shown["as_at"], reverse=True)
    assert caption(at, f"{len(expected)} snapshots").startswith(f"{len(expected)} snapshots of {org};")
    other = next(o for o in ORGS if o != org)
    at.session_state["orgs"] = at.session_state["org_select"] = [other]
    at.run()
    assert set(listed(at)["organisation"]) == {other}


def test_every_organisation_is_listed_page_by_page(two_orgs_db):
    everything = all_snapshots(two_orgs_db)
    at = every_organisation(run_page("pages/data.py"))
    first_page = listed(at)
    assert len(first_page) == 25
    assert caption(at, f"{len(everything)} snapshots").endswith("showing 1 to 25, newest as-at date first.")
    at.number_input(key="snap-page").set_value(2)
    at.run()
    second_page = listed(at)
    assert len(second_page) == len(everything) - 25
    assert set(first_page["snapshot_id"]).isdisjoint(second_page["snapshot_id"])
    assert set(first_page["snapshot_id"]) | set(second_page["snapshot_id"]) == set(everything["snapshot_id"])
    assert first_page["as_at"].min() >= second_page["as_at"].max()
    offered = {int(label.split()[0][1:]) for label in at.selectbox(key="snap-open").options}
    assert offered == set(second_page["snapshot_id"])  # restore and delete offer what is in view
    choose(at, "snap-kind", "risks")
    assert at.number_input(key="snap-page").value == 1  # a new filter starts at the first page
    assert set(listed(at)["kind"]) == {"Risk register"}  # the kind in words


def test_a_snapshot_on_the_last_page_can_be_deleted(two_orgs_db):
    at = every_organisation(run_page("pages/data.py"))
    at.number_input(key="snap-page").set_value(2)
    at.run()
    last = listed(at)["snapshot_id"].iloc[-1]
    at.selectbox(key="snap-open").set_value(int(last))
    at.run()
    at.checkbox(key=f"snap-confirm-{last}").check()
    at.run()
    at.button(key="snap-delete").click()
    at.run()
    assert not at.exception
    assert any(f"Snapshot {last} deleted" in s.value for s in at.success)
    assert last not in set(all_snapshots(two_orgs_db)["snapshot_id"])


def test_a_change_made_in_another_session_shows_on_the_next_run(two_orgs_db):
    at = every_organisation(run_page("pages/data.py"), per_page=100)
    before = listed(at)
    gone = int(before["snapshot_id"].iloc[0])
    con = store.connect(two_orgs_db)
    try:
        store.delete_snapshot(con, gone)
    finally:
        con.close()
    at.run()
    after = listed(at)
    assert len(after) == len(before) - 1 and gone not in set(after["snapshot_id"])
    assert caption(at, f"{len(after)} snapshots")


def test_a_financial_year_lists_only_its_as_at_dates(two_orgs_db):
    at = every_organisation(run_page("pages/data.py"), per_page=100)
    years = at.selectbox(key="snap-year").options
    assert years[0] == "All years" and len(years) > 1
    year = years[1]
    choose(at, "snap-year", year)
    first, last = financial_year_dates(year)
    shown = pd.to_datetime(listed(at)["as_at"]).dt.date
    assert len(shown) and shown.between(first, last).all()
    assert "as at a date in " + year in caption(at, f"{len(shown)} snapshots")
    assert at.query_params["year"] == [year] or at.query_params["year"] == year


def test_the_list_is_exported_only_when_asked_and_covers_every_match(two_orgs_db):
    everything = all_snapshots(two_orgs_db)
    at = every_organisation(run_page("pages/data.py"))
    assert not any(d.label.startswith("All ") for d in at.get("download_button"))
    assert "snapshots" not in at.session_state["data_prepared"]
    at.button(key="prepare-snapshots").click()
    at.run()
    assert not at.exception
    labels = {d.label for d in at.get("download_button")}
    assert {f"All {len(everything)} snapshots (CSV)", f"All {len(everything)} snapshots (XLSX)"} <= labels
    files = prepared(at, "snapshots")
    csv = pd.read_csv(io.BytesIO(files["snapshots.csv"]))
    xlsx = pd.read_excel(io.BytesIO(files["snapshots.xlsx"]), engine="calamine")
    assert sorted(csv["snapshot_id"]) == sorted(everything["snapshot_id"])  # every page, not only the one in view
    assert sorted(xlsx["snapshot_id"]) == sorted(everything["snapshot_id"])
    choose(at, "snap-kind", "risks")
    assert "snapshots" not in at.session_state["data_prepared"]  # a file for other filters is not offered
    assert at.button(key="prepare-snapshots").label.startswith("Prepare all ")


def test_a_snapshot_export_is_built_when_asked(two_orgs_db):
    at = run_page("pages/data.py")
    chosen = at.selectbox(key="snap-open").value
    assert not [d for d in at.get("download_button") if d.label.startswith("Download snapshot")]
    at.button(key="prepare-snapshot").click()
    at.run()
    assert [d.label for d in at.get("download_button") if d.label.startswith("Download snapshot")] == [
        f"Download snapshot {chosen} (xlsx)"
    ]
    sheets = pd.read_excel(
        io.BytesIO(prepared(at, "snapshot")[f"snapshot-{chosen}.xlsx"]), sheet_name=None, engine="calamine"
    )
    provenance = sheets["snapshot"].set_index("field")["value"]
    assert int(provenance["snapshot_id"]) == chosen


def test_the_audit_log_opens_on_request_and_exports_every_change(two_orgs_db):
    at = run_page("pages/data.py")
    assert not any("changes, newest first" in c.value for c in at.caption)  # closed: not read at all
    at.session_state["snap-audit"] = True
    at.run()
    assert not at.exception
    con = store.connect(two_orgs_db)
    count = audit_count(con)
    con.close()
    assert caption(at, "All ") == f"All {count} changes, newest first."
    at.button(key="prepare-audit").click()
    at.run()
    audit = pd.read_csv(io.BytesIO(prepared(at, "audit")["audit-log.csv"]))
    assert len(audit) == count and set(audit["Change"]) == {"ingest"}


def test_templates_are_built_only_when_downloaded(two_orgs_db, monkeypatch):
    from loaders import templates

    built = []
    monkeypatch.setattr(templates, "template_workbook", lambda kind: built.append(kind) or b"")
    at = run_page("pages/data.py")
    at.session_state["data-tab"] = "Templates and export"
    at.run()
    assert not at.exception
    assert set(templates.TITLES.values()) <= {d.label for d in at.get("download_button")}
    assert built == []


def test_snapshot_queries_filter_count_and_page(two_orgs_db):
    con = store.connect(two_orgs_db)
    try:
        everything = store.snapshots(con)
        assert snapshot_count(con) == len(everything) == snapshot_summary(con)["snapshots"]
        assert snapshot_count(con, orgs=[]) == 0 and store.snapshots(con, orgs=[]).empty
        assert snapshot_count(con, orgs=[ORGS[0]]) == (everything["organisation"] == ORGS[0]).sum()
        pages = [store.snapshots(con, limit=10, offset=n) for n in range(0, len(everything), 10)]
        assert list(pd.concat(pages)["snapshot_id"]) == list(everything["snapshot_id"])
        year = snapshot_summary(con)["years"][-1]
        first, last = financial_year_dates(year)
        in_year = store.snapshots(con, financial_year=year)
        assert len(in_year) == snapshot_count(con, financial_year=year) > 0
        assert in_year["as_at"].dt.date.between(first, last).all()
        assert len(store.audit_log(con, None)) == audit_count(con) == len(everything)
        assert len(store.audit_log(con, 5)) == 5
    finally:
        con.close()


def test_financial_years_run_april_to_march():
    assert financial_year_dates("2019/20") == (date(2019, 4, 1), date(2020, 3, 31))


def test_an_empty_store_has_no_years_and_version_zero(con):
    assert snapshot_summary(con) == {"version": 0, "snapshots": 0, "years": []}


def test_the_list_reads_in_words_with_nothing_shown_as_none(two_orgs_db):
    at = run_page("pages/data.py")
    shown = listed(at)
    assert not shown.isna().any().any(), shown.columns[shown.isna().any()].tolist()
    assert set(shown["superseded_by"]) <= {"current"} | {f"by {i}" for i in all_snapshots(two_orgs_db)["snapshot_id"]}
    headings = {name: config.get("label") for name, config in json.loads(at.dataframe[0].proto.columns).items()}
    assert headings["as_at"] == "As at" and headings["snapshot_id"] == "Snapshot"
    assert [name for name, label in headings.items() if name != "_index" and (not label or "_" in label)] == []
