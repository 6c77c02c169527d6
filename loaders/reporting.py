"""Reads of the reporting cycle: the calendar and each agency's obligations with their state as of a day."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from metrics.reporting import classify

_CALENDAR_SQL = "SELECT * FROM v_reporting_calendar ORDER BY period_index(period)"
_OBLIGATIONS_SQL = """
SELECT * FROM v_reporting_obligations
WHERE CAST(? AS VARCHAR) IS NULL OR period = ?
ORDER BY period_order, agency_name, item_kind, item_id
"""


def calendar(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(_CALENDAR_SQL).df()


def obligations(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    return con.execute(_OBLIGATIONS_SQL, [period, period]).df()


def classified(con: duckdb.DuckDBPyConnection, today: date, period: str | None = None) -> pd.DataFrame:
    """Every owed item (of one period, or all) with its state as of `today` (metrics.reporting.classify)."""
    return classify(obligations(con, period), today)
