"""Short-lived connections for the app: read-only for a read, read-write only for a write (loaders.locking).

The app holds no connection between reads, so the secretariat's CLI jobs can write while it runs. Reads
are cached (st.cache_data); a read that finds a writer busy past the short wait returns the last
consistent result of the same read, and the cache is dropped when the file changes under the app.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator

import duckdb
import pandas as pd
import streamlit as st

from loaders import db, locking
from loaders.build import ensure_built

_LAST_GOOD: OrderedDict[tuple, object] = OrderedDict()
_LAST_GOOD_MAX = 256
_STATE = {"stamp": None, "stale": False}
_GUARD = threading.Lock()


def db_file() -> str:
    return str(db.db_path())


@st.cache_resource(show_spinner=False)
def _ready(path: str) -> bool:
    ensure_built(path)  # the first run of the app on a machine builds the catalog
    return True


@contextlib.contextmanager
def reading() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one read; closed after it."""
    path = db_file()
    _ready(path)
    with locking.reading(path) as con:
        yield con


@contextlib.contextmanager
def writing(expect_identity: tuple[int, int] | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one write; refused if the file is not the one the page read."""
    with locking.writing(db_file(), expect_identity=expect_identity) as con:
        yield con


def identity() -> tuple[int, int] | None:
    return locking.file_identity(db_file())


def _copy(value: object) -> object:
    return value.copy() if isinstance(value, pd.DataFrame) else value


def run_read(fn, *args):
    """fn(connection, *args) on a fresh read-only connection; the last good result when a writer is busy."""
    key = (fn.__module__, fn.__qualname__, args)
    try:
        with reading() as con:
            value = fn(con, *args)
    except locking.DatabaseBusy:
        with _GUARD:
            if key not in _LAST_GOOD:
                raise
            _STATE["stale"] = True  # dropped from the cache on the next rerun, once the writer is done
            return _copy(_LAST_GOOD[key])
    with _GUARD:
        _LAST_GOOD[key] = _copy(value)
        _LAST_GOOD.move_to_end(key)
        while len(_LAST_GOOD) > _LAST_GOOD_MAX:
            _LAST_GOOD.popitem(last=False)
    return value


def _execute(con: duckdb.DuckDBPyConnection, sql: str, params: tuple) -> pd.DataFrame:
    return con.execute(sql, list(params)).df()


@st.cache_data(show_spinner=False, ttl=600)
def query(sql: str, params: tuple = (), _path: str | None = None) -> pd.DataFrame:
    """Run a read-only query and cache its frame by SQL text and parameters."""
    return run_read(_execute, sql, params)


def _stamp() -> tuple | None:
    path = db_file()
    try:
        main = os.stat(path)
    except FileNotFoundError:
        return None
    try:
        wal = os.stat(f"{path}.wal").st_mtime_ns
    except FileNotFoundError:
        wal = None
    return (main.st_dev, main.st_ino, main.st_mtime_ns, main.st_size, wal)


def refresh_if_changed() -> None:
    """Drop cached reads when another process (the CLI, a restore) changed the file, or after a stale read."""
    stamp = _stamp()
    with _GUARD:
        changed = stamp != _STATE["stamp"] or _STATE["stale"]
        _STATE.update(stamp=stamp, stale=False)
    if changed:
        st.cache_data.clear()


def after_write() -> None:
    """Forget cached reads once an upload or revert has changed the data."""
    st.cache_data.clear()
    with _GUARD:
        _STATE.update(stamp=_stamp(), stale=False)


def show_database_error(exc: locking.DatabaseError) -> None:
    """What a reader sees instead of a traceback: 'đang cập nhật' when busy, else what to do."""
    if isinstance(exc, locking.DatabaseBusy):
        st.info(locking.BUSY_MESSAGE)
    else:
        st.error(str(exc))
