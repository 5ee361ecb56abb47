"""Assurance dashboard: navigation and the shared sidebar."""

import streamlit as st

import config
import safe_text
from pages import access, organisations, plotting, presentation, store_view, url_state

st.set_page_config(page_title="Assurance dashboard", layout="wide")
try:
    config.settings()
except config.ConfigError as exc:  # the app cannot run on it: say which key, once, and nothing else
    st.error(safe_text.markdown(str(exc)))
    st.stop()

PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="overview", icon=":material/dashboard:"),
    st.Page("pages/risks.py", title="Risks", url_path="risks", icon=":material/grid_on:"),
    st.Page("pages/qipp.py", title="QIPP", url_path="qipp", icon=":material/filter_alt:"),
    st.Page("pages/finance.py", title="Finance", url_path="finance", icon=":material/account_balance:"),
    st.Page("pages/activity.py", title="Activity", url_path="activity", icon=":material/show_chart:"),
    st.Page("pages/improvement.py", title="Improvement plan", url_path="improvement", icon=":material/checklist:"),
    st.Page("pages/data.py", title="Data", url_path="data", icon=":material/upload_file:"),
]


def open_overview() -> None:
    """The root URL opens the Overview at its own path, with the link's query string."""
    st.switch_page(PAGES[0], query_params={name: st.query_params.get_all(name) for name in st.query_params})


# Streamlit serves the default page at "/" and nowhere else, so the Overview is not the default page: a link to
# its own path (/overview) would find no page.
ROOT = st.Page(open_overview, title="Overview", url_path="start", default=True, visibility="hidden")
navigation = st.navigation([ROOT, *PAGES])
if navigation is ROOT:
    navigation.run()
store_view.begin_run()
access.sign_in_gate()
url_state.begin_page(navigation.url_path)
organisations.sidebar()
presentation.presentation_toggle()
plotting.image_format_choice()
presentation.presentation(navigation, PAGES)
navigation.run()
