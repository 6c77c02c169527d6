-- Narratives and corrective actions (docs/narratives.md): the texts in force and what is missing.

-- Uploads whose effect has been undone by a revert that is itself still in force.
CREATE OR REPLACE VIEW v_reverted_uploads AS
SELECT r.reverts_upload_id AS upload_id
FROM uploads r
WHERE r.kind = 'revert' AND r.reverts_upload_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM uploads rr WHERE rr.kind = 'revert' AND rr.reverts_upload_id = r.upload_id);

-- Every text ever written, newest first within its key; texts of a reverted upload are marked.
CREATE OR REPLACE VIEW v_narrative_history AS
SELECT n.*, n.upload_id IN (SELECT upload_id FROM v_reverted_uploads) AS reverted
FROM narratives n;

-- The text in force per subject, period and field: the latest not undone by a revert.
CREATE OR REPLACE VIEW v_narratives_latest AS
SELECT subject_kind, subject_id, period, field, text, recorded_by, recorded_at, upload_id, source
FROM v_narrative_history
WHERE NOT coalesce(reverted, false)
QUALIFY row_number() OVER (
    PARTITION BY subject_kind, subject_id, period, field ORDER BY recorded_at DESC, narrative_id DESC) = 1;

CREATE OR REPLACE VIEW v_corrective_actions AS
SELECT a.action_id, a.indicator_id, a.period, a.title, a.owner_agency_id, va.name AS owner_agency_name,
       a.due_date, a.recorded_by, a.recorded_at, a.source
FROM corrective_actions a
LEFT JOIN v_agencies va ON va.agency_id = a.owner_agency_id;

-- The update in force per action and period: the latest, unless its upload was reverted (as for texts).
CREATE OR REPLACE VIEW v_corrective_action_updates AS
SELECT u.action_id, u.period, u.status, u.completed_on, u.note, u.recorded_by, u.recorded_at, u.source,
       u.upload_id
FROM corrective_action_updates u
WHERE u.upload_id IS NULL OR u.upload_id NOT IN (SELECT upload_id FROM v_reverted_uploads)
QUALIFY row_number() OVER (PARTITION BY u.action_id, u.period ORDER BY u.recorded_at DESC, u.update_id DESC) = 1;

-- Targets at risk, off track or not met as of a period whose indicator has no assessment or no cause
-- for that period: the reporting cycle counts them as incomplete, the preview warns of them.
CREATE OR REPLACE MACRO red_without_narrative(as_of_period) AS TABLE
SELECT t.indicator_id, s.target_id, s.status,
       a.text IS NULL AS missing_assessment, c.text IS NULL AS missing_causes
FROM target_status(as_of_period) s
JOIN targets t USING (target_id)
LEFT JOIN v_narratives_latest a ON a.subject_kind = 'indicator' AND a.subject_id = t.indicator_id
     AND a.period = CAST(as_of_period AS VARCHAR) AND a.field = 'assessment'
LEFT JOIN v_narratives_latest c ON c.subject_kind = 'indicator' AND c.subject_id = t.indicator_id
     AND c.period = CAST(as_of_period AS VARCHAR) AND c.field = 'causes'
WHERE s.status IN ('at_risk', 'off_track', 'not_met') AND (a.text IS NULL OR c.text IS NULL);

-- Targets at risk, off track or not met as of a period with no corrective action decided up to it.
CREATE OR REPLACE MACRO red_without_action(as_of_period) AS TABLE
SELECT t.indicator_id, s.target_id, s.status
FROM target_status(as_of_period) s
JOIN targets t USING (target_id)
WHERE s.status IN ('at_risk', 'off_track', 'not_met')
  AND NOT EXISTS (SELECT 1 FROM corrective_actions a WHERE a.indicator_id = t.indicator_id
                  AND period_index(a.period) <= period_index(CAST(as_of_period AS VARCHAR)));
