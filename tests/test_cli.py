"""The command line: inspect (JSON and summary) and ingest, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from loaders.__main__ import main
from tests.corpus import messy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "scheme tracker.xlsx"
    path.write_bytes(messy.scheme_tracker_fills_and_text_numbers())
    return path


@pytest.fixture
def not_a_workbook(tmp_path) -> Path:
    path = tmp_path / "notes.xlsx"
    path.write_text("Risk ID,Title\n1,Quality\n")
    return path


def test_inspect_json_shape(workbook, capsys):
    assert main(["inspect", str(workbook), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"file", "org", "as_at", "datasets", "errors"} <= set(out)
    assert out["file"] == "scheme tracker.xlsx" and out["org"] == "Messy CCG" and out["errors"] == []
    (dataset,) = out["datasets"]
    assert {"kind", "sheet", "header_row", "records", "issues"} <= set(dataset)
    assert dataset["kind"] == "qipp_schemes" and dataset["header_row"] == 3 and len(dataset["records"]) == 4
    assert dataset["records"][0]["source"] == {"sheet": "Savings", "row": 4}


def test_inspect_summary_for_people(workbook, capsys):
    assert main(["inspect", str(workbook)]) == 0
    out = capsys.readouterr().out
    assert "Messy CCG" in out and "qipp_schemes on sheet 'Savings' (header row 3): 4 records" in out


def test_inspect_unreadable_file_exits_2_with_one_sentence(not_a_workbook, capsys):
    assert main(["inspect", str(not_a_workbook)]) == 2
    out = capsys.readouterr().out.strip()
    assert "CSV" in out and "\n" not in out and "Traceback" not in out


def test_ingest_stores_and_reports_each_outcome(workbook, not_a_workbook, tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    assert main(["ingest", str(workbook), "--db", str(db)]) == 0
    assert "stored as new snapshot" in capsys.readouterr().out
    assert main(["ingest", str(workbook), "--db", str(db)]) == 0
    assert "this file is already stored as the" in capsys.readouterr().out
    assert main(["ingest", str(workbook), str(not_a_workbook), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert "[1/2] scheme tracker.xlsx" in captured.out and "[2/2] notes.xlsx" in captured.out
    assert "CSV" in captured.err and "Traceback" not in captured.err


def test_ingest_refusal_is_one_sentence(tmp_path, capsys):
    path = tmp_path / "anonymous.xlsx"
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Risk ID", "Risk title", "Current score"])
    book.active.append(["1", "Quality", 12])
    book.save(path)
    assert main(["ingest", str(path), "--db", str(tmp_path / "x.duckdb")]) == 2
    assert "organisation" in capsys.readouterr().err
    assert main(["ingest", str(path), "--db", str(tmp_path / "x.duckdb"), "--org", "Given CCG"]) == 2
    assert "as-at" in capsys.readouterr().err
    code = main(
        ["ingest", str(path), "--db", str(tmp_path / "x.duckdb"), "--org", "Given CCG", "--as-at", "2019-03-31"]
    )
    assert code == 0


def test_python_dash_m_runs_as_a_module(not_a_workbook):
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "inspect", str(not_a_workbook), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert json.loads(done.stdout)["errors"] and "Traceback" not in done.stderr
