"""Locking a reporting period once the province's report is sent: append-only lock/unlock events.

A locked period takes no new value, task update or review decision; unlocking needs a reason. Every
event keeps who, when and why (table period_lock_events, docs/reporting.md §7).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from loaders.upload_store import WRITE_LOCK, UploadError
from metrics import clock
from metrics.periods import is_period, quarter_label_vi

LOCK, UNLOCK = "lock", "unlock"
ACTION_LABELS = {LOCK: "Khóa kỳ", UNLOCK: "Mở khóa"}
_LATEST_SQL = """
SELECT action, reason, actor, acted_at FROM period_lock_events
WHERE period = ? ORDER BY event_id DESC LIMIT 1
"""
_HISTORY_SQL = """
SELECT event_id, period, action, reason, actor, acted_at FROM period_lock_events
WHERE CAST(? AS VARCHAR) IS NULL OR period = ?
ORDER BY event_id
"""
_INSERT_SQL = "INSERT INTO period_lock_events VALUES (nextval('period_lock_seq'), ?, ?, ?, ?, ?)"


def lock_state(con: duckdb.DuckDBPyConnection, period: str | None) -> dict | None:
    """The lock event in force for a period ({reason, actor, acted_at}), or None when it is open."""
    if not period:
        return None
    row = con.execute(_LATEST_SQL, [period]).fetchone()
    if row is None or row[0] != LOCK:
        return None
    return {"reason": row[1], "actor": row[2], "acted_at": row[3]}


def is_locked(con: duckdb.DuckDBPyConnection, period: str | None) -> bool:
    return lock_state(con, period) is not None


def refusal(con: duckdb.DuckDBPyConnection, period: str | None) -> str | None:
    """The sentence refusing a write for a locked period, None when the period is open."""
    state = lock_state(con, period)
    if state is None:
        return None
    at = pd.Timestamp(state["acted_at"]).strftime("%H:%M %d/%m/%Y")
    return (
        f"Kỳ {quarter_label_vi(period)} đã khóa sổ lúc {at} (người khóa: {state['actor']}): không nhận thêm "
        "số liệu, cập nhật nhiệm vụ hay quyết định duyệt cho kỳ này. Số liệu hiện có giữ nguyên. Nếu cần sửa, "
        "đề nghị Văn phòng thường trực mở khóa kỳ (ghi rõ lý do)."
    )


def history(con: duckdb.DuckDBPyConnection, period: str | None = None) -> pd.DataFrame:
    return con.execute(_HISTORY_SQL, [period, period]).df()


def _clean(text: str | None) -> str | None:
    value = " ".join(str(text or "").split())
    return value[:2000] or None


def _record(con, period: str, action: str, by: str, reason: str | None, now: datetime | None) -> str:
    if not is_period(period):
        raise UploadError(f"Kỳ “{period}” không hợp lệ (cần dạng 2026-Q1).")
    if not str(by or "").strip():
        raise UploadError("Cần ghi rõ người khóa hoặc mở khóa kỳ (tên tài khoản).")
    with WRITE_LOCK:
        locked = is_locked(con, period)
        label = quarter_label_vi(period)
        if action == LOCK and locked:
            return f"Kỳ {label} đã khóa từ trước: không ghi thêm gì."
        if action == UNLOCK and not locked:
            return f"Kỳ {label} đang mở: không có gì để mở khóa."
        con.execute(_INSERT_SQL, [period, action, reason, str(by).strip(), now or clock.now()])
    return f"Đã khóa kỳ {label}." if action == LOCK else f"Đã mở khóa kỳ {label} (lý do: {reason})."


def lock(con: duckdb.DuckDBPyConnection, period: str, by: str, reason: str | None = None, now=None) -> str:
    """Lock a period (the province's report for it is sent); a reason is optional, kept if given."""
    return _record(con, period, LOCK, by, _clean(reason), now)


def unlock(con: duckdb.DuckDBPyConnection, period: str, by: str, reason: str, now=None) -> str:
    """Unlock a period: the reason is required and recorded."""
    reason = _clean(reason)
    if reason is None:
        raise UploadError("Mở khóa kỳ cần ghi lý do (ví dụ: số văn bản đề nghị điều chỉnh số liệu).")
    return _record(con, period, UNLOCK, by, reason, now)
