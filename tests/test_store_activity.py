"""Activity: monthly plan and actuals across snapshots, year to date, annual figures, roll-up to parents."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import store
from analysis import activity as activity_analysis
from records import Dataset, WorkbookResult
from store import activity

ORG = "Cambridgeshire and Peterborough CCG"
MONTHS = pd.date_range("2018-04-01", periods=12, freq="MS")

# DATA_DICTIONARY section 4: the C&P activity plan 2018/19 (annual figures, then Apr..Mar).
CP_PLAN = """code|title|prior|do_nothing|qipp|plan|months
E.M.7|Total Referrals (Specific Acute)|318285|330640|-15388|315252|25761 27776 26576 27433 26199 24340 28016 27513 22285 27119 25088 27146
E.M.7a|Total GP Referrals (G&A)|178715|185649|-8640|177009|14778 15677 15025 15238 15072 13733 15699 15334 12070 15022 14116 15246
E.M.7b|Total Other Referrals (G&A)|139570|144991|-6748|138243|10983 12099 11551 12195 11127 10607 12317 12179 10215 12097 10972 11900
E.M.8|Consultant Led First Outpatient Attendances (Specific Acute)|346115|355707|-14381|341326|26950 29002 28350 28015 27169 26330 30290 31572 25236 30792 28184 29437
E.M.9|Consultant Led Follow-Up Outpatient Attendances (Specific Acute)|414136|420753|-15729|405024|31752 33409 33061 31964 32115 31481 36444 37768 30241 38219 33248 35321
E.M.10|Total Elective Admissions (Spells) (Specific Acute)|103535|110452|-1983|108469|8696 9271 8897 9179 9228 8440 9857 9591 7860 9511 8682 9256
E.M.10a|Total Elective Admissions - Day Cases|86649|90797|-1532|89265|7173 7617 7299 7565 7640 6962 8125 7864 6473 7908 7102 7537
E.M.10b|Total Elective Admissions - Ordinary|16886|19655|-451|19204|1523 1654 1598 1614 1588 1478 1732 1727 1387 1603 1580 1719
E.M.11|Total Non-Elective Admissions (Spells) (Specific Acute)|85708|89176|0|89176|7138 7478 7356 7543 7149 7267 7566 7465 7823 7561 7006 7825
E.M.11a|Total Non-Elective Admissions - 0 LoS||25437|0|25437|2001 2079 2134 2130 2027 2054 2136 2194 2293 2077 2015 2297
E.M.11b|Total Non-Elective Admissions - +1 LoS||63739|0|63739|5137 5399 5222 5413 5122 5213 5430 5271 5530 5484 4991 5528
E.M.12|Total A&E Attendances excluding planned follow ups|303404|318066|0|318066|25826 27582 26788 28240 25913 25588 27207 26316 26695 25513 24404 27993
"""


def cp_plan() -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(CP_PLAN), sep="|", dtype={"code": str})
    frame["months"] = frame["months"].map(lambda s: [float(v) for v in s.split()])
    return frame


def activity_result(
    sha: str,
    as_at: str,
    actuals: dict | None = None,
    org_plan: pd.DataFrame | None = None,
    annual: bool = True,
    synthetic: bool = False,
    org: str = ORG,
) -> WorkbookResult:
    """The C&P plan with ``actuals`` = {code: [Apr, May, ...]} (the months given so far)."""
    plan = cp_plan() if org_plan is None else org_plan
    monthly_records, annual_records = [], []
    for row_number, row in enumerate(plan.itertuples(index=False), start=5):
        values = (actuals or {}).get(row.code, [])
        for i, month in enumerate(MONTHS):
            monthly_records.append(
                {
                    "code": row.code,
                    "title": row.title,
                    "month": month.date().isoformat(),
                    "plan": row.months[i],
                    "actual": values[i] if i < len(values) else None,
                    "source": {"sheet": "Activity", "row": row_number},
                }
            )
        annual_records.append(
            {
                "code": row.code,
                "title": row.title,
                "prior_outturn": None if pd.isna(row.prior) else row.prior,
                "do_nothing": row.do_nothing,
                "qipp": row.qipp,
                "plan": row.plan,
                "source": {"sheet": "Activity", "row": row_number},
            }
        )
    datasets = [Dataset("activity", "Activity", 4, monthly_records)]
    if annual:
        datasets.append(Dataset("activity_annual", "Activity", 4, annual_records))
    return WorkbookResult(f"activity-{as_at}.xlsx", sha, org=org, as_at=as_at, synthetic=synthetic, datasets=datasets)


def children_actuals(months: int, bump: float = 0) -> dict:
    """Actuals 2% under plan for the first ``months`` months, parents the sum of their children."""
    plan = cp_plan().set_index("code")["months"]
    actuals = {code: [round(v * 0.98) + bump for v in plan[code][:months]] for code in plan.index}
    for parent, kids in {
        "E.M.7": ["E.M.7a", "E.M.7b"],
        "E.M.10": ["E.M.10a", "E.M.10b"],
        "E.M.11": ["E.M.11a", "E.M.11b"],
    }.items():
        actuals[parent] = [sum(vals) for vals in zip(*(actuals[k] for k in kids), strict=True)]
    return actuals


def load_history(con, org: str = ORG, synthetic: bool = False) -> None:
    """Three monthly workbooks: plan only (June), actuals Apr-May (July), Apr-Jun with May restated (August)."""
    store.ingest(con, activity_result(f"{org}-a", "2018-06-30", org=org, synthetic=synthetic))
    store.ingest(con, activity_result(f"{org}-b", "2018-07-31", children_actuals(2), org=org, synthetic=synthetic))
    restated = children_actuals(3)
    restated["E.M.12"][1] += 100
    store.ingest(con, activity_result(f"{org}-c", "2018-08-31", restated, org=org, synthetic=synthetic))


def test_codes_roll_up_to_parents():
    assert activity_analysis.parent_code("E.M.7a") == "E.M.7"
    assert activity_analysis.parent_code("E.M.10b") == "E.M.10"
    assert activity_analysis.parent_code("E.M.10") is None
    assert activity_analysis.parent_code(None) is None


def test_improvement_direction_from_configuration_and_parent():
    assert activity_analysis.improvement_direction("E.M.7") == "decrease"
    assert activity_analysis.improvement_direction("E.M.11a") == "decrease"
    assert activity_analysis.improvement_direction("E.M.10b") == "increase"
    assert activity_analysis.improvement_direction("X.9") == "neutral"  # not configured: the default


def test_financial_year():
    assert activity_analysis.financial_year("2018-04-01") == "2018/19"
    assert activity_analysis.financial_year("2019-03-01") == "2018/19"
    assert activity_analysis.financial_year("2019-04-01") == "2019/20"


def test_measures_in_code_order(con):
    store.ingest(con, activity_result("a", "2018-06-30"))
    frame = activity.measures(con, ORG)
    assert frame["code"].tolist()[:4] == ["E.M.7", "E.M.7a", "E.M.7b", "E.M.8"]
    assert frame["code"].tolist()[-1] == "E.M.12"
    assert frame.set_index("code").loc["E.M.10a", "parent"] == "E.M.10"


def test_monthly_plan_matches_the_source(con):
    store.ingest(con, activity_result("a", "2018-06-30"))
    frame = activity.monthly(con, ORG, "E.M.7")
    assert len(frame) == 12
    assert frame["plan"].sum() == 315252
    assert frame["plan"].iloc[0] == 25761 and frame["plan"].iloc[-1] == 27146
    assert frame["actual"].isna().all()


def test_each_month_takes_its_actual_from_the_latest_snapshot_that_has_it(con):
    load_history(con)
    frame = activity.monthly(con, ORG, "E.M.12").set_index("month")
    expected = children_actuals(3)["E.M.12"]
    assert frame.loc["2018-04-01", "actual"] == expected[0]
    assert frame.loc["2018-05-01", "actual"] == expected[1] + 100  # the August restatement wins
    assert frame.loc["2018-06-01", "actual"] == expected[2]
    assert pd.isna(frame.loc["2018-07-01", "actual"])
    assert str(frame.loc["2018-04-01", "actual_as_at"])[:10] == "2018-08-31"
    assert bool(frame.loc["2018-05-01", "restated"]) and not bool(frame.loc["2018-04-01", "restated"])


def test_an_older_snapshot_still_supplies_months_a_newer_one_lacks(con):
    store.ingest(con, activity_result("b", "2018-07-31", children_actuals(2)))
    store.ingest(con, activity_result("c", "2018-08-31", {}))  # a newer plan without actuals
    frame = activity.monthly(con, ORG, "E.M.8")
    assert frame["actual"].notna().sum() == 2
    assert set(frame["actual_as_at"].dropna().astype(str).str[:10]) == {"2018-07-31"}


def test_year_to_date_is_like_for_like(con):
    load_history(con)
    ytd = activity_analysis.year_to_date(activity.monthly(con, ORG)).set_index("code")
    plan = cp_plan().set_index("code")["months"]
    row = ytd.loc["E.M.8"]
    assert row["months"] == 3
    assert row["plan_ytd"] == sum(plan["E.M.8"][:3])
    assert row["actual_ytd"] == sum(children_actuals(3)["E.M.8"])
    assert row["variance"] == row["actual_ytd"] - row["plan_ytd"]
    assert row["variance_pct"] == pytest.approx(row["variance"] / row["plan_ytd"] * 100)
    assert row["variance_pct"] == pytest.approx(-2, abs=0.05)
    assert ytd.loc["E.M.12", "restated_months"] == "May 2018"


def test_year_to_date_lists_a_missing_month_rather_than_counting_zero(con):
    actuals = children_actuals(3)
    actuals["E.M.9"][1] = None
    store.ingest(con, activity_result("x", "2018-08-31", actuals))
    row = activity_analysis.year_to_date(activity.monthly(con, ORG, "E.M.9")).iloc[0]
    plan = cp_plan().set_index("code")["months"]["E.M.9"]
    assert row["months"] == 2
    assert row["plan_ytd"] == plan[0] + plan[2]
    assert row["missing_months"] == "May 2018"


def test_cumulative_plan_and_actual(con):
    load_history(con)
    frame = activity_analysis.cumulative(activity.monthly(con, ORG, "E.M.7"))
    assert frame["cumulative_plan"].iloc[-1] == 315252
    assert frame["cumulative_actual"].notna().sum() == 3
    assert frame["cumulative_actual"].iloc[2] == sum(children_actuals(3)["E.M.7"])


def test_annual_figures_and_the_sources_own_rounding(con):
    store.ingest(con, activity_result("a", "2018-06-30"))
    frame = activity_analysis.annual(activity.annual_rows(con, ORG), activity.monthly(con, ORG)).set_index("code")
    assert frame.loc["E.M.7", "do_nothing"] == 330640 and frame.loc["E.M.7", "qipp"] == -15388
    assert (frame["qipp_check"] == 0).all()  # DATA_DICTIONARY check 19
    # Check 20: Apr-Mar sums equal the plan only for 7, 10a and 11a.
    assert frame["months_check"].to_dict() == {
        "E.M.7": 0,
        "E.M.7a": 1,
        "E.M.7b": -1,
        "E.M.8": 1,
        "E.M.9": -1,
        "E.M.10": -1,
        "E.M.10a": 0,
        "E.M.10b": -1,
        "E.M.11": 1,
        "E.M.11a": 0,
        "E.M.11b": 1,
        "E.M.12": -1,
    }
    assert pd.isna(frame.loc["E.M.11a", "prior_outturn"])
    severity = frame["check_severity"]  # ±1 is the source's rounding: information, not a warning
    assert set(severity[frame["months_check"] != 0]) == {"info"} and severity[frame["months_check"] == 0].isna().all()


def test_children_roll_up_to_parents_in_the_cp_plan(con):
    load_history(con)
    monthly = activity.monthly(con, ORG)
    checks = activity_analysis.rollup(monthly, activity_analysis.annual(activity.annual_rows(con, ORG), monthly))
    assert set(checks["parent"]) == {"E.M.7", "E.M.10", "E.M.11"}
    assert checks["matches"].all()
    annual = checks[checks["month"].isna()]
    # prior outturn is blank for 11a and 11b, so that one comparison cannot be made
    assert len(annual) == 3 * 4 - 1
    assert len(checks[(checks["field"] == "actual")]) == 3 * 3


def test_a_child_that_does_not_add_up_is_reported(con):
    plan = cp_plan()
    plan.at[1, "months"] = [v + (5 if i == 3 else 0) for i, v in enumerate(plan.at[1, "months"])]
    plan.loc[plan["code"] == "E.M.10b", "plan"] = 19000
    store.ingest(con, activity_result("m", "2018-06-30", org_plan=plan))
    monthly = activity.monthly(con, ORG)
    checks = activity_analysis.rollup(monthly, activity_analysis.annual(activity.annual_rows(con, ORG), monthly))
    bad = checks[~checks["matches"]]
    assert len(bad) == 2
    july = bad[bad["field"] == "plan"].iloc[0]
    assert july["parent"] == "E.M.7" and str(july["month"])[:10] == "2018-07-01" and july["difference"] == -5
    annual_bad = bad[bad["month"].isna()].iloc[0]
    assert annual_bad["parent"] == "E.M.10" and annual_bad["difference"] == 204
    assert set(bad["severity"]) == {"warning"}


def test_side_by_side_for_several_organisations(con):
    load_history(con)
    load_history(con, org="Example CCG", synthetic=True)
    frame = activity_analysis.side_by_side(activity.monthly(con, [ORG, "Example CCG"], "E.M.8"), "E.M.8")
    assert set(frame["organisation"]) == {ORG, "Example CCG"}
    assert len(frame) == 24
    assert frame["actual_pct_of_plan"].dropna().between(97, 99).all()


def test_nothing_loaded(con):
    assert activity.monthly(con, ORG).empty
    assert activity_analysis.annual(activity.annual_rows(con, ORG), activity.monthly(con, ORG)).empty
    assert activity.measures(con, ORG).empty
    assert activity_analysis.year_to_date(activity.monthly(con, ORG)).empty


# Golden tests on the sample workbooks (DATA_DICTIONARY section 4, checks 19 and 20).


def test_sample_cp_activity_plan(sample_con):
    monthly = activity.monthly(sample_con, ORG)
    plan = cp_plan().set_index("code")["months"]
    assert len(monthly) == 144
    for code, months in plan.items():
        assert monthly[monthly["code"] == code]["plan"].tolist() == months
    annual = activity_analysis.annual(activity.annual_rows(sample_con, ORG), monthly).set_index("code")
    assert (annual["qipp_check"] == 0).all()
    assert annual["months_check"].to_dict() == {
        "E.M.7": 0,
        "E.M.7a": 1,
        "E.M.7b": -1,
        "E.M.8": 1,
        "E.M.9": -1,
        "E.M.10": -1,
        "E.M.10a": 0,
        "E.M.10b": -1,
        "E.M.11": 1,
        "E.M.11a": 0,
        "E.M.11b": 1,
        "E.M.12": -1,
    }
    checks = activity_analysis.rollup(monthly, annual.reset_index())
    assert len(checks) == 3 * 12 + 3 * 4 - 1 and checks["matches"].all()
