"""The preview of an upload: each value and task update of a checked file marked new, changed or unchanged,
with the statuses it would give, computed in a transaction that is always rolled back."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from loaders import action_updates, narrative_preview, narratives
from loaders.excel.parsed import Issue, ParsedUpload, Progress
from loaders.excel.reader import read_actuals
from loaders.review_checks import check_upload
from loaders.upload_store import (
    CHANGE_CHANGED,
    CHANGE_NEW,
    CHANGE_UNCHANGED,
    INSERT_UPLOAD_SQL,
    WRITE_LOCK,
    as_day,
    as_db_frame,
    duplicate_message,
    duplicate_of,
    next_timestamp,
    same_number,
    task_frame,
    text_or_none,
)
from metrics.periods import is_period, quarter_label_vi
from metrics.status_labels import STATUS_STYLES

_PREVIEW_UPLOAD_ID = -1  # rows the status preview writes inside a transaction it always rolls back
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
_INSERT_PREVIEW_SQL = """
INSERT INTO actual_revisions
SELECT -row_number() OVER (), ?, indicator_id, period, value, value_text, note, evidence, false, 'xem trước', ?
FROM _changes
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
TASK_DIFF_COLUMNS = ["task_id", "period", "status", "completed_on", "evidence", "note", "change"]


@dataclass
class Preview:
    """What an upload would do: one row per value in the file, marked new, changed or unchanged."""

    parsed: ParsedUpload
    table: pd.DataFrame
    status_available: bool = False
    duplicate: dict | None = None  # the earlier upload of the very same file, if any
    tasks: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame(columns=TASK_DIFF_COLUMNS))
    # The stored values this preview compared against; a commit applies it only if they are still those.
    fingerprint: str | None = None
    narratives: pd.DataFrame = dataclasses.field(default_factory=narratives.empty_narratives)  # texts to add
    reporter: object = None  # the account that sends it (loaders.auth.User): decides its review (review.py)
    # Corrective-action updates (sheet “Giải pháp khắc phục”), marked as task updates are.
    actions: pd.DataFrame = dataclasses.field(
        default_factory=lambda: pd.DataFrame(columns=action_updates.DIFF_COLUMNS)
    )

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
        changes += self.task_count(CHANGE_NEW) + self.task_count(CHANGE_CHANGED) + len(self.narratives)
        changes += len(action_updates.changes(self.actions))
        return self.ok and self.duplicate is None and changes > 0

    def _task_summary(self) -> str:
        if self.tasks.empty:
            return ""
        return (
            f" Nhiệm vụ: {self.task_count(CHANGE_NEW)} cập nhật mới, {self.task_count(CHANGE_CHANGED)} thay đổi, "
            f"{self.task_count(CHANGE_UNCHANGED)} không đổi, {self.parsed.n_task_blank} nhiệm vụ để trống."
        )

    def summary(self) -> str:
        return self._summary() + self._action_summary() + self._narrative_summary()

    def _action_summary(self) -> str:
        if not self.ok or self.duplicate is not None:
            return ""
        return action_updates.summary(self.actions, self.parsed.n_action_blank)

    def _narrative_summary(self) -> str:
        if not self.ok or self.duplicate is not None:
            return ""
        added = (
            f" {len(self.narratives)} nội dung đánh giá, khó khăn, kiến nghị mới."
            if len(self.narratives)
            else ""
        )
        return added + narrative_preview.warning_sentence(self.table)

    def _summary(self) -> str:
        if not self.ok:
            return f"Tệp có {len(self.errors)} lỗi: chưa ghi gì. Sửa hết các lỗi dưới đây rồi tải lại."
        if self.duplicate is not None:
            return duplicate_message(self.duplicate)
        period = quarter_label_vi(self.parsed.period) if self.parsed.period else ""
        if self.table.empty and self.tasks.empty and self.actions.empty:
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


def _classify(row: dict) -> str:
    if not row["has_old"]:
        return CHANGE_NEW
    if not same_number(row["value"], row["old_value"]) or text_or_none(row["value_text"]) != text_or_none(
        row["old_value_text"]
    ):
        return CHANGE_CHANGED
    # A blank note keeps the old one; a note that is given and differs is a change.
    for new, old in ((row["note"], row["old_note"]), (row["evidence"], row["old_evidence"])):
        if text_or_none(new) is not None and text_or_none(new) != text_or_none(old):
            return CHANGE_CHANGED
    return CHANGE_UNCHANGED


def _texts(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(text_or_none of each cell as a string column, which cells are missing), without a Python loop."""
    missing = column.isna()
    return column.astype(object).where(missing, column.astype(str)), missing


def _same_texts(a: pd.Series, b: pd.Series) -> pd.Series:
    (ta, ma), (tb, mb) = _texts(a), _texts(b)
    return (ma & mb) | (~ma & ~mb & (ta == tb))


def classify_values(table: pd.DataFrame) -> pd.Series:
    """_classify of every row at once: the 10 000-row import spent seconds in to_dict("records") and per-row
    Python (docs/performance.md); the rules are the same, and tests hold the two to the same answer."""
    if table.empty:
        return pd.Series([], index=table.index, dtype=object)
    has_old = table["has_old"].fillna(False).astype(bool)
    new, old = (pd.to_numeric(table[c], errors="coerce").astype(float) for c in ("value", "old_value"))
    close = (new - old).abs() <= np.maximum(1e-9 * np.maximum(new.abs(), old.abs()), 1e-12)
    same_value = (new.isna() & old.isna()) | (new.notna() & old.notna() & close)
    changed = ~same_value | ~_same_texts(table["value_text"], table["old_value_text"])
    for given, stored in (("note", "old_note"), ("evidence", "old_evidence")):
        text, missing = _texts(table[given])
        changed |= ~missing & ~_same_texts(text, table[stored])
    out = np.where(~has_old, CHANGE_NEW, np.where(changed, CHANGE_CHANGED, CHANGE_UNCHANGED))
    return pd.Series(out, index=table.index, dtype=object)


def diff_values(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    con.register("_incoming", as_db_frame(rows))
    try:
        table = con.execute(_DIFF_SQL).df()
    finally:
        con.unregister("_incoming")
    table["change"] = classify_values(table)
    return table


def _classify_task(row: dict) -> str:
    if not row["has_old"]:
        return CHANGE_NEW
    if row["status"] != row["old_status"] or as_day(row["completed_on"]) != as_day(row["old_completed_on"]):
        return CHANGE_CHANGED
    for new, old in ((row["note"], row["old_note"]), (row["evidence"], row["old_evidence"])):
        if text_or_none(new) is not None and text_or_none(new) != text_or_none(old):
            return CHANGE_CHANGED
    return CHANGE_UNCHANGED


def diff_tasks(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """The task updates of a file beside the update in force for the same task and period."""
    if rows.empty:
        return pd.DataFrame(columns=TASK_DIFF_COLUMNS)
    con.register("_incoming_tasks", task_frame(rows))
    try:
        table = con.execute(_TASK_DIFF_SQL).df()
    finally:
        con.unregister("_incoming_tasks")
    table["change"] = [_classify_task(r) for r in table.to_dict("records")]
    return table


_VALUE_STATE = (
    "indicator_id",
    "has_old",
    "old_value",
    "old_value_text",
    "old_note",
    "old_evidence",
    "change",
)
_TASK_STATE = ("task_id", "has_old", "old_status", "old_completed_on", "old_evidence", "old_note", "change")


def stored_fingerprint(table: pd.DataFrame, tasks: pd.DataFrame, actions: pd.DataFrame | None = None) -> str:
    """A hash of what is in force for every value and task update of a file, and of how each compares.

    Two secretaries previewing at once both see “Mới”; the first commit changes what is stored, so the
    second one's fingerprint no longer matches and its commit is refused instead of silently replacing."""
    digest = hashlib.sha256()
    frames = [(table, _VALUE_STATE), (tasks, _TASK_STATE)]
    if actions is not None and len(actions):  # a file without actions keeps the fingerprint it always had
        frames.append((actions, action_updates.STATE_COLUMNS))
    for frame, columns in frames:
        present = [c for c in columns if c in frame.columns]
        if present:  # one repr of every row at once, missing values as None (not per cell: 10 000 rows)
            ordered = frame[present].sort_values(present[0])
            values = [_plain(ordered[c]) for c in present]
            digest.update(repr(list(zip(*values, strict=True))).encode())
        digest.update(b"|")
    return digest.hexdigest()


def _plain(column: pd.Series) -> list:
    """A column as Python values, None for NULL, NaN, NaT alike."""
    values = column.astype(object)
    return values.where(column.notna(), None).tolist()


def _status_available(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return con.execute(_HAS_STATUS_SQL).fetchall()[0][0] > 0
    except duckdb.Error:
        return False


def _status_labels(frame: pd.DataFrame) -> dict[str, dict[str, str]]:
    """{indicator_id: {horizon label: status label}} from target_status rows (plans that differ: 'A / B')."""
    out: dict[str, dict[str, str]] = {}
    columns = (frame[c].astype(object).tolist() for c in ("indicator_id", "horizon", "status"))
    for indicator_id, raw_horizon, status in zip(*columns, strict=True):
        horizon = quarter_label_vi(raw_horizon) if is_period(raw_horizon) else str(raw_horizon)
        style = STATUS_STYLES.get(status)
        label = style.label if style else str(status)
        per = out.setdefault(indicator_id, {})
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
    with WRITE_LOCK:
        # _STATUS_SQL reads only the ids: the other columns were converted for DuckDB and never read.
        con.register("_incoming", as_db_frame(all_rows[["indicator_id"]]))
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                before = _status_labels(con.execute(_STATUS_SQL, [period]).df())
                stamp = next_timestamp(con, None)
                con.register("_changes", as_db_frame(changes))
                con.execute(
                    INSERT_UPLOAD_SQL,
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


def preview(
    con: duckdb.DuckDBPyConnection, parsed: ParsedUpload, with_status: bool = True, reporter=None
) -> Preview:
    """Compare a checked file with the values in force; statuses too when the status engine is there."""
    empty = pd.DataFrame(columns=["indicator_id", "period", "change"])
    parsed = check_upload(con, parsed, reporter)  # a locked period, another agency's items (review_checks)
    if not parsed.ok:
        return Preview(parsed, empty, reporter=reporter)
    table = diff_values(con, parsed.rows) if len(parsed.rows) else empty
    tasks = diff_tasks(con, parsed.tasks)
    actions = action_updates.diff_actions(con, parsed.actions)
    result = Preview(
        parsed,
        table,
        duplicate=duplicate_of(con, parsed.sha256),
        tasks=tasks,
        fingerprint=stored_fingerprint(table, tasks, actions),
        reporter=reporter,
        actions=actions,
    )
    result.narratives = narratives.changed(con, parsed.narratives)
    if with_status and len(table) and _status_available(con):
        changes = table[table["change"] != CHANGE_UNCHANGED][
            ["indicator_id", "period", "value", "value_text", "note", "evidence"]
        ]
        try:
            before, after = _statuses(con, changes, table, parsed.period)
        except duckdb.Error:
            return result  # an engine that fails is treated as absent: the preview still stands
        table["status"] = [status_change_words(before.get(i), after.get(i)) for i in table["indicator_id"]]
        narrative_preview.flag(con, table, parsed.narratives, parsed.period)
        result.status_available = True
    return result


def validate_and_preview(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    today: date | None = None,
    with_status: bool = True,
    progress: Progress | None = None,
    reporter=None,
) -> Preview:
    """Read, check and preview a workbook given as bytes: the page, the CLI and the benchmark call this."""
    report = progress or (lambda fraction, text: None)
    parsed = read_actuals(data, file_name, con, today=today, progress=lambda f, text: report(0.8 * f, text))
    if parsed.ok:
        report(0.85, "Đang so sánh với số liệu hiện có…")
    result = preview(con, parsed, with_status=with_status, reporter=reporter)
    report(1.0, "Đã xong bản xem trước.")
    return result
