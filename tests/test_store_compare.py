"""Organisations compared: each row's as-at date, and a sentence wherever those dates differ."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis import wording
from charts.compare import compared_table


def test_differing_as_at_dates_are_said_with_the_earliest_and_latest():
    table = pd.DataFrame(
        {
            "Organisation": ["Oxfordshire CCG", "Bedfordshire CCG", "Luton CCG"],
            "Risks as at": [date(2020, 4, 21), date(2019, 3, 28), None],
            "QIPP as at": [date(2018, 7, 30), date(2018, 7, 30), None],
            "Finance month": ["Month 3 2018/19", None, None],
        }
    )
    assert wording.as_at_columns(table) == ["Risks as at", "QIPP as at"]
    assert wording.as_at_differences(table) == [
        "Risks: As-at dates differ: from 28 Mar 2019 (Bedfordshire CCG) to 21 Apr 2020 (Oxfordshire CCG); "
        "figures from different periods sit side by side."
    ]


def test_several_organisations_on_one_date_are_counted():
    table = pd.DataFrame(
        {
            "Organisation": ["A", "B", "C"],
            "As at": [pd.Timestamp("2019-03-31"), pd.Timestamp("2019-03-31"), pd.Timestamp("2019-06-30")],
        }
    )
    (note,) = wording.as_at_differences(table)
    assert note.startswith("As-at dates differ: from 31 Mar 2019 (A and 1 more) to 30 Jun 2019 (C)")


def test_one_date_or_none_says_nothing():
    same = pd.DataFrame({"Organisation": ["A", "B"], "As at": [date(2019, 3, 31), date(2019, 3, 31)]})
    assert wording.as_at_differences(same) == []
    assert wording.as_at_differences(pd.DataFrame({"Organisation": ["A"], "As at": [None]})) == []


def test_the_table_as_shown_has_dates_in_words_and_a_dash_for_what_is_not_loaded():
    table = pd.DataFrame(
        {
            "Organisation": ["A", "B"],
            "Data": ["synthetic demo data", None],
            "QIPP as at": [date(2020, 4, 21), None],
            "QIPP target £'000": [35000.0, None],
            "Actions complete %": [63.2353, None],
            "Risks": [16, None],
            "YTD position": ["adverse", None],
        }
    )
    shown = compared_table(table, ["QIPP as at"])
    assert shown.iloc[0].tolist() == ["A", "synthetic demo data", "21 Apr 2020", "35,000", "63.2", "16", "adverse"]
    assert shown.iloc[1].tolist() == ["B", "", "–", "–", "–", "–", "–"]
