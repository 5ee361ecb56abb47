"""Assurance dashboard: navigation and the shared sidebar."""

import streamlit as st

from pages import common

st.set_page_config(page_title="Assurance dashboard", layout="wide")

PAGES = [
    st.Page("pages/data.py", title="Data", url_path="data", icon=":material/upload_file:"),
]

navigation = st.navigation(PAGES)
common.sign_in_gate()
common.sidebar()
navigation.run()
