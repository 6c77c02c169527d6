"""Task updates by Excel: the sheet “Nhiệm vụ” in the template, read, checked, previewed, committed, reverted."""

from __future__ import annotations

import io
from datetime import date, datetime

import duckdb
import openpyxl
import pandas as pd
import pytest

from exports import history_workbook
from loaders import upload_commit, upload_history, upload_preview, upload_tables
from loaders.__main__ import main as cli_main
from loaders.demo import DEMO_TODAY, demo_task_rows
from loaders.excel.cells import parse_date_text, parse_task_status
from loaders.excel.contract import (
    SHEET_DATA,
    SHEET_META,
    SHEET_TASKS,
    TASK_HEADER_OF,
    TASK_HEADERS,
    TASK_STATUS_CHOICES,
)
from loaders.excel.reader import read_actuals
from loaders.excel.template import build_template
from metrics.tasks import DONE_STATUSES, period_end
from tests.support import cli, workbooks
from tests.support.workbooks import PERIOD, fill, snapshot

TODAY = date(2026, 11, 23)


def task_col(field: str) -> int:
    return TASK_HEADERS.index(TASK_HEADER_OF[field]) + 1


def task_row(xlsx: bytes, code: str) -> int:
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))[SHEET_TASKS]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == code:
            return r
    raise KeyError(code)


def fill_tasks(xlsx: bytes, updates: dict[str, dict[str, object]]) -> bytes:
    """The template with task cells typed in, by task code: {code: {field: value}}."""

    def change(wb):
        ws = wb[SHEET_TASKS]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for code, cells in updates.items():
            for field, value in cells.items():
                ws.cell(rows[code], task_col(field)).value = value

    return workbooks.edit(xlsx, change)


DONE_T003 = {"status": "Hoàn thành", "completed_on": date(2025, 11, 20), "evidence": "Công văn 123/SKHCN"}
GOOD = {
    "ubnd6896-T003": DONE_T003,
    "ubnd6896-T007": {"status": "Hoàn thành chậm", "completed_on": "15/12/2025", "evidence": "BC 45/VP"},
    "ubnd6896-T008": {"status": "đang thực hiện", "note": "Đã thành lập 2 đoàn"},
    "ubnd6896-T001": {"status": "Chậm tiến độ"},
}


def tasks_in_force(con, period=PERIOD) -> pd.DataFrame:
    return con.execute(
        "SELECT task_id, status, completed_on, evidence FROM v_task_updates WHERE period = ? ORDER BY task_id",
        [period],
    ).df()


def commit(con, data: bytes, name: str = "f.xlsx", by: str = "thuy") -> upload_commit.CommitResult:
    result = upload_preview.validate_and_preview(con, data, name, today=TODAY)
    assert result.ok, [str(e) for e in result.errors]
    return upload_commit.commit(con, result, by)


# ---------------------------------------------------------------- the template


def test_the_template_has_a_task_sheet_with_one_row_per_task_and_only_four_open_columns(blank):
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    assert wb.sheetnames == [SHEET_DATA, SHEET_TASKS, "Khó khăn, kiến nghị", "Hướng dẫn", SHEET_META]
    ws = wb[SHEET_TASKS]
    assert [c.value for c in ws[1]] == list(TASK_HEADERS)
    codes = [ws.cell(r, 1).value for r in range(2, ws.max_row + 1)]
    assert len(codes) == len(set(codes)) == 109, "plans issued by Q4/2025: all three"
    editable = {task_col(f) for f in ("status", "completed_on", "evidence", "note")}
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(TASK_HEADERS)):
        for cell in row:
            assert cell.protection.locked is not (cell.row > 1 and cell.column in editable), cell.coordinate
    assert ws.protection.sheet
    r = task_row(blank, "ubnd6896-T003")
    assert ws.cell(r, task_col("deadline")).value == "Tháng 11/2025 (hạn 30/11/2025)"
    assert ws.cell(r, task_col("period_label")).value == "Quý IV/2025"
    marked = ws.cell(task_row(blank, "ubnd6896-T011"), task_col("deadline")).value
    assert marked == "Không ghi thời hạn; kế hoạch ghi: nhiệm vụ chậm tiến độ"
    dropdown = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(dropdown) == 1 and dropdown[0].formula1 == '"' + ",".join(TASK_STATUS_CHOICES) + '"'
    assert "Dừng/không thực hiện" in dropdown[0].formula1
    meta = {wb[SHEET_META].cell(r, 1).value: wb[SHEET_META].cell(r, 2).value for r in range(1, 8)}
    assert meta["task_rows"] == "109"


def test_an_agency_template_lists_its_tasks_with_merged_bodies_rolled_up(con):
    def codes(agency, period="2025-Q4"):
        ws = openpyxl.load_workbook(io.BytesIO(build_template(con, period, agency, today=TODAY)))[SHEET_TASKS]
        return {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}

    assert codes("so_tttt") == codes("so_khcn")
    assert "ubnd2025-T001" in codes("so_khcn"), "led by Sở Thông tin và Truyền thông in the 02/2025 plan"
    assert "ubnd6896-T003" in codes("so_khcn"), "led by the department's party committee"
    assert not any(c.startswith("ubnd6896") for c in codes("so_khcn", "2025-Q3")), "6896 came in Q4/2025"
    # An agency that leads tasks but no target still gets a template (its sheet “Số liệu” may be short).
    assert codes("vp_ubnd")


def test_the_previous_status_is_shown_for_reference(con, blank):
    commit(con, fill_tasks(blank, {"ubnd6896-T003": DONE_T003}))
    wb = openpyxl.load_workbook(io.BytesIO(build_template(con, "2026-Q1", today=TODAY)))
    ws = wb[SHEET_TASKS]
    r = task_row(blank, "ubnd6896-T003")
    assert ws.cell(r, task_col("previous_status")).value == "Hoàn thành 20/11/2025 (Quý IV/2025)"


def test_a_template_builds_after_a_task_update_without_a_completion_date(db_file, con, blank, tmp_path):
    """The first 'Đang thực hiện' stores no date (NULL, NaT in pandas): the template, page and CLI, must still build."""
    commit(con, fill_tasks(blank, {"ubnd6896-T008": {"status": "Đang thực hiện"}}))
    assert con.execute("SELECT count(*) FROM task_updates WHERE completed_on IS NULL").fetchall() == [(1,)]
    wb = openpyxl.load_workbook(io.BytesIO(build_template(con, "2026-Q1", today=TODAY)))
    previous = wb[SHEET_TASKS].cell(task_row(blank, "ubnd6896-T008"), task_col("previous_status")).value
    assert previous == "Đang thực hiện (Quý IV/2025)"
    con.close()
    out = tmp_path / "mau.xlsx"
    assert cli_main(["template", "--period", PERIOD, "--db", str(db_file), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)[SHEET_TASKS]
    assert ws.cell(task_row(blank, "ubnd6896-T008"), task_col("previous_status")).value == previous


# ---------------------------------------------------------------- reading and checking


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hoàn thành", "done"),
        ("  hoàn   thành chậm ", "done_late"),
        ("Dừng / không thực hiện", "stopped"),
        ("dừng/không thực hiện", "stopped"),
        ("Không thực hiện", "stopped"),
        ("CHƯA TRIỂN KHAI", "not_started"),
        ("Xong", None),
        (12, None),
    ],
)
def test_statuses_are_read_as_people_type_them(text, code):
    assert parse_task_status(text) == code


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15/11/2025", date(2025, 11, 15)),
        ("5/1/2026", date(2026, 1, 5)),
        ("15-11-2025", date(2025, 11, 15)),
        ("15.11.2025", date(2025, 11, 15)),
        ("2025-11-15", date(2025, 11, 15)),
        ("31/02/2025", None),
        ("11/2025", None),
        ("hôm qua", None),
    ],
)
def test_dates_are_read_day_first(text, day):
    assert parse_date_text(text) == day


def test_task_updates_are_read_with_their_dates_and_evidence(con, blank):
    parsed = read_actuals(fill_tasks(blank, GOOD), "f.xlsx", con, today=TODAY)
    assert parsed.errors == []
    got = parsed.tasks.drop(columns="excel_row").sort_values("task_id").reset_index(drop=True)
    expected = pd.DataFrame(
        [
            ("ubnd6896-T001", PERIOD, "behind", None, None, None),
            ("ubnd6896-T003", PERIOD, "done", date(2025, 11, 20), "Công văn 123/SKHCN", None),
            ("ubnd6896-T007", PERIOD, "done_late", date(2025, 12, 15), "BC 45/VP", None),
            ("ubnd6896-T008", PERIOD, "in_progress", None, None, "Đã thành lập 2 đoàn"),
        ],
        columns=["task_id", "period", "status", "completed_on", "evidence", "note"],
    ).astype(object)
    pd.testing.assert_frame_equal(got, expected)
    assert parsed.n_task_blank == 105 and parsed.rows.empty


BAD_TASKS = {
    "unknown_code": (
        {"ubnd6896-T003": {"task_id": "ubnd6896-T999", "status": "Đang thực hiện"}},
        "task_id",
        ("ubnd6896-T999", "không có trong danh mục"),
    ),
    "done_without_date": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "evidence": "CV 1"}},
        "completed_on",
        ("Hoàn thành", "cần ngày hoàn thành"),
    ),
    "done_without_evidence": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "completed_on": "20/11/2025"}},
        "evidence",
        ("Hoàn thành", "cần minh chứng"),
    ),
    "done_late_without_evidence": (
        {"ubnd6896-T003": {"status": "Hoàn thành chậm", "completed_on": date(2025, 12, 1)}},
        "evidence",
        ("cần minh chứng",),
    ),
    "date_in_the_future": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "completed_on": "01/12/2026", "evidence": "CV 1"}},
        "completed_on",
        ("tương lai", "01/12/2026", "23/11/2026"),
    ),
    "date_after_the_period": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "completed_on": date(2026, 1, 15), "evidence": "CV 1"}},
        "completed_on",
        ("sau kỳ báo cáo", "15/01/2026"),
    ),
    "date_before_the_resolution": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "completed_on": "01/12/2024", "evidence": "CV 1"}},
        "completed_on",
        ("trước khi Nghị quyết 57",),
    ),
    "date_not_a_date": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "completed_on": "tháng 11", "evidence": "CV 1"}},
        "completed_on",
        ("không đọc được", "tháng 11"),
    ),
    "date_formula_without_result": (
        {"ubnd6896-T003": {"status": "Hoàn thành", "completed_on": "=45000+1", "evidence": "CV 1"}},
        "completed_on",
        ("công thức",),
    ),
    "date_without_done": (
        {"ubnd6896-T003": {"status": "Đang thực hiện", "completed_on": "20/11/2025"}},
        "completed_on",
        ("Có ngày hoàn thành", "Đang thực hiện"),
    ),
    "unknown_status": (
        {"ubnd6896-T003": {"status": "Xong rồi"}},
        "status",
        ("Xong rồi", "không hợp lệ"),
    ),
    "evidence_without_status": (
        {"ubnd6896-T003": {"evidence": "CV 1"}},
        "status",
        ("chưa chọn trạng thái",),
    ),
    "period_differs": (
        {"ubnd6896-T003": {"status": "Đang thực hiện", "period_label": "Quý III/2025"}},
        "period_label",
        ("Quý III/2025", "khác kỳ của tệp"),
    ),
    "duplicate_task": (
        {
            "ubnd6896-T004": {"task_id": "ubnd6896-T003", "status": "Đang thực hiện"},
            "ubnd6896-T003": {"status": "Đang thực hiện"},
        },
        "task_id",
        ("ubnd6896-T003", "lần thứ hai"),
    ),
    "note_too_long": (
        {"ubnd6896-T003": {"status": "Đang thực hiện", "note": "x" * 2100}},
        "note",
        ("2100 ký tự",),
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_TASKS))
def test_every_bad_task_row_is_refused_naming_sheet_row_and_column_and_nothing_is_written(con, blank, case):
    cells, field, words = BAD_TASKS[case]
    row = task_row(blank, next(iter(cells)) if case != "duplicate_task" else "ubnd6896-T003")
    # Good values in the other sheet too: all-or-nothing across both sheets.
    data = fill_tasks(fill(blank, {"DVC_TOAN_TRINH": "37,6"}), cells)
    before = snapshot(con)
    result, outcome = upload_commit.import_workbook(con, data, "f.xlsx", by="thuy", today=TODAY)
    assert outcome is None and not result.ok
    assert snapshot(con) == before, "nothing of the file is written, not even its good values"
    header = TASK_HEADER_OF[field]
    matching = [
        e
        for e in result.errors
        if e.sheet == SHEET_TASKS and e.column == header and all(w in str(e) for w in words)
    ]
    assert matching, [str(e) for e in result.errors]
    issue = matching[0]
    if case == "duplicate_task":
        row = max(task_row(blank, "ubnd6896-T003"), task_row(blank, "ubnd6896-T004"))
    assert issue.row == row and f"dòng {row}" in str(issue) and f"Trang “{SHEET_TASKS}”" in str(issue)
    assert issue.expected
    assert result.parsed.rows.empty and result.parsed.tasks.empty


def test_an_error_in_the_values_sheet_refuses_the_task_updates_too(con, blank):
    data = fill_tasks(fill(blank, {"DVC_TOAN_TRINH": "khoảng 40"}), GOOD)
    before = snapshot(con)
    result, outcome = upload_commit.import_workbook(con, data, "f.xlsx", by="thuy", today=TODAY)
    assert outcome is None and [e.sheet for e in result.errors] == [SHEET_DATA]
    assert snapshot(con) == before


def test_a_file_with_the_task_sheet_only_is_read(con, blank):
    def drop_values(wb):
        del wb[SHEET_DATA]

    def drop_values_and_meta(wb):  # the sheet pasted into a workbook of its own: no hidden sheet
        del wb[SHEET_DATA]
        del wb[workbooks.SHEET_META]

    filled = fill_tasks(blank, {"ubnd6896-T003": DONE_T003})
    lost = upload_preview.validate_and_preview(
        con, workbooks.edit(filled, drop_values), "f.xlsx", today=TODAY
    )
    assert [e.sheet for e in lost.errors] == [SHEET_DATA], "a template that lost a sheet says which"
    data = workbooks.edit(filled, drop_values_and_meta)
    outcome = commit(con, data)
    assert outcome.committed and outcome.n_revisions == 1
    assert tasks_in_force(con)["task_id"].tolist() == ["ubnd6896-T003"]


def test_deleting_every_task_row_of_the_template_is_refused(con, blank):
    def empty_tasks(wb):
        ws = wb[SHEET_TASKS]
        ws.delete_rows(2, ws.max_row)

    result = upload_preview.validate_and_preview(
        con, workbooks.edit(blank, empty_tasks), "f.xlsx", today=TODAY
    )
    assert [e.sheet for e in result.errors] == [SHEET_TASKS]
    assert "không có dòng nhiệm vụ" in str(result.errors[0])


# ---------------------------------------------------------------- preview, commit, revert


def test_values_and_task_updates_in_one_file_are_one_upload(con, blank):
    data = fill_tasks(fill(blank, {"DVC_TOAN_TRINH": "37,6"}), GOOD)
    result = upload_preview.validate_and_preview(con, data, "quy4.xlsx", today=TODAY)
    assert (result.count("new"), result.task_count("new")) == (1, 4)
    assert "4 cập nhật mới" in result.summary()
    shown = upload_tables.task_preview_display(result).set_index("Mã nhiệm vụ")
    assert shown.loc["ubnd6896-T003", "Trạng thái mới"] == "Hoàn thành"
    assert shown.loc["ubnd6896-T007", "Ngày hoàn thành"] == "15/12/2025"
    assert shown.loc["ubnd6896-T003", "Kỳ"] == "Quý IV/2025"
    before = snapshot(con)
    assert snapshot(con) == before, "a preview writes nothing"
    outcome = upload_commit.commit(con, result, "thuy")
    assert outcome.committed and outcome.n_revisions == 5 and "4 cập nhật nhiệm vụ" in outcome.message
    upload = con.execute("SELECT upload_id, kind, file_name, sha256, uploaded_by, n_revisions FROM uploads")
    assert upload.fetchall() == [(1, "import", "quy4.xlsx", result.parsed.sha256, "thuy", 5)]
    rows = con.execute(
        "SELECT DISTINCT upload_id, recorded_by, is_retraction FROM task_updates ORDER BY ALL"
    ).fetchall()
    assert rows == [(1, "thuy", False)]
    expected = pd.DataFrame(
        [
            ("ubnd6896-T001", "behind", pd.NaT, None),
            ("ubnd6896-T003", "done", pd.Timestamp("2025-11-20"), "Công văn 123/SKHCN"),
            ("ubnd6896-T007", "done_late", pd.Timestamp("2025-12-15"), "BC 45/VP"),
            ("ubnd6896-T008", "in_progress", pd.NaT, None),
        ],
        columns=["task_id", "status", "completed_on", "evidence"],
    )
    pd.testing.assert_frame_equal(tasks_in_force(con), expected, check_dtype=False)
    history = upload_history.upload_history(con)
    assert history["periods"].tolist() == [PERIOD]


def test_a_second_file_changes_only_what_changed_and_the_same_file_adds_nothing(con, blank):
    data = fill_tasks(blank, GOOD)
    commit(con, data)
    n = con.execute("SELECT count(*) FROM task_updates").fetchall()[0][0]
    again = upload_preview.validate_and_preview(con, data, "lai.xlsx", today=TODAY)
    assert again.duplicate is not None and not again.has_changes
    same = upload_preview.validate_and_preview(con, fill_tasks(blank, GOOD), "khac.xlsx", today=TODAY)
    assert same.task_count("unchanged") == 4 and not same.task_count("new") and not same.task_count("changed")
    changed = {**GOOD, "ubnd6896-T008": {**DONE_T003, "completed_on": "28/12/2025"}}
    result = upload_preview.validate_and_preview(con, fill_tasks(blank, changed), "sua.xlsx", today=TODAY)
    assert (result.task_count("new"), result.task_count("changed"), result.task_count("unchanged")) == (
        0,
        1,
        3,
    )
    row = upload_tables.task_preview_display(result).iloc[0]
    assert (row["Mã nhiệm vụ"], row["Trạng thái cũ"], row["Trạng thái mới"]) == (
        "ubnd6896-T008",
        "Đang thực hiện",
        "Hoàn thành",
    )
    assert upload_commit.commit(con, result, "thuy").n_revisions == 1
    assert con.execute("SELECT count(*) FROM task_updates").fetchall()[0][0] == n + 1


def test_revert_of_an_upload_with_task_updates_restores_them_as_a_new_revision(con, blank):
    first = commit(con, fill_tasks(fill(blank, {"DVC_TOAN_TRINH": "37,6"}), GOOD), "dau.xlsx")
    after_first = tasks_in_force(con)
    second = commit(
        con,
        fill_tasks(blank, {"ubnd6896-T008": {**DONE_T003, "completed_on": "28/12/2025"}}),
        "sau.xlsx",
    )
    assert tasks_in_force(con).set_index("task_id").loc["ubnd6896-T008", "status"] == "done"

    undo_second = upload_commit.revert(con, second.upload_id, "lan")
    assert undo_second.committed and "1 cập nhật nhiệm vụ" in undo_second.message
    pd.testing.assert_frame_equal(tasks_in_force(con), after_first)

    n_before = con.execute("SELECT count(*) FROM task_updates").fetchall()[0][0]
    undo_first = upload_commit.revert(con, first.upload_id, "lan")
    assert undo_first.committed and undo_first.n_revisions == 5
    assert tasks_in_force(con).empty and con.execute(
        "SELECT count(*) FROM v_actuals WHERE upload_id IS NOT NULL"
    ).fetchall() == [(0,)]
    # Append-only: the revert added rows (retractions), it deleted none.
    rows = con.execute(
        "SELECT count(*), bool_and(is_retraction) FROM task_updates WHERE upload_id = ?",
        [undo_first.upload_id],
    ).fetchall()
    assert rows == [(4, True)]
    assert con.execute("SELECT count(*) FROM task_updates").fetchall()[0][0] == n_before + 4
    history = con.execute("SELECT count(*) FROM v_task_update_history WHERE task_id = 'ubnd6896-T008'")
    assert history.fetchall() == [(4,)], "in progress, done, back to in progress, retracted"

    # A revert can itself be reverted: the updates come back.
    redo = upload_commit.revert(con, undo_first.upload_id, "lan")
    assert redo.committed
    pd.testing.assert_frame_equal(tasks_in_force(con), after_first)
    assert upload_commit.revert(con, first.upload_id, "lan").status == "refused"


def test_a_later_upload_keeps_its_task_update_when_an_earlier_one_is_reverted(con, blank):
    first = commit(con, fill_tasks(blank, {"ubnd6896-T008": {"status": "Đang thực hiện"}}), "a.xlsx")
    commit(con, fill_tasks(blank, {"ubnd6896-T008": {**DONE_T003, "completed_on": "28/12/2025"}}), "b.xlsx")
    outcome = upload_commit.revert(con, first.upload_id, "lan")
    assert outcome.status == "refused" and "thay thế" in outcome.message
    assert tasks_in_force(con)["status"].tolist() == ["done"]


def test_the_history_workbook_has_the_task_updates(con, blank):
    commit(con, fill_tasks(blank, {"ubnd6896-T003": {**DONE_T003, "note": "@SUM(A1)"}}))
    wb = openpyxl.load_workbook(io.BytesIO(history_workbook.history_workbook(con)))
    ws = wb["Cập nhật nhiệm vụ"]
    values = [c.value for c in ws[2]]
    assert "ubnd6896-T003" in values and "Hoàn thành" in values and "@SUM(A1)" in values
    assert isinstance(values[list(upload_history.TASK_REVISION_COLUMNS).index("completed_on")], datetime)


def test_import_actuals_from_the_command_line_takes_task_updates(
    db_file, blank, tmp_path, capsys, monkeypatch
):
    path = tmp_path / "nv.xlsx"
    path.write_bytes(fill_tasks(blank, GOOD))
    argv = ["import-actuals", str(path), "--by", "thuy", "--db", str(db_file), "--yes"]
    done = cli.run(cli_main, argv, capsys, monkeypatch)
    assert done.returncode == 0, done.stderr
    assert "ubnd6896-T003: Hoàn thành (20/11/2025)" in done.stdout
    assert "4 cập nhật nhiệm vụ" in done.stdout


# ---------------------------------------------------------------- demonstration data


def test_demo_task_updates_obey_the_upload_rules(con):
    rows = demo_task_rows(con)
    assert rows and len({(t, p) for t, p, *_ in rows}) == len(rows), "one update per task and period"
    statuses = {r[2] for r in rows}
    assert {"done", "done_late", "in_progress", "behind"} <= statuses
    for task_id, period, status, completed_on, evidence, _note in rows:
        if status in DONE_STATUSES:
            assert completed_on is not None and evidence, task_id
            assert completed_on <= min(period_end(period), DEMO_TODAY), (task_id, period, completed_on)
        else:
            assert completed_on is None, task_id


def test_a_catalog_rebuild_never_touches_task_updates(db_file, con, blank):
    from loaders.build import build

    first = commit(con, fill_tasks(blank, GOOD))
    upload_commit.revert(con, first.upload_id, "lan")
    kept = con.execute("SELECT * FROM task_updates ORDER BY ALL").fetchall()
    con.close()
    build(db_file)
    again = duckdb.connect(str(db_file))
    try:
        assert again.execute("SELECT * FROM task_updates ORDER BY ALL").fetchall() == kept
        assert again.execute("SELECT nextval('task_update_seq')").fetchall()[0][0] == len(kept) + 1
    finally:
        again.close()


def test_an_agency_with_tasks_but_no_target_fills_the_task_sheet_only(con):
    data = build_template(con, PERIOD, "bchqs", today=TODAY)  # Bộ Chỉ huy Quân sự tỉnh: one task, no target
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb[SHEET_DATA].max_row == 1, "the values sheet has its headers only"
    (code,) = [wb[SHEET_TASKS].cell(r, 1).value for r in range(2, wb[SHEET_TASKS].max_row + 1)]
    blank = upload_preview.validate_and_preview(con, data, "mau.xlsx", today=TODAY)
    assert blank.ok and not blank.has_changes
    outcome = commit(con, fill_tasks(data, {code: {"status": "Đang thực hiện"}}))
    assert outcome.committed and outcome.n_revisions == 1
