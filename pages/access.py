"""Sign-in and roles on a page: who is signed in, whether they may change the store (rules in pages.identity)."""

from __future__ import annotations

import logging

import streamlit as st

import config
from pages import identity
from pages.formatting import literal
from pages.store_view import read_only

log = logging.getLogger(__name__)


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


def editor_or_refuse(action: str) -> bool:
    """Changes to the store are for editors; the check runs here, on the server, not only in the layout."""
    if read_only():
        st.error(f"This read-only copy cannot {action}; do it on the editing copy of the dashboard.")
        return False
    if can_edit():
        return True
    st.error(f"Only editors may {action}; you are signed in as a viewer.")
    return False
