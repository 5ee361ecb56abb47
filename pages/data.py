"""Data: upload workbooks, see what was found before storing, manage snapshots, templates and export."""

from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import streamlit as st

import loaders
import store
from loaders.records import KINDS
from loaders.templates import TITLES, template_workbook
from pages import common
from store.backup import export_snapshot, export_store

st.title("Data")
if common.read_only():
    st.info(common.READ_ONLY_NOTE)
con = common.connection()
upload_tab, snapshots_tab, templates_tab = st.tabs(["Upload", "Snapshots", "Templates and export"])


def read_upload(upload) -> tuple[str, object]:
    """Read an uploaded workbook once per session, showing progress while it is read."""
    data = upload.getvalue()
    key = hashlib.sha256(data).hexdigest()
    readings = st.session_state.setdefault("readings", {})
    if key not in readings:
        with st.status(f"Reading {upload.name} ...", expanded=False) as status:

            def progress(sheet: str, rows: int) -> None:
                status.write(f"Sheet {sheet}: {rows:,} rows read")

            result = loaders.load_workbook(data, upload.name, progress=progress)
            found = f"{len(result.datasets)} tables found" if result.readable else "could not be read"
            status.update(label=f"{upload.name}: {found}", state="complete" if result.readable else "error")
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


def editor_or_refuse(action: str) -> bool:
    """Changes to the store are for editors; the check runs here, on the server, not only in the layout."""
    if common.read_only():
        st.error(f"This read-only copy cannot {action}; do it on the editing copy of the dashboard.")
        return False
    if common.can_edit():
        return True
    st.error(f"Only editors may {action}; you are signed in as a viewer.")
    return False


def parse_iso(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def preview_and_store(key: str, upload_name: str, result) -> None:
    st.subheader(upload_name)
    if not result.readable:
        st.error(result.errors[0])
        return
    if not result.datasets:
        st.warning(f"{upload_name} was read, but none of its tables is one the loaders recognise; nothing to store.")
    else:
        st.dataframe(datasets_frame(result), hide_index=True, width="stretch")
    issues = issues_frame(result)
    errors = int((issues["severity"] == "error").sum())
    if not issues.empty:
        st.caption(f"{len(issues)} issues, {errors} errors (errors first). Cells are given as Sheet!C12.")
        st.dataframe(issues, hide_index=True, width="stretch")
        common.downloads(issues, f"issues-{key[:12]}", f"issues-{key}", "Issues")
    left, right = st.columns(2)
    org = left.text_input(
        "Organisation",
        value=result.org or "",
        key=f"org-{key}",
        help="As detected in the workbook; correct it if wrong.",
    )
    as_at = right.date_input(
        "As at", value=parse_iso(result.as_at), key=f"asat-{key}", format="YYYY-MM-DD",
        help="As detected in the workbook; finance positions are dated by their month.",
    )  # fmt: skip
    allow_errors = False
    if errors:
        allow_errors = st.checkbox(f"Store it with its {errors} errors kept as issues", key=f"allow-{key}")
    if st.button(f"Store {upload_name}", key=f"store-{key}", type="primary", disabled=not result.datasets) and (
        editor_or_refuse("store workbooks")
    ):
        try:
            outcomes = store.ingest(
                con, result, org=org.strip() or None, as_at=as_at.isoformat() if as_at else None,
                allow_errors=allow_errors, who=common.current_user(),
            )  # fmt: skip
        except store.StoreError as exc:
            st.session_state.setdefault("stored", {})[key] = ("error", [str(exc)])
        else:
            st.session_state.setdefault("stored", {})[key] = ("ok", [o.sentence() for o in outcomes])
            common.publish_changes()
    outcome = st.session_state.get("stored", {}).get(key)
    if outcome:
        show = st.success if outcome[0] == "ok" else st.error
        show("\n\n".join(outcome[1]))


with upload_tab:
    st.write(
        "Upload the workbooks as you keep them. You will see what was found, and the issues with their cells, "
        "before anything is stored."
    )
    uploads = st.file_uploader(
        "Workbooks (.xlsx, .xlsm)", type=["xlsx", "xlsm"], accept_multiple_files=True, key="uploads"
    )
    for upload in uploads or []:
        key, result = read_upload(upload)
        preview_and_store(key, upload.name, result)


def snapshot_label(row) -> str:
    state = "current" if pd.isna(row.superseded_by) else f"superseded by {int(row.superseded_by)}"
    return f"#{row.snapshot_id} {row.organisation} · {row.kind} · {str(row.as_at)[:10]} · {row.source_file} ({state})"


with snapshots_tab:
    orgs = store.organisations(con)["name"].tolist()
    left, middle, right = st.columns([2, 2, 1])
    common.url_state("snap-org", "All organisations", ["All organisations", *orgs], param="snapshots_of")
    org_filter = left.selectbox("Organisation", ["All organisations", *orgs], key="snap-org")
    common.url_state("snap-kind", "All kinds", ["All kinds", *KINDS], param="kind")
    kind_filter = middle.selectbox("Kind", ["All kinds", *KINDS], key="snap-kind")
    with_superseded = right.checkbox("Show superseded", value=True, key="snap-superseded")
    snaps = store.snapshots(
        con,
        org=None if org_filter == "All organisations" else org_filter,
        kind=None if kind_filter == "All kinds" else kind_filter,
        include_superseded=with_superseded,
    )
    if snaps.empty:
        st.info("No snapshots yet. Upload workbooks on the Upload tab.")
    else:
        st.caption(f"{len(snaps)} snapshots, newest first.")
        shown = snaps.assign(synthetic=snaps["synthetic"].map({True: common.SYNTHETIC_NOTE, False: ""}))
        st.dataframe(shown, hide_index=True, width="stretch")
        common.downloads(shown, "snapshots", "snapshots_table", "Snapshots")
        labels = {int(r.snapshot_id): snapshot_label(r) for r in snaps.itertuples()}
        chosen = st.selectbox("Open a snapshot", list(labels), format_func=labels.get, key="snap-open")
        row = snaps[snaps["snapshot_id"] == chosen].iloc[0]
        st.write(
            f"**Snapshot {chosen}**: {row['record_count']} records, {row['issue_count']} issues; "
            f"sheet {row['sheet']!r}, header row {row['header_row']}; loaded {row['loaded_at']}; SHA-256 `{row['sha256']}`."
        )
        issues = store.snapshot_issues(con, chosen)
        if not issues.empty:
            st.dataframe(issues, hide_index=True, width="stretch")
            common.downloads(issues, f"snapshot-{chosen}-issues", f"snap-issues-{chosen}", "Issues")
        actions = st.columns(3)
        actions[0].download_button(
            "Download this snapshot (xlsx)", export_snapshot(con, chosen), file_name=f"snapshot-{chosen}.xlsx",
            key=f"snap-export-{chosen}",
        )  # fmt: skip
        restore_clicked = not pd.isna(row["superseded_by"]) and actions[1].button(
            f"Restore snapshot {chosen}", key="snap-restore"
        )
        if restore_clicked and editor_or_refuse("restore snapshots"):
            replaced = store.restore(con, chosen, who=common.current_user())
            common.publish_changes()
            st.success(
                f"Snapshot {chosen} is current again; it supersedes {', '.join(map(str, replaced)) or 'nothing'}."
            )
            st.rerun()
        with actions[2]:
            confirm = st.checkbox(f"Yes, delete snapshot {chosen}", key=f"snap-confirm-{chosen}")
            if st.button(f"Delete snapshot {chosen}", disabled=not confirm, key="snap-delete") and editor_or_refuse(
                "delete snapshots"
            ):
                store.delete_snapshot(con, chosen, who=common.current_user())
                common.publish_changes()
                st.session_state["deleted"] = chosen
                st.rerun()
    if "deleted" in st.session_state:
        st.success(f"Snapshot {st.session_state.pop('deleted')} deleted. A store export made before keeps it.")
    with st.expander("Audit log: every change to the store"):
        audit = store.audit_log(con)
        st.dataframe(audit, hide_index=True, width="stretch")
        common.downloads(audit, "audit-log", "audit_log", "Audit log")


with templates_tab:
    st.write("Blank templates with the headers the loaders read, drop-down lists, and an example row.")
    columns = st.columns(3)
    for n, kind in enumerate(KINDS):
        columns[n % 3].download_button(
            TITLES[kind], template_workbook(kind), file_name=f"template-{kind}.xlsx", key=f"template-{kind}",
        )  # fmt: skip
    st.divider()
    st.write("A full export of the store: one file per table, in a zip.")
    fmt = st.radio("Format", ["xlsx", "parquet"], horizontal=True, key="export-format")
    if st.button("Prepare the export", key="export-prepare"):
        with st.spinner("Exporting every table ..."):
            st.session_state["export"] = (fmt, export_store(con, fmt))
    if "export" in st.session_state:
        fmt_done, payload = st.session_state["export"]
        st.download_button(
            f"Download store export ({fmt_done}, {len(payload) / 1e6:.1f} MB)", payload,
            file_name=f"assurance-store-{fmt_done}.zip", key="export-download",
        )  # fmt: skip
