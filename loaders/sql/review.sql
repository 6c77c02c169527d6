-- Review states of uploaded values (docs/reporting.md §6): chờ duyệt, đã duyệt, trả lại.
-- A revision's state is the latest review event that names it or its whole submission; a revision
-- whose upload is not a submission (before schema 5, demonstration data, reverts, the status
-- preview) counts as accepted, and so does every published figure (not a submission at all).

CREATE OR REPLACE VIEW v_revision_review AS
WITH source AS (
    SELECT r.revision_id, r.upload_id, r.indicator_id, r.period, r.recorded_at,
           s.upload_id IS NOT NULL AS is_submission, s.agency_id, s.role
    FROM actual_revisions r
    LEFT JOIN submissions s USING (upload_id)
),
latest AS (
    SELECT r.revision_id,
           max_by(e.action, e.event_id) AS action,
           max_by(e.comment, e.event_id) AS comment,
           max_by(e.actor, e.event_id) AS actor,
           max_by(e.acted_at, e.event_id) AS acted_at
    FROM source r
    JOIN review_events e
      ON e.upload_id = r.upload_id
     AND (e.item_kind IS NULL OR (e.item_kind = 'indicator' AND e.item_id = r.indicator_id))
    GROUP BY r.revision_id
)
SELECT
    r.revision_id, r.upload_id, r.indicator_id, r.period, r.agency_id, r.is_submission,
    CASE
        WHEN NOT r.is_submission THEN 'accepted'
        WHEN l.action = 'accept' THEN 'accepted'
        WHEN l.action = 'return' THEN 'returned'
        ELSE 'pending'
    END AS review_state,
    l.comment AS review_comment, l.actor AS reviewed_by, l.acted_at AS reviewed_at,
    CASE WHEN NOT r.is_submission THEN r.recorded_at WHEN l.action = 'accept' THEN l.acted_at END
        AS accepted_at
FROM source r
LEFT JOIN latest l USING (revision_id);

CREATE OR REPLACE VIEW v_task_update_review AS
WITH source AS (
    SELECT u.update_id, u.upload_id, u.task_id, u.period, u.recorded_at,
           s.upload_id IS NOT NULL AS is_submission, s.agency_id
    FROM task_updates u
    LEFT JOIN submissions s USING (upload_id)
),
latest AS (
    SELECT u.update_id,
           max_by(e.action, e.event_id) AS action,
           max_by(e.comment, e.event_id) AS comment,
           max_by(e.actor, e.event_id) AS actor,
           max_by(e.acted_at, e.event_id) AS acted_at
    FROM source u
    JOIN review_events e
      ON e.upload_id = u.upload_id
     AND (e.item_kind IS NULL OR (e.item_kind = 'task' AND e.item_id = u.task_id))
    GROUP BY u.update_id
)
SELECT
    u.update_id, u.upload_id, u.task_id, u.period, u.agency_id, u.is_submission,
    CASE
        WHEN NOT u.is_submission THEN 'accepted'
        WHEN l.action = 'accept' THEN 'accepted'
        WHEN l.action = 'return' THEN 'returned'
        ELSE 'pending'
    END AS review_state,
    l.comment AS review_comment, l.actor AS reviewed_by, l.acted_at AS reviewed_at,
    CASE WHEN NOT u.is_submission THEN u.recorded_at WHEN l.action = 'accept' THEN l.acted_at END
        AS accepted_at
FROM source u
LEFT JOIN latest l USING (update_id);

-- The value in force per indicator and period in two layers, which target_status chooses between:
--   accepted:        the latest accepted revision (published figures always count);
--   with_unreviewed: the latest accepted or awaiting review (a returned value never counts).
CREATE OR REPLACE VIEW v_actuals_layers AS
WITH history AS (
    SELECT h.*, coalesce(v.review_state, 'accepted') AS review_state, v.accepted_at
    FROM v_actual_history h
    LEFT JOIN v_revision_review v USING (revision_id)
),
layered AS (
    SELECT 'accepted' AS layer, * FROM history WHERE review_state = 'accepted'
    UNION ALL
    SELECT 'with_unreviewed' AS layer, * FROM history WHERE review_state IN ('accepted', 'pending')
),
ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY layer, indicator_id, period
        ORDER BY origin_rank DESC, recorded_at DESC, revision_id DESC NULLS LAST
    ) AS rn
    FROM layered
)
SELECT
    layer, indicator_id, period, value, value_text, source, note, evidence,
    recorded_at, recorded_by, origin, upload_id, revision_id, file_name, comparable,
    review_state, accepted_at
FROM ranked
WHERE rn = 1 AND NOT is_retraction;

-- What leaders see by default: accepted values only.
CREATE OR REPLACE VIEW v_actuals_accepted AS
SELECT * EXCLUDE (layer) FROM v_actuals_layers WHERE layer = 'accepted';

-- Values in force that await review (shown, marked “chưa duyệt”, only when asked for).
CREATE OR REPLACE VIEW v_unreviewed_actuals AS
SELECT * EXCLUDE (layer) FROM v_actuals_layers WHERE layer = 'with_unreviewed' AND review_state = 'pending';

-- The task update in force per task and period in the same two layers as v_actuals_layers:
--   accepted:        the latest accepted update (the pages' and exports' default);
--   with_unreviewed: the latest accepted or awaiting review (a returned update never counts).
-- v_task_updates (views.sql) stays every update in force: what arrived, for the reporting cycle.
CREATE OR REPLACE VIEW v_task_updates_layers AS
WITH history AS (
    SELECT h.*, v.review_state, v.accepted_at
    FROM v_task_update_history h
    JOIN v_task_update_review v USING (update_id)
),
layered AS (
    SELECT 'accepted' AS layer, * FROM history WHERE review_state = 'accepted'
    UNION ALL
    SELECT 'with_unreviewed' AS layer, * FROM history WHERE review_state IN ('accepted', 'pending')
),
ranked AS (
    SELECT *, row_number() OVER (
        PARTITION BY layer, task_id, period ORDER BY recorded_at DESC, update_id DESC
    ) AS rn
    FROM layered
)
SELECT
    layer, task_id, period, status, completed_on, evidence, note, recorded_by, recorded_at, origin,
    upload_id, update_id, file_name, review_state, accepted_at
FROM ranked
WHERE rn = 1 AND NOT is_retraction;

-- An owed item counts as accepted for a period when an accepted upload holds its value (or update)
-- in force; accepted_at is when (the accept event, or the upload itself where no review was due).
CREATE OR REPLACE VIEW v_accepted_items AS
SELECT 'indicator' AS item_kind, indicator_id AS item_id, period, accepted_at
FROM v_actuals_accepted
WHERE upload_id IS NOT NULL
UNION ALL
SELECT 'task', task_id, period, accepted_at FROM v_task_updates_layers WHERE layer = 'accepted';
