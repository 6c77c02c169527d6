-- Tables of the NQ57 database.
-- Catalog tables are dropped and rebuilt from data/ by `python -m loaders build`.
-- Upload tables (uploads, actual_revisions, users' records) are created once and never
-- dropped or rewritten by a build: they hold what the secretariat entered.

-- ---------------------------------------------------------------- catalog
CREATE OR REPLACE TABLE plans (
    plan_id        VARCHAR PRIMARY KEY,
    short_name     VARCHAR NOT NULL,   -- "KH 6896/KH-UBND"
    issuer         VARCHAR NOT NULL,
    number         VARCHAR NOT NULL,   -- "chưa đánh số" where the draft left it blank
    doc_date       DATE,               -- NULL where the day was left blank
    doc_date_text  VARCHAR NOT NULL,   -- as printed: "…/02/2025"
    plan_period    VARCHAR NOT NULL,   -- quarter the plan was issued in: baseline search starts here
    title          VARCHAR NOT NULL,
    horizons       VARCHAR NOT NULL,
    source_file    VARCHAR NOT NULL,   -- seed file it was transcribed from
    note           VARCHAR,
    tasks_note     VARCHAR             -- why the catalog holds fewer tasks than the plan (missing appendix)
);

CREATE OR REPLACE TABLE thematic_groups (
    group_code  VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    sort_order  INTEGER NOT NULL
);

CREATE OR REPLACE TABLE agencies (
    agency_id     VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    short_name    VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,  -- so (department), dang (party body), khoi (collective), don_vi (unit inside a department), khac
    parent_id     VARCHAR,           -- a unit inside a department rolls up to it
    successor_id  VARCHAR,           -- set where the body was merged in 2025
    status        VARCHAR NOT NULL,  -- current, merged, successor_unknown
    note          VARCHAR
);

CREATE OR REPLACE TABLE agency_aliases (
    alias      VARCHAR PRIMARY KEY,  -- a name as some plan printed it (NFC)
    agency_id  VARCHAR NOT NULL
);

CREATE OR REPLACE TABLE indicators (
    indicator_id  VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    short_name    VARCHAR NOT NULL,
    unit          VARCHAR NOT NULL,
    direction     VARCHAR NOT NULL,  -- higher, lower, yes_no, qualitative
    group_code    VARCHAR NOT NULL,
    min_value     DOUBLE,            -- plausible range used to validate uploads
    max_value     DOUBLE,
    note          VARCHAR,
    -- how often a value is measured: quarterly, half_yearly (Q2, Q4), yearly (Q4); data/README.md
    frequency     VARCHAR NOT NULL CHECK (frequency IN ('quarterly', 'half_yearly', 'yearly'))
);

CREATE OR REPLACE TABLE targets (
    target_id            VARCHAR PRIMARY KEY,
    plan_id              VARCHAR NOT NULL,
    row_ref              VARCHAR NOT NULL,
    source_task_id       VARCHAR,           -- the task whose wording holds this target (not in Phụ lục I)
    horizon              VARCHAR NOT NULL,  -- 2025-Q4, 2030, 2045
    due_period           VARCHAR NOT NULL,  -- 2025-Q4, 2030-Q4, 2045-Q4
    indicator_id         VARCHAR NOT NULL,
    comparator           VARCHAR NOT NULL,  -- >=, >, <=, <, =, between, text
    target_value         DOUBLE,
    target_value_high    DOUBLE,
    also_rising          BOOLEAN NOT NULL,
    unit_as_written      VARCHAR,
    value_as_written     VARCHAR,
    target_text          VARCHAR NOT NULL,  -- the row as printed
    wording_restored     VARCHAR,           -- diacritics restored, for the OCR plan only
    lead_agencies_as_written VARCHAR,       -- NULL where the plan names no lead for the row
    lead_agencies_inferred VARCHAR,         -- the lead given to such a row, with its reason and source:
    lead_basis           VARCHAR,           -- why these leads, where the row names none
    lead_inferred_from   VARCHAR,           -- short source of the inferred lead ("KH 6896")
    plan_note            VARCHAR,
    interpretation_note  VARCHAR,
    correction_note      VARCHAR,
    source_ref           VARCHAR NOT NULL
);

CREATE OR REPLACE TABLE target_agencies (
    target_id          VARCHAR NOT NULL,
    ordinal            INTEGER NOT NULL,
    agency_as_written  VARCHAR NOT NULL,
    agency_id          VARCHAR NOT NULL,
    PRIMARY KEY (target_id, ordinal)
);

CREATE OR REPLACE TABLE tasks (
    task_id                VARCHAR PRIMARY KEY,
    plan_id                VARCHAR NOT NULL,
    section                VARCHAR NOT NULL,
    section_title          VARCHAR NOT NULL,
    row_no                 VARCHAR NOT NULL,
    title                  VARCHAR NOT NULL,
    lead_agencies_as_written VARCHAR NOT NULL,
    coordinating_agencies_as_written VARCHAR,
    expected_output        VARCHAR,
    deadline_text          VARCHAR,
    deadline_kind          VARCHAR NOT NULL,  -- date, recurring, waiting, unknown
    due_date               DATE,
    note                   VARCHAR,
    source_ref             VARCHAR NOT NULL
);

CREATE OR REPLACE TABLE task_agencies (
    task_id            VARCHAR NOT NULL,
    role               VARCHAR NOT NULL,  -- lead, coordinating
    ordinal            INTEGER NOT NULL,
    agency_as_written  VARCHAR NOT NULL,
    agency_id          VARCHAR NOT NULL,
    PRIMARY KEY (task_id, role, ordinal)
);

CREATE OR REPLACE TABLE published_actuals (
    indicator_id  VARCHAR NOT NULL,
    period        VARCHAR NOT NULL,
    value         DOUBLE,
    value_text    VARCHAR,
    source        VARCHAR NOT NULL,
    source_url    VARCHAR,
    grade         VARCHAR NOT NULL,   -- A, B, C as in REAL_DATA.md
    published_on  DATE NOT NULL,
    note          VARCHAR,
    comparable    BOOLEAN NOT NULL,   -- measures the target's definition; false: context, never judged
    PRIMARY KEY (indicator_id, period)
);

-- ---------------------------------------------------------------- uploads (never rebuilt)
CREATE SEQUENCE IF NOT EXISTS upload_seq START 1;
CREATE SEQUENCE IF NOT EXISTS revision_seq START 1;

CREATE TABLE IF NOT EXISTS uploads (
    upload_id          BIGINT PRIMARY KEY,
    kind               VARCHAR NOT NULL,   -- import, revert, demo
    file_name          VARCHAR NOT NULL,
    sha256             VARCHAR NOT NULL,
    uploaded_by        VARCHAR NOT NULL,
    uploaded_at        TIMESTAMP NOT NULL,
    reverts_upload_id  BIGINT,
    n_revisions        INTEGER NOT NULL,
    note               VARCHAR
);

CREATE TABLE IF NOT EXISTS actual_revisions (
    revision_id    BIGINT PRIMARY KEY,
    upload_id      BIGINT NOT NULL,
    indicator_id   VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,
    value          DOUBLE,
    value_text     VARCHAR,            -- Đạt / Chưa đạt / Đang thực hiện for manual indicators
    note           VARCHAR,
    evidence       VARCHAR,
    is_retraction  BOOLEAN NOT NULL,   -- a revert of a value that did not exist before
    recorded_by    VARCHAR NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);

-- Task status updates (docs/tasks.md): append-only like actual_revisions, each under an uploads row.
-- The update in force for a task and period is the latest; a revert writes new rows, never deletes.
CREATE SEQUENCE IF NOT EXISTS task_update_seq START 1;

CREATE TABLE IF NOT EXISTS task_updates (
    update_id      BIGINT PRIMARY KEY,
    upload_id      BIGINT NOT NULL,
    task_id        VARCHAR NOT NULL,
    period         VARCHAR NOT NULL,   -- the reporting quarter of the file, 2025-Q4
    status         VARCHAR,            -- not_started, in_progress, done, done_late, behind, stopped; NULL if retracted
    completed_on   DATE,               -- required for done and done_late
    evidence       VARCHAR,            -- minh chứng: document number or link
    note           VARCHAR,
    is_retraction  BOOLEAN NOT NULL,   -- a revert of an update that had nothing before it
    recorded_by    VARCHAR NOT NULL,
    recorded_at    TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- Thresholds of the status rules (data/status_thresholds.csv): configuration, not code.
CREATE OR REPLACE TABLE status_thresholds (
    key    VARCHAR PRIMARY KEY,
    value  DOUBLE NOT NULL,
    note   VARCHAR
);

-- Who ran each write beyond the free-text name (schema 2, loaders/migrations.py creates it in older files).
CREATE TABLE IF NOT EXISTS upload_audit (
    upload_id    BIGINT NOT NULL,
    via          VARCHAR NOT NULL,   -- cli, app, library
    os_user      VARCHAR,            -- getpass.getuser() of the process that wrote
    account      VARCHAR,            -- the account checked against users.toml
    client       VARCHAR,            -- the browser's address, for the app
    recorded_at  TIMESTAMP NOT NULL
);

-- The reporting calendar (data/reporting_calendar.csv, docs/reporting.md): one row per quarter.
CREATE OR REPLACE TABLE reporting_calendar (
    period             VARCHAR PRIMARY KEY,  -- 2025-Q4
    report_name        VARCHAR NOT NULL,     -- Báo cáo quý I / 6 tháng / 9 tháng / năm
    cutoff_start       DATE NOT NULL,        -- thời điểm chốt số liệu: first day
    cutoff_end         DATE NOT NULL,        -- … last day
    agency_deadline    DATE NOT NULL,        -- agencies send to the secretariat by this day (included)
    province_deadline  DATE NOT NULL,        -- the province reports upward by this day
    edited             BOOLEAN NOT NULL,     -- true: set by hand, the generator keeps it
    note               VARCHAR
);

CREATE OR REPLACE TABLE reporting_settings (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL,
    note   VARCHAR
);

CREATE OR REPLACE TABLE public_holidays (
    holiday_date  DATE PRIMARY KEY,
    name          VARCHAR NOT NULL
);

-- Narratives (docs/narratives.md): why a target stands where it does and what is being done, per period.
-- Append-only: a new text is a new row, the one in force is the latest (v_narratives_latest).
-- subject_kind 'indicator' (fields assessment, causes, next_steps) or 'agency' (difficulties, proposals).
CREATE SEQUENCE IF NOT EXISTS narrative_seq START 1;

CREATE TABLE IF NOT EXISTS narratives (
    narrative_id  BIGINT PRIMARY KEY,
    subject_kind  VARCHAR NOT NULL,   -- indicator, agency
    subject_id    VARCHAR NOT NULL,   -- indicator_id or (current) agency_id
    period        VARCHAR NOT NULL,   -- the reporting quarter, 2025-Q4
    field         VARCHAR NOT NULL,   -- assessment, causes, next_steps, difficulties, proposals
    text          VARCHAR NOT NULL,   -- plain text, cleaned (loaders/text_clean.py)
    recorded_by   VARCHAR NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    upload_id     BIGINT,             -- the upload it came with; NULL when typed on a page
    source        VARCHAR NOT NULL    -- upload, page
);

-- Corrective actions for a target at risk or off track: an owner agency, a due date, and a history of
-- status updates (the task statuses and lateness rules, metrics/actions.py). Both append-only.
CREATE SEQUENCE IF NOT EXISTS action_seq START 1;
CREATE SEQUENCE IF NOT EXISTS action_update_seq START 1;

CREATE TABLE IF NOT EXISTS corrective_actions (
    action_id        BIGINT PRIMARY KEY,
    indicator_id     VARCHAR NOT NULL,
    period           VARCHAR NOT NULL,   -- the quarter it was decided in
    title            VARCHAR NOT NULL,
    owner_agency_id  VARCHAR NOT NULL,
    due_date         DATE,
    recorded_by      VARCHAR NOT NULL,
    recorded_at      TIMESTAMP NOT NULL,
    upload_id        BIGINT,
    source           VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS corrective_action_updates (
    update_id     BIGINT PRIMARY KEY,
    action_id     BIGINT NOT NULL,
    period        VARCHAR NOT NULL,
    status        VARCHAR NOT NULL,   -- not_started, in_progress, done, done_late, behind, stopped
    completed_on  DATE,
    note          VARCHAR,
    recorded_by   VARCHAR NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    upload_id     BIGINT,
    source        VARCHAR NOT NULL
);
