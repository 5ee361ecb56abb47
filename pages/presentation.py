"""Presentation view: no sidebar or toolbar, larger type; one click to the next page. Static CSS of our own."""

from __future__ import annotations

import streamlit as st

from pages.organisations import selected_orgs
from pages.url_state import url_state

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbar"], [data-testid="stHeader"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding-top: 1.5rem; max-width: 100%; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stCaptionContainer"] { font-size: 1.3rem; }
h1 { font-size: 3rem !important; }
h2, h3 { font-size: 2.1rem !important; }
[data-testid="stMetricValue"] { font-size: 3rem; }
[data-testid="stMetricLabel"] p { font-size: 1.3rem; }
</style>
"""
PRESENTATION_SKIPS = {"data"}


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def presentation_toggle() -> None:
    with st.sidebar:
        url_state("present", False, [False, True], omit_default=True)
        st.toggle("Presentation view", key="present", help="Large type, no sidebar; share the link to present.")


def leave_presentation() -> None:
    st.session_state["present"] = False


def next_page(path: str, pages: list):
    """The page after ``path`` in a presentation, wrapping round; pages for data entry are skipped."""
    steps = [p for p in pages if p.url_path not in PRESENTATION_SKIPS]
    paths = [p.url_path for p in steps]
    return steps[(paths.index(path) + 1) % len(steps)] if path in paths else steps[0]


def presentation(current, pages: list) -> None:
    """In presentation view: the presentation styling and a bar to step to the next page or leave the view."""
    if not presenting():
        return
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    after = next_page(current.url_path, pages)
    with st.container(horizontal=True, horizontal_alignment="right", key="presentation_bar"):
        st.page_link(
            after,
            label=f"Next: {after.title}",
            icon=":material/arrow_forward:",
            query_params={"org": selected_orgs(), "present": "1"},
        )
        st.button("Leave presentation view", on_click=leave_presentation, key="leave_presentation")
