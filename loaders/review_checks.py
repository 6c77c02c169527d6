"""Checks an upload must pass before its preview, beyond the file itself: the period is not locked, and an
agency's reporter sends only its own template, indicators and tasks (docs/reporting.md §6–7).

Each problem is an Issue naming the sheet, the row and the item, so the page shows it with the file's other
errors and nothing is written.
"""

from __future__ import annotations

import duckdb

from loaders import action_updates, period_locks
from loaders.excel.contract import SHEET_DATA, SHEET_META, SHEET_TASKS
from loaders.excel.parsed import Issue, ParsedUpload

_CURRENT_SQL = "SELECT current_agency_id, current_agency_name FROM v_agencies WHERE agency_id = ?"
_LEADS_SQL = """
SELECT t.indicator_id, string_agg(DISTINCT ta.agency_name, '; ' ORDER BY ta.agency_name) AS leads,
       bool_or(ta.agency_id = ?) AS own
FROM targets t JOIN v_target_agencies ta USING (target_id)
GROUP BY t.indicator_id
"""
_TASK_LEADS_SQL = """
SELECT task_id, string_agg(DISTINCT agency_name, '; ' ORDER BY agency_name) AS leads, bool_or(agency_id = ?) AS own
FROM v_task_agencies WHERE role = 'lead'
GROUP BY task_id
"""


def current_agency(con: duckdb.DuckDBPyConnection, agency_id: str | None) -> tuple[str, str] | None:
    """(id, name) of the body an agency reports under today (its successor, its department)."""
    if not agency_id:
        return None
    row = con.execute(_CURRENT_SQL, [str(agency_id).strip()]).fetchone()
    return (row[0], row[1]) if row else None


def scope_issues(con: duckdb.DuckDBPyConnection, parsed: ParsedUpload, reporter) -> list[Issue]:
    """An agency reporter's file must be its own template and hold only items its agency leads."""
    own = current_agency(con, getattr(reporter, "agency", None))
    if own is None:
        return [
            Issue(
                f"Tài khoản {reporter.label} chưa gắn với cơ quan nào có trong danh mục: chưa nhận số liệu. "
                "Đề nghị quản trị viên gắn mã cơ quan cho tài khoản (add-user --agency)."
            )
        ]
    own_id, own_name = own
    issues = []
    meta = current_agency(con, parsed.agency_id)
    if meta is None or meta[0] != own_id:
        whose = f"mẫu của {meta[1]}" if meta else "mẫu chung của mọi cơ quan"
        issues.append(
            Issue(
                f"Tệp là {whose}, không phải mẫu của {own_name}: hãy tải mẫu của {own_name} ở bước 1 rồi điền lại.",
                sheet=SHEET_META,
            )
        )
    issues += _foreign(
        parsed.rows,
        "indicator_id",
        con.execute(_LEADS_SQL, [own_id]).fetchall(),
        own_name,
        reporter,
        ("Chỉ tiêu", "báo cáo chỉ tiêu", SHEET_DATA, "Mã chỉ tiêu"),
    )
    if len(parsed.tasks):
        issues += _foreign(
            parsed.tasks,
            "task_id",
            con.execute(_TASK_LEADS_SQL, [own_id]).fetchall(),
            own_name,
            reporter,
            ("Nhiệm vụ", "cập nhật nhiệm vụ", SHEET_TASKS, "Mã nhiệm vụ"),
        )
    issues += action_updates.scope_issues(con, parsed.actions, own_id, own_name, reporter)
    return issues


def _foreign(
    rows, key: str, lead_rows, own_name: str, reporter, words: tuple[str, str, str, str]
) -> list[Issue]:
    """One error per row (indicator or task) that the reporter's agency does not lead, naming who does."""
    noun, doing, sheet, column = words
    leads = {r[0]: (r[1], r[2]) for r in lead_rows}
    issues = []
    for row in rows.to_dict("records"):
        lead, mine = leads.get(row[key], ("không cơ quan nào", False))
        if not mine:
            issues.append(
                Issue(
                    f"{noun} {row[key]} do {lead} chủ trì, không phải {own_name}: tài khoản "
                    f"{reporter.label} không được {doing} của cơ quan khác.",
                    sheet=sheet,
                    row=int(row["excel_row"]) if row.get("excel_row") is not None else None,
                    column=column,
                )
            )
    return issues


def check_upload(con: duckdb.DuckDBPyConnection, parsed: ParsedUpload, reporter=None) -> ParsedUpload:
    """Add to a read file's errors a locked period and, for an agency reporter, items outside its agency.

    `reporter` is the logged-in account (loaders.auth.User) or None (the secretariat's CLI, a library call).
    The rows are cleared when an error is added, as the reader does: nothing of a refused file is kept.
    """
    if not parsed.ok:
        return parsed
    issues = []
    locked = period_locks.refusal(con, parsed.period)
    if locked:
        issues.append(Issue(locked, sheet=SHEET_META))
    if reporter is not None and getattr(reporter, "role", None) == "co_quan":
        issues.extend(scope_issues(con, parsed, reporter))
    if issues:
        parsed.errors.extend(issues)
        parsed.rows = parsed.rows.iloc[0:0]
        parsed.tasks = parsed.tasks.iloc[0:0]
        parsed.actions = parsed.actions.iloc[0:0]
    return parsed
