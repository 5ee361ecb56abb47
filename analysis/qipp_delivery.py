"""In-year QIPP delivery: year-to-date plan against actual by month where a tracker is phased, and the forecast.

Money is GBP thousands. Months to date are those with an actual stated for any scheme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

MONTHLY_COLUMNS = ["month", "plan", "actual", "cumulative_plan", "cumulative_actual"]


def monthly(phasing: pd.DataFrame, refs=None) -> pd.DataFrame:
    """Plan and actual summed by month over the schemes (those in ``refs`` when given), with running totals.
    The actual and its running total stop at the last month with an actual; later months are plan only."""
    if refs is not None:
        phasing = phasing[phasing["ref"].isin(list(refs))]
    if phasing.empty:
        return pd.DataFrame(columns=MONTHLY_COLUMNS)
    grouped = phasing.groupby("month", sort=True).agg(
        plan=("plan", lambda v: v.sum(min_count=1)),
        actual=("actual", lambda v: v.sum(min_count=1)),
    )
    frame = grouped.reset_index()
    frame["cumulative_plan"] = frame["plan"].fillna(0.0).cumsum()
    stated = frame["actual"].notna()
    last = stated[stated].index.max() if stated.any() else None
    to_date = frame.index <= last if last is not None else [False] * len(frame)
    frame["actual"] = frame["actual"].where(to_date)
    frame["cumulative_actual"] = frame["actual"].fillna(0.0).cumsum().where(to_date)
    return frame[MONTHLY_COLUMNS]


def scheme_keys(schemes: pd.DataFrame) -> list[str]:
    """How a tracker's phasing names each scheme: its reference, else (a tracker without references) its name."""
    return schemes["ref"].fillna(schemes["name"]).dropna().tolist()


@dataclass(frozen=True)
class InYear:
    """Year-to-date plan and actual, forecast and annual plan of a set of schemes (None where not stated)."""

    plan_ytd: float | None
    actual_ytd: float | None
    forecast: float | None
    annual: float | None
    to_month: object | None  # the last month to date, where the phasing gives it
    from_phasing: bool  # year to date summed from the monthly phasing, the tracker stating no YTD columns

    @property
    def variance(self) -> float | None:
        """Actual less plan to date: positive is ahead of plan."""
        if self.plan_ytd is None or self.actual_ytd is None:
            return None
        return self.actual_ytd - self.plan_ytd


def _total(series: pd.Series) -> float | None:
    return float(series.sum()) if series.notna().any() else None


def in_year(schemes: pd.DataFrame, by_month: pd.DataFrame) -> InYear | None:
    """The schemes' stated year-to-date figures, else those the phasing gives; None when neither is stated."""
    plan, actual = _total(schemes["plan_ytd"]), _total(schemes["actual_ytd"])
    forecast = _total(schemes["forecast"])
    to_date = by_month[by_month["cumulative_actual"].notna()]
    to_month = to_date["month"].iloc[-1] if len(to_date) else None
    from_phasing = plan is None and actual is None and to_month is not None
    if from_phasing:
        plan, actual = float(to_date["cumulative_plan"].iloc[-1]), float(to_date["cumulative_actual"].iloc[-1])
    if plan is None and actual is None and forecast is None:
        return None
    annual = float(by_month["cumulative_plan"].iloc[-1]) if len(by_month) else _total(schemes["value"])
    return InYear(plan, actual, forecast, annual, to_month, from_phasing)
