"""The records contract: the store's record tables are its kinds and fields, and the store loads no parser."""

from __future__ import annotations

import json
import subprocess
import sys

import store
from records import KIND_FIELDS
from tests.conftest import ROOT

DUCKDB_TYPES = {"text": "VARCHAR", "int": "INTEGER", "num": "DOUBLE", "date": "DATE", "bool": "BOOLEAN"}
PARSERS = ("python_calamine", "openpyxl", "loaders", "defusedxml")


def test_importing_the_store_loads_no_workbook_parser():
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json, sys, store; print(json.dumps(sorted(m for m in sys.modules "
            f"if m.split('.')[0] in {PARSERS!r})))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(shown.stdout) == []


def _columns(con, table: str) -> list[tuple[str, str]]:
    return [(name, sql_type) for name, sql_type, *_ in con.execute(f'DESCRIBE "{table}"').fetchall()]


def test_every_record_table_holds_the_contracts_fields_with_their_types(con):
    for kind, fields in KIND_FIELDS.items():
        expected = [("snapshot_id", "INTEGER"), ("source_sheet", "VARCHAR"), ("source_row", "INTEGER")]
        expected += [(name, DUCKDB_TYPES[type_]) for name, type_ in fields.items()]
        assert _columns(con, kind) == expected, kind


def test_a_field_added_to_the_contract_reaches_new_and_existing_stores(tmp_path, monkeypatch):
    existing = tmp_path / "existing.duckdb"
    store.connect(existing).close()
    monkeypatch.setitem(KIND_FIELDS, "actions", {**KIND_FIELDS["actions"], "progress": "text", "closed": "date"})
    for path in (existing, tmp_path / "new.duckdb"):
        con = store.connect(path)
        try:
            assert _columns(con, "actions")[-2:] == [("progress", "VARCHAR"), ("closed", "DATE")]
        finally:
            con.close()
