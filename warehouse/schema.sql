-- The warehouse: tables of CONTRACT.md plus what runs, validation and quarantine need.
-- The keys of mentions, quotes and figures are hashes of their document's key and their
-- span: unique because documents are (a document's rows are replaced whole) and each
-- batch's are checked unique by validation. They are not declared PRIMARY KEY: DuckDB
-- loads a key's whole index into memory for every write, so a long archive's publishes
-- would cost more memory and time the bigger the warehouse grows.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    status VARCHAR,              -- running | succeeded | failed | cancelled | interrupted
    source VARCHAR,
    documents_seen INTEGER,
    documents_loaded INTEGER,
    documents_unchanged INTEGER,
    documents_rejected INTEGER,
    documents_missing INTEGER,
    documents_rows INTEGER,
    event_mentions_rows INTEGER,
    events_rows INTEGER,
    event_participants_rows INTEGER,
    quotes_rows INTEGER,
    figures_rows INTEGER,
    quarantined_rows INTEGER,
    message VARCHAR
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY,
    source_path VARCHAR,
    title VARCHAR,
    url VARCHAR,
    published_date DATE,
    date_source VARCHAR,
    reference_year INTEGER,
    content_sha256 VARCHAR,
    encoding VARCHAR,
    text VARCHAR,
    char_count INTEGER,
    body_start INTEGER,
    body_end INTEGER,
    dateline_text VARCHAR,
    dateline_date DATE,
    run_id VARCHAR,
    missing_since TIMESTAMP,
    extractor_version VARCHAR
);
CREATE TABLE IF NOT EXISTS event_mentions (
    mention_id VARCHAR,
    event_id VARCHAR,
    doc_id VARCHAR,
    char_start INTEGER,
    char_end INTEGER,
    evidence VARCHAR,
    date_text VARCHAR,
    mention_date DATE,
    mention_precision VARCHAR,
    mention_basis VARCHAR,
    mention_type VARCHAR,
    mention_channel VARCHAR,
    mention_name VARCHAR,
    mention_participants STRUCT(name VARCHAR, kind VARCHAR, country_code VARCHAR)[],
    sent_start INTEGER,
    sent_end INTEGER,
    run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    event_date DATE,
    date_precision VARCHAR,
    date_basis VARCHAR,
    event_type VARCHAR,
    channel VARCHAR,
    event_name VARCHAR,
    mention_count INTEGER,
    channel_basis VARCHAR
);
CREATE TABLE IF NOT EXISTS event_participants (
    event_id VARCHAR,
    name VARCHAR,
    kind VARCHAR,
    country_code VARCHAR
);
CREATE TABLE IF NOT EXISTS quotes (
    quote_id VARCHAR,
    doc_id VARCHAR,
    char_start INTEGER,
    char_end INTEGER,
    text VARCHAR,
    speaker VARCHAR,
    speaker_text VARCHAR,
    event_id VARCHAR,
    mention_id VARCHAR,
    sent_start INTEGER,
    sent_end INTEGER,
    run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS figures (
    figure_id VARCHAR,
    doc_id VARCHAR,
    char_start INTEGER,
    char_end INTEGER,
    text VARCHAR,
    value DOUBLE,
    unit VARCHAR,
    qualifier VARCHAR,
    subject VARCHAR,
    event_id VARCHAR,
    mention_id VARCHAR,
    sent_start INTEGER,
    sent_end INTEGER,
    run_id VARCHAR
);
CREATE TABLE IF NOT EXISTS rejects (
    run_id VARCHAR,
    source_path VARCHAR,
    reason VARCHAR
);
-- What a run noticed but loaded anyway: a field ignored ("date: 2021-02-30"), an empty folder.
CREATE TABLE IF NOT EXISTS notes (
    run_id VARCHAR,
    source_path VARCHAR,
    note VARCHAR
);
CREATE TABLE IF NOT EXISTS quarantine (
    run_id VARCHAR,
    table_name VARCHAR,
    row_key VARCHAR,
    doc_id VARCHAR,
    expectation VARCHAR,
    row_json VARCHAR
);
CREATE TABLE IF NOT EXISTS validation_results (
    run_id VARCHAR,
    suite VARCHAR,
    expectation VARCHAR,
    column_name VARCHAR,
    level VARCHAR,
    success BOOLEAN,
    observed_value VARCHAR,
    unexpected_count BIGINT,
    checked_at TIMESTAMP
);
-- Upgrades of warehouses made by earlier versions.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS extractor_version VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS sent_start INTEGER;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS sent_end INTEGER;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS sent_start INTEGER;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS sent_end INTEGER;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS dateline_text VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS dateline_date DATE;
ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS mention_basis VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS date_basis VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS channel_basis VARCHAR;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS range_low DOUBLE;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS range_high DOUBLE;
ALTER TABLE figures ADD COLUMN IF NOT EXISTS rule VARCHAR;
ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS rule VARCHAR;
ALTER TABLE quotes ADD COLUMN IF NOT EXISTS rule VARCHAR;
-- The rules that make rows: every event_mentions.rule, quotes.rule and figures.rule names one.
CREATE TABLE IF NOT EXISTS rules (
    rule VARCHAR PRIMARY KEY,
    table_name VARCHAR,
    description VARCHAR
);
ALTER TABLE rules ADD COLUMN IF NOT EXISTS example VARCHAR;  -- invented text the rule makes a row of
ALTER TABLE rules ADD COLUMN IF NOT EXISTS rule_file VARCHAR;  -- transforms/rules/<file>.yaml that holds it
ALTER TABLE rules ADD COLUMN IF NOT EXISTS pattern VARCHAR;    -- its pattern as written there
-- which process runs a run (a run whose process is gone is interrupted), and the files
-- a document came from as they were when read (unchanged files are not read again)
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pid INTEGER;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS host VARCHAR;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS file_size BIGINT;
ALTER TABLE documents ADD COLUMN IF NOT EXISTS file_mtime_ns BIGINT;
