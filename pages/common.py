"""What every page shares: the store connection, the organisation selector, plain notices."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import config
import store

SYNTHETIC_NOTE = "synthetic demo data"

if PagesManager.uses_pages_directory:
    # Until st.navigation has run once in a server process, Streamlit treats a folder named pages/
    # as an old-style multipage app and runs a deep-linked page (/risks) without app.py. Switch
    # that off and rerun, so app.py's navigation and sidebar always frame the page.
    PagesManager.uses_pages_directory = False
    st.rerun()


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return store.connect(path)


def connection():
    """The process's one DuckDB connection; store functions take a cursor per call."""
    return _connection(str(store.db_path()))


def organisations():
    return store.organisations(connection())


def org_label(name: str, synthetic: bool) -> str:
    return f"{name} ({SYNTHETIC_NOTE})" if synthetic else name


def sidebar() -> None:
    """The organisation selector shared by every page, kept in session state as ``orgs`` and in the URL as ``org``."""
    orgs = organisations()
    with st.sidebar:
        if orgs.empty:
            st.info("The store is empty: load workbooks on the Data page.")
            st.session_state["orgs"] = []
            return
        labels = {
            name: org_label(name, synthetic) for name, synthetic in orgs[["name", "synthetic"]].itertuples(index=False)
        }
        names = list(labels)
        if "org_select" not in st.session_state and "orgs" not in st.session_state:
            asked = st.query_params.get_all("org")
            unknown = [o for o in asked if o not in labels]
            if unknown:
                st.warning(f"Not in the store, so not shown: {', '.join(unknown)}.")
            st.session_state["orgs"] = [o for o in asked if o in labels]
        chosen = [o for o in st.session_state.get("orgs", []) if o in labels] or names[:1]
        st.session_state["orgs"] = st.multiselect(
            "Organisations", names, default=chosen, format_func=labels.get, key="org_select"
        )
    if st.query_params.get_all("org") != st.session_state["orgs"]:
        st.query_params["org"] = st.session_state["orgs"]


def selected_orgs() -> list[str]:
    return list(st.session_state.get("orgs", []))


def selected_org() -> str | None:
    orgs = selected_orgs()
    return orgs[0] if orgs else None


def is_synthetic(org: str) -> bool:
    orgs = organisations()
    match = orgs[orgs["name"] == org]
    return bool(not match.empty and match["synthetic"].iloc[0])


def synthetic_notice(org: str | None) -> None:
    if org and is_synthetic(org):
        st.caption(f":orange-badge[{SYNTHETIC_NOTE}] {org} is a made-up organisation for demonstration.")


def not_loaded(what: str, org: str | None = None) -> None:
    who = f" for {org}" if org else ""
    st.info(f"No {what} is loaded{who}. Upload the workbook on the Data page.")


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def current_user() -> str | None:
    """The signed-in user's e-mail or name, or None when the app runs without sign-in."""
    if auth_configured() and st.user.is_logged_in:
        return st.user.get("email") or st.user.get("name")
    return None


def role() -> str:
    """'editor' or 'viewer', from [access] in the configuration."""
    access = config.settings()["access"]
    if not auth_configured():
        return access["local_role"]
    user = current_user()
    return "editor" if user and user.lower() in {e.lower() for e in access["editors"]} else "viewer"


def can_edit() -> bool:
    return role() == "editor"


def sign_in_gate() -> None:
    """With sign-in configured, stop here until the user has signed in; say so when it is not."""
    with st.sidebar:
        if not auth_configured():
            st.caption("Running locally without sign-in (unauthenticated).")
            return
        if not st.user.is_logged_in:
            st.button("Sign in", on_click=st.login, type="primary")
            st.stop()
        st.caption(f"Signed in as {current_user()} ({role()}).")
        st.button("Sign out", on_click=st.logout)
