"""The results as a plain-text table."""

from __future__ import annotations

# The reader's figures in the order of its table's columns (the CPU ones are missing from older results).
READER = ("contained_ms", "in_process_ms", "overhead_ms", "overhead_pct", "overhead_cpu_ms", "overhead_cpu_pct")


def _fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}"


def _rows(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def browser_table(figures: dict) -> str:
    """bench.browser's figures: a row per page and per interaction, then the pooled figures and the failures."""
    rows = [("measure", "median ms", "p95 ms", "samples", "failed", "script done ms", "script runs")]
    for group in ("pages", "interactions"):
        for name, f in figures[group].items():
            rows.append(
                (
                    f"{f['title']} (navigation)" if group == "pages" else name,
                    _fmt(f["median_ms"], digits=0),
                    _fmt(f["p95_ms"], digits=0),
                    str(len(f["samples_ms"])),
                    str(len(f["failures"])),
                    _fmt(f.get("script_finished_ms_median"), digits=0),
                    "/".join(map(str, sorted(set(f.get("script_runs", []))))) or "-",
                )
            )
    lines = [
        _rows(rows),
        f"interactions pooled: median {_fmt(figures['interaction_ms_median'], digits=0)} ms, "
        f"p95 {_fmt(figures['interaction_ms_p95'], digits=0)} ms; "
        f"pages settled median {figures['page_settled_s_median']} s",
        "script done: median time from the navigation or action until its last script run's end reached the page "
        "(the page's clock; the rest is drawing); script runs: per navigation (one ended early for a rerun counts)",
    ]
    for group in ("pages", "interactions"):
        for name, f in figures[group].items():
            lines.extend(f"  {name}: {failure}" for failure in f["failures"])
    lines.extend(f"  server: {line}" for line in figures["server_errors"])
    return "\n".join(lines)


def _browser(figures: dict | None) -> list[str]:
    if not figures:
        return []
    if "error" in figures:
        return [f"Interactive speed in Chromium: not measured ({figures['error']})", ""]
    return [
        f"Interactive speed in Chromium on the full store ({figures['repeats']} repeats; warm: {figures['warm']}):",
        browser_table(figures),
        "",
    ]


def table(results: dict) -> str:
    t = results["tracker"]
    n = results["national"]
    speedup = _fmt(t["ingest_vs_openpyxl_speedup"], digits=1)
    parts = [
        f"Tracker ({t['records']:,} records, {t['file_mb']} MB), medians of {t['repeats']}:",
        _rows(
            [
                ("measure", "seconds", "ratio"),
                ("loaders + store.ingest", _fmt(t["ingest_s"]), ""),
                ("  of which loading", _fmt(t["ingest_load_s"]), ""),
                ("  of which storing", _fmt(t["ingest_store_s"]), ""),
                ("pandas calamine", _fmt(t["calamine_s"]), f"ingest {_fmt(t['ingest_vs_calamine'])}x"),
                ("pandas openpyxl (once)", _fmt(t["openpyxl_s"]), f"{speedup}x faster"),
            ]
        ),
        "",
        "The reader's worker process (contained minus in-process, medians; CPU is the caller's and the worker's):",
        _rows(
            [("workbook", "contained ms", "in process ms", "overhead ms", "%", "overhead CPU ms", "CPU %")]
            + [(r["file"], *(_fmt(r.get(key), digits=1) for key in READER)) for r in results.get("reader", {}).values()]
        ),
        "",
        f"National ingest: {n['workbooks']:,} workbooks, {n['snapshots']:,} snapshots, {n['records']:,} records in "
        f"{n['ingest_s']:.1f} s ({n['records_per_s']:,.0f} records/s; loading {n['load_s']:.0f} s, storing "
        f"{n['store_s']:.0f} s), store {n['store_mb']:.0f} MB"
        + (f", {len(n['failures'])} not stored" if n["failures"] else ""),
        "",
        "A replica's cold start (new process; medians): import store {import_ms} ms, open read-only {open_ms} ms, "
        "first query {query_ms} ms, together {total_ms} ms".format(**results["replica_cold_start"]),
        "",
        "Pages on the full store (AppTest):",
        _rows(
            [("page", "first run s", "rerun ms (median)")]
            + [(p, _fmt(r["first_run_s"]), _fmt(r["rerun_ms_median"], digits=0)) for p, r in results["pages"].items()]
        ),
        "",
        *_browser(results.get("browser")),
        "Growth with the number of organisations:",
        _rows(
            [("orgs", "ingest s", "records/s", "store MB", "first run s max", "rerun ms max", "served RSS MB")]
            + [
                (
                    str(g["orgs"]),
                    _fmt(g["ingest_s"], digits=1),
                    _fmt(g["records_per_s"], digits=0),
                    _fmt(g["store_mb"], digits=1),
                    _fmt(g["page_first_run_s_max"]),
                    _fmt(g["page_rerun_ms_median_max"], digits=0),
                    _fmt(g.get("served_peak_rss_mb"), digits=0),
                )
                for g in results["growth"]
            ]
        ),
        "",
        "Growth exponents between sizes (1 linear, 0 flat, above 1 worse than linear): "
        + "; ".join(
            f"{figure} " + ", ".join(f"{s['from']}->{s['to']}: {s['exponent']:g}" for s in steps)
            for figure, steps in results["scaling"].items()
            if steps
        ),
        "",
        "Targets:",
        _rows(
            [("figure", "value", "target", "met")]
            + [
                (name, _fmt(c["value"]), c["target"], {True: "yes", False: "NO", None: "-"}[c["met"]])
                for name, c in results["targets"].items()
            ]
        ),
    ]
    return "\n".join(parts)
