"""Statistical process control as NHS England's "Making Data Count" (MDC) does it: an XmR chart.

The mean and the mean moving range come from each period's baseline; the process limits are the mean
+/- 2.66 x the mean moving range. Moving ranges of 3.267 x their mean or more can be screened out
before the limits are set (on by default; off reproduces the MDC Excel tool). A rebase starts a new
period with its own limits; no run crosses a period boundary.

Assurance, as NHSRplotthedots' ``ptd_spc(target=)``: one target against the latest period's limits. A trajectory
(a monthly plan) is drawn alongside but never decides the assurance.

Special-cause rules, in priority order (a point takes the first rule that flags it):
1. ``limit``: a point beyond a process limit;
2. ``trend``: six consecutive increases or decreases (seven points, each pointing the trend's way; an equal
   value breaks the run);
3. ``two_of_three``: two of three consecutive points beyond two-thirds of the way to a limit, all three on
   that side of the mean;
4. ``shift``: seven consecutive points on one side of the mean (a point on the mean breaks the run).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import config

LIMIT_FACTOR = 2.66
SCREEN_FACTOR = 3.267
TREND_STEPS = 6
SHIFT_POINTS = 7
DIRECTIONS = ("increase", "decrease", "neutral")
RULES = ("limit", "trend", "two_of_three", "shift")
RULE_LABELS = {
    "limit": "beyond a process limit",
    "trend": "run of 6 increases or decreases",
    "two_of_three": "2 of 3 points near a limit",
    "shift": "7 points on one side of the mean",
}
COMMON = "common_cause"
VARIATION_LABELS = {
    COMMON: "Common cause variation",
    "improvement_high": "Special cause: improvement (higher)",
    "improvement_low": "Special cause: improvement (lower)",
    "concern_high": "Special cause: concern (higher)",
    "concern_low": "Special cause: concern (lower)",
    "neutral_high": "Special cause: neither improvement nor concern (higher)",
    "neutral_low": "Special cause: neither improvement nor concern (lower)",
}
ASSURANCE_LABELS = {
    "pass": "Target consistently passed",
    "fail": "Target consistently failed",
    "inconsistent": "Target inconsistently passed (hit and miss)",
}


@dataclass(frozen=True)
class ShortPeriod:
    """A period (between rebases) with fewer points than Making Data Count asks for: its limits are provisional."""

    first: object
    last: object
    points: int


@dataclass
class SpcResult:
    """One row per point (``frame``) and what the chart says about the process.

    ``short_periods`` lists each period with fewer than ``min_points``; ``skipped`` the x values left out between
    the first and the last point (a missing value, or a month absent from a monthly series)."""

    frame: pd.DataFrame
    improvement: str
    screened: bool
    min_points: int
    short_periods: list[ShortPeriod] = field(default_factory=list)
    skipped: list = field(default_factory=list)
    target: float | None = None

    @property
    def variation(self) -> str:
        """The variation icon, from the last point."""
        return variation_of(self.frame)

    @property
    def assurance(self) -> str | None:
        """The assurance icon: the target against the latest period's limits (None without a target or direction)."""
        return assurance_of(self.frame, self.improvement, self.target)

    def describe(self) -> str:
        words = VARIATION_LABELS[self.variation]
        if self.assurance:
            words += "; " + ASSURANCE_LABELS[self.assurance].lower()
        return words


def spc(
    values,
    x=None,
    *,
    improvement: str = "neutral",
    target: float | None = None,
    trajectory=None,
    screen_moving_ranges: bool | None = None,
    baseline_points: int | None = None,
    rebase_at=(),
    min_points: int | None = None,
) -> SpcResult:
    """Compute an XmR chart of ``values`` (in order), optionally indexed by ``x`` (dates or numbers).

    ``target`` is the one number the assurance is judged against; ``trajectory`` is one value per point (e.g. a
    monthly plan), drawn but not judged; ``baseline_points`` fixes each period's limits after its first n points;
    ``rebase_at`` lists x values at which a new period starts.
    ``screen_moving_ranges`` and ``min_points`` not given are as ``[spc]`` in the configuration says.
    """
    settings = config.settings().spc
    screen_moving_ranges = settings.screen_moving_ranges if screen_moving_ranges is None else screen_moving_ranges
    min_points = settings.min_points if min_points is None else min_points
    if improvement not in DIRECTIONS:
        raise ValueError(f"improvement must be one of {DIRECTIONS}, not {improvement!r}")
    y = pd.to_numeric(pd.Series(list(values), dtype="float64"), errors="coerce").to_numpy()
    xs = list(range(1, len(y) + 1)) if x is None else list(x)
    if len(xs) != len(y):
        raise ValueError("x and values differ in length")
    if target is not None and (np.ndim(target) != 0 or pd.isna(target)):
        raise ValueError("target must be one number; a value per point is a trajectory")
    frame = pd.DataFrame({"x": xs, "y": y})
    frame["target"] = np.nan if target is None else float(target)
    frame["trajectory"] = _per_point(trajectory, len(y))
    skipped = _skipped(frame)
    frame = frame[frame["y"].notna()].reset_index(drop=True)
    frame["period"] = _periods(frame["x"], rebase_at)
    parts = [
        _period_limits(part, screen_moving_ranges, baseline_points) for _, part in frame.groupby("period", sort=True)
    ]
    frame = pd.concat(parts, ignore_index=True) if parts else _empty_frame()
    rules, sides = _rules(frame)
    frame["rule"] = pd.Series(rules, index=frame.index, dtype="object")
    frame["side"] = sides
    frame["variation"] = [
        _variation(rule, side, improvement) for rule, side in zip(frame["rule"], frame["side"], strict=True)
    ]
    short = [
        ShortPeriod(part["x"].iloc[0], part["x"].iloc[-1], len(part))
        for _, part in frame.groupby("period", sort=True)
        if len(part) < min_points
    ]
    return SpcResult(
        frame, improvement, screen_moving_ranges, min_points, short, skipped, None if target is None else float(target)
    )


def _empty_frame() -> pd.DataFrame:
    columns = ["x", "y", "target", "trajectory", "period", "moving_range", "mean", "mean_moving_range", "upl", "lpl"]
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


def _per_point(values, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    out = pd.to_numeric(pd.Series(list(values), dtype="object"), errors="coerce").to_numpy(dtype="float64")
    if len(out) != n:
        raise ValueError("trajectory must have one value per point")
    return out


def _skipped(frame: pd.DataFrame) -> list:
    """x values between the first and last point that have no value, and months a monthly series lacks."""
    present = frame["y"].notna().to_numpy()
    if not present.any():
        return []
    first, last = np.flatnonzero(present)[[0, -1]]
    inside = frame.iloc[first : last + 1]
    missing = list(inside.loc[inside["y"].isna(), "x"])
    kept = inside.loc[inside["y"].notna(), "x"]
    if len(kept) and all(isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "month") for v in kept):
        stamps = pd.to_datetime(pd.Series(list(kept)))
        if (stamps.dt.day == 1).all():
            calendar = pd.date_range(stamps.min(), stamps.max(), freq="MS")
            missing += [m for m in calendar if m not in set(stamps) and m not in set(pd.to_datetime(missing))]
    return sorted(missing, key=lambda v: pd.Timestamp(v) if hasattr(v, "month") else v)


def _periods(xs: pd.Series, rebase_at) -> np.ndarray:
    period = np.zeros(len(xs), dtype=int)
    for start in sorted(rebase_at):
        period += np.array([value >= start for value in xs], dtype=int)
    return period


def _period_limits(part: pd.DataFrame, screen: bool, baseline_points: int | None) -> pd.DataFrame:
    part = part.copy()
    y = part["y"].to_numpy()
    moving_range = np.abs(np.diff(y, prepend=np.nan))
    part["moving_range"] = moving_range
    n = len(y) if not baseline_points else min(baseline_points, len(y))
    mean = float(np.mean(y[:n]))
    ranges = moving_range[1:n]
    mean_range = float(np.mean(ranges)) if len(ranges) else np.nan
    if screen and len(ranges):
        kept = ranges[ranges < SCREEN_FACTOR * mean_range]
        mean_range = float(np.mean(kept)) if len(kept) else mean_range
    part["mean"] = mean
    part["mean_moving_range"] = mean_range
    part["upl"] = mean + LIMIT_FACTOR * mean_range
    part["lpl"] = mean - LIMIT_FACTOR * mean_range
    return part


def _rules(frame: pd.DataFrame) -> tuple[list[str | None], list[str | None]]:
    """Each point's rule (the first in ``RULES`` that flags it) and which way it points, "high" or "low"."""
    rule: list[str | None] = [None] * len(frame)
    side: list[str | None] = [None] * len(frame)
    trend = _trend(frame)
    above = (frame["y"] > frame["mean"]).to_numpy()
    flags = {
        "limit": _beyond_limits(frame),
        "trend": trend != 0,
        "two_of_three": _two_of_three(frame),
        "shift": _shift(frame),
    }
    for name in RULES:
        for i in np.flatnonzero(flags[name]):
            if rule[i] is None:
                rule[i] = name
                side[i] = "high" if (trend[i] > 0 if name == "trend" else above[i]) else "low"
    return rule, side


def _beyond_limits(frame: pd.DataFrame) -> np.ndarray:
    return ((frame["y"] > frame["upl"]) | (frame["y"] < frame["lpl"])).to_numpy()


def _runs(frame: pd.DataFrame, signs: np.ndarray, length: int) -> np.ndarray:
    """Points in runs of at least ``length`` equal non-zero signs within one period."""
    flagged = np.zeros(len(signs), dtype=bool)
    periods = frame["period"].to_numpy()
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start] or periods[i] != periods[start]:
            if signs[start] != 0 and i - start >= length:
                flagged[start:i] = True
            start = i
    return flagged


def _trend(frame: pd.DataFrame) -> np.ndarray:
    """Six consecutive increases (or decreases): the seven points involved, 1 rising and -1 falling (0 in no trend).

    A point where one trend turns into the other takes the later trend's direction.
    """
    y = frame["y"].to_numpy()
    periods = frame["period"].to_numpy()
    direction = np.zeros(len(y), dtype=int)
    if len(y) < 2:
        return direction
    step = np.sign(np.diff(y)).astype(int)
    step[periods[1:] != periods[:-1]] = 0  # no trend across a rebase
    for i in np.flatnonzero(_runs(frame.iloc[1:], step, TREND_STEPS)):
        direction[i] = direction[i + 1] = step[i]
    return direction


def _two_of_three(frame: pd.DataFrame) -> np.ndarray:
    """Two of three consecutive points beyond two-thirds of the way to a limit, all three on that side of the mean.

    A point beyond the process limit counts as near it, as Making Data Count's current practice has it (the
    limit rule then takes that point itself); NHSRplotthedots counts only the points short of the limit.
    """
    y, mean = frame["y"].to_numpy(), frame["mean"].to_numpy()
    upper = mean + (frame["upl"].to_numpy() - mean) * 2 / 3
    lower = mean - (mean - frame["lpl"].to_numpy()) * 2 / 3
    side = np.sign(y - mean)
    periods = frame["period"].to_numpy()
    flagged = np.zeros(len(y), dtype=bool)
    for near, sign in ((y > upper, 1), (y < lower, -1)):
        for start in range(len(y) - 2):
            window = slice(start, start + 3)
            if len(set(periods[window])) == 1 and near[window].sum() >= 2 and (side[window] == sign).all():
                flagged[window] |= near[window]
    return flagged


def _shift(frame: pd.DataFrame) -> np.ndarray:
    return _runs(frame, np.sign(frame["y"].to_numpy() - frame["mean"].to_numpy()), SHIFT_POINTS)


def _variation(rule: str | None, side: str | None, improvement: str) -> str:
    if not isinstance(rule, str):
        return COMMON
    if improvement == "neutral":
        return f"neutral_{side}"
    good = (side == "high") == (improvement == "increase")
    return f"{'improvement' if good else 'concern'}_{side}"


def variation_of(frame: pd.DataFrame) -> str:
    return str(frame["variation"].iloc[-1]) if len(frame) else COMMON


def assurance_of(frame: pd.DataFrame, improvement: str, target: float | None) -> str | None:
    """The target against the last point's limits (the latest period's): "pass", "fail", "inconsistent", or None.

    A target beyond a limit on the improving side (below the lower limit where higher is better) is passed
    consistently; beyond the other limit, failed consistently; between or on the limits, hit and miss.
    """
    if improvement == "neutral" or target is None or pd.isna(target) or not len(frame):
        return None
    upl, lpl = frame["upl"].iloc[-1], frame["lpl"].iloc[-1]
    if pd.isna(upl):
        return None
    increasing = improvement == "increase"
    if target > upl:
        return "fail" if increasing else "pass"
    if target < lpl:
        return "pass" if increasing else "fail"
    return "inconsistent"


def special_cause_kind(variation: str) -> str:
    """ "improvement", "concern", "neutral" or "common_cause": the colour class of a point."""
    return COMMON if variation == COMMON else variation.split("_")[0]
