"""The DuckDB store: the only place with SQL."""

from store import actions, activity, export, finance, qipp, risks
from store.db import StoreBusy, StoreError, connect, db_path
from store.ingest import FutureAsAt, IngestOutcome, delete_snapshot, ingest, restore, restore_deleted
from store.profiles import (
    delete_profile,
    list_profiles,
    profile,
    profiles_for_matching,
    save_profile,
    snapshot_mapping,
    update_profile,
)
from store.snapshots import (
    as_at_dates,
    audit_log,
    current_records,
    default_organisation,
    deleted_snapshots,
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
    "FutureAsAt",
    "IngestOutcome",
    "StoreBusy",
    "StoreError",
    "as_at_dates",
    "audit_log",
    "connect",
    "current_records",
    "db_path",
    "default_organisation",
    "delete_profile",
    "delete_snapshot",
    "deleted_snapshots",
    "ingest",
    "is_empty",
    "list_profiles",
    "organisation_coverage",
    "organisations",
    "profile",
    "profiles_for_matching",
    "restore",
    "restore_deleted",
    "save_profile",
    "snapshot_mapping",
    "snapshot_issues",
    "snapshots",
    "table_checksums",
    "update_profile",
]
