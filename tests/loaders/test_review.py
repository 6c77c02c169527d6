"""Review of submissions (issue 15 part B): an agency reports only its own items, the secretariat returns and
accepts, leaders count accepted values, a locked period takes nothing. Real DuckDB files, real .xlsx files."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest

from loaders import auth, period_locks, read, review
from loaders.excel.contract import SHEET_TASKS
from loaders.upload_commit import commit
from loaders.upload_preview import validate_and_preview
from loaders.upload_store import UploadError
from metrics import clock
from tests.support import databases
from tests.support import workbooks as bad_files
from tests.support.workbooks import PERIOD, fill

REPORTER = auth.User("khcn", "Cán bộ Sở KH&CN", role=auth.ROLE_AGENCY, agency="so_khcn")
SECRETARY = auth.User("thuy", "Nguyễn Thị Thủy", role=auth.ROLE_SECRETARIAT)
OWN, OTHER = "CLOUD_HTTT", "DVC_TOAN_TRINH"  # led by so_khcn; by vp_ubnd


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    yield c
    c.close()


@pytest.fixture
def own_blank(con):
    return bad_files.template(con, agency="so_khcn")


def submit(con, data: bytes, name: str, reporter=REPORTER):
    result = validate_and_preview(con, data, name, reporter=reporter, with_status=False)
    assert result.ok, [str(e) for e in result.errors]
    outcome = commit(con, result, reporter.name)
    assert outcome.committed, outcome.message
    return outcome.upload_id


def value_used(con, indicator: str, with_unreviewed: bool = False) -> set:
    rows = read.target_status(con, PERIOD, PERIOD, include_unreviewed=with_unreviewed)
    return set(rows.loc[rows["indicator_id"].eq(indicator), "actual_value"].dropna())


def test_an_agency_submission_waits_is_returned_resubmitted_then_accepted(con, own_blank):
    first = submit(con, fill(own_blank, {OWN: "55"}), "khcn_1.xlsx")
    assert con.execute("SELECT agency_id, period, role FROM submissions").fetchall() == [
        ("so_khcn", PERIOD, "co_quan")
    ]
    assert review.submissions(con)["state"].tolist() == [review.PENDING]
    assert 55.0 not in value_used(con, OWN)  # leaders count accepted values only
    assert 55.0 in value_used(con, OWN, with_unreviewed=True)
    assert review.pending_count(con, PERIOD) == 1

    review.return_back(con, first, "thuy", "Thiếu minh chứng, số chưa khớp báo cáo tháng.", "indicator", OWN)
    returned = review.returned_items(con, "so_khcn")
    assert returned[["item_id", "review_comment"]].values.tolist() == [
        [OWN, "Thiếu minh chứng, số chưa khớp báo cáo tháng."]
    ]
    assert 55.0 not in value_used(con, OWN, with_unreviewed=True)  # a returned value never counts

    second = submit(con, fill(own_blank, {OWN: "57,5"}, evidence={OWN: "BC 12/SKHCN"}), "khcn_2.xlsx")
    assert review.pending_count(con) == 1
    review.accept(con, second, "thuy")
    assert value_used(con, OWN) == {57.5}
    assert review.pending_count(con) == 0
    states = dict(zip(review.submissions(con)["upload_id"], review.submissions(con)["state"], strict=True))
    assert states == {first: review.RETURNED, second: review.ACCEPTED}
    events = con.execute(
        "SELECT upload_id, item_id, action, actor FROM review_events ORDER BY event_id"
    ).fetchall()
    assert events == [(first, OWN, "return", "thuy"), (second, None, "accept", "thuy")]


def test_the_secretariats_own_upload_is_accepted_on_commit(con, own_blank):
    upload = submit(con, fill(own_blank, {OWN: "61"}), "vp.xlsx", reporter=SECRETARY)
    assert value_used(con, OWN) == {61.0}
    assert review.submissions(con).set_index("upload_id").loc[upload, "state"] == review.ACCEPTED


def test_the_completeness_frame_counts_accepted(con, own_blank):
    from loaders.reporting import classified
    from metrics.reporting import agency_summary

    upload = submit(con, fill(own_blank, {OWN: "55"}), "khcn.xlsx")
    today = clock.today()

    def accepted() -> int:
        frame = agency_summary(classified(con, today, PERIOD))
        return int(frame.loc[frame["agency_id"].eq("so_khcn"), "n_accepted"].iloc[0])

    assert accepted() == 0
    review.accept(con, upload, "thuy", "indicator", OWN)
    assert accepted() == 1


def test_another_agencys_indicator_is_refused_naming_it(con, own_blank):
    def swap_code(wb):
        ws = wb["Số liệu"]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == OWN:
                ws.cell(r, 1).value = OTHER
                ws.cell(r, bad_files.column_of("value")).value = 40

    before = bad_files.snapshot(con)
    result = validate_and_preview(con, bad_files.edit(own_blank, swap_code), "khcn.xlsx", reporter=REPORTER)
    assert not result.ok
    words = [str(e) for e in result.errors]
    assert any(OTHER in w and "Văn phòng UBND" in w and "không được báo cáo" in w for w in words), words
    assert bad_files.snapshot(con) == before


def test_the_template_of_all_agencies_is_refused_for_a_reporter(con):
    data = fill(bad_files.template(con), {OWN: "55"})
    result = validate_and_preview(con, data, "chung.xlsx", reporter=REPORTER)
    assert not result.ok
    assert any("mẫu chung của mọi cơ quan" in str(e) for e in result.errors)
    assert validate_and_preview(con, data, "chung.xlsx", reporter=SECRETARY).ok  # the secretariat may


def test_a_locked_period_refuses_preview_commit_and_review(con, own_blank):
    data = fill(own_blank, {OWN: "55"})
    ready = validate_and_preview(con, data, "khcn.xlsx", reporter=REPORTER, with_status=False)
    upload = submit(con, fill(own_blank, {OWN: "50"}), "khcn_0.xlsx")
    assert period_locks.lock(con, PERIOD, "thuy", "Báo cáo số 45/BC-UBND đã gửi") == "Đã khóa kỳ Quý IV/2025."
    before = bad_files.snapshot(con)
    refused = validate_and_preview(con, data, "khcn.xlsx", reporter=REPORTER)
    assert not refused.ok and any("đã khóa sổ" in str(e) for e in refused.errors)
    late = commit(con, ready, "khcn")  # previewed before the lock, confirmed after: refused
    assert late.status == "refused" and "Quý IV/2025 đã khóa sổ" in late.message
    with pytest.raises(UploadError, match="đã khóa sổ"):
        review.accept(con, upload, "thuy")
    assert bad_files.snapshot(con) == before

    with pytest.raises(UploadError, match="cần ghi lý do"):
        period_locks.unlock(con, PERIOD, "thuy", "  ")
    period_locks.unlock(con, PERIOD, "thuy", "Công văn 12/SKHCN đề nghị điều chỉnh")
    assert validate_and_preview(con, data, "khcn.xlsx", reporter=REPORTER).ok
    history = period_locks.history(con, PERIOD)
    assert history[["action", "actor", "reason"]].values.tolist() == [
        ["lock", "thuy", "Báo cáo số 45/BC-UBND đã gửi"],
        ["unlock", "thuy", "Công văn 12/SKHCN đề nghị điều chỉnh"],
    ]


def test_a_return_needs_a_comment(con, own_blank):
    upload = submit(con, fill(own_blank, {OWN: "55"}), "khcn.xlsx")
    with pytest.raises(UploadError, match="cần ghi lý do"):
        review.return_back(con, upload, "thuy", "")
    with pytest.raises(UploadError, match="không có"):
        review.accept(con, upload, "thuy", "indicator", OTHER)


def test_uploads_before_review_count_as_accepted(con, own_blank):
    """An upload with no submission row (schema 4 and before, demonstration data) is accepted as it was."""
    upload = submit(con, fill(own_blank, {OWN: "58"}), "cu.xlsx", reporter=SECRETARY)
    con.execute("DELETE FROM review_events")  # as a schema-4 file has them: no review rows at all
    con.execute("DELETE FROM submissions")
    assert value_used(con, OWN) == {58.0}
    assert review.pending_count(con) == 0
    assert upload not in set(review.submissions(con)["upload_id"])


def _task_status_used(con, task_id: str, with_unreviewed: bool = False) -> set:
    rows = read.task_updates(con, with_unreviewed=with_unreviewed)
    return set(rows.loc[rows["task_id"].eq(task_id), "status"])


def test_an_agencys_task_update_counts_for_leaders_only_once_accepted(con, own_blank):
    from tests.loaders.test_tasks_upload import fill_tasks

    ws = openpyxl.load_workbook(io.BytesIO(own_blank))[SHEET_TASKS]
    task_id = ws.cell(2, 1).value  # the first task so_khcn leads: its template lists only its own
    first = submit(con, fill_tasks(own_blank, {task_id: {"status": "Chậm tiến độ"}}), "nv_1.xlsx")
    assert _task_status_used(con, task_id) == set()  # leaders see accepted updates only
    assert _task_status_used(con, task_id, with_unreviewed=True) == {"behind"}

    review.return_back(con, first, "thuy", "Chưa ghi lý do chậm.", "task", task_id)
    assert _task_status_used(con, task_id, with_unreviewed=True) == set()  # a returned update never counts

    second = submit(con, fill_tasks(own_blank, {task_id: {"status": "đang thực hiện"}}), "nv_2.xlsx")
    review.accept(con, second, "thuy")
    assert _task_status_used(con, task_id) == _task_status_used(con, task_id, with_unreviewed=True)
    assert _task_status_used(con, task_id) == {"in_progress"}
    in_force = con.execute("SELECT count(*) FROM v_task_updates WHERE task_id = ?", [task_id]).fetchone()[0]
    assert in_force == 1  # what arrived stays visible to the reporting cycle
