"""The store as a page sees it: one read view per script run, a replica's published copy, a busy store retried."""

from __future__ import annotations

import logging
import os
import threading

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

import store
from pages import deep_link
from pages.formatting import literal
from store import publish
from store.db import ReadView


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
    if view is None:
        ctx = get_script_run_ctx()
        # A fragment rerun (st.fragment) rightly runs without app.py; any other run without it is a page Streamlit
        # ran on its own (see pages.deep_link).
        if ctx is None or not ctx.fragment_ids_this_run:
            deep_link.rerun_through_app()
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
