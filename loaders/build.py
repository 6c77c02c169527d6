"""Build the DuckDB database from the catalog in data/, in one transaction, never touching uploads."""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders import db
from loaders.catalog import Catalog, load_catalog

SCHEMA_VERSION = "3"  # 2: indicators.frequency, published_actuals.comparable; 3: reporting calendar

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


def write_catalog(con: duckdb.DuckDBPyConnection, catalog: Catalog) -> None:
    """Replace the catalog tables with the given catalog; the caller owns the transaction."""
    db.apply_schema(con)
    for table in CATALOG_TABLES:
        _insert(con, table, getattr(catalog, table).copy())
    con.execute(
        "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('catalog_sha256', ?)",
        [SCHEMA_VERSION, catalog.digest],
    )
    con.execute("INSERT OR IGNORE INTO meta VALUES ('dataset', 'real')")


def build(path: str | Path | None = None, data_dir: Path = db.DATA_DIR) -> Path:
    """Validate data/ and (re)build the catalog in the database file. Uploaded data are kept."""
    catalog = load_catalog(data_dir)  # raises CatalogError before the database is opened
    target = db.db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    con = db.connect(target)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            write_catalog(con, catalog)
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    return target


def ensure_built(path: str | Path | None = None) -> Path:
    """Build the database if the file is missing (first run of the app)."""
    target = db.db_path(path)
    if not target.exists():
        build(target)
    return target
