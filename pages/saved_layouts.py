"""Saved layouts on the Data page: the layout profiles an upload is read with, changed or deleted by editors;
and how a stored snapshot was read."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import store
from loaders.layout_profiles import profile_sentence
from pages.access import current_user, editor_or_refuse
from pages.formatting import literal
from pages.mapping_step import field_name, layout_name, mapping_editor, value_name
from pages.store_view import publish_changes

PROFILE_COLUMNS = {
    "profile_id": st.column_config.NumberColumn("Layout"),
    "organisation": "Organisation",
    "sheets": "Sheets read",
    "saved_by": "Saved by",
    "saved_at": "Saved",
    "updated_by": "Changed by",
    "updated_at": "Changed",
}


def _when(value) -> str:
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    return f"{stamp.day} {stamp:%b %Y %H:%M}"


def profiles_shown(profiles: pd.DataFrame) -> pd.DataFrame:
    """The list in words: times as 6 Dec 2026 14:50, blank where a layout was never changed."""
    shown = profiles.copy()
    for column in ("saved_at", "updated_at"):
        shown[column] = shown[column].map(_when)
    shown["saved_by"] = shown["saved_by"].map(lambda who: who if isinstance(who, str) and who else "not signed in")
    shown["updated_by"] = [
        (who if isinstance(who, str) and who else "not signed in") if when else ""
        for who, when in zip(shown["updated_by"], shown["updated_at"], strict=True)
    ]
    return shown


def saved_layouts(con) -> None:
    profiles = store.list_profiles(con)
    if profiles.empty:
        st.info(
            "No layouts are saved yet. After uploading a workbook, check how it was read and choose "
            "'Save this layout' to have next month's workbook of the same layout read the same way."
        )
        return
    st.caption("An upload whose sheets and headers match a saved layout is read with it; the preview says so.")
    st.dataframe(profiles_shown(profiles), column_config=PROFILE_COLUMNS, hide_index=True, width="stretch")
    labels = {int(r.profile_id): f"Layout {r.profile_id}: {r.organisation} ({r.sheets})" for r in profiles.itertuples()}
    chosen = st.selectbox("Open a saved layout", list(labels), format_func=labels.get, key="layout-open")
    profile = store.profile(con, chosen)
    if profile is None:
        st.warning(f"Layout {chosen} has just been deleted.")
        return
    org = st.text_input("Organisation", value=profile["organisation"], key=f"layout-org-{chosen}")
    with st.expander("Sheets, columns and words", expanded=True):
        edited = mapping_editor(f"layout-{chosen}", profile["mapping"])
    changed = edited != profile["mapping"] or org.strip() != profile["organisation"]
    save, delete = st.columns(2)
    if save.button(f"Save changes to layout {chosen}", key="layout-save", disabled=not changed) and editor_or_refuse(
        "change saved layouts"
    ):
        try:
            store.update_profile(con, chosen, edited, current_user(), organisation=org.strip() or None)
        except store.StoreError as exc:
            st.error(literal(str(exc)))
        else:
            publish_changes()
            st.success(f"Layout {chosen} is changed.")
    with delete:
        confirm = st.checkbox(f"Yes, delete layout {chosen}", key=f"layout-confirm-{chosen}")
        if st.button(f"Delete layout {chosen}", disabled=not confirm, key="layout-delete") and editor_or_refuse(
            "delete saved layouts"
        ):
            store.delete_profile(con, chosen, current_user())
            publish_changes()
            st.rerun()


def snapshot_reading(con, snapshot_id: int, sheet: str | None) -> None:
    """How a snapshot was read: the saved layout, if any, and its sheet's columns and mapped words."""
    mapping, profile = store.snapshot_mapping(con, snapshot_id)
    if mapping is None:
        st.caption("This snapshot was stored before readings kept their mapping.")
        return
    with st.expander("How this snapshot was read"):
        if profile is not None:
            if profile.get("organisation") is None:
                st.caption(f"Read with saved layout {profile['profile_id']}, since deleted.")
            else:
                st.caption(literal(profile_sentence(profile | {"exact": True})))
        st.dataframe(mapping_frame(mapping, sheet), hide_index=True, width="stretch")
        words = [
            {"Vocabulary": kind, "Word": word, "Read as": value_name(kind, str(value))}
            for kind, found in mapping.get("vocabulary", {}).items()
            for word, value in found.items()
            if value is not None
        ]
        if words:
            st.caption("Words mapped")
            st.dataframe(pd.DataFrame(words), hide_index=True, width="stretch")


def mapping_frame(mapping: dict, sheet: str | None) -> pd.DataFrame:
    rows = []
    for sheet_mapping in mapping.get("sheets", []):
        if sheet is not None and sheet_mapping["sheet"] != sheet:
            continue
        for table in sheet_mapping["tables"]:
            for column in table.get("columns") or []:
                rows.append(
                    {
                        "Table": f"{layout_name(table['layout'])}, header row {table['header_rows'][-1]}",
                        "Column": column["letter"],
                        "Header": column["header"],
                        "Read as": field_name(column["field"]) if column["field"] else "not read",
                        "Unit": column.get("unit") or "",
                        "Decided by": column["how"],
                    }
                )
    return pd.DataFrame(rows, columns=["Table", "Column", "Header", "Read as", "Unit", "Decided by"])
