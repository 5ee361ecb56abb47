"""What every page shares: the store connection, the organisation selector, plain notices."""

from __future__ import annotations

import logging
import os
import threading
from datetime import date, datetime

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

import config
import safe_text
import store
from analysis import wording
from charts.selection import point_values
from pages import identity
from store import export, publish
from store.db import ReadView

SYNTHETIC_NOTE = "synthetic demo data"

if PagesManager.uses_pages_directory:
    # Until st.navigation has run once in a server process, Streamlit treats a folder named pages/
    # as an old-style multipage app and runs a deep-linked page (/risks) without app.py. Switch that
    # off; connection() reruns such a page, so app.py's navigation and sidebar always frame it. (Not
    # st.rerun() here: it would abort this import while other sessions' first requests wait on it.)
    PagesManager.uses_pages_directory = False


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    return store.connect(path)


@st.cache_resource(show_spinner=False)
def _replica(path: str):
    return publish.Replica(path, publish.reload_seconds())


def read_only() -> bool:
    """A replica (``ASSURANCE_READ_ONLY=1``): it reads the copy the writer publishes and never changes the store."""
    return os.environ.get("ASSURANCE_READ_ONLY", "").strip().lower() not in ("", "0", "false", "no")


READ_ONLY_NOTE = (
    "This is a read-only copy of the dashboard: it shows the store as last published, and nothing can be "
    "uploaded, restored or deleted here. Changes are made on the editing copy, which publishes them."
)


def _store():
    """The process's one DuckDB connection, or on a replica the latest published copy."""
    path = str(store.db_path())
    return _replica(path).connection() if read_only() else _connection(path)


NAVIGATION_RERUN = "_navigation_rerun"
RUN_VIEW = "assurance_store_view"  # kept on the script run's own thread, so it ends with the run's thread


STORE_BUSY_NOTE = "The store is being updated by another process; this page will retry."
STORE_BROKEN_NOTE = "The store could not be opened. The server's log gives the reason; ask whoever runs the dashboard."
STORE_RETRY_SECONDS = 3
log = logging.getLogger(__name__)


def _open_store():
    """The store, or a plain notice (never a traceback with paths) and the end of this run when it cannot be opened.

    While another process (the CLI, a backup) holds the store's lock, the page looks again every few seconds and
    reruns as soon as the store opens."""
    try:
        return _store()
    except store.StoreBusy as exc:
        log.warning("%s", exc.__cause__ or exc)
        st.info(STORE_BUSY_NOTE)
        _retry_store()
    except store.StoreError as exc:
        log.error("%s", exc.__cause__ or exc)
        st.error(STORE_BROKEN_NOTE)
    st.stop()


@st.fragment(run_every=STORE_RETRY_SECONDS)
def _retry_store() -> None:
    try:
        _store()
    except store.StoreError:
        return
    st.rerun(scope="app")


def begin_run() -> None:
    """Start this script run's view of the store (called first thing by app.py)."""
    thread = threading.current_thread()
    previous = getattr(thread, RUN_VIEW, None)
    if previous is not None:
        previous.close()
        setattr(thread, RUN_VIEW, None)
    setattr(thread, RUN_VIEW, ReadView(_open_store()))


def connection() -> ReadView:
    """This script run's view of the store: every query of the run sees the same committed state (on a
    replica, the same published copy), so a page never mixes two; store functions take it as ``con``."""
    view = getattr(threading.current_thread(), RUN_VIEW, None)
    if view is None:  # this run did not start in app.py: a page Streamlit ran on its own (see above)
        if not st.session_state.get(NAVIGATION_RERUN):
            st.session_state[NAVIGATION_RERUN] = True
            st.rerun()
        begin_run()
        view = getattr(threading.current_thread(), RUN_VIEW)
    return view


def publish_changes() -> None:
    """On the editing copy with ``ASSURANCE_PUBLISH`` set, publish the store for the read-only replicas."""
    target = os.environ.get("ASSURANCE_PUBLISH")
    if target and not read_only():
        try:
            publish.publish(_store(), target)
        except store.StoreError as exc:
            st.warning(f"The change is stored here, but the read-only copies were not updated: {literal(exc)}")


def organisations():
    return store.organisations(connection())


def org_label(name: str, synthetic: bool) -> str:
    return f"{name} ({SYNTHETIC_NOTE})" if synthetic else name


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
            name: org_label(name, synthetic) for name, synthetic in orgs[["name", "synthetic"]].itertuples(index=False)
        }
        names = list(labels)
        if "org_select" not in st.session_state and "orgs" not in st.session_state:
            asked = st.query_params.get_all("org")
            unknown = [o for o in asked if o not in labels]
            if unknown:
                st.warning(UNKNOWN_ORG_NOTE)
            st.session_state["orgs"] = [o for o in asked if o in labels]
        chosen = [o for o in st.session_state.get("orgs", []) if o in labels] or [
            store.default_organisation(store.organisation_coverage(connection()))
        ]
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
        st.caption(f":orange-badge[{SYNTHETIC_NOTE}] {literal(org)} is a made-up organisation for demonstration.")


def not_loaded(what: str, org: str | None = None) -> None:
    who = f" for {literal(org)}" if org else ""
    st.info(f"No {literal(what)} is loaded{who}. Upload the workbook on the Data page.")


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _claims() -> dict | None:
    """The signed-in user's token claims, or None when the app runs without sign-in."""
    if auth_configured() and st.user.is_logged_in:
        return st.user.to_dict()
    return None


def current_user() -> str | None:
    """The signed-in user as the audit log records them (display name and immutable identity), or None locally."""
    claims = _claims()
    return identity.audit_name(claims) if claims is not None else None


def role() -> str:
    """'editor' or 'viewer': locally the configured ``local_role``; signed in, editor only when an ``[access]``
    editors entry names the token's immutable identity (never its display name)."""
    access = config.settings().access
    claims = _claims()
    if claims is None:
        return access.local_role if not auth_configured() else "viewer"
    try:
        return identity.role(claims, access.editors)
    except identity.AccessConfigError as exc:
        log.error("%s", exc)
        return "viewer"


def can_edit() -> bool:
    return not read_only() and role() == "editor"


def sign_in_gate() -> None:
    """With sign-in configured, stop here until the user has signed in; say so when it is not."""
    with st.sidebar:
        if not auth_configured():
            st.caption("Running locally without sign-in (unauthenticated).")
            return
        if not st.user.is_logged_in:
            st.button("Sign in", on_click=st.login, type="primary")
            st.stop()
        claims = _claims() or {}
        st.caption(f"Signed in as {literal(identity.display_name(claims))} ({role()}).")
        try:
            identity.editor_rules(config.settings().access.editors)
        except identity.AccessConfigError as exc:
            st.warning(f"Nobody can edit until the configuration is corrected: {literal(exc)}")
        st.button("Sign out", on_click=st.logout)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloads(frame: pd.DataFrame, name: str, key: str, label: str | None = None) -> None:
    """The table as CSV and XLSX, neutralised against formula injection; clicking does not rerun the page.

    The files are built only when a button is clicked, not on every run of the page."""
    label = label or name
    shown = literal(label)
    with st.container(horizontal=True):
        st.download_button(
            f"{shown} (CSV)", lambda: export.table_csv(frame), f"{name}.csv", "text/csv", key=f"{key}_csv",
            on_click="ignore",
        )  # fmt: skip
        st.download_button(
            f"{shown} (XLSX)", lambda: export.table_xlsx(frame, label[:31]), f"{name}.xlsx", XLSX_MIME,
            key=f"{key}_xlsx", on_click="ignore",
        )  # fmt: skip


literal = safe_text.markdown  # text from the data shown as written where Streamlit renders Markdown


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
    values = point_values(points[0])
    return values[0] if values else None


# URL state: the organisation(s), presentation view and each page's main widgets live in the query string, so a
# copied link opens the same view. Params other than these are the current page's own.
GLOBAL_PARAMS = ("org", "present")
PAGE_MARK = "_url_page"


def url_text(value) -> str:
    """A widget value as written in the URL: dates as ISO, booleans as 1/0."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, pd.Timestamp | datetime):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _decode(raw: str, options, parse):
    if options is not None:
        for option in options:
            if url_text(option) == raw:
                return option
        raise ValueError(raw)
    return parse(raw) if parse else raw


def url_state(key: str, default, options=None, *, param: str | None = None, multi: bool = False, parse=None,
              omit_default: bool = False) -> None:  # fmt: skip
    """Seed the widget ``key`` from the URL on its first run, keep it valid, and write its value back to the URL.

    Call just before creating the widget, and create the widget without a default of its own. ``options`` are the
    allowed values (matched by their URL text); without options, ``parse(text)`` converts and raises ValueError for
    text it cannot accept. A value from the URL that is not allowed falls back to ``default`` with a notice.
    """
    param = param or key
    if key in st.session_state:
        value = st.session_state[key]
        if options is not None:
            allowed = {url_text(o) for o in options}
            if multi:
                value = [v for v in value if url_text(v) in allowed]
            elif url_text(value) not in allowed:
                value = default
    else:
        value = default
        asked = st.query_params.get_all(param)
        if asked:
            chosen, refused = [], []
            for raw in asked if multi else asked[:1]:
                try:
                    chosen.append(_decode(raw, options, parse))
                except (ValueError, TypeError):
                    refused.append(raw)
            if refused:
                instead = "it is left out" if multi else f"{literal(url_text(default))} is shown"
                st.warning(
                    f"The link's {literal(param)} = {literal(', '.join(refused))} is not available here, so {instead}."
                )
            if multi:
                value = chosen if chosen or not refused else default
            elif chosen:
                value = chosen[0]
    st.session_state[key] = value
    if multi:
        text = [url_text(v) for v in value]
    else:
        text = [] if value is None or (omit_default and value == default) else [url_text(value)]
    if st.query_params.get_all(param) != text:
        if text:
            st.query_params[param] = text if multi else text[0]
        else:
            st.query_params.pop(param, None)


def begin_page(path: str) -> None:
    """On moving to another page within a session, drop the previous page's own params from the URL."""
    previous = st.session_state.get(PAGE_MARK)
    if previous is not None and previous != path:
        for param in [p for p in st.query_params if p not in GLOBAL_PARAMS]:
            del st.query_params[param]
    st.session_state[PAGE_MARK] = path


# Presentation view: no sidebar or toolbar, larger type; one click to the next page. Static CSS of our own.
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
            after, label=f"Next: {after.title}", icon=":material/arrow_forward:",
            query_params={"org": selected_orgs(), "present": "1"},
        )  # fmt: skip
        st.button("Leave presentation view", on_click=leave_presentation, key="leave_presentation")


def chart(figure, key: str, name: str | None = None, **kwargs):
    """A Plotly chart with its image download (PNG or SVG, as chosen in the sidebar) and presentation sizing."""
    from charts import export as chart_export

    shown = chart_export.for_presentation(figure) if presenting() else figure
    config = {**kwargs.pop("config", {}), **chart_export.image_config(name or key, image_format())}
    return st.plotly_chart(shown, key=key, config=config, **kwargs)


IMAGE_FORMATS = ("png", "svg")


def image_format() -> str:
    return st.session_state.get("image_format", IMAGE_FORMATS[0])


def image_format_choice() -> None:
    with st.sidebar:
        st.radio(
            "Chart images download as", IMAGE_FORMATS, format_func=str.upper, key="image_format", horizontal=True,
            help="The camera button on each chart's toolbar downloads the chart in this format.",
        )  # fmt: skip


ORG_VIEWS = ["One organisation", "Organisations compared"]


def compared_table(table: pd.DataFrame) -> None:
    """Organisations side by side, each row with its as-at dates, and a caption wherever those dates differ."""
    for note in wording.as_at_differences(table):
        st.caption(literal(note))
    from charts import compare as compare_charts

    st.dataframe(compare_charts.compared_table(table, wording.as_at_columns(table)), hide_index=True)


def one_or_compared(key: str, title: str, compared, finding, caption: str, file_name: str) -> str:
    """The organisation a page shows. With several selected, the user may instead compare them all:
    ``compared()`` builds the table, ``finding(table)`` its headline, and the page stops there."""
    orgs = selected_orgs()
    if len(orgs) == 1:
        return orgs[0]
    url_state(f"{key}_view", ORG_VIEWS[0], ORG_VIEWS, param="view")
    if st.radio("View", ORG_VIEWS, horizontal=True, key=f"{key}_view") == ORG_VIEWS[1]:
        table = compared()
        st.title(f"{title}: {literal(finding(table))}")
        for name in orgs:
            synthetic_notice(name)
        st.caption(caption)
        compared_table(table)
        downloads(table, file_name, f"{key}_orgs")
        st.stop()
    url_state(f"{key}_org", orgs[0], orgs, param="show")
    return st.selectbox("Organisation", orgs, key=f"{key}_org")
