"""Making Data Count's icons, the summary of every measure, skipped months, directions and the plain legend."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import spc_summary
from analysis.activity import improvement_direction
from analysis.spc_rules import VARIATION_LABELS, spc
from charts.spc import legend_words, spc_figure
from charts.spc_icons import assurance_icon, colours, variation_icon

MONTHS = pd.date_range("2018-04-01", periods=24, freq="MS")


def ring(svg: str) -> str:
    return re.search(r'<circle cx="50" cy="50" r="44" fill="white" stroke="([^"]+)"', svg)[1]


def letters(svg: str) -> list[str]:
    return re.findall(r"<text [^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize(
    ("variation", "kind", "letter"),
    [
        ("common_cause", "common_cause", []),
        ("improvement_high", "improvement", ["H"]),
        ("improvement_low", "improvement", ["L"]),
        ("concern_high", "concern", ["H"]),
        ("concern_low", "concern", ["L"]),
        ("neutral_high", "neutral", ["H"]),
        ("neutral_low", "neutral", ["L"]),
    ],
)
def test_variation_icons_in_the_point_colours_with_h_or_l(variation, kind, letter):
    svg = variation_icon(variation)
    assert ring(svg) == colours()[kind]
    assert letters(svg) == letter
    assert f"<title>{VARIATION_LABELS[variation]}</title>" in svg


@pytest.mark.parametrize(
    ("assurance", "kind", "letter"),
    [("pass", "improvement", "P"), ("fail", "concern", "F"), ("inconsistent", "common_cause", "?")],
)
def test_assurance_icons_p_f_and_question_mark(assurance, kind, letter):
    svg = assurance_icon(assurance)
    assert ring(svg) == colours()[kind]
    assert letters(svg) == [letter]


def monthly(code: str, actuals: list[float | None], plan: float = 100.0) -> pd.DataFrame:
    n = len(actuals)
    return pd.DataFrame(
        {
            "organisation": "Org",
            "code": code,
            "title": f"Measure {code}",
            "month": MONTHS[:n],
            "plan": [plan + i for i in range(n)],
            "actual": actuals,
            "financial_year": ["2018/19" if m.year == 2018 or m.month < 4 else "2019/20" for m in MONTHS[:n]],
        }
    )


def test_summary_has_one_row_per_measure_with_icons_limits_and_target():
    flat = [100, 104] * 7 + [100, 130]  # 16 months, the last far above the limits
    frame = pd.concat([monthly("E.M.10", flat), monthly("E.M.7", flat), monthly("E.M.12", [90, None, None])])
    summary = spc_summary.summary(frame).set_index("code")
    assert list(summary.index) == ["E.M.7", "E.M.10", "E.M.12"]
    assert summary.loc["E.M.10", "variation"] == "improvement_high"  # elective admissions: higher is better
    assert summary.loc["E.M.7", "variation"] == "concern_high"  # referrals: lower is better
    assert summary.loc["E.M.10", "latest"] == 130
    assert summary.loc["E.M.10", "latest_month"] == pd.Timestamp("2019-07-01")
    # the target is the average month of the plan in the financial year of the latest actual (2019/20: Apr-Jul)
    assert summary.loc["E.M.10", "target"] == pytest.approx((112 + 113 + 114 + 115) / 4)
    result = spc(flat, improvement="increase")
    assert summary.loc["E.M.10", ["mean", "lpl", "upl"]].tolist() == pytest.approx(
        [result.frame["mean"].iloc[-1], result.frame["lpl"].iloc[-1], result.frame["upl"].iloc[-1]]
    )
    assert summary.loc["E.M.10", "assurance"] == "inconsistent"
    assert summary.loc["E.M.12", "latest"] == 90 and pd.isna(summary.loc["E.M.12", "variation"])
    readable = spc_summary.readable(spc_summary.summary(frame))
    assert "Lower process limit" in readable.columns and "lpl" not in readable.columns
    assert "Special cause: improvement (higher)" in readable["Variation"].tolist()


def test_assurance_target_is_one_number_apart_from_the_plan_trajectory():
    part = monthly("E.M.10", [100, 104] * 6)
    result = spc_summary.measure_spc(part)
    assert result.target == pytest.approx(sum(100 + i for i in range(12)) / 12)  # 2018/19 plan: Apr to Mar
    assert result.frame["trajectory"].tolist() == part["plan"].tolist()
    names = [trace.name for trace in spc_figure(result, "t", target_name="Assurance target").data]
    assert "Assurance target" in names and "Trajectory" in names


def test_skipped_months_are_listed_and_marked_on_the_chart():
    values = [100, 104, None, 100, 104, 100]
    result = spc(values, MONTHS[:6])
    assert result.skipped == [MONTHS[2]]
    absent = spc([100, 104, 100, 104], [MONTHS[0], MONTHS[1], MONTHS[4], MONTHS[5]])
    assert absent.skipped == [MONTHS[2], MONTHS[3]]
    fig = spc_figure(absent, "t")
    assert [a.text for a in fig.layout.annotations] == ["No value for Jun 2018", "No value for Jul 2018"]
    assert spc([None, 100, 104, None]).skipped == []  # before the first and after the last point: not a gap


def test_legend_in_plain_words():
    assert "blue: unusual, and better" in legend_words("increase")
    assert "orange: unusual, and worse" in legend_words("decrease")
    assert "purple" in legend_words("neutral") and "blue" not in legend_words("neutral")


def test_every_point_of_delivery_has_a_direction_from_configuration():
    assert improvement_direction("E.M.10") == "increase"
    assert improvement_direction("E.M.10a") == "increase"
    assert {improvement_direction(c) for c in ("E.M.7", "E.M.8", "E.M.9", "E.M.11", "E.M.12")} == {"decrease"}
    assert improvement_direction("X.1") == "neutral"


def test_a_fixed_baseline_of_a_measure_holds_at_least_twelve_months():
    part = monthly("E.M.10", [100, 104] * 6 + [150, 160])
    with pytest.raises(ValueError, match="at least 12"):
        spc_summary.measure_spc(part, baseline_points=11)
    fixed = spc_summary.measure_spc(part, baseline_points=12).frame
    assert fixed["mean"].iloc[-1] == pytest.approx(102)
    assert fixed["upl"].iloc[-1] == pytest.approx(102 + 2.66 * 4)
    assert fixed["rule"].iloc[-2:].tolist() == ["limit", "limit"]
