"""The benchmark at national scale.

    python -m bench            42 organisations x 36 months, a 200k-row tracker (about 20-30 minutes)
    python -m bench --quick    2 organisations x 3 months, a 20k-row tracker (a smoke run)

Prints progress and a table, writes the results as JSON (bench/results.json for a full run) and
ends with one line holding the headline figures as a JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import partial
from pathlib import Path

from bench import report, workload
from bench.workload import OUT, Workload

HERE = Path(__file__).resolve().parent
_say = partial(print, flush=True)  # progress shows as it happens, also when piped


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 organisations x 3 months, a 20k-row tracker")
    parser.add_argument("--orgs", type=int, help="organisations (default 42, quick 2)")
    parser.add_argument("--months", type=int, help="monthly snapshots (default 36, quick 3)")
    parser.add_argument("--tracker-rows", type=int, help="rows of the single tracker (default 200000, quick 20000)")
    parser.add_argument("--tracker-repeats", type=int, default=5, help="repeats of the tracker ingest (default 5)")
    parser.add_argument("--page-reruns", type=int, default=3, help="reruns per page after a filter change (default 3)")
    parser.add_argument("--sessions", type=int, default=10, help="concurrent browser sessions (default 10)")
    parser.add_argument("--pages", nargs="+", metavar="PAGE", help="only these pages (e.g. pages/risks.py)")
    parser.add_argument("--no-served", action="store_true", help="skip the served app and its browsers")
    parser.add_argument(
        "--browser-repeats",
        type=int,
        default=10,
        help="timed repeats of each page and interaction in Chromium (default 10)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip the interactive speed in Chromium")
    parser.add_argument("--no-openpyxl", action="store_true", help="skip the (slow) openpyxl read")
    parser.add_argument("--out", type=Path, default=OUT, help=f"cache and scratch folder (default {OUT})")
    parser.add_argument("--results", type=Path, help="results file (default bench/results.json; quick: in --out)")
    args = parser.parse_args(argv)
    base = workload.QUICK if args.quick else workload.NATIONAL
    args.workload = Workload(args.orgs or base.orgs, args.months or base.months, args.tracker_rows or base.tracker_rows)
    if args.results is None:
        args.results = args.out / "results-quick.json" if args.quick else HERE / "results.json"
    return args


def main(argv: list[str] | None = None) -> int:
    from bench import run

    args = parse(argv)
    started = time.perf_counter()
    results = run.run(
        args.workload,
        out=args.out,
        tracker_repeats=args.tracker_repeats,
        page_reruns=args.page_reruns,
        sessions=0 if args.no_served else args.sessions,
        openpyxl=not args.no_openpyxl,
        pages=args.pages,
        browser_repeats=0 if args.no_browser else args.browser_repeats,
        say=_say,
    )
    results["wall_s"] = time.perf_counter() - started
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n")
    _say("")
    _say(report.table(results))
    _say(f"Results written to {args.results} ({results['wall_s'] / 60:.1f} min).")
    _say(json.dumps(results["summary"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
