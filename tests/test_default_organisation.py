"""The organisation a first visit shows: the most kinds of data loaded, then the latest as-at date."""

from __future__ import annotations

from datetime import date

import pandas as pd

import store
from tests.conftest import run_page


def coverage(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["name", "synthetic", "kinds", "latest"])


def test_most_kinds_of_data_first_then_the_latest_as_at():
    assert (
        store.default_organisation(
            coverage(("A CCG", False, 1, date(2020, 4, 1)), ("B CCG", False, 5, date(2018, 6, 30)))
        )
        == "B CCG"
    )
    assert (
        store.default_organisation(
            coverage(("A CCG", False, 5, date(2018, 6, 30)), ("B CCG", False, 5, date(2019, 3, 31)))
        )
        == "B CCG"
    )


def test_a_real_organisation_before_a_synthetic_one_with_the_same_data_then_by_name():
    same = date(2018, 6, 30)
    assert store.default_organisation(coverage(("A ICB", True, 5, same), ("Z CCG", False, 5, same))) == "Z CCG"
    assert store.default_organisation(coverage(("B CCG", False, 5, same), ("A CCG", False, 5, same))) == "A CCG"


def test_an_organisation_without_records_comes_last_and_no_organisation_gives_none():
    assert (
        store.default_organisation(coverage(("A CCG", False, 0, None), ("B CCG", False, 1, date(2012, 4, 27))))
        == "B CCG"
    )
    assert store.default_organisation(coverage()) is None


def test_coverage_counts_the_kinds_with_records_in_current_snapshots(sample_con):
    table = store.organisation_coverage(sample_con).set_index("name")
    current = store.snapshots(sample_con)
    current = current[current["superseded_by"].isna() & (current["record_count"] > 0)]
    for name, row in table.iterrows():
        own = current[current["organisation"] == name]
        assert row["kinds"] == own["kind"].nunique()
        assert pd.Timestamp(row["latest"]) == pd.Timestamp(own["as_at"].max())
    assert table.loc["Bedfordshire CCG", "kinds"] < table.loc["Cambridgeshire and Peterborough CCG", "kinds"]


def test_a_first_visit_opens_on_the_organisation_with_the_most_complete_data(sample_db):
    con = store.connect(sample_db)
    expected = store.default_organisation(store.organisation_coverage(con))
    con.close()
    assert expected != "Bedfordshire CCG"  # first by name, with only risk registers loaded
    at = run_page("pages/overview.py")
    assert not at.exception
    assert at.session_state["orgs"] == [expected]
    assert at.title[0].value == f"Overview: {expected}"
