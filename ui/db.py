"""One DuckDB connection per app process, a cursor per query, cached reads cleared after a write."""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from loaders import db
from loaders.build import ensure_built


@st.cache_resource(show_spinner=False)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    ensure_built(path)
    return db.connect(path)


def db_file() -> str:
    return str(db.db_path())


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the process-wide connection: use one per query or thread, never share it."""
    return _connection(db_file()).cursor()


@st.cache_data(show_spinner=False, ttl=600)
def query(sql: str, params: tuple = (), _path: str | None = None) -> pd.DataFrame:
    """Run a read-only query and cache its frame by SQL text and parameters."""
    cur = cursor()
    try:
        return cur.execute(sql, list(params)).df()
    finally:
        cur.close()


def after_write() -> None:
    """Forget cached reads once an upload or revert has changed the data."""
    st.cache_data.clear()
