-- The public, stable layer (documented in docs/schema.md). Pages, exports and outside tools
-- read these views, never the tables behind them.

CREATE OR REPLACE MACRO period_index(p) AS
    CAST(split_part(p, '-Q', 1) AS INTEGER) * 4 + CAST(split_part(p, '-Q', 2) AS INTEGER) - 1;

CREATE OR REPLACE MACRO period_of_index(i) AS
    CAST(i // 4 AS VARCHAR) || '-Q' || CAST(i % 4 + 1 AS VARCHAR);

-- Every agency with the body it reports under today: its successor if it was merged,
-- then the department it belongs to if it is a unit inside one.
CREATE OR REPLACE VIEW v_agencies AS
WITH source AS (
    SELECT * FROM agencies
),
successor AS (
    SELECT a.*, coalesce(a.successor_id, a.agency_id) AS after_merge_id
    FROM source a
),
final AS (
    SELECT
        s.agency_id,
        s.name,
        s.short_name,
        s.kind,
        s.status,
        coalesce(m.parent_id, m.agency_id) AS current_agency_id,
        s.note
    FROM successor s
    JOIN source m ON m.agency_id = s.after_merge_id
)
SELECT f.*, c.name AS current_agency_name, c.short_name AS current_agency_short_name
FROM final f JOIN source c ON c.agency_id = f.current_agency_id;

CREATE OR REPLACE VIEW v_targets AS
WITH leads AS (
    SELECT
        ta.target_id,
        string_agg(DISTINCT va.current_agency_name, '; ' ORDER BY va.current_agency_name) AS lead_agency
    FROM target_agencies ta
    JOIN v_agencies va USING (agency_id)
    GROUP BY ta.target_id
)
SELECT
    t.target_id,
    t.indicator_id,
    i.name           AS indicator_name,
    i.short_name     AS indicator_short_name,
    i.unit,
    i.direction,
    i.frequency,
    i.group_code     AS "group",
    g.name           AS group_name,
    g.sort_order     AS group_order,
    t.plan_id,
    p.short_name     AS plan_name,
    p.source_file    AS plan_source_file,
    p.plan_period,
    t.horizon,
    t.due_period,
    t.comparator,
    t.target_value,
    t.target_value_high,
    t.also_rising,
    t.target_text,
    t.wording_restored,
    t.value_as_written,
    t.unit_as_written,
    l.lead_agency,
    t.lead_agencies_as_written AS lead_agency_as_written,
    t.lead_agencies_inferred AS lead_agency_inferred,
    t.lead_basis,
    t.lead_inferred_from,
    t.source_task_id,
    t.source_ref,
    concat_ws(' ', t.plan_note, t.interpretation_note) AS note,
    t.plan_note,
    t.interpretation_note,
    t.correction_note,
    t.row_ref
FROM targets t
JOIN indicators i USING (indicator_id)
JOIN thematic_groups g ON g.group_code = i.group_code
JOIN plans p USING (plan_id)
LEFT JOIN leads l USING (target_id);

-- One row per target and lead agency, rolled up to the current agency.
CREATE OR REPLACE VIEW v_target_agencies AS
SELECT DISTINCT
    ta.target_id,
    va.current_agency_id   AS agency_id,
    va.current_agency_name AS agency_name,
    va.current_agency_short_name AS agency_short_name,
    ta.agency_as_written,
    va.status              AS agency_status
FROM target_agencies ta
JOIN v_agencies va USING (agency_id);

-- Every revision ever recorded, published figures first, then uploads in order.
CREATE OR REPLACE VIEW v_actual_history AS
WITH published AS (
    SELECT
        NULL::BIGINT AS revision_id,
        NULL::BIGINT AS upload_id,
        indicator_id, period, value, value_text, note,
        source_url AS evidence,
        source,
        false AS is_retraction,
        'Số liệu công bố (' || grade || ')' AS recorded_by,
        CAST(published_on AS TIMESTAMP) AS recorded_at,
        NULL::VARCHAR AS file_name,
        comparable,
        'published' AS origin,
        0 AS origin_rank
    FROM published_actuals
),
uploaded AS (
    SELECT
        r.revision_id, r.upload_id, r.indicator_id, r.period, r.value, r.value_text, r.note,
        r.evidence,
        coalesce(r.evidence, u.file_name) AS source,
        r.is_retraction, r.recorded_by, r.recorded_at,
        u.file_name,
        true AS comparable,  -- the template asks for the target's own measure
        CASE WHEN u.kind = 'demo' THEN 'demo' ELSE 'upload' END AS origin,
        1 AS origin_rank
    FROM actual_revisions r
    JOIN uploads u USING (upload_id)
)
SELECT * FROM published
UNION ALL
SELECT * FROM uploaded;

-- The value in force for each indicator and period: the latest uploaded revision, unless it is a
-- retraction; then (or without uploads) the latest published figure. A retraction withdraws uploaded
-- values only, so reverting an upload that covered a published figure brings back the catalog's figure,
-- later corrections of it included, with its source and grade.
-- comparable = false: a published figure that measures something else than the targets (its note
-- says what); shown as context, never judged by target_status.
CREATE OR REPLACE VIEW v_actuals AS
WITH latest_of_origin AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY indicator_id, period, origin_rank
            ORDER BY recorded_at DESC, revision_id DESC NULLS LAST
        ) AS rn_origin
    FROM v_actual_history
),
ranked AS (
    SELECT *, row_number() OVER (PARTITION BY indicator_id, period ORDER BY origin_rank DESC) AS rn
    FROM latest_of_origin
    WHERE rn_origin = 1 AND NOT is_retraction
)
SELECT
    indicator_id, period, value, value_text, source, note, evidence,
    recorded_at, recorded_by, origin, upload_id, revision_id, file_name, comparable
FROM ranked
WHERE rn = 1;

CREATE OR REPLACE VIEW v_tasks AS
WITH leads AS (
    SELECT
        ta.task_id,
        string_agg(DISTINCT va.current_agency_name, '; ' ORDER BY va.current_agency_name) AS lead_agency
    FROM task_agencies ta
    JOIN v_agencies va USING (agency_id)
    WHERE ta.role = 'lead'
    GROUP BY ta.task_id
)
SELECT
    t.task_id,
    t.plan_id,
    p.short_name  AS plan_name,
    p.source_file AS plan_source_file,
    t.section,
    t.section_title,
    t.row_no,
    t.title,
    l.lead_agency,
    t.lead_agencies_as_written AS lead_agency_as_written,
    t.coordinating_agencies_as_written AS coordinating_agencies,
    t.expected_output,
    t.deadline_text,
    t.deadline_kind,
    t.due_date,
    t.note,
    t.source_ref
FROM tasks t
JOIN plans p USING (plan_id)
LEFT JOIN leads l USING (task_id);

CREATE OR REPLACE VIEW v_task_agencies AS
SELECT DISTINCT
    ta.task_id,
    ta.role,
    va.current_agency_id   AS agency_id,
    va.current_agency_name AS agency_name,
    ta.agency_as_written
FROM task_agencies ta
JOIN v_agencies va USING (agency_id);

-- Every task status update ever recorded, with the upload (file, kind) it came from.
CREATE OR REPLACE VIEW v_task_update_history AS
SELECT
    u.update_id,
    u.upload_id,
    u.task_id,
    u.period,
    u.status,
    u.completed_on,
    u.evidence,
    u.note,
    u.is_retraction,
    u.recorded_by,
    u.recorded_at,
    up.file_name,
    CASE WHEN up.kind = 'demo' THEN 'demo' ELSE 'upload' END AS origin
FROM task_updates u
JOIN uploads up USING (upload_id);

-- The update in force for each task and reporting period: the latest, unless retracted.
-- Status as of a period and lateness are computed from it by metrics/tasks.py (docs/tasks.md).
CREATE OR REPLACE VIEW v_task_updates AS
WITH ranked AS (
    SELECT
        *,
        row_number() OVER (
            PARTITION BY task_id, period ORDER BY recorded_at DESC, update_id DESC
        ) AS rn
    FROM v_task_update_history
)
SELECT
    task_id, period, status, completed_on, evidence, note, recorded_by, recorded_at, origin,
    upload_id, update_id, file_name
FROM ranked
WHERE rn = 1 AND NOT is_retraction;
