"""The Excel template an agency fills in each quarter: one row per indicator and per task, only open cells editable."""

from __future__ import annotations

import io
from collections.abc import Collection
from datetime import date, datetime

import duckdb
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from loaders.excel.action_rows import ACTION_SHEET, SHEET_ACTIONS, ActionRow, action_code, action_rows
from loaders.excel.contract import (
    DATA_SHEET,
    MANUAL_DIRECTIONS,
    SHEET_DATA,
    SHEET_HELP,
    SHEET_META,
    SHEET_TASKS,
    SHEETS_SEPARATOR,
    TASK_SHEET,
    TEMPLATE_VERSION,
    TEXT_FORMAT,
    SheetContract,
    TemplateError,
    check_period,
)
from loaders.excel.help_sheet import write_help_sheet
from loaders.excel.narrative_rows import AGENCY_SHEET, SHEET_AGENCY_NOTES
from loaders.excel.template_rows import (
    TaskRow,
    TemplateRow,
    agency_choices,
    indicator_rows,
    resolve_agency,
    task_rows,
)
from loaders.excel.validations import status_validation, value_validation
from metrics import clock
from metrics.periods import quarter_label_vi

_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _write_header(ws, sheet: SheetContract) -> None:
    ws.append(list(sheet.headers))
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for index, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width


def _write_row(ws, sheet: SheetContract, r: int, values: dict[str, object], text_fields=()) -> None:
    """One row: every column's value; open cells unlocked and yellow, with the column's number format."""
    for c, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=r, column=c, value=values.get(column.field))
        cell.alignment = _WRAP
        if column.editable:
            cell.protection = Protection(locked=False)
            cell.fill = _EDIT_FILL
        if column.field in text_fields:
            cell.number_format = TEXT_FORMAT
        elif column.number_format:
            cell.number_format = column.number_format


def _protect(ws, sheet: SheetContract, n_rows: int, freeze: str) -> None:
    ws.freeze_panes = freeze
    ws.protection.sheet = True
    # Locked cells stay locked; people may still resize and filter.
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(n_rows + 1, 2)}"


def _letter_of(sheet: SheetContract, field: str) -> str:
    return get_column_letter(sheet.headers.index(sheet.header_of[field]) + 1)


def _write_data_sheet(ws, rows: list[TemplateRow], period: str) -> None:
    period_label = quarter_label_vi(period)
    _write_header(ws, DATA_SHEET)
    value_col = _letter_of(DATA_SHEET, "value")
    validations: dict[tuple, DataValidation] = {}
    for r, row in enumerate(rows, start=2):
        values = {
            "indicator_id": row.indicator_id,
            "indicator_name": row.indicator_name,
            "unit": row.unit,
            "targets_text": row.targets_text,
            "lead_agency": row.lead_agency,
            "period_label": period_label,
            "previous_value": row.previous_value or None,
        }
        # A yes/no or qualitative result is a word: typed text stays text.
        text_fields = ("value",) if row.direction in MANUAL_DIRECTIONS else ()
        _write_row(ws, DATA_SHEET, r, values, text_fields)
        key, dv = value_validation(row)
        validations.setdefault(key, dv).add(f"{value_col}{r}")
    for dv in validations.values():
        ws.add_data_validation(dv)
    _protect(ws, DATA_SHEET, len(rows), "C2")


def _write_tasks_sheet(ws, rows: list[TaskRow], period: str) -> None:
    period_label = quarter_label_vi(period)
    _write_header(ws, TASK_SHEET)
    status_dv, date_dv = status_validation(period)
    status_col = _letter_of(TASK_SHEET, "status")
    date_col = _letter_of(TASK_SHEET, "completed_on")
    for r, row in enumerate(rows, start=2):
        values = {
            "task_id": row.task_id,
            "plan_name": row.plan_name,
            "title": row.title,
            "lead_agency": row.lead_agency,
            "deadline": row.deadline,
            "period_label": period_label,
            "previous_status": row.previous_status or None,
        }
        _write_row(ws, TASK_SHEET, r, values)
    if rows:
        status_dv.add(f"{status_col}2:{status_col}{len(rows) + 1}")
        date_dv.add(f"{date_col}2:{date_col}{len(rows) + 1}")
        ws.add_data_validation(status_dv)
        ws.add_data_validation(date_dv)
    _protect(ws, TASK_SHEET, len(rows), "B2")


def _write_actions_sheet(ws, rows: list[ActionRow], period: str) -> None:
    """One row per open corrective action: its status for the period, as on the task sheet."""
    _write_header(ws, ACTION_SHEET)
    status_dv, date_dv = status_validation(period, evidence=False)
    label = quarter_label_vi(period)
    for r, row in enumerate(rows, start=2):
        values = {
            "action_code": action_code(row.action_id),
            "indicator": row.indicator,
            "title": row.title,
            "owner_agency": row.owner_agency,
            "due": row.due,
            "period_label": label,
            "current_status": row.current_status or None,
        }
        _write_row(ws, ACTION_SHEET, r, values)
    for dv, field in ((status_dv, "status"), (date_dv, "completed_on")):
        letter = _letter_of(ACTION_SHEET, field)
        dv.add(f"{letter}2:{letter}{len(rows) + 1}")
        ws.add_data_validation(dv)
    _protect(ws, ACTION_SHEET, len(rows), "B2")


def _write_agency_sheet(ws, agencies: list[tuple[str, str]], period: str) -> None:
    """One row per agency: its difficulties and proposals for the period (docs/narratives.md)."""
    _write_header(ws, AGENCY_SHEET)
    label = quarter_label_vi(period)
    for r, (agency_id, name) in enumerate(agencies, start=2):
        _write_row(ws, AGENCY_SHEET, r, {"agency_id": agency_id, "agency_name": name, "period_label": label})
    _protect(ws, AGENCY_SHEET, len(agencies), "C2")


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
    period = check_period(period, today)
    agency = resolve_agency(con, agency_id)
    rows = indicator_rows(con, period, agency[0] if agency else None)
    tasks = task_rows(con, period, agency_id, today)
    actions = action_rows(con, period, agency[0] if agency else None, today)
    if only is not None:
        rows = [r for r in rows if r.indicator_id in only]
        tasks = [t for t in tasks if t.task_id in only]
        actions = []  # a reminder's template holds the missing rows only; actions are no obligation
    if agency is not None and not rows and not tasks and not actions:
        raise TemplateError(f"Cơ quan '{agency[1]}' không chủ trì chỉ tiêu hay nhiệm vụ nào.")
    stamp = (generated_at or clock.now()).replace(microsecond=0)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_DATA
    _write_data_sheet(ws, rows, period)
    _write_tasks_sheet(wb.create_sheet(SHEET_TASKS), tasks, period)
    agencies = [agency] if agency is not None else agency_choices(con)
    _write_agency_sheet(wb.create_sheet(SHEET_AGENCY_NOTES), agencies, period)
    sheets = [SHEET_DATA, SHEET_TASKS]
    if actions:  # no sheet without an action: the catalog as built has none (docs/narratives.md)
        _write_actions_sheet(wb.create_sheet(SHEET_ACTIONS), actions, period)
        sheets.append(SHEET_ACTIONS)
    write_help_sheet(
        wb.create_sheet(SHEET_HELP), period, agency[1] if agency else None, actions=bool(actions)
    )
    meta = wb.create_sheet(SHEET_META)
    for key, value in (
        ("template_version", TEMPLATE_VERSION),
        ("period", period),
        ("agency_id", agency[0] if agency else ""),
        ("generated_at", stamp.isoformat()),
        ("rows", str(len(rows))),
        ("task_rows", str(len(tasks))),
        *((("action_rows", str(len(actions))),) if actions else ()),
        # The reader refuses a file that lost one of these (a renamed tab: LibreOffice does not enforce
        # the structure lock), rather than reading it as all blank.
        ("sheets", SHEETS_SEPARATOR.join(sheets)),
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
