-- The reporting cycle (docs/reporting.md): what each agency owes for each period of the calendar,
-- and when it was received. Derived from the catalog and the uploads, never typed by hand.
-- Timeliness (on time, late, missing as of a day) is computed from this by metrics/reporting.py.

-- Whether a value of an indicator with this frequency is due in period p (docs/methodology.md §1.2).
CREATE OR REPLACE MACRO due_in_period(frequency, p) AS
    frequency = 'quarterly'
    OR (frequency = 'half_yearly' AND split_part(p, '-Q', 2) IN ('2', '4'))
    OR (frequency = 'yearly' AND split_part(p, '-Q', 2) = '4');

CREATE OR REPLACE VIEW v_reporting_calendar AS
SELECT period, report_name, cutoff_start, cutoff_end, agency_deadline, province_deadline, edited, note
FROM reporting_calendar;

-- The first time a value for the key arrived in the chain now in force: a retraction (a revert of
-- the only value) starts the chain again, so a reverted upload no longer counts as received.
CREATE OR REPLACE VIEW v_received_actuals AS
WITH source AS (
    SELECT
        r.indicator_id, r.period, r.upload_id, r.recorded_at, r.is_retraction,
        max(CASE WHEN r.is_retraction THEN r.recorded_at END)
            OVER (PARTITION BY r.indicator_id, r.period) AS last_retraction
    FROM actual_revisions r
)
SELECT indicator_id, period, min(recorded_at) AS received_at, arg_min(upload_id, recorded_at) AS upload_id
FROM source
WHERE NOT is_retraction AND (last_retraction IS NULL OR recorded_at > last_retraction)
GROUP BY indicator_id, period;

CREATE OR REPLACE VIEW v_received_task_updates AS
WITH source AS (
    SELECT
        u.task_id, u.period, u.upload_id, u.recorded_at, u.is_retraction,
        max(CASE WHEN u.is_retraction THEN u.recorded_at END)
            OVER (PARTITION BY u.task_id, u.period) AS last_retraction
    FROM task_updates u
)
SELECT task_id, period, min(recorded_at) AS received_at, arg_min(upload_id, recorded_at) AS upload_id
FROM source
WHERE NOT is_retraction AND (last_retraction IS NULL OR recorded_at > last_retraction)
GROUP BY task_id, period;

-- One row per period of the calendar, current agency and item it owes:
--   indicator: it leads a target of it (rolled up to the successor) in force that period (plan issued,
--              horizon not passed) and a value is due that period by the indicator's frequency;
--   task:      it leads the task, the plan was issued by then, and no earlier period reported it
--              done, done late or stopped.
CREATE OR REPLACE VIEW v_reporting_obligations AS
WITH calendar AS (
    SELECT * FROM reporting_calendar
),
indicator_items AS (
    SELECT DISTINCT
        c.period, ta.agency_id, 'indicator' AS item_kind, t.indicator_id AS item_id,
        i.short_name AS item_name, i.frequency
    FROM calendar c
    JOIN targets t ON period_index(c.period) <= period_index(t.due_period)
    JOIN plans p ON p.plan_id = t.plan_id AND period_index(p.plan_period) <= period_index(c.period)
    JOIN indicators i ON i.indicator_id = t.indicator_id
    JOIN v_target_agencies ta ON ta.target_id = t.target_id
    WHERE due_in_period(i.frequency, c.period)
),
closed AS (
    SELECT task_id, min(period_index(period)) AS closed_index
    FROM v_task_updates
    WHERE status IN ('done', 'done_late', 'stopped')
    GROUP BY task_id
),
task_items AS (
    SELECT DISTINCT
        c.period, ta.agency_id, 'task' AS item_kind, k.task_id AS item_id,
        k.title AS item_name, NULL::VARCHAR AS frequency
    FROM calendar c
    JOIN tasks k ON true
    JOIN plans p ON p.plan_id = k.plan_id AND period_index(p.plan_period) <= period_index(c.period)
    JOIN v_task_agencies ta ON ta.task_id = k.task_id AND ta.role = 'lead'
    LEFT JOIN closed x ON x.task_id = k.task_id
    WHERE x.closed_index IS NULL OR x.closed_index >= period_index(c.period)
),
items AS (
    SELECT * FROM indicator_items
    UNION ALL
    SELECT * FROM task_items
),
received AS (
    SELECT 'indicator' AS item_kind, indicator_id AS item_id, period, received_at, upload_id
    FROM v_received_actuals
    UNION ALL
    SELECT 'task', task_id, period, received_at, upload_id FROM v_received_task_updates
)
SELECT
    o.period,
    period_index(o.period) AS period_order,
    o.agency_id,
    a.name        AS agency_name,
    a.short_name  AS agency_short_name,
    a.kind        AS agency_kind,
    o.item_kind,
    o.item_id,
    o.item_name,
    o.frequency,
    c.cutoff_end,
    c.agency_deadline,
    c.province_deadline,
    r.received_at,
    r.upload_id,
    ac.accepted_at  -- the value in force was accepted (v_accepted_items, docs/reporting.md §6)
FROM items o
JOIN calendar c USING (period)
JOIN agencies a ON a.agency_id = o.agency_id
LEFT JOIN received r ON r.item_kind = o.item_kind AND r.item_id = o.item_id AND r.period = o.period
LEFT JOIN v_accepted_items ac
    ON ac.item_kind = o.item_kind AND ac.item_id = o.item_id AND ac.period = o.period;
