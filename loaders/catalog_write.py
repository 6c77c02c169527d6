"""Write the catalog tables from a validated catalog; used by the build and by schema migrations."""

from __future__ import annotations

import duckdb

from loaders import db
from loaders.catalog import Catalog

# Table name -> the catalog frame loaded into it. Upload tables are not in this list on purpose.
CATALOG_TABLES = (
    "plans",
    "thematic_groups",
    "agencies",
    "agency_aliases",
    "indicators",
    "targets",
    "target_agencies",
    "tasks",
    "task_agencies",
    "published_actuals",
    "status_thresholds",
    "reporting_calendar",
    "reporting_settings",
    "public_holidays",
)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame) -> None:
    columns = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
    missing = [c for c in columns if c not in frame.columns]
    for column in missing:
        frame[column] = None
    con.register("_incoming", frame[columns])
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")


def write_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog, version: int) -> None:
    """Replace the catalog tables with the given catalog and stamp the schema version it has now;
    the caller owns the transaction."""
    db.apply_schema(con)
    for table in CATALOG_TABLES:
        _insert(con, table, getattr(catalog, table).copy())
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('catalog_sha256', ?)",
        [str(version), catalog.digest],
    )
    con.execute("INSERT OR IGNORE INTO meta VALUES ('dataset', 'real')")
