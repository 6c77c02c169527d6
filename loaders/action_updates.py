"""Corrective-action updates of an upload (sheet “Giải pháp khắc phục”): compared, scoped, written.

As task updates are: each row of the file is set beside the update in force for the same action and
period (new, changed, unchanged); a commit appends only the new and changed ones to
corrective_action_updates, with the upload's id, who, when and source 'upload', inside the commit's
transaction (upload_commit.py). The same file twice writes nothing.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from loaders.excel.action_rows import action_code
from loaders.excel.contract import SHEET_ACTIONS
from loaders.excel.parsed import Issue
from loaders.upload_store import (
    CHANGE_CHANGED,
    CHANGE_NEW,
    CHANGE_UNCHANGED,
    as_day,
    task_frame,
    text_or_none,
)
from metrics.narratives import action_status
from metrics.tasks import TIMING

DIFF_COLUMNS = ["action_id", "period", "status", "completed_on", "note", "change"]
STATE_COLUMNS = ("action_id", "has_old", "old_status", "old_completed_on", "old_note", "change")

_DIFF_SQL = """
SELECT n.action_id, n.period, n.status, CAST(n.completed_on AS DATE) AS completed_on, n.note, n.excel_row,
       a.title, a.indicator_id, a.owner_agency_name, a.due_date, a.period AS decided_period,
       u.action_id IS NOT NULL AS has_old,
       u.status AS old_status, u.completed_on AS old_completed_on, u.note AS old_note
FROM _incoming_actions n
JOIN v_corrective_actions a ON a.action_id = n.action_id
LEFT JOIN v_corrective_action_updates u ON u.action_id = n.action_id AND u.period = n.period
ORDER BY n.excel_row
"""
_INSERT_SQL = """
INSERT INTO corrective_action_updates
SELECT nextval('action_update_seq'), action_id, period, status, CAST(completed_on AS DATE), note, ?, ?, ?, 'upload'
FROM _action_changes
"""
_OWNERS_SQL = """
SELECT a.action_id, va.current_agency_id, va.current_agency_name
FROM corrective_actions a LEFT JOIN v_agencies va ON va.agency_id = a.owner_agency_id
"""


def _classify(row: dict) -> str:
    """The task rule: a new status or date is a change; a note given that differs is one too."""
    if not row["has_old"]:
        return CHANGE_NEW
    if row["status"] != row["old_status"] or as_day(row["completed_on"]) != as_day(row["old_completed_on"]):
        return CHANGE_CHANGED
    if text_or_none(row["note"]) is not None and text_or_none(row["note"]) != text_or_none(row["old_note"]):
        return CHANGE_CHANGED
    return CHANGE_UNCHANGED


def diff_actions(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """The action updates of a file beside the update in force for the same action and period."""
    if rows.empty:
        return pd.DataFrame(columns=DIFF_COLUMNS)
    con.register("_incoming_actions", task_frame(rows))
    try:
        table = con.execute(_DIFF_SQL).df()
    finally:
        con.unregister("_incoming_actions")
    table["change"] = [_classify(r) for r in table.to_dict("records")]
    table["timing"] = _timing_after(con, table)
    return table


_STORED_SQL = "SELECT * FROM v_corrective_action_updates WHERE list_contains(CAST(? AS BIGINT[]), action_id)"


def _timing_after(con: duckdb.DuckDBPyConnection, table: pd.DataFrame) -> list[str]:
    """Each action's timing once the file is written ('Hoàn thành chậm', 'Quá hạn / chậm tiến độ'), by the
    task rules of metrics.narratives.action_status, as of the file's period."""
    ids = [int(a) for a in table["action_id"]]
    stored = con.execute(_STORED_SQL, [ids]).df()
    incoming = table[["action_id", "period", "status", "completed_on", "note"]].copy()
    incoming["completed_on"] = pd.to_datetime(incoming["completed_on"])
    if len(stored):
        keys = set(zip(incoming["action_id"], incoming["period"], strict=True))
        kept = [(a, p) not in keys for a, p in zip(stored["action_id"], stored["period"], strict=True)]
        stored = stored.loc[kept, ["action_id", "period", "status", "completed_on", "note"]]
        incoming = pd.concat([stored, incoming], ignore_index=True)
    incoming["recorded_by"] = None
    incoming["recorded_at"] = pd.Timestamp(0)  # one row per action and period: the order is moot
    actions = table[["action_id", "decided_period", "due_date", "indicator_id", "title"]].rename(
        columns={"decided_period": "period"}
    )
    actions["owner_agency_id"] = None
    status = action_status(actions, incoming, table["period"].iloc[0])
    timing = dict(zip(status["action_id"], status["timing"], strict=True))
    return [TIMING[timing[a]].label if a in timing else "" for a in table["action_id"]]


def changes(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a commit writes: new and changed."""
    if table.empty:
        return table
    return table[table["change"] != CHANGE_UNCHANGED].copy()


def insert(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, upload_id: int, by: str, stamp) -> int:
    """Append the updates of an upload; the caller holds the transaction."""
    if rows.empty:
        return 0
    con.register(
        "_action_changes", task_frame(rows[["action_id", "period", "status", "completed_on", "note"]])
    )
    try:
        con.execute(_INSERT_SQL, [by, stamp, int(upload_id)])
    finally:
        con.unregister("_action_changes")
    return len(rows)


def scope_issues(
    con: duckdb.DuckDBPyConnection, actions: pd.DataFrame, own_id: str, own_name: str, reporter
) -> list[Issue]:
    """One error per action of the file that the reporter's agency does not carry out, naming who does."""
    if actions.empty:
        return []
    owners = {r[0]: (r[1], r[2]) for r in con.execute(_OWNERS_SQL).fetchall()}
    issues = []
    for row in actions.to_dict("records"):
        owner_id, owner_name = owners.get(int(row["action_id"]), (None, "không cơ quan nào"))
        if owner_id != own_id:
            issues.append(
                Issue(
                    f"Giải pháp {action_code(row['action_id'])} do {owner_name} thực hiện, không phải {own_name}: "
                    f"tài khoản {reporter.label} không được cập nhật giải pháp của cơ quan khác.",
                    sheet=SHEET_ACTIONS,
                    row=int(row["excel_row"]),
                    column="Mã giải pháp",
                )
            )
    return issues


def count(table: pd.DataFrame, change: str) -> int:
    return int((table["change"] == change).sum()) if len(table) else 0


def summary(table: pd.DataFrame, n_blank: int) -> str:
    """' Giải pháp khắc phục: 1 cập nhật mới, 0 thay đổi, 2 không đổi, 3 để trống.' ('' without rows)."""
    if table.empty:
        return ""
    return (
        f" Giải pháp khắc phục: {count(table, CHANGE_NEW)} cập nhật mới, {count(table, CHANGE_CHANGED)} thay "
        f"đổi, {count(table, CHANGE_UNCHANGED)} không đổi, {n_blank} giải pháp để trống."
    )


def words(n: int) -> str:
    """', 2 cập nhật giải pháp khắc phục' for a commit message; '' for none."""
    return f", {n} cập nhật giải pháp khắc phục" if n else ""
