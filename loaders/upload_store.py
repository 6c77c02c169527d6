"""What every write of uploads shares: kinds, the process lock, the refusals, opening the database, timestamps.

Revisions are append-only: a new value, a revert, a retraction are new rows in actual_revisions (or
task_updates) under one new row in uploads; nothing is ever updated or deleted. Writes in one process are
serialised by a lock (two browser sessions are two threads of the same app process); DuckDB itself keeps
other processes out.
"""

from __future__ import annotations

import math
import threading
from datetime import date, datetime, timedelta

import duckdb
import pandas as pd

from loaders.excel.cells import is_missing
from metrics import clock

KIND_IMPORT = "import"
KIND_REVERT = "revert"
KIND_LABELS = {"import": "Tải lên", "revert": "Hoàn tác", "demo": "Minh họa"}
CHANGE_NEW, CHANGE_CHANGED, CHANGE_UNCHANGED = "new", "changed", "unchanged"
CHANGE_LABELS = {CHANGE_NEW: "Mới", CHANGE_CHANGED: "Thay đổi", CHANGE_UNCHANGED: "Không đổi"}

# One writer at a time in this process. Reentrant: a commit may call helpers that take it again.
WRITE_LOCK = threading.RLock()

INSERT_UPLOAD_SQL = "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
_LAST_RECORDED_SQL = "SELECT max(recorded_at) FROM actual_revisions"
_LAST_TASK_RECORDED_SQL = "SELECT max(recorded_at) FROM task_updates"
_DUPLICATE_SQL = """
SELECT u.upload_id, u.uploaded_by, u.uploaded_at, u.file_name
FROM uploads u
WHERE u.sha256 = ? AND u.kind = 'import'
  AND NOT EXISTS (SELECT 1 FROM uploads r WHERE r.kind = 'revert' AND r.reverts_upload_id = u.upload_id)
ORDER BY u.upload_id
LIMIT 1
"""


class UploadError(Exception):
    """A refusal or failure explained in Vietnamese, for people; no traceback needed."""


# ---------------------------------------------------------------- comparing and storing values


def same_number(a: object, b: object) -> bool:
    """Equal numbers (to 1e-9), or both missing."""
    if is_missing(a) and is_missing(b):
        return True
    if is_missing(a) or is_missing(b):
        return False
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def text_or_none(value: object) -> str | None:
    return None if is_missing(value) else str(value)


def as_day(value: object) -> date | None:
    return None if is_missing(value) else pd.Timestamp(value).date()


def as_db_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (not NaN) so DuckDB stores NULL."""
    frame = rows.astype(object)
    return frame.where(frame.notna(), None)


def task_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Task rows as DuckDB reads them: dates as timestamps, missing values as NULL."""
    frame = rows.copy()
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    for column in frame.columns:
        if column != "completed_on":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def next_timestamp(con: duckdb.DuckDBPyConnection, now: datetime | None) -> datetime:
    """Now, but never before the last recorded revision: the newest revision must sort last."""
    stamp = now or clock.now()
    last = con.execute(_LAST_RECORDED_SQL).fetchall()[0][0]
    last_task = con.execute(_LAST_TASK_RECORDED_SQL).fetchall()[0][0]
    for when in (last, last_task):
        if when is not None and stamp <= when:
            stamp = when + timedelta(microseconds=1)
    return stamp


def duplicate_of(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    """The earlier upload of the very same file that still stands, if any."""
    rows = con.execute(_DUPLICATE_SQL, [sha256]).fetchall()
    if not rows:
        return None
    upload_id, by, at, name = rows[0]
    return {"upload_id": upload_id, "uploaded_by": by, "uploaded_at": at, "file_name": name}


def duplicate_message(dup: dict) -> str:
    at = dup["uploaded_at"].strftime("%H:%M %d/%m/%Y") if dup["uploaded_at"] else ""
    return (
        f"Tệp này (cùng nội dung) đã được tải lên lần #{dup['upload_id']} lúc {at} bởi {dup['uploaded_by']}: "
        "không ghi thêm gì."
    )
