-- Status of every target as of a reporting period: what the app runs; metrics/status_reference.py is its pandas reference.
-- Rules, worked examples and every choice: docs/methodology.md. The unit tests hold this macro and
-- the pandas reference to the same frame. Thresholds are read from status_thresholds (data, not code).
--
--   SELECT * FROM target_status('2026-Q3');   -- any period: only actuals up to it are used
--   SELECT * FROM v_target_status;            -- as of the latest period in v_actuals

-- Does value v reach a target's level? '>' and '<' are strict; the rest reach on the target's side.
CREATE OR REPLACE MACRO status_reaches(comparator, sgn, lvl, v) AS
    CASE
        WHEN comparator = '>' THEN v > lvl
        WHEN comparator = '<' THEN v < lvl
        WHEN sgn = 1 THEN v >= lvl
        ELSE v <= lvl
    END;

-- Met = reaches the level and, for "≥ 3% và tăng dần", is not below the point before (none: not met).
CREATE OR REPLACE MACRO status_met(comparator, sgn, lvl, also_rising, v, prev) AS
    status_reaches(comparator, sgn, lvl, v) AND (NOT also_rising OR coalesce(v >= prev, false));

-- Beyond the far end of a 'between' range ("vượt"): still met, flagged in the rule.
CREATE OR REPLACE MACRO status_beyond_range(sgn, far_end, v) AS
    coalesce(CASE WHEN sgn = 1 THEN v > far_end ELSE v < far_end END, false);

-- The parameter is not called as_of: DuckDB substitutes a macro parameter for every identifier
-- of that name, including the output column alias. with_unreviewed_values (default false): also count
-- values awaiting review (v_actuals_layers, docs/reporting.md §6); leaders see accepted ones by default.
CREATE OR REPLACE MACRO target_status(as_of_period, with_unreviewed_values := false) AS TABLE
WITH
-- ------------------------------------------------------------------ staging
params AS (
    SELECT
        CAST(as_of_period AS VARCHAR) AS as_of_text,
        period_index(CAST(as_of_period AS VARCHAR)) AS as_of_idx,
        th.*
    FROM (
        SELECT
            max(value) FILTER (WHERE key = 'on_track_rho') AS on_track_rho,
            max(value) FILTER (WHERE key = 'at_risk_rho') AS at_risk_rho,
            floor(max(value) FILTER (WHERE key = 'projection_min_points')) AS min_points,
            floor(max(value) FILTER (WHERE key = 'projection_window')) AS proj_window,
            max(value) FILTER (WHERE key = 'projection_half_life_quarters') AS half_life,
            max(value) FILTER (WHERE key = 'projection_tolerance') AS tolerance
        FROM status_thresholds
    ) th
    -- a missing threshold would silently turn every comparison NULL: fail loudly instead
    WHERE CASE
        WHEN on_track_rho IS NULL OR at_risk_rho IS NULL OR min_points IS NULL OR proj_window IS NULL
            OR half_life IS NULL OR tolerance IS NULL
            THEN error('status_thresholds lacks a key (load data/status_thresholds.csv)')
        ELSE true
    END
),
tgt AS (
    SELECT
        t.target_id,
        t.indicator_id,
        t.comparator,
        t.also_rising,
        t.target_value,
        t.target_value_high,
        -- quarters between two values: a value is due in every quarter whose (index + 1) divides by it
        CASE t.frequency WHEN 'yearly' THEN 4 WHEN 'half_yearly' THEN 2 ELSE 1 END AS step,
        period_index(t.plan_period) AS plan_idx,
        period_index(t.due_period) AS due_idx,
        (t.comparator = 'text' OR t.direction IN ('yes_no', 'qualitative')) AS is_text,
        (t.comparator = 'text' OR t.direction IN ('yes_no', 'qualitative') OR t.target_value IS NULL) AS is_manual,
        -- '=' and 'between' take their side from the indicator's direction
        CASE
            WHEN t.comparator IN ('>=', '>') THEN 1
            WHEN t.comparator IN ('<=', '<') THEN -1
            WHEN t.direction = 'lower' THEN -1
            ELSE 1
        END AS sgn
    FROM v_targets t
),
rules AS (
    SELECT
        *,
        -- the level to reach: the value, or the near end of a range (low when higher is better)
        CASE
            WHEN comparator = 'between' AND target_value_high IS NOT NULL AND sgn = -1 THEN target_value_high
            ELSE target_value
        END AS lvl,
        CASE
            WHEN comparator = 'between' AND target_value_high IS NOT NULL
                THEN CASE WHEN sgn = 1 THEN target_value_high ELSE target_value END
        END AS far_end
    FROM tgt
),
-- v_actuals_layers ranks every revision (a window over all of them): read it once for both CTEs below
-- (it was computed twice, ~60% of the macro's time at 100×), and compare the period with a constant
-- rather than a joined params row (an inequality join DuckDB ran as a nested loop).
layer_values AS MATERIALIZED (
    SELECT
        a.indicator_id, a.period, period_index(a.period) AS idx, a.value, a.value_text, a.recorded_by,
        a.comparable
    FROM v_actuals_layers a
    WHERE a.layer = CASE WHEN with_unreviewed_values THEN 'with_unreviewed' ELSE 'accepted' END
      AND period_index(a.period) <= period_index(CAST(as_of_period AS VARCHAR))
),
known AS (  -- only figures that measure the target's definition are ever judged
    SELECT indicator_id, period, idx, value, value_text, recorded_by
    FROM layer_values
    WHERE comparable
),
context AS (  -- figures shown for context only (another definition)
    SELECT DISTINCT indicator_id
    FROM layer_values
    WHERE NOT comparable
),
points AS (
    SELECT
        indicator_id, period, idx, value,
        lag(value) OVER (PARTITION BY indicator_id ORDER BY idx) AS prev_value,
        row_number() OVER (PARTITION BY indicator_id ORDER BY idx DESC) AS rn_desc
    FROM known
    WHERE value IS NOT NULL
),
-- ------------------------------------------------------------------ facts per indicator
latest AS (
    SELECT indicator_id, idx AS l_idx, period AS l_period, value AS l_value, prev_value AS l_prev
    FROM points
    WHERE rn_desc = 1
),
-- The latest value stays in force until the next one is due (by frequency). While it is in force the
-- target is judged as of the value's own period (eval_idx), so its status carries forward unchanged;
-- once a newer value was due and did not come (l_idx < last_due_idx), as of as_of: not reported.
evaluated AS (
    SELECT
        r.target_id,
        p.as_of_idx - (p.as_of_idx + 1) % r.step AS last_due_idx,
        CASE
            WHEN r.due_idx > p.as_of_idx AND l.l_idx >= p.as_of_idx - (p.as_of_idx + 1) % r.step THEN l.l_idx
            ELSE p.as_of_idx
        END AS eval_idx,
        CASE WHEN l.l_idx IS NOT NULL THEN l.l_idx + r.step - (l.l_idx + 1) % r.step END AS next_due_idx
    FROM rules r
    CROSS JOIN params p
    LEFT JOIN latest l USING (indicator_id)
),
texts AS (
    SELECT indicator_id, period AS m_period, value AS m_value, value_text AS m_text, recorded_by AS m_by
    FROM known
    WHERE value_text IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY indicator_id ORDER BY idx DESC) = 1
),
-- time-weighted least squares over the most recent points (weights halve every half_life quarters)
proj_points AS (
    SELECT
        pt.indicator_id,
        CAST(pt.idx - l.l_idx AS DOUBLE) AS x,
        pt.value AS y,
        pow(0.5, (l.l_idx - pt.idx) / p.half_life) AS w
    FROM points pt
    JOIN latest l USING (indicator_id)
    CROSS JOIN params p
    WHERE pt.rn_desc <= p.proj_window
),
proj_means AS (
    SELECT indicator_id, count(*) AS n, sum(w * x) / sum(w) AS xbar, sum(w * y) / sum(w) AS ybar
    FROM proj_points
    GROUP BY indicator_id
),
proj_fit AS (
    SELECT
        pp.indicator_id, m.n, m.xbar, m.ybar,
        sum(pp.w * (pp.x - m.xbar) * (pp.y - m.ybar)) AS sxy,
        sum(pp.w * (pp.x - m.xbar) * (pp.x - m.xbar)) AS sxx
    FROM proj_points pp
    JOIN proj_means m USING (indicator_id)
    GROUP BY pp.indicator_id, m.n, m.xbar, m.ybar
),
-- ------------------------------------------------------------------ facts per target
horizon_points AS (  -- numeric actuals up to the earlier of as_of and the due period
    SELECT
        r.target_id, r.plan_idx, pt.idx, pt.period, pt.value, pt.prev_value,
        row_number() OVER (PARTITION BY r.target_id ORDER BY pt.idx DESC) AS rn_last
    FROM rules r
    JOIN points pt ON pt.indicator_id = r.indicator_id AND pt.idx <= r.due_idx
    WHERE NOT r.is_manual
),
judged AS (  -- for a passed due period: the last actual by then
    SELECT target_id, idx AS j_idx, period AS j_period, value AS j_value, prev_value AS j_prev
    FROM horizon_points
    WHERE rn_last = 1
),
baseline AS (  -- first actual on or after the plan's period
    SELECT target_id, idx AS b_idx, period AS b_period, value AS b_value
    FROM horizon_points
    WHERE idx >= plan_idx
    QUALIFY row_number() OVER (PARTITION BY target_id ORDER BY idx) = 1
),
-- earlier-due targets of the same indicator whose plan was issued by as_of; the most demanding
-- of those due together (33 vs 9 villages)
milestone_targets AS (
    SELECT t.target_id, m.due_idx AS k_idx, t.sgn * max(t.sgn * m.lvl) AS target_level
    FROM rules t
    JOIN evaluated e USING (target_id)
    JOIN rules m ON m.indicator_id = t.indicator_id AND m.due_idx < t.due_idx AND NOT m.is_manual
    CROSS JOIN params p
    WHERE NOT t.is_manual AND t.due_idx > p.as_of_idx AND m.plan_idx <= e.eval_idx
    GROUP BY t.target_id, t.sgn, m.due_idx
),
milestone_points AS (  -- a milestone already due: the last actual by its due period
    SELECT mt.target_id, mt.k_idx, pt.value
    FROM milestone_targets mt
    JOIN rules t USING (target_id)
    JOIN evaluated e USING (target_id)
    JOIN points pt ON pt.indicator_id = t.indicator_id AND pt.idx <= mt.k_idx
    WHERE mt.k_idx <= e.eval_idx
    QUALIFY row_number() OVER (PARTITION BY mt.target_id, mt.k_idx ORDER BY pt.idx DESC) = 1
),
milestones AS (  -- the path runs through the actual where it did better than the milestone target
    SELECT
        mt.target_id, mt.k_idx,
        CASE
            WHEN mp.value IS NOT NULL AND t.sgn * (mp.value - mt.target_level) > 0 THEN mp.value
            ELSE mt.target_level
        END AS k_level
    FROM milestone_targets mt
    JOIN rules t USING (target_id)
    LEFT JOIN milestone_points mp ON mp.target_id = mt.target_id AND mp.k_idx = mt.k_idx
),
knots AS (
    SELECT b.target_id, b.b_idx AS k_idx, b.b_value AS k_level
    FROM baseline b JOIN rules r USING (target_id) CROSS JOIN params p
    WHERE r.due_idx > p.as_of_idx
    UNION ALL
    SELECT m.target_id, m.k_idx, m.k_level
    FROM milestones m JOIN baseline b USING (target_id)
    WHERE m.k_idx > b.b_idx
    UNION ALL
    SELECT r.target_id, r.due_idx, r.lvl
    FROM rules r JOIN baseline b USING (target_id) CROSS JOIN params p
    WHERE r.due_idx > p.as_of_idx
),
flat_knots AS (  -- the path never asks to go back: a knot already passed is raised to the best so far
    SELECT
        k.target_id, k.k_idx,
        r.sgn * max(r.sgn * k.k_level) OVER (
            PARTITION BY k.target_id ORDER BY k.k_idx ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS k_level
    FROM knots k JOIN rules r USING (target_id)
),
segments AS (
    SELECT
        f.target_id,
        max(f.k_idx) FILTER (WHERE f.k_idx <= e.eval_idx) AS prev_idx,
        arg_max(f.k_level, f.k_idx) FILTER (WHERE f.k_idx <= e.eval_idx) AS prev_level,
        min(f.k_idx) FILTER (WHERE f.k_idx > e.eval_idx) AS next_idx,
        arg_min(f.k_level, f.k_idx) FILTER (WHERE f.k_idx > e.eval_idx) AS next_level
    FROM flat_knots f JOIN evaluated e USING (target_id)
    GROUP BY f.target_id
),
required AS (
    SELECT
        s.target_id,
        -- same operation order as metrics/status_path.py (required_at), so both give the same bits
        s.prev_level + (s.next_level - s.prev_level) * (e.eval_idx - s.prev_idx) / (s.next_idx - s.prev_idx)
            AS required_level
    FROM segments s JOIN evaluated e USING (target_id)
),
-- ------------------------------------------------------------------ marts
working AS (
    SELECT
        r.target_id, r.comparator, r.sgn, r.lvl, r.far_end, r.also_rising, r.is_manual, r.is_text, r.due_idx,
        p.as_of_text, p.as_of_idx, p.on_track_rho, p.at_risk_rho, p.tolerance,
        e.last_due_idx, e.next_due_idx, cx.indicator_id IS NOT NULL AS has_context,
        l.l_idx, l.l_period, l.l_value, l.l_prev,
        j.j_idx, j.j_period, j.j_value, j.j_prev,
        b.b_idx, b.b_period, b.b_value,
        tx.m_period, tx.m_value, tx.m_text, tx.m_by,
        r.due_idx <= p.as_of_idx AS due_passed,
        CASE WHEN r.due_idx > p.as_of_idx THEN q.required_level END AS required_level,
        CASE
            WHEN NOT r.is_manual AND r.due_idx > p.as_of_idx AND pf.n >= p.min_points AND pf.sxx > 0
                THEN pf.ybar + pf.sxy / pf.sxx * ((r.due_idx - l.l_idx) - pf.xbar)
        END AS projected
    FROM rules r
    CROSS JOIN params p
    JOIN evaluated e USING (target_id)
    LEFT JOIN latest l USING (indicator_id)
    LEFT JOIN context cx USING (indicator_id)
    LEFT JOIN texts tx USING (indicator_id)
    LEFT JOIN proj_fit pf USING (indicator_id)
    LEFT JOIN judged j USING (target_id)
    LEFT JOIN baseline b USING (target_id)
    LEFT JOIN required q USING (target_id)
),
with_rho AS (
    SELECT
        *,
        CASE
            WHEN NOT due_passed AND b_idx < l_idx AND sgn * (required_level - b_value) > 0
                THEN sgn * (l_value - b_value) / (sgn * (required_level - b_value))
        END AS rho
    FROM working
),
decided AS (
    SELECT
        *,
        CASE
            WHEN is_manual THEN 'manual'
            WHEN l_idx IS NULL THEN 'no_data'
            WHEN due_passed AND j_idx IS NULL THEN 'no_data'
            WHEN due_passed AND status_met(comparator, sgn, lvl, also_rising, j_value, j_prev) THEN 'met'
            WHEN due_passed THEN 'not_met'
            WHEN l_idx < last_due_idx THEN 'not_reported'
            WHEN status_met(comparator, sgn, lvl, also_rising, l_value, l_prev) THEN 'met_early'
            WHEN b_idx IS NULL OR b_idx = l_idx THEN 'insufficient_data'
            WHEN rho IS NULL THEN CASE WHEN sgn * (l_value - b_value) >= 0 THEN 'on_track' ELSE 'off_track' END
            WHEN rho >= on_track_rho THEN 'on_track'
            WHEN rho >= at_risk_rho THEN 'at_risk'
            ELSE 'off_track'
        END AS first_status,
        CASE
            WHEN is_manual THEN CASE WHEN is_text THEN 'manual' ELSE 'no_target_value' END
            WHEN l_idx IS NULL THEN CASE WHEN has_context THEN 'context_only' ELSE 'no_actual' END
            WHEN due_passed AND j_idx IS NULL THEN 'due_passed_no_actual'
            WHEN due_passed AND status_met(comparator, sgn, lvl, also_rising, j_value, j_prev)
                THEN CASE WHEN status_beyond_range(sgn, far_end, j_value) THEN 'due_passed_beyond_range'
                          ELSE 'due_passed_met' END
            WHEN due_passed AND status_reaches(comparator, sgn, lvl, j_value) THEN 'due_passed_not_rising'
            WHEN due_passed THEN 'due_passed_not_met'
            WHEN l_idx < last_due_idx THEN 'not_reported'
            WHEN status_met(comparator, sgn, lvl, also_rising, l_value, l_prev)
                THEN CASE WHEN status_beyond_range(sgn, far_end, l_value) THEN 'met_early_beyond_range'
                          ELSE 'met_early' END
            WHEN b_idx IS NULL THEN 'no_baseline'
            WHEN b_idx = l_idx THEN 'single_point'
            WHEN rho IS NULL THEN 'ahead_flat'
            ELSE 'ahead_rho'
        END AS first_rule
    FROM with_rho
),
final AS (
    SELECT
        target_id,
        as_of_text AS as_of,
        CASE
            WHEN first_status = 'on_track' AND sgn * (projected - lvl) < -tolerance THEN 'at_risk'
            ELSE first_status
        END AS status,
        CASE
            WHEN is_manual THEN m_value
            WHEN due_passed THEN j_value
            ELSE l_value
        END AS actual_value,
        CASE
            WHEN is_manual THEN m_period
            WHEN due_passed THEN j_period
            ELSE l_period
        END AS actual_period,
        CASE WHEN NOT is_manual THEN b_value END AS baseline_value,
        CASE WHEN NOT is_manual THEN b_period END AS baseline_period,
        CASE
            WHEN is_manual OR l_idx IS NULL THEN NULL
            WHEN due_passed THEN lvl
            ELSE required_level
        END AS required_value,
        rho,
        projected AS projected_value,
        CASE
            WHEN first_status = 'on_track' AND sgn * (projected - lvl) < -tolerance THEN 'projection_downgrade'
            ELSE first_rule
        END AS rule,
        CASE
            WHEN is_manual THEN NULL
            -- greatest() skips NULLs: guard so a missing actual gives no shortfall, not 0
            WHEN due_passed THEN CASE WHEN j_value IS NOT NULL THEN greatest(0.0, sgn * (lvl - j_value)) END
            ELSE CASE WHEN l_value IS NOT NULL THEN greatest(0.0, sgn * (lvl - l_value)) END
        END AS shortfall,
        CASE WHEN is_manual THEN m_text END AS manual_result,
        CASE WHEN is_manual THEN m_by END AS manual_recorded_by,
        CASE WHEN NOT is_manual AND NOT due_passed THEN period_of_index(next_due_idx) END AS next_due_period
    FROM decided
)
SELECT
    target_id, as_of, status,
    CAST(actual_value AS DOUBLE) AS actual_value,
    actual_period,
    CAST(baseline_value AS DOUBLE) AS baseline_value,
    baseline_period,
    CAST(required_value AS DOUBLE) AS required_value,
    CAST(rho AS DOUBLE) AS rho,
    CAST(projected_value AS DOUBLE) AS projected_value,
    rule,
    CAST(shortfall AS DOUBLE) AS shortfall,
    manual_result,
    manual_recorded_by,
    -- quarters between the value used and as_of (0: a value for this very period)
    CAST(period_index(as_of) - period_index(actual_period) AS INTEGER) AS value_age_quarters,
    next_due_period
FROM final
ORDER BY target_id;

-- As of the latest period anyone reported, or the current quarter before any actual exists.
CREATE OR REPLACE VIEW v_target_status AS
SELECT *
FROM target_status((
    SELECT coalesce(
        arg_max(period, period_index(period)),
        -- the quarter of the province's day (UTC+7, metrics/clock.py), not of the server's zone
        (SELECT CAST(year(d) AS VARCHAR) || '-Q' || CAST(quarter(d) AS VARCHAR)
         FROM (SELECT make_timestamp(epoch_us(now()) + 25200000000::BIGINT)::DATE AS d))
    )
    FROM v_actuals
));
