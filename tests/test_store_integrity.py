"""What the store refuses, names and keeps: look-alike organisation names, far-future as-at dates, an older
file uploaded again, self-describing audit rows, deleted snapshots kept and restorable, older stores migrated."""

from __future__ import annotations

import io

import openpyxl

import loaders
import store
from loaders.records import organisation_name
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
