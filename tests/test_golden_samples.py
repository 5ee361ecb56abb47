"""Golden tests: the sample workbooks, loaded, reproduce the source documents' tables and report the
source's own non-reconciliations as issues with their cells."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import pytest

import loaders

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "samples"
BAF = "bedfordshire_ccg_assurance_framework_2019-03-28.xlsx"
CRR = "bedfordshire_ccg_corporate_risk_register_2012-04-27.xlsx"
CP = "cambridgeshire_peterborough_ccg_improvement_delivery_plan_2018-19_m3.xlsx"
OCCG = "oxfordshire_ccg_assurance_framework_2020-04-21.xlsx"
SOUTHEND = "southend_ccg_improvement_delivery_plan_2019-03-14.xlsx"


@pytest.fixture(scope="module")
def results():
    if not SAMPLES.exists():
        pytest.skip("no sample workbooks")
    return {p.name: loaders.load_path(p) for p in sorted(SAMPLES.glob("*.xlsx"))}


def dataset(result, kind, sheet=None):
    found = [d for d in result.datasets if d.kind == kind and (sheet is None or d.sheet == sheet)]
    assert len(found) == 1, [(d.kind, d.sheet) for d in result.datasets]
    return found[0]


def issue(result, code, cell):
    everything = list(result.issues) + [i for d in result.datasets for i in d.issues]
    return [i for i in everything if i.code == code and i.cell == cell]


def triples(record):
    return tuple(
        (record[f"{s}_likelihood"], record[f"{s}_consequence"], record[f"{s}_score"])
        for s in ("initial", "current", "target")
    )


def test_every_sample_loads_with_no_errors(results):
    assert set(results) >= {BAF, CRR, CP, OCCG, SOUTHEND}
    for name, result in results.items():
        assert result.errors == [], name
        assert result.org and result.as_at, name
        assert result.datasets, name
        for d in result.datasets:
            assert d.error_count == 0, (name, d.kind, [i for i in d.issues if i.severity == "error"])
            for record in d.records:
                assert record["source"]["sheet"] == d.sheet and record["source"]["row"] > d.header_row


def test_organisations_and_as_at_dates(results):
    assert (results[BAF].org, results[BAF].as_at) == ("Bedfordshire CCG", "2019-03-28")
    assert results[CP].as_at == "2018-07-30"
    assert results[OCCG].as_at == "2020-04-21"
    assert results[CRR].as_at == "2012-04-27"
    assert results[SOUTHEND].as_at == "2019-03-14"


BAF_SCORES = {
    "1.1": ((3, 4, 12), (2, 2, 4), (1, 1, 1)),
    "1.2": ((3, 4, 12), (3, 3, 9), (1, 1, 1)),
    "1.3": ((5, 4, 20), (2, 4, 8), (2, 2, 4)),
    "1.4": ((4, 4, 16), (3, 4, 12), (3, 3, 9)),
    "2.1a": ((4, 4, 16), (4, 4, 16), (3, 4, 12)),
    "2.1b": ((4, 4, 16), (4, 4, 16), (3, 4, 12)),
    "3.1": ((4, 4, 16), (4, 4, 16), (3, 3, 9)),
    "4.1": ((2, 4, 8), (2, 3, 6), (1, 1, 1)),
    "5.1": ((4, 4, 16), (3, 4, 12), (1, 1, 1)),
    "5.2": ((4, 5, 20), (2, 4, 8), (1, 1, 1)),
    "5.3": ((4, 4, 16), (3, 4, 12), (1, 1, 1)),
}


def test_baf_principal_risks(results):
    risks = dataset(results[BAF], "risks")
    by_ref = {r["ref"]: r for r in risks.records}
    assert set(by_ref) == set(BAF_SCORES)
    for ref, expected in BAF_SCORES.items():
        assert triples(by_ref[ref]) == expected, ref
    assert by_ref["1.1"]["last_reviewed"] == "2019-01-23"
    assert by_ref["3.1"]["last_reviewed"] == "2019-03-28"
    assert all(r["scale"] == "5x5" for r in risks.records)
    assert not [i for i in risks.issues if i.severity != "info"]


OCCG_SCORES = {
    "AF28": ((4, 4, 16), (4, 4, 16), (2, 4, 8)),
    "AF29": ((4, 4, 16), (4, 4, 16), (2, 4, 8)),
    "AF31": ((3, 4, 12), (3, 4, 12), (2, 4, 8)),
    "AF32": ((4, 4, 16), (4, 4, 16), (3, 4, 12)),
    "AF33": ((4, 3, 12), (4, 3, 12), (3, 3, 9)),
    "AF35": ((4, 4, 16), (4, 4, 16), (1, 4, 4)),
}


def test_occg_word_levels_under_a_two_row_header(results):
    risks = dataset(results[OCCG], "risks")
    by_ref = {r["ref"]: r for r in risks.records}
    assert len(by_ref) == 8
    for ref, expected in OCCG_SCORES.items():
        assert triples(by_ref[ref]) == expected, ref
    assert by_ref["AF29"]["title"] is None
    assert by_ref["AF28"]["owner"] == "Quality Team (CCG), Sula Wiltshire"


def test_cp_operational_risks_and_the_section_117_score(results):
    risks = dataset(results[CP], "risks")
    assert len(risks.records) == 16
    by_title = {r["title"][:40]: r for r in risks.records}
    s117 = next(r for r in risks.records if r["title"].startswith("Failure to address Section 117"))
    assert triples(s117)[1] == (4, 4, 20)  # stated 20 kept beside 4 x 4
    mismatch = [i for i in risks.issues if i.code == "score_mismatch"]
    assert len(mismatch) == 1 and "20" in mismatch[0].message and "16" in mismatch[0].message
    assert mismatch[0].cell == f"'Operational Risks'!C{s117['source']['row']}"
    accurate = next(r for r in risks.records if r["title"].startswith("Failure to provide accurate data"))
    assert triples(accurate)[0] == (None, None, 16) and triples(accurate)[2] == (None, None, 12)
    engage = next(r for r in risks.records if r["title"].startswith("Failure to engage with Member"))
    assert (engage["initial_score"], engage["current_score"]) == (12, 16)
    assert engage["objective"] == "Stakeholder Management"
    assert Counter(r["objective"] for r in risks.records)["Service/Transformation Delivery"] == 7
    assert by_title  # titles keep the source's words


def test_crr_is_a_3x3_register(results):
    risks = dataset(results[CRR], "risks")
    assert len(risks.records) == 21
    assert all(r["scale"] == "3x3" for r in risks.records)
    by_ref = {r["ref"]: r for r in risks.records}
    assert (by_ref["4"]["initial_likelihood"], by_ref["4"]["initial_consequence"]) == (2, 3)
    assert by_ref["17"]["initial_score"] == 9
    residual = {"Low": "low", "Medium": "moderate", "High": "high"}
    source = "LMMLMMHMLMMLMMMMLMMLH"  # Residual Risk of IDs 1-21 in the source register
    assert [by_ref[str(n)]["current_band"] for n in range(1, 22)] == [
        residual[{"L": "Low", "M": "Medium", "H": "High"}[word]] for word in source
    ]
    assert all(r["current_score"] is None and r["current_likelihood"] is None for r in risks.records)
    flagged = {i.cell for i in risks.issues if i.code == "rating_mismatch"}
    for ref in ("8", "9", "12", "13"):
        assert f"'Corporate Risk Register'!G{by_ref[ref]['source']['row']}" in flagged


def test_qipp_schemes_reproduce_area_by_stage_and_rag(results):
    schemes = dataset(results[CP], "qipp_schemes").records
    assert len(schemes) == 55
    by_cell = defaultdict(lambda: [0, 0.0])
    for s in schemes:
        by_cell[(s["area"], s["stage"])][0] += 1
        by_cell[(s["area"], s["stage"])][1] += s["value"]
    assert by_cell[("Prescribing", 1)] == [11, 1955]
    assert by_cell[("Prescribing", 2)] == [13, 2047]
    assert by_cell[("Acute (PbR)", 3)] == [7, 437]
    assert by_cell[("Community / CSI", 0)] == [1, 600]
    assert sum(s["value"] for s in schemes if s["stage"] and s["area"] == "Prescribing") == 4923
    assert sum(s["value"] for s in schemes if s["stage"]) == 34491
    by_rag = defaultdict(float)
    for s in schemes:
        by_rag[(s["stage"] == 0, s["rag"])] += s["value"]
    assert by_rag == {(False, "red"): 2909, (False, "amber"): 2310, (False, "green"): 29272, (True, "red"): 600}


def test_qipp_targets_and_the_prescribing_total(results):
    result = results[CP]
    targets = {r["area"]: r["target"] for r in dataset(result, "qipp_targets").records}
    assert targets["Prescribing"] == 5700 and sum(targets.values()) == 35000
    assert "Totals" not in targets and "Planned" not in targets  # totals and memorandum rows are not loaded
    found = issue(result, "total_mismatch", "'QIPP by Area'!O7")
    assert found and "4,924" in found[0].message and "4,923" in found[0].message
    assert found[0].severity == "info"  # £1k: the source's rounding
    assert found[0] in dataset(result, "qipp_targets").issues  # kept with a dataset, so it is stored
    rag_checked = [i for i in dataset(result, "qipp_schemes").issues if i.code == "summary_agrees"]
    assert {i.cell for i in rag_checked} == {"QIPP RAG"}
    assert issue(result, "memorandum", "'QIPP by Area'!A18")
    assert not [i for i in result.issues if i.code == "summary_mismatch"]


def test_month_3_position(results):
    result = results[CP]
    lines = dataset(result, "finance_lines")
    by_line = {r["line"]: r for r in lines.records}
    acute = by_line["Acute Services"]
    assert (acute["ytd_budget"], acute["ytd_actual"], acute["ytd_variance"]) == (150553, 152529, -1976)
    assert (acute["annual_budget"], acute["forecast_outturn"], acute["forecast_variance"]) == (602156, 603914, -1758)
    assert by_line["Running Costs"]["forecast_variance"] == 0
    total = by_line["Total Expenditure"]
    assert total["is_total"] and total["ytd_budget"] == 304393 and total["ytd_variance"] == -818
    assert by_line["In year deficit"]["forecast_outturn"] == -35069 and not by_line["In year deficit"]["is_total"]
    assert all((r["financial_year"], r["month"]) == ("2018/19", 3) for r in lines.records)
    budget = issue(result, "total_mismatch", f"'M3 Position'!B{total['source']['row']}")
    assert budget and "304,393" in budget[0].message and "304,392" in budget[0].message
    totals = [i for i in lines.issues if i.code == "total_mismatch"]
    assert len(totals) == 4 and {i.severity for i in totals} == {"info"}  # each £1k: the source's rounding
    off_by_one = {i.cell for i in lines.issues if i.code == "variance_mismatch"}
    assert len(off_by_one) == 6
    assert not [i for i in lines.issues if i.severity != "info"]
    assert f"'M3 Position'!D{by_line['Mental Health Services']['source']['row']}" in off_by_one


def test_risks_and_mitigations(results):
    risks = dataset(results[CP], "finance_risks")
    by_item = {r["item"]: r for r in risks.records}
    total = by_item["Total Risk Position"]
    assert total["is_total"] and total["total_risk"] == -63250 and total["mitigated_risk"] == -38100
    assert by_item["DTOC Riskshare agreement"]["section"] == "Plan risks and mitigations"
    assert by_item["s.117 Backlog"]["mitigated_risk"] == -1400
    assert not by_item["Total CCG budget"]["is_total"]
    assert not [i for i in risks.issues if i.code == "total_mismatch"]


def test_financial_plan_bridge_in_thousands(results):
    result = results[CP]
    plan = dataset(result, "finance_plan")
    value = {(r["line"], r["plan_column"]): r["value"] for r in plan.records}
    assert value[("Acute", "2018/19 P Plan")] == 600814
    assert value[("Allocation", "17/18 FOT")] == 1149272
    assert any(i.code == "unit_mismatch" for i in plan.issues)
    assert {i.message.split(":")[1].split(" is")[0].strip() for i in plan.issues if i.code == "total_mismatch"} == {
        "Other reserves",
        "Planned QIP P",
    }
    assert {i.severity for i in plan.issues if i.code == "total_mismatch"} == {"warning"}  # real differences


def test_financial_challenge_in_millions(results):
    plan = dataset(results[CRR], "finance_plan")
    value = {(r["line"], r["plan_column"]): r["value"] for r in plan.records}
    assert len(plan.records) == 32
    assert value[("QIPP Challenge", "2012/13")] == 13680 and value[("Pay & Price Pressures", "Total")] == -16860
    assert plan.financial_year == "2012/13"


def test_activity_by_code_and_month(results):
    result = results[CP]
    monthly = dataset(result, "activity").records
    annual = {r["code"]: r for r in dataset(result, "activity_annual").records}
    assert len(monthly) == 144
    plan = {(r["code"], r["month"]): r["plan"] for r in monthly}
    assert plan[("E.M.7", "2018-04-01")] == 25761
    assert plan[("E.M.12", "2019-03-01")] == 27993
    assert annual["E.M.7"]["plan"] == 315252 and annual["E.M.7"]["do_nothing"] == 330640
    assert annual["E.M.11a"]["prior_outturn"] is None
    flagged = [i for i in dataset(result, "activity").issues if i.code == "total_mismatch"]
    assert len(flagged) == 9 and {i.severity for i in flagged} == {"info"}  # each ±1: the source's rounding
    assert any("E.M.7a" in i.message and "177,010" in i.message and "177,009" in i.message for i in flagged)


def test_cp_improvement_plan_actions(results):
    actions = dataset(results[CP], "actions").records
    assert len(actions) == 68
    labels = Counter(r["rag_label"] for r in actions)
    assert labels["Complete"] == 43 and labels["On-Track"] == 11
    assert labels["Delayed"] == 6 and labels["Not Started"] == 6
    rags = Counter(r["rag"] for r in actions)
    assert rags["blue"] == 43 and rags["green"] == 11 and rags["red"] == 6 and rags["grey"] == 6
    by_ref = {r["ref"]: r for r in actions}
    assert by_ref["1a"]["action"].startswith("GB to formally sign off")
    assert by_ref["2g"]["due_date"] == "2018-06-30" and by_ref["2g"]["due_text"] == "30-Jun"
    assert by_ref["3a"]["due_text"] == "Ongoing (Start in June)" and by_ref["3a"]["due_date"] is None
    assert by_ref["12c"]["rag_label"] == "STP AO/Chair decision to pause" and by_ref["12c"]["rag"] is None
    assert Counter(r["area"] for r in actions)["Leadership"] == 11


def test_southend_summary_and_last_report(results):
    result = results[SOUTHEND]
    summary = dataset(result, "action_summary").records
    current = [r for r in summary if r["report_date"] == "2019-03-14"]
    assert len(current) == 6
    assert [sum(r[c] for r in current) for c in ("red", "amber", "green", "blue")] == [3, 9, 8, 77]
    last = [r for r in summary if r["report_date"] == "2019-02-01"]
    assert len(last) == 1 and [last[0][c] for c in ("red", "amber", "green", "blue")] == [7, 9, 11, 70]
    assert last[0]["total"] == 97


def test_southend_actions_and_concerns(results):
    result = results[SOUTHEND]
    actions = {r["ref"]: r for r in dataset(result, "actions").records if r["ref"]}
    assert actions["1.10.2"]["rag"] == "red" and actions["1.3.2"]["rag"] == "green"
    assert actions["1.10.1"]["rag"] is None and actions["2.4"]["rag"] == "amber"
    assert "1.4" not in actions and "1.10" not in actions  # parent rows head their sub-actions
    assert actions["1.2"]["due_text"] == "May-18"
    concerns = dataset(result, "action_concerns")
    revised = [r for r in concerns.records if r["deadline_text"] == "30/11/18 (01/09/18)"]
    assert revised and revised[0]["due_date"] == "2018-11-30" and revised[0]["original_due_date"] == "2018-09-01"
    assert any(i.code == "duplicate_ref" and "2.8" in i.message for i in concerns.issues)
