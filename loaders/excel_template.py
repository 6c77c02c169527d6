"""The Excel template an agency fills in each quarter: one row per indicator, only the value cells open."""

from __future__ import annotations

import io
import math
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from metrics.deadlines import DATE, RECURRING, WAITING
from metrics.periods import current_period, is_period, period_index, quarter_label_vi, shift_period
from metrics.status_labels import format_number, format_quantity
from metrics.tasks import REPORTED, RESOLUTION_DATE, STATUS_LABELS, marked_late, period_end

TEMPLATE_VERSION = "1"
SUPPORTED_VERSIONS = frozenset({"1"})

SHEET_DATA = "Số liệu"
SHEET_HELP = "Hướng dẫn"
SHEET_META = "nq57_meta"  # hidden: what the reader needs to know it reads a template, and which period

# Header text -> field. The one map both the writer and the reader use (STYLE: one explicit map).
COLUMNS: dict[str, str] = {
    "Mã chỉ tiêu": "indicator_id",
    "Tên chỉ tiêu": "indicator_name",
    "Đơn vị tính": "unit",
    "Chỉ tiêu": "targets_text",
    "Cơ quan chủ trì": "lead_agency",
    "Kỳ báo cáo": "period_label",
    "Giá trị thực hiện": "value",
    "Ghi chú": "note",
    "Nguồn/minh chứng": "evidence",
    "Giá trị kỳ trước": "previous_value",  # reference only, never read back
}
HEADERS: tuple[str, ...] = tuple(COLUMNS)
EDITABLE_FIELDS = ("value", "note", "evidence")
HEADER_OF: dict[str, str] = {field: header for header, field in COLUMNS.items()}

# The task sheet (docs/tasks.md): one row per task, the status and its evidence open. Its own map.
SHEET_TASKS = "Nhiệm vụ"
TASK_COLUMNS: dict[str, str] = {
    "Mã nhiệm vụ": "task_id",
    "Kế hoạch": "plan_name",
    "Nhiệm vụ": "title",
    "Cơ quan chủ trì": "lead_agency",
    "Thời hạn": "deadline",
    "Kỳ báo cáo": "period_label",
    "Trạng thái": "status",
    "Ngày hoàn thành": "completed_on",
    "Minh chứng": "evidence",
    "Ghi chú": "note",
    "Trạng thái đã báo cáo": "previous_status",  # reference only, never read back
}
TASK_HEADERS: tuple[str, ...] = tuple(TASK_COLUMNS)
TASK_HEADER_OF: dict[str, str] = {field: header for header, field in TASK_COLUMNS.items()}
TASK_EDITABLE_FIELDS = ("status", "completed_on", "evidence", "note")
TASK_STATUS_CHOICES: tuple[str, ...] = tuple(REPORTED.values())
DATE_FORMAT = "DD/MM/YYYY"

MANUAL_DIRECTIONS = ("yes_no", "qualitative")
MANUAL_CHOICES: tuple[str, ...] = ("Đạt", "Chưa đạt", "Đang thực hiện")
FIRST_SELECTABLE_PERIOD = "2025-Q1"  # the plans date from 02/2025; back-filling starts here

_TASK_WIDTHS = {
    "task_id": 16,
    "plan_name": 18,
    "title": 70,
    "lead_agency": 30,
    "deadline": 30,
    "period_label": 14,
    "status": 22,
    "completed_on": 16,
    "evidence": 36,
    "note": 36,
    "previous_status": 30,
}
_WIDTHS = {
    "indicator_id": 24,
    "indicator_name": 60,
    "unit": 12,
    "targets_text": 44,
    "lead_agency": 30,
    "period_label": 14,
    "value": 18,
    "note": 36,
    "evidence": 36,
    "previous_value": 22,
}
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TemplateError(ValueError):
    """A template that cannot be made (bad period, unknown agency): the message is Vietnamese, for people."""


@dataclass(frozen=True)
class TemplateRow:
    indicator_id: str
    indicator_name: str
    unit: str
    direction: str
    min_value: float | None
    max_value: float | None
    targets_text: str
    lead_agency: str
    previous_value: str


@dataclass(frozen=True)
class TaskRow:
    task_id: str
    plan_name: str
    title: str
    lead_agency: str
    deadline: str
    due_date: date | None
    previous_status: str


# ---------------------------------------------------------------- small helpers used elsewhere too


def neutralise_formula(text: object) -> object:
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.

    Used on every uploaded text that leaves the system in a spreadsheet; other values pass unchanged.
    """
    if isinstance(text, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def is_percent_unit(unit: str | None) -> bool:
    """'%', '% dân số', '% GRDP' …: values are percentages, 0–100."""
    return bool(unit) and str(unit).strip().startswith("%")


def value_bounds(
    unit: str | None, min_value: float | None, max_value: float | None
) -> tuple[float | None, float | None]:
    """The range an upload must respect: the indicator's min/max, narrowed to 0–100 for percentages."""
    low = None if _missing(min_value) else float(min_value)
    high = None if _missing(max_value) else float(max_value)
    if is_percent_unit(unit):
        low = 0.0 if low is None else max(low, 0.0)
        high = 100.0 if high is None else min(high, 100.0)
    return low, high


def selectable_periods(today: date | None = None) -> list[str]:
    """Quarters a template can be made for, newest first: from 2025-Q1 to the current quarter."""
    last = current_period(today)
    out = []
    period = last
    while period_index(period) >= period_index(FIRST_SELECTABLE_PERIOD):
        out.append(period)
        period = shift_period(period, -1)
    return out


def check_period(period: object, today: date | None = None) -> str:
    """The period if it is a quarter up to the current one; TemplateError with a Vietnamese reason otherwise."""
    text = str(period).strip() if period is not None else ""
    if not is_period(text):
        raise TemplateError(
            f"Kỳ báo cáo '{text}' không hợp lệ: cần một quý dạng NĂM-Qn, ví dụ 2026-Q3 (Quý III/2026)."
        )
    now = current_period(today)
    if period_index(text) > period_index(now):
        raise TemplateError(
            f"Kỳ {quarter_label_vi(text)} chưa đến (hiện nay là {quarter_label_vi(now)}): chỉ nhận số liệu "
            "cho quý hiện tại hoặc các quý đã qua."
        )
    return text


def _missing(value: object) -> bool:
    # NaT too: a DATE column with NULLs reads as NaT (completed_on of demo task updates)
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


# ---------------------------------------------------------------- what goes into the sheet

_AGENCY_SQL = "SELECT agency_id, current_agency_id, current_agency_name FROM v_agencies WHERE agency_id = ?"
_AGENCY_CHOICES_SQL = """
SELECT DISTINCT agency_id, agency_name FROM v_target_agencies
UNION
SELECT DISTINCT agency_id, agency_name FROM v_task_agencies WHERE role = 'lead'
ORDER BY agency_name
"""
_TASKS_SQL = """
SELECT k.task_id, k.plan_name, k.title, k.lead_agency, k.deadline_text, k.deadline_kind, k.due_date, k.note
FROM v_tasks k JOIN plans p USING (plan_id)
WHERE period_index(p.plan_period) <= period_index(?)
  AND (CAST(? AS VARCHAR) IS NULL OR k.task_id IN (
        SELECT task_id FROM v_task_agencies WHERE role = 'lead' AND agency_id = ?))
ORDER BY p.plan_period, k.plan_id, k.task_id
"""
_TASK_REPORTED_SQL = """
SELECT u.task_id, u.period, u.status, u.completed_on
FROM v_task_updates u
WHERE period_index(u.period) <= period_index(?)
QUALIFY row_number() OVER (PARTITION BY u.task_id ORDER BY period_index(u.period) DESC) = 1
"""
_INDICATORS_SQL = """
SELECT i.indicator_id, i.name, i.unit, i.direction, i.min_value, i.max_value
FROM indicators i
JOIN thematic_groups g USING (group_code)
WHERE i.indicator_id IN (SELECT indicator_id FROM targets)
  AND (CAST(? AS VARCHAR) IS NULL OR i.indicator_id IN (
        SELECT t.indicator_id FROM targets t JOIN v_target_agencies ta USING (target_id)
        WHERE ta.agency_id = ?))
ORDER BY g.sort_order, i.rowid
"""
_TARGETS_SQL = """
SELECT t.indicator_id, t.horizon, t.due_period, t.plan_id, p.short_name AS plan_name, t.comparator,
       t.value_as_written, t.unit_as_written, t.target_text, t.target_id
FROM targets t JOIN plans p USING (plan_id)
ORDER BY t.indicator_id, t.due_period, t.plan_id, t.target_id
"""
_LEADS_SQL = """
SELECT DISTINCT t.indicator_id, ta.agency_name
FROM targets t JOIN v_target_agencies ta USING (target_id)
ORDER BY t.indicator_id, ta.agency_name
"""
_PREVIOUS_SQL = """
SELECT a.indicator_id, a.period, a.value, a.value_text
FROM v_actuals a
WHERE period_index(a.period) < period_index(?)
QUALIFY row_number() OVER (PARTITION BY a.indicator_id ORDER BY period_index(a.period) DESC) = 1
"""


def agency_choices(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(agency_id, name) of every current agency that leads at least one target or task."""
    return [(row[0], row[1]) for row in con.execute(_AGENCY_CHOICES_SQL).fetchall()]


def resolve_agency(con: duckdb.DuckDBPyConnection, agency_id: str | None) -> tuple[str, str] | None:
    """The current agency (id, name) an agency id rolls up to; TemplateError if the id is unknown."""
    if agency_id is None or str(agency_id).strip() == "":
        return None
    rows = con.execute(_AGENCY_SQL, [str(agency_id).strip()]).fetchall()
    if not rows:
        known = ", ".join(a for a, _ in agency_choices(con)[:8])
        raise TemplateError(
            f"Không có cơ quan mã '{agency_id}' trong danh mục (data/agencies.csv). Ví dụ mã hợp lệ: {known}, …"
        )
    return rows[0][1], rows[0][2]


def _horizon_label(horizon: str) -> str:
    return quarter_label_vi(horizon) if is_period(horizon) else str(horizon)


def _target_wording(row: dict) -> str:
    """A target as the plan worded it, with its unit where the wording leaves it out: '≥ 80%', '10 người/vạn dân'."""
    text = row["value_as_written"]
    if _missing(text) or not str(text).strip():
        return str(row["target_text"]).strip()
    text = str(text).strip()
    unit = "" if _missing(row["unit_as_written"]) else str(row["unit_as_written"]).strip()
    if row["comparator"] == "text" or not unit or len(unit) > 20:
        return text
    if unit.startswith("%"):
        return text if "%" in text else text + unit
    if unit.casefold() in {"thứ bậc", "thứ hạng", "có/không"} or unit.casefold() in text.casefold():
        return text
    return f"{text} {unit[0].lower() + unit[1:]}"


def targets_wording(targets: pd.DataFrame) -> str:
    """All horizons of one indicator: 'Quý IV/2025: ≥ 80%; 2030: 90%'. Plans that differ are named."""
    parts = []
    for _due, group in targets.groupby("due_period", sort=True):
        rows = group.to_dict("records")
        wordings: dict[str, list[str]] = {}
        for row in rows:
            wordings.setdefault(_target_wording(row), []).append(str(row["plan_name"]))
        label = _horizon_label(rows[0]["horizon"])
        if len(wordings) == 1:
            parts.append(f"{label}: {next(iter(wordings))}")
        else:
            each = "; ".join(f"{w} ({', '.join(plans)})" for w, plans in wordings.items())
            parts.append(f"{label}: {each}")
    return "; ".join(parts)


def format_actual(value: object, value_text: object, unit: str) -> str:
    """An actual as Vietnamese text: '58,6%', '33 bản', 'Đạt'; '' when there is none."""
    if not _missing(value_text) and str(value_text).strip():
        return str(value_text)
    if _missing(value):
        return ""
    return format_quantity(float(value), unit or "")


def template_rows(
    con: duckdb.DuckDBPyConnection, period: str, agency_id: str | None = None, today: date | None = None
) -> list[TemplateRow]:
    """The rows of the template for a period (and an agency, rolled up to its current successor)."""
    period = check_period(period, today)
    agency = resolve_agency(con, agency_id)
    out = _indicator_rows(con, period, agency[0] if agency else None)
    if not out and agency is not None:
        raise TemplateError(f"Cơ quan '{agency[1]}' không chủ trì chỉ tiêu nào có mức chỉ tiêu.")
    return out


def _indicator_rows(con: duckdb.DuckDBPyConnection, period: str, current_id: str | None) -> list[TemplateRow]:
    indicators = con.execute(_INDICATORS_SQL, [current_id, current_id]).df()
    targets = con.execute(_TARGETS_SQL).df()
    leads = con.execute(_LEADS_SQL).df()
    previous = con.execute(_PREVIOUS_SQL, [period]).df()
    targets_by = dict(tuple(targets.groupby("indicator_id")))
    leads_by = leads.groupby("indicator_id")["agency_name"].apply(lambda s: "; ".join(s)).to_dict()
    previous_by = {r["indicator_id"]: r for r in previous.to_dict("records")}
    out = []
    for ind in indicators.to_dict("records"):
        prev = previous_by.get(ind["indicator_id"])
        prev_text = ""
        if prev is not None:
            shown = format_actual(prev["value"], prev["value_text"], ind["unit"])
            prev_text = f"{shown} ({quarter_label_vi(prev['period'])})" if shown else ""
        out.append(
            TemplateRow(
                indicator_id=ind["indicator_id"],
                indicator_name=ind["name"],
                unit=ind["unit"],
                direction=ind["direction"],
                min_value=None if _missing(ind["min_value"]) else float(ind["min_value"]),
                max_value=None if _missing(ind["max_value"]) else float(ind["max_value"]),
                targets_text=targets_wording(targets_by[ind["indicator_id"]]),
                lead_agency=leads_by.get(ind["indicator_id"], ""),
                previous_value=prev_text,
            )
        )
    return out


def deadline_words(text: object, kind: str, due: object, note: object = None) -> str:
    """A deadline as printed, with what the dashboard reads in it: 'Tháng 11/2025 (hạn 30/11/2025)'."""
    printed = "" if _missing(text) else str(text).strip()
    day = None if _missing(due) else pd.Timestamp(due).date()
    if kind == DATE and day is not None:
        words = f"{printed} (hạn {day:%d/%m/%Y})"
    elif kind == RECURRING:
        words = f"{printed} (đánh giá từng kỳ)"
    elif kind == WAITING:
        words = f"{printed} (chờ cấp trên, không tính quá hạn)"
    else:
        words = printed or "Không ghi thời hạn"
    if bool(marked_late(pd.Series([note])).iloc[0]):
        words += "; kế hoạch ghi: nhiệm vụ chậm tiến độ"
    return words


def reported_status_words(status: object, completed_on: object, period: str) -> str:
    """'Hoàn thành 15/11/2025 (Quý IV/2025)', 'Đang thực hiện (Quý III/2025)'."""
    label = STATUS_LABELS.get(str(status), str(status))
    if not _missing(completed_on):
        label += f" {pd.Timestamp(completed_on):%d/%m/%Y}"
    return f"{label} ({quarter_label_vi(period)})"


def task_rows(
    con: duckdb.DuckDBPyConnection, period: str, agency_id: str | None = None, today: date | None = None
) -> list[TaskRow]:
    """The task rows of the template: tasks of plans issued by the period (led by the agency, if given)."""
    period = check_period(period, today)
    agency = resolve_agency(con, agency_id)
    current_id = agency[0] if agency else None
    tasks = con.execute(_TASKS_SQL, [period, current_id, current_id]).df()
    reported = {r["task_id"]: r for r in con.execute(_TASK_REPORTED_SQL, [period]).df().to_dict("records")}
    out = []
    for t in tasks.to_dict("records"):
        prev = reported.get(t["task_id"])
        out.append(
            TaskRow(
                task_id=t["task_id"],
                plan_name=t["plan_name"],
                title=t["title"],
                lead_agency="" if _missing(t["lead_agency"]) else t["lead_agency"],
                deadline=deadline_words(t["deadline_text"], t["deadline_kind"], t["due_date"], t["note"]),
                due_date=None if _missing(t["due_date"]) else pd.Timestamp(t["due_date"]).date(),
                previous_status=""
                if prev is None
                else reported_status_words(prev["status"], prev["completed_on"], prev["period"]),
            )
        )
    return out


# ---------------------------------------------------------------- the workbook


def _range_words(low: float | None, high: float | None) -> str:
    def num(x: float) -> str:
        return format_number(x, 0 if float(x).is_integer() else 3).rstrip("0").rstrip(",")

    if low is not None and high is not None:
        return f"từ {num(low)} đến {num(high)}"
    if low is not None:
        return f"không nhỏ hơn {num(low)}"
    if high is not None:
        return f"không lớn hơn {num(high)}"
    return "bất kỳ số nào"


def _value_validation(row: TemplateRow) -> tuple[tuple, DataValidation]:
    """The data validation of one value cell, and a key so identical rules share one object."""
    if row.direction in MANUAL_DIRECTIONS:
        key = ("list",)
        dv = DataValidation(type="list", formula1='"' + ",".join(MANUAL_CHOICES) + '"', allow_blank=True)
        dv.promptTitle = "Chọn kết quả"
        dv.prompt = "Chọn Đạt, Chưa đạt hoặc Đang thực hiện. Để trống nếu kỳ này chưa đánh giá."
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.error = "Chỉ chọn một trong: Đạt, Chưa đạt, Đang thực hiện."
        dv.errorStyle = "stop"
        return key, dv
    low, high = value_bounds(row.unit, row.min_value, row.max_value)
    key = ("decimal", low, high, row.unit)
    if low is not None and high is not None:
        dv = DataValidation(type="decimal", operator="between", formula1=repr(low), formula2=repr(high))
    elif low is not None:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=repr(low))
    elif high is not None:
        dv = DataValidation(type="decimal", operator="lessThanOrEqual", formula1=repr(high))
    else:
        dv = DataValidation(type="decimal", operator="between", formula1="-1E+300", formula2="1E+300")
    dv.allow_blank = True
    dv.promptTitle = "Giá trị thực hiện"
    unit = f" Đơn vị: {row.unit}." if row.unit else ""
    percent = " Ghi 80 hoặc 80% đều hiểu là 80%." if is_percent_unit(row.unit) else ""
    dv.prompt = (
        f"Nhập một số, ví dụ 37,6 hoặc 37.6.{unit} Giá trị {_range_words(low, high)}.{percent} "
        "Để trống nếu kỳ này chưa có số liệu."
    )[:255]
    dv.errorTitle = "Kiểm tra giá trị"
    dv.error = (
        f"Giá trị cần là một số {_range_words(low, high)}.{unit} Hệ thống sẽ kiểm tra lại khi tải lên."
    )[:255]
    # A warning, not a stop: in an Excel set to English, '37,6' is text that Excel itself would refuse,
    # though the reader accepts it. The reader is the real gate.
    dv.errorStyle = "warning"
    return key, dv


def _write_data_sheet(ws, rows: list[TemplateRow], period: str) -> None:
    period_label = quarter_label_vi(period)
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, header in enumerate(HEADERS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _WIDTHS[COLUMNS[header]]
    editable = {HEADERS.index(HEADER_OF[f]) + 1 for f in EDITABLE_FIELDS}
    value_col = get_column_letter(HEADERS.index(HEADER_OF["value"]) + 1)
    validations: dict[tuple, DataValidation] = {}
    for r, row in enumerate(rows, start=2):
        values = {
            "indicator_id": row.indicator_id,
            "indicator_name": row.indicator_name,
            "unit": row.unit,
            "targets_text": row.targets_text,
            "lead_agency": row.lead_agency,
            "period_label": period_label,
            "value": None,
            "note": None,
            "evidence": None,
            "previous_value": row.previous_value or None,
        }
        for c, header in enumerate(HEADERS, start=1):
            cell = ws.cell(row=r, column=c, value=values[COLUMNS[header]])
            cell.alignment = _WRAP
            if c in editable:
                cell.protection = Protection(locked=False)
                cell.fill = _EDIT_FILL
            field = COLUMNS[header]
            if field in ("note", "evidence") or (field == "value" and row.direction in MANUAL_DIRECTIONS):
                cell.number_format = "@"  # what is typed stays text, even a leading '='
        key, dv = _value_validation(row)
        validations.setdefault(key, dv).add(f"{value_col}{r}")
    for dv in validations.values():
        ws.add_data_validation(dv)
    ws.freeze_panes = "C2"
    ws.protection.sheet = True
    # Locked cells stay locked; people may still resize and filter.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(len(rows) + 1, 2)}"


def _status_validation(period: str) -> tuple[DataValidation, DataValidation]:
    """The status dropdown and the completion-date check of the task sheet."""
    status = DataValidation(type="list", formula1='"' + ",".join(TASK_STATUS_CHOICES) + '"', allow_blank=True)
    status.promptTitle = "Trạng thái nhiệm vụ"
    status.prompt = (
        "Chọn trạng thái đến kỳ báo cáo. Hoàn thành / Hoàn thành chậm: ghi cả ngày hoàn thành và minh chứng. "
        "Để trống nếu kỳ này không cập nhật."
    )[:255]
    status.errorTitle = "Trạng thái không hợp lệ"
    status.error = ("Chỉ chọn một trong: " + ", ".join(TASK_STATUS_CHOICES) + ".")[:255]
    status.errorStyle = "stop"
    last = period_end(period)
    first = RESOLUTION_DATE
    day = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({first.year},{first.month},{first.day})",
        formula2=f"DATE({last.year},{last.month},{last.day})",
        allow_blank=True,
    )
    day.promptTitle = "Ngày hoàn thành"
    day.prompt = (
        f"Ngày dạng ngày/tháng/năm, ví dụ 15/11/2025; không sau {last:%d/%m/%Y} (cuối kỳ báo cáo) và không "
        "sau hôm nay. Chỉ ghi khi trạng thái là Hoàn thành hoặc Hoàn thành chậm."
    )[:255]
    day.errorTitle = "Kiểm tra ngày"
    day.error = f"Ngày cần từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}. Hệ thống sẽ kiểm tra lại khi tải lên."
    day.errorStyle = "warning"  # a date typed as text (15/11/2025) in an English Excel is read anyway
    return status, day


def _write_tasks_sheet(ws, rows: list[TaskRow], period: str) -> None:
    period_label = quarter_label_vi(period)
    ws.append(list(TASK_HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, header in enumerate(TASK_HEADERS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = _TASK_WIDTHS[TASK_COLUMNS[header]]
    editable = {TASK_HEADERS.index(TASK_HEADER_OF[f]) + 1 for f in TASK_EDITABLE_FIELDS}
    status_dv, date_dv = _status_validation(period)
    status_col = get_column_letter(TASK_HEADERS.index(TASK_HEADER_OF["status"]) + 1)
    date_col = get_column_letter(TASK_HEADERS.index(TASK_HEADER_OF["completed_on"]) + 1)
    for r, row in enumerate(rows, start=2):
        values = {
            "task_id": row.task_id,
            "plan_name": row.plan_name,
            "title": row.title,
            "lead_agency": row.lead_agency,
            "deadline": row.deadline,
            "period_label": period_label,
            "status": None,
            "completed_on": None,
            "evidence": None,
            "note": None,
            "previous_status": row.previous_status or None,
        }
        for c, header in enumerate(TASK_HEADERS, start=1):
            field = TASK_COLUMNS[header]
            cell = ws.cell(row=r, column=c, value=values[field])
            cell.alignment = _WRAP
            if c in editable:
                cell.protection = Protection(locked=False)
                cell.fill = _EDIT_FILL
            if field in ("status", "evidence", "note"):
                cell.number_format = "@"
            elif field == "completed_on":
                cell.number_format = DATE_FORMAT
    if rows:
        status_dv.add(f"{status_col}2:{status_col}{len(rows) + 1}")
        date_dv.add(f"{date_col}2:{date_col}{len(rows) + 1}")
        ws.add_data_validation(status_dv)
        ws.add_data_validation(date_dv)
    ws.freeze_panes = "B2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(TASK_HEADERS))}{max(len(rows) + 1, 2)}"


TASK_HELP_LINES: tuple[str, ...] = (
    "Trang «Nhiệm vụ»: mỗi dòng là một nhiệm vụ tại Phụ lục II của các kế hoạch. Chỉ điền bốn cột nền vàng: "
    "«Trạng thái», «Ngày hoàn thành», «Minh chứng», «Ghi chú».",
    "«Trạng thái»: chọn Chưa triển khai / Đang thực hiện / Hoàn thành / Hoàn thành chậm / Chậm tiến độ / "
    "Dừng/không thực hiện. Để trống cả dòng nếu kỳ này không cập nhật nhiệm vụ đó: trạng thái cũ giữ nguyên.",
    "Hoàn thành, Hoàn thành chậm: bắt buộc ghi «Ngày hoàn thành» (ngày/tháng/năm, ví dụ 15/11/2025; không sau "
    "cuối kỳ báo cáo, không sau hôm nay) và «Minh chứng» (số, ngày văn bản hoặc đường dẫn). Trạng thái khác "
    "không ghi ngày hoàn thành.",
    "Nhiệm vụ «Thường xuyên», «Hàng năm» được đánh giá theo từng kỳ: cập nhật mỗi kỳ. Nhiệm vụ «Sau khi có "
    "hướng dẫn…» chờ cơ quan cấp trên nên không bị tính quá hạn.",
    "Một tệp có thể chỉ có số liệu, chỉ có nhiệm vụ, hoặc cả hai; hệ thống kiểm tra cả hai trang, có một lỗi "
    "thì không ghi gì.",
)
HELP_LINES: tuple[str, ...] = (
    "1. Chỉ điền ba cột nền vàng trên trang «Số liệu»: «Giá trị thực hiện», «Ghi chú», «Nguồn/minh chứng». "
    "Các cột khác đã khóa; không thêm, xóa, đổi tên cột hay trang tính, không đổi mã chỉ tiêu.",
    "2. Mỗi dòng là một chỉ tiêu của kỳ báo cáo ghi ở cột «Kỳ báo cáo». Mỗi chỉ tiêu chỉ xuất hiện một lần.",
    "3. Số thập phân viết bằng dấu phẩy hoặc dấu chấm đều được: 37,6 hoặc 37.6. Số có phần nghìn: 1.234,5 "
    "(chấm ngăn cách hàng nghìn, phẩy thập phân) hoặc 1234,5. Tránh viết 1.234 hay 1,234 (không rõ nghĩa).",
    "4. Chỉ tiêu đơn vị %: ghi 80 hoặc 80% đều được hiểu là 80%. Ô định dạng phần trăm hiển thị 80% "
    "(Excel lưu 0,8) cũng được hiểu là 80%. Giá trị phải từ 0 đến 100.",
    "5. Giá trị phải nằm trong khoảng hợp lý của chỉ tiêu (ví dụ số bản lõm sóng từ 0 đến 33; thứ hạng PII "
    "từ 1 đến 63); không nhập số âm với chỉ tiêu không thể âm. Ô giá trị có gợi ý khoảng cho phép.",
    "6. Chỉ tiêu định tính hoặc có/không: chọn trong danh sách Đạt / Chưa đạt / Đang thực hiện.",
    "7. Để trống ô «Giá trị thực hiện» nếu kỳ này chưa có số liệu: dòng đó không được ghi, số liệu cũ giữ nguyên.",
    "8. Được dùng công thức trong ô giá trị; hệ thống đọc kết quả Excel đã tính và lưu trong tệp, vì vậy hãy "
    "mở và lưu tệp bằng Excel trước khi gửi.",
    "9. «Ghi chú»: cách tính, phạm vi, lý do chênh lệch. «Nguồn/minh chứng»: số, ngày văn bản, đường dẫn nq57.vn.",
    "10. Lưu tệp dạng .xlsx (không dùng .xls, .xlsm có macro hay .csv); dung lượng tối đa {max_mb} MB.",
    "11. Khi tải lên, hệ thống kiểm tra toàn bộ tệp. Có lỗi thì không ghi gì và liệt kê mọi lỗi kèm trang, "
    "dòng, cột. Không lỗi thì hiện bản xem trước: giá trị mới, giá trị thay đổi (cũ → mới), không đổi; "
    "chỉ ghi khi Văn phòng thường trực bấm xác nhận. Mọi lần ghi đều lưu lịch sử và có thể hoàn tác.",
)
HELP_EXAMPLES: tuple[tuple[str, str], ...] = (
    ("37,6", "37,6"),
    ("37.6", "37,6"),
    ("1.234,5", "1.234,5"),
    ("80%", "80 (chỉ tiêu đơn vị %)"),
    ("0,8 trong ô định dạng % (hiển thị 80%)", "80 (chỉ tiêu đơn vị %)"),
    ("=A1*100 (công thức đã tính ra 37,6)", "37,6"),
    ("(để trống)", "Chưa báo cáo kỳ này: không ghi"),
    ("Đạt", "Đạt (chỉ tiêu định tính, có/không)"),
    ("khoảng 40", "Lỗi: không phải là số"),
    ("120 (chỉ tiêu %)", "Lỗi: ngoài khoảng 0–100"),
)


def _write_help_sheet(ws, period: str, agency_name: str | None, max_mb: int) -> None:
    ws.column_dimensions["A"].width = 48
    ws.column_dimensions["B"].width = 60
    ws.append([f"Hướng dẫn điền số liệu thực hiện chỉ tiêu Nghị quyết 57 – kỳ {quarter_label_vi(period)}"])
    ws["A1"].font = Font(bold=True, size=13)
    if agency_name:
        ws.append([f"Cơ quan chủ trì: {agency_name}"])
    ws.append([f"Mẫu phiên bản {TEMPLATE_VERSION}, kỳ {period}. Không sửa trang ẩn {SHEET_META}."])
    ws.append([])
    for line in HELP_LINES:
        ws.append([line.format(max_mb=max_mb)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 48
    ws.append([])
    ws.append(["Ví dụ: bạn nhập", "Hệ thống hiểu là"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for typed, meaning in HELP_EXAMPLES:
        ws.append([typed, meaning])
    ws.append([])
    ws.append([f"Cập nhật nhiệm vụ – trang «{SHEET_TASKS}»"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    for line in TASK_HELP_LINES:
        ws.append([line])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=2)
        ws.cell(row=ws.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[ws.max_row].height = 48
    ws.protection.sheet = True


def build_template(
    con: duckdb.DuckDBPyConnection,
    period: str,
    agency_id: str | None = None,
    today: date | None = None,
    generated_at: datetime | None = None,
    only: Collection[str] | None = None,
) -> bytes:
    """The .xlsx template for a period (and an agency): the one function behind the CLI and the page.

    `only`: indicator and task ids to keep (a reminder's template of the missing rows); None keeps all."""
    from loaders.excel_reader import MAX_UPLOAD_MB  # the reader owns the limit; imported late, no cycle

    period = check_period(period, today)
    agency = resolve_agency(con, agency_id)
    rows = _indicator_rows(con, period, agency[0] if agency else None)
    tasks = task_rows(con, period, agency_id, today)
    if only is not None:
        rows = [r for r in rows if r.indicator_id in only]
        tasks = [t for t in tasks if t.task_id in only]
    if agency is not None and not rows and not tasks:
        raise TemplateError(f"Cơ quan '{agency[1]}' không chủ trì chỉ tiêu hay nhiệm vụ nào.")
    stamp = (generated_at or datetime.now()).replace(microsecond=0)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_DATA
    _write_data_sheet(ws, rows, period)
    _write_tasks_sheet(wb.create_sheet(SHEET_TASKS), tasks, period)
    _write_help_sheet(wb.create_sheet(SHEET_HELP), period, agency[1] if agency else None, MAX_UPLOAD_MB)
    meta = wb.create_sheet(SHEET_META)
    for key, value in (
        ("template_version", TEMPLATE_VERSION),
        ("period", period),
        ("agency_id", agency[0] if agency else ""),
        ("generated_at", stamp.isoformat()),
        ("rows", str(len(rows))),
        ("task_rows", str(len(tasks))),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "NQ57 Lai Châu"
    wb.properties.title = f"Mẫu số liệu thực hiện {quarter_label_vi(period)}"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def template_file_name(period: str, agency_id: str | None = None) -> str:
    """'mau_so_lieu_2026-Q3.xlsx', with the agency id when there is one."""
    suffix = f"_{agency_id}" if agency_id else ""
    return f"mau_so_lieu_{period}{suffix}.xlsx"
