"""Reads of the reporting cycle: the calendar and each agency's obligations with their state as of a day."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from loaders import narratives
from metrics.reporting import classify

_CALENDAR_SQL = "SELECT * FROM v_reporting_calendar ORDER BY period_index(period)"
_OBLIGATIONS_SQL = """
SELECT * FROM v_reporting_obligations
WHERE CAST(? AS VARCHAR) IS NULL OR period = ?
ORDER BY period_order, agency_name, item_kind, item_id
"""


def agency_deadline(con: duckdb.DuckDBPyConnection, period: str):
    """The agencies' deadline of a period in the calendar, or None for a period it does not hold."""
    row = con.execute("SELECT agency_deadline FROM reporting_calendar WHERE period = ?", [period]).fetchone()
    return row[0] if row else None


def calendar(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(_CALENDAR_SQL).df()


def obligations(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    """Owed items; `unexplained`: a value received that leaves a target red without an assessment and a cause."""
    out = con.execute(_OBLIGATIONS_SQL, [period, period]).df()
    out["unexplained"] = False
    received = out[out["item_kind"].eq("indicator") & out["received_at"].notna()]
    for p in received["period"].unique():  # only periods with values in: red needs a value
        red = set(narratives.red_without_narrative(con, str(p))["indicator_id"])
        out.loc[
            out["period"].eq(p) & out["item_kind"].eq("indicator") & out["item_id"].isin(red), "unexplained"
        ] = True
    return out


def classified(con: duckdb.DuckDBPyConnection, today: date, period: str | None = None) -> pd.DataFrame:
    """Every owed item (of one period, or all) with its state as of `today` (metrics.reporting.classify)."""
    return classify(obligations(con, period), today)
