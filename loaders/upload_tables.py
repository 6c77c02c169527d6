"""The upload page's tables as people read them: errors, previews, history; Vietnamese, plain text.

Frames only (no Streamlit here): the page shows them with its widgets, the command line prints them.
"""

from __future__ import annotations

import math

import pandas as pd

from loaders.excel.action_rows import action_code
from loaders.excel.cells import is_missing
from loaders.excel.parsed import Issue
from loaders.upload_history import HISTORY_COLUMNS
from loaders.upload_preview import Preview
from loaders.upload_store import (
    CHANGE_CHANGED,
    CHANGE_LABELS,
    CHANGE_NEW,
    CHANGE_UNCHANGED,
    KIND_LABELS,
    as_day,
    text_or_none,
)
from metrics.periods import quarter_label_vi
from metrics.status_labels import format_quantity
from metrics.tasks import STATUS_LABELS as TASK_STATUS_LABELS

# The preview's columns, most telling first: at 1280 px the new value and the status after must show
# without scrolling sideways; names, notes and evidence come after (pages/upload.py caps their widths).
PREVIEW_COLUMNS = (
    "Thay đổi",
    "Mã chỉ tiêu",
    "Giá trị mới",
    "Giá trị cũ",
    "Trạng thái sau khi ghi",
    "Tên chỉ tiêu",
    "Kỳ",
    "Ghi chú",
    "Nguồn/minh chứng",
)
STATUS_ONLY_COLUMNS = ("Trạng thái sau khi ghi", "Cảnh báo")  # shown where the status engine ran


def decimals_entered(value: float) -> int:
    """How many decimals a number needs to be shown exactly as entered (0,45 → 2; 80 → 0), at most 9."""
    for digits in range(10):
        if math.isclose(round(value, digits), value, rel_tol=0, abs_tol=1e-12):
            return digits
    return 9


def precise_actual(value: object, value_text: object, unit: str) -> str:
    """An actual with the precision it was entered with: '0,45%' stays '0,45%', never rounded to '0,5%'."""
    if not is_missing(value_text) and str(value_text).strip():
        return str(value_text)
    if is_missing(value):
        return ""
    return format_quantity(float(value), unit or "", decimals=decimals_entered(float(value)))


def upload_labels(history: pd.DataFrame) -> dict[int, str]:
    """{upload_id: '#3 · Tải lên · f.xlsx · thuy · 23/11/2026 14:56 · 5 giá trị'}, plain text to show escaped."""
    out = {}
    for r in history.to_dict("records"):
        at = r["uploaded_at"].strftime("%d/%m/%Y %H:%M") if not is_missing(r["uploaded_at"]) else ""
        out[int(r["upload_id"])] = (
            f"#{int(r['upload_id'])} · {KIND_LABELS.get(r['kind'], r['kind'])} · "
            f"{r['file_name']} · {r['uploaded_by']} · {at} · {int(r['n_revisions'])} giá trị"
        )
    return out


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


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column as plain Python values (missing as NaN or None), without to_dict("records") per row."""
    return frame[name].astype(object).tolist() if name in frame.columns else [None] * len(frame)


def _labels(periods: list) -> list[str]:
    """quarter_label_vi of each period, worked out once per distinct period (a file has one)."""
    known = {p: quarter_label_vi(p) for p in set(periods)}
    return [known[p] for p in periods]


_CHANGE_ORDER = {
    CHANGE_LABELS[CHANGE_CHANGED]: 0,
    CHANGE_LABELS[CHANGE_NEW]: 1,
    CHANGE_LABELS[CHANGE_UNCHANGED]: 2,
}


def _changed_first(frame: pd.DataFrame) -> pd.DataFrame:
    """Changed rows first, then new, then unchanged: what a reviewer must look at comes first."""
    return frame.sort_values("Thay đổi", key=lambda s: s.map(_CHANGE_ORDER), kind="stable").reset_index(
        drop=True
    )


def _old_status(r: dict) -> str:
    """The status in force before the file, with its completion date: '' when there was none."""
    if not r["has_old"]:
        return ""
    old = TASK_STATUS_LABELS.get(r["old_status"], str(r["old_status"]))
    if as_day(r["old_completed_on"]):
        old += f" ({as_day(r['old_completed_on']):%d/%m/%Y})"
    return old


def preview_display(result: Preview) -> pd.DataFrame:
    """The preview as people read them: 'Giá trị cũ' → 'Giá trị mới', numbers with a decimal comma."""
    table = result.table
    units = _column(table, "unit")
    has_old = _column(table, "has_old")
    data = {
        "Mã chỉ tiêu": _column(table, "indicator_id"),
        "Tên chỉ tiêu": _column(table, "indicator_name"),
        "Kỳ": _labels(_column(table, "period")),
        "Thay đổi": [CHANGE_LABELS[c] for c in _column(table, "change")],
        "Giá trị cũ": [
            precise_actual(v, t, u) if old else ""
            for v, t, u, old in zip(
                _column(table, "old_value"), _column(table, "old_value_text"), units, has_old, strict=True
            )
        ],
        "Giá trị mới": [
            precise_actual(v, t, u)
            for v, t, u in zip(_column(table, "value"), _column(table, "value_text"), units, strict=True)
        ],
        "Ghi chú": [text_or_none(n) or "" for n in _column(table, "note")],
        "Nguồn/minh chứng": [text_or_none(e) or "" for e in _column(table, "evidence")],
    }
    if result.status_available:
        data["Trạng thái sau khi ghi"] = _column(table, "status")
        data["Cảnh báo"] = [w or "" for w in _column(table, "warning")]  # a red value without an assessment
    columns = [
        c for c in (*PREVIEW_COLUMNS, "Cảnh báo") if result.status_available or c not in STATUS_ONLY_COLUMNS
    ]
    frame = pd.DataFrame(data, columns=columns)
    return _changed_first(frame)


def history_display(history: pd.DataFrame) -> pd.DataFrame:
    frame = history[list(HISTORY_COLUMNS)].drop(columns=["sha256"]).copy()
    frame["kind"] = frame["kind"].map(lambda k: KIND_LABELS.get(k, k))
    frame["uploaded_at"] = frame["uploaded_at"].map(
        lambda t: t.strftime("%d/%m/%Y %H:%M") if not is_missing(t) else ""
    )
    frame["periods"] = frame["periods"].map(
        lambda p: "" if is_missing(p) else ", ".join(quarter_label_vi(x) for x in str(p).split(", "))
    )
    for column in ("upload_id", "reverts_upload_id", "reverted_by_upload_id", "n_revisions"):
        frame[column] = frame[column].map(lambda x: "" if is_missing(x) else f"{int(x)}")
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
        old = _old_status(r)
        done_on = as_day(r["completed_on"])
        rows.append(
            {
                "Mã nhiệm vụ": r["task_id"],
                "Nhiệm vụ": r["title"],
                "Kỳ": quarter_label_vi(r["period"]),
                "Thay đổi": CHANGE_LABELS[r["change"]],
                "Trạng thái cũ": old,
                "Trạng thái mới": TASK_STATUS_LABELS.get(r["status"], str(r["status"])),
                "Ngày hoàn thành": f"{done_on:%d/%m/%Y}" if done_on else "",
                "Minh chứng": text_or_none(r["evidence"]) or "",
                "Ghi chú": text_or_none(r["note"]) or "",
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return _changed_first(frame)


def action_preview_display(result: Preview) -> pd.DataFrame:
    """The corrective-action updates of a file: status before → after, and its timing once written."""
    columns = [
        "Mã giải pháp",
        "Giải pháp",
        "Mã chỉ tiêu",
        "Kỳ",
        "Thay đổi",
        "Trạng thái cũ",
        "Trạng thái mới",
        "Ngày hoàn thành",
        "Hạn hoàn thành",
        "Tiến độ sau khi ghi",
        "Ghi chú",
    ]
    rows = []
    for r in result.actions.to_dict("records"):
        old = _old_status(r)
        done_on, due = as_day(r["completed_on"]), as_day(r["due_date"])
        rows.append(
            {
                "Mã giải pháp": action_code(r["action_id"]),
                "Giải pháp": r["title"],
                "Mã chỉ tiêu": r["indicator_id"],
                "Kỳ": quarter_label_vi(r["period"]),
                "Thay đổi": CHANGE_LABELS[r["change"]],
                "Trạng thái cũ": old,
                "Trạng thái mới": TASK_STATUS_LABELS.get(r["status"], str(r["status"])),
                "Ngày hoàn thành": f"{done_on:%d/%m/%Y}" if done_on else "",
                "Hạn hoàn thành": f"{due:%d/%m/%Y}" if due else "Không ghi thời hạn",
                "Tiến độ sau khi ghi": r["timing"],
                "Ghi chú": text_or_none(r["note"]) or "",
            }
        )
    frame = pd.DataFrame(rows, columns=columns)
    return _changed_first(frame)
