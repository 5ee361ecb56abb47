"""Ingest of the whole workload, organisation by organisation, with the store kept at chosen sizes.

Workbooks are read by a pool of reader workers, one per core; this process is the one writer to the store,
storing the workbooks in order, a batch at a time, as their readings complete.
"""

from __future__ import annotations

import os
import shutil
import time
from itertools import groupby
from pathlib import Path

import importer
import store
from bench.measure import file_mb
from bench.tracker import fresh_store
from bench.workload import organisation_of

BATCH = 12  # workbooks stored per transaction: a year of one organisation's monthly returns


def ingest_all(
    paths: list[Path], db: Path, keep_at: list[int], scratch: Path, say=print, readers: int | None = None
) -> dict:
    """Load and store every workbook in order into a new store; after ``n`` organisations (each of
    ``keep_at``) the store is copied aside for the page measurements. The copying is not timed.
    ``load_s`` is the time the writer waited for readings, ``store_s`` the time it spent storing."""
    con = fresh_store(db)
    by_org = [(org, list(group)) for org, group in groupby(paths, key=organisation_of)]
    load_s = store_s = 0.0
    records = snapshots = workbooks = 0
    failures: list[str] = []
    points: list[dict] = []
    started = time.perf_counter()
    readings = importer.read_files(paths, readers=readers or os.cpu_count() or 1, ahead=BATCH)
    try:
        for n, (org, org_paths) in enumerate(by_org, 1):
            for first in range(0, len(org_paths), BATCH):
                batch = org_paths[first : first + BATCH]
                t0 = time.perf_counter()
                results = [next(readings) for _ in batch]
                t1 = time.perf_counter()
                stored = importer.store_results(con, results)
                load_s += t1 - t0
                store_s += time.perf_counter() - t1
                for path, imported in zip(batch, stored, strict=True):
                    if not imported.stored:
                        failures.append(f"{path.name}: {imported.refusal}")
                    workbooks += 1
                    snapshots += len(imported.outcomes)
                    records += sum(o.record_count for o in imported.outcomes)
            if n in keep_at or n == len(by_org):
                con.execute("CHECKPOINT")
                elapsed = load_s + store_s
                copy = scratch / f"store-{n}-orgs.duckdb"
                con.close()
                shutil.copy(db, copy)
                con = store.connect(db)
                points.append(
                    {
                        "orgs": n,
                        "workbooks": workbooks,
                        "snapshots": snapshots,
                        "records": records,
                        "ingest_s": elapsed,
                        "records_per_s": records / elapsed,
                        "store_mb": file_mb(copy),
                        "store": str(copy),
                    }
                )
            say(
                f"  [{n}/{len(by_org)}] {org}: {workbooks} workbooks, {records:,} records, "
                f"{load_s + store_s:.0f} s ({time.perf_counter() - started:.0f} s wall)"
            )
    finally:
        readings.close()
        con.close()
    total = points[-1]
    return {
        **{k: v for k, v in total.items() if k != "store"},
        "load_s": load_s,
        "store_s": store_s,
        "failures": failures,
        "points": points,
        "store": total["store"],
    }
