"""Workbooks read in parallel, and stored a batch at a time, are stored exactly as when read and stored one at a
time: the same snapshots, records, issues and audit trail, in the same order and with the same ids."""

from __future__ import annotations

from pathlib import Path

import importer
import store
from data.demo import generate
from store.db import record_table

ROOT = Path(__file__).resolve().parent.parent
SIZES = generate.Sizes(risks=4, schemes=6, finance_lines=3, actions=5, action_areas=2)
WHEN = ("loaded_at", "happened_at", "deleted_at")  # when a row was written differs between any two runs


def _stored(path: Path, workbooks: list[Path], readers: int, batch: int = 0) -> tuple[list, dict[str, list]]:
    con = store.connect(path)
    try:
        if batch:
            results = list(importer.read_files(workbooks, readers=readers))
            imported = [
                i for n in range(0, len(results), batch) for i in importer.store_results(con, results[n : n + batch])
            ]
        else:
            imported = list(importer.import_files(con, workbooks, readers=readers))
        outcomes = [
            (i.result.file, i.refusal, [(o.kind, o.status, o.snapshot_id) for o in i.outcomes]) for i in imported
        ]
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        content = {}
        for table in tables:
            columns = [
                f'"{name}"'
                for (name,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [table]
                ).fetchall()
                if name not in WHEN
            ]
            content[table] = con.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY ALL").fetchall()  # noqa: S608
        return outcomes, content
    finally:
        con.close()


def test_parallel_reading_and_batched_storing_store_what_serial_reading_stores(tmp_path):
    workbooks = generate.generate(tmp_path / "workbooks", orgs=2, months=2, seed=1, sizes=SIZES)
    workbooks += sorted((ROOT / "data" / "samples").glob("*improvement_delivery_plan*.xlsx"))
    workbooks += workbooks[:2]  # stored again: identical, answered within its batch
    serial_outcomes, serial = _stored(tmp_path / "serial.duckdb", workbooks, readers=1)

    assert all(refusal is None for _, refusal, _ in serial_outcomes)
    assert serial["snapshots"] and serial["snapshot_issues"] and serial["audit_log"]
    assert sum(len(serial[record_table(kind)]) for kind in ("risks", "qipp_schemes", "actions")) > 0
    for name, readers, batch in (("parallel", 2, 0), ("batched", 2, 3)):
        outcomes, content = _stored(tmp_path / f"{name}.duckdb", workbooks, readers, batch)
        assert outcomes == serial_outcomes, name
        assert content.keys() == serial.keys()
        for table, rows in serial.items():
            assert content[table] == rows, (name, table)
