"""Commit and revert of uploads: each is one DuckDB transaction under the process lock, append-only.

A commit redoes the comparison inside its transaction and applies only the preview it was based on: if
the stored values changed since (someone else committed), it is refused and the page shows a new preview. A revert is a new upload whose revisions restore what was in force before.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from loaders import action_updates, audit, narratives, period_locks, review
from loaders.excel.parsed import ParsedUpload
from loaders.upload_preview import Preview, diff_tasks, diff_values, stored_fingerprint, validate_and_preview
from loaders.upload_store import (
    CHANGE_NEW,
    CHANGE_UNCHANGED,
    INSERT_UPLOAD_SQL,
    KIND_IMPORT,
    KIND_LABELS,
    KIND_REVERT,
    WRITE_LOCK,
    UploadError,
    as_day,
    as_db_frame,
    duplicate_message,
    duplicate_of,
    next_timestamp,
    same_number,
    task_frame,
    text_or_none,
)
from metrics.periods import quarter_label_vi

_INSERT_REVISIONS_SQL = """
INSERT INTO actual_revisions
SELECT nextval('revision_seq'), ?, indicator_id, period, value, value_text, note, evidence, is_retraction, ?, ?
FROM _revisions
"""
_INSERT_TASK_UPDATES_SQL = """
INSERT INTO task_updates
SELECT nextval('task_update_seq'), ?, task_id, period, status, CAST(completed_on AS DATE), evidence, note,
       is_retraction, ?, ?
FROM _task_changes
"""


STALE_MESSAGE = (
    "Số liệu đã thay đổi từ khi xem trước (có người vừa ghi số liệu cho các chỉ tiêu hay nhiệm vụ của tệp "
    "này): chưa ghi gì. Xem lại bản xem trước mới bên dưới rồi xác nhận lại nếu vẫn đúng."
)


@dataclass
class CommitResult:
    status: str  # committed, duplicate, no_change, refused, stale
    message: str
    upload_id: int | None = None
    n_revisions: int = 0

    @property
    def committed(self) -> bool:
        return self.status == "committed"


def _checked_by(by: str) -> str:
    name = unicodedata.normalize("NFC", str(by or "")).strip()
    if not name or len(name) > 100:
        raise UploadError("Cần ghi rõ người tải lên (tên tài khoản, tối đa 100 ký tự).")
    return name


def _insert_upload(con, upload_id, kind, file_name, sha256, by, stamp, reverts, n, note) -> None:
    con.execute(INSERT_UPLOAD_SQL, [upload_id, kind, file_name, sha256, by, stamp, reverts, n, note])
    audit.record(con, upload_id, stamp)  # the OS user and the channel beside the free-text `by`


def _insert_revisions(con, upload_id: int, revisions: pd.DataFrame, by: str, stamp: datetime) -> None:
    con.register(
        "_revisions",
        as_db_frame(
            revisions[["indicator_id", "period", "value", "value_text", "note", "evidence", "is_retraction"]]
        ),
    )
    try:
        con.execute(_INSERT_REVISIONS_SQL, [upload_id, by, stamp])
    finally:
        con.unregister("_revisions")


def _insert_task_updates(con, upload_id: int, updates: pd.DataFrame, by: str, stamp: datetime) -> None:
    columns = ["task_id", "period", "status", "completed_on", "evidence", "note", "is_retraction"]
    con.register("_task_changes", task_frame(updates[columns]))
    try:
        con.execute(_INSERT_TASK_UPDATES_SQL, [upload_id, by, stamp])
    finally:
        con.unregister("_task_changes")


def _write(con, work) -> CommitResult:
    """Run work(con) in one transaction under the process lock; roll back on any failure or refusal."""
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            result = work(con)
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT" if result.committed else "ROLLBACK")
        return result


def commit(
    con: duckdb.DuckDBPyConnection,
    upload: Preview | ParsedUpload,
    by: str,
    now: datetime | None = None,
) -> CommitResult:
    """Write the new and changed values of a checked file as one upload; the diff is redone inside the
    transaction, so a value committed by someone else since the preview is compared, never lost."""
    parsed = upload.parsed if isinstance(upload, Preview) else upload
    if not parsed.ok:
        raise UploadError(f"Tệp còn {len(parsed.errors)} lỗi: không ghi gì.")
    by = _checked_by(by)
    # A preview applies only to the stored values it was made against (checked inside the transaction).
    expected = upload.fingerprint if isinstance(upload, Preview) else None

    reporter = upload.reporter if isinstance(upload, Preview) else None

    def work(con) -> CommitResult:
        locked = period_locks.refusal(
            con, parsed.period
        )  # locked since the preview: refused, nothing written
        if locked:
            return CommitResult("refused", locked)
        dup = duplicate_of(con, parsed.sha256)
        if dup is not None:
            return CommitResult("duplicate", duplicate_message(dup), upload_id=dup["upload_id"])
        table = diff_values(con, parsed.rows) if len(parsed.rows) else pd.DataFrame(columns=["change"])
        changes = table[table["change"] != CHANGE_UNCHANGED].copy()
        task_table = diff_tasks(con, parsed.tasks)
        action_table = action_updates.diff_actions(con, parsed.actions)
        if expected is not None and stored_fingerprint(table, task_table, action_table) != expected:
            return CommitResult("stale", STALE_MESSAGE)
        task_changes = task_table[task_table["change"] != CHANGE_UNCHANGED].copy()
        action_changes = action_updates.changes(action_table)
        new_texts = narratives.changed(con, parsed.narratives)
        if changes.empty and task_changes.empty and action_changes.empty and new_texts.empty:
            return CommitResult(
                "no_change", "Mọi giá trị trong tệp đều trùng với số liệu hiện có: không ghi gì."
            )
        stamp = next_timestamp(con, now)
        upload_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        note = f"Kỳ {parsed.period}"
        if len(task_changes):
            note += f"; {len(task_changes)} cập nhật nhiệm vụ"
        if len(action_changes):
            note += f"; {len(action_changes)} cập nhật giải pháp khắc phục"
        n_written = len(changes) + len(task_changes) + len(action_changes)
        _insert_upload(
            con,
            upload_id,
            KIND_IMPORT,
            parsed.file_name,
            parsed.sha256,
            by,
            stamp,
            None,
            n_written,
            note,
        )
        if len(changes):
            changes["is_retraction"] = False
            _insert_revisions(con, upload_id, changes, by, stamp)
        if len(task_changes):
            task_changes["is_retraction"] = False
            _insert_task_updates(con, upload_id, task_changes, by, stamp)
        action_updates.insert(con, action_changes, upload_id, by, stamp)
        narratives.insert(con, new_texts, by, stamp, upload_id, "upload")
        review.record_submission(con, upload_id, parsed, by, getattr(reporter, "role", None), stamp)
        n_new = int((changes["change"] == CHANGE_NEW).sum()) if len(changes) else 0
        tasks_words = f", {len(task_changes)} cập nhật nhiệm vụ" if len(task_changes) else ""
        return CommitResult(
            "committed",
            f"Đã ghi lần tải #{upload_id}: {n_new} giá trị mới, {len(changes) - n_new} giá trị thay đổi"
            f"{tasks_words}{action_updates.words(len(action_changes))}{narratives.words(len(new_texts))} "
            f"(kỳ {quarter_label_vi(parsed.period)}).",
            upload_id=upload_id,
            n_revisions=n_written,
        )

    return _write(con, work)


def import_workbook(
    con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, by: str, today: date | None = None
) -> tuple[Preview, CommitResult | None]:
    """Check, preview and, when the file has no error, commit: the non-interactive path in one call."""
    result = validate_and_preview(con, data, file_name, today=today, with_status=False)
    if not result.ok:
        return result, None
    return result, commit(con, result, by)


# ---------------------------------------------------------------- revert

_REVERT_PLAN_SQL = """
WITH target AS (
    SELECT revision_id, indicator_id, period, value, value_text, is_retraction
    FROM actual_revisions WHERE upload_id = ?
),
ranked AS (
    SELECT h.*, u.kind, row_number() OVER (
        PARTITION BY h.indicator_id, h.period
        ORDER BY h.origin_rank DESC, h.recorded_at DESC, h.revision_id DESC NULLS LAST) AS rn
    FROM v_actual_history h
    LEFT JOIN uploads u ON u.upload_id = h.upload_id
    WHERE EXISTS (SELECT 1 FROM target t WHERE t.indicator_id = h.indicator_id AND t.period = h.period)
),
standing AS (  -- what was in force before is looked for among revisions of uploads not undone since
    SELECT *, row_number() OVER (
        PARTITION BY indicator_id, period
        ORDER BY origin_rank DESC, recorded_at DESC, revision_id DESC NULLS LAST) AS srn
    FROM ranked
    WHERE upload_id IS NULL OR NOT list_contains(CAST(? AS BIGINT[]), upload_id)
)
SELECT t.revision_id, t.indicator_id, t.period,
       t.value AS own_value, t.value_text AS own_value_text, t.is_retraction AS own_retraction,
       top.revision_id AS current_revision_id, top.kind AS current_kind,
       top.value AS current_value, top.value_text AS current_value_text, top.is_retraction AS current_retraction,
       prev.indicator_id IS NULL AS no_previous,
       coalesce(prev.is_retraction, false) AS previous_retracted,
       coalesce(prev.origin = 'published', false) AS previous_published,
       prev.value, prev.value_text, prev.note, prev.evidence
FROM target t
JOIN standing own ON own.revision_id = t.revision_id
LEFT JOIN ranked top ON top.indicator_id = t.indicator_id AND top.period = t.period AND top.rn = 1
LEFT JOIN standing prev ON prev.indicator_id = t.indicator_id AND prev.period = t.period AND prev.srn = own.srn + 1
ORDER BY t.revision_id
"""
_REVERT_TASKS_PLAN_SQL = """
WITH target AS (
    SELECT update_id, task_id, period, status, completed_on, is_retraction
    FROM task_updates WHERE upload_id = ?
),
ranked AS (
    SELECT h.*, u.kind, row_number() OVER (
        PARTITION BY h.task_id, h.period ORDER BY h.recorded_at DESC, h.update_id DESC) AS rn
    FROM v_task_update_history h
    JOIN uploads u ON u.upload_id = h.upload_id
    WHERE EXISTS (SELECT 1 FROM target t WHERE t.task_id = h.task_id AND t.period = h.period)
),
standing AS (
    SELECT *, row_number() OVER (
        PARTITION BY task_id, period ORDER BY recorded_at DESC, update_id DESC) AS srn
    FROM ranked
    WHERE NOT list_contains(CAST(? AS BIGINT[]), upload_id)
)
SELECT t.update_id, t.task_id, t.period,
       t.status AS own_status, t.completed_on AS own_completed_on, t.is_retraction AS own_retraction,
       top.update_id AS current_update_id, top.kind AS current_kind,
       top.status AS current_status, top.completed_on AS current_completed_on,
       top.is_retraction AS current_retraction,
       prev.task_id IS NULL AS no_previous,
       coalesce(prev.is_retraction, false) AS previous_retracted,
       prev.status, prev.completed_on, prev.evidence, prev.note
FROM target t
JOIN standing own ON own.update_id = t.update_id
LEFT JOIN ranked top ON top.task_id = t.task_id AND top.period = t.period AND top.rn = 1
LEFT JOIN standing prev ON prev.task_id = t.task_id AND prev.period = t.period AND prev.srn = own.srn + 1
ORDER BY t.update_id
"""
_UPLOAD_SQL = "SELECT upload_id, kind, file_name FROM uploads WHERE upload_id = ?"
_REVERTS_SQL = "SELECT upload_id, reverts_upload_id FROM uploads WHERE kind = 'revert' ORDER BY upload_id"


def undone_uploads(con: duckdb.DuckDBPyConnection, reverting: int) -> list[int]:
    """Uploads whose effect is undone once `reverting` is: reverted by a revert not itself undone.

    What a revert restores is looked for among the others: reverting U2 after U1 was reverted must not
    bring back U1's value, and reverting a revert brings back what that revert had undone."""
    reverted_by = {int(target): int(r) for r, target in con.execute(_REVERTS_SQL).fetchall()}
    memo: dict[int, bool] = {int(reverting): True}

    def undone(upload_id: int) -> bool:
        if upload_id not in memo:
            by = reverted_by.get(upload_id)
            memo[upload_id] = by is not None and not undone(by)  # a chain of reverts is short
        return memo[upload_id]

    return sorted(u for u in reverted_by if u != int(reverting) and undone(u))


_ACTION_UPDATES_OF_SQL = "SELECT count(*) FROM corrective_action_updates WHERE upload_id = ?"
_REVERTED_BY_SQL = "SELECT upload_id FROM uploads WHERE kind = 'revert' AND reverts_upload_id = ?"


def _still_in_force(row: dict) -> bool:
    """Is the value this revision wrote the one in force? Its own revision on top, or a revert that put the
    same value back (undoing a later upload); a value a later import wrote, even an equal one, is that import's."""
    if row["current_revision_id"] == row["revision_id"]:
        return True
    return (
        row["current_kind"] == KIND_REVERT
        and bool(row["current_retraction"]) == bool(row["own_retraction"])
        and same_number(row["current_value"], row["own_value"])
        and text_or_none(row["current_value_text"]) == text_or_none(row["own_value_text"])
    )


def _task_still_in_force(row: dict) -> bool:
    """As _still_in_force, for a task update: its own row on top, or a revert that put the same status back."""
    if row["current_update_id"] == row["update_id"]:
        return True
    return (
        row["current_kind"] == KIND_REVERT
        and bool(row["current_retraction"]) == bool(row["own_retraction"])
        and text_or_none(row["current_status"]) == text_or_none(row["own_status"])
        and as_day(row["current_completed_on"]) == as_day(row["own_completed_on"])
    )


def _task_revert_rows(con: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[pd.DataFrame, int, int]:
    """(task updates restoring what was in force before the upload, updates planned, updates skipped)."""
    plan = con.execute(_REVERT_TASKS_PLAN_SQL, [upload_id, undone_uploads(con, upload_id)]).df()
    keep = pd.Series([_task_still_in_force(r) for r in plan.to_dict("records")], index=plan.index, dtype=bool)
    live = plan.loc[keep].copy()
    retract = live["no_previous"].astype(bool) | live["previous_retracted"].astype(bool)
    live["is_retraction"] = retract
    for column in ("status", "evidence", "note"):
        live[column] = live[column].astype(object).where(~retract, None)
    live["completed_on"] = pd.to_datetime(live["completed_on"]).where(~retract, pd.NaT)
    live.loc[retract, "note"] = f"Hoàn tác lần tải #{upload_id}: trước đó chưa có cập nhật"
    return live, len(plan), len(plan) - len(live)


def revert(
    con: duckdb.DuckDBPyConnection, upload_id: int, by: str, now: datetime | None = None
) -> CommitResult:
    """Undo an upload with a new upload of kind 'revert' whose revisions restore the values before it.

    The value restored is the one in force just before this upload's revision; where there was none, the
    new revision is a retraction. A value a later upload has since replaced is left alone (that upload is
    what is in force), and the result says how many were.
    """
    by = _checked_by(by)

    def work(con) -> CommitResult:
        found = con.execute(_UPLOAD_SQL, [int(upload_id)]).fetchall()
        if not found:
            return CommitResult("refused", f"Không có lần tải #{upload_id}.")
        _, kind, file_name = found[0]
        reverted_by = con.execute(_REVERTED_BY_SQL, [int(upload_id)]).fetchall()
        if reverted_by:
            return CommitResult(
                "refused", f"Lần tải #{upload_id} đã được hoàn tác (lần #{reverted_by[0][0]})."
            )
        plan = con.execute(_REVERT_PLAN_SQL, [int(upload_id), undone_uploads(con, int(upload_id))]).df()
        live = plan.loc[
            pd.Series([_still_in_force(r) for r in plan.to_dict("records")], index=plan.index, dtype=bool)
        ].copy()
        task_live, n_task_plan, task_skipped = _task_revert_rows(con, int(upload_id))
        # Action updates need no new rows: v_corrective_action_updates leaves out those of a reverted upload.
        n_actions = con.execute(_ACTION_UPDATES_OF_SQL, [int(upload_id)]).fetchall()[0][0]
        skipped = len(plan) - len(live) + task_skipped
        if live.empty and task_live.empty and not n_actions:
            why = (
                "mọi giá trị của lần này đã được các lần tải sau thay thế"
                if len(plan) + n_task_plan
                else "lần này không ghi giá trị nào"
            )
            return CommitResult("refused", f"Không có gì để hoàn tác ở lần tải #{upload_id}: {why}.")
        # Where a published figure was in force before, the upload is withdrawn rather than the figure
        # copied as an upload: a copy would outrank later catalog corrections and lose source and grade.
        published = live["previous_published"].astype(bool)
        retract = live["no_previous"].astype(bool) | live["previous_retracted"].astype(bool) | published
        live["is_retraction"] = retract
        for column in ("value", "value_text", "note", "evidence"):
            live[column] = live[column].astype(object).where(~retract, None)
        live.loc[retract, "note"] = f"Hoàn tác lần tải #{upload_id}: trước đó chưa có số liệu"
        live.loc[published, "note"] = f"Hoàn tác lần tải #{upload_id}: trở về số liệu công bố"
        stamp = next_timestamp(con, now)
        new_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        note = f"Hoàn tác lần tải #{upload_id} ({KIND_LABELS.get(kind, kind)} “{file_name}”)"
        if skipped:
            note += f"; {skipped} giá trị đã bị lần tải sau thay thế nên giữ nguyên"
        sha = hashlib.sha256(f"revert:{upload_id}".encode()).hexdigest()
        _insert_upload(
            con,
            new_id,
            KIND_REVERT,
            f"Hoàn tác lần tải #{upload_id}",
            sha,
            by,
            stamp,
            int(upload_id),
            len(live) + len(task_live) + n_actions,
            note,
        )
        if len(live):
            _insert_revisions(con, new_id, live, by, stamp)
        if len(task_live):
            _insert_task_updates(con, new_id, task_live, by, stamp)
        extra = f"; {skipped} giá trị đã bị thay thế bởi lần tải sau nên giữ nguyên" if skipped else ""
        tasks_words = f" và {len(task_live)} cập nhật nhiệm vụ" if len(task_live) else ""
        tasks_words += f", bỏ {n_actions} cập nhật giải pháp khắc phục" if n_actions else ""
        return CommitResult(
            "committed",
            f"Đã hoàn tác lần tải #{upload_id} bằng lần #{new_id}: khôi phục {len(live)} giá trị"
            f"{tasks_words}{extra}.",
            upload_id=new_id,
            n_revisions=len(live) + len(task_live) + n_actions,
        )

    return _write(con, work)
