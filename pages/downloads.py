"""A table's downloads as CSV and XLSX, built only when a button is clicked."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

import formats
from pages.formatting import literal, show_table
from store import export

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def downloads(frame: pd.DataFrame, name: str, key: str, label: str | None = None, about: Sequence[str] = ()) -> None:
    """The table as CSV and XLSX under readable headings, neutralised against formula injection; clicking does not
    rerun the page. The XLSX opens with title rows (the table, the organisations, ``about``: as-at dates, source
    files, filters in force, and when it was downloaded); one organisation's name leads the file names. Presentation
    view has none."""
    from pages.presentation import presenting

    if presenting():
        return
    words = name.replace("_", " ").replace("-", " ")
    label = label or words[:1].upper() + words[1:]
    from pages.organisations import selected_orgs  # it offers downloads itself

    orgs = selected_orgs()
    if len(orgs) == 1:
        name = f"{formats.file_word(orgs[0])}-{name}"
    titles = [label, f"Organisation{'s' if len(orgs) > 1 else ''}: {', '.join(orgs)}" if orgs else ""]
    titles += [*about, f"Downloaded {formats.date(date.today())}"]
    shown = literal(label)
    frame = formats.readable(frame.data if isinstance(frame, Styler) else frame)
    files = (
        ("csv", lambda: export.table_csv(frame), "text/csv"),
        ("xlsx", lambda: export.table_xlsx(frame, label[:31], [t for t in titles if t]), XLSX_MIME),
    )
    with st.container(horizontal=True):
        for kind, build, mime in files:
            st.download_button(
                f"{shown} ({kind.upper()})", build, f"{name}.{kind}", mime, key=f"{key}_{kind}", on_click="ignore"
            )


def table_with_downloads(frame: pd.DataFrame, name: str, key: str, label: str | None = None, about=()) -> None:
    """``show_table`` of the frame, then its ``downloads``."""
    show_table(frame)
    downloads(frame, name, key, label, about)
