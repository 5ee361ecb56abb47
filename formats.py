"""How figures, dates and column names are written on every page, table, download and the board pack.

NHS finance conventions: money in £'000 with thousands separators, negative (adverse) figures in
brackets ``(1,976)``; percentages to one decimal place; dates as ``30 Jul 2018``; columns under
readable headings, never a field name such as ``plan_as_at``. Nothing here imports Streamlit, so
charts, the store's exports and the board pack write figures the same way the pages do.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

import pandas as pd

MISSING = "–"
MONEY_TICKS = "(,.0f"  # the same in a chart (d3-format): thousands separators, negatives in brackets
MONTH_FORMAT = "%b %Y"

# Headings that are not simply the field's words, which ``heading`` writes for every other field.
HEADINGS = {
    "rag": "RAG",
    "rag_label": "RAG as written",
    "actual_as_at": "Actuals as at",
    "due_text": "Due (as written)",
    "due_date": "Due",
    "original_due_date": "First due",
    "plan_ytd": "Plan YTD",
    "actual_ytd": "Actual YTD",
    "variance_pct": "Variance %",
    "qipp": "QIPP",
    "value": "Net value £'000",
    "risk_adjusted_value": "Risk-adjusted £'000",
    "target": "Target £'000",
    "gap": "Gap £'000",
    "forecast": "Forecast £'000",
    "ytd_budget": "YTD budget £'000",
    "ytd_actual": "YTD actual £'000",
    "ytd_variance": "YTD variance £'000",
    "annual_budget": "Annual budget £'000",
    "forecast_outturn": "Forecast outturn £'000",
    "forecast_variance": "Forecast variance £'000",
    "pct_complete": "% complete",
    "blue": "Complete",
    "grey": "Not started",
}
FIELD_NAME = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
WORD = re.compile(r"^[a-z]+$")  # a one-word field (``restated``)


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def money(value, brackets: bool = True, missing: str = MISSING) -> str:
    """£'000 to the nearest thousand: ``1,976``; a negative ``(1,976)``, or ``-1,976`` without ``brackets``."""
    if is_missing(value):
        return missing
    rounded = round(float(value))
    if rounded < 0:
        return f"({-rounded:,})" if brackets else f"-{-rounded:,}"
    return f"{rounded:,}"


def count(value, missing: str = MISSING) -> str:
    """A count or an activity figure: ``12,345``, with a minus sign when negative (not money)."""
    return missing if is_missing(value) else f"{round(float(value)):,}"


def percent(value, signed: bool = False, missing: str = MISSING, symbol: bool = True) -> str:
    """A percentage to one decimal place: ``65.2%``, ``+5.9%`` with ``signed``, ``65.2`` without ``symbol`` (under
    a heading that says %)."""
    if is_missing(value):
        return missing
    return (f"{float(value):+.1f}" if signed else f"{float(value):.1f}") + ("%" if symbol else "")


def date(value, missing: str = MISSING) -> str:
    """``30 Jul 2018``."""
    if is_missing(value):
        return missing
    day = pd.Timestamp(value)
    return f"{day.day} {day:%b %Y}"


def month(value, missing: str = MISSING) -> str:
    """``Jul 2018``."""
    return missing if is_missing(value) else pd.Timestamp(value).strftime(MONTH_FORMAT)


def heading(column: str) -> str:
    """The readable heading of a field: from ``HEADINGS``, else the field's words (``days_late`` -> ``Days late``,
    ``restated`` -> ``Restated``).

    A column that is not a field name (already a heading) is kept as it is."""
    column = str(column)
    if column in HEADINGS:
        return HEADINGS[column]
    if FIELD_NAME.match(column) or WORD.match(column):
        return column.replace("_", " ").capitalize()
    return column


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={c: heading(c) for c in frame.columns})


def is_date_column(values: pd.Series) -> bool:
    """Datetimes, or objects that are all dates (or missing) with at least one date."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return True
    if values.dtype != object:
        return False
    seen = False
    for value in values:  # stops at the first value that is not a date, without copying the column
        if isinstance(value, pd.Timestamp | datetime.date):
            seen = True
        elif not is_missing(value):
            return False
    return seen


def _number(value) -> str:
    if is_missing(value):
        return MISSING
    return count(value) if float(value).is_integer() else f"{float(value):,.1f}"


def written(
    frame: pd.DataFrame, money_columns: Iterable[str] = (), percent_columns: Iterable[str] = ()
) -> pd.DataFrame:
    """Every cell as text under readable headings: money, percentages and dates in the house formats, a dash for
    what is missing (never nan, None or NaT). For the board pack and other places a format cannot be attached."""
    money_columns, percent_columns = set(money_columns), set(percent_columns)
    shown = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if column in money_columns:
            shown[column] = [money(v) for v in values]
        elif column in percent_columns:
            shown[column] = [percent(v) for v in values]
        elif is_date_column(values):
            shown[column] = [date(v) for v in values]
        elif pd.api.types.is_bool_dtype(values):
            shown[column] = ["Yes" if v else "No" for v in values]
        elif pd.api.types.is_numeric_dtype(values):
            shown[column] = [_number(v) for v in values]
        else:
            shown[column] = [MISSING if is_missing(v) else str(v) for v in values]
    return readable(shown.reset_index(drop=True))


def file_word(text: str) -> str:
    """An organisation's name as part of a file name: letters, digits and hyphens only."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").lower() or "organisation"
