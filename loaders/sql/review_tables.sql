-- The review of submissions and the locks of periods (docs/reporting.md §6–7, schema 5).
-- Append-only like uploads: a state is the latest event, nothing is updated or deleted. Created once,
-- never dropped by a build; loaders/migrations.py creates them in older files.

-- Every upload an agency or the secretariat submits for a period (loaders/review.py writes it at commit).
-- An upload without a row here (before schema 5, demonstration data, reverts) is not a submission:
-- its values count as accepted.
CREATE TABLE IF NOT EXISTS submissions (
    upload_id     BIGINT PRIMARY KEY,
    agency_id     VARCHAR,            -- from the template's hidden meta sheet; NULL: all agencies
    period        VARCHAR NOT NULL,   -- 2026-Q1
    submitted_by  VARCHAR NOT NULL,   -- the account
    role          VARCHAR NOT NULL,   -- its role then: co_quan waits for review, others are accepted
    submitted_at  TIMESTAMP NOT NULL
);

-- accept / return of a whole submission (item_kind NULL) or of one value or task update in it.
CREATE SEQUENCE IF NOT EXISTS review_event_seq START 1;
CREATE TABLE IF NOT EXISTS review_events (
    event_id     BIGINT PRIMARY KEY,
    upload_id    BIGINT NOT NULL,
    item_kind    VARCHAR CHECK (item_kind IS NULL OR item_kind IN ('indicator', 'task')),
    item_id      VARCHAR,
    action       VARCHAR NOT NULL CHECK (action IN ('accept', 'return')),
    comment      VARCHAR,            -- why; required for a return, the agency sees it
    actor        VARCHAR NOT NULL,
    acted_at     TIMESTAMP NOT NULL
);

-- Locking a period once the province's report is sent; unlocking needs a reason.
CREATE SEQUENCE IF NOT EXISTS period_lock_seq START 1;
CREATE TABLE IF NOT EXISTS period_lock_events (
    event_id  BIGINT PRIMARY KEY,
    period    VARCHAR NOT NULL,
    action    VARCHAR NOT NULL CHECK (action IN ('lock', 'unlock')),
    reason    VARCHAR,
    actor     VARCHAR NOT NULL,
    acted_at  TIMESTAMP NOT NULL
);
