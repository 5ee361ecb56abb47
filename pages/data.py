"""Data: upload workbooks, see what was found before storing, manage snapshots, templates and export."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

import formats
import importer
import loaders
import store
from loaders.layout_profiles import profile_sentence, signature, signature_key
from loaders.templates import TITLES, template_workbook
from pages import cached
from pages.access import can_edit, current_user, editor_or_refuse
from pages.downloads import XLSX_MIME, downloads
from pages.formatting import literal
from pages.mapping_step import layout_name, mapping_step
from pages.organisations import SYNTHETIC_NOTE, selected_orgs
from pages.saved_layouts import saved_layouts, snapshot_reading
from pages.store_view import READ_ONLY_NOTE, connection, publish_changes, read_only
from pages.url_state import url_state
from records import KINDS
from store import export
from store.backup import export_snapshot, export_store
from store.ingest import FUTURE_GRACE, LAST_AS_AT, date_words
from store.snapshots import audit_count, snapshot_count, snapshot_summary

st.title("Data")
if read_only():
    st.info(READ_ONLY_NOTE)
con = connection()
summary = snapshot_summary(con)
TABS = ["Upload", "Snapshots", "Saved layouts", "Templates and export"]
# Only the open tab's content runs (the Upload tab's always does, so an upload survives a look at another tab).
url_state("data-tab", TABS[1] if summary["snapshots"] else TABS[0], TABS, param="tab", omit_default=True)
upload_tab, snapshots_tab, layouts_tab, templates_tab = st.tabs(TABS, key="data-tab", on_change="rerun")


def read_upload(upload) -> tuple[str, object]:
    """Read an uploaded workbook once per session, showing progress while it is read."""
    data = upload.getvalue()
    key = hashlib.sha256(data).hexdigest()
    readings = st.session_state.setdefault("readings", {})
    if key not in readings:
        with st.status(f"Reading {literal(upload.name)} ...", expanded=False) as status:

            def progress(sheet: str, rows: int) -> None:
                status.write(f"Sheet {literal(sheet)}: {rows:,} rows read")

            profiles = store.profiles_for_matching(con)
            result = loaders.load_workbook(data, upload.name, progress=progress, profiles=profiles)
            tables = len(result.datasets)
            found = f"{tables} table{'s' if tables != 1 else ''} found" if result.readable else "could not be read"
            status.update(label=f"{literal(upload.name)}: {found}", state="complete" if result.readable else "error")
        readings[key] = result
    return key, readings[key]


def issues_frame(result) -> pd.DataFrame:
    rows = [{"dataset": d.kind, "sheet": d.sheet, **i.to_dict()} for d in result.datasets for i in d.issues] + [
        {"dataset": "", "sheet": "", **i.to_dict()} for i in result.issues
    ]
    frame = pd.DataFrame(rows, columns=["severity", "dataset", "sheet", "cell", "code", "message"])
    order = {"error": 0, "warning": 1, "info": 2}
    return frame.sort_values("severity", key=lambda s: s.map(order), kind="stable")


def datasets_frame(result) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "kind": d.kind,
                "sheet": d.sheet,
                "header row": d.header_row,
                "records": len(d.records),
                "errors": d.error_count,
                "warnings": sum(i.severity == "warning" for i in d.issues),
            }
            for d in result.datasets
        ]
    )


EARLIEST_AS_AT = date(1900, 1, 1)  # the date picker reaches any real date, not only ten years around the stated one


def parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def future_confirmed(key: str, as_at: date | None) -> bool:
    """A confirmation for an as-at date more than a month ahead (or one the store found ahead): whether it is given."""
    ahead = as_at is not None and as_at > date.today() + FUTURE_GRACE
    if not ahead and key not in st.session_state.get("future", set()):
        return False
    when = f"The as-at date {date_words(as_at)}" if ahead else "An as-at date of this workbook"
    st.warning(f"{when} is more than a month ahead. Check it before storing.")
    return st.checkbox("Yes, store it with this as-at date", key=f"future-{key}")


def preview_and_store(key: str, upload, detected) -> None:
    shown_name = literal(upload.name)
    st.subheader(shown_name)
    if not detected.readable:
        st.error(literal(detected.errors[0]))
        return
    if detected.profile:
        st.info(literal(profile_sentence(detected.profile)))
    result = mapping_step(key, upload.getvalue(), upload.name, detected)
    if not result.datasets:
        st.warning(f"{shown_name} was read, but none of its tables is one the loaders recognise; nothing to store.")
    else:
        st.dataframe(datasets_frame(result), hide_index=True, width="stretch")
    issues = issues_frame(result)
    errors = int((issues["severity"] == "error").sum())
    if not issues.empty:
        st.caption(f"{len(issues)} issues, {errors} errors (errors first). Cells are given as Sheet!C12.")
        st.dataframe(issues, hide_index=True, width="stretch")
        downloads(issues, f"issues-{key[:12]}", f"issues-{key}", "Issues")
    left, right = st.columns(2)
    org = left.text_input(
        "Organisation",
        value=result.org or "",
        key=f"org-{key}",
        help="As detected in the workbook; correct it if wrong.",
    )
    stated = parse_iso(result.as_at)
    if stated is not None and not EARLIEST_AS_AT <= stated <= LAST_AS_AT:
        st.warning(f"The workbook's as-at date {result.as_at} is not a reporting date; give the right one.")
        stated = None
    as_at = right.date_input(
        "As at",
        value=stated,
        key=f"asat-{key}",
        format="YYYY-MM-DD",
        min_value=EARLIEST_AS_AT,
        max_value=LAST_AS_AT,
        help="As detected in the workbook; finance positions are dated by their month.",
    )
    save_layout(key, org.strip(), result.mapping)
    allow_errors = bool(errors) and st.checkbox(f"Store it with its {errors} errors kept as issues", key=f"allow-{key}")
    allow_future = future_confirmed(key, as_at)
    if st.button(f"Store {shown_name}", key=f"store-{key}", type="primary", disabled=not result.datasets) and (
        editor_or_refuse("store workbooks")
    ):
        imported = importer.store_result(
            con,
            result,
            org=org.strip() or None,
            as_at=as_at.isoformat() if as_at else None,
            allow_errors=allow_errors,
            who=current_user(),
            allow_future=allow_future,
        )
        if imported.stored:
            st.session_state.setdefault("stored", {})[key] = ("ok", [o.sentence() for o in imported.outcomes])
            publish_changes()
        else:
            st.session_state.setdefault("stored", {})[key] = ("error", [imported.refusal])
        if imported.future:
            st.session_state.setdefault("future", set()).add(key)
            st.rerun()  # to offer the confirmation
    outcome = st.session_state.get("stored", {}).get(key)
    if outcome:
        show = st.success if outcome[0] == "ok" else st.error
        show("\n\n".join(literal(sentence) for sentence in outcome[1]))


def save_layout(key: str, org: str, mapping: dict | None) -> None:
    """Keep the mapping in force as this organisation's layout, replayed on its next upload of the same layout."""
    if mapping is None:
        return
    label = f"Save this layout for {literal(org)}" if org else "Save this layout (give the organisation first)"
    if st.button(label, key=f"save-layout-{key}", disabled=not org) and editor_or_refuse("save layouts"):
        sig = signature(mapping)
        saved = store.save_profile(con, org, signature_key(sig), sig, mapping, current_user())
        publish_changes()
        st.session_state.setdefault("layout-saved", {})[key] = saved
    if (saved := st.session_state.get("layout-saved", {}).get(key)) is not None:
        st.success(
            f"Saved as layout {saved} for {literal(org)}: the next workbook of this layout is read with it. "
            "Saved layouts are listed under Saved layouts."
        )


with upload_tab:  # who gets an uploader is decided here, on the server
    if read_only():
        st.info("This read-only copy does not take uploads; upload workbooks on the editing copy of the dashboard.")
    elif not can_edit():
        st.info("Only editors may upload workbooks; you are signed in as a viewer.")
    else:
        st.write(
            "Upload the workbooks as you keep them. You will see what was found, and the issues with their cells, "
            "before anything is stored."
        )
        uploads = st.file_uploader(
            "Workbooks (.xlsx, .xlsm)", type=["xlsx", "xlsm"], accept_multiple_files=True, key="uploads"
        )
        for upload in uploads or []:
            key, detected = read_upload(upload)
            preview_and_store(key, upload, detected)


SIDEBAR_SCOPE = "Selected in the sidebar"
ALL_ORGS = "All organisations"
ALL_KINDS = "All kinds"
ALL_YEARS = "All years"
PAGE_SIZES = [25, 100, 500]
AUDIT_SHOWN = 200
PREPARED = "data_prepared"


LABEL_COLUMNS = ["snapshot_id", "organisation", "kind", "as_at", "source_file", "superseded_by"]


def snapshot_label(snapshot_id, organisation, kind, as_at, source_file, superseded_by) -> str:
    state = "current" if pd.isna(superseded_by) else f"superseded by {int(superseded_by)}"
    return f"#{snapshot_id} {organisation} · {layout_name(kind)} · {formats.date(as_at)} · {source_file} ({state})"


def table_files(frame: pd.DataFrame, name: str, label: str) -> list[tuple[str, bytes, str, str]]:
    """The table as CSV and XLSX (neutralised against formula injection): (button label, data, file name, type)."""
    return [
        (f"{label} (CSV)", export.table_csv(frame), f"{name}.csv", "text/csv"),
        (f"{label} (XLSX)", export.table_xlsx(frame, label[:31]), f"{name}.xlsx", XLSX_MIME),
    ]


def prepared_downloads(slot: str, identity, what: str, build) -> None:
    """A button that builds the files only when asked, then offers them until the view or the store changes."""
    prepared = st.session_state.setdefault(PREPARED, {})
    if slot in prepared and prepared[slot][0] != identity:
        del prepared[slot]
    if slot not in prepared:
        spot = st.empty()
        if spot.button(f"Prepare {what}", key=f"prepare-{slot}"):
            with st.spinner(f"Preparing {what} ..."):
                prepared[slot] = (identity, build())
            spot.empty()
    if slot in prepared:
        with st.container(horizontal=True):
            for label, data, file_name, mime in prepared[slot][1]:
                st.download_button(label, data, file_name, mime, key=f"download-{slot}-{file_name}", on_click="ignore")


def scope_label(option: str, selected: list[str]) -> str:
    if option != SIDEBAR_SCOPE or not selected:
        return option
    return f"{option} ({', '.join(selected) if len(selected) <= 3 else f'{len(selected)} organisations'})"


def snapshot_filters(years: list[str]) -> tuple[dict, str]:
    """The filter widgets: the keyword arguments of the snapshot queries, and what they cover in words."""
    orgs = cached.read(store.organisations)["name"].tolist()
    selected = [o for o in selected_orgs() if o in orgs]
    scopes = [SIDEBAR_SCOPE, ALL_ORGS, *orgs]
    kinds = [ALL_KINDS, *KINDS]
    years = [ALL_YEARS, *years]
    columns = st.columns([3, 2, 2, 1], vertical_alignment="bottom")
    url_state("snap-org", SIDEBAR_SCOPE, scopes, param="snapshots_of", omit_default=True)
    scope = columns[0].selectbox("Organisation", scopes, key="snap-org", format_func=lambda o: scope_label(o, selected))
    url_state("snap-kind", ALL_KINDS, kinds, param="kind", omit_default=True)
    kind = columns[1].selectbox("Kind", kinds, key="snap-kind")
    url_state("snap-year", ALL_YEARS, years, param="year", omit_default=True)
    year = columns[2].selectbox("Financial year (as at)", years, key="snap-year")
    url_state("snap-superseded", True, [True, False], param="superseded", omit_default=True)
    with_superseded = columns[3].checkbox("Show superseded", key="snap-superseded")
    if scope == SIDEBAR_SCOPE:
        chosen = selected or None
        if not selected:
            st.caption("No organisation is selected in the sidebar, so every organisation's snapshots are listed.")
    else:
        chosen = None if scope == ALL_ORGS else [scope]
    filters = {
        "orgs": chosen,
        "kind": None if kind == ALL_KINDS else kind,
        "financial_year": None if year == ALL_YEARS else year,
        "include_superseded": with_superseded,
    }
    covers = [
        f"of {', '.join(chosen)}" if chosen else "of every organisation",
        f"of kind {kind}" if filters["kind"] else "",
        f"as at a date in {year}" if filters["financial_year"] else "",
        "" if with_superseded else "current only",
    ]
    return filters, ", ".join(c for c in covers if c)


def page_of_snapshots(filters: dict, total: int) -> pd.DataFrame:
    """One page of the filtered snapshots; a new filter or page size starts again at the first page."""
    left, right, _ = st.columns([1, 1, 4])
    url_state("snap-per-page", PAGE_SIZES[1], PAGE_SIZES, param="rows", omit_default=True)
    per_page = left.selectbox("Rows per page", PAGE_SIZES, key="snap-per-page")
    pages = max(1, -(-total // per_page))
    view = repr((filters, per_page))
    if st.session_state.get("snap-view") != view:
        st.session_state["snap-view"] = view
        st.session_state["snap-page"] = 1
    elif st.session_state.get("snap-page", 1) > pages:  # the last page emptied by a deletion
        st.session_state["snap-page"] = pages
    page = right.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key="snap-page")
    return cached.read(store.snapshots, **filters, limit=per_page, offset=(page - 1) * per_page)


def open_snapshot(snaps: pd.DataFrame, version: int) -> None:
    columns = (snaps[c].tolist() for c in LABEL_COLUMNS)
    labels = {int(values[0]): snapshot_label(*values) for values in zip(*columns, strict=True)}
    chosen = st.selectbox(
        "Open a snapshot",
        list(labels),
        format_func=labels.get,
        key="snap-open",
        help="The snapshots on this page of the list; filter or turn the page to find another.",
    )
    row = snaps[snaps["snapshot_id"] == chosen].iloc[0]
    st.write(
        f"**Snapshot {chosen}**: {row['record_count']} records, {row['issue_count']} issues; "
        f"sheet {literal(repr(row['sheet']))}, header row {row['header_row']}; loaded {formats.date(row['loaded_at'])} {pd.Timestamp(row['loaded_at']):%H:%M}; SHA-256 {literal(row['sha256'])}."
    )
    snapshot_reading(con, chosen, row["sheet"])
    issues = store.snapshot_issues(con, chosen) if row["issue_count"] else pd.DataFrame()
    if not issues.empty:
        st.dataframe(issues, hide_index=True, width="stretch")
        downloads(issues, f"snapshot-{chosen}-issues", f"snap-issues-{chosen}", "Issues")
    actions = st.columns(3)
    with actions[0]:
        prepared_downloads(
            "snapshot",
            (chosen, version),
            f"snapshot {chosen} for download",
            lambda: [
                (
                    f"Download snapshot {chosen} (xlsx)",
                    export_snapshot(con, chosen),
                    f"snapshot-{chosen}.xlsx",
                    XLSX_MIME,
                )
            ],
        )
    restore_clicked = not pd.isna(row["superseded_by"]) and actions[1].button(
        f"Restore snapshot {chosen}", key="snap-restore"
    )
    if restore_clicked and editor_or_refuse("restore snapshots"):
        replaced = store.restore(con, chosen, who=current_user())
        publish_changes()
        st.success(f"Snapshot {chosen} is current again; it supersedes {', '.join(map(str, replaced)) or 'nothing'}.")
        st.rerun()
    with actions[2]:
        confirm = st.checkbox(f"Yes, delete snapshot {chosen}", key=f"snap-confirm-{chosen}")
        if st.button(f"Delete snapshot {chosen}", disabled=not confirm, key="snap-delete") and editor_or_refuse(
            "delete snapshots"
        ):
            store.delete_snapshot(con, chosen, who=current_user())
            publish_changes()
            st.session_state["deleted"] = chosen
            st.rerun()


SNAPSHOT_COLUMNS = {
    "snapshot_id": st.column_config.NumberColumn("Snapshot"),
    "organisation": "Organisation",
    "synthetic": "Synthetic",
    "kind": "Kind",
    "as_at": st.column_config.DatetimeColumn("As at", format="D MMM YYYY"),
    "financial_year": "Financial year",
    "month": "Month",
    "source_file": "File",
    "sha256": "SHA-256",
    "sheet": "Sheet",
    "header_row": st.column_config.NumberColumn("Header row"),
    "loaded_at": st.column_config.DatetimeColumn("Loaded", format="D MMM YYYY HH:mm"),
    "loaded_by": "Loaded by",
    "loader_version": "Loader version",
    "record_count": st.column_config.NumberColumn("Records"),
    "issue_count": st.column_config.NumberColumn("Issues"),
    "error_count": st.column_config.NumberColumn("Errors"),
    "superseded_by": "Superseded",
}


def snapshot_list(version: int, years: list[str]) -> None:
    filters, covers = snapshot_filters(years)
    total = cached.read(snapshot_count, **filters)
    if not total:
        st.info("No snapshots match these filters.")
        return
    snaps = page_of_snapshots(filters, total)
    first = (st.session_state["snap-page"] - 1) * st.session_state["snap-per-page"] + 1
    st.caption(
        f"{total:,} snapshots {literal(covers)}; showing {first:,} to {first + len(snaps) - 1:,}, "
        "newest as-at date first."
    )
    shown = snaps.assign(
        synthetic=snaps["synthetic"].map({True: SYNTHETIC_NOTE, False: ""}),
        kind=snaps["kind"].map(layout_name),
        month=snaps["month"].map(lambda m: "" if pd.isna(m) else str(int(m))),
        superseded_by=snaps["superseded_by"].map(lambda s: "current" if pd.isna(s) else f"by {int(s)}"),
        loaded_by=snaps["loaded_by"].fillna(NOT_SIGNED_IN),
    )
    st.dataframe(shown, hide_index=True, width="stretch", column_config=SNAPSHOT_COLUMNS)

    def every_match():
        frame = store.snapshots(con, **filters)
        frame["synthetic"] = frame["synthetic"].map({True: SYNTHETIC_NOTE, False: ""})
        return table_files(frame, "snapshots", f"All {total:,} snapshots")

    prepared_downloads(
        "snapshots", (repr(filters), version), f"all {total:,} of these snapshots for download", every_match
    )
    open_snapshot(snaps, version)


AUDIT_HEADINGS = {
    "happened_at": "When",
    "who": "Who",
    "action": "Change",
    "snapshot_id": "Snapshot",
    "other_snapshots": "Other snapshots",
    "organisation": "Organisation",
    "kind": "Kind",
    "as_at": "As at",
    "source_file": "File",
    "detail": "Detail",
    "sha256": "SHA-256",
}
NOT_SIGNED_IN = "not signed in"
UNKNOWN_BEFORE = "not recorded"  # rows of snapshots deleted before the store kept deleted snapshots


def audit_table(audit: pd.DataFrame) -> pd.DataFrame:
    """The audit log in words: readable headings, the other snapshots as a list, nothing shown as None."""
    shown = audit.assign(
        who=audit["who"].fillna(NOT_SIGNED_IN),
        as_at=audit["as_at"].map(lambda d: "" if pd.isna(d) else str(d)[:10]),
        other_snapshots=audit["other_snapshots"].map(
            lambda ids: ", ".join(map(str, ids)) if hasattr(ids, "__iter__") else ""  # none for rows older than it
        ),
    )
    layouts = audit["action"].astype(str).str.startswith("profile")  # a saved layout's change has no snapshot or file
    shown["snapshot_id"] = audit["snapshot_id"].map(lambda i: "" if pd.isna(i) else str(int(i)))
    shown.loc[layouts, "source_file"] = shown.loc[layouts, "source_file"].fillna("")
    for column in ("organisation", "kind", "source_file"):
        shown[column] = shown[column].fillna(UNKNOWN_BEFORE)
    shown[["detail", "sha256"]] = shown[["detail", "sha256"]].fillna("")
    columns = [c for c in AUDIT_HEADINGS if c != "detail" or shown["detail"].any()]  # older rows carry a detail
    return shown[columns].rename(columns=AUDIT_HEADINGS)


def audit_section(version: int) -> None:
    audit_log = st.expander("Audit log: every change to the store", key="snap-audit", on_change="rerun")
    if not audit_log.open:
        return
    with audit_log:
        count = audit_count(con)
        audit = store.audit_log(con, AUDIT_SHOWN)
        shown = f"The latest {len(audit):,} of {count:,}" if count > len(audit) else f"All {count:,}"
        st.caption(f"{shown} changes, newest first.")
        st.dataframe(audit_table(audit), hide_index=True, width="stretch")
        prepared_downloads(
            "audit",
            version,
            f"the whole audit log ({count:,} changes) for download",
            lambda: table_files(audit_table(store.audit_log(con, None)), "audit-log", "Audit log"),
        )


DELETED_HEADINGS = {
    "snapshot_id": "Snapshot",
    "organisation": "Organisation",
    "kind": "Kind",
    "as_at": "As at",
    "deleted_at": "Deleted",
    "deleted_by": "Deleted by",
    "was_current": "Was current",
    "source_file": "File",
    "sheet": "Sheet",
    "record_count": "Records",
    "issue_count": "Issues",
}


def deleted_label(row) -> str:
    return (
        f"#{row['snapshot_id']} {row['organisation']} · {row['kind']} · {str(row['as_at'])[:10]} · {row['source_file']}"
    )


def deleted_section() -> None:
    """Deleted snapshots: kept out of every page, listed here for an editor to restore."""
    deleted = store.deleted_snapshots(con)
    title = (
        f"Deleted snapshots ({len(deleted):,}): kept, and restorable" if len(deleted) else "Deleted snapshots (none)"
    )
    with st.expander(title, key="snap-deleted"):
        if deleted.empty:
            st.caption("A deleted snapshot is kept here, out of every page, until an editor restores it.")
            return
        st.caption("Out of every page; restoring one brings it back as it was (current if it was current).")
        shown = deleted[list(DELETED_HEADINGS)].assign(
            as_at=deleted["as_at"].map(lambda d: str(d)[:10]),
            deleted_by=deleted["deleted_by"].fillna(NOT_SIGNED_IN),
            was_current=deleted["was_current"].map({True: "yes", False: "no"}),
        )
        st.dataframe(shown.rename(columns=DELETED_HEADINGS), hide_index=True, width="stretch")
        labels = {int(row["snapshot_id"]): deleted_label(row) for row in deleted.to_dict("records")}
        chosen = st.selectbox("Deleted snapshot", list(labels), format_func=labels.get, key="snap-deleted-open")
        if st.button(f"Restore deleted snapshot {chosen}", key="snap-undelete") and editor_or_refuse(
            "restore snapshots"
        ):
            try:
                superseded = store.restore_deleted(con, chosen, who=current_user())
            except store.StoreError as exc:
                st.error(literal(str(exc)))
                return
            publish_changes()
            st.session_state["undeleted"] = (chosen, superseded)
            st.rerun()


if snapshots_tab.open:
    with snapshots_tab:
        version = summary["version"]
        if not summary["snapshots"]:
            st.info("No snapshots yet. Upload workbooks on the Upload tab.")
        else:
            snapshot_list(version, summary["years"])
        if "deleted" in st.session_state:
            st.success(
                f"Snapshot {st.session_state.pop('deleted')} deleted: it is out of every page, and kept under "
                "Deleted snapshots, where an editor can restore it."
            )
        if "undeleted" in st.session_state:
            chosen, superseded = st.session_state.pop("undeleted")
            again = f"; it supersedes {', '.join(map(str, superseded))}" if superseded else ""
            st.success(f"Snapshot {chosen} is restored{again}.")
        deleted_section()
        audit_section(version)


if layouts_tab.open:
    with layouts_tab:
        saved_layouts(con)

if templates_tab.open:
    with templates_tab:
        st.write("Blank templates with the headers the loaders read, drop-down lists, and an example row.")
        columns = st.columns(3)
        for n, kind in enumerate(KINDS):
            columns[n % 3].download_button(
                TITLES[kind],
                lambda kind=kind: template_workbook(kind),
                file_name=f"template-{kind}.xlsx",
                mime=XLSX_MIME,
                key=f"template-{kind}",
                on_click="ignore",
            )
        st.divider()
        st.write("A full export of the store: one file per table, in a zip.")
        fmt = st.radio("Format", ["xlsx", "parquet"], horizontal=True, key="export-format")
        if st.button("Prepare the export", key="export-prepare"):
            with st.spinner("Exporting every table ..."):
                st.session_state["export"] = (fmt, export_store(con, fmt))
        if "export" in st.session_state:
            fmt_done, payload = st.session_state["export"]
            st.download_button(
                f"Download store export ({fmt_done}, {len(payload) / 1e6:.1f} MB)",
                payload,
                file_name=f"assurance-store-{fmt_done}.zip",
                key="export-download",
            )
