"""The DuckDB store: the only place with SQL."""

# ruff: noqa: F401 - the imports are the package's interface

from store import actions, activity, export, finance, qipp, risks
from store.db import StoreBusy, StoreError, connect, db_path
from store.ingest import FutureAsAt, IngestOutcome, delete_snapshot, ingest, ingest_many, restore, restore_deleted
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
