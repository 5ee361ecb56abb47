"""Assurance dashboard: navigation and the shared sidebar."""

import streamlit as st

from pages import common

st.set_page_config(page_title="Assurance dashboard", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", url_path="overview", icon=":material/dashboard:", default=True),
    st.Page("pages/risks.py", title="Risks", url_path="risks", icon=":material/grid_on:"),
    st.Page("pages/qipp.py", title="QIPP", url_path="qipp", icon=":material/filter_alt:"),
    st.Page("pages/finance.py", title="Finance", url_path="finance", icon=":material/account_balance:"),
    st.Page("pages/activity.py", title="Activity", url_path="activity", icon=":material/show_chart:"),
    st.Page("pages/improvement.py", title="Improvement plan", url_path="improvement", icon=":material/checklist:"),
    st.Page("pages/data.py", title="Data", url_path="data", icon=":material/upload_file:"),
]

navigation = st.navigation(PAGES)
common.begin_run()
common.sign_in_gate()
common.begin_page(navigation.url_path)
common.sidebar()
common.presentation_toggle()
common.image_format_choice()
common.presentation(navigation, PAGES)
navigation.run()
