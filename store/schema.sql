-- Assurance store schema. Every reporting period is a snapshot; records belong to one snapshot.

CREATE SEQUENCE IF NOT EXISTS snapshot_ids START 1;
CREATE SEQUENCE IF NOT EXISTS audit_ids START 1;

CREATE TABLE IF NOT EXISTS organisations (
    name VARCHAR PRIMARY KEY,
    synthetic BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE IF NOT EXISTS snapshots (
    snapshot_id INTEGER PRIMARY KEY,
    organisation VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    as_at DATE NOT NULL,
    financial_year VARCHAR,
    month INTEGER,
    source_file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    sheet VARCHAR,
    header_row INTEGER,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR,
    loader_version VARCHAR NOT NULL,
    record_count INTEGER NOT NULL,
    issue_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    superseded_by INTEGER,
    columns_json VARCHAR
);

CREATE TABLE IF NOT EXISTS snapshot_issues (
    snapshot_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    severity VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    cell VARCHAR,
    message VARCHAR NOT NULL
);

-- A deleted snapshot, kept as it was (its records and issues stay, keyed by its id) so it can be restored.
-- Pages read snapshots only, so nothing deleted reaches them.
CREATE TABLE IF NOT EXISTS deleted_snapshots (
    snapshot_id INTEGER PRIMARY KEY,
    organisation VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    as_at DATE NOT NULL,
    financial_year VARCHAR,
    month INTEGER,
    source_file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    sheet VARCHAR,
    header_row INTEGER,
    loaded_at TIMESTAMP NOT NULL,
    loaded_by VARCHAR,
    loader_version VARCHAR NOT NULL,
    record_count INTEGER NOT NULL,
    issue_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    superseded_by INTEGER,
    columns_json VARCHAR,
    deleted_at TIMESTAMP NOT NULL,
    deleted_by VARCHAR
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

CREATE TABLE IF NOT EXISTS risks (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    ref VARCHAR,
    title VARCHAR,
    owner VARCHAR,
    objective VARCHAR,
    scale VARCHAR,
    initial_likelihood INTEGER,
    initial_consequence INTEGER,
    initial_score INTEGER,
    current_likelihood INTEGER,
    current_consequence INTEGER,
    current_score INTEGER,
    target_likelihood INTEGER,
    target_consequence INTEGER,
    target_score INTEGER,
    last_reviewed DATE,
    status VARCHAR,
    controls VARCHAR,
    assurances VARCHAR,
    gaps VARCHAR,
    actions VARCHAR,
    initial_band VARCHAR,
    current_band VARCHAR,
    target_band VARCHAR
);
ALTER TABLE risks ADD COLUMN IF NOT EXISTS initial_band VARCHAR;
ALTER TABLE risks ADD COLUMN IF NOT EXISTS current_band VARCHAR;
ALTER TABLE risks ADD COLUMN IF NOT EXISTS target_band VARCHAR;

CREATE TABLE IF NOT EXISTS qipp_schemes (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    ref VARCHAR,
    name VARCHAR,
    area VARCHAR,
    stage INTEGER,
    rag VARCHAR,
    value DOUBLE,
    risk_adjusted_value DOUBLE,
    lead VARCHAR,
    recurrent BOOLEAN
);

CREATE TABLE IF NOT EXISTS qipp_targets (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    area VARCHAR,
    target DOUBLE
);

CREATE TABLE IF NOT EXISTS finance_lines (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    line VARCHAR,
    ytd_budget DOUBLE,
    ytd_actual DOUBLE,
    ytd_variance DOUBLE,
    annual_budget DOUBLE,
    forecast_outturn DOUBLE,
    forecast_variance DOUBLE,
    is_total BOOLEAN,
    financial_year VARCHAR,
    month INTEGER
);

CREATE TABLE IF NOT EXISTS finance_risks (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    section VARCHAR,
    item VARCHAR,
    total_risk DOUBLE,
    mitigated_risk DOUBLE,
    in_forecast DOUBLE,
    residual_risk DOUBLE,
    is_total BOOLEAN
);

CREATE TABLE IF NOT EXISTS finance_plan (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    line VARCHAR,
    plan_column VARCHAR,
    value DOUBLE,
    is_total BOOLEAN
);

CREATE TABLE IF NOT EXISTS activity (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    code VARCHAR,
    title VARCHAR,
    month DATE,
    plan DOUBLE,
    actual DOUBLE
);

CREATE TABLE IF NOT EXISTS activity_annual (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    code VARCHAR,
    title VARCHAR,
    prior_outturn DOUBLE,
    do_nothing DOUBLE,
    qipp DOUBLE,
    plan DOUBLE
);

CREATE TABLE IF NOT EXISTS actions (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    ref VARCHAR,
    area VARCHAR,
    action VARCHAR,
    owner VARCHAR,
    due_text VARCHAR,
    due_date DATE,
    original_due_date DATE,
    rag_label VARCHAR,
    rag VARCHAR,
    status VARCHAR,
    updated DATE
);

CREATE TABLE IF NOT EXISTS action_summary (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    report_date DATE,
    area VARCHAR,
    blue INTEGER,
    green INTEGER,
    amber INTEGER,
    red INTEGER,
    grey INTEGER,
    total INTEGER
);

CREATE TABLE IF NOT EXISTS action_concerns (
    snapshot_id INTEGER NOT NULL,
    source_sheet VARCHAR,
    source_row INTEGER,
    ref VARCHAR,
    action VARCHAR,
    deadline_text VARCHAR,
    due_date DATE,
    original_due_date DATE,
    concern VARCHAR,
    first_raised VARCHAR,
    status VARCHAR
);
