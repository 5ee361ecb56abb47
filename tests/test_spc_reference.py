"""The two-in-three and seven-point-trend rules against NHSRplotthedots' reference cases (its testthat vectors for
``ptd_two_in_three``, ``ptd_part_of_two_in_three``, ``ptd_seven_point_trend`` and ``ptd_part_of_seven_trend``)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import spc_rules
from analysis.spc_rules import spc

# ptd_two_in_three(close_to_limits, relative_to_mean): the points in a window of three with two close to a
# limit and all three on one side of the mean.
TWO_IN_THREE = [
    ([], [], []),
    ([0, 0, 0], [0, 0, 0], [0, 0, 0]),
    ([1, 0, 1], [1, 1, 1], [1, 1, 1]),
    ([0, 1, 1], [1, 1, 1], [1, 1, 1]),
    ([1, 1, 0], [1, 1, 1], [1, 1, 1]),
    ([0, 0, 1, 0, 1, 0, 0], [1, 1, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 0, 0]),
    ([0, 0, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 0, 0]),
    # points on opposite sides of the mean
    ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
    ([0, 1, 1], [1, -1, 1], [0, 0, 0]),
    ([1, 1, 0], [1, -1, 1], [0, 0, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
    ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
]
# ptd_part_of_two_in_three: of those, the points that are themselves close to a limit.
PART_OF_TWO_IN_THREE = [
    ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
    ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
    ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
    ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
    ([0, 0, 1, 1, 0, 0, 0], [1] * 7, [0, 0, 1, 1, 0, 0, 0]),
    ([1, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0]),
    ([1, 0, 0, 1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 1, 1]),
]
# ptd_seven_point_trend(y): 1 (rising) or -1 (falling) at the seventh point of six increases or decreases.
SEVEN_POINT_TREND = [
    ([], []),
    ([1, 2, 3, 4, 5, 6], [0] * 6),
    ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
    ([1, 2, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 0, 1]),
    ([2, 1, 2, 3, 4, 5, 6, 7, 3], [0, 0, 0, 0, 0, 0, 0, 1, 0]),
    ([7, 6, 5, 4, 3, 2, 1], [0, 0, 0, 0, 0, 0, -1]),
    ([2, 7, 6, 5, 4, 3, 2, 1, 3], [0, 0, 0, 0, 0, 0, 0, -1, 0]),
]
# ptd_part_of_seven_trend(marks): every point of a trend, marked at its seventh point, is part of it. Each series
# is one whose trend ptd_seven_point_trend marks as on the left.
PART_OF_SEVEN_TREND = [
    ([1, 2, 3, 4, 5, 6, 7, 0], [0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 1, 1, 1, 1, 0]),
    ([1, 1, 2, 3, 4, 5, 6, 7, 0], [0, 0, 0, 0, 0, 0, 0, 1, 0], [0, 1, 1, 1, 1, 1, 1, 1, 0]),
    ([7, 6, 5, 4, 3, 2, 1, 8], [0, 0, 0, 0, 0, 0, -1, 0], [1, 1, 1, 1, 1, 1, 1, 0]),
    ([7, 7, 6, 5, 4, 3, 2, 1, 8], [0, 0, 0, 0, 0, 0, 0, -1, 0], [0, 1, 1, 1, 1, 1, 1, 1, 0]),
]


def near_limits(close: list[int], relative_to_mean: list[int]) -> pd.DataFrame:
    """Points around a mean of 0 with limits at +/-3: a close point sits at 2.5 on its side, any other at 1 (or 0)."""
    y = [side * (2.5 if near else 1.0) for near, side in zip(close, relative_to_mean, strict=True)]
    return pd.DataFrame({"y": y, "mean": 0.0, "upl": 3.0, "lpl": -3.0, "period": 0}, dtype="float64")


def part_of(two_in_three: list[int], close: list[int]) -> list[int]:
    return [int(window and near) for window, near in zip(two_in_three, close, strict=True)]


def trend_points(marks: list[int]) -> list[int]:
    """Each point's trend direction: the mark of the trend it is part of (the mark on it or the six after it)."""
    return [next((m for m in marks[i : i + 7] if m), 0) for i in range(len(marks))]


def test_two_in_three_reference_cases():
    for close, relative_to_mean, expected in TWO_IN_THREE:
        flagged = spc_rules._two_of_three(near_limits(close, relative_to_mean))
        assert flagged.astype(int).tolist() == part_of(expected, close), (close, relative_to_mean)
    for close, relative_to_mean, expected in PART_OF_TWO_IN_THREE:
        flagged = spc_rules._two_of_three(near_limits(close, relative_to_mean))
        assert flagged.astype(int).tolist() == expected, (close, relative_to_mean)
    # Making Data Count counts a point beyond the limit as close to it; NHSRplotthedots does not.
    beyond = near_limits([1, 1, 0], [1, 1, 1]).assign(y=[3.5, 2.5, 1.0])
    assert spc_rules._two_of_three(beyond).tolist() == [True, True, False]


def test_two_in_three_with_the_third_point_across_the_mean_is_common_cause():
    # Mean 6.6, limits 3.28 and 9.93: the 4s are close to the lower limit but the 8 before them is above the mean.
    frame = spc([9, 8, 8, 4, 4], improvement="increase").frame
    assert frame["lpl"].iloc[0] == pytest.approx(3.275)
    assert frame["rule"].isna().all()
    assert set(frame["variation"]) == {"common_cause"}


def test_seven_point_trend_reference_cases():
    for _, marks, expected in PART_OF_SEVEN_TREND:
        assert [abs(d) for d in trend_points(marks)] == expected
    cases = [*SEVEN_POINT_TREND, *((y, marks) for y, marks, _ in PART_OF_SEVEN_TREND)]
    for y, marks in cases:
        frame = spc(y, improvement="increase").frame
        points = zip(frame["rule"], frame["side"], frame["variation"], trend_points(marks), strict=True)
        for i, (rule, side, variation, direction) in enumerate(points):
            # a point beyond a limit is flagged by the limit rule first, as NHSRplotthedots does
            if not direction:
                assert rule != "trend", (y, i)
            elif rule != "limit":
                expected = ("high", "improvement_high") if direction > 0 else ("low", "concern_low")
                assert (rule, side, variation) == ("trend", *expected), (y, i)


def test_a_rising_trend_after_a_fall_is_improvement_from_its_first_point():
    frame = spc([2, 1, 2, 3, 4, 5, 6, 7, 3], improvement="increase").frame
    assert frame["rule"].tolist() == [None] + ["trend"] * 7 + [None]
    assert frame["variation"].tolist()[1:8] == ["improvement_high"] * 7


def test_the_point_where_a_rise_turns_into_a_fall_takes_the_fall():
    # Limits from the first four points (4 +/- 21.3), so every point of both trends stays inside them.
    frame = spc([0, 8, 0, 8, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1], improvement="increase", baseline_points=4).frame
    assert frame["rule"].tolist() == [None] * 4 + ["trend"] * 13
    assert frame["variation"].tolist()[4:] == ["improvement_high"] * 6 + ["concern_low"] * 7


# NHSRplotthedots' test data: set.seed(123); rnorm(20), one point a day from 2 Jan 2020.
RNORM_20 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621, -1.26506123, -0.68685285,
    -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113, 1.78691314, 0.49785048, -1.96661716,
    0.70135590, -0.47279141,
]  # fmt: skip
DAYS = list(pd.date_range("2020-01-02", periods=20, freq="D"))


def limits(frame: pd.DataFrame, row: int = 0) -> tuple[float, float, float]:
    return frame["mean"].iloc[row], frame["lpl"].iloc[row], frame["upl"].iloc[row]


def test_limits_match_the_reference_snapshots():
    # ptd_spc_standard snapshots r1 (as drawn), r2 (the 15th point 10, screened) and r3 (the same, not screened)
    assert limits(spc(RNORM_20, DAYS).frame) == pytest.approx((0.1416238, -3.01138, 3.294627), abs=1e-5)
    outlier = RNORM_20[:14] + [10] + RNORM_20[15:]
    screened = spc(outlier, DAYS, screen_moving_ranges=True).frame
    assert limits(screened) == pytest.approx((0.6694159, -2.383666, 3.722497), abs=1e-6)
    unscreened = spc(outlier, DAYS, screen_moving_ranges=False).frame
    assert limits(unscreened) == pytest.approx((0.6694159, -4.596625, 5.935457), abs=1e-6)
    expected_sides = [-1, -1, 1, -1, -1, 1, 1, -1, -1, -1, 1, 1, 1]
    frame = spc(RNORM_20, DAYS).frame
    assert [int(v) for v in (frame["y"] - frame["mean"]).apply(lambda d: (d > 0) - (d < 0))][:13] == expected_sides


def test_the_reference_series_is_common_cause_throughout():
    # summary(ptd_spc(...)): 20 points, 20 common cause, no improvement or concern
    result = spc(RNORM_20, DAYS, improvement="increase")
    assert result.frame["variation"].tolist() == ["common_cause"] * 20
    assert result.variation == "common_cause"


def test_each_rebased_period_has_the_limits_of_its_own_points():
    # summary() of the same series split into two groups of ten (its facet snapshot): each group's own limits
    result = spc(RNORM_20, DAYS, rebase_at=[DAYS[10]])
    assert result.frame["period"].tolist() == [0] * 10 + [1] * 10
    assert limits(result.frame, 0) == pytest.approx((0.0746, -2.60, 2.75), abs=0.005)
    assert limits(result.frame, -1) == pytest.approx((0.209, -3.28, 3.70), abs=0.005)
    # a rebase date before the first point leaves one period (the rebase = 2020-01-01 snapshot)
    before = spc(RNORM_20, DAYS, rebase_at=[pd.Timestamp("2020-01-01")])
    assert limits(before.frame) == pytest.approx((0.1416238, -3.01138, 3.294627), abs=1e-5)


def test_no_run_crosses_a_rebase():
    # Seven points above the overall mean, four before the rebase and three after: no shift in either period.
    values = [1, 2, 1, 2, 1, 2, 5, 6, 5, 6, 5, 6, 5, 2, 1, 2, 1]
    assert "shift" in spc(values).frame["rule"].tolist()
    rebased = spc(values, rebase_at=[11]).frame
    assert "shift" not in rebased["rule"].tolist()


def test_a_fixed_baseline_holds_the_limits_of_its_first_points():
    # "setting fix_after_n_points changes the calculations": limits from the first 12 points only
    fixed = spc(RNORM_20, DAYS, baseline_points=12).frame
    first_12 = RNORM_20[:12]
    mean = sum(first_12) / 12
    ranges = [abs(b - a) for a, b in zip(first_12, first_12[1:], strict=False)]
    width = 2.66 * sum(ranges) / len(ranges)
    assert limits(fixed, -1) == pytest.approx((mean, mean - width, mean + width))
    assert limits(fixed, 0) != pytest.approx(limits(spc(RNORM_20, DAYS).frame, 0))
    # points after the baseline do not move the limits, even far outside them
    moved = spc(RNORM_20[:19] + [40], DAYS, baseline_points=12).frame
    assert limits(moved, -1) == pytest.approx(limits(fixed, -1))
    assert moved["rule"].iloc[-1] == "limit"


def test_each_rebased_period_takes_its_own_fixed_baseline():
    values = RNORM_20 + [v + 5 for v in RNORM_20]
    days = list(pd.date_range("2020-01-02", periods=40, freq="D"))
    frame = spc(values, days, baseline_points=12, rebase_at=[days[20]]).frame
    assert limits(frame, 0) == pytest.approx(limits(spc(RNORM_20, DAYS, baseline_points=12).frame, 0))
    assert frame["mean"].iloc[-1] == pytest.approx(frame["mean"].iloc[0] + 5)


def test_two_close_points_on_opposite_sides_of_the_mean_are_common_cause():
    # "it only reports special cause for 2 of 3 points close to limits when they are on the same side of the mean"
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    frame = spc(values, list(pd.date_range("2020-01-02", periods=16, freq="D"))).frame
    assert frame["variation"].tolist()[-2:] == ["common_cause", "common_cause"]


# ptd_calculate_assurance_type: lower limit, mean, upper limit and a target of 4.
ASSURANCE_LIMITS = [(1, 2, 3), (5, 6, 7), (1, 4, 5)]


def last_point(lpl: float, mean: float, upl: float) -> pd.DataFrame:
    return pd.DataFrame({"y": [mean], "mean": [mean], "lpl": [lpl], "upl": [upl], "period": [0]})


@pytest.mark.parametrize(
    ("improvement", "expected"),
    [
        ("increase", ["fail", "pass", "inconsistent"]),
        ("decrease", ["pass", "fail", "inconsistent"]),
        ("neutral", [None, None, None]),
    ],
)
def test_assurance_reference_cases(improvement, expected):
    found = [spc_rules.assurance_of(last_point(*limits_), improvement, 4) for limits_ in ASSURANCE_LIMITS]
    assert found == expected
    assert spc_rules.assurance_of(last_point(1, 2, 3), improvement, None) is None


def test_assurance_is_judged_against_the_last_periods_limits():
    # "it returns correct values for assurance when rebase": the last row decides, whatever came before
    periods = [last_point(*limits_).assign(period=i) for i, limits_ in enumerate(ASSURANCE_LIMITS)]
    for order, expected in (([0, 1, 2], "inconsistent"), ([1, 2, 0], "pass"), ([2, 0, 1], "fail")):
        frame = pd.concat([periods[i] for i in order], ignore_index=True)
        assert spc_rules.assurance_of(frame, "decrease", 4) == expected


def test_a_target_on_a_limit_is_hit_and_miss():
    assert spc_rules.assurance_of(last_point(1, 2, 3), "increase", 3) == "inconsistent"
    assert spc_rules.assurance_of(last_point(1, 2, 3), "increase", 1) == "inconsistent"


def short(values_per_period: list[int]) -> list[int]:
    values = [v % 3 for v in range(sum(values_per_period))]
    starts, total = [], 0
    for n in values_per_period[:-1]:
        total += n
        starts.append(total + 1)
    return [p.points for p in spc(values, rebase_at=starts, min_points=12).short_periods]


def test_short_period_warnings_per_rebased_period():
    # ptd_add_short_group_warnings with its threshold of 12: a group of 11 warns, 12 does not, and a short group
    # among longer ones warns alone
    assert short([11]) == [11]
    assert short([12]) == []
    assert short([20, 20]) == []
    assert short([35, 5, 20, 20]) == [5]
    warned = spc([v % 3 for v in range(40)], rebase_at=[36], min_points=12).short_periods
    assert [(p.first, p.last, p.points) for p in warned] == [(36, 40, 5)]
