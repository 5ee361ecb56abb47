"""A table's downloads as CSV and XLSX, built only when a button is clicked."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

import formats
from pages.formatting import literal
from store import export

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloads(frame: pd.DataFrame, name: str, key: str, label: str | None = None) -> None:
    """The table as CSV and XLSX under readable headings, neutralised against formula injection; clicking does not
    rerun the page.

    The files are built only when a button is clicked, not on every run of the page."""
    words = name.replace("_", " ").replace("-", " ")
    label = label or words[:1].upper() + words[1:]
    shown = literal(label)
    frame = formats.readable(frame.data if isinstance(frame, Styler) else frame)
    with st.container(horizontal=True):
        st.download_button(
            f"{shown} (CSV)",
            lambda: export.table_csv(frame),
            f"{name}.csv",
            "text/csv",
            key=f"{key}_csv",
            on_click="ignore",
        )
        st.download_button(
            f"{shown} (XLSX)",
            lambda: export.table_xlsx(frame, label[:31]),
            f"{name}.xlsx",
            XLSX_MIME,
            key=f"{key}_xlsx",
            on_click="ignore",
        )
