"""Build the DuckDB database from the catalog in data/, in one transaction, never touching uploads."""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders import db, locking, migrations
from loaders.catalog import Catalog, load_catalog

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
        [str(migrations.CURRENT), catalog.digest],
    )
    con.execute("INSERT OR IGNORE INTO meta VALUES ('dataset', 'real')")


def build(path: str | Path | None = None, data_dir: Path = db.DATA_DIR) -> Path:
    """Validate data/ and (re)build the catalog in the database file. Uploaded data are kept."""
    catalog = load_catalog(data_dir)  # raises CatalogError before the database is opened
    target = db.db_path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with locking.PROCESS_LOCK.write():
        # A new file is created here and only here; an existing one is opened with the bounded wait.
        con = locking.connect(target) if target.exists() else duckdb.connect(str(target))
        try:
            migrations.ensure_current(con)  # refuse a newer schema, bring an older one forward first
            con.execute("BEGIN TRANSACTION")
            try:
                write_catalog(con, catalog)
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
            con.execute("CHECKPOINT")
        except (
            duckdb.IOException
        ) as exc:  # disk full, a read-only file: a Vietnamese message, data as they were
            raise locking.translate(exc, target) from None
        finally:
            con.close()
    return target


def ensure_built(path: str | Path | None = None) -> Path:
    """Build the database if the file is missing (first run of the app)."""
    target = db.db_path(path)
    if not target.exists():
        build(target)
    return target
