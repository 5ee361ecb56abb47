"""Imported once by the reader's forkserver (loaders.contained): reads a blank template of every kind, so
that each worker forked from it starts with the loaders' imports, configuration and caches ready, then
freezes what it holds so that the workers share those pages instead of copying them."""

from __future__ import annotations

import gc

from loaders import guard, read_tables
from loaders.templates import TITLES, template_workbook


def warm() -> None:
    limits = guard.limits()
    for kind in TITLES:
        data = template_workbook(kind)
        name = f"{kind}.xlsx"
        read_tables(data, name, guard.check(data, name), None, None, limits)
    gc.collect()
    gc.freeze()


warm()
