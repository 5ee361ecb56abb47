"""One benchmark run: the tracker, the national ingest, the pages and the served app, at each size."""

from __future__ import annotations

import math
import shutil
from dataclasses import asdict
from pathlib import Path

from bench import browser, cold_start, national, reader, served, tracker, workload
from bench import pages as page_runs
from bench.measure import machine, rounded
from bench.workload import Workload

GROWTH_POINTS = (1, 10, 42)
TARGETS = {
    "ingest_vs_calamine": ("<=", 1.3),
    "ingest_vs_openpyxl_speedup": (">=", 7.0),
    "page_first_run_s_max": ("<=", 1.5),
    "page_rerun_ms_median_max": ("<=", 100.0),
    "served_peak_rss_mb": ("<=", 600.0),
    "reader_overhead_ms_small": ("<=", 50.0),
    "reader_overhead_pct_tracker": ("<=", 5.0),
    "browser_interaction_ms_median": ("<=", 250.0),
    "browser_interaction_ms_p95": ("<=", 600.0),
    "browser_page_settled_s_median": ("<=", 1.5),
}
ROOT = Path(__file__).resolve().parent.parent
SMALL_WORKBOOK = ROOT / "data" / "samples" / "bedfordshire_ccg_corporate_risk_register_2012-04-27.xlsx"
GROWTH_FIGURES = ("ingest_s", "store_mb", "page_first_run_s_max", "page_rerun_ms_median_max", "served_peak_rss_mb")


def growth_points(orgs: int) -> list[int]:
    return sorted({n for n in GROWTH_POINTS if n < orgs} | {orgs})


def scaling(points: list[dict]) -> dict[str, list[dict]]:
    """For each figure, its exponent between successive sizes: 1 is linear, 0 flat, above 1 worse than linear."""
    out: dict[str, list[dict]] = {}
    for figure in GROWTH_FIGURES:
        steps = []
        for a, b in zip(points, points[1:], strict=False):
            if a.get(figure) and b.get(figure):
                exponent = math.log(b[figure] / a[figure]) / math.log(b["orgs"] / a["orgs"])
                steps.append({"from": a["orgs"], "to": b["orgs"], "exponent": round(exponent, 2)})
        out[figure] = steps
    return out


def targets(summary: dict) -> dict[str, dict]:
    checked = {}
    for name, (op, limit) in TARGETS.items():
        value = summary.get(name)
        met = None if value is None else (value <= limit if op == "<=" else value >= limit)
        checked[name] = {"value": value, "target": f"{op} {limit:g}", "met": met}
    return checked


def run(
    load: Workload,
    out: Path,
    tracker_repeats: int = 5,
    page_reruns: int = 3,
    sessions: int = 10,
    openpyxl: bool = True,
    pages: list[str] | None = None,
    browser_repeats: int = 10,
    say=print,
) -> dict:
    scratch = out / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    results: dict = {
        "machine": machine(),
        "parameters": {
            **asdict(load),
            "tracker_repeats": tracker_repeats,
            "page_reruns": page_reruns,
            "sessions": sessions,
            "browser_repeats": browser_repeats,
        },
    }

    say(f"1. The {load.tracker_rows:,}-row QIPP tracker")
    big = workload.tracker(load.tracker_rows, load.seed, out, say)
    results["tracker"] = tracker.measure(big, scratch, tracker_repeats, openpyxl, say)
    say("   The reader's worker process, per workbook")
    results["reader"] = {
        "small": reader.overhead(SMALL_WORKBOOK, say=say),
        "tracker": reader.overhead(big, repeats=tracker_repeats, say=say),
    }

    say(f"2. Ingest of {load.orgs} organisations x {load.months} months")
    paths = workload.workbooks(load, out, say)
    keep = growth_points(load.orgs)
    ingest = national.ingest_all(paths, scratch / "national.duckdb", keep, scratch, say)
    results["national"] = {k: v for k, v in ingest.items() if k != "points"}
    say("   A replica's cold start on that store")
    results["replica_cold_start"] = cold_start.measure(Path(ingest["store"]), say=say)

    growth = []
    for point in ingest["points"]:
        db = Path(point["store"])
        names = browser.organisation_names(db)
        say(f"3. Pages on the store of {point['orgs']} organisations ({point['store_mb']:.0f} MB)")
        page_figures = page_runs.measure(db, names, page_reruns, pages=pages, say=say)
        row = {k: v for k, v in point.items() if k != "store"}
        row.update(
            pages=page_figures,
            page_first_run_s_max=page_figures["first_run_s_max"],
            page_rerun_ms_median_max=page_figures["rerun_ms_median_max"],
        )
        if sessions:
            say(f"4. Served app, {sessions} browser sessions, store of {point['orgs']} organisations")
            # A copy: this process's page runs still hold the store open.
            served_db = scratch / "served.duckdb"
            shutil.copy(db, served_db)
            row["served"] = served.measure(served_db, names, sessions, scratch / "served", say)
            row["served_peak_rss_mb"] = row["served"]["peak_rss_mb"]
        if browser_repeats and point is ingest["points"][-1]:
            say(f"5. Interactive speed in Chromium, store of {point['orgs']} organisations")
            try:
                row["browser"] = browser.measure(db, names, browser_repeats, scratch / "browser", say)
            except Exception as exc:  # no browser or no server: the run's other figures still stand
                row["browser"] = {"error": f"{type(exc).__name__}: {exc}"}
                say(f"  failed: {row['browser']['error']}")
        growth.append(row)
    results["growth"] = growth
    results["scaling"] = scaling(growth)
    full = growth[-1]
    results["pages"] = full["pages"]["pages"]
    results["served"] = full.get("served")
    results["browser"] = full.get("browser")
    speed = results["browser"] or {}
    results["summary"] = {
        "ingest_vs_calamine": round(results["tracker"]["ingest_vs_calamine"], 3),
        "ingest_vs_openpyxl_speedup": rounded(results["tracker"]["ingest_vs_openpyxl_speedup"], 2),
        "national_ingest_s": round(ingest["ingest_s"], 1),
        "replica_cold_start_ms": results["replica_cold_start"]["total_ms"],
        "page_first_run_s_max": round(full["page_first_run_s_max"], 3),
        "page_rerun_ms_median_max": round(full["page_rerun_ms_median_max"], 1),
        "served_peak_rss_mb": rounded(full.get("served_peak_rss_mb"), 1),
        "reader_overhead_ms_small": results["reader"]["small"]["overhead_ms"],
        "reader_overhead_pct_tracker": results["reader"]["tracker"]["overhead_pct"],
        "reader_overhead_cpu_ms_small": results["reader"]["small"]["overhead_cpu_ms"],
        "reader_overhead_cpu_pct_tracker": results["reader"]["tracker"]["overhead_cpu_pct"],
        "browser_interaction_ms_median": speed.get("interaction_ms_median"),
        "browser_interaction_ms_p95": speed.get("interaction_ms_p95"),
        "browser_page_settled_s_median": speed.get("page_settled_s_median"),
    }
    results["targets"] = targets(results["summary"])
    return results
