"""Presentation view: no sidebar or toolbar, large type, each page's story on one screen (its detail tables folded
away, its downloads and detail sections left out); Previous and Next step through the pages. Static CSS of our own."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

import streamlit as st

from pages.organisations import selected_orgs
from pages.url_state import url_state

PRESENTATION_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stToolbar"], [data-testid="stHeader"], [data-testid="stDecoration"] { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 2.5rem 1rem 2.5rem; max-width: 100%; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.6rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.3rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
h1 { font-size: 2.6rem !important; padding: 0.25rem 0 0.5rem 0 !important; line-height: 1.15 !important; }
h2, h3 { font-size: 1.9rem !important; padding: 0.25rem 0 !important; }
[data-testid="stMetricLabel"] p { font-size: 1.15rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 2.8rem !important; line-height: 1.2; }
[data-testid="stMetricDelta"] p { font-size: 1.15rem !important; }
.st-key-presentation_bar { gap: 0.5rem; }
.st-key-presentation_bar [data-testid="stPageLink"] p { font-size: 1.15rem; }
@media (max-height: 800px) {
  h1 { font-size: 2.1rem !important; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] p { font-size: 2.2rem !important; }
}
</style>
"""
PRESENTATION_SKIPS = {"data"}
MAX_CHART_HEIGHT = 460  # a chart and the page's headline figures on one 1920x1080 screen


def presenting() -> bool:
    return bool(st.session_state.get("present"))


def presentation_toggle() -> None:
    with st.sidebar:
        url_state("present", False, [False, True], omit_default=True)
        st.toggle("Presentation view", key="present", help="Large type, no sidebar; share the link to present.")


def leave_presentation() -> None:
    st.session_state["present"] = False


def _step(path: str, pages: list, by: int):
    """The page ``by`` steps from ``path`` in a presentation, wrapping round; pages for data entry are skipped.
    From a page that is not a step, the first step forward is the first page and back the last."""
    steps = [p for p in pages if p.url_path not in PRESENTATION_SKIPS]
    paths = [p.url_path for p in steps]
    return steps[(paths.index(path) + by) % len(steps)] if path in paths else steps[0 if by > 0 else -1]


next_page = partial(_step, by=1)
previous_page = partial(_step, by=-1)


def presentation(current, pages: list) -> None:
    """In presentation view: the presentation styling and a bar to step to the previous or next page or leave."""
    if not presenting():
        return
    st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
    before, after = previous_page(current.url_path, pages), next_page(current.url_path, pages)
    link = {"org": selected_orgs(), "present": "1"}
    with st.container(horizontal=True, horizontal_alignment="right", key="presentation_bar"):
        st.page_link(before, label=f"Previous: {before.title}", icon=":material/arrow_back:", query_params=link)
        st.page_link(after, label=f"Next: {after.title}", icon=":material/arrow_forward:", query_params=link)
        st.button("Leave presentation view", on_click=leave_presentation, key="leave_presentation")


def story_ends() -> None:
    """In presentation view the page stops here: what follows is detail for reading, not for the screen."""
    if presenting():
        st.caption("More detail below this point outside presentation view.")
        st.stop()


_FOLDED = ContextVar("folded", default=False)


@contextmanager
def folded(label: str):
    """Where detail goes: folded away in an expander in presentation view (once: a fold inside a fold is shown in
    place), shown in place otherwise."""
    if not presenting() or _FOLDED.get():
        yield
        return
    token = _FOLDED.set(True)
    try:
        with st.expander(label):
            yield
    finally:
        _FOLDED.reset(token)
