"""Finance aggregations: month-N position by role, totals checked, deficit, trend, risks and plan."""

from __future__ import annotations

import pytest

import config
import store
from analysis import finance as finance_analysis
from records import Dataset, WorkbookResult
from store import finance

ORG = "Cambridgeshire and Peterborough CCG"

# DATA_DICTIONARY 2.2, Month 3 position (GBP thousands, favourable positive)
M3_LINES = [
    ("Allocation", 295625, 295625, 0, 1184770, 1184770, 0, False),
    ("Acute Services", 150553, 152529, -1976, 602156, 603914, -1758, False),
    ("Mental Health Services", 29307, 30013, -707, 117227, 119658, -2431, False),
    ("Community Services", 25699, 25876, -176, 102798, 102999, -200, False),
    ("Continuing Care", 17058, 16754, 305, 68234, 67271, 963, False),
    ("Primary Care", 66491, 65681, 810, 268836, 268396, 441, False),
    ("Other", 10176, 9178, 998, 40156, 37169, 2986, False),
    ("Running Costs", 5108, 5179, -71, 20432, 20432, 0.0, False),
    ("Total Expenditure", 304393, 305210, -818, 1219839, 1219839, 0, True),
    ("In year deficit", -8767, -9585, -818, -35069, -35069, 0, True),
]
FIELDS = [
    "line",
    "ytd_budget",
    "ytd_actual",
    "ytd_variance",
    "annual_budget",
    "forecast_outturn",
    "forecast_variance",
    "is_total",
]


def finance_result(sha: str, month: int, lines=M3_LINES, extra: list[Dataset] | None = None) -> WorkbookResult:
    records = [
        {
            **dict(zip(FIELDS, values, strict=True)),
            "financial_year": "2018/19",
            "month": month,
            "source": {"sheet": "Month 3 Position", "row": 5 + n},
        }
        for n, values in enumerate(lines)
    ]
    datasets = [Dataset("finance_lines", "Month 3 Position", 4, records, financial_year="2018/19"), *(extra or [])]
    return WorkbookResult(file=f"fin-{sha}.xlsx", sha256=sha, org=ORG, as_at="2018-07-30", datasets=datasets)


@pytest.fixture
def m3_con(con):
    store.ingest(con, finance_result("m3", 3))
    return con


def test_months_are_labelled_and_dated_month_end(m3_con):
    months = finance.months(m3_con, ORG)
    assert list(months["label"]) == ["Month 3 2018/19"]
    assert str(months["as_at"].iloc[0]) == "2018-06-30"


def test_position_gives_each_line_its_role(m3_con):
    frame = finance.position(m3_con, ORG, finance.months(m3_con, ORG)["as_at"].iloc[0])
    roles = dict(zip(frame["line"], frame["role"], strict=True))
    assert roles["Allocation"] == "income"
    assert roles["Acute Services"] == "expenditure"
    assert roles["Total Expenditure"] == "total"
    assert roles["In year deficit"] == "derived"
    assert frame.loc[frame["line"] == "Acute Services", "ytd_variance"].item() == -1976


def test_total_checks_show_stated_and_summed_where_they_differ(m3_con):
    frame = finance.position(m3_con, ORG, finance.months(m3_con, ORG)["as_at"].iloc[0])
    checks = finance_analysis.total_checks(frame)
    by = {(r.line, r.measure): r for r in checks.itertuples()}
    budget = by[("Total Expenditure", "ytd_budget")]
    assert (budget.stated, budget.calculated, budget.difference, budget.agrees) == (304393, 304392, 1, False)
    assert by[("Total Expenditure", "ytd_actual")].agrees
    assert by[("Total Expenditure", "ytd_variance")].calculated == -817
    assert by[("Total Expenditure", "forecast_variance")].calculated == 1
    assert by[("Total Expenditure", "annual_budget")].agrees and by[("Total Expenditure", "forecast_outturn")].agrees
    deficit = by[("In year deficit", "ytd_budget")]
    assert (deficit.stated, deficit.calculated) == (-8767, 295625 - 304393)
    assert by[("In year deficit", "ytd_variance")].agrees and by[("In year deficit", "forecast_outturn")].agrees
    disagreeing = set(checks.loc[~checks["agrees"], "measure"] + "@" + checks.loc[~checks["agrees"], "line"])
    assert disagreeing == {
        "ytd_budget@Total Expenditure",
        "ytd_variance@Total Expenditure",
        "forecast_variance@Total Expenditure",
        "ytd_budget@In year deficit",
    }
    assert set(checks.loc[~checks["agrees"], "severity"]) == {"info"}  # each is £1k: the source's rounding


def test_a_total_beyond_the_source_rounding_is_a_warning(m3_con, monkeypatch):
    frame = finance.position(m3_con, ORG, finance.months(m3_con, ORG)["as_at"].iloc[0])
    frame.loc[frame["line"] == "Total Expenditure", "ytd_actual"] += 2
    severity = finance_analysis.total_checks(frame).set_index(["line", "measure"])["severity"]
    assert severity[("Total Expenditure", "ytd_actual")] == "warning"
    assert severity[("Total Expenditure", "ytd_budget")] == "info"
    monkeypatch.setattr(config, "total_rounding", lambda: 0.0)
    severity = finance_analysis.total_checks(frame).set_index(["line", "measure"])["severity"]
    assert severity[("Total Expenditure", "ytd_budget")] == "warning"


def test_headline_comes_from_the_total_row_and_the_deficit_line(m3_con):
    frame = finance.position(m3_con, ORG, finance.months(m3_con, ORG)["as_at"].iloc[0])
    head = finance_analysis.headline(frame)
    assert head["basis"] == "Total Expenditure"
    assert (head["ytd_variance"], head["forecast_variance"]) == (-818, 0)
    assert head["deficit"]["ytd_budget"] == -8767 and head["deficit"]["ytd_actual"] == -9585
    assert head["deficit"]["annual_budget"] == -35069


def test_without_a_total_row_the_lines_are_summed(con):
    lines = [row for row in M3_LINES if row[0] not in ("Total Expenditure", "In year deficit")]
    store.ingest(con, finance_result("nt", 3, lines))
    frame = finance.position(con, ORG, finance.months(con, ORG)["as_at"].iloc[0])
    head = finance_analysis.headline(frame)
    assert head["basis"] == "sum of lines" and head["ytd_budget"] == 304392 and head["deficit"] is None
    assert finance_analysis.total_checks(frame).empty


def test_trend_across_months(m3_con):
    month4 = [(r[0], *(v * 4 / 3 if isinstance(v, int | float) else v for v in r[1:-1]), r[-1]) for r in M3_LINES]
    month4[8] = ("Total Expenditure", 405000, 407000, -2000, 1219839, 1220839, -1000, True)
    store.ingest(m3_con, finance_result("m4", 4, month4))
    trend = finance_analysis.trend(finance.lines(m3_con, ORG))
    assert list(trend["label"]) == ["Month 3 2018/19", "Month 4 2018/19"]
    assert list(trend["ytd_variance"]) == [-818, -2000]
    assert list(trend["forecast_variance"]) == [0, -1000]


def test_position_issues_are_those_of_the_month(con):
    from records import Issue

    result = finance_result("iss", 3)
    result.datasets[0].issues.append(Issue("warning", "total_mismatch", "Month 3 Position!B13", "YTD budget differs."))
    store.ingest(con, result)
    issues = finance.position_issues(con, ORG, finance.months(con, ORG)["as_at"].iloc[0])
    assert list(issues["cell"]) == ["Month 3 Position!B13"]


def test_risks_and_plan_from_their_latest_snapshot(con):
    risk_rows = [
        ("Plan risks and mitigations", "Acute Activity", -4000, 0, 0, 0, False),
        ("Plan risks and mitigations", "DTOC Riskshare agreement", -1900, -200, 0, -200, False),
        (None, "Total Risk Position", -5900, -200, 0, -200, True),
    ]
    risk_records = [
        {
            **dict(
                zip(
                    ["section", "item", "total_risk", "mitigated_risk", "in_forecast", "residual_risk", "is_total"],
                    r,
                    strict=True,
                )
            ),
            "source": {"sheet": "Risks", "row": 3 + n},
        }
        for n, r in enumerate(risk_rows)
    ]
    plan_records = [
        {"line": line, "plan_column": col, "value": v, "is_total": tot, "source": {"sheet": "Plan", "row": row}}
        for line, row, tot, values in [
            ("Acute", 5, False, {"17/18 FOT": 584262, "Growth": 23367, "2018/19 Plan": 600814}),
            ("Total spend", 6, True, {"17/18 FOT": 1197472, "Growth": 43573, "2018/19 Plan": 1216091}),
        ]
        for col, v in values.items()
    ]
    extra = [Dataset("finance_risks", "Risks", 2, risk_records), Dataset("finance_plan", "Plan", 4, plan_records)]
    store.ingest(con, finance_result("rp", 3, extra=extra))
    as_at, risks = finance.risks(con, ORG)
    assert str(as_at) == "2018-07-30" and list(risks["item"]) == [r[1] for r in risk_rows]
    _, plan = finance.plan(con, ORG)
    assert list(plan.columns) == ["line", "is_total", "17/18 FOT", "Growth", "2018/19 Plan"]
    assert list(plan["line"]) == ["Acute", "Total spend"] and plan["2018/19 Plan"].iloc[0] == 600814


def test_empty_store(con):
    assert finance.months(con, ORG).empty
    assert finance_analysis.trend(finance.lines(con, ORG)).empty
    as_at, risks = finance.risks(con, ORG)
    assert as_at is None and risks.empty
    assert finance.plan(con, ORG)[1].empty


def _sample_org(sample_con, word: str) -> str:
    from tests.conftest import SAMPLES

    if not any(SAMPLES.glob("*.xlsx")):
        pytest.skip("the sample workbooks have not been built")
    names = [n for n in store.organisations(sample_con)["name"] if word.lower() in n.lower()]
    assert names, f"no sample organisation named like {word!r}"
    return names[0]


def test_golden_cambridgeshire_month_3(sample_con):
    org = _sample_org(sample_con, "Cambridgeshire")
    months = finance.months(sample_con, org)
    assert list(months["label"]) == ["Month 3 2018/19"]
    frame = finance.position(sample_con, org, months["as_at"].iloc[0])
    lines = frame.set_index("line")
    for line, *values in [row[:7] for row in M3_LINES]:
        assert [lines.loc[line, m] for m in finance_analysis.MEASURES] == values, line
    head = finance_analysis.headline(frame)
    assert (head["ytd_variance"], head["forecast_variance"]) == (-818, 0)
    assert (head["deficit"]["ytd_budget"], head["deficit"]["ytd_actual"]) == (-8767, -9585)
    checks = finance_analysis.total_checks(frame)
    budget = checks[(checks["line"] == "Total Expenditure") & (checks["measure"] == "ytd_budget")].iloc[0]
    assert (budget["stated"], budget["calculated"], budget["agrees"]) == (304393, 304392, False)
    assert set(checks.loc[checks["agrees"], "measure"]) >= {"ytd_actual", "annual_budget", "forecast_outturn"}


def test_golden_cambridgeshire_risks_and_plan(sample_con):
    org = _sample_org(sample_con, "Cambridgeshire")
    _, risks = finance.risks(sample_con, org)
    items = risks.set_index("item")
    assert items.loc["Acute Activity", "total_risk"] == -4000
    assert items.loc["DTOC Riskshare agreement", "mitigated_risk"] == -200
    total = risks[risks["item"] == "Total Risk Position"].iloc[0]
    assert (round(total["total_risk"]), round(total["mitigated_risk"])) == (-63250, -38100)
    _, plan = finance.plan(sample_con, org)
    assert list(plan.columns[2:]) == [
        "17/18 FOT",
        "2017/18 Recurrent Exit position",
        "Increase in allocation",
        "Tariff Inflation/ Inflation",
        "Growth",
        "M HIS & GPFV",
        "Other recurrent investments",
        "Non-recurrent investments",
        "Contingency",
        "Other reserves",
        "Planned QIP P",
        "2018/19 P Plan",
    ]
    acute = list(plan[plan["line"] == "Acute"].iloc[0, 2:])
    assert acute[:2] == [584262, 581292] and 600814 in acute
    assert 1216091 in list(plan[plan["line"] == "Total spend"].iloc[0, 2:])


def test_plan_columns_keep_the_source_order_when_rows_have_gaps(con):
    rows = [
        ("Allocation", 5, ["FOT", "Increase", "Plan"]),
        ("Acute", 6, ["FOT", "Growth", "QIPP", "Plan"]),
        ("Total", 7, ["FOT", "Increase", "Growth", "QIPP", "Plan"]),
    ]
    records = [
        {
            "line": line,
            "plan_column": col,
            "value": 1,
            "is_total": line == "Total",
            "source": {"sheet": "Plan", "row": r},
        }
        for line, r, cols in rows
        for col in cols
    ]
    store.ingest(con, finance_result("gap", 3, extra=[Dataset("finance_plan", "Plan", 4, records)]))
    _, plan = finance.plan(con, ORG)
    assert list(plan.columns[2:]) == ["FOT", "Increase", "Growth", "QIPP", "Plan"]
    assert plan["Increase"].isna().tolist() == [False, True, False]
