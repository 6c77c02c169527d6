"""Corrective actions in the template: the sheet “Giải pháp khắc phục”, its rows, and its row check.

One row per corrective action still open for the template's agency (docs/narratives.md): the agency
reports its status for the period with the words, date rules and errors of the task sheet
(task_updates.checked_update). The sheet exists only when there is an action to list; a template
without it is read as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from loaders.excel.cells import is_missing
from loaders.excel.contract import SHEET_ACTIONS, TEXT_FORMAT, Column, SheetContract
from loaders.excel.parsed import ACTION_ROW_COLUMNS, empty_actions
from loaders.excel.rows import FileState, Row
from loaders.excel.task_updates import checked_update
from metrics.narratives import action_status
from metrics.periods import period_index, quarter_label_vi
from metrics.tasks import DONE_STATUSES, STATUS_LABELS, STOPPED, TIMING

CODE_PREFIX = "GP-"
ROW_FIELDS = ("action_id", "status", "completed_on", "note", "excel_row")
CLOSED_STATUSES = (*DONE_STATUSES, STOPPED)  # an action closed before the period is no longer listed

ACTION_SHEET = SheetContract(
    name=SHEET_ACTIONS,
    columns=(
        Column("Mã giải pháp", "action_code", 12),
        Column("Chỉ tiêu", "indicator", 44),
        Column("Giải pháp", "title", 60),
        Column("Cơ quan thực hiện", "owner_agency", 30),
        Column("Hạn hoàn thành", "due", 16),
        Column("Kỳ báo cáo", "period_label", 14),
        Column("Trạng thái hiện tại", "current_status", 36, reference_only=True),
        Column("Trạng thái", "status", 22, editable=True, number_format=TEXT_FORMAT),
        # Text, as on the task sheet: a date typed on an English-locale machine would be read month first.
        Column("Ngày hoàn thành", "completed_on", 16, editable=True, number_format=TEXT_FORMAT),
        Column("Ghi chú", "note", 36, editable=True, number_format=TEXT_FORMAT),
    ),
    key_field="action_code",
    key_upper=True,
    key_missing="Thiếu mã giải pháp ở dòng có cập nhật.",
    key_missing_expected="mã giải pháp của mẫu",
    key_unknown="Mã giải pháp không có trong danh sách giải pháp khắc phục.",
    key_unknown_expected="mã giải pháp đúng như trong mẫu (ví dụ GP-1)",
    duplicate="Giải pháp {code} xuất hiện lần thứ hai (đã có ở dòng {first}).",
    one_per_row="mỗi giải pháp một dòng",
)

# The catalog a row's key is checked against: every action, whoever owns it (the owner is checked apart,
# for an agency's reporter, by review_checks), as (action_id, decided in, current owner id, owner name).
ACTIONS_SQL = """
SELECT a.action_id, a.period, va.current_agency_id, va.current_agency_name
FROM corrective_actions a LEFT JOIN v_agencies va ON va.agency_id = a.owner_agency_id
"""
_TEMPLATE_SQL = """
SELECT a.action_id, a.indicator_id, i.name AS indicator_name, a.period, a.title, a.owner_agency_id,
       va.current_agency_name AS owner_agency_name, a.due_date
FROM corrective_actions a
JOIN indicators i USING (indicator_id)
LEFT JOIN v_agencies va ON va.agency_id = a.owner_agency_id
WHERE period_index(a.period) <= period_index(?)
  AND (CAST(? AS VARCHAR) IS NULL OR va.current_agency_id = ?)
ORDER BY a.action_id
"""
_UPDATES_SQL = "SELECT * FROM v_corrective_action_updates WHERE period_index(period) <= period_index(?)"
_CLOSED_SQL = """
SELECT action_id FROM v_corrective_action_updates
WHERE period_index(period) < period_index(?)
QUALIFY row_number() OVER (PARTITION BY action_id ORDER BY period_index(period) DESC) = 1
    AND status IN (SELECT unnest(CAST(? AS VARCHAR[])))
"""
_HAS_TABLE_SQL = "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'corrective_actions'"


def action_code(action_id: int) -> str:
    """'GP-12': a code that stays text in any spreadsheet program (a bare 12 would be read as 12.0)."""
    return f"{CODE_PREFIX}{int(action_id)}"


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    indicator: str
    title: str
    owner_agency: str
    due: str
    current_status: str


def catalog(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    """{code: (action_id, decided in, current owner id, owner name)} of every corrective action."""
    if not con.execute(_HAS_TABLE_SQL).fetchall()[0][0]:
        return {}
    return {action_code(r[0]): r for r in con.execute(ACTIONS_SQL).fetchall()}


def _status_words(row: dict) -> str:
    """'Đang thực hiện (Quý III/2026) · Quá hạn / chậm tiến độ': the status in force, the period it was
    reported for, and its timing as of the template's period."""
    status = STATUS_LABELS.get(str(row["status"]), str(row["status"]))
    if not is_missing(row["completed_on"]):
        status += f" {pd.Timestamp(row['completed_on']):%d/%m/%Y}"
    if not is_missing(row["update_period"]):
        status += f" ({quarter_label_vi(row['update_period'])})"
    timing = TIMING[row["timing"]].label if row["timing"] in TIMING else ""
    return f"{status} · {timing}" if timing else status


def action_rows(
    con: duckdb.DuckDBPyConnection, period: str, current_id: str | None, today: date | None = None
) -> list[ActionRow]:
    """The open corrective actions for the period, of the agency (its current successor) if given.

    Open: decided by the period and not closed (done, stopped) in an earlier one; an action closed in the
    period itself stays, so the same template can be sent again."""
    if not con.execute(_HAS_TABLE_SQL).fetchall()[0][0]:
        return []
    actions = con.execute(_TEMPLATE_SQL, [period, current_id, current_id]).df()
    if actions.empty:
        return []
    closed = {r[0] for r in con.execute(_CLOSED_SQL, [period, list(CLOSED_STATUSES)]).fetchall()}
    actions = actions[~actions["action_id"].isin(closed)]
    # The task rules of lateness, as every page and the pack show them (metrics.narratives.action_status).
    status = action_status(actions, con.execute(_UPDATES_SQL, [period]).df(), period, today)
    by_id = {r["action_id"]: r for r in status.to_dict("records")}
    out = []
    for a in actions.to_dict("records"):
        due = a["due_date"]
        out.append(
            ActionRow(
                action_id=int(a["action_id"]),
                indicator=f"{a['indicator_name']} ({a['indicator_id']})",
                title=a["title"],
                owner_agency=a["owner_agency_name"] or a["owner_agency_id"],
                due="Không ghi thời hạn" if is_missing(due) else f"{pd.Timestamp(due):%d/%m/%Y}",
                current_status=_status_words(by_id[a["action_id"]]) if a["action_id"] in by_id else "",
            )
        )
    return out


def check_row(state: FileState, row: Row) -> tuple | None:
    """(action_id, status, completed_on, note, excel_row) of a row with an update; None otherwise."""
    if not row.has_content:
        state.parsed.n_action_blank += 1
        return None
    checked = checked_update(state, row)
    if row.entry is None:
        return None
    decided = row.entry[1]
    if state.file_period is not None and period_index(decided) > period_index(state.file_period):
        row.err(
            f"Giải pháp {row.code} được đề ra ở {quarter_label_vi(decided)}, sau kỳ của tệp "
            f"({quarter_label_vi(state.file_period)}).",
            "action_code",
            found=row.code,
            expected="cập nhật giải pháp ở kỳ nó đã được đề ra hoặc kỳ sau",
        )
        return None
    if checked is None:
        return None
    status, completed_on, _evidence, note = checked
    return (int(row.entry[0]), status, completed_on, note, row.excel_row)


def action_frame(rows: list[tuple], period: str | None) -> pd.DataFrame:
    """The rows' tuples as the frame a preview compares: one row per action, with the file's period."""
    if not rows:
        return empty_actions()
    frame = pd.DataFrame(rows, columns=list(ROW_FIELDS)).astype(object)
    frame.insert(1, "period", period)
    return frame[list(ACTION_ROW_COLUMNS)]
