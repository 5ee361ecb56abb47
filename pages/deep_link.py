"""A link straight to a page (/risks) must still run app.py, which frames every page with its navigation and sidebar.

Until st.navigation has run once in a server process, Streamlit treats a folder named pages/ as an old-style
multipage app and runs a deep-linked page without app.py. Importing this module switches that off; a page run on
its own in this way is rerun once (``rerun_through_app``), and app.py then runs it.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

NAVIGATION_RERUN = "_navigation_rerun"

if PagesManager.uses_pages_directory:
    # Not st.rerun() here: it would abort this import while other sessions' first requests wait on it.
    PagesManager.uses_pages_directory = False


def rerun_through_app() -> None:
    """Rerun a page Streamlit ran without app.py, once per session."""
    if not st.session_state.get(NAVIGATION_RERUN):
        st.session_state[NAVIGATION_RERUN] = True
        st.rerun()
