"""The DuckDB store: the only place with SQL."""

from store import actions, activity, export, finance, qipp, risks
from store.db import StoreError, connect, db_path
from store.ingest import IngestOutcome, delete_snapshot, ingest, restore
from store.snapshots import (
    as_at_dates,
    audit_log,
    current_records,
    default_organisation,
    is_empty,
    organisation_coverage,
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
    "StoreError",
    "as_at_dates",
    "audit_log",
    "connect",
    "current_records",
    "db_path",
    "default_organisation",
    "delete_snapshot",
    "ingest",
    "is_empty",
    "organisation_coverage",
    "organisations",
    "restore",
    "snapshot_issues",
    "snapshots",
    "table_checksums",
]
