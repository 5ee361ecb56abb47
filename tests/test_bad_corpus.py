"""Every malformed or hostile workbook in tests/corpus/bad_files.py, through the real CLI in a process with
bounded memory and time: one sentence or the expected issue with its cell, never a traceback, and the
store unchanged whenever the workbook is refused."""

from __future__ import annotations

import json
import re
import resource
import shutil
import subprocess
import sys

import pytest

import store
from tests.conftest import ROOT
from tests.corpus.bad_files import CORPUS, BadFile, write_corpus

pytestmark = pytest.mark.slow

MEMORY_LIMIT = 2 * 1024**3
TIMEOUT = 120
EXIT_UNREADABLE = 2
# 'Sheet'!C12 or Sheet!$C$12, with Excel's quoting of sheet names that hold spaces or quotes.
CELL = re.compile(r"^(?:'(?:[^']|'')+'|[^'!\s]+)!\$?[A-Z]{1,3}\$?[1-9][0-9]*$")
# Issues about a whole sheet or the whole workbook, which have no one cell to point at.
SHEET_LEVEL_CODES = {"no_tables", "no_rows", "hidden_sheet"}


def bounded() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        preexec_fn=bounded,
    )


def assert_no_traceback(run: subprocess.CompletedProcess) -> None:
    for stream in (run.stdout, run.stderr):
        assert "Traceback" not in stream, stream
        assert 'File "' not in stream, stream
        assert "MemoryError" not in stream, stream


def one_sentence(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    assert len(lines) == 1, text
    sentence = lines[0]
    assert sentence.endswith("."), sentence
    return sentence


def checksums(db) -> dict[str, str]:
    con = store.connect(db)
    try:
        return store.table_checksums(con)
    finally:
        con.close()


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("bad-corpus")
    write_corpus(directory)
    return directory


@pytest.fixture
def db(sample_db_master, tmp_path):
    """A copy of the sample store, so an unchanged checksum means something was there to protect."""
    path = tmp_path / "store.duckdb"
    shutil.copy(sample_db_master, path)
    return path


def ingest_is_refused(path, db, before) -> subprocess.CompletedProcess:
    run = cli("ingest", str(path), "--db", str(db))
    assert_no_traceback(run)
    assert run.returncode == EXIT_UNREADABLE, (run.stdout, run.stderr)
    one_sentence(run.stderr)
    assert checksums(db) == before
    return run


def found_issues(report: dict) -> list[dict]:
    return [*report["issues"], *(issue for d in report["datasets"] for issue in d["issues"])]


@pytest.mark.parametrize("entry", [e for e in CORPUS if e.expect == "refused"], ids=lambda e: e.name)
def test_refused_with_one_sentence_and_the_store_untouched(entry: BadFile, corpus_dir, db):
    path = corpus_dir / entry.name
    before = checksums(db)
    run = ingest_is_refused(path, db, before)
    sentence = one_sentence(run.stderr)
    assert entry.name in sentence or path.stem in sentence, sentence
    if entry.words:
        assert entry.words.lower() in sentence.lower(), sentence

    inspected = cli("inspect", str(path), "--json")
    assert_no_traceback(inspected)
    assert inspected.returncode == EXIT_UNREADABLE
    report = json.loads(inspected.stdout)
    assert report["datasets"] == [] and len(report["errors"]) == 1
    assert report["errors"][0] == sentence


@pytest.mark.parametrize("entry", [e for e in CORPUS if e.expect == "issue"], ids=lambda e: e.name)
def test_loadable_file_reports_its_issue_with_a_cell(entry: BadFile, corpus_dir, db):
    path = corpus_dir / entry.name
    inspected = cli("inspect", str(path), "--json")
    assert_no_traceback(inspected)
    assert inspected.returncode == 0, inspected.stderr
    report = json.loads(inspected.stdout)
    assert report["errors"] == []
    issues = found_issues(report)
    expected = [i for i in issues if i["code"] == entry.code]
    assert expected, [i["code"] for i in issues]
    sheets = {d["sheet"] for d in report["datasets"]}
    for issue in expected:
        assert issue["message"].strip(), issue
        if entry.code in SHEET_LEVEL_CODES:
            assert issue["cell"] == "" or issue["cell"] in sheets or "!" in issue["cell"], issue
        else:
            assert CELL.match(issue["cell"]), issue

    before = checksums(db)
    has_errors = any(i["severity"] == "error" for i in issues)
    if has_errors or not report["datasets"]:
        ingest_is_refused(path, db, before)
        return
    run = cli("ingest", str(path), "--db", str(db))
    assert_no_traceback(run)
    assert run.returncode == 0, (run.stdout, run.stderr)
    assert "stored as new snapshot" in run.stdout
    con = store.connect(db)
    try:
        newest = int(store.snapshots(con)["snapshot_id"].max())
        stored_codes = set(store.snapshot_issues(con, newest)["code"])
    finally:
        con.close()
    dataset_codes = {i["code"] for d in report["datasets"] for i in d["issues"]}
    if entry.code in dataset_codes:
        assert entry.code in stored_codes, stored_codes


def test_every_corpus_entry_is_covered():
    assert {e.expect for e in CORPUS} == {"refused", "issue"}
    assert all(e.code for e in CORPUS if e.expect == "issue")
    assert len({e.name for e in CORPUS}) == len(CORPUS)
