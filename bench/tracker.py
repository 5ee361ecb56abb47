"""The single big QIPP tracker: our end-to-end ingest against pandas reading the same file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import loaders
import store
from bench.measure import median, timed


def fresh_store(path: Path):
    """A new empty store at ``path``, any earlier one and its log removed."""
    for stale in (path, Path(f"{path}.wal")):
        stale.unlink(missing_ok=True)
    return store.connect(path)


def ingest_once(workbook: Path, db: Path) -> dict:
    """loaders.load_path + store.ingest into a new store (created before the clock starts)."""
    with fresh_store(db) as con:
        load_s, result = timed(loaders.load_path, workbook)
        if result.errors:
            raise RuntimeError(result.errors[0])
        store_s, _ = timed(store.ingest, con, result)
    return {
        "load_s": load_s,
        "store_s": store_s,
        "total_s": load_s + store_s,
        "records": sum(len(d.records) for d in result.datasets),
        "issues": len(result.issues) + sum(len(d.issues) for d in result.datasets),
    }


def read_excel(workbook: Path, engine: str) -> float:
    """Every sheet read into DataFrames, as the loaders read every sheet."""
    seconds, _ = timed(pd.read_excel, workbook, sheet_name=None, engine=engine)
    return seconds


def measure(workbook: Path, scratch: Path, repeats: int = 5, openpyxl: bool = True, say=print) -> dict:
    """Interleaved repeats of our ingest and of the calamine read; openpyxl once (it is slow)."""
    scratch.mkdir(parents=True, exist_ok=True)
    ours, calamine = [], []
    for n in range(1, repeats + 1):
        run = ingest_once(workbook, scratch / "tracker.duckdb")
        ours.append(run)
        calamine.append(read_excel(workbook, "calamine"))
        say(f"  tracker run {n}/{repeats}: ingest {run['total_s']:.2f} s, calamine {calamine[-1]:.2f} s")
    openpyxl_s = None
    if openpyxl:
        openpyxl_s = read_excel(workbook, "openpyxl")
        say(f"  openpyxl read: {openpyxl_s:.2f} s")
    ingest_s = median([r["total_s"] for r in ours])
    calamine_s = median(calamine)
    return {
        "file": workbook.name,
        "file_mb": round(workbook.stat().st_size / 2**20, 2),
        "records": ours[0]["records"],
        "issues": ours[0]["issues"],
        "repeats": repeats,
        "ingest_s": ingest_s,
        "ingest_load_s": median([r["load_s"] for r in ours]),
        "ingest_store_s": median([r["store_s"] for r in ours]),
        "ingest_runs_s": [r["total_s"] for r in ours],
        "calamine_s": calamine_s,
        "calamine_runs_s": calamine,
        "openpyxl_s": openpyxl_s,
        "ingest_vs_calamine": ingest_s / calamine_s,
        "ingest_vs_openpyxl_speedup": openpyxl_s / ingest_s if openpyxl_s else None,
        "records_per_s": ours[0]["records"] / ingest_s,
    }
