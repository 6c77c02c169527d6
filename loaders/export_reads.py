"""Reads the exports (briefing pack, periodic report) need beyond loaders.read: public views only, SQL as
constants with bound parameters. SQL lives in loaders/ only; exports call these functions."""

from __future__ import annotations

import duckdb
import pandas as pd

from loaders.read import DATASET_SQL

# The value in force behind each status row: where it came from and its evidence.
ACTUAL_DETAILS_SQL = """
SELECT indicator_id, period, source, evidence, note, recorded_by, recorded_at, origin
FROM v_actuals
"""

ORIGIN_SUMMARY_SQL = """
SELECT origin, count(*) AS n, max(recorded_at) AS last_recorded
FROM v_actuals
GROUP BY origin
ORDER BY origin
"""

PUBLISHED_SOURCES_SQL = """
SELECT DISTINCT source FROM v_actuals WHERE origin = 'published' AND source IS NOT NULL ORDER BY source
"""

AGENCY_NAME_SQL = "SELECT current_agency_name FROM v_agencies WHERE agency_id = ?"

VIEW_EXISTS_SQL = "SELECT count(*) FROM duckdb_views() WHERE view_name = ?"


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    rows = con.execute(DATASET_SQL).fetchall()
    return bool(rows) and rows[0][0] == "demo"


def actual_details(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(ACTUAL_DETAILS_SQL).df()


def origin_summary(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(ORIGIN_SUMMARY_SQL).df()


def published_sources(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(PUBLISHED_SOURCES_SQL).fetchall()]


def agency_name(con: duckdb.DuckDBPyConnection, agency_id: str) -> str | None:
    rows = con.execute(AGENCY_NAME_SQL, [agency_id]).fetchall()
    return rows[0][0] if rows else None


def view_exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return con.execute(VIEW_EXISTS_SQL, [name]).fetchall()[0][0] > 0


THRESHOLDS_SQL = "SELECT key, value FROM status_thresholds"


def thresholds(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    return dict(con.execute(THRESHOLDS_SQL).fetchall())


# The names the sidebar shows for its filters (ui/frame.py reads the same views), for chart titles.
FILTER_AGENCY_SQL = """
SELECT agency_name FROM v_target_agencies WHERE agency_id = ?
UNION SELECT agency_name FROM v_task_agencies WHERE agency_id = ? AND role = 'lead' LIMIT 1
"""
FILTER_GROUP_SQL = "SELECT name FROM thematic_groups WHERE group_code = ?"
FILTER_PLAN_SQL = "SELECT short_name FROM plans WHERE plan_id = ?"


def filter_names(
    con: duckdb.DuckDBPyConnection, agency: str | None, group: str | None, plan: str | None
) -> tuple[str | None, str | None, str | None]:
    """(agency, group, plan) as the sidebar names them; None where no filter is set."""

    def one(sql: str, value: str | None, times: int = 1) -> str | None:
        if not value:
            return None
        rows = con.execute(sql, [value] * times).fetchall()
        return rows[0][0] if rows else value

    return one(FILTER_AGENCY_SQL, agency, 2), one(FILTER_GROUP_SQL, group), one(FILTER_PLAN_SQL, plan)
