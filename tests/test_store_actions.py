"""Improvement-plan actions: completion trend from rows and summaries, disagreements, areas, overdue, concerns."""

from __future__ import annotations

import pandas as pd
import pytest

import store
from analysis import completion, wording
from records import Dataset, WorkbookResult
from store import actions

SOUTHEND = "Southend CCG"
AS_AT = "2019-03-14"
AREAS = [
    "1. Leadership, Structure & OD",
    "2. Financial Management/ Recovery",
    "3. Governance and reporting arrangements",
    "4. Commissioning and Contracting",
    "5. Joint Committee/ System Working",
    "6. CCG Annual Assessment Areas for Improvement/ other External Recommendations",
]
# Action rows by area as the Southend pack's rows give them (DATA_DICTIONARY 5.2, check 23): area 1 has
# B27/G1/R1 and four rows without a letter, area 3 G3/B15/A1, against the summary's B25 and G2/B16.
ROW_LETTERS = {
    1: {"B": 27, "G": 1, "R": 1, "": 4},
    2: {"A": 1, "B": 10, "G": 1, "R": 1},
    3: {"A": 1, "B": 15, "G": 3},
    4: {"B": 4, "G": 1, "R": 1},
    5: {"B": 4, "G": 1},
    6: {"A": 7, "B": 18, "G": 2},
}
LETTER_RAG = {"B": "blue", "G": "green", "A": "amber", "R": "red", "": None}
# The pack's summary: (area, red, amber, green, blue); the last report is one row for the whole plan.
SUMMARY = [
    ("1. Leadership, Structure &OD", 1, 0, 1, 25),
    ("2. Financial Management/ Recovery", 1, 1, 1, 10),
    ("3. Governance and reporting arrangements", 0, 1, 2, 16),
    ("4. Commissioning and Contracting", 1, 0, 1, 4),
    ("5. Joint Committee/ System Working", 0, 0, 1, 4),
    ("6. CCG Annual Assessment Areas for Improvement/ other External Recommendations", 0, 7, 2, 18),
]
LAST_REPORT = ("Last report (01/02/19)", "2019-02-01", 7, 9, 11, 70)


def southend_rows(due_for=None) -> list[dict]:
    records, row = [], 10
    for area, letters in ROW_LETTERS.items():
        n = 0
        for letter, count in letters.items():
            for _ in range(count):
                n += 1
                due = (due_for or {}).get((area, n))
                records.append(
                    {
                        "ref": f"{area}.{n}",
                        "area": AREAS[area - 1],
                        "action": f"Action {area}.{n}",
                        "owner": "AO (CG)" if area == 1 else "CFO (MB)",
                        "due_text": due or "",
                        "due_date": due,
                        "original_due_date": None,
                        "rag_label": letter or None,
                        "rag": LETTER_RAG[letter],
                        "status": None,
                        "updated": "2019-03-10",
                        "source": {"sheet": "Area", "row": row},
                    }
                )
                row += 1
    return records


def summary_rows() -> list[dict]:
    records = [
        {
            "report_date": AS_AT,
            "area": area,
            "red": r,
            "amber": a,
            "green": g,
            "blue": b,
            "grey": None,
            "total": r + a + g + b,
            "source": {"sheet": "Summary", "row": 5 + i},
        }
        for i, (area, r, a, g, b) in enumerate(SUMMARY)
    ]
    label, date, r, a, g, b = LAST_REPORT
    records.append(
        {
            "report_date": date,
            "area": label,
            "red": r,
            "amber": a,
            "green": g,
            "blue": b,
            "grey": None,
            "total": r + a + g + b,
            "source": {"sheet": "Summary", "row": 13},
        }
    )
    return records


CONCERNS = [
    {
        "ref": "1.1",
        "action": "To undertake governance review",
        "deadline_text": "30/11/18 (01/09/18)",
        "due_date": "2018-11-30",
        "original_due_date": "2018-09-01",
        "concern": "Overdue",
        "first_raised": "01-Sep",
        "status": "Open",
        "source": {"sheet": "Concerns", "row": 4},
    },
    {
        "ref": "2.6",
        "action": "Provide budget holder training",
        "deadline_text": "30/11/2018 (01/10/18)",
        "due_date": "2018-11-30",
        "original_due_date": "2018-10-01",
        "concern": "Overdue",
        "first_raised": "1st Oct",
        "status": "Open",
        "source": {"sheet": "Concerns", "row": 5},
    },
]


def southend_result(
    sha="southend", rows=None, summary=True, concerns=True, org=SOUTHEND, as_at=AS_AT, synthetic=False
) -> WorkbookResult:
    datasets = [Dataset("actions", "Area", 9, southend_rows() if rows is None else rows)]
    if summary:
        datasets.append(Dataset("action_summary", "Summary", 4, summary_rows()))
    if concerns:
        datasets.append(Dataset("action_concerns", "Concerns", 3, CONCERNS))
    return WorkbookResult(f"{sha}.xlsx", sha, org=org, as_at=as_at, synthetic=synthetic, datasets=datasets)


@pytest.fixture
def southend(con):
    store.ingest(con, southend_result())
    return con


def test_area_keys_match_across_tables():
    assert (
        completion.area_key("1. Leadership, Structure &OD")
        == completion.area_key("1. Leadership, Structure & OD")
        == "1"
    )
    assert completion.area_key("1") == completion.area_key(1) == completion.area_key(1.0) == "1"
    assert completion.area_key("Governance") == "governance"


def test_southend_trend_summary_for_the_last_report_rows_for_the_current(southend):
    trend = actions.completion_trend(southend, SOUTHEND)
    assert trend["report_date"].dt.strftime("%Y-%m-%d").tolist() == ["2019-02-01", AS_AT]
    before, now = trend.iloc[0], trend.iloc[1]
    assert before["source"] == "summary"
    assert [before[c] for c in ("red", "amber", "green", "blue", "total")] == [7, 9, 11, 70, 97]
    assert before["pct_complete"] == pytest.approx(70 / 97 * 100)
    assert now["source"] == "rows"
    assert [now[c] for c in ("red", "amber", "green", "blue", "unrated")] == [3, 9, 9, 78, 4]
    assert now["rated"] == 99 and now["total"] == 103
    assert now["pct_complete"] == pytest.approx(78 / 99 * 100)


def test_southend_headline(southend):
    assert wording.actions_headline(actions.completion_trend(southend, SOUTHEND)) == "78.8% complete, up from 72.2%"


def test_headline_wording():
    trend = pd.DataFrame({"report_date": pd.to_datetime(["2019-01-01", "2019-02-01"]), "pct_complete": [50.0, 40.2]})
    assert wording.actions_headline(trend) == "40.2% complete, down from 50.0%"
    assert wording.actions_headline(trend.iloc[:1]) == "50.0% complete"
    assert (
        wording.actions_headline(trend.assign(pct_complete=[40.0, 40.04]))
        == "40.0% complete, unchanged since the last report"
    )


def test_summary_only_trend_uses_the_area_rows_not_a_total_too(con):
    records = summary_rows() + [
        {
            "report_date": AS_AT,
            "area": "<b>Total</b>",
            "red": 3,
            "amber": 9,
            "green": 8,
            "blue": 77,
            "grey": None,
            "total": 97,
            "source": {"sheet": "Summary", "row": 12},
        }
    ]
    result = WorkbookResult(
        "s.xlsx", "s", org=SOUTHEND, as_at=AS_AT, datasets=[Dataset("action_summary", "Summary", 4, records)]
    )
    store.ingest(con, result)
    trend = actions.completion_trend(con, SOUTHEND)
    assert trend["source"].tolist() == ["summary", "summary"]
    assert trend.iloc[1][["red", "amber", "green", "blue", "total"]].tolist() == [3, 9, 8, 77, 97]
    assert wording.actions_headline(trend) == "79.4% complete, up from 72.2%"


def test_rows_and_summary_disagree_in_areas_1_and_3(southend):
    compared = actions.rows_vs_summary(southend, SOUTHEND)
    assert len(compared) == 6
    mismatched = compared[~compared["matches"]]
    assert [completion.area_key(a) for a in mismatched["area"]] == ["1", "3"]
    area1 = mismatched.iloc[0]
    assert (area1["blue_rows"], area1["blue_summary"], area1["unrated_rows"]) == (27, 25, 4)
    area3 = mismatched.iloc[1]
    assert (area3["green_rows"], area3["green_summary"], area3["blue_rows"], area3["blue_summary"]) == (3, 2, 15, 16)


def test_by_area(southend):
    areas = completion.by_area(actions.actions(southend, SOUTHEND)).set_index("area")
    assert list(areas.index) == AREAS
    assert areas.loc[AREAS[5], ["amber", "blue", "green"]].tolist() == [7, 18, 2]
    assert areas["total"].sum() == 103


def test_completion_from_status_when_there_is_no_rag(con):
    rows = [
        {
            "ref": "12.a",
            "area": "Improvement Plan",
            "action": "a",
            "owner": "AO",
            "due_text": "NA",
            "due_date": None,
            "original_due_date": None,
            "rag_label": None,
            "rag": None,
            "status": "Closed",
            "updated": None,
            "source": {"sheet": "IP", "row": 5},
        },
        {
            "ref": "12.c",
            "area": "Improvement Plan",
            "action": "c",
            "owner": "AO",
            "due_text": "July (Start date)",
            "due_date": None,
            "original_due_date": None,
            "rag_label": "STP AO/Chair decision to pause",
            "rag": None,
            "status": None,
            "updated": None,
            "source": {"sheet": "IP", "row": 6},
        },
    ]
    store.ingest(con, southend_result(rows=rows, summary=False, concerns=False, org="C&P"))
    trend = actions.completion_trend(con, "C&P").iloc[0]
    assert (trend["blue"], trend["unrated"], trend["rated"], trend["pct_complete"]) == (1, 1, 1, 100)


def test_overdue_actions_with_owner_and_dates(con):
    due = {(1, 28): "2019-01-31", (2, 1): "2018-12-31", (3, 1): "2019-04-30", (1, 1): "2018-06-30"}
    store.ingest(con, southend_result(rows=southend_rows(due)))
    frame = actions.actions(con, SOUTHEND)
    late = completion.overdue(frame)
    # 1.1 is blue (complete); 3.1 is due after the as-at date; 1.28 (green) and 2.1 (amber) are overdue.
    assert late["ref"].tolist() == ["2.1", "1.28"]
    assert late["days_overdue"].tolist() == [73, 42]
    assert late["owner"].tolist() == ["CFO (MB)", "AO (CG)"]


def test_planned_vs_achieved(con):
    due = {(1, 1): "2018-06-30", (1, 2): "2018-09-30", (2, 1): "2018-12-31"}
    rows = southend_rows(due)
    rows[1]["original_due_date"] = "2018-07-31"
    store.ingest(con, southend_result(rows=rows))
    frame = actions.actions(con, SOUTHEND)
    plan = completion.planned_vs_achieved(frame, actions.completion_trend(con, SOUTHEND)).set_index("date")
    assert plan.loc["2018-07-31", "due"] == 1 and plan.loc["2018-07-31", "due_original"] == 2
    assert plan.loc["2018-12-31", "due"] == 3
    assert plan.loc["2019-02-01", "complete"] == 70 and plan.loc[AS_AT, "complete"] == 78
    assert pd.isna(plan.loc["2018-06-30", "complete"])
    assert (plan["undated"] == 100).all()


def test_concerns_of_the_latest_snapshot(southend):
    frame = actions.concerns(southend, SOUTHEND)
    assert frame["ref"].tolist() == ["1.1", "2.6"]
    assert frame["deadline_text"].iloc[0] == "30/11/18 (01/09/18)"


def test_several_organisations_comparable(southend):
    store.ingest(southend, southend_result(sha="other", rows=southend_rows()[:50], summary=False, org="Example CCG"))
    latest = completion.latest_by_organisation(actions.completion_trend(southend, [SOUTHEND, "Example CCG"]))
    assert latest["organisation"].tolist() == ["Example CCG", SOUTHEND]
    assert latest["pct_complete"].iloc[0] == pytest.approx(40 / 46 * 100)  # areas 1, 2 and the first 4 of 3
    assert latest["previous"].iloc[1] == pytest.approx(70 / 97 * 100)


def test_a_later_snapshot_adds_a_report(southend):
    rows = southend_rows()
    for record in rows:
        if record["rag"] == "green":
            record["rag"] = "blue"
    store.ingest(southend, southend_result(sha="april", rows=rows, as_at="2019-04-11"))
    trend = actions.completion_trend(southend, SOUTHEND)
    assert len(trend) == 3
    assert trend["blue"].tolist() == [70, 78, 87]
    assert wording.actions_headline(trend) == "87.9% complete, up from 78.8%"


def test_empty_store(con):
    assert actions.completion_trend(con, SOUTHEND).empty
    assert actions.actions(con, SOUTHEND).empty
    assert actions.rows_vs_summary(con, SOUTHEND).empty
    assert completion.overdue(actions.actions(con, SOUTHEND)).empty
    assert actions.concerns(con, SOUTHEND).empty
    assert wording.actions_headline(actions.completion_trend(con, SOUTHEND)) == "No action has a RAG yet"


# Golden tests on the sample workbooks (DATA_DICTIONARY 5.1, 5.2 and checks 21-23).


def test_sample_southend_completion_trend(sample_con):
    trend = actions.completion_trend(sample_con, SOUTHEND)
    last, now = trend.iloc[0], trend.iloc[-1]
    assert last["report_date"].strftime("%Y-%m-%d") == "2019-02-01" and last["source"] == "summary"
    assert [last[c] for c in ("red", "amber", "green", "blue", "total")] == [7, 9, 11, 70, 97]
    assert now["report_date"].strftime("%Y-%m-%d") == AS_AT and now["source"] == "rows"
    assert [now[c] for c in ("red", "amber", "green", "blue")] == [3, 9, 9, 78]
    assert wording.actions_headline(trend) == "78.8% complete, up from 72.2%"


def test_sample_southend_summary_against_rows(sample_con):
    compared = actions.rows_vs_summary(sample_con, SOUTHEND)
    by_area = {completion.area_key(a): m for a, m in zip(compared["area"], compared["matches"], strict=True)}
    assert [by_area[k] for k in ("1", "2", "3", "4", "5", "6")] == [False, True, False, True, True, True]
    area3 = compared[compared["area"].map(completion.area_key) == "3"].iloc[0]
    assert (area3["green_rows"], area3["green_summary"], area3["blue_rows"], area3["blue_summary"]) == (3, 2, 15, 16)


def test_sample_southend_concerns(sample_con):
    frame = actions.concerns(sample_con, SOUTHEND)
    assert len(frame) > 0
    assert "Overdue" in set(frame["concern"])


def test_sample_cp_action_counts(sample_con):
    trend = actions.completion_trend(sample_con, "Cambridgeshire and Peterborough CCG").iloc[0]
    # Check 21: Complete 43, On-Track 11, Delayed 6, Not Started 6, the pause and the blank without a RAG.
    assert [trend[c] for c in ("blue", "green", "red", "grey", "unrated", "total")] == [43, 11, 6, 6, 2, 68]
