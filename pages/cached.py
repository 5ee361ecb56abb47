"""What a page reads and builds, kept across runs and sessions for the store's state it was made from.

``read(fn, *args)`` is ``fn(con, *args)`` on this run's view of the store; ``figure(choices, build, *inputs)`` is
``build(*inputs)``, where ``choices`` name everything the inputs were made from (the page, its organisations,
as-at and filters). Both are keyed by the store's state as well, so an ingest, delete or restore (here or, on a
replica, in the copy just published) is never answered from before it, and both remember a bounded number of
answers, the least recently used dropped first.

``read`` hands each caller its own copy (pickled by ``st.cache_data``); ``figure`` hands every caller the same
object, which nothing may change: ``pages.plotting.chart`` changes only a copy of a figure it is given.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from pages.store_view import connection

MAX_READS = 96
MAX_FIGURES = 128


def _name(fn: Callable) -> tuple[str, str]:
    """A function's identity across page runs: a page script's functions are made anew on every run."""
    return fn.__code__.co_filename, fn.__qualname__


@st.cache_data(show_spinner=False, max_entries=MAX_READS)
def _read(state: tuple, name: tuple, args: tuple, kwargs: tuple, _fn: Callable, _con):
    return _fn(_con, *args, **dict(kwargs))


@st.cache_resource(show_spinner=False, max_entries=MAX_FIGURES)
def _figure(state: tuple, name: tuple, choices: tuple, _build: Callable, _inputs: tuple, _options: dict):
    return _build(*_inputs, **_options)


def read(fn: Callable, *args, **kwargs):
    """``fn(con, *args, **kwargs)`` on this run's view of the store, as answered before in the same store state."""
    con = connection()
    return _read(con.state(), _name(fn), args, tuple(sorted(kwargs.items())), _fn=fn, _con=con)


def figure(choices: tuple, build: Callable, *inputs, **options):
    """``build(*inputs, **options)``, kept for this store state and ``choices``, which must name all that the inputs
    and options depend on; shared, so the caller must not change it."""
    return _figure(connection().state(), _name(build), choices, _build=build, _inputs=inputs, _options=options)


def clear() -> None:
    """Forget every kept answer (and the store's shared query answers)."""
    from store.db import shared_results

    _read.clear()
    _figure.clear()
    shared_results.clear()
