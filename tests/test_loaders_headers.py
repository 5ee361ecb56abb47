"""Header wording: normalising, synonyms, ambiguous and two-row headers, months, stages, years."""

from __future__ import annotations

from datetime import date

import pytest

from loaders.headers import (
    financial_year_in,
    match_header,
    match_phrase,
    month_of_header,
    normalise,
    stage_of,
    synonyms,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Value (£'000s)", "value"),
        ("Saving £000", "saving"),
        ("Variance Fav/(adv) £'000", "variance fav adv"),
        ("  Current\u00a0Risk   Score ", "current risk score"),
        ("Target Risk Score 2018/19 -", "target risk score"),
        ("18/19 Do Nothing", "do nothing"),
        ("PMO & QIPP", "pmo and qipp"),
        ("£m", ""),
        ("0 - Pipeline", "0 pipeline"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("layout", "header", "field"),
    [
        ("risks", "Current Risk Score", "current_score"),
        ("risks", "Residual", "current_score"),
        ("risks", "Year Start Risk Score (April 18)", "initial_score"),
        ("risks", "Senior Risk Owner (SRO)", "owner"),
        ("risks", "current_likelihood", "current_likelihood"),  # canonical names always match
        ("actions", "By when (end of)", "due_text"),
        ("actions", "By when?/Status", "due_text"),
        ("actions", "Deadline", "due_text"),
        ("qipp_schemes", "Net Value", "value"),
        ("qipp_schemes", "Value (£'000s)", "value"),
        ("qipp_schemes", "Saving £000", "value"),
        ("activity", "17/18 OT", "prior_outturn"),
    ],
)
def test_synonyms(layout, header, field):
    assert match_phrase(header, synonyms(layout))[0] == field


def test_unknown_wording_matches_nothing():
    assert match_phrase("Colour of the sky", synonyms("risks")) == ()
    assert match_phrase("", synonyms("risks")) == ()


def test_a_repeated_phrase_fills_fields_in_order():
    texts = {
        0: "Line",
        1: "YTD Budget",
        2: "YTD Actual",
        3: "Variance",
        4: "Annual Budget",
        5: "Forecast",
        6: "Variance",
    }
    m = match_header(texts, "finance_lines")
    assert m.columns["ytd_variance"] == 3 and m.columns["forecast_variance"] == 6


def test_a_variance_after_forecast_columns_is_the_forecast_variance():
    m = match_header({0: "Line", 1: "Annual Budget", 2: "Forecast Outturn", 3: "Variance"}, "finance_lines")
    assert m.columns["forecast_variance"] == 3 and "ytd_variance" not in m.columns


def test_an_exact_header_takes_the_field_from_a_prefix_match():
    texts = {0: "Item", 1: "Total Risk", 2: "Mitigation comment", 3: "Mitigated Risk", 4: "In forecast"}
    m = match_header(texts, "finance_risks")
    assert m.columns["mitigated_risk"] == 3 and 2 in m.unmatched


def test_two_row_header_combines_group_and_sub_header():
    texts = {0: "Ref", 1: "Likelihood", 2: "Consequence", 3: "Rating", 4: "Likelihood", 5: "Consequence", 6: "Rating"}
    groups = {1: "Initial", 2: "Initial", 3: "Initial", 4: "Current", 5: "Current", 6: "Current"}
    m = match_header(texts, "risks", groups)
    assert [m.columns[f] for f in ("initial_likelihood", "initial_consequence", "initial_score")] == [1, 2, 3]
    assert [m.columns[f] for f in ("current_likelihood", "current_consequence", "current_score")] == [4, 5, 6]
    assert m.own >= {1, 2, 3, 4, 5, 6}


def test_month_headers():
    assert month_of_header("Apr") == (4, None)
    assert month_of_header("Sept") == (9, None)
    assert month_of_header("April 2018") == (4, 2018)
    assert month_of_header("Mar-19") == (3, 2019)
    assert month_of_header(date(2019, 1, 1)) == (1, 2019)
    assert month_of_header("Marketing") is None
    assert month_of_header("Mayor") is None
    assert month_of_header(3) is None


def test_activity_months_are_repeated_columns():
    m = match_header({0: "Code", 1: "Title", 2: "Apr", 3: "May", 4: "Jun", 5: "18/19 Plan"}, "activity")
    assert m.repeated["month_columns"] == [2, 3, 4] and m.columns["plan"] == 5


def test_stages():
    assert stage_of("0 - Pipeline") == 0
    assert stage_of("3-Delivery") == 3
    assert stage_of("Monitoring") == 4
    assert stage_of("Stage 5") == 5
    assert stage_of("2 - Delivery") is None  # number and name disagree
    assert stage_of("Planned") is None
    assert stage_of(None) is None


def test_financial_years():
    assert financial_year_in("Improvement and Delivery Plan 2018-2019") == "2018/19"
    assert financial_year_in("2018/19 Financial Plan") == "2018/19"
    assert financial_year_in("18/19 Plan") == "2018/19"
    assert financial_year_in("Strategic plan 2012-2015") is None
    assert financial_year_in("12/05/19") is None
