"""The DuckDB store: the only place with SQL."""

from store import actions, activity, export, finance, qipp, risks
from store.db import StoreBusy, StoreError, connect, db_path
from store.ingest import IngestOutcome, delete_snapshot, ingest, restore
from store.snapshots import (
    as_at_dates,
    audit_log,
    current_records,
    is_empty,
    organisations,
    snapshot_issues,
    snapshots,
    table_checksums,
)

__all__ = [
    "actions",
    "activity",
    "export",
    "finance",
    "qipp",
    "risks",
    "IngestOutcome",
    "StoreBusy",
    "StoreError",
    "as_at_dates",
    "audit_log",
    "connect",
    "current_records",
    "db_path",
    "delete_snapshot",
    "ingest",
    "is_empty",
    "organisations",
    "restore",
    "snapshot_issues",
    "snapshots",
    "table_checksums",
]
