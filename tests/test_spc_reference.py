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
