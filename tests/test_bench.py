"""The benchmark's pieces on tiny sizes: what it writes, not how fast anything is."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bench import browser, measure, run, workload
from bench.__main__ import main
from data.demo.generate import Sizes

SUMMARY_KEYS = {
    "ingest_vs_calamine",
    "ingest_vs_openpyxl_speedup",
    "national_ingest_s",
    "replica_cold_start_ms",
    "page_first_run_s_max",
    "page_rerun_ms_median_max",
    "served_peak_rss_mb",
    "reader_overhead_ms_small",
    "reader_overhead_pct_tracker",
    "reader_overhead_cpu_ms_small",
    "reader_overhead_cpu_pct_tracker",
    "browser_interaction_ms_median",
    "browser_interaction_ms_p95",
    "browser_page_settled_s_median",
}


def test_a_tiny_run_writes_results_and_ends_with_the_summary_line(tmp_path, capsys):
    results_file = tmp_path / "results.json"
    args = [
        "--orgs",
        "2",
        "--months",
        "1",
        "--tracker-rows",
        "60",
        "--tracker-repeats",
        "2",
        "--page-reruns",
        "1",
        "--no-served",
        "--no-browser",
        "--pages",
        "pages/risks.py",
        "--out",
        str(tmp_path / "out"),
        "--results",
        str(results_file),
    ]
    assert main(args) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    assert set(summary) == SUMMARY_KEYS
    assert summary["served_peak_rss_mb"] is None and summary["national_ingest_s"] > 0

    results = json.loads(results_file.read_text())
    assert results["summary"] == summary
    assert {"machine", "parameters", "tracker", "national", "pages", "growth", "scaling", "targets"} <= set(results)
    assert results["tracker"]["records"] >= 60  # the schemes and the targets by area
    for reading in results["reader"].values():  # the worker's overhead, contained against in process
        assert reading["repeats"] >= 2 and reading["contained_ms"] > 0 and reading["in_process_cpu_ms"] > 0
        assert abs(reading["overhead_ms"] - (reading["contained_ms"] - reading["in_process_ms"])) <= 0.2
    assert len(results["tracker"]["ingest_runs_s"]) == 2
    assert results["national"]["workbooks"] == 2 and not results["national"]["failures"]
    cold = results["replica_cold_start"]  # a new process: the store imported without the parsers, then one query
    assert cold["parsers_loaded"] == [] and cold["total_ms"] == summary["replica_cold_start_ms"] > cold["query_ms"] > 0
    assert [g["orgs"] for g in results["growth"]] == [1, 2]
    page = results["pages"]["pages/risks.py"]
    assert not page["exceptions"] and len(page["rerun_ms"]) == 1
    assert results["machine"]["nproc"] >= 1 and results["machine"]["packages"]["duckdb"]
    assert results["targets"]["served_peak_rss_mb"]["met"] is None
    assert results["browser"] is None and results["targets"]["browser_interaction_ms_median"]["met"] is None


def test_generated_inputs_are_cached_by_their_parameters(tmp_path):
    tiny = workload.Workload(orgs=1, months=2, tracker_rows=10, sizes=Sizes(2, 3, 2, 2, 1))
    first = workload.workbooks(tiny, tmp_path, say=lambda _: None)
    stamps = [p.stat().st_mtime_ns for p in first]
    said: list[str] = []
    again = workload.workbooks(tiny, tmp_path, say=said.append)
    assert again == first and [p.stat().st_mtime_ns for p in again] == stamps
    assert "cached" in said[0]
    other = workload.workbooks(workload.Workload(1, 1, 10, sizes=Sizes(2, 3, 2, 2, 1)), tmp_path, say=lambda _: None)
    assert other[0].parent != first[0].parent and len(other) == 1


def test_growth_exponents_flag_worse_than_linear():
    points = [{"orgs": 1, "ingest_s": 1.0, "store_mb": 2.0}, {"orgs": 10, "ingest_s": 100.0, "store_mb": 20.0}]
    scaling = run.scaling(points)
    assert scaling["ingest_s"] == [{"from": 1, "to": 10, "exponent": 2.0}]
    assert scaling["store_mb"][0]["exponent"] == 1.0
    assert scaling["served_peak_rss_mb"] == []
    assert run.growth_points(42) == [1, 10, 42] and run.growth_points(2) == [1, 2]


def test_targets_are_checked_in_their_direction():
    checked = run.targets({"ingest_vs_calamine": 1.4, "ingest_vs_openpyxl_speedup": 8.0, "served_peak_rss_mb": None})
    assert checked["ingest_vs_calamine"]["met"] is False
    assert checked["ingest_vs_openpyxl_speedup"]["met"] is True
    assert checked["served_peak_rss_mb"]["met"] is None


def test_browser_percentiles_interpolate_between_ranks():
    assert browser.percentile([], 95) is None
    assert browser.percentile([7.0], 95) == 7.0
    samples = [float(v) for v in range(10, 0, -1)]  # 10 samples, unsorted
    assert browser.percentile(samples, 50) == 5.5
    assert browser.percentile(samples, 95) == pytest.approx(9.55)
    assert browser.percentile(samples, 100) == 10.0
    figures = browser.summary([300.0, 100.0, 200.0], ["repeat 4: Unsettled: not settled within 30 s"])
    assert figures["median_ms"] == 200.0 and figures["p95_ms"] == 290.0 and len(figures["failures"]) == 1
    assert browser.summary([], [])["median_ms"] is None


def test_process_tree_memory_is_read_from_proc():
    assert measure.tree_rss_mb(os.getpid()) > 10
    with measure.RssSampler(os.getpid(), interval=0.01) as sampler:
        ballast = [0] * 1_000_000
    assert len(ballast) and sampler.peak >= max(sampler.samples[:-1] or [0]) and sampler.samples


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's Chromium")
def test_served_memory_with_one_browser_session(tmp_path):
    from bench import national, served

    paths = workload.workbooks(workload.Workload(1, 1, 10, sizes=Sizes(2, 3, 2, 2, 1)), tmp_path, say=lambda _: None)
    ingest = national.ingest_all(paths, tmp_path / "s.duckdb", [1], tmp_path, say=lambda _: None)
    figures = served.measure(Path(ingest["store"]), ["Northmoor ICB"], 1, tmp_path / "served", say=lambda _: None)
    assert figures["errors"] == []
    assert figures["peak_rss_mb"] >= figures["idle_rss_mb"] > 0
