"""QIPP aggregations: stage and area x stage against target, RAG and risk adjustment, bridge, trend."""

from __future__ import annotations

import pandas as pd
import pytest

import store
from analysis import qipp_schemes
from analysis.qipp_schemes import QippFilters
from records import Dataset, WorkbookResult
from store import qipp

ORG = "Cambridgeshire and Peterborough CCG"

# (area, stage, schemes, value, rag): cells of the C&P area x stage table (DATA_DICTIONARY 3.3), split
# so the RAG totals match its RAG table (3.2): delivery red 2,909, amber 2,310, green 29,272; pipeline red 600.
CP_CELLS = [
    ("Prescribing", 1, 1, 263, "Amber"),
    ("Prescribing", 1, 10, 1692, "Green"),
    ("Prescribing", 2, 13, 2047, "Amber"),
    ("Prescribing", 3, 1, 150, "Green"),
    ("Prescribing", 4, 8, 771, "Green"),
    ("Community / CSI", 0, 1, 600, "Red"),
    ("Community / CSI", 1, 5, 720, "Green"),
    ("Mental Health", 3, 1, 200, "Red"),
    ("Primary Care", 3, 1, 2000, "Red"),
    ("CHC", 1, 1, 7500, "Green"),
    ("Corporate Affairs", 1, 2, 102, "Green"),
    ("Corporate Affairs", 4, 1, 500, "Green"),
    ("Contract Adjustments (CSI)", 3, 1, 4500, "Green"),
    ("Acute (GIC)", 3, 1, 12900, "Green"),
    ("Acute (PbR)", 1, 1, 709, "Red"),
    ("Acute (PbR)", 3, 7, 437, "Green"),
]
CP_TARGETS = {
    "Prescribing": 5700,
    "Community / CSI": 1000,
    "Mental Health": 300,
    "Primary Care": 2000,
    "CHC": 7500,
    "Corporate Affairs": 0,
    "Contract Adjustments (CSI)": 4500,
    "Acute (GIC)": 12900,
    "Acute (PbR)": 1100,
}


def cp_scheme_records(cells=CP_CELLS) -> list[dict]:
    records, row = [], 6
    for area, stage, n, total, rag in cells:
        each = total // n
        for k in range(n):
            value = each if k < n - 1 else total - each * (n - 1)
            records.append(
                {
                    "ref": f"Q{row:03d}",
                    "name": f"{area} scheme {k + 1}",
                    "area": area,
                    "stage": stage,
                    "rag": rag.lower(),
                    "value": value,
                    "risk_adjusted_value": None,
                    "lead": "Head of Prescribing" if area == "Prescribing" else "Chief Finance Officer",
                    "recurrent": stage != 0,
                    "source": {"sheet": "QIPP Schemes", "row": row},
                }
            )
            row += 1
    return records


def qipp_result(sha: str, as_at: str, records: list[dict], targets: dict | None = None) -> WorkbookResult:
    datasets = [Dataset("qipp_schemes", "QIPP Schemes", 5, records)]
    if targets is not None:
        target_records = [
            {"area": a, "target": t, "source": {"sheet": "QIPP Stage", "row": 4 + n}}
            for n, (a, t) in enumerate(targets.items())
        ]
        datasets.append(Dataset("qipp_targets", "QIPP Stage", 3, target_records))
    return WorkbookResult(file=f"qipp-{sha}.xlsx", sha256=sha, org=ORG, as_at=as_at, datasets=datasets)


@pytest.fixture
def cp_con(con):
    store.ingest(con, qipp_result("m3", "2018-07-30", cp_scheme_records(), CP_TARGETS))
    return con


def test_fixture_reproduces_the_source_scheme_count(cp_con):
    frame = qipp.schemes(cp_con, ORG)
    assert len(frame) == 55
    assert frame["stage_name"].iloc[0] == "Initiation"


def test_stage_summary_lists_every_configured_stage(cp_con):
    summary = qipp_schemes.stage_summary(qipp.schemes(cp_con, ORG))
    assert list(summary["stage_name"]) == ["Pipeline", "Initiation", "Planning", "Delivery", "Monitoring", "Closure"]
    assert list(summary["count"]) == [1, 20, 13, 12, 9, 0]
    assert list(summary["value"]) == [600, 10986, 2047, 20187, 1271, 0]


def test_area_stage_matrix_totals_and_gaps_match_the_source(cp_con):
    frame = qipp.schemes(cp_con, ORG)
    matrix = qipp_schemes.area_stage_matrix(frame, qipp.targets(cp_con, ORG)).set_index("area")
    totals = matrix.loc["Totals"]
    assert (totals["n_excl"], totals["value_excl"]) == (54, 34491)
    assert (totals["n_incl"], totals["value_incl"]) == (55, 35091)
    assert totals["target"] == 35000
    assert (totals["gap_excl"], totals["gap_incl"]) == (509, -91)
    community = matrix.loc["Community / CSI"]
    assert (community["gap_excl"], community["gap_incl"]) == (280, -320)
    assert matrix.loc["Corporate Affairs", "gap_excl"] == -602
    assert list(matrix.index[:3]) == ["Prescribing", "Community / CSI", "Mental Health"]


def test_matrix_keeps_target_only_areas_and_flags_areas_without_target(con):
    records = cp_scheme_records([("Prescribing", 1, 2, 300, "Green"), ("Estates", 3, 1, 50, "Amber")])
    store.ingest(con, qipp_result("x", "2018-07-30", records, {"Prescribing": 500, "CHC": 100}))
    matrix = qipp_schemes.area_stage_matrix(qipp.schemes(con, ORG), qipp.targets(con, ORG)).set_index("area")
    assert list(matrix.index) == ["Prescribing", "CHC", "Estates", "Totals"]
    assert matrix.loc["CHC", "gap_excl"] == 100 and matrix.loc["CHC", "n_incl"] == 0
    assert qipp_schemes.areas_without_target(matrix.reset_index()) == ["Estates"]
    assert matrix.loc["Totals", "target"] == 600
    assert matrix.loc["Totals", "gap_excl"] == 600 - 300  # Estates' 50 is not set against a zero target


def test_rag_summary_and_risk_adjustment_match_the_source(cp_con):
    summary = qipp_schemes.rag_summary(qipp.schemes(cp_con, ORG))
    rows = {(r.status, r.rag): r for r in summary.itertuples()}
    assert rows[("Schemes in delivery", "red")].value == 2909
    assert round(rows[("Schemes in delivery", "red")].risk_adjusted) == 1745
    assert rows[("Schemes in delivery", "amber")].risk_adjusted == pytest.approx(1617)
    assert rows[("Schemes in delivery", "green")].risk_adjusted == 29272
    assert rows[("Pipeline", "red")].risk_adjusted == 300
    total = summary.iloc[-1]
    assert total.status == "Total" and total.value == 35091 and round(total.risk_adjusted) == 32934
    assert round(total.variance) == -2157
    assert summary["share"].iloc[:-1].sum() == pytest.approx(1.0)


def test_factors_are_adjustable_and_a_stated_risk_adjusted_value_wins(con):
    records = cp_scheme_records([("CHC", 3, 1, 1000, "Red"), ("CHC", 3, 1, 1000, "Red"), ("CHC", 0, 1, 400, "Green")])
    records[1]["risk_adjusted_value"] = 900
    store.ingest(con, qipp_result("f", "2018-07-30", records))
    frame = qipp.schemes(con, ORG)
    assert list(qipp_schemes.risk_adjusted(frame)) == [600, 900, 200]
    factors = {**qipp_schemes.default_factors(), "red": 0.5, "pipeline": 0.25}
    assert list(qipp_schemes.risk_adjusted(frame, factors)) == [500, 900, 100]


def test_filters_apply_to_every_aggregate(cp_con):
    frame = qipp.schemes(cp_con, ORG)
    chosen = qipp_schemes.filter_schemes(frame, QippFilters(areas=("Prescribing",), stages=(1, 2)))
    assert len(chosen) == 24 and chosen["value"].sum() == 4002
    matrix = qipp_schemes.area_stage_matrix(chosen, qipp.targets(cp_con, ORG), areas=["Prescribing"]).set_index("area")
    assert matrix.loc["Totals", "target"] == 5700 and matrix.loc["Totals", "gap_excl"] == 5700 - 4002
    red = qipp_schemes.filter_schemes(frame, QippFilters(rags=("red",)))
    assert red["value"].sum() == 2909 + 600
    lead = qipp_schemes.filter_schemes(frame, QippFilters(leads=("Head of Prescribing",), recurrent=True))
    assert len(lead) == 33
    assert len(qipp_schemes.filter_schemes(frame, QippFilters(recurrent=False))) == 1


def test_filter_options_come_from_the_schemes(cp_con):
    options = qipp_schemes.filter_options(qipp.schemes(cp_con, ORG))
    assert options["areas"][0] == "Prescribing" and len(options["areas"]) == 9
    assert options["stages"] == [0, 1, 2, 3, 4]
    assert options["rags"] == ["red", "amber", "green"]
    assert options["leads"] == ["Chief Finance Officer", "Head of Prescribing"]


def test_position_and_bridge_run_from_target_to_gap(cp_con):
    frame = qipp.schemes(cp_con, ORG)
    figures = qipp_schemes.position(frame, qipp_schemes.target_total(qipp.targets(cp_con, ORG)))
    assert figures["gap_excl"] == 509 and figures["gap_incl"] == -91
    assert round(figures["gap_risk_adjusted"]) == 2066
    steps = qipp_schemes.bridge(figures)
    assert list(steps["step"]) == [
        "Target",
        "Delivery schemes against target",
        "Pipeline",
        "Identified incl. pipeline",
        "Risk adjustment",
        "Risk-adjusted",
        "Gap to target",
    ]
    running = steps.loc[0, "value"] + steps.loc[1, "value"] + steps.loc[2, "value"]
    assert running == steps.loc[3, "value"] == 35091
    assert round(steps.loc[3, "value"] + steps.loc[4, "value"]) == round(steps.loc[5, "value"]) == 32934
    assert steps.loc[5, "value"] + steps.loc[6, "value"] == pytest.approx(35000)


def test_bridge_without_target_starts_at_identified(con):
    store.ingest(con, qipp_result("n", "2018-07-30", cp_scheme_records([("CHC", 3, 2, 100, "Green")])))
    figures = qipp_schemes.position(qipp.schemes(con, ORG), qipp_schemes.target_total(qipp.targets(con, ORG)))
    assert figures["target"] is None and figures["gap_excl"] is None
    steps = qipp_schemes.bridge(figures)
    assert steps["step"].iloc[0] == "Identified in delivery" and "Gap to target" not in set(steps["step"])


def test_trend_follows_snapshots_and_filters(cp_con):
    later = cp_scheme_records()
    later[0]["value"] += 1000
    store.ingest(cp_con, qipp_result("m4", "2018-08-31", later))
    trend = qipp_schemes.trend(qipp.schemes(cp_con, ORG), qipp.targets(cp_con, ORG))
    assert [str(d) for d in trend["as_at"]] == ["2018-07-30", "2018-08-31"]
    assert list(trend["identified_incl"]) == [35091, 36091]
    assert list(trend["target"]) == [35000, 35000]  # the July target stays in force in August
    assert list(trend["gap_incl"]) == [-91, -1091]
    presc = qipp_schemes.trend(
        qipp.schemes(cp_con, ORG), qipp.targets(cp_con, ORG), QippFilters(areas=("Prescribing",))
    )
    assert list(presc["identified_excl"]) == [4923, 5923] and list(presc["target"]) == [5700, 5700]


def test_scheme_table_shows_sources_and_values_used(cp_con):
    table = qipp_schemes.scheme_table(qipp.schemes(cp_con, ORG).head(2))
    assert list(table["Stage"]) == ["1 Initiation", "1 Initiation"]
    assert table["Source"].iloc[0] == "QIPP Schemes row 6"
    assert table["RAG"].iloc[0] == "Amber" and table["Risk-adjusted £'000"].iloc[0] == pytest.approx(263 * 0.7)


def test_empty_store_gives_empty_frames(con):
    frame = qipp.schemes(con, ORG)
    assert frame.empty and qipp_schemes.stage_summary(frame)["count"].sum() == 0
    assert qipp_schemes.rag_summary(frame).iloc[-1]["value"] == 0
    matrix = qipp_schemes.area_stage_matrix(frame, qipp.targets(con, ORG))
    assert list(matrix["area"]) == ["Totals"] and pd.isna(matrix["target"].iloc[0])


def test_targets_in_force_are_the_latest_on_or_before_the_date(cp_con):
    store.ingest(cp_con, qipp_result("m5", "2018-09-30", cp_scheme_records(), {"Prescribing": 6000}))
    all_targets = qipp.targets(cp_con, ORG)
    from datetime import date

    assert qipp_schemes.targets_at(all_targets, date(2018, 8, 31))["target"].sum() == 35000
    assert list(qipp_schemes.targets_at(all_targets, date(2018, 9, 30))["area"]) == ["Prescribing"]
    assert qipp_schemes.targets_at(all_targets, date(2018, 1, 1)).empty


def _sample_org(sample_con, word: str) -> str:
    from tests.conftest import SAMPLES

    if not any(SAMPLES.glob("*.xlsx")):
        pytest.skip("the sample workbooks have not been built")
    names = [n for n in store.organisations(sample_con)["name"] if word.lower() in n.lower()]
    assert names, f"no sample organisation named like {word!r}"
    return names[0]


def test_golden_cambridgeshire_area_stage_table(sample_con):
    org = _sample_org(sample_con, "Cambridgeshire")
    as_at = qipp.scheme_dates(sample_con, org)[-1]
    frame = qipp.schemes(sample_con, org, as_at)
    matrix = qipp_schemes.area_stage_matrix(
        frame, qipp_schemes.targets_at(qipp.targets(sample_con, org), as_at)
    ).set_index("area")
    totals = matrix.loc["Totals"]
    assert (totals["n_excl"], round(totals["value_excl"])) == (54, 34491)
    assert (totals["n_incl"], round(totals["value_incl"])) == (55, 35091)
    assert totals["target"] == 35000
    assert (round(totals["gap_excl"]), round(totals["gap_incl"])) == (509, -91)
    stages = qipp_schemes.stage_summary(frame)
    assert list(stages["count"]) == [1, 20, 13, 12, 9, 0]
    assert [round(v) for v in stages["value"]] == [600, 10986, 2047, 20187, 1271, 0]
    # DATA_DICTIONARY 3.3 rows (Prescribing's stage values sum to 4,923 against its stated 4,924)
    expected = {
        "Prescribing": (33, 4923, 5700),
        "Community / CSI": (6, 1320, 1000),
        "Mental Health": (1, 200, 300),
        "Primary Care": (1, 2000, 2000),
        "CHC": (1, 7500, 7500),
        "Corporate Affairs": (3, 602, 0),
        "Contract Adjustments (CSI)": (1, 4500, 4500),
        "Acute (GIC)": (1, 12900, 12900),
        "Acute (PbR)": (8, 1146, 1100),
    }
    for area, (count, value, target) in expected.items():
        row = matrix.loc[area]
        assert (row["n_incl"], round(row["value_incl"]), row["target"]) == (count, value, target), area


def test_golden_cambridgeshire_rag_table(sample_con):
    org = _sample_org(sample_con, "Cambridgeshire")
    summary = qipp_schemes.rag_summary(qipp.schemes(sample_con, org, qipp.scheme_dates(sample_con, org)[-1]))
    rows = {(r.status, r.rag): (round(r.value), round(r.risk_adjusted)) for r in summary.itertuples()}
    assert rows[("Schemes in delivery", "red")] == (2909, 1745)
    assert rows[("Schemes in delivery", "amber")] == (2310, 1617)
    assert rows[("Schemes in delivery", "green")] == (29272, 29272)
    assert rows[("Pipeline", "red")] == (600, 300)
    total = summary.iloc[-1]
    assert total["status"] == "Total" and (round(total["value"]), round(total["risk_adjusted"])) == (35091, 32934)
