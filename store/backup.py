"""Whole-store and single-snapshot exports: what is deleted stays recoverable from them."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from records import KIND_FIELDS
from store.db import query_df, record_table

STORE_TABLES = (
    "organisations",
    "snapshots",
    "deleted_snapshots",
    "snapshot_issues",
    "audit_log",
    "layout_profiles",
)


def _table(con, table: str) -> pd.DataFrame:
    if table not in STORE_TABLES:
        table = record_table(table)
    return query_df(con, f"SELECT * FROM {table}")  # noqa: S608


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    out = io.BytesIO()
    # Text stays text: a cell that starts with "=" is never written as a formula.
    with pd.ExcelWriter(
        out, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}}
    ) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return out.getvalue()


def export_store(con, fmt: str = "xlsx") -> bytes:
    """A zip with one file per table (xlsx or parquet)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in (*STORE_TABLES, *KIND_FIELDS):
            frame = _table(con, table)
            if fmt == "parquet":
                buffer = io.BytesIO()
                frame.to_parquet(buffer, index=False)
                archive.writestr(f"{table}.parquet", buffer.getvalue())
            else:
                archive.writestr(f"{table}.xlsx", _xlsx({table: frame}))
    return out.getvalue()


def export_snapshot(con, snapshot_id: int) -> bytes:
    """One snapshot as an xlsx: its provenance, its records and its issues."""
    meta = query_df(con, "SELECT * FROM snapshots WHERE snapshot_id = ?", [snapshot_id])
    kind = meta["kind"].iloc[0] if not meta.empty else None
    sheets = {"snapshot": meta.T.reset_index().set_axis(["field", "value"], axis=1)}
    if kind:
        sql = f"SELECT * FROM {record_table(kind)} WHERE snapshot_id = ? ORDER BY source_row"  # noqa: S608
        sheets[kind] = query_df(con, sql, [snapshot_id])
    sheets["issues"] = query_df(con, "SELECT * FROM snapshot_issues WHERE snapshot_id = ? ORDER BY seq", [snapshot_id])
    return _xlsx(sheets)
