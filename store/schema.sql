-- Assurance store schema. Every reporting period is a snapshot; records belong to one snapshot.
-- The snapshots table, and deleted_snapshots beside it (a deleted snapshot kept as it was, its records and
-- issues staying keyed by its id, so it can be restored; pages read snapshots only, so nothing deleted reaches
-- them), are made from store.db.SNAPSHOT_FIELDS by store.db.schema_sql() before this file runs.

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

-- Stores made before snapshots kept the mapping they were read with (and its layout profile) gain the columns.
ALTER TABLE snapshots ADD COLUMN IF NOT EXISTS mapping_json VARCHAR;
ALTER TABLE snapshots ADD COLUMN IF NOT EXISTS profile_id INTEGER;
ALTER TABLE deleted_snapshots ADD COLUMN IF NOT EXISTS mapping_json VARCHAR;
ALTER TABLE deleted_snapshots ADD COLUMN IF NOT EXISTS profile_id INTEGER;

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

-- Each row says what it was about by itself: the snapshot's organisation, kind, as-at date and file, and
-- the other snapshots the change made current or superseded.
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id INTEGER PRIMARY KEY,
    happened_at TIMESTAMP NOT NULL,
    who VARCHAR,
    action VARCHAR NOT NULL,
    snapshot_id INTEGER,
    sha256 VARCHAR,
    detail VARCHAR,
    organisation VARCHAR,
    kind VARCHAR,
    as_at DATE,
    source_file VARCHAR,
    other_snapshots INTEGER[]
);

-- Stores made before audit rows carried their context gain the columns (store.db fills them for old rows).
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS organisation VARCHAR;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS kind VARCHAR;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS as_at DATE;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS source_file VARCHAR;
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS other_snapshots INTEGER[];

-- The record tables, one per kind of records.KIND_FIELDS with its fields after snapshot_id, source_sheet and
-- source_row, are made from that contract by store.db.schema_sql().
