"""Build the DuckDB database from the catalog in data/, in one transaction, never touching uploads."""

from __future__ import annotations

from pathlib import Path

import duckdb

from loaders import db, locking, migrations
from loaders.catalog import load_catalog
from loaders.catalog_write import CATALOG_TABLES as CATALOG_TABLES
from loaders.catalog_write import write_catalog


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
                write_catalog(con, catalog, migrations.CURRENT)
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
    """Build the database if the file is missing (first run of the app); bring an older schema forward
    (a file from before an update), so the views the pages read have every column they name."""
    target = db.db_path(path)
    if not target.exists():
        build(target)
        return target
    with locking.reading(target) as con:
        older = (migrations.version(con) or migrations.CURRENT) < migrations.CURRENT
    if older:
        with locking.writing(target):  # the writer's connection migrates before anything else
            pass
    return target
