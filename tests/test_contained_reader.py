"""Hostile workbooks are read in a worker with memory and CPU limits: each is read, or refused in one
sentence, and the calling process (this one) carries on."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

import loaders
from loaders import contained, guard
from tests.conftest import ROOT
from tests.corpus import hostile

pytestmark = pytest.mark.slow

MEMORY = "could not be read safely: it asks for more memory than a workbook of this size needs."
TIME = "could not be read safely: it takes longer to read than a workbook of this size needs."


@pytest.fixture(autouse=True)
def bounded_reader(monkeypatch):
    """Limits small enough that no test waits long, generous enough for every honest workbook here."""
    values = guard.limits() | {"reader_cpu_seconds": 30}
    monkeypatch.setattr(guard, "limits", lambda: values)
    return values


def one_sentence(result, name: str) -> str:
    assert result.datasets == [] and len(result.errors) == 1, result.errors
    (sentence,) = result.errors
    assert f"'{name}'" in sentence and sentence.endswith(".") and "\n" not in sentence
    return sentence


# Each asks calamine for a dense grid far beyond the worker's memory (17 billion cells, or 96 million from a
# spreadsheet of under a kilobyte, or one 20 MB string copied into 400 cells).
@pytest.mark.parametrize(
    "name",
    [
        "letter-case-relationship.xlsx",
        "duplicate-relationship-ids.xlsx",
        "sheet-referenced-twice.xlsx",
        "repeating-ods.xlsx",
        "amplified-shared-string.xlsx",
    ],
)
def test_a_file_that_asks_for_too_much_memory_is_refused_in_one_sentence(name):
    result = loaders.load_workbook(hostile.ALL[name](), name)
    sentence = one_sentence(result, name)
    if name == "amplified-shared-string.xlsx":  # calamine may also panic as it runs out of room
        assert sentence.startswith(f"'{name}' could not be read"), sentence
    else:
        assert sentence in (f"'{name}' {MEMORY}", f"'{name}' {TIME}")


@pytest.mark.parametrize("name", ["backslash-target.xlsx", "percent-encoded-target.xlsx"])
def test_a_relationship_target_the_reader_cannot_follow_is_one_sentence(name):
    sentence = one_sentence(loaders.load_workbook(hostile.ALL[name](), name), name)
    assert "Sheet 'Risks'" in sentence or "could not be read" in sentence


def test_a_worksheet_the_workbook_does_not_name_is_not_read():
    result = loaders.load_workbook(hostile.unreferenced_sheet(), "unreferenced.xlsx")
    assert result.errors == []
    assert [issue.cell for issue in result.issues if issue.code == "sheet_not_read"] == ["Risks"]


@pytest.mark.parametrize("name", ["many-col-attributes.xlsx", "many-reference-attributes.xlsx"])
def test_tags_with_thousands_of_attributes_are_read(name):
    result = loaders.load_workbook(hostile.ALL[name](), name)
    assert result.errors == []
    assert {issue.code for issue in result.issues} == {"sheet_not_read", "no_tables"}


def test_a_text_beyond_the_limit_is_cut_with_an_issue_naming_its_cell():
    result = loaders.load_workbook(hostile.long_title(), "long-title.xlsx")
    assert result.errors == []
    (risk,) = result.datasets[0].records
    assert len(risk["title"]) == 32_767 and risk["ref"] == "1.1"
    (cut,) = [issue for issue in result.issues if issue.code == "text_cut"]
    assert cut.cell == "Risks!B2" and "52,428,800 characters" in cut.message and "32,767" in cut.message


def test_the_text_limit_is_configurable(bounded_reader):
    bounded_reader["max_text_chars"] = 20  # longer than every other text in the sheet
    result = loaders.load_workbook(hostile.long_title(length=25), "long-title.xlsx")
    assert len(result.datasets[0].records[0]["title"]) == 20
    assert [issue.cell for issue in result.issues if issue.code == "text_cut"] == ["Risks!B2"]


def test_getting_data_is_read_as_an_error_value_not_a_damaged_sheet():
    result = loaders.load_workbook(hostile.getting_data(), "getting-data.xlsx")
    assert result.errors == []
    (risks,) = result.datasets
    assert [risk["ref"] for risk in risks.records] == ["1.1", "1.2"]
    assert any(issue.cell == "Risks!F3" and "#GETTING_DATA" in issue.message for issue in risks.issues), risks.issues


def test_the_cli_and_an_in_process_caller_survive_the_letter_case_relationship(tmp_path):
    path = tmp_path / "letter-case.xlsx"
    path.write_bytes(hostile.letter_case_relationship())
    run = subprocess.run(
        [sys.executable, "-m", "loaders", "inspect", str(path)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert run.stdout.strip() == f"'letter-case.xlsx' {MEMORY}", run.stdout
    assert "Traceback" not in run.stderr and "panicked" not in run.stderr and run.stderr.strip() == ""
    result = loaders.load_path(path)
    assert result.errors == [f"'letter-case.xlsx' {MEMORY}"]
    assert loaders.load_workbook(hostile.getting_data(), "after.xlsx").errors == []  # and reads on


# --- the worker itself --------------------------------------------------------------------------------


def aborts(progress=None):
    os.abort()


def runs_out_of_memory(progress=None):
    return bytearray(8 * 2**30)


def spins(progress=None):
    while True:
        pass


def reports(count, progress=None):
    for n in range(count):
        progress("Sheet", n)
    return count * 2


@pytest.mark.parametrize(("work", "sentence"), [(aborts, MEMORY), (runs_out_of_memory, MEMORY), (spins, TIME)])
def test_a_worker_that_dies_becomes_one_sentence(work, sentence, bounded_reader):
    limits = bounded_reader | {"reader_cpu_seconds": 1}
    with pytest.raises(contained.ReaderStopped) as stopped:
        contained.run("x.xlsx", work, (), limits)
    assert str(stopped.value) == f"'x.xlsx' {sentence}"


def test_progress_reaches_the_caller_and_the_result_comes_back(bounded_reader):
    seen = []
    assert contained.run("x.xlsx", reports, (3,), bounded_reader, lambda *args: seen.append(args)) == 6
    assert seen == [("Sheet", 0), ("Sheet", 1), ("Sheet", 2)]


def test_a_worker_stopped_by_the_clock_is_ended(monkeypatch, bounded_reader):
    monkeypatch.setattr(contained, "WALL_SLACK", 0)
    monkeypatch.setattr(contained, "WALL_EXTRA_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(contained.ReaderStopped, match="takes longer"):
        contained.run("x.xlsx", spins, (), bounded_reader)
    assert time.monotonic() - started < 25  # not the 30 s of CPU the worker was allowed
