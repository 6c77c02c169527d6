"""The row check of the sheet “Nhiệm vụ”: one task's status for the period, its completion date and evidence.

The status and date rules are also those of the sheet of corrective actions (action_rows.py).
"""

from __future__ import annotations

from datetime import date, datetime

from loaders.excel.cells import is_blank, parse_date_text, parse_task_status
from loaders.excel.contract import TASK_STATUS_CHOICES
from loaders.excel.rows import UNFINISHED_FORMULA, ErrorSink, FileState, Row, check_row_period, checked_text
from metrics.periods import quarter_label_vi
from metrics.tasks import DONE_STATUSES, REPORTED, RESOLUTION_DATE, period_end

TASKS_SQL = "SELECT task_id, title FROM tasks"  # the catalog a task row's key is checked against
ROW_FIELDS = ("task_id", "status", "completed_on", "evidence", "note", "excel_row")
_UNFINISHED_EXPECTED = "mở tệp bằng Excel để Excel tính, lưu lại rồi tải lên; hoặc gõ trực tiếp"


def check_row(state: FileState, row: Row) -> tuple | None:
    """(task_id, status, completed_on, evidence, note, excel_row) of a row with an update; None otherwise."""
    if not row.has_content:
        state.parsed.n_task_blank += 1
        return None
    checked = checked_update(state, row)
    if checked is not None and row.entry is not None:
        return (row.code, *checked, row.excel_row)
    return None


def checked_update(state: FileState, row: Row) -> tuple | None:
    """(status, completed_on, evidence, note) of a status row (a task's, a corrective action's); None when
    the status is missing or wrong, after reporting it. Evidence is read, and required for a done status,
    only where the sheet has the column (the sheet of corrective actions has none)."""
    check_row_period(state, row)
    err, raw, formulas = row.err, row.cells, row.formulas
    for f in formulas:
        err(UNFINISHED_FORMULA, f, expected=_UNFINISHED_EXPECTED)
    choices = ", ".join(TASK_STATUS_CHOICES)
    note = checked_text(raw["note"], "note", err)
    has_evidence = "evidence" in row.sheet.header_of
    evidence = checked_text(raw["evidence"], "evidence", err) if has_evidence else None
    status = None
    if is_blank(raw["status"]):
        err(
            "Dòng có ngày, minh chứng hoặc ghi chú nhưng chưa chọn trạng thái."
            if has_evidence
            else "Dòng có ngày hoặc ghi chú nhưng chưa chọn trạng thái.",
            "status",
            expected=f"một trong: {choices}",
        )
    else:
        status = parse_task_status(raw["status"])
        if status is None:
            err(
                "Trạng thái không hợp lệ.",
                "status",
                found=raw["status"],
                expected=f"một trong: {choices}",
            )
    completed_on = None
    if status is None or status in DONE_STATUSES:
        completed_on = checked_task_date(raw["completed_on"], state.file_period, state.today, err)
    if status in DONE_STATUSES:
        label = REPORTED[status]
        if is_blank(raw["completed_on"]) and "completed_on" not in formulas:
            err(
                f"Trạng thái “{label}” cần ngày hoàn thành.",
                "completed_on",
                expected="ngày hoàn thành dạng ngày/tháng/năm, ví dụ 15/11/2025",
            )
        if has_evidence and evidence is None and is_blank(raw["evidence"]) and "evidence" not in formulas:
            err(
                f"Trạng thái “{label}” cần minh chứng.",
                "evidence",
                expected="số, ngày văn bản hoặc đường dẫn chứng minh đã hoàn thành",
            )
    elif status is not None and not is_blank(raw["completed_on"]):
        err(
            f"Có ngày hoàn thành nhưng trạng thái là “{REPORTED[status]}”.",
            "completed_on",
            found=raw["completed_on"],
            expected="để trống ngày, hoặc chọn trạng thái Hoàn thành / Hoàn thành chậm",
        )
    return None if status is None else (status, completed_on, evidence, note)


def _allowed(day: date, period: str | None, today: date) -> bool:
    last = min(today, period_end(period)) if period is not None else today
    return RESOLUTION_DATE <= day <= last


def _real_date(day: date, period: str | None, today: date, err: ErrorSink) -> date | None:
    """A cell the spreadsheet program made a date: with day ≤ 12 it may have read month first (an
    English-locale machine turns 5/6/2026, meant as 5 June, into 6 May). Kept when only one reading is a
    possible completion date; refused when both are."""
    if day.day > 12 or day.day == day.month:
        return day
    swapped = date(day.year, day.day, day.month)
    if _allowed(day, period, today) and _allowed(swapped, period, today):
        err(
            f"Ô là một ngày do chương trình bảng tính tự chuyển, không rõ là ngày {day.day} tháng {day.month} "
            f"hay ngày {day.month} tháng {day.day}/{day.year} (máy đặt ngôn ngữ tiếng Anh đọc tháng trước "
            "ngày): không thể phân biệt.",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected=f"gõ lại ngày dạng văn bản ngày/tháng/năm, ví dụ {day:%d/%m/%Y} hoặc {day:%Y-%m-%d}, "
            "trong ô định dạng Văn bản (Text) như mẫu",
        )
        return None
    if not _allowed(day, period, today) and _allowed(swapped, period, today):
        return swapped  # only the day-first reading is possible: that is what was typed
    return day


def checked_task_date(raw: object, period: str | None, today: date, err: ErrorSink) -> date | None:
    """The completion date of a task row, or None (blank, or after reporting why it is wrong)."""
    if is_blank(raw):
        return None
    expected = "ngày dạng ngày/tháng/năm, ví dụ 15/11/2025"
    if isinstance(raw, datetime | date):
        day = _real_date(raw.date() if isinstance(raw, datetime) else raw, period, today, err)
        if day is None:
            return None
    elif isinstance(raw, str):
        day = parse_date_text(raw)
        if day is None:
            err("Ngày hoàn thành không đọc được.", "completed_on", found=raw, expected=expected)
            return None
    else:
        err(
            "Ô ngày hoàn thành chứa một số, không phải ngày (hãy định dạng ô là ngày hoặc gõ 15/11/2025).",
            "completed_on",
            found=raw,
            expected=expected,
        )
        return None
    if day > today:
        err(
            f"Ngày hoàn thành ở tương lai (hôm nay là {today:%d/%m/%Y}).",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected="một ngày đã qua",
        )
        return None
    if period is not None and day > period_end(period):
        err(
            f"Ngày hoàn thành sau kỳ báo cáo {quarter_label_vi(period)}.",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected=f"không sau {period_end(period):%d/%m/%Y}; việc hoàn thành sau đó báo cáo ở kỳ sau",
        )
        return None
    if day < RESOLUTION_DATE:
        err(
            "Ngày hoàn thành trước khi Nghị quyết 57-NQ/TW ban hành.",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected=f"từ {RESOLUTION_DATE:%d/%m/%Y}",
        )
        return None
    return day
