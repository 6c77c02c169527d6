"""Narratives and corrective actions in the database: append-only writes, the texts in force, histories.

A text is written only when it differs from the one in force for its subject, period and field, so the
same file twice adds nothing; a new text never replaces a row, it is a new row (v_narrative_history).
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd

from loaders.text_clean import clean_text
from loaders.upload_store import WRITE_LOCK
from metrics import clock
from metrics.narratives import AGENCY, AGENCY_FIELDS, INDICATOR, INDICATOR_FIELDS
from metrics.periods import is_period
from metrics.tasks import REPORTED

MAX_TEXT = 2000
NARRATIVE_COLUMNS = ["subject_kind", "subject_id", "period", "field", "text"]

_LATEST_SQL = """
SELECT n.subject_kind, n.subject_id, n.period, n.field, n.text
FROM _incoming_narratives n
LEFT JOIN v_narratives_latest l USING (subject_kind, subject_id, period, field)
WHERE l.text IS NULL OR l.text <> n.text
"""
_INSERT_SQL = """
INSERT INTO narratives
SELECT nextval('narrative_seq'), subject_kind, subject_id, period, field, text, ?, ?, ?, ?
FROM _new_narratives
"""
_HISTORY_SQL = """
SELECT period, field, text, recorded_by, recorded_at, source, reverted
FROM v_narrative_history WHERE subject_kind = ? AND subject_id = ?
ORDER BY recorded_at DESC, narrative_id DESC
"""
_LATEST_OF_SQL = """
SELECT subject_id, period, field, text, recorded_by, recorded_at, source
FROM v_narratives_latest WHERE subject_kind = ?
ORDER BY subject_id, period, field
"""


class NarrativeError(ValueError):
    """A text that cannot be stored; the message is Vietnamese, for people."""


def empty_narratives() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in NARRATIVE_COLUMNS})


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file has the narrative tables (a database built before schema 5 has not)."""
    sql = "SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_narratives_latest'"
    return con.execute(sql).fetchall()[0][0] > 0


def changed(con: duckdb.DuckDBPyConnection, incoming: pd.DataFrame) -> pd.DataFrame:
    """The incoming texts that differ from the one in force (or have none): what a commit would write."""
    if incoming.empty or not has_tables(con):
        return empty_narratives()
    con.register("_incoming_narratives", incoming[NARRATIVE_COLUMNS].astype(object))
    try:
        return con.execute(_LATEST_SQL).df()
    finally:
        con.unregister("_incoming_narratives")


def insert(
    con: duckdb.DuckDBPyConnection,
    rows: pd.DataFrame,
    by: str,
    stamp: datetime,
    upload_id: int | None,
    source: str,
) -> int:
    """Append rows (subject_kind, subject_id, period, field, text); the caller holds the transaction."""
    if rows.empty:
        return 0
    con.register("_new_narratives", rows[NARRATIVE_COLUMNS].astype(object))
    try:
        con.execute(_INSERT_SQL, [by, stamp, upload_id, source])
    finally:
        con.unregister("_new_narratives")
    return len(rows)


def clean_entry(text: object) -> str:
    """A text typed on a page or read from a cell, cleaned; NarrativeError when empty or too long."""
    cleaned = str(clean_text(str(text or ""))).strip()
    if not cleaned:
        raise NarrativeError("Nội dung trống: hãy nhập nội dung trước khi ghi.")
    if len(cleaned) > MAX_TEXT:
        raise NarrativeError(f"Nội dung dài {len(cleaned)} ký tự, vượt giới hạn {MAX_TEXT}.")
    return cleaned


def record(
    con: duckdb.DuckDBPyConnection,
    subject_kind: str,
    subject_id: str,
    period: str,
    texts: dict[str, str],
    by: str,
    now: datetime | None = None,
) -> int:
    """Texts typed on a page for one subject and period, in one transaction; returns how many were new."""
    fields = (
        INDICATOR_FIELDS if subject_kind == INDICATOR else AGENCY_FIELDS if subject_kind == AGENCY else {}
    )
    if not fields:
        raise NarrativeError(f"Loại đối tượng không hợp lệ: {subject_kind!r}.")
    if not is_period(period):
        raise NarrativeError(f"Kỳ báo cáo '{period}' không hợp lệ.")
    rows = []
    for field, text in texts.items():
        if field not in fields:
            raise NarrativeError(f"Trường không hợp lệ: {field!r}.")
        if str(text or "").strip():
            rows.append((subject_kind, subject_id, period, field, clean_entry(text)))
    if not rows:
        raise NarrativeError("Chưa nhập nội dung nào.")
    if not by or not str(by).strip():
        raise NarrativeError("Cần tên người ghi.")
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            new = changed(con, pd.DataFrame(rows, columns=NARRATIVE_COLUMNS))
            n = insert(con, new, str(by), now or clock.now(), None, "page")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return n


def history(con: duckdb.DuckDBPyConnection, subject_kind: str, subject_id: str) -> pd.DataFrame:
    """Every text of a subject, newest first (empty on a database without the tables)."""
    if not has_tables(con):
        return pd.DataFrame(
            columns=["period", "field", "text", "recorded_by", "recorded_at", "source", "reverted"]
        )
    return con.execute(_HISTORY_SQL, [subject_kind, subject_id]).df()


def latest(con: duckdb.DuckDBPyConnection, subject_kind: str) -> pd.DataFrame:
    """The texts in force of every subject of a kind, per period and field."""
    if not has_tables(con):
        return pd.DataFrame(
            columns=["subject_id", "period", "field", "text", "recorded_by", "recorded_at", "source"]
        )
    return con.execute(_LATEST_OF_SQL, [subject_kind]).df()


def red_without_narrative(con: duckdb.DuckDBPyConnection, period: str) -> pd.DataFrame:
    """Targets red as of the period whose indicator lacks an assessment or a cause for it."""
    if not has_tables(con):
        return pd.DataFrame(
            columns=["indicator_id", "target_id", "status", "missing_assessment", "missing_causes"]
        )
    return con.execute("SELECT * FROM red_without_narrative(?) ORDER BY indicator_id", [period]).df()


def red_without_action(con: duckdb.DuckDBPyConnection, period: str) -> pd.DataFrame:
    """Targets red as of the period with no corrective action decided up to it, with the indicator's name."""
    if not has_tables(con):
        return pd.DataFrame(columns=["indicator_id", "target_id", "status", "indicator_name"])
    sql = """SELECT r.*, i.name AS indicator_name FROM red_without_action(?) r
             JOIN indicators i USING (indicator_id) ORDER BY r.indicator_id, r.target_id"""
    return con.execute(sql, [period]).df()


# ---------------------------------------------------------------- corrective actions


def add_action(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    period: str,
    title: str,
    owner_agency_id: str,
    due_date: date | None,
    by: str,
    now: datetime | None = None,
) -> int:
    """A new corrective action (with its first update 'Chưa triển khai'); returns its id."""
    title = clean_entry(title)
    if not is_period(period):
        raise NarrativeError(f"Kỳ báo cáo '{period}' không hợp lệ.")
    known = con.execute("SELECT count(*) FROM agencies WHERE agency_id = ?", [owner_agency_id]).fetchall()[0][
        0
    ]
    if not known:
        raise NarrativeError(f"Không có cơ quan mã '{owner_agency_id}' trong danh mục.")
    stamp = now or clock.now()
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            action_id = con.execute("SELECT nextval('action_seq')").fetchall()[0][0]
            con.execute(
                "INSERT INTO corrective_actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'page')",
                [action_id, indicator_id, period, title, owner_agency_id, due_date, by, stamp],
            )
            con.execute(
                "INSERT INTO corrective_action_updates VALUES "
                "(nextval('action_update_seq'), ?, ?, 'not_started', NULL, NULL, ?, ?, NULL, 'page')",
                [action_id, period, by, stamp],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return int(action_id)


def update_action(
    con: duckdb.DuckDBPyConnection,
    action_id: int,
    period: str,
    status: str,
    by: str,
    completed_on: date | None = None,
    note: str | None = None,
    now: datetime | None = None,
) -> None:
    """A status update of an action for a period (appended: the latest of the period is in force)."""
    if status not in REPORTED:
        raise NarrativeError(f"Trạng thái không hợp lệ: {status!r}.")
    if status in ("done", "done_late") and completed_on is None:
        raise NarrativeError(f"Trạng thái “{REPORTED[status]}” cần ngày hoàn thành.")
    note = clean_entry(note) if note and str(note).strip() else None
    with WRITE_LOCK:
        con.execute(
            "INSERT INTO corrective_action_updates VALUES "
            "(nextval('action_update_seq'), ?, ?, ?, ?, ?, ?, ?, NULL, 'page')",
            [action_id, period, status, completed_on, note, by, now or clock.now()],
        )


def actions_of(
    con: duckdb.DuckDBPyConnection, indicator_id: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(v_corrective_actions rows, v_corrective_action_updates rows), for one indicator if given."""
    if not has_tables(con):
        return pd.DataFrame(), pd.DataFrame()
    where = "" if indicator_id is None else " WHERE indicator_id = ?"
    params = [] if indicator_id is None else [indicator_id]
    actions = con.execute(f"SELECT * FROM v_corrective_actions{where} ORDER BY action_id", params).df()
    updates = con.execute(
        "SELECT * FROM v_corrective_action_updates WHERE action_id IN (SELECT action_id FROM v_corrective_actions"
        f"{where})",
        params,
    ).df()
    return actions, updates


def words(n: int) -> str:
    """', 3 nội dung đánh giá, kiến nghị' for a commit message; '' for none."""
    return f", {n} nội dung đánh giá, kiến nghị" if n else ""
