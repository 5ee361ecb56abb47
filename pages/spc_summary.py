"""The Making Data Count summary table: one row per measure, the icons drawn as images."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import formats
from charts.spc_icons import assurance_icon, data_uri, variation_icon

ROW_HEIGHT = 56
BETTER = {"increase": "Higher", "decrease": "Lower", "neutral": "Neither"}
COUNT = {"format": "localized", "step": 1}


def show_spc_summary(frame: pd.DataFrame) -> None:
    """The summary (``analysis.spc_summary.summary``) as a table, the icons' meaning in their headings' hover text."""
    number = st.column_config.NumberColumn
    columns = {
        "code": st.column_config.TextColumn("Code", width="small"),
        "title": st.column_config.TextColumn("Point of delivery", width="medium"),
        "improvement": st.column_config.TextColumn("Better"),
        "latest_month": st.column_config.TextColumn("Month", help="The latest month with an actual"),
        "latest": number("Latest value", **COUNT),
        "variation": st.column_config.ImageColumn(
            "Variation",
            help="Grey: common cause. Blue: improvement. Orange: concern. Purple: neither. "
            "H or L: unusually high or low.",
        ),
        "assurance": st.column_config.ImageColumn(
            "Assurance", help="P: consistently passes the target. F: consistently fails it. ?: hit and miss."
        ),
        "mean": number("Mean", **COUNT),
        "lpl": number("Lower limit", help="Lower process limit: mean - 2.66 x mean moving range", **COUNT),
        "upl": number("Upper limit", help="Upper process limit: mean + 2.66 x mean moving range", **COUNT),
        "target": number("Target", **COUNT),
    }
    shown = frame[list(columns)].assign(
        improvement=frame["improvement"].map(BETTER),
        latest_month=frame["latest_month"].map(formats.month),
        variation=frame["variation"].map(lambda v: data_uri(variation_icon(v)) if isinstance(v, str) else None),
        assurance=frame["assurance"].map(lambda a: data_uri(assurance_icon(a)) if isinstance(a, str) else None),
    )
    st.dataframe(
        shown,
        hide_index=True,
        row_height=ROW_HEIGHT,
        height=ROW_HEIGHT * (len(shown) + 1) + 3,
        placeholder=formats.MISSING,
        column_config=columns,
    )
