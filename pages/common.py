"""What every page shares: the store connection, the organisation selector, plain notices."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import config
import store
from store import export

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


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloads(frame: pd.DataFrame, name: str, key: str, label: str | None = None) -> None:
    """The table as CSV and XLSX, neutralised against formula injection; clicking does not rerun the page."""
    label = label or name
    with st.container(horizontal=True):
        st.download_button(
            f"{label} (CSV)", export.table_csv(frame), f"{name}.csv", "text/csv", key=f"{key}_csv", on_click="ignore"
        )
        st.download_button(
            f"{label} (XLSX)", export.table_xlsx(frame, label[:31]), f"{name}.xlsx", XLSX_MIME, key=f"{key}_xlsx",
            on_click="ignore",
        )  # fmt: skip


MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>#~$|:])")


def literal(text) -> str:
    """Text from the data shown as written where Streamlit renders markdown (escaped, never formatted)."""
    escaped = MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
    return re.sub(r"^(\d+)\.", r"\1\\.", escaped)


def dates_only(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns shown as dates, without a time of day."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.date
    return out


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
    custom = points[0].get("customdata")
    return custom[0] if isinstance(custom, list | tuple) and custom else custom
