"""The review of submissions: who sent what for which agency and period, and the secretariat's decisions.

Every upload committed after schema 5 is a submission (table submissions, tied to an agency and a period).
An agency reporter's (role co_quan) waits for review: *chờ duyệt*; the secretariat accepts it whole or value
by value (*đã duyệt*) or returns it with a comment the agency sees (*trả lại*). An upload by the secretariat
itself is accepted on commit. Decisions are append-only review events; the state is the latest
(loaders/sql/review.sql). A locked period takes no decision (loaders/period_locks.py).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from loaders import period_locks
from loaders.upload_store import WRITE_LOCK, UploadError
from metrics import clock

PENDING, ACCEPTED, RETURNED = "pending", "accepted", "returned"
STATE_LABELS = {PENDING: "Chờ duyệt", ACCEPTED: "Đã duyệt", RETURNED: "Trả lại"}
ROLE_AGENCY = "co_quan"  # loaders.auth.ROLE_AGENCY, repeated so this module needs no account file
SELF_ACCEPT_COMMENT = "Văn phòng thường trực tự tải lên: duyệt khi ghi."
MAX_COMMENT = 2000

_INSERT_SUBMISSION_SQL = "INSERT INTO submissions VALUES (?, ?, ?, ?, ?, ?)"
_INSERT_EVENT_SQL = "INSERT INTO review_events VALUES (nextval('review_event_seq'), ?, ?, ?, ?, ?, ?, ?)"
_SUBMISSION_SQL = "SELECT upload_id, agency_id, period FROM submissions WHERE upload_id = ?"
_ITEMS_SQL = """
SELECT 'indicator' AS item_kind, v.indicator_id AS item_id, i.short_name AS item_name, v.period,
       r.value, r.value_text, r.note, r.evidence, v.review_state, v.review_comment, v.reviewed_by, v.reviewed_at
FROM v_revision_review v
JOIN actual_revisions r USING (revision_id)
JOIN indicators i ON i.indicator_id = v.indicator_id
WHERE v.upload_id = ?
UNION ALL
SELECT 'task', v.task_id, k.title, v.period, NULL, u.status, u.note, u.evidence,
       v.review_state, v.review_comment, v.reviewed_by, v.reviewed_at
FROM v_task_update_review v
JOIN task_updates u USING (update_id)
JOIN tasks k ON k.task_id = v.task_id
WHERE v.upload_id = ?
ORDER BY item_kind, item_id
"""
_SUBMISSIONS_SQL = """
WITH items AS (
    SELECT upload_id, review_state FROM v_revision_review WHERE is_submission
    UNION ALL
    SELECT upload_id, review_state FROM v_task_update_review WHERE is_submission
),
counts AS (
    SELECT upload_id,
           count(*) AS n_items,
           count(*) FILTER (WHERE review_state = 'pending') AS n_pending,
           count(*) FILTER (WHERE review_state = 'accepted') AS n_accepted,
           count(*) FILTER (WHERE review_state = 'returned') AS n_returned
    FROM items GROUP BY upload_id
)
SELECT s.upload_id, s.period, s.agency_id, a.name AS agency_name, s.submitted_by, s.role, s.submitted_at,
       u.file_name, coalesce(c.n_items, 0) AS n_items, coalesce(c.n_pending, 0) AS n_pending,
       coalesce(c.n_accepted, 0) AS n_accepted, coalesce(c.n_returned, 0) AS n_returned,
       EXISTS (SELECT 1 FROM uploads r WHERE r.kind = 'revert' AND r.reverts_upload_id = s.upload_id) AS reverted
FROM submissions s
JOIN uploads u USING (upload_id)
LEFT JOIN agencies a ON a.agency_id = s.agency_id
LEFT JOIN counts c USING (upload_id)
WHERE (CAST(? AS VARCHAR) IS NULL OR s.agency_id IN (
          SELECT agency_id FROM v_agencies WHERE current_agency_id = ?))
  AND (CAST(? AS VARCHAR) IS NULL OR s.period = ?)
ORDER BY s.upload_id DESC
"""
_PENDING_COUNT_SQL = """
SELECT count(*) FROM v_unreviewed_actuals
WHERE CAST(? AS VARCHAR) IS NULL OR period_index(period) <= period_index(CAST(? AS VARCHAR))
"""
_UNREVIEWED_KEYS_SQL = "SELECT indicator_id, period FROM v_unreviewed_actuals"


def submission_state(n_pending: int, n_returned: int, n_items: int) -> str:
    """A submission waits while any item waits; returned when an item was returned and none waits."""
    if n_pending:
        return PENDING
    if n_returned:
        return RETURNED
    return ACCEPTED if n_items else PENDING


def record_submission(con, upload_id: int, parsed, by: str, role: str | None, stamp: datetime) -> None:
    """Tie a committed upload to its agency and period; the secretariat's own upload is accepted at once.

    Called inside the commit's transaction (loaders/upload_commit.py), so both stand or fall together.
    """
    role = role or "van_phong"
    con.execute(_INSERT_SUBMISSION_SQL, [upload_id, parsed.agency_id or None, parsed.period, by, role, stamp])
    if role != ROLE_AGENCY:
        con.execute(_INSERT_EVENT_SQL, [upload_id, None, None, "accept", SELF_ACCEPT_COMMENT, by, stamp])


def _decide(con, upload_id: int, action: str, by: str, comment, item_kind, item_id, now) -> str:
    if not str(by or "").strip():
        raise UploadError("Cần ghi rõ người duyệt (tên tài khoản).")
    comment = " ".join(str(comment or "").split())[:MAX_COMMENT] or None
    if action == "return" and comment is None:
        raise UploadError("Trả lại cần ghi lý do để cơ quan biết phải sửa gì.")
    if (item_kind is None) != (item_id is None) or item_kind not in (None, "indicator", "task"):
        raise UploadError("Cần chọn cả lần gửi, hoặc một giá trị (chỉ tiêu hay nhiệm vụ) của lần gửi.")
    with WRITE_LOCK:
        found = con.execute(_SUBMISSION_SQL, [int(upload_id)]).fetchone()
        if found is None:
            raise UploadError(f"Lần tải #{upload_id} không phải một lần gửi báo cáo cần duyệt.")
        locked = period_locks.refusal(con, found[2])
        if locked:
            raise UploadError(locked)
        items = items_of(con, int(upload_id))
        if item_kind is not None and not ((items.item_kind == item_kind) & (items.item_id == item_id)).any():
            raise UploadError(f"Lần gửi #{upload_id} không có {item_id}.")
        con.execute(
            _INSERT_EVENT_SQL,
            [int(upload_id), item_kind, item_id, action, comment, str(by).strip(), now or clock.now()],
        )
    what = f"{item_id} của lần gửi #{upload_id}" if item_id else f"cả lần gửi #{upload_id}"
    return f"Đã duyệt {what}." if action == "accept" else f"Đã trả lại {what}: {comment}"


def accept(con, upload_id: int, by: str, item_kind=None, item_id=None, comment=None, now=None) -> str:
    """Accept a whole submission (item_kind None) or one value/task update of it."""
    return _decide(con, upload_id, "accept", by, comment, item_kind, item_id, now)


def return_back(con, upload_id: int, by: str, comment: str, item_kind=None, item_id=None, now=None) -> str:
    """Return a whole submission or one value to the agency, with the comment it will see."""
    return _decide(con, upload_id, "return", by, comment, item_kind, item_id, now)


def items_of(con: duckdb.DuckDBPyConnection, upload_id: int) -> pd.DataFrame:
    """Each value and task update of a submission with its review state and the last comment."""
    out = con.execute(_ITEMS_SQL, [int(upload_id), int(upload_id)]).df()
    out["state_label"] = out["review_state"].map(STATE_LABELS)
    return out


def submissions(con: duckdb.DuckDBPyConnection, agency_id: str | None = None, period: str | None = None):
    """Every submission (of an agency, rolled up to its current body; of a period), newest first."""
    out = con.execute(_SUBMISSIONS_SQL, [agency_id, agency_id, period, period]).df()
    out["state"] = [
        submission_state(p, r, n)
        for p, r, n in zip(out["n_pending"], out["n_returned"], out["n_items"], strict=True)
    ]
    out["state_label"] = out["state"].map(STATE_LABELS)
    return out


def returned_items(con: duckdb.DuckDBPyConnection, agency_id: str) -> pd.DataFrame:
    """What the secretariat returned to an agency, with the comments: shown on the agency's upload page."""
    frames = [items_of(con, u).assign(upload_id=u) for u in submissions(con, agency_id)["upload_id"]]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(
            columns=["upload_id", "item_kind", "item_id", "item_name", "period", "review_comment"]
        )
    out = pd.concat(frames, ignore_index=True)
    return out[out["review_state"].eq(RETURNED)].reset_index(drop=True)


def pending_count(con: duckdb.DuckDBPyConnection, as_of: str | None = None) -> int:
    """Values in force awaiting review (up to a period, if given): the leaders' pages show this number."""
    return int(con.execute(_PENDING_COUNT_SQL, [as_of, as_of]).fetchone()[0])


def unreviewed_keys(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """(indicator_id, period) of values awaiting review, to mark them “chưa duyệt” where shown."""
    return con.execute(_UNREVIEWED_KEYS_SQL).df()
