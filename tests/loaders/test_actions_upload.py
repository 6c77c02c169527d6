"""Corrective actions by Excel: the sheet “Giải pháp khắc phục” in the template, read with the task rules,
scoped to the reporter's agency, previewed, committed once, reverted, late by the task rules."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime

import openpyxl
import pytest

from loaders import narratives, upload_commit, upload_preview, upload_tables
from loaders.excel.action_rows import ACTION_SHEET
from loaders.excel.contract import SHEET_ACTIONS, SHEET_META, SHEET_TASKS, TASK_STATUS_CHOICES
from loaders.excel.template import build_template
from metrics.narratives import action_status
from tests.support import workbooks
from tests.support.workbooks import snapshot

TODAY = date(2026, 11, 23)
PERIOD = "2026-Q4"
DECIDED = datetime(2026, 9, 1, 8, 0)


@dataclass(frozen=True)
class Reporter:
    name: str
    agency: str
    role: str = "co_quan"

    @property
    def label(self) -> str:
        return self.name


def col(field: str) -> int:
    return ACTION_SHEET.headers.index(ACTION_SHEET.header_of[field]) + 1


def add(con, title="Đầu tư trạm BTS", owner="so_khcn", due=date(2026, 10, 15), period="2026-Q3") -> int:
    return narratives.add_action(con, "DVC_TOAN_TRINH", period, title, owner, due, "tester", DECIDED)


def sheet_rows(xlsx: bytes) -> dict[str, int]:
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))[SHEET_ACTIONS]
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def fill(xlsx: bytes, updates: dict[str, dict[str, object]]) -> bytes:
    """The template with action cells typed in, by action code: {code: {field: value}}."""

    def change(wb):
        ws = wb[SHEET_ACTIONS]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for code, cells in updates.items():
            for field, value in cells.items():
                ws.cell(rows[code], col(field)).value = value

    return workbooks.edit(xlsx, change)


def template(con, agency=None) -> bytes:
    return build_template(con, PERIOD, agency, today=TODAY)


def check(con, data: bytes, reporter=None, name="giai_phap.xlsx"):
    return upload_preview.validate_and_preview(con, data, name, today=TODAY, reporter=reporter)


# ---------------------------------------------------------------- the sheet in the template


def test_no_action_no_sheet_and_the_file_reads_as_before(con):
    blank = template(con)
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    assert SHEET_ACTIONS not in wb.sheetnames
    meta = dict(wb[SHEET_META].iter_rows(values_only=True))
    assert meta["sheets"] == f"Số liệu|{SHEET_TASKS}" and "action_rows" not in meta
    result = check(con, blank)
    assert result.ok and result.actions.empty and "Giải pháp khắc phục" not in result.summary()


def test_the_sheet_lists_open_actions_read_only_with_their_status_and_an_open_status_dropdown(con):
    late = add(con)
    done = add(con, "Đã xong", due=date(2026, 8, 1))
    narratives.update_action(con, done, "2026-Q3", "done", "tester", completed_on=date(2026, 8, 20))
    blank = template(con)
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    ws = wb[SHEET_ACTIONS]
    assert tuple(c.value for c in ws[1]) == ACTION_SHEET.headers
    assert list(sheet_rows(blank)) == [f"GP-{late}"], "an action closed before the period is not listed"
    row = {h: ws.cell(2, i + 1).value for i, h in enumerate(ACTION_SHEET.headers)}
    assert row["Giải pháp"] == "Đầu tư trạm BTS" and row["Hạn hoàn thành"] == "15/10/2026"
    assert row["Cơ quan thực hiện"] == "Sở Khoa học và Công nghệ" and row["Kỳ báo cáo"] == "Quý IV/2026"
    assert row["Chỉ tiêu"].endswith("(DVC_TOAN_TRINH)")
    assert row["Trạng thái hiện tại"] == "Chưa triển khai (Quý III/2026) · Quá hạn / chậm tiến độ"
    locked = {h: ws.cell(2, i + 1).protection.locked for i, h in enumerate(ACTION_SHEET.headers)}
    assert [h for h, is_locked in locked.items() if not is_locked] == [
        "Trạng thái",
        "Ngày hoàn thành",
        "Ghi chú",
    ]
    assert ws.protection.sheet
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert [dv.formula1 for dv in lists] == ['"' + ",".join(TASK_STATUS_CHOICES) + '"']
    assert str(lists[0].sqref) == f"{openpyxl.utils.get_column_letter(col('status'))}2"
    meta = dict(wb[SHEET_META].iter_rows(values_only=True))
    assert meta["sheets"].split("|")[-1] == SHEET_ACTIONS and meta["action_rows"] == "1"
    help_text = " ".join(str(c.value) for c in wb["Hướng dẫn"]["A"] if c.value)
    assert f"trang «{SHEET_ACTIONS}»" in help_text


def test_an_agency_template_lists_only_its_actions_and_the_all_agencies_one_all(con):
    own = add(con)
    other = add(con, "Đào tạo cán bộ", owner="so_noivu")
    assert list(sheet_rows(template(con, "so_khcn"))) == [f"GP-{own}"]
    assert list(sheet_rows(template(con))) == [f"GP-{own}", f"GP-{other}"]
    # An agency with no action of its own gets no sheet.
    assert SHEET_ACTIONS not in openpyxl.load_workbook(io.BytesIO(template(con, "so_taichinh"))).sheetnames


# ---------------------------------------------------------------- read, preview, commit


def test_an_update_round_trips_previews_commits_with_who_and_file_and_a_second_upload_changes_nothing(con):
    aid = add(con)
    data = fill(
        template(con), {f"GP-{aid}": {"status": "Hoàn thành", "completed_on": "20/11/2026", "note": "3 trạm"}}
    )
    result = check(con, data)
    assert result.ok, [str(e) for e in result.errors]
    assert result.parsed.actions[["action_id", "status", "completed_on", "note"]].values.tolist() == [
        [aid, "done", date(2026, 11, 20), "3 trạm"]
    ]
    assert result.has_changes
    assert (
        "Giải pháp khắc phục: 1 cập nhật mới, 0 thay đổi, 0 không đổi, 0 giải pháp để trống."
        in result.summary()
    )
    shown = upload_tables.action_preview_display(result).to_dict("records")
    assert shown == [
        {
            "Mã giải pháp": f"GP-{aid}",
            "Giải pháp": "Đầu tư trạm BTS",
            "Mã chỉ tiêu": "DVC_TOAN_TRINH",
            "Kỳ": "Quý IV/2026",
            "Thay đổi": "Mới",
            "Trạng thái cũ": "",
            "Trạng thái mới": "Hoàn thành",
            "Ngày hoàn thành": "20/11/2026",
            "Hạn hoàn thành": "15/10/2026",
            "Tiến độ sau khi ghi": "Hoàn thành chậm",  # done after its due date: the task rule
            "Ghi chú": "3 trạm",
        }
    ]
    outcome = upload_commit.commit(con, result, "thuy")
    assert outcome.committed and "1 cập nhật giải pháp khắc phục" in outcome.message
    stored = con.execute(
        "SELECT u.action_id, u.period, u.status, u.completed_on, u.note, u.recorded_by, u.source, up.file_name "
        "FROM corrective_action_updates u JOIN uploads up USING (upload_id) WHERE u.upload_id = ?",
        [outcome.upload_id],
    ).fetchall()
    assert stored == [(aid, PERIOD, "done", date(2026, 11, 20), "3 trạm", "thuy", "upload", "giai_phap.xlsx")]
    before = snapshot(con)
    again = check(con, data, name="lan_hai.xlsx")
    assert not again.has_changes and upload_commit.commit(con, again, "thuy").status == "duplicate"
    # the same content in another file: a resave stamps its own author, so its bytes differ even within the
    # second the first was saved in (openpyxl's timestamps have one-second resolution; CI was that fast)
    resaved = workbooks.edit(data, lambda wb: setattr(wb.properties, "lastModifiedBy", "Calc, lưu lại"))
    assert resaved != data
    third = check(con, resaved, name="luu_lai.xlsx")
    assert third.ok and not third.has_changes
    assert upload_tables.action_preview_display(third)["Thay đổi"].tolist() == ["Không đổi"]
    assert upload_commit.commit(con, third, "thuy").status == "no_change"
    assert snapshot(con) == before
    assert con.execute("SELECT count(*) FROM corrective_action_updates").fetchone()[0] == 2


def test_lateness_follows_the_task_rules_once_written(con):
    due_passed = add(con, "Quá hạn", due=date(2026, 10, 15))
    due_later = add(con, "Còn hạn", due=date(2027, 3, 31))
    done_in_time = add(con, "Xong sớm", due=date(2026, 12, 31))
    data = fill(
        template(con),
        {
            f"GP-{due_passed}": {"status": "Đang thực hiện"},
            f"GP-{due_later}": {"status": "Chậm tiến độ"},
            f"GP-{done_in_time}": {"status": "Hoàn thành", "completed_on": "10/11/2026"},
        },
    )
    result = check(con, data)
    timing = dict(zip(result.actions["action_id"], result.actions["timing"], strict=True))
    assert timing == {
        due_passed: "Quá hạn / chậm tiến độ",
        due_later: "Quá hạn / chậm tiến độ",  # reported behind: late whatever the date
        done_in_time: "Hoàn thành đúng hạn",
    }
    assert upload_commit.commit(con, result, "thuy").committed
    actions, updates = narratives.actions_of(con, "DVC_TOAN_TRINH")
    status = action_status(actions, updates, PERIOD, today=TODAY).set_index("action_id")
    assert status.loc[due_passed, "late"] and status.loc[due_later, "late"]
    assert (
        status.loc[done_in_time, "timing"] == "done" and status.loc[done_in_time, "update_period"] == PERIOD
    )


def test_a_revert_takes_the_upload_s_action_updates_out_of_force(con):
    aid = add(con)
    data = fill(template(con), {f"GP-{aid}": {"status": "Đang thực hiện"}})
    committed = upload_commit.commit(con, check(con, data), "thuy")
    assert committed.committed
    sql = "SELECT status FROM v_corrective_action_updates WHERE action_id = ? ORDER BY period"
    assert con.execute(sql, [aid]).fetchall() == [("not_started",), ("in_progress",)]
    reverted = upload_commit.revert(con, committed.upload_id, "thuy")
    assert reverted.committed and "1 cập nhật giải pháp khắc phục" in reverted.message
    assert con.execute(sql, [aid]).fetchall() == [("not_started",)]


# ---------------------------------------------------------------- refused: clear error, nothing stored


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        ({"status": "Hoàn thành"}, "Ngày hoàn thành", "“Hoàn thành” cần ngày hoàn thành"),
        ({"status": "xong rồi"}, "Trạng thái", "Trạng thái không hợp lệ"),
        ({"note": "chưa chọn"}, "Trạng thái", "chưa chọn trạng thái"),
        ({"status": "Hoàn thành", "completed_on": "31/02/2026"}, "Ngày hoàn thành", "không đọc được"),
        ({"status": "Hoàn thành", "completed_on": "15/01/2027"}, "Ngày hoàn thành", "ở tương lai"),
        ({"status": "Đang thực hiện", "completed_on": "10/11/2026"}, "Ngày hoàn thành", "Có ngày hoàn thành"),
        ({"status": "Hoàn thành", "completed_on": 46000}, "Ngày hoàn thành", "chứa một số"),
    ],
)
def test_a_bad_cell_is_an_error_naming_sheet_row_and_column(con, cells, column, words):
    aid = add(con)
    blank = template(con)
    before = snapshot(con)
    result = check(con, fill(blank, {f"GP-{aid}": cells}))
    assert not result.ok and result.actions.empty
    (issue,) = result.errors
    assert (issue.sheet, issue.row, issue.column) == (SHEET_ACTIONS, sheet_rows(blank)[f"GP-{aid}"], column)
    assert words in str(issue) and str(issue).startswith(f"Trang “{SHEET_ACTIONS}”, dòng 2, cột “{column}”")
    assert snapshot(con) == before


def test_a_real_date_cell_is_read_as_on_the_task_sheet(con):
    aid = add(con)
    result = check(
        con, fill(template(con), {f"GP-{aid}": {"status": "Hoàn thành", "completed_on": date(2026, 11, 20)}})
    )
    assert result.ok and result.parsed.actions["completed_on"].tolist() == [date(2026, 11, 20)]


def test_an_unknown_action_code_is_refused(con):
    aid = add(con)
    blank = template(con)

    def change(wb):
        ws = wb[SHEET_ACTIONS]
        ws.cell(2, 1).value = "GP-999"
        ws.cell(2, col("status")).value = "Đang thực hiện"

    result = check(con, workbooks.edit(blank, change))
    (issue,) = result.errors
    assert (issue.sheet, issue.row, issue.column, issue.found) == (SHEET_ACTIONS, 2, "Mã giải pháp", "GP-999")
    assert "Mã giải pháp không có trong danh sách" in issue.message and aid


def test_an_action_of_another_agency_is_refused_for_an_agency_reporter(con):
    own = add(con)
    other = add(con, "Đào tạo cán bộ", owner="so_noivu")
    data = fill(
        template(con),  # the all-agencies template, which lists both
        {f"GP-{own}": {"status": "Đang thực hiện"}, f"GP-{other}": {"status": "Đang thực hiện"}},
    )
    before = snapshot(con)
    result = check(con, data, reporter=Reporter("can_bo_khcn", "so_khcn"))
    assert not result.ok and result.actions.empty
    foreign = [e for e in result.errors if e.sheet == SHEET_ACTIONS]
    assert [(e.row, e.column) for e in foreign] == [(sheet_rows(data)[f"GP-{other}"], "Mã giải pháp")]
    assert (
        f"Giải pháp GP-{other} do Sở Nội vụ thực hiện, không phải Sở Khoa học và Công nghệ"
        in foreign[0].message
    )
    assert snapshot(con) == before
    # Its own agency's template with its own action goes through.
    mine = fill(template(con, "so_khcn"), {f"GP-{own}": {"status": "Đang thực hiện"}})
    assert check(con, mine, reporter=Reporter("can_bo_khcn", "so_khcn")).ok


@pytest.mark.parametrize("how", ["rename", "remove"])
def test_a_renamed_or_missing_sheet_is_refused_saying_which(con, how):
    aid = add(con)
    data = fill(template(con), {f"GP-{aid}": {"status": "Đang thực hiện"}})

    def change(wb):
        if how == "rename":
            wb[SHEET_ACTIONS].title = "GP quý 4"
        else:
            del wb[SHEET_ACTIONS]

    result = check(con, workbooks.edit(data, change))
    assert [e.sheet for e in result.errors] == [SHEET_ACTIONS]
    assert f"không còn trang “{SHEET_ACTIONS}”" in str(result.errors[0])


def test_rows_of_the_sheet_deleted_are_refused(con):
    add(con)

    def change(wb):
        wb[SHEET_ACTIONS].delete_rows(2)

    result = check(con, workbooks.edit(template(con), change))
    assert [e.sheet for e in result.errors] == [SHEET_ACTIONS]
    assert "không có dòng giải pháp nào" in result.errors[0].message
