"""A replica's cold start: a new process imports the store, opens a store read-only as an app replica does
(``ASSURANCE_READ_ONLY=1``) and runs its first query (the organisations, the sidebar's first read).

    python -m bench.cold_start STORE.duckdb [--repeats N]
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import command_line, median

ROOT = Path(__file__).resolve().parent.parent
PARSERS = ("python_calamine", "openpyxl", "loaders")
STEPS = ("import", "open", "query")
REPLICA = f"""
import json, sys, time
started = time.perf_counter()
import store
from store import publish
imported = time.perf_counter()
con = publish.Replica(sys.argv[1]).connection()
opened = time.perf_counter()
store.organisations(con)
queried = time.perf_counter()
print(json.dumps({{"import": imported - started, "open": opened - imported, "query": queried - opened,
                  "parsers": sorted(m for m in sys.modules if m.split(".")[0] in {PARSERS!r})}}))
"""


def _once(db: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", REPLICA, str(db)], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return {**json.loads(done.stdout), "process": time.perf_counter() - started}


def measure(db: Path, repeats: int = 5, say=print) -> dict:
    """Medians of ``repeats`` new processes: each step, the three together, and the whole process by the clock
    (the interpreter's own start included)."""
    runs = [_once(db) for _ in range(repeats)]
    for run in runs:
        run["total"] = sum(run[step] for step in STEPS)
    figures = {f"{step}_ms": round(median([r[step] for r in runs]) * 1000, 1) for step in (*STEPS, "total", "process")}
    figures.update(repeats=repeats, parsers_loaded=sorted({m for r in runs for m in r["parsers"]}))
    say(
        f"  replica cold start: import store {figures['import_ms']} ms, open read-only {figures['open_ms']} ms, "
        f"first query {figures['query_ms']} ms, together {figures['total_ms']} ms (process {figures['process_ms']} "
        f"ms); medians of {repeats}; parsers loaded: {', '.join(figures['parsers_loaded']) or 'none'}"
    )
    return figures


if __name__ == "__main__":
    sys.exit(command_line(None, "python -m bench.cold_start", __doc__, measure, "store", repeats=5))
