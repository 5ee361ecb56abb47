"""SPC (Making Data Count XmR): limits, screening, baselines, rebasing, the four rules, icons, figure."""

from __future__ import annotations

import base64

import pytest

from analysis.spc_rules import spc
from charts.spc import KIND_SYMBOLS, colours, spc_figure

NHSR = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
FLAT = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6]  # mean 5.5, mean moving range 1: limits 2.84 and 8.16


def rules(values, **options) -> list:
    return spc(values, **options).frame["rule"].tolist()


def test_nhsr_reference_screened_limits():
    frame = spc(NHSR).frame
    assert frame["upl"].iloc[0] == pytest.approx(4.60, abs=0.005)
    assert frame["mean"].iloc[0] == pytest.approx(1.94, abs=0.005)
    assert frame["lpl"].iloc[0] == pytest.approx(-0.72, abs=0.005)


def test_nhsr_reference_unscreened_limits_reproduce_the_mdc_tool():
    frame = spc(NHSR, screen_moving_ranges=False).frame
    assert frame["upl"].iloc[0] == pytest.approx(6.95, abs=0.005)
    assert frame["lpl"].iloc[0] == pytest.approx(-3.06, abs=0.005)
    assert frame["mean"].iloc[0] == pytest.approx(1.94, abs=0.005)


def test_nhsr_reference_flags_only_the_outlier():
    assert rules(NHSR) == [None] * 4 + ["limit"] + [None] * 13


def test_moving_ranges_start_at_the_second_point():
    frame = spc([3, 5, 4]).frame
    assert frame["moving_range"].isna().tolist() == [True, False, False]
    assert frame["moving_range"].iloc[1:].tolist() == [2, 1]


def test_flat_process_limits():
    frame = spc(FLAT).frame
    assert frame["mean"].iloc[0] == pytest.approx(5.5)
    assert frame["upl"].iloc[0] == pytest.approx(5.5 + 2.66)
    assert rules(FLAT) == [None] * len(FLAT)


def test_point_beyond_lower_limit():
    values = FLAT[:7] + [1] + FLAT[8:]
    assert rules(values)[7] == "limit"


def test_trend_of_six_increases_flags_seven_points():
    values = [5, 6, 5, 6, 5, 6, 5, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5, 6]
    flagged = rules(values)
    assert flagged[6:13] == ["trend"] * 7
    assert flagged[:6] == [None] * 6 and flagged[13:] == [None, None]


def test_five_increases_are_not_a_trend():
    values = [5, 6, 5, 6, 5, 6, 5, 5.1, 5.2, 5.3, 5.4, 5.5, 5, 6, 5]
    assert "trend" not in rules(values)


def test_an_equal_value_breaks_a_trend():
    values = [5, 6, 5, 6, 5, 6, 5, 5.1, 5.2, 5.3, 5.3, 5.4, 5.5, 5.6, 5]
    assert "trend" not in rules(values)


def test_trend_of_decreases_with_direction_is_improvement_when_decrease_is_better():
    values = [5, 6, 5, 6, 5, 6, 6, 5.9, 5.8, 5.7, 5.6, 5.5, 5.4, 6, 5]
    result = spc(values, improvement="decrease")
    trend = result.frame[result.frame["rule"] == "trend"]
    assert len(trend) == 7
    assert set(trend["variation"]) == {"improvement_low"}
    assert set(spc(values, improvement="increase").frame.loc[trend.index, "variation"]) == {"concern_low"}


def test_two_of_three_near_the_upper_limit():
    # Baseline of the first 8 points: two-thirds of the way to the upper limit is 5.5 + 1.773 = 7.27; the limit 8.16.
    values = FLAT[:8] + [7.8, 6, 7.5] + FLAT[11:]
    flagged = rules(values, baseline_points=8)
    assert flagged[8] == "two_of_three" and flagged[10] == "two_of_three"
    assert flagged[9] is None


def test_two_of_three_on_opposite_sides_does_not_fire():
    values = FLAT[:8] + [7.8, 6, 3.2] + FLAT[11:]
    assert "two_of_three" not in rules(values, baseline_points=8)


def test_one_point_near_a_limit_does_not_fire():
    values = FLAT[:8] + [7.8, 6, 5] + FLAT[11:]
    assert rules(values, baseline_points=8) == [None] * len(values)


def test_shift_of_seven_points_above_the_mean():
    values = [5, 4, 5, 4, 5, 4, 6, 6.5, 6, 6.5, 6, 6.5, 6, 4, 5, 4]
    flagged = rules(values)
    assert flagged[6:13] == ["shift"] * 7
    assert None in flagged[:6]


def test_six_points_on_one_side_are_not_a_shift():
    values = [5, 4, 5, 4, 5, 4, 6, 6.5, 6, 6.5, 6, 6.5, 4, 5, 4, 5]
    assert "shift" not in rules(values)


def test_a_point_on_the_mean_breaks_a_shift():
    baseline = [4, 6, 4, 6, 4, 6]  # mean 5
    broken = spc(baseline + [6, 6, 6, 5, 6, 6, 6], baseline_points=6)
    assert broken.frame["mean"].iloc[0] == pytest.approx(5)
    assert "shift" not in broken.frame["rule"].tolist()
    unbroken = spc(baseline + [6, 6, 6, 6, 6, 6, 6], baseline_points=6)
    assert unbroken.frame["rule"].tolist()[5:] == ["shift"] * 8


def test_limit_rule_takes_priority_over_shift():
    values = [5, 4, 5, 4, 5, 4, 6, 6.5, 6, 6.5, 40, 6.5, 6, 4]
    flagged = rules(values, screen_moving_ranges=True)
    assert flagged[10] == "limit"


def test_neutral_direction_colours_special_causes_neutral():
    result = spc(NHSR)
    assert result.frame["variation"].iloc[4] == "neutral_high"
    assert result.variation == "common_cause"


def test_variation_icon_comes_from_the_last_point():
    result = spc(FLAT[:-1] + [12], improvement="increase")
    assert result.variation == "improvement_high"
    assert spc(FLAT[:-1] + [12], improvement="decrease").variation == "concern_high"


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("increase", 2, "pass"),
        ("increase", 9, "fail"),
        ("increase", 6, "inconsistent"),
        ("decrease", 9, "pass"),
        ("decrease", 2, "fail"),
        ("decrease", 6, "inconsistent"),
        ("neutral", 6, None),
        ("increase", None, None),
    ],
)
def test_assurance_icon_from_target_against_limits(improvement, target, expected):
    assert spc(FLAT, improvement=improvement, target=target).assurance == expected


def test_a_trajectory_is_drawn_but_never_decides_the_assurance():
    plan = [9] * (len(FLAT) - 1) + [6]
    result = spc(FLAT, improvement="decrease", target=9, trajectory=plan)
    assert result.frame["trajectory"].tolist() == plan
    assert result.frame["target"].tolist() == [9] * len(FLAT)
    assert result.assurance == "pass"
    assert spc(FLAT, improvement="decrease", trajectory=plan).assurance is None
    with pytest.raises(ValueError, match="one number"):
        spc(FLAT, improvement="decrease", target=plan)


def test_fewer_than_thirteen_points_warns():
    short = spc(FLAT[:12]).short_periods
    assert [(p.first, p.last, p.points) for p in short] == [(1, 12, 12)]
    assert spc(FLAT[:13]).short_periods == []


def test_baseline_fixes_limits_after_n_points():
    values = [5, 6, 5, 6, 5, 6, 20, 30, 40]
    frame = spc(values, baseline_points=6).frame
    assert frame["mean"].iloc[-1] == pytest.approx(5.5)
    assert frame["upl"].iloc[-1] == pytest.approx(5.5 + 2.66)
    assert frame["rule"].iloc[6:].tolist() == ["limit"] * 3


def test_rebasing_gives_each_period_its_own_limits():
    values = [5, 6, 5, 6, 5, 6, 5, 15, 16, 15, 16, 15, 16, 15]
    result = spc(values, x=list(range(1, 15)), rebase_at=[8])
    frame = result.frame
    assert frame["period"].tolist() == [0] * 7 + [1] * 7
    assert frame["mean"].iloc[0] == pytest.approx(38 / 7)
    assert frame["mean"].iloc[-1] == pytest.approx(108 / 7)
    assert frame["moving_range"].isna().tolist().count(True) == 2  # each period starts afresh
    assert frame["rule"].tolist() == [None] * 14
    unbased = spc(values)
    assert "shift" in unbased.frame["rule"].tolist() or "limit" in unbased.frame["rule"].tolist()


def test_missing_values_are_left_out_not_zero():
    frame = spc([5, None, 6, float("nan"), 5], x=["a", "b", "c", "d", "e"]).frame
    assert frame["x"].tolist() == ["a", "c", "e"]


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        spc(FLAT, improvement="up")


def test_figure_colours_and_shapes_by_variation():
    result = spc(FLAT[:-1] + [12], improvement="increase", target=7)
    fig = spc_figure(result, "Referrals")
    by_name = {trace.name: trace for trace in fig.data}
    improvement = by_name["Special cause: improvement"]
    assert list(improvement.y) == [12]
    assert improvement.marker.color == colours()["improvement"] == "#00b0f0"
    assert improvement.marker.symbol == KIND_SYMBOLS["improvement"] != KIND_SYMBOLS["common_cause"]
    assert by_name["Common cause"].marker.color == "#a6a6a6"
    assert len(by_name["Common cause"].y) == len(FLAT) - 1
    assert list(by_name["Target"].y) == [7] * len(FLAT)
    icons = [base64.b64decode(image.source.split(",", 1)[1]).decode() for image in fig.layout.images]
    assert len(icons) == 2
    assert "<title>Special cause: improvement (higher)</title>" in icons[0]
    assert "<title>Target inconsistently passed (hit and miss)</title>" in icons[1]


def test_figure_breaks_limits_between_periods():
    result = spc([5, 6, 5, 6, 5, 6, 5, 15, 16, 15, 16, 15, 16, 15], rebase_at=[8])
    upl = next(t for t in spc_figure(result, "t").data if t.name == "Upper process limit")
    assert None in list(upl.y)
    assert len({v for v in upl.y if v is not None}) == 2


def test_figure_concern_points_are_orange():
    fig = spc_figure(spc(FLAT[:-1] + [12], improvement="decrease"), "t")
    concern = next(t for t in fig.data if t.name == "Special cause: concern")
    assert concern.marker.color == "#e46c0a"
