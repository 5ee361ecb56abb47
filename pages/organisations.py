"""Which organisations a page shows: the sidebar's choice (kept in the URL), synthetic-data notices, and the choice
between one organisation and all of them compared."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from analysis import wording
from pages.downloads import downloads
from pages.formatting import literal, show_table
from pages.store_view import connection
from pages.url_state import url_state

SYNTHETIC_NOTE = "synthetic demo data"


def organisations():
    return store.organisations(connection())


UNKNOWN_ORG_NOTE = "The link names an organisation that is not in the store, so it is not shown."


def sidebar() -> None:
    """The organisation selector shared by every page, kept in session state as ``orgs`` and in the URL as ``org``.

    A link names its organisations (the URL is what remembers a choice); without one, the organisation with the
    most complete and most recent data is shown."""
    orgs = organisations()
    with st.sidebar:
        if orgs.empty:
            st.info("The store is empty: load workbooks on the Data page.")
            st.session_state["orgs"] = []
            return
        labels = {
            name: f"{name} ({SYNTHETIC_NOTE})" if synthetic else name
            for name, synthetic in orgs[["name", "synthetic"]].itertuples(index=False)
        }
        if "org_select" not in st.session_state and "orgs" not in st.session_state:
            asked = st.query_params.get_all("org")
            if any(o not in labels for o in asked):
                st.warning(UNKNOWN_ORG_NOTE)
            st.session_state["orgs"] = [o for o in asked if o in labels]
        chosen = [o for o in st.session_state.get("orgs", []) if o in labels] or [
            store.default_organisation(store.organisation_coverage(connection()))
        ]
        st.session_state["orgs"] = st.multiselect(
            "Organisations", list(labels), default=chosen, format_func=labels.get, key="org_select"
        )
    if st.query_params.get_all("org") != st.session_state["orgs"]:
        st.query_params["org"] = st.session_state["orgs"]


def selected_orgs() -> list[str]:
    return list(st.session_state.get("orgs", []))


def synthetic_notice(*names: str) -> None:
    """A notice under each of ``names`` that is a made-up organisation."""
    orgs = organisations()
    made_up = set(orgs.loc[orgs["synthetic"].astype(bool), "name"])
    for org in names:
        if org in made_up:
            st.caption(f":orange-badge[{SYNTHETIC_NOTE}] {literal(org)} is a made-up organisation for demonstration.")


ORG_VIEWS = ["One organisation", "Organisations compared"]


def view_choice(key: str, views: list[str]) -> str:
    """The page's view, the first of ``views`` unless the URL's ``view`` or the user chooses another."""
    url_state(key, views[0], views, param="view")
    return st.radio("View", views, horizontal=True, key=key)


def org_choice(key: str, orgs: list[str]) -> str:
    """The organisation shown in detail: the only one, or the one chosen (in the URL as ``show``) of several."""
    if len(orgs) == 1:
        return orgs[0]
    url_state(key, orgs[0], orgs, param="show")
    return st.selectbox("Organisation", orgs, key=key)


def compared_table(table: pd.DataFrame) -> None:
    """Organisations side by side, each row with its as-at dates, and a caption wherever those dates differ."""
    for note in wording.as_at_differences(table):
        st.caption(literal(note))
    from charts import compare as compare_charts

    show_table(compare_charts.compared_table(table, wording.as_at_columns(table)))


def one_or_compared(key: str, title: str, compared, finding, caption: str, file_name: str, figures=()) -> str:
    """The organisation a page shows. With several selected, the user may instead compare them all:
    ``compared()`` builds the table, ``finding(table)`` its headline, each of ``figures(table)`` a chart above the
    table, and the page stops there."""
    orgs = selected_orgs()
    if len(orgs) > 1 and view_choice(f"{key}_view", ORG_VIEWS) == ORG_VIEWS[1]:
        table = compared()
        st.title(f"{title}: {literal(finding(table))}")
        synthetic_notice(*orgs)
        st.caption(caption)
        from pages.plotting import chart  # pages.plotting imports pages.presentation, which imports this module

        for n, figure in enumerate(figures):  # full width: organisation names need the room
            chart(figure(table), f"{key}_orgs_chart_{n}", f"{file_name}-chart-{n + 1}")
        compared_table(table)
        downloads(table, file_name, f"{key}_orgs")
        st.stop()
    return org_choice(f"{key}_org", orgs)
