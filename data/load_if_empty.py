"""Fill an empty store with the sample workbooks and the synthetic demo organisations.

Used by ``make run``: a store that already holds snapshots is left as it is.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import importer
import store
from data.demo import generate

DATA = Path(__file__).resolve().parent
SAMPLES = DATA / "samples"
DEMO = DATA / "demo" / "workbooks"


def workbooks() -> list[Path]:
    if not any(DEMO.glob("*.xlsx")):
        print("Generating synthetic demo workbooks ...", flush=True)
        generate.generate(DEMO)
    return sorted(SAMPLES.glob("*.xlsx")) + sorted(DEMO.glob("*.xlsx"))


def load(con, paths: list[Path]) -> int:
    stored = 0
    started = time.monotonic()
    for n, (path, imported) in enumerate(zip(paths, importer.import_files(con, paths), strict=True), 1):
        if not imported.stored:
            print(f"[{n}/{len(paths)}] {path.name}: not stored: {imported.refusal}", flush=True)
            continue
        stored += sum(o.status != "identical" for o in imported.outcomes)
        print(f"[{n}/{len(paths)}] {path.name}: {len(imported.outcomes)} datasets", flush=True)
    print(f"Stored {stored} snapshots from {len(paths)} workbooks in {time.monotonic() - started:.1f} s.")
    return stored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", help="store file (default: data/assurance.duckdb or $ASSURANCE_DB)")
    args = parser.parse_args(argv)
    with store.connect(args.db) as con:
        if store.is_empty(con):
            load(con, workbooks())
        else:
            print(f"The store {store.db_path(args.db)} already holds data; nothing loaded.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
