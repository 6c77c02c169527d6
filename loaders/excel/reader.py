"""Read a filled-in template and check every cell; all-or-nothing, with every error named by sheet, row, column.

Reading is done by python-calamine (fast, Rust); what calamine does not see (number formats, formulas
never computed) comes from sheet_xml. Each sheet is read by the one row loop of rows.py with its own check.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import python_calamine
from pandas.api.types import infer_dtype

from loaders.excel import action_rows, indicator_values, task_updates
from loaders.excel.action_rows import ACTION_SHEET, SHEET_ACTIONS
from loaders.excel.cells import clean_text, is_blank
from loaders.excel.container import check_container
from loaders.excel.contract import (
    DATA_SHEET,
    HEADER_OF,
    MAX_COLUMNS,
    MAX_FILE_NAME,
    MAX_ROWS,
    SHEET_DATA,
    SHEET_META,
    SHEET_TASKS,
    SHEETS_SEPARATOR,
    SUPPORTED_VERSIONS,
    TASK_SHEET,
)
from loaders.excel.narrative_rows import (
    AGENCIES_SQL,
    AGENCY_SHEET,
    SHEET_AGENCY_NOTES,
    check_agency_row,
    narrative_frame,
    with_narratives,
)
from loaders.excel.parsed import (
    ROW_COLUMNS,
    TASK_ROW_COLUMNS,
    Issue,
    ParsedUpload,
    Progress,
    empty_actions,
    empty_rows,
    empty_tasks,
)
from loaders.excel.rows import FileState, checked_period, read_rows
from metrics import clock


def read_actuals(
    data: bytes,
    file_name: str,
    con: duckdb.DuckDBPyConnection,
    today: date | None = None,
    progress: Progress | None = None,
) -> ParsedUpload:
    """Read and check an uploaded workbook against the indicator catalog. Never writes anything."""
    report = progress or (lambda fraction, text: None)
    file_name = clean_text(file_name or "")[:MAX_FILE_NAME] or "tệp không tên"  # it is stored and shown
    parsed = ParsedUpload(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    report(0.05, "Đang kiểm tra loại tệp, dung lượng…")
    parsed.errors = check_container(data, file_name)
    if parsed.errors:
        return parsed
    report(0.15, f"Đang đọc trang “{SHEET_DATA}”…")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        meta = (
            workbook.get_sheet_by_name(SHEET_META).to_python(skip_empty_area=False)
            if SHEET_META in names
            else None
        )
        lost = [s for s in _template_sheets(meta) if s not in names]
        if lost:
            visible = ", ".join(f"“{n}”" for n in names if n != SHEET_META)
            parsed.errors = [
                Issue(
                    f"Tệp lập từ mẫu nhưng không còn trang “{s}” (trang bị đổi tên hoặc bị xóa?). Tệp có các "
                    f"trang: {visible}.",
                    sheet=s,
                    expected=f"giữ nguyên tên trang “{s}” như trong mẫu (đổi tên lại, hoặc tải mẫu mới)",
                )
                for s in lost
            ]
            return parsed
        if SHEET_DATA not in names and SHEET_TASKS not in names:
            visible = ", ".join(f"“{n}”" for n in names if n != SHEET_META) or "không có trang nào"
            parsed.errors = [
                Issue(
                    f"Không tìm thấy trang tính “{SHEET_DATA}” hay “{SHEET_TASKS}” (tệp có: {visible}).",
                    expected=f"tệp lập từ mẫu, giữ nguyên trang “{SHEET_DATA}” và “{SHEET_TASKS}”",
                )
            ]
            return parsed
        grids: dict[str, list[list]] = {}
        for name in (SHEET_DATA, SHEET_TASKS, SHEET_AGENCY_NOTES, SHEET_ACTIONS):
            if name not in names:
                continue
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end
            if end is not None and (end[0] + 1 > MAX_ROWS or end[1] + 1 > MAX_COLUMNS):
                parsed.errors = [
                    Issue(
                        f"Trang có dữ liệu tới dòng {end[0] + 1}, cột {end[1] + 1}: quá lớn cho một mẫu số liệu.",
                        sheet=name,
                        expected=f"không quá {MAX_ROWS} dòng và {MAX_COLUMNS} cột",
                    )
                ]
                return parsed
            grids[name] = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own types and plain ones for broken XML
        parsed.errors = [
            Issue(
                f"Tệp “{file_name}” bị hỏng, không đọc được ({type(exc).__name__}).",
                expected="tệp .xlsx mở được bằng Excel",
            )
        ]
        return parsed
    report(0.35, "Đang kiểm tra tiêu đề cột…")
    indicators = {r[0]: r for r in con.execute(indicator_values.INDICATORS_SQL).fetchall()}
    tasks = {r[0]: r for r in con.execute(task_updates.TASKS_SQL).fetchall()} if SHEET_TASKS in grids else {}
    _read_sheets(parsed, data, grids, meta, indicators, tasks, today, report)
    if SHEET_AGENCY_NOTES in grids:
        agencies = {r[0]: r for r in con.execute(AGENCIES_SQL).fetchall()}
        state = FileState(parsed, data, today or clock.today(), parsed.period, parsed.period is not None)
        read_rows(state, grids[SHEET_AGENCY_NOTES], AGENCY_SHEET, agencies, check_agency_row)
    if SHEET_ACTIONS in grids:
        _read_actions(parsed, data, grids[SHEET_ACTIONS], meta, con, today)
    parsed.narratives = narrative_frame([] if parsed.errors else parsed.narratives, parsed.period)
    if parsed.errors:
        parsed.rows = empty_rows()
        parsed.tasks = empty_tasks()
        parsed.actions = empty_actions()
    report(1.0, "Đã kiểm tra xong.")
    return parsed


def _read_meta(parsed: ParsedUpload, meta: list[list] | None, today: date) -> tuple[str | None, bool]:
    """(period, whether the file states one) from the template's hidden sheet; the period is None if wrong."""
    if meta is None:
        return None, False
    values = {}
    for r, row in enumerate(meta, start=1):
        if len(row) >= 2 and not is_blank(row[0]):
            values[str(row[0]).strip()] = (r, "" if row[1] is None else str(row[1]).strip())
    version = values.get("template_version", (None, ""))[1]
    parsed.template_version = version or None
    if version and version not in SUPPORTED_VERSIONS:
        row = values["template_version"][0]
        parsed.errors.append(
            Issue(
                "Phiên bản mẫu không được hỗ trợ.",
                sheet=SHEET_META,
                row=row,
                column="B",
                found=version,
                expected=f"mẫu phiên bản {', '.join(sorted(SUPPORTED_VERSIONS))}: tải lại mẫu mới",
            )
        )
    parsed.agency_id = values.get("agency_id", (None, ""))[1] or None
    if "period" not in values:
        return None, False
    row, text = values["period"]
    return checked_period(parsed, text, SHEET_META, row, "B", None, today), True


def _template_sheets(meta: list[list] | None) -> list[str]:
    """The sheets the template had, from its hidden sheet; for a template that predates the list, the
    sheets it had rows in. Empty without a hidden sheet (a sheet pasted into a new workbook)."""
    if meta is None:
        return []
    for row in meta:
        if len(row) >= 2 and str(row[0]).strip() == "sheets":
            listed = (SHEET_DATA, SHEET_TASKS, SHEET_ACTIONS)
            return [s for s in str(row[1]).split(SHEETS_SEPARATOR) if s in listed]
    counts = ((SHEET_DATA, _meta_count(meta, "rows")), (SHEET_TASKS, _meta_count(meta, "task_rows")))
    return [name for name, n in counts if n]


def _meta_count(meta: list[list] | None, key: str) -> int | None:
    """A count the template wrote in its hidden sheet ('rows', 'task_rows'); None if absent or unreadable."""
    for row in meta or []:
        if len(row) >= 2 and str(row[0]).strip() == key:
            try:
                return int(float(str(row[1]).strip()))
            except ValueError:
                return None
    return None


def _read_sheets(parsed, data, grids, meta, indicators, tasks, today, report) -> None:
    """Both sheets, each optional, then what the file as a whole must hold (rows, a period)."""
    period, meta_has_period = _read_meta(parsed, meta, today or clock.today())
    state = FileState(parsed, data, today or clock.today(), period, meta_has_period)
    grid, task_grid = grids.get(SHEET_DATA), grids.get(SHEET_TASKS)
    rows: list[tuple] = []
    task_rows: list[tuple] = []
    n_indicator_rows = n_task_rows = 0
    if grid is not None:
        rows, n_indicator_rows = read_rows(
            state, grid, DATA_SHEET, indicators, with_narratives(indicator_values.check_row), report
        )
    if task_grid is not None:
        task_rows, n_task_rows = read_rows(state, task_grid, TASK_SHEET, tasks, task_updates.check_row)
    expected_rows = _meta_count(meta, "rows")
    expect_rows = grid is not None and (expected_rows > 0 if expected_rows is not None else task_grid is None)
    if n_indicator_rows == 0 and not parsed.errors and expect_rows:
        parsed.errors.append(
            Issue(
                "Trang không có dòng chỉ tiêu nào.",
                sheet=SHEET_DATA,
                expected="tệp lập từ mẫu, mỗi chỉ tiêu một dòng",
            )
        )
    expected_tasks = _meta_count(meta, "task_rows")
    if task_grid is not None and n_task_rows == 0 and not parsed.errors and (expected_tasks or 0) > 0:
        parsed.errors.append(
            Issue(
                "Trang không có dòng nhiệm vụ nào (các dòng của mẫu đã bị xóa).",
                sheet=SHEET_TASKS,
                expected="tệp lập từ mẫu, mỗi nhiệm vụ một dòng",
            )
        )
    if grid is None and task_grid is not None and n_task_rows == 0 and not parsed.errors:
        parsed.errors.append(
            Issue("Trang không có dòng nhiệm vụ nào.", sheet=SHEET_TASKS, expected="tệp lập từ mẫu")
        )
    if state.file_period is None and not parsed.errors:
        parsed.errors.append(
            Issue(
                "Không xác định được kỳ báo cáo của tệp.",
                sheet=SHEET_DATA if grid is not None else SHEET_TASKS,
                column=HEADER_OF["period_label"],
                expected="tệp lập từ mẫu của một quý",
            )
        )
    parsed.period = state.file_period
    report(0.85, "Đang tổng hợp…")
    if not parsed.errors:
        parsed.rows = _value_frame(rows, state.file_period)
        parsed.tasks = _task_frame(task_rows, state.file_period)


def _read_actions(parsed, data, grid, meta, con, today) -> None:
    """The sheet of corrective actions, read after the others: its rows share the file's period."""
    state = FileState(parsed, data, today or clock.today(), parsed.period, parsed.period is not None)
    rows, n_known = read_rows(state, grid, ACTION_SHEET, action_rows.catalog(con), action_rows.check_row)
    expected = _meta_count(meta, "action_rows")
    if n_known == 0 and not parsed.errors and (expected or 0) > 0:
        parsed.errors.append(
            Issue(
                "Trang không có dòng giải pháp nào (các dòng của mẫu đã bị xóa).",
                sheet=SHEET_ACTIONS,
                expected="tệp lập từ mẫu, mỗi giải pháp một dòng",
            )
        )
    if not parsed.errors:
        parsed.actions = action_rows.action_frame(rows, parsed.period)


def _columns(rows: list[tuple], fields: tuple[str, ...]) -> dict[str, list]:
    """The rows' tuples as one list per field (empty lists for no rows)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(fields)
    return {f: list(c) for f, c in zip(fields, columns, strict=True)}


def _objects(values: list) -> pd.Series:
    # Object columns built as such: letting pandas infer its string dtype and casting back cost more
    # than checking the 10 000 rows (docs/performance.md).
    column = pd.Series(values, dtype=object)
    if infer_dtype(values, skipna=True) == "string":  # the missing texts of a text column read as NaN
        column = column.where(column.notna(), np.nan)
    return column


def _value_frame(rows: list[tuple], period: str | None) -> pd.DataFrame:
    columns = _columns(rows, indicator_values.ROW_FIELDS)
    frame = pd.DataFrame({f: _objects(v) for f, v in columns.items()})
    frame["value"] = pd.Series(columns["value"], dtype="float64")
    if rows:  # as pandas infers it: whole numbers, or object when there are no rows
        frame["excel_row"] = pd.Series(columns["excel_row"], dtype="int64")
    frame.insert(1, "period", _objects([period] * len(rows)))
    return frame[list(ROW_COLUMNS)]


def _task_frame(rows: list[tuple], period: str | None) -> pd.DataFrame:
    columns = _columns(rows, task_updates.ROW_FIELDS)
    frame = pd.DataFrame({f: _objects(v) for f, v in columns.items()})
    frame.insert(1, "period", _objects([period] * len(rows)))
    return frame[list(TASK_ROW_COLUMNS)]
