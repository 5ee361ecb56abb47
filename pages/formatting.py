"""How text from the data, dates and the plain "not loaded" notice are shown on a page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import safe_text

literal = safe_text.markdown  # text from the data shown as written where Streamlit renders Markdown


def dates_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns shown as dates, without a time of day."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


def not_loaded(what: str, org: str | None = None) -> None:
    who = f" for {literal(org)}" if org else ""
    st.info(f"No {literal(what)} is loaded{who}. Upload the workbook on the Data page.")
