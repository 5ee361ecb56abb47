"""Plotly charts on a page: sized for presentation, an image download in the chosen format, clicks on points."""

from __future__ import annotations

import streamlit as st

from charts.selection import point_values
from pages.presentation import MAX_CHART_HEIGHT, presenting

IMAGE_FORMATS = ("png", "svg")
PLOTLY_HEIGHT = 450  # a figure's height when it does not set one


def chart(figure, key: str, name: str | None = None, **kwargs):
    """A Plotly chart with its image download (PNG or SVG, as chosen in the sidebar) and presentation sizing."""
    from charts import export as chart_export

    shown = figure
    if presenting():
        shown = chart_export.for_presentation(figure)
        shown.update_layout(height=min(shown.layout.height or PLOTLY_HEIGHT, MAX_CHART_HEIGHT))
    config = chart_export.image_config(name or key, image_format())
    return st.plotly_chart(shown, key=key, config=config, **kwargs)


def image_format() -> str:
    return st.session_state.get("image_format", IMAGE_FORMATS[0])


def image_format_choice() -> None:
    with st.sidebar:
        st.radio(
            "Chart images download as",
            IMAGE_FORMATS,
            format_func=str.upper,
            key="image_format",
            horizontal=True,
            help="The camera button on each chart's toolbar downloads the chart in this format.",
        )


def clicked(key: str) -> str | None:
    """The first value of ``customdata`` of a newly clicked point in the chart with this key, once per click."""
    event = st.session_state.get(key) or {}
    points = (event.get("selection") or {}).get("points") or []
    marker = f"{key}_applied"
    if not points:
        st.session_state.pop(marker, None)
        return None
    if st.session_state.get(marker) == repr(points):
        return None
    st.session_state[marker] = repr(points)
    values = point_values(points[0])
    return values[0] if values else None
