"""The whole upload history as an .xlsx workbook: uploads, values recorded, task updates recorded."""

from __future__ import annotations

import io

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from loaders import xlsx_text
from loaders.excel.cells import is_missing
from loaders.upload_history import (
    HISTORY_COLUMNS,
    REVISION_COLUMNS,
    TASK_REVISION_COLUMNS,
    revisions,
    task_revisions,
    upload_history,
)
from loaders.upload_store import KIND_LABELS
from metrics.tasks import STATUS_LABELS as TASK_STATUS_LABELS


def _cell(value: object) -> object:
    """A value safe to write in an exported sheet: no formula, no illegal character, no NaN."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):  # written as text by xlsx_text.text_row: nothing evaluated, no apostrophe
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


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
            if "status" in record and not is_missing(record["status"]):
                record["status"] = TASK_STATUS_LABELS.get(record["status"], record["status"])
            ws.append(xlsx_text.text_row(ws, [_cell(record[c]) for c in columns]))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
