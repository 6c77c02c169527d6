"""Read queries over the public views, as SQL constants with bound parameters. Pages reach them through ui.data."""

from __future__ import annotations

import duckdb
import pandas as pd

# A NULL parameter means "no filter" for that column.
TARGETS_SQL = """
SELECT t.*
FROM v_targets t
WHERE (CAST(? AS VARCHAR) IS NULL OR t.horizon = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR t.plan_id = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR t."group" = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR t.target_id IN (
        SELECT target_id FROM v_target_agencies WHERE agency_id = ?))
ORDER BY t.group_order, t.indicator_id, t.due_period, t.plan_id, t.target_id
"""

TASKS_SQL = """
SELECT k.*
FROM v_tasks k
WHERE (CAST(? AS VARCHAR) IS NULL OR k.plan_id = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR k.task_id IN (
        SELECT task_id FROM v_task_agencies WHERE role = 'lead' AND agency_id = ?))
ORDER BY k.plan_id, k.task_id
"""

PLANS_SQL = "SELECT * FROM plans ORDER BY plan_period, plan_id"

ACTUALS_SQL = """
SELECT a.*, i.unit, i.name AS indicator_name
FROM v_actuals a JOIN indicators i USING (indicator_id)
WHERE (CAST(? AS VARCHAR) IS NULL OR a.indicator_id = ?)
ORDER BY a.indicator_id, period_index(a.period)
"""

DATA_DATE_SQL = "SELECT max(recorded_at) FROM v_actuals"

DATASET_SQL = "SELECT value FROM meta WHERE key = 'dataset'"  # 'demo' marks demonstration data

# The choices of the filters every page shares (ui/frame.py): (code, label) pairs in display order.
GROUP_OPTIONS_SQL = "SELECT group_code, name FROM thematic_groups ORDER BY sort_order"
AGENCY_OPTIONS_SQL = """
SELECT DISTINCT agency_id, agency_name FROM v_target_agencies
UNION SELECT DISTINCT agency_id, agency_name FROM v_task_agencies WHERE role = 'lead'
ORDER BY 2
"""
PLAN_OPTIONS_SQL = "SELECT plan_id, short_name FROM plans ORDER BY plan_period, plan_id"


def _twice(*values: str | None) -> list[str | None]:
    out: list[str | None] = []
    for value in values:
        out += [value, value]
    return out


def targets(
    con: duckdb.DuckDBPyConnection,
    horizon: str | None = None,
    plan: str | None = None,
    group: str | None = None,
    agency: str | None = None,
) -> pd.DataFrame:
    return con.execute(TARGETS_SQL, _twice(horizon, plan, group, agency)).df()


def tasks(con: duckdb.DuckDBPyConnection, plan: str | None = None, agency: str | None = None) -> pd.DataFrame:
    return con.execute(TASKS_SQL, _twice(plan, agency)).df()


def plans(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(PLANS_SQL).df()


def actuals(con: duckdb.DuckDBPyConnection, indicator: str | None = None) -> pd.DataFrame:
    return con.execute(ACTUALS_SQL, _twice(indicator)).df()


def data_date(con: duckdb.DuckDBPyConnection):
    """When the newest value in force was recorded (None before any data)."""
    return con.execute(DATA_DATE_SQL).fetchall()[0][0]


# Targets with their status as of a period, filtered like TARGETS_SQL.
STATUS_SQL = """
SELECT t.*, s.* EXCLUDE (target_id),
       u.indicator_id IS NOT NULL AS unreviewed  -- the value used awaits review (docs/reporting.md §6)
FROM v_targets t
JOIN target_status(?, with_unreviewed_values := ?) s USING (target_id)
LEFT JOIN v_unreviewed_actuals u
    ON CAST(? AS BOOLEAN) AND u.indicator_id = t.indicator_id AND u.period = s.actual_period
WHERE (CAST(? AS VARCHAR) IS NULL OR t.horizon = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR t.plan_id = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR t."group" = ?)
  AND (CAST(? AS VARCHAR) IS NULL OR t.target_id IN (
        SELECT target_id FROM v_target_agencies WHERE agency_id = ?))
ORDER BY t.group_order, t.indicator_id, t.due_period, t.plan_id
"""

# The latest period with a figure that measures its target; failing that, with any figure.
LATEST_PERIOD_SQL = """
SELECT coalesce(
    max_by(period, period_index(period)) FILTER (WHERE comparable),
    max_by(period, period_index(period))
)
FROM v_actuals
"""

TARGET_AGENCIES_SQL = "SELECT * FROM v_target_agencies ORDER BY agency_name, target_id"

HISTORY_SQL = """
SELECT h.period, h.value, h.value_text, h.recorded_by, h.recorded_at, h.source, h.evidence, h.note,
       h.origin, h.file_name, h.is_retraction
FROM v_actual_history h
WHERE h.indicator_id = ?
ORDER BY period_index(h.period), h.recorded_at
"""


def target_status(
    con: duckdb.DuckDBPyConnection,
    as_of: str,
    horizon: str | None = None,
    plan: str | None = None,
    group: str | None = None,
    agency: str | None = None,
    include_unreviewed: bool = False,
) -> pd.DataFrame:
    """Targets with their status as of a period: accepted values only unless include_unreviewed."""
    flag = bool(include_unreviewed)
    return con.execute(STATUS_SQL, [as_of, flag, flag, *_twice(horizon, plan, group, agency)]).df()


def latest_period(con: duckdb.DuckDBPyConnection) -> str | None:
    return con.execute(LATEST_PERIOD_SQL).fetchall()[0][0]


def target_agencies(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(TARGET_AGENCIES_SQL).df()


def history(con: duckdb.DuckDBPyConnection, indicator: str) -> pd.DataFrame:
    return con.execute(HISTORY_SQL, [indicator]).df()


# ---------------------------------------------------------------- tasks (docs/tasks.md)

TASK_CATALOG_SQL = """
SELECT k.*, p.plan_period
FROM v_tasks k JOIN plans p USING (plan_id)
ORDER BY k.plan_id, k.task_id
"""

TASK_UPDATES_SQL = """
SELECT * EXCLUDE (layer) FROM v_task_updates_layers WHERE layer = ? ORDER BY task_id, period_index(period)
"""

# Lead agencies of every task, rolled up to the current agency, with its short name for charts.
TASK_LINKS_SQL = """
SELECT DISTINCT ta.task_id, ta.role, ta.agency_id, ta.agency_name, va.short_name AS agency_short_name,
       ta.agency_as_written
FROM v_task_agencies ta
JOIN v_agencies va ON va.agency_id = ta.agency_id
WHERE ta.role = 'lead'
ORDER BY ta.agency_name, ta.task_id
"""

TASK_HISTORY_SQL = """
SELECT h.period, h.status, h.completed_on, h.evidence, h.note, h.recorded_by, h.recorded_at, h.origin,
       h.file_name, h.upload_id, h.is_retraction
FROM v_task_update_history h
WHERE h.task_id = ?
ORDER BY period_index(h.period), h.recorded_at, h.update_id
"""


def task_catalog(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every task (v_tasks) with the period its plan was issued in."""
    return con.execute(TASK_CATALOG_SQL).df()


def task_updates(con: duckdb.DuckDBPyConnection, with_unreviewed: bool = False) -> pd.DataFrame:
    """The status update in force per task and reporting period: accepted ones only, as leaders see by
    default, or with those awaiting review (review_state 'pending'); a returned update never counts."""
    return con.execute(TASK_UPDATES_SQL, ["with_unreviewed" if with_unreviewed else "accepted"]).df()


def task_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(TASK_LINKS_SQL).df()


def task_history(con: duckdb.DuckDBPyConnection, task_id: str) -> pd.DataFrame:
    """Every status update of one task, retractions included, oldest first."""
    return con.execute(TASK_HISTORY_SQL, [task_id]).df()
