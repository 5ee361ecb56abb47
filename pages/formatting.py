"""How text from the data, tables, dates and the plain "not loaded" notice are shown on a page.

Figures and dates follow ``formats`` (the one place the house formats are defined): a table keeps its
numbers as numbers (so it sorts) and gets a column format for each: money in £'000 with negatives in
brackets, percentages to one decimal, dates as 30 Jul 2018, every column under a readable heading.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NoReturn

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

import formats
import safe_text

literal = safe_text.markdown  # text from the data shown as written where Streamlit renders Markdown
MONEY = {"format": "accounting", "step": 1}  # (1,976): thousands separators, negatives in brackets
PERCENT = {"format": "%.1f%%"}
DATE = {"format": "D MMM YYYY"}  # 30 Jul 2018


def dates_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns shown as dates, without a time of day."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def is_percent(column: str) -> bool:
    name = str(column)
    return name.endswith(("%", "_pct")) or name.startswith("pct_")


ROW_PX, HEADER_PX = 35, 38  # st.dataframe's row and header heights


def column_formats(
    frame: pd.DataFrame, money: Iterable[str] = (), percent: Iterable[str] = (), pinned: Iterable[str] = ()
) -> dict:
    """A ``column_config`` for ``frame``: every column under its readable heading, in the house format.

    Money is a column named in ``money`` or whose heading says £; percentages are named in ``percent`` or end in
    % or _pct; dates are any column of dates. Columns a Styler has already written as text keep that text. Columns
    named in ``pinned`` stay in view (on the left) when the table scrolls sideways."""
    money, percent, pinned = set(money), set(percent), set(pinned)
    shown = {}
    for column in frame.columns:
        label = formats.heading(column)
        values = frame[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if numeric and (column in money or "£" in label):
            shown[column] = st.column_config.NumberColumn(label, **MONEY)
        elif numeric and (column in percent or is_percent(column)):
            shown[column] = st.column_config.NumberColumn(label, **PERCENT)
        elif formats.is_date_column(values):
            shown[column] = st.column_config.DateColumn(label, **DATE)
        elif numeric and pd.api.types.is_float_dtype(values):
            shown[column] = st.column_config.NumberColumn(label, format="localized")
        else:
            shown[column] = st.column_config.Column(label)
        if column in pinned:
            shown[column]["pinned"] = True
    return shown


def show_table(
    frame: pd.DataFrame | Styler,
    money: Iterable[str] = (),
    percent: Iterable[str] = (),
    pinned: Iterable[str] = (),
    whole: bool = False,
    **kwargs,
) -> None:
    """``st.dataframe`` of a frame (or a pandas Styler) in the house formats, without the index; a missing value
    is a dash, never None. ``pinned`` columns stay in view; ``whole`` shows every row without a scroll bar. In
    presentation view the table is folded away under its row count."""
    from pages.presentation import folded

    styled = isinstance(frame, Styler)
    data = frame.data if styled else dates_only(frame)
    if whole:
        kwargs.setdefault("height", HEADER_PX + ROW_PX * max(len(data), 1))  # every row, no scroll bar
    with folded(f"Table: {len(data)} row{'s' if len(data) != 1 else ''}"):
        st.dataframe(
            frame if styled else data,
            hide_index=True,
            column_config=column_formats(data, money, percent, pinned),
            placeholder=formats.MISSING,
            **kwargs,
        )


def not_loaded(what: str, org: str | None = None) -> None:
    who = f" for {literal(org)}" if org else ""
    st.info(f"No {literal(what)} is loaded{who}. Upload the workbook on the Data page.")


def stop_not_loaded(what: str, org: str | None = None, title: str | None = None) -> NoReturn:
    """``not_loaded`` and the end of the page, under the page's ``title`` when it has not shown one yet."""
    if title:
        st.title(title)
    not_loaded(what, org)
    st.stop()
