"""URL state: the organisation(s), presentation view and each page's main widgets live in the query string, so a
copied link opens the same view. Params other than the global ones are the current page's own.

Streamlit's own ``bind="query-params"`` is not used: it names the param after the widget key, matches options by
their displayed label, drops a value the page cannot show without saying so, and leaves the default out of the URL.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from pages.formatting import literal

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


def number_between(convert, low, high):
    """A ``parse`` for ``url_state``: the text as a number (by ``convert``), refused outside ``low`` to ``high``."""

    def parse(text: str):
        value = convert(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    return parse


def url_state(
    key: str,
    default,
    options=None,
    *,
    param: str | None = None,
    multi: bool = False,
    parse=None,
    omit_default: bool = False,
) -> None:
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
