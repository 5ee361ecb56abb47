"""One % complete: the definition in analysis.completion, and the Overview, Improvement page, compare view and
board pack all stating it the same way."""

from __future__ import annotations

import pandas as pd

from analysis import completion
from charts import boardpack as pack_charts
from charts import improvement as improvement_charts
from store import actions, boardpack, compare, overview
from tests.conftest import run_page

CP = "Cambridgeshire and Peterborough CCG"
OXFORDSHIRE = "Oxfordshire CCG"
SOUTHEND = "Southend CCG"


def test_percent_is_complete_over_rated_and_the_label_says_so():
    counts = {"blue": 43, "green": 11, "amber": 0, "red": 6, "grey": 6, "unrated": 2}
    result = completion.completion(counts)
    assert (result.complete, result.rated, result.unrated, result.total) == (43, 66, 2, 68)
    assert round(result.pct, 1) == 65.2
    assert result.pct_text() == "65.2%"
    assert result.label() == "43 of 66 actions with a RAG are complete; 2 have no RAG"
    assert completion.completion({"blue": 1, "green": 0, "unrated": 1}).label() == (
        "1 of 1 action with a RAG is complete; 1 has no RAG"
    )


def test_no_rated_action_gives_no_percent_rather_than_nan_or_zero():
    result = completion.completion({"unrated": 25})
    assert result.pct is None and result.pct_text() == "not known"
    assert result.label() == "0 of 25 actions have a RAG, so % complete is not known"


def test_frame_gets_the_same_percent_as_the_single_report():
    frame = pd.DataFrame(
        [
            {"blue": 43, "green": 11, "amber": 0, "red": 6, "grey": 6, "unrated": 2},
            {"blue": 0, "green": 0, "amber": 0, "red": 0, "grey": 0, "unrated": 25},
        ]
    )
    out = completion.with_completion(frame)
    assert list(out["rated"]) == [66, 0] and list(out["total"]) == [68, 25]
    assert out["pct_complete"].iloc[0] == completion.completion(frame.iloc[0]).pct
    assert pd.isna(out["pct_complete"].iloc[1])


def test_tables_state_the_percent_in_words():
    frame = completion.with_completion(
        pd.DataFrame(
            [
                {"blue": 2, "green": 1, "amber": 0, "red": 0, "grey": 0, "unrated": 1},
                {"blue": 0, "green": 0, "amber": 0, "red": 0, "grey": 0, "unrated": 4},
            ]
        )
    )
    table = completion.stated(frame)
    assert list(table["pct_complete"]) == ["66.7%", "not known"]
    assert table["counted"].iloc[0] == "2 of 3 actions with a RAG are complete; 1 has no RAG"


def test_compared_chart_never_labels_an_unknown_percent_nan():
    latest = pd.DataFrame(
        {
            "organisation": ["A", "B"],
            "report_date": pd.to_datetime(["2020-04-21", "2018-07-30"]),
            "pct_complete": [float("nan"), 65.2],
            "previous": [float("nan"), float("nan")],
            "source": ["rows", "rows"],
        }
    )
    figure = improvement_charts.organisations_compared(latest, "t")
    text = list(next(trace for trace in figure.data if trace.name == "% complete").text)
    assert text[0].startswith("no action has a RAG") and text[1].startswith("65.2%")


def test_improvement_page_compares_organisations_without_nan(sample_db):
    at = choose_orgs(run_page("pages/improvement.py"), [CP, OXFORDSHIRE])
    at.radio(key="ip_view").set_value("Organisations compared").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "not known" in set(table["pct_complete"])
    assert not table.isna().any().any()


def test_change_is_worded_and_never_a_bare_zero():
    now, before = completion.Completion(78, 99, 2), completion.Completion(70, 97, 0)
    assert completion.change_text(now, before, "01 Feb 2019") == "+8 complete since 01 Feb 2019"
    assert completion.change_text(before, before, "01 Feb 2019") == "no more complete since 01 Feb 2019"
    assert completion.change_text(now, completion.Completion(0, 0, 5), "01 Feb 2019") is None


def test_overview_tile_uses_one_count_and_names_a_change_of_source(sample_con):
    cp = overview.improvement_tile(sample_con, CP).figures
    assert cp["label"] == "43 of 66 actions with a RAG are complete; 2 have no RAG"
    assert cp["pct_complete"] == cp["completion"].pct
    southend = overview.improvement_tile(sample_con, SOUTHEND).figures
    assert southend["change"] == "+8 complete since 1 Feb 2019"
    assert "the action rows" in southend["sources"] and "the tracker's summary" in southend["sources"]
    oxfordshire = overview.improvement_tile(sample_con, OXFORDSHIRE).figures
    assert oxfordshire["pct_complete"] is None and oxfordshire["change"] is None


def test_compare_view_and_board_pack_state_what_the_percent_counts(sample_con):
    compared = compare.overview_compared(sample_con, [CP, OXFORDSHIRE]).set_index("Organisation")
    assert compared.loc[CP, "Actions complete"] == "43 of 66 actions with a RAG are complete; 2 have no RAG"
    assert compared.loc[OXFORDSHIRE, "Actions complete"].startswith("0 of 25 actions have a RAG")
    pack = boardpack.contents(sample_con, CP)
    finding = next(line for line in pack_charts.findings(pack) if line.startswith("Improvement plan"))
    assert "43 of 66 actions with a RAG are complete; 2 have no RAG" in finding
    assert "43 of 68" not in finding
    oxfordshire = pack_charts.findings(boardpack.contents(sample_con, OXFORDSHIRE))
    assert (
        "Improvement plan: 0 of 25 actions have a RAG, so % complete is not known (report of 21 Apr 2020)."
        in oxfordshire
    )


def test_improvement_page_and_overview_agree(sample_con):
    trend = actions.completion_trend(sample_con, CP)
    assert completion.completion(trend.iloc[-1]).label() == overview.improvement_tile(sample_con, CP).figures["label"]


def choose_orgs(at, orgs):
    at.session_state["orgs"] = orgs
    at.session_state["org_select"] = orgs
    at.run()
    return at


def test_overview_improvement_tile_for_oxfordshire_shows_no_nan(sample_db):
    at = choose_orgs(run_page("pages/overview.py"), [OXFORDSHIRE])
    assert not at.exception
    metric = next(m for m in at.metric if m.label == "Complete")
    assert metric.value == "not known"
    assert any("0 of 25 actions have a RAG, so % complete is not known." in c.value for c in at.caption)


def test_overview_improvement_tile_for_cambridgeshire_counts_what_the_percent_counts(sample_db):
    at = choose_orgs(run_page("pages/overview.py"), [CP])
    assert not at.exception
    assert next(m for m in at.metric if m.label == "Complete").value == "65.2%"
    captions = [c.value for c in at.caption]
    assert "65.2% complete: 43 of 66 actions with a RAG are complete; 2 have no RAG." in captions
    assert not any("43 of 68" in c for c in captions)


def test_overview_southend_change_says_since_when_and_from_which_source(sample_db):
    at = choose_orgs(run_page("pages/overview.py"), [SOUTHEND])
    assert not at.exception
    metric = next(m for m in at.metric if m.label == "Complete")
    assert metric.delta == "+8 complete since 1 Feb 2019"
    assert any("the previous one's from the tracker's summary" in c.value for c in at.caption)


def test_improvement_page_states_the_latest_count(sample_db):
    at = choose_orgs(run_page("pages/improvement.py"), [CP])
    assert not at.exception
    assert any("43 of 66 actions with a RAG are complete; 2 have no RAG" in m.value for m in at.markdown), [
        m.value for m in at.markdown
    ]
