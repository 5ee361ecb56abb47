"""What the store refuses, names and keeps: look-alike organisation names, far-future as-at dates, an older
file uploaded again, self-describing audit rows, deleted snapshots kept and restorable, older stores migrated."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest

import loaders
import store
from loaders.__main__ import main
from loaders.records import organisation_name
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
