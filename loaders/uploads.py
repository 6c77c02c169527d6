"""Uploads of actual values: preview, commit, revert and history. Every write is one DuckDB transaction.

Revisions are append-only: a new value, a revert, a retraction are new rows in actual_revisions under one
new row in uploads; nothing is ever updated or deleted. Writes in one process are serialised by a lock
(two browser sessions are two threads of the same app process); DuckDB itself keeps other processes out.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import math
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from loaders import audit, db, xlsx_text
from loaders.excel_reader import Issue, ParsedUpload, Progress, read_actuals
from loaders.excel_template import format_actual
from metrics.periods import is_period, quarter_label_vi
from metrics.status_labels import STATUS_STYLES
from metrics.tasks import STATUS_LABELS as TASK_STATUS_LABELS

KIND_IMPORT = "import"
KIND_REVERT = "revert"
KIND_LABELS = {"import": "Tải lên", "revert": "Hoàn tác", "demo": "Minh họa"}
CHANGE_NEW, CHANGE_CHANGED, CHANGE_UNCHANGED = "new", "changed", "unchanged"
CHANGE_LABELS = {CHANGE_NEW: "Mới", CHANGE_CHANGED: "Thay đổi", CHANGE_UNCHANGED: "Không đổi"}

# One writer at a time in this process. Reentrant: a commit may call helpers that take it again.
_WRITE_LOCK = threading.RLock()
_PREVIEW_UPLOAD_ID = -1  # rows the status preview writes inside a transaction it always rolls back


class UploadError(Exception):
    """A refusal or failure explained in Vietnamese, for people; no traceback needed."""


class DatabaseLocked(UploadError):
    """Another process (the running app) holds the database file."""


# ---------------------------------------------------------------- opening the database for a command


def open_database(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection for a command-line write; DatabaseLocked with advice when the app holds the file."""
    target = db.db_path(path)
    if not target.exists():
        raise UploadError(f"Chưa có cơ sở dữ liệu {target}: chạy “python -m loaders build” trước.")
    try:
        return db.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise UploadError(f"Không mở được cơ sở dữ liệu {target}: {exc}") from None
        pid = re.search(r"PID (\d+)", str(exc))
        holder = f" (tiến trình PID {pid.group(1)})" if pid else ""
        raise DatabaseLocked(
            f"Cơ sở dữ liệu {target} đang được một chương trình khác mở để ghi{holder}, thường là ứng dụng "
            "bảng theo dõi đang chạy. Hãy tải số liệu qua trang “Tải số liệu” của ứng dụng, hoặc dừng ứng "
            "dụng rồi chạy lại lệnh này."
        ) from None


# ---------------------------------------------------------------- preview

_DIFF_SQL = """
SELECT n.indicator_id, n.period, n.value, n.value_text, n.note, n.evidence, n.excel_row,
       i.name AS indicator_name, i.unit,
       a.indicator_id IS NOT NULL AS has_old,
       a.value AS old_value, a.value_text AS old_value_text, a.note AS old_note, a.evidence AS old_evidence,
       a.origin AS old_origin
FROM _incoming n
JOIN indicators i USING (indicator_id)
LEFT JOIN v_actuals a ON a.indicator_id = n.indicator_id AND a.period = n.period
ORDER BY n.excel_row
"""
_HAS_STATUS_SQL = "SELECT count(*) FROM duckdb_functions() WHERE function_name = 'target_status'"
_STATUS_SQL = """
SELECT t.indicator_id, t.horizon, t.due_period, s.status
FROM target_status(?) s JOIN targets t USING (target_id)
WHERE t.indicator_id IN (SELECT indicator_id FROM _incoming)
ORDER BY t.indicator_id, t.due_period, t.target_id
"""
_LAST_RECORDED_SQL = "SELECT max(recorded_at) FROM actual_revisions"
_INSERT_UPLOAD_SQL = "INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
_INSERT_REVISIONS_SQL = """
INSERT INTO actual_revisions
SELECT nextval('revision_seq'), ?, indicator_id, period, value, value_text, note, evidence, is_retraction, ?, ?
FROM _revisions
"""
_INSERT_PREVIEW_SQL = """
INSERT INTO actual_revisions
SELECT -row_number() OVER (), ?, indicator_id, period, value, value_text, note, evidence, false, 'xem trước', ?
FROM _changes
"""
_DUPLICATE_SQL = """
SELECT u.upload_id, u.uploaded_by, u.uploaded_at, u.file_name
FROM uploads u
WHERE u.sha256 = ? AND u.kind = 'import'
  AND NOT EXISTS (SELECT 1 FROM uploads r WHERE r.kind = 'revert' AND r.reverts_upload_id = u.upload_id)
ORDER BY u.upload_id
LIMIT 1
"""


_TASK_DIFF_SQL = """
SELECT n.task_id, n.period, n.status, CAST(n.completed_on AS DATE) AS completed_on, n.evidence, n.note,
       n.excel_row, k.title, k.plan_name,
       u.task_id IS NOT NULL AS has_old,
       u.status AS old_status, u.completed_on AS old_completed_on, u.evidence AS old_evidence, u.note AS old_note
FROM _incoming_tasks n
JOIN v_tasks k USING (task_id)
LEFT JOIN v_task_updates u ON u.task_id = n.task_id AND u.period = n.period
ORDER BY n.excel_row
"""
_LAST_TASK_RECORDED_SQL = "SELECT max(recorded_at) FROM task_updates"
_INSERT_TASK_UPDATES_SQL = """
INSERT INTO task_updates
SELECT nextval('task_update_seq'), ?, task_id, period, status, CAST(completed_on AS DATE), evidence, note,
       is_retraction, ?, ?
FROM _task_changes
"""
TASK_DIFF_COLUMNS = ["task_id", "period", "status", "completed_on", "evidence", "note", "change"]


@dataclass
class Preview:
    """What an upload would do: one row per value in the file, marked new, changed or unchanged."""

    parsed: ParsedUpload
    table: pd.DataFrame
    status_available: bool = False
    duplicate: dict | None = None  # the earlier upload of the very same file, if any
    tasks: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame(columns=TASK_DIFF_COLUMNS))

    @property
    def errors(self) -> list[Issue]:
        return self.parsed.errors

    @property
    def ok(self) -> bool:
        return self.parsed.ok

    def count(self, change: str) -> int:
        return int((self.table["change"] == change).sum()) if len(self.table) else 0

    def task_count(self, change: str) -> int:
        """Task updates of the file that are new, changed or unchanged."""
        return int((self.tasks["change"] == change).sum()) if len(self.tasks) else 0

    @property
    def has_changes(self) -> bool:
        changes = self.count(CHANGE_NEW) + self.count(CHANGE_CHANGED)
        changes += self.task_count(CHANGE_NEW) + self.task_count(CHANGE_CHANGED)
        return self.ok and self.duplicate is None and changes > 0

    def _task_summary(self) -> str:
        if self.tasks.empty:
            return ""
        return (
            f" Nhiệm vụ: {self.task_count(CHANGE_NEW)} cập nhật mới, {self.task_count(CHANGE_CHANGED)} thay đổi, "
            f"{self.task_count(CHANGE_UNCHANGED)} không đổi, {self.parsed.n_task_blank} nhiệm vụ để trống."
        )

    def summary(self) -> str:
        if not self.ok:
            return f"Tệp có {len(self.errors)} lỗi: chưa ghi gì. Sửa hết các lỗi dưới đây rồi tải lại."
        if self.duplicate is not None:
            return _duplicate_message(self.duplicate)
        period = quarter_label_vi(self.parsed.period) if self.parsed.period else ""
        if self.table.empty and self.tasks.empty:
            return (
                f"Kỳ {period}: tệp chưa có giá trị nào (mọi ô “Giá trị thực hiện” đều để trống) và chưa cập "
                "nhật nhiệm vụ nào, không có gì để ghi."
            )
        if self.table.empty:
            return f"Kỳ {period}: không có số liệu chỉ tiêu.{self._task_summary()}"
        return (
            f"Kỳ {period}: {self.count(CHANGE_NEW)} giá trị mới, {self.count(CHANGE_CHANGED)} giá trị thay "
            f"đổi, {self.count(CHANGE_UNCHANGED)} không đổi, {self.parsed.n_blank} chỉ tiêu để trống "
            "(chưa báo cáo kỳ này)." + self._task_summary()
        )


def _same_number(a: object, b: object) -> bool:
    if _missing(a) and _missing(b):
        return True
    if _missing(a) or _missing(b):
        return False
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)


def _classify(row: dict) -> str:
    if not row["has_old"]:
        return CHANGE_NEW
    if not _same_number(row["value"], row["old_value"]) or _text(row["value_text"]) != _text(
        row["old_value_text"]
    ):
        return CHANGE_CHANGED
    # A blank note keeps the old one; a note that is given and differs is a change.
    for new, old in ((row["note"], row["old_note"]), (row["evidence"], row["old_evidence"])):
        if _text(new) is not None and _text(new) != _text(old):
            return CHANGE_CHANGED
    return CHANGE_UNCHANGED


def _as_db_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Missing values as None (not NaN) so DuckDB stores NULL."""
    frame = rows.astype(object)
    return frame.where(frame.notna(), None)


def _diff(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    con.register("_incoming", _as_db_frame(rows))
    try:
        table = con.execute(_DIFF_SQL).df()
    finally:
        con.unregister("_incoming")
    records = table.to_dict("records")
    table["change"] = [_classify(r) for r in records]
    return table


def _classify_task(row: dict) -> str:
    if not row["has_old"]:
        return CHANGE_NEW
    if row["status"] != row["old_status"] or _day(row["completed_on"]) != _day(row["old_completed_on"]):
        return CHANGE_CHANGED
    for new, old in ((row["note"], row["old_note"]), (row["evidence"], row["old_evidence"])):
        if _text(new) is not None and _text(new) != _text(old):
            return CHANGE_CHANGED
    return CHANGE_UNCHANGED


def _day(value: object) -> date | None:
    return None if _missing(value) or value is pd.NaT else pd.Timestamp(value).date()


def _task_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """Task rows as DuckDB reads them: dates as timestamps, missing values as NULL."""
    frame = rows.copy()
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    for column in frame.columns:
        if column != "completed_on":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _diff_tasks(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """The task updates of a file beside the update in force for the same task and period."""
    if rows.empty:
        return pd.DataFrame(columns=TASK_DIFF_COLUMNS)
    con.register("_incoming_tasks", _task_frame(rows))
    try:
        table = con.execute(_TASK_DIFF_SQL).df()
    finally:
        con.unregister("_incoming_tasks")
    table["change"] = [_classify_task(r) for r in table.to_dict("records")]
    return table


def _status_available(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return con.execute(_HAS_STATUS_SQL).fetchall()[0][0] > 0
    except duckdb.Error:
        return False


def _next_timestamp(con: duckdb.DuckDBPyConnection, now: datetime | None) -> datetime:
    """Now, but never before the last recorded revision: the newest revision must sort last."""
    stamp = now or datetime.now()
    last = con.execute(_LAST_RECORDED_SQL).fetchall()[0][0]
    last_task = con.execute(_LAST_TASK_RECORDED_SQL).fetchall()[0][0]
    for when in (last, last_task):
        if when is not None and stamp <= when:
            stamp = when + timedelta(microseconds=1)
    return stamp


def _status_labels(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    """{indicator_id: {horizon label: status label}} from target_status rows (plans that differ: 'A / B')."""
    out: dict[str, dict[str, str]] = {}
    for row in frame.to_dict("records"):
        horizon = quarter_label_vi(row["horizon"]) if is_period(row["horizon"]) else str(row["horizon"])
        style = STATUS_STYLES.get(row["status"])
        label = style.label if style else str(row["status"])
        per = out.setdefault(row["indicator_id"], {})
        if horizon not in per:
            per[horizon] = label
        elif label not in per[horizon].split(" / "):
            per[horizon] += f" / {label}"
    return out


def status_change_words(before: dict[str, str] | None, after: dict[str, str] | None) -> str:
    """'Quý IV/2025: Chưa có số liệu → Đạt; 2030: Chưa đủ số liệu' for one indicator."""
    before, after = before or {}, after or {}
    parts = []
    for horizon, label in after.items():
        old = before.get(horizon)
        parts.append(f"{horizon}: {label}" if old in (None, label) else f"{horizon}: {old} → {label}")
    return "; ".join(parts)


def _statuses(con: duckdb.DuckDBPyConnection, changes: pd.DataFrame, all_rows: pd.DataFrame, period: str):
    """(before, after) status labels per indicator; 'after' is computed on revisions never committed."""
    with _WRITE_LOCK:
        con.register(
            "_incoming",
            _as_db_frame(all_rows[["indicator_id", "period", "value", "value_text", "note", "evidence"]]),
        )
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                before = _status_labels(con.execute(_STATUS_SQL, [period]).df())
                stamp = _next_timestamp(con, None)
                con.register("_changes", _as_db_frame(changes))
                con.execute(
                    _INSERT_UPLOAD_SQL,
                    [_PREVIEW_UPLOAD_ID, "preview", "", "", "xem trước", stamp, None, 0, None],
                )
                con.execute(_INSERT_PREVIEW_SQL, [_PREVIEW_UPLOAD_ID, stamp])
                after = _status_labels(con.execute(_STATUS_SQL, [period]).df())
            finally:
                con.execute("ROLLBACK")
                with contextlib.suppress(duckdb.Error):
                    con.unregister("_changes")
        finally:
            con.unregister("_incoming")
    return before, after


def _duplicate(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    rows = con.execute(_DUPLICATE_SQL, [sha256]).fetchall()
    if not rows:
        return None
    upload_id, by, at, name = rows[0]
    return {"upload_id": upload_id, "uploaded_by": by, "uploaded_at": at, "file_name": name}


def _duplicate_message(dup: dict) -> str:
    at = dup["uploaded_at"].strftime("%H:%M %d/%m/%Y") if dup["uploaded_at"] else ""
    return (
        f"Tệp này (cùng nội dung) đã được tải lên lần #{dup['upload_id']} lúc {at} bởi {dup['uploaded_by']}: "
        "không ghi thêm gì."
    )


def preview(con: duckdb.DuckDBPyConnection, parsed: ParsedUpload, with_status: bool = True) -> Preview:
    """Compare a checked file with the values in force; statuses too when the status engine is there."""
    empty = pd.DataFrame(columns=["indicator_id", "period", "change"])
    if not parsed.ok:
        return Preview(parsed, empty)
    table = _diff(con, parsed.rows) if len(parsed.rows) else empty
    tasks = _diff_tasks(con, parsed.tasks)
    result = Preview(parsed, table, duplicate=_duplicate(con, parsed.sha256), tasks=tasks)
    if with_status and len(table) and _status_available(con):
        changes = table[table["change"] != CHANGE_UNCHANGED][
            ["indicator_id", "period", "value", "value_text", "note", "evidence"]
        ]
        try:
            before, after = _statuses(con, changes, table, parsed.period)
        except duckdb.Error:
            return result  # an engine that fails is treated as absent: the preview still stands
        table["status"] = [status_change_words(before.get(i), after.get(i)) for i in table["indicator_id"]]
        result.status_available = True
    return result


def validate_and_preview(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    today: date | None = None,
    with_status: bool = True,
    progress: Progress | None = None,
) -> Preview:
    """Read, check and preview a workbook given as bytes: the page, the CLI and the benchmark call this."""
    report = progress or (lambda fraction, text: None)
    parsed = read_actuals(data, file_name, con, today=today, progress=lambda f, text: report(0.8 * f, text))
    if parsed.ok:
        report(0.85, "Đang so sánh với số liệu hiện có…")
    result = preview(con, parsed, with_status=with_status)
    report(1.0, "Đã xong bản xem trước.")
    return result


# ---------------------------------------------------------------- commit


@dataclass
class CommitResult:
    status: str  # committed, duplicate, no_change, refused
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
    con.execute(_INSERT_UPLOAD_SQL, [upload_id, kind, file_name, sha256, by, stamp, reverts, n, note])
    audit.record(con, upload_id, stamp)  # OS user and channel beside the free-text `by` (issue 14)


def _insert_revisions(con, upload_id: int, revisions: pd.DataFrame, by: str, stamp: datetime) -> None:
    con.register(
        "_revisions",
        _as_db_frame(
            revisions[["indicator_id", "period", "value", "value_text", "note", "evidence", "is_retraction"]]
        ),
    )
    try:
        con.execute(_INSERT_REVISIONS_SQL, [upload_id, by, stamp])
    finally:
        con.unregister("_revisions")


def _insert_task_updates(con, upload_id: int, updates: pd.DataFrame, by: str, stamp: datetime) -> None:
    columns = ["task_id", "period", "status", "completed_on", "evidence", "note", "is_retraction"]
    con.register("_task_changes", _task_frame(updates[columns]))
    try:
        con.execute(_INSERT_TASK_UPDATES_SQL, [upload_id, by, stamp])
    finally:
        con.unregister("_task_changes")


def _write(con, work) -> CommitResult:
    """Run work(con) in one transaction under the process lock; roll back on any failure or refusal."""
    with _WRITE_LOCK:
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

    def work(con) -> CommitResult:
        dup = _duplicate(con, parsed.sha256)
        if dup is not None:
            return CommitResult("duplicate", _duplicate_message(dup), upload_id=dup["upload_id"])
        table = _diff(con, parsed.rows) if len(parsed.rows) else pd.DataFrame(columns=["change"])
        changes = table[table["change"] != CHANGE_UNCHANGED].copy()
        task_table = _diff_tasks(con, parsed.tasks)
        task_changes = task_table[task_table["change"] != CHANGE_UNCHANGED].copy()
        if changes.empty and task_changes.empty:
            return CommitResult(
                "no_change", "Mọi giá trị trong tệp đều trùng với số liệu hiện có: không ghi gì."
            )
        stamp = _next_timestamp(con, now)
        upload_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        note = f"Kỳ {parsed.period}"
        if len(task_changes):
            note += f"; {len(task_changes)} cập nhật nhiệm vụ"
        _insert_upload(
            con,
            upload_id,
            KIND_IMPORT,
            parsed.file_name,
            parsed.sha256,
            by,
            stamp,
            None,
            len(changes) + len(task_changes),
            note,
        )
        if len(changes):
            changes["is_retraction"] = False
            _insert_revisions(con, upload_id, changes, by, stamp)
        if len(task_changes):
            task_changes["is_retraction"] = False
            _insert_task_updates(con, upload_id, task_changes, by, stamp)
        n_new = int((changes["change"] == CHANGE_NEW).sum())
        tasks_words = f", {len(task_changes)} cập nhật nhiệm vụ" if len(task_changes) else ""
        return CommitResult(
            "committed",
            f"Đã ghi lần tải #{upload_id}: {n_new} giá trị mới, {len(changes) - n_new} giá trị thay đổi"
            f"{tasks_words} (kỳ {quarter_label_vi(parsed.period)}).",
            upload_id=upload_id,
            n_revisions=len(changes) + len(task_changes),
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
)
SELECT t.revision_id, t.indicator_id, t.period,
       t.value AS own_value, t.value_text AS own_value_text, t.is_retraction AS own_retraction,
       top.revision_id AS current_revision_id, top.kind AS current_kind,
       top.value AS current_value, top.value_text AS current_value_text, top.is_retraction AS current_retraction,
       prev.indicator_id IS NULL AS no_previous,
       coalesce(prev.is_retraction, false) AS previous_retracted,
       prev.value, prev.value_text, prev.note, prev.evidence
FROM target t
JOIN ranked own ON own.revision_id = t.revision_id
LEFT JOIN ranked top ON top.indicator_id = t.indicator_id AND top.period = t.period AND top.rn = 1
LEFT JOIN ranked prev ON prev.indicator_id = t.indicator_id AND prev.period = t.period AND prev.rn = own.rn + 1
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
JOIN ranked own ON own.update_id = t.update_id
LEFT JOIN ranked top ON top.task_id = t.task_id AND top.period = t.period AND top.rn = 1
LEFT JOIN ranked prev ON prev.task_id = t.task_id AND prev.period = t.period AND prev.rn = own.rn + 1
ORDER BY t.update_id
"""
_UPLOAD_SQL = "SELECT upload_id, kind, file_name FROM uploads WHERE upload_id = ?"
_REVERTED_BY_SQL = "SELECT upload_id FROM uploads WHERE kind = 'revert' AND reverts_upload_id = ?"


def _still_in_force(row: dict) -> bool:
    """Is the value this revision wrote the one in force? Its own revision on top, or a revert that put the
    same value back (undoing a later upload); a value a later import wrote, even an equal one, is that import's."""
    if row["current_revision_id"] == row["revision_id"]:
        return True
    return (
        row["current_kind"] == KIND_REVERT
        and bool(row["current_retraction"]) == bool(row["own_retraction"])
        and _same_number(row["current_value"], row["own_value"])
        and _text(row["current_value_text"]) == _text(row["own_value_text"])
    )


def _task_still_in_force(row: dict) -> bool:
    """As _still_in_force, for a task update: its own row on top, or a revert that put the same status back."""
    if row["current_update_id"] == row["update_id"]:
        return True
    return (
        row["current_kind"] == KIND_REVERT
        and bool(row["current_retraction"]) == bool(row["own_retraction"])
        and _text(row["current_status"]) == _text(row["own_status"])
        and _day(row["current_completed_on"]) == _day(row["own_completed_on"])
    )


def _task_revert_rows(con: duckdb.DuckDBPyConnection, upload_id: int) -> tuple[pd.DataFrame, int, int]:
    """(task updates restoring what was in force before the upload, updates planned, updates skipped)."""
    plan = con.execute(_REVERT_TASKS_PLAN_SQL, [upload_id]).df()
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
        plan = con.execute(_REVERT_PLAN_SQL, [int(upload_id)]).df()
        live = plan.loc[
            pd.Series([_still_in_force(r) for r in plan.to_dict("records")], index=plan.index, dtype=bool)
        ].copy()
        task_live, n_task_plan, task_skipped = _task_revert_rows(con, int(upload_id))
        skipped = len(plan) - len(live) + task_skipped
        if live.empty and task_live.empty:
            why = (
                "mọi giá trị của lần này đã được các lần tải sau thay thế"
                if len(plan) + n_task_plan
                else "lần này không ghi giá trị nào"
            )
            return CommitResult("refused", f"Không có gì để hoàn tác ở lần tải #{upload_id}: {why}.")
        retract = live["no_previous"].astype(bool) | live["previous_retracted"].astype(bool)
        live["is_retraction"] = retract
        for column in ("value", "value_text", "note", "evidence"):
            live[column] = live[column].astype(object).where(~retract, None)
        live.loc[retract, "note"] = f"Hoàn tác lần tải #{upload_id}: trước đó chưa có số liệu"
        stamp = _next_timestamp(con, now)
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
            len(live) + len(task_live),
            note,
        )
        if len(live):
            _insert_revisions(con, new_id, live, by, stamp)
        if len(task_live):
            _insert_task_updates(con, new_id, task_live, by, stamp)
        extra = f"; {skipped} giá trị đã bị thay thế bởi lần tải sau nên giữ nguyên" if skipped else ""
        tasks_words = f" và {len(task_live)} cập nhật nhiệm vụ" if len(task_live) else ""
        return CommitResult(
            "committed",
            f"Đã hoàn tác lần tải #{upload_id} bằng lần #{new_id}: khôi phục {len(live)} giá trị"
            f"{tasks_words}{extra}.",
            upload_id=new_id,
            n_revisions=len(live) + len(task_live),
        )

    return _write(con, work)


# ---------------------------------------------------------------- history

_HISTORY_SQL = """
WITH periods AS (
    SELECT upload_id, string_agg(DISTINCT period, ', ' ORDER BY period) AS periods
    FROM (SELECT upload_id, period FROM actual_revisions UNION ALL SELECT upload_id, period FROM task_updates)
    GROUP BY upload_id
)
SELECT u.upload_id, u.kind, u.file_name, u.uploaded_by, u.uploaded_at, u.n_revisions, p.periods,
       u.reverts_upload_id, r.upload_id AS reverted_by_upload_id, u.note, u.sha256
FROM uploads u
LEFT JOIN periods p USING (upload_id)
LEFT JOIN uploads r ON r.kind = 'revert' AND r.reverts_upload_id = u.upload_id
WHERE u.upload_id > 0
ORDER BY u.upload_id DESC
"""
_REVISIONS_SQL = """
SELECT r.revision_id, r.upload_id, u.kind, u.file_name, r.indicator_id, i.name AS indicator_name, i.unit,
       r.period, r.value, r.value_text, r.note, r.evidence, r.is_retraction, r.recorded_by, r.recorded_at
FROM actual_revisions r
JOIN uploads u USING (upload_id)
LEFT JOIN indicators i USING (indicator_id)
WHERE CAST(? AS BIGINT) IS NULL OR r.upload_id = ?
ORDER BY r.revision_id
"""


def upload_history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every upload and revert, newest first, with what reverted it."""
    return con.execute(_HISTORY_SQL).df()


def revisions(con: duckdb.DuckDBPyConnection, upload_id: int | None = None) -> pd.DataFrame:
    """Every revision recorded (of one upload, if given), oldest first."""
    return con.execute(_REVISIONS_SQL, [upload_id, upload_id]).df()


_TASK_REVISIONS_SQL = """
SELECT t.update_id, t.upload_id, u.kind, u.file_name, t.task_id, k.plan_name, k.title, t.period, t.status,
       t.completed_on, t.evidence, t.note, t.is_retraction, t.recorded_by, t.recorded_at
FROM task_updates t
JOIN uploads u USING (upload_id)
LEFT JOIN v_tasks k USING (task_id)
WHERE CAST(? AS BIGINT) IS NULL OR t.upload_id = ?
ORDER BY t.update_id
"""


def task_revisions(con: duckdb.DuckDBPyConnection, upload_id: int | None = None) -> pd.DataFrame:
    """Every task status update recorded (of one upload, if given), oldest first."""
    return con.execute(_TASK_REVISIONS_SQL, [upload_id, upload_id]).df()


def revertible(history: pd.DataFrame) -> list[int]:
    """Uploads and reverts that can still be reverted (not yet reverted, not demonstration data), newest first."""
    if history.empty:
        return []
    mask = (
        history["reverted_by_upload_id"].isna()
        & (history["n_revisions"] > 0)
        & history["kind"].isin([KIND_IMPORT, KIND_REVERT])
    )
    return [int(x) for x in history.loc[mask, "upload_id"]]


def upload_labels(history: pd.DataFrame) -> dict[int, str]:
    """{upload_id: '#3 · Tải lên · f.xlsx · thuy · 23/11/2026 14:56 · 5 giá trị'}, plain text to show escaped."""
    out = {}
    for r in history.to_dict("records"):
        at = r["uploaded_at"].strftime("%d/%m/%Y %H:%M") if not _missing(r["uploaded_at"]) else ""
        out[int(r["upload_id"])] = (
            f"#{int(r['upload_id'])} · {KIND_LABELS.get(r['kind'], r['kind'])} · "
            f"{r['file_name']} · {r['uploaded_by']} · {at} · {int(r['n_revisions'])} giá trị"
        )
    return out


def _cell(value: object) -> object:
    """A value safe to write in an exported sheet: no formula, no illegal character, no NaN."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):  # written as text by xlsx_text.text_row: no apostrophe added
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


HISTORY_COLUMNS = {
    "upload_id": "Lần tải",
    "kind": "Loại",
    "file_name": "Tên tệp",
    "uploaded_by": "Người tải",
    "uploaded_at": "Thời điểm",
    "n_revisions": "Số giá trị ghi",
    "periods": "Kỳ",
    "reverts_upload_id": "Hoàn tác lần",
    "reverted_by_upload_id": "Đã hoàn tác bởi lần",
    "note": "Ghi chú",
    "sha256": "SHA-256",
}
REVISION_COLUMNS = {
    "revision_id": "Mã bản ghi",
    "upload_id": "Lần tải",
    "kind": "Loại",
    "file_name": "Tên tệp",
    "indicator_id": "Mã chỉ tiêu",
    "indicator_name": "Tên chỉ tiêu",
    "unit": "Đơn vị tính",
    "period": "Kỳ",
    "value": "Giá trị",
    "value_text": "Kết quả đánh giá",
    "note": "Ghi chú",
    "evidence": "Nguồn/minh chứng",
    "is_retraction": "Rút lại",
    "recorded_by": "Người ghi",
    "recorded_at": "Thời điểm ghi",
}


TASK_REVISION_COLUMNS = {
    "update_id": "Mã bản ghi",
    "upload_id": "Lần tải",
    "kind": "Loại",
    "file_name": "Tên tệp",
    "task_id": "Mã nhiệm vụ",
    "plan_name": "Kế hoạch",
    "title": "Nhiệm vụ",
    "period": "Kỳ",
    "status": "Trạng thái",
    "completed_on": "Ngày hoàn thành",
    "evidence": "Minh chứng",
    "note": "Ghi chú",
    "is_retraction": "Rút lại",
    "recorded_by": "Người ghi",
    "recorded_at": "Thời điểm ghi",
}


def history_workbook(con: duckdb.DuckDBPyConnection) -> bytes:
    """The whole upload history as .xlsx; uploaded text is neutralised so no cell runs as a formula."""
    wb = Workbook(write_only=True)
    for title, frame, columns in (
        ("Lần tải", upload_history(con), HISTORY_COLUMNS),
        ("Giá trị đã ghi", revisions(con), REVISION_COLUMNS),
        ("Cập nhật nhiệm vụ", task_revisions(con), TASK_REVISION_COLUMNS),
    ):
        ws = wb.create_sheet(title)
        ws.append(xlsx_text.text_row(ws, columns.values()))
        for record in frame[list(columns)].to_dict("records"):
            if "kind" in record:
                record["kind"] = KIND_LABELS.get(record["kind"], record["kind"])
            if "status" in record and not _missing(record["status"]):
                record["status"] = TASK_STATUS_LABELS.get(record["status"], record["status"])
            ws.append(xlsx_text.text_row(ws, [_cell(record[c]) for c in columns]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- frames for display (Vietnamese, escaped by the caller's widget)


def errors_display(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Trang": i.sheet or "",
                "Dòng": str(i.row or ""),
                "Cột": (i.column or "") + (f" ({i.column_letter})" if i.column_letter else ""),
                "Giá trị gặp": i.found or "",
                "Lỗi": i.message,
                "Cần": i.expected or "",
            }
            for i in issues
        ],
        columns=["Trang", "Dòng", "Cột", "Giá trị gặp", "Lỗi", "Cần"],
    )


def preview_display(result: Preview) -> pd.DataFrame:
    """The preview as people read it: 'Giá trị cũ' → 'Giá trị mới', numbers with a decimal comma."""
    rows = []
    for r in result.table.to_dict("records"):
        row = {
            "Mã chỉ tiêu": r["indicator_id"],
            "Tên chỉ tiêu": r["indicator_name"],
            "Kỳ": quarter_label_vi(r["period"]),
            "Thay đổi": CHANGE_LABELS[r["change"]],
            "Giá trị cũ": format_actual(r["old_value"], r["old_value_text"], r["unit"])
            if r["has_old"]
            else "",
            "Giá trị mới": format_actual(r["value"], r["value_text"], r["unit"]),
            "Ghi chú": _text(r["note"]) or "",
            "Nguồn/minh chứng": _text(r["evidence"]) or "",
        }
        if result.status_available:
            row["Trạng thái sau khi ghi"] = r["status"]
        rows.append(row)
    columns = [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Kỳ",
        "Thay đổi",
        "Giá trị cũ",
        "Giá trị mới",
        "Ghi chú",
        "Nguồn/minh chứng",
    ] + (["Trạng thái sau khi ghi"] if result.status_available else [])
    order = {
        CHANGE_LABELS[CHANGE_CHANGED]: 0,
        CHANGE_LABELS[CHANGE_NEW]: 1,
        CHANGE_LABELS[CHANGE_UNCHANGED]: 2,
    }
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("Thay đổi", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def history_display(history: pd.DataFrame) -> pd.DataFrame:
    frame = history[list(HISTORY_COLUMNS)].drop(columns=["sha256"]).copy()
    frame["kind"] = frame["kind"].map(lambda k: KIND_LABELS.get(k, k))
    frame["uploaded_at"] = frame["uploaded_at"].map(
        lambda t: t.strftime("%d/%m/%Y %H:%M") if not _missing(t) else ""
    )
    frame["periods"] = frame["periods"].map(
        lambda p: "" if _missing(p) else ", ".join(quarter_label_vi(x) for x in str(p).split(", "))
    )
    for column in ("upload_id", "reverts_upload_id", "reverted_by_upload_id", "n_revisions"):
        frame[column] = frame[column].map(lambda x: "" if _missing(x) else f"{int(x)}")
    return frame.rename(columns=HISTORY_COLUMNS)


def task_preview_display(result: Preview) -> pd.DataFrame:
    """The task updates of a file as people read them: status before → after, dates dd/mm/yyyy."""
    columns = [
        "Mã nhiệm vụ",
        "Nhiệm vụ",
        "Kỳ",
        "Thay đổi",
        "Trạng thái cũ",
        "Trạng thái mới",
        "Ngày hoàn thành",
        "Minh chứng",
        "Ghi chú",
    ]
    rows = []
    for r in result.tasks.to_dict("records"):
        old = ""
        if r["has_old"]:
            old = TASK_STATUS_LABELS.get(r["old_status"], str(r["old_status"]))
            if _day(r["old_completed_on"]):
                old += f" ({_day(r['old_completed_on']):%d/%m/%Y})"
        done_on = _day(r["completed_on"])
        rows.append(
            {
                "Mã nhiệm vụ": r["task_id"],
                "Nhiệm vụ": r["title"],
                "Kỳ": quarter_label_vi(r["period"]),
                "Thay đổi": CHANGE_LABELS[r["change"]],
                "Trạng thái cũ": old,
                "Trạng thái mới": TASK_STATUS_LABELS.get(r["status"], str(r["status"])),
                "Ngày hoàn thành": f"{done_on:%d/%m/%Y}" if done_on else "",
                "Minh chứng": _text(r["evidence"]) or "",
                "Ghi chú": _text(r["note"]) or "",
            }
        )
    order = {
        CHANGE_LABELS[CHANGE_CHANGED]: 0,
        CHANGE_LABELS[CHANGE_NEW]: 1,
        CHANGE_LABELS[CHANGE_UNCHANGED]: 2,
    }
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values("Thay đổi", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
