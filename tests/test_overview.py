"""The Overview: its figures on the sample store, and the page on sample and empty stores."""

from __future__ import annotations

import pytest

from store import overview
from tests.conftest import run_page

CP = "Cambridgeshire and Peterborough CCG"


def test_cambridgeshire_tiles_reproduce_the_source_tables(sample_con):
    tiles = overview.overview(sample_con, CP)
    q = tiles["qipp"].figures
    assert (q["target"], q["identified_incl"], q["identified_excl"]) == (35_000, 35_091, 34_491)
    assert round(q["risk_adjusted"]) == 32_934
    assert str(tiles["qipp"].as_at) == "2018-07-30"
    f = tiles["finance"].figures
    assert (f["ytd_variance"], f["forecast_variance"]) == (-818, 0)
    assert f["label"].startswith("Month 3")
    assert str(tiles["finance"].as_at) == "2018-06-30"
    i = tiles["improvement"].figures
    assert (i["complete"], i["total"]) == (43, 68)
    assert not tiles["activity"].figures["with_actuals"] and tiles["activity"].figures["measures"] == 6


def test_southend_completion_and_what_moved(sample_con):
    tile = overview.overview(sample_con, "Southend CCG")["improvement"]
    assert tile.figures["headline"] == "78.8% complete, up from 72.2%"
    assert str(tile.previous_as_at) == "2019-02-01"
    assert tile.figures["completed_since"] == tile.figures["complete"] - 70


def test_bedfordshire_risks_are_not_compared_with_an_unrelated_register(sample_con):
    tile = overview.overview(sample_con, "Bedfordshire CCG")["risks"]
    assert str(tile.as_at) == "2019-03-28" and tile.figures["risks"] == 11
    assert tile.previous_as_at is None  # the 2012 register shares no risk with the 2019 framework
    assert not overview.overview(sample_con, "Bedfordshire CCG")["qipp"].loaded


def test_risk_movement_since_the_previous_snapshot(con):
    import store
    from records import Dataset, WorkbookResult

    def register(sha, as_at, scores):
        records = [
            {
                "ref": ref,
                "current_likelihood": s // 4,
                "current_consequence": 4,
                "current_score": s,
                "initial_score": 16,
                "target_score": 4,
                "source": {"sheet": "R", "row": n + 2},
            }
            for n, (ref, s) in enumerate(scores.items())
        ]
        store.ingest(
            con, WorkbookResult(f"{sha}.xlsx", sha, "Org", as_at, datasets=[Dataset("risks", "R", 1, records)])
        )

    register("a", "2020-01-31", {"1": 12, "2": 8, "3": 16})
    register("b", "2020-02-29", {"1": 16, "2": 4, "3": 16, "4": 8})
    tile = overview.risk_tile(con, "Org")
    assert (tile.figures["up"], tile.figures["down"]) == (1, 1)
    assert str(tile.previous_as_at) == "2020-01-31"


@pytest.mark.parametrize("org", [CP, "Southend CCG", "Bedfordshire CCG", "Oxfordshire CCG"])
def test_page_runs_on_the_sample_store(sample_db, org):
    at = run_page("pages/overview.py")
    at.session_state["orgs"] = [org]
    at.session_state["org_select"] = [org]
    at.run()
    assert not at.exception
    assert at.title[0].value == f"Overview: {org}"
    captions = " ".join(c.value for c in at.caption)
    assert "As at" in captions


def test_page_says_plainly_what_is_not_loaded(sample_db):
    at = run_page("pages/overview.py")
    at.session_state["orgs"] = ["Oxfordshire CCG"]
    at.session_state["org_select"] = ["Oxfordshire CCG"]
    at.run()
    assert any("No QIPP tracker is loaded for Oxfordshire CCG" in i.value for i in at.info)


def test_page_runs_on_an_empty_store(empty_db):
    at = run_page("pages/overview.py")
    assert not at.exception
    assert at.info


def test_compared_organisations_show_their_as_at_dates_and_say_they_differ(sample_db):
    at = run_page("pages/overview.py")
    at.session_state["orgs"] = at.session_state["org_select"] = ["Oxfordshire CCG", "Bedfordshire CCG"]
    at.run()
    at.radio(key="overview_view").set_value("Organisations compared").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Organisation")
    assert table.loc["Oxfordshire CCG", "Risks as at"] == "21 Apr 2020"
    assert table.loc["Bedfordshire CCG", "Risks as at"] == "28 Mar 2019"
    assert table.loc["Oxfordshire CCG", "QIPP as at"] == "–"  # not loaded: a dash, never None
    assert not table.isin(["None", "nan", "NaT"]).any().any()
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert (
        "Risks: As-at dates differ: from 28 Mar 2019 (Bedfordshire CCG) to 21 Apr 2020 (Oxfordshire CCG); "
        "figures from different periods sit side by side."
    ) in captions
