"""A total that differs from its lines by the source's rounding is information; a real difference is a warning."""

from __future__ import annotations

import pytest

import config
from loaders.context import Context
from records import total_severity
from tests.test_loaders_kinds import build, one


@pytest.mark.parametrize(
    ("stated", "computed", "unit", "expected"),
    [
        (304393, 304392, 1.0, "info"),  # whole £'000: £1k is the source's rounding
        (304393, 304391, 1.0, "warning"),
        (304393, 304393.0000000001, 1.0, None),
        (-5900, -5800, 1000.0, "info"),  # -5.9 in £m is written to £0.1m
        (-5900, -5700, 1000.0, "warning"),
        (-5000, -5900, 1000.0, "info"),  # -5 in £m is written to the £m
        (4923.4, 4923, 1.0, "warning"),  # written to £100, so £400 is not rounding
        (25, 24, None, "warning"),  # a count is never rounded
        (25, 25, None, None),
    ],
)
def test_total_severity(stated, computed, unit, expected):
    assert total_severity(stated, computed, unit) == expected


def test_the_rounding_is_configured(monkeypatch):
    monkeypatch.setattr(config, "total_rounding", lambda: 2.0)
    assert total_severity(304393, 304391) == "info"
    monkeypatch.setattr(config, "total_rounding", lambda: 0.0)
    assert total_severity(304393, 304392) == "warning"


def position(ytd_budget_total):
    return [
        ["Month 3 position 2018/19 £'000"],
        ["Line", "YTD Budget £'000", "YTD Actual £'000", "Variance £'000"],
        ["Acute", 600, 620, -20],
        ["Community", 401, 390, 11],
        ["Total Expenditure", ytd_budget_total, 1010, -9],
    ]


def test_a_finance_total_one_thousand_out_is_information_with_both_figures():
    (issue,) = [i for i in one(build(position(1002)), "finance_lines").issues if i.code == "total_mismatch"]
    assert (issue.severity, issue.cell) == ("info", "S!B5")
    assert "1,002" in issue.message and "1,001" in issue.message and "rounding" in issue.message


def test_a_finance_total_further_out_stays_a_warning():
    (issue,) = [i for i in one(build(position(1011)), "finance_lines").issues if i.code == "total_mismatch"]
    assert (issue.severity, issue.cell) == ("warning", "S!B5") and "rounding" not in issue.message


def test_variance_one_out_is_information():
    rows = position(1001)
    rows[2][3] = -21
    rows[4][3] = -10
    (issue,) = [i for i in one(build(rows), "finance_lines").issues if i.code == "variance_mismatch"]
    assert (issue.severity, issue.cell) == ("info", "S!D3")


def test_qipp_counts_are_exact_and_values_round():
    rows = [
        ["Area", "1 - Initiation", None, "2 - Planning", None, "Totals - Excluding", None],
        [None, "No.", "Value", "No.", "Value", "No.", "Value"],
        ["Acute", 1, 100, 2, 200, 4, 301],
        ["Prescribing", 1, 50, 1, 50, 2, 100],
        ["Totals", 2, 150, 3, 250, 7, 402],
    ]
    matrix = one(build(rows, merged=[(0, 1, 0, 2), (0, 3, 0, 4), (0, 5, 0, 6)]), "qipp_stage_matrix")
    found = {i.cell: i.severity for i in matrix.issues if i.code == "total_mismatch"}
    assert found == {"S!F3": "warning", "S!G3": "info", "S!F5": "warning", "S!G5": "info"}


def test_action_summary_counts_are_exact():
    rows = [
        ["Improvement Areas", "Red", "Amber", "Green", "Blue", "Total"],
        ["1. Leadership", 1, 0, 1, 25, 28],
        ["Total", 1, 0, 1, 25, 28],
    ]
    summary = one(build(rows, ctx=Context(as_at="2019-03-14")), "action_summary")
    assert [(i.cell, i.severity) for i in summary.issues if i.code == "total_mismatch"] == [
        ("S!F2", "warning"),
        ("S!F3", "warning"),
    ]
