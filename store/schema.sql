-- Assurance store schema. Every reporting period is a snapshot; records belong to one snapshot.

CREATE SEQUENCE IF NOT EXISTS snapshot_ids START 1;
CREATE SEQUENCE IF NOT EXISTS audit_ids START 1;

CREATE TABLE IF NOT EXISTS organisations (
    name VARCHAR PRIMARY KEY,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS snapshot_issues (
    snapshot_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    severity VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    cell VARCHAR,
    message VARCHAR NOT NULL
);

-- A layout profile: a saved Mapping for one organisation's workbook layout, found again by its signature
-- (sheet names, normalised header texts and positions; signature_key is the caller's hash of it).
CREATE SEQUENCE IF NOT EXISTS profile_ids START 1;
CREATE TABLE IF NOT EXISTS layout_profiles (
    profile_id INTEGER PRIMARY KEY,
    organisation VARCHAR NOT NULL,
    signature_key VARCHAR NOT NULL,
    signature VARCHAR NOT NULL,
    mapping VARCHAR NOT NULL,
    saved_by VARCHAR,
    saved_at TIMESTAMP NOT NULL,
    updated_by VARCHAR,
    updated_at TIMESTAMP,
    UNIQUE (organisation, signature_key)
);

-- Then store.db.schema_sql() makes the snapshots table, and deleted_snapshots beside it (a deleted snapshot kept
-- as it was, its records and issues staying keyed by its id, so it can be restored; pages read snapshots only, so
-- nothing deleted reaches them), the audit log, and the record tables, one per kind of records.KIND_FIELDS with its
-- fields after snapshot_id, source_sheet and source_row; a store made before a column joined them gains it.
