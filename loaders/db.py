"""Where the database lives, how to open it, and how its schema and views are applied."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
SQL_DIR = Path(__file__).resolve().parent / "sql"
DEFAULT_DB = DATA_DIR / "nq57.duckdb"

# Order matters: views read tables, the status macro reads views, the reporting views read both.
TABLE_FILES = ("schema.sql", "review_tables.sql")
VIEW_FILES = ("views.sql", "review.sql", "status.sql", "narratives.sql", "reporting.sql")
SQL_FILES = TABLE_FILES + VIEW_FILES


def db_path(path: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit path, else $NQ57_DB, else data/nq57.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("NQ57_DB")
    return Path(env) if env else DEFAULT_DB


def data_dir() -> Path:
    """The catalog's folder for what the app writes back to it (the calendar): $NQ57_DATA_DIR, else data/.
    Tests point it at a copy so they never edit the real files."""
    env = os.environ.get("NQ57_DATA_DIR")
    return Path(env) if env else DATA_DIR


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(db_path(path)), read_only=read_only)


def sql_text(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the catalog tables afresh and the upload tables if missing, then the views."""
    for name in SQL_FILES:
        if (SQL_DIR / name).exists():
            con.execute(sql_text(name))


def apply_views(con: duckdb.DuckDBPyConnection) -> None:
    """Re-create only views and macros (they hold no data)."""
    for name in VIEW_FILES:
        if (SQL_DIR / name).exists():
            con.execute(sql_text(name))
