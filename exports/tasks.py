"""Tasks for the pack and the report: their status where task tracking exists, else their deadlines.

Task tracking (issue 6, docs/tasks.md) gives each task a reported status and a timing as of a period
(`metrics.tasks.task_status` over `v_task_updates`). On a tree or a database without it, every task is
described by its deadline only, and the pack lists the tasks due by the end of the period (and those
the plan itself marks late) instead of the late ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from charts.vn import fmt_date, fmt_number
from exports import labels
from loaders import export_reads, read
from metrics import tasks as task_metrics
from metrics.periods import parse_period, quarter_label_vi

PLAN_SAYS_LATE = "chậm tiến độ"  # 6896/KH-UBND marks two tasks "Nhiệm vụ chậm tiến độ"
NO_STATUS = "Chưa có số liệu tình trạng"
NOT_ISSUED = "Kế hoạch ban hành sau kỳ báo cáo"
DEADLINE_LABELS = {
    "due": "Đã đến hạn",
    "ahead": "Chưa đến hạn",
    "recurring": "Thường xuyên",
    "waiting": "Chờ hướng dẫn, điều kiện",
    "unknown": "Không ghi thời hạn",
}


@dataclass(frozen=True)
class TaskList:
    title: str
    note: str | None
    rows: pd.DataFrame  # task_table rows
    has_status: bool


def period_end(period: str) -> date:
    year, quarter = parse_period(period)
    return (pd.Timestamp(year=year, month=3 * quarter, day=1) + pd.offsets.MonthEnd(0)).date()


def _deadline_state(kind: str | None, due, end: date) -> str:
    if kind == "date" and due is not None and not pd.isna(due):
        return "due" if pd.Timestamp(due).date() <= end else "ahead"
    return kind if kind in ("recurring", "waiting") else "unknown"


def deadline_text(row) -> str:
    """The deadline as printed, with the derived date where one exists."""
    text = row["deadline_text"] if isinstance(row["deadline_text"], str) else ""
    due = row["due_date"]
    if due is not None and not pd.isna(due):
        derived = fmt_date(pd.Timestamp(due).date())
        return f"{text} (hạn {derived})" if text else f"hạn {derived}"
    return text or "–"


def layer_available(con: duckdb.DuckDBPyConnection) -> bool:
    """The database has the task views (a database built before task tracking has not)."""
    return export_reads.view_exists(con, "v_task_updates")


def _layer(con: duckdb.DuckDBPyConnection, period: str, today: date | None) -> pd.DataFrame:
    status = task_metrics.task_status(read.task_catalog(con), read.task_updates(con), period, today)
    out = status[["task_id", "status", "timing", "late", "evidence", "update_period", "days_late"]].copy()
    out["status_label"] = out["status"].map(task_metrics.STATUS_LABELS)
    out["timing_label"] = out["timing"].map(lambda t: task_metrics.TIMING[t].label)
    return out


def task_table(
    con: duckdb.DuckDBPyConnection, period: str, agency: str | None = None, today: date | None = None
) -> pd.DataFrame:
    """v_tasks (led by `agency` when given) with `status_label` (as reported), `timing_label` (done, late,
    not due …), `evidence`, `is_late`, `days_late`; attrs['has_status'] says whether tracking exists."""
    tasks = read.tasks(con, None, agency)
    end = period_end(period)
    tasks["deadline_state"] = [
        _deadline_state(k, d, end) for k, d in zip(tasks["deadline_kind"], tasks["due_date"], strict=True)
    ]
    tasks["plan_says_late"] = tasks["note"].fillna("").str.lower().str.contains(PLAN_SAYS_LATE)
    if not layer_available(con):
        tasks["status_label"] = NO_STATUS
        tasks["timing_label"] = tasks["deadline_state"].map(DEADLINE_LABELS)
        tasks["evidence"] = None
        tasks["is_late"] = False
        tasks["days_late"] = None
        tasks.attrs["has_status"] = False
        return tasks
    out = tasks.merge(_layer(con, period, today), on="task_id", how="left", validate="one_to_one")
    issued = out["timing"].notna()  # a plan issued after the period has no task as of it
    out["status_label"] = out["status_label"].where(issued, NOT_ISSUED)
    out["timing_label"] = out["timing_label"].where(issued, "–")
    out["is_late"] = out["late"].astype("boolean").fillna(False).astype(bool)
    out.attrs["has_status"] = True
    return out


def state_text(row) -> str:
    """'Chưa cập nhật · quá hạn 287 ngày', 'Đã đến hạn · kế hoạch ghi: nhiệm vụ chậm tiến độ'."""
    if row["status_label"] in (NO_STATUS, NOT_ISSUED):
        text = row["timing_label"] if row["status_label"] == NO_STATUS else row["status_label"]
    else:
        text = row["status_label"]
    days = row.get("days_late")
    if row.get("is_late") and days is not None and not pd.isna(days):
        text += f" · quá hạn {fmt_number(int(days), 0)} ngày"
    if row.get("plan_says_late"):
        text += " · kế hoạch ghi: nhiệm vụ chậm tiến độ"
    return text


def late_tasks(
    con: duckdb.DuckDBPyConnection, period: str, agency: str | None = None, today: date | None = None
) -> TaskList:
    """The late tasks; without tracking, the tasks due by the end of the period and those the plan marks late."""
    table = task_table(con, period, agency, today)
    if table.attrs.get("has_status"):
        late = table[table["is_late"]].sort_values(["due_date", "plan_id", "task_id"], na_position="first")
        return TaskList(labels.LATE_TITLE, None, late.reset_index(drop=True), True)
    due = table[(table["deadline_state"] == "due") | table["plan_says_late"]]
    due = due.sort_values(["due_date", "plan_id", "task_id"], na_position="first").reset_index(drop=True)
    return TaskList(labels.DUE_TITLE.format(period=quarter_label_vi(period)), labels.DUE_NOTE, due, False)
