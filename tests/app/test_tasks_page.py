"""The page Nhiệm vụ, and tasks on the agency scorecards, the indicator page and the upload preview."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import auth, read
from metrics import clock
from metrics import task_completion as tc
from metrics import tasks as mt
from tests.support import databases, workbooks
from tests.support.workbooks import ROOT, XLSX_MIME

PAGE = "pages/tasks.py"


def statuses(db, as_of):
    con = duckdb.connect(str(db))
    try:
        return mt.task_status(read.task_catalog(con), read.task_updates(con), as_of, clock.today())
    finally:
        con.close()


def open_page(app, **query) -> AppTest:
    at = app(**query).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def table(at):
    return at.dataframe[0].value


def test_the_page_renders_counts_and_the_computed_indicator(app, demo_db):
    at = open_page(app)
    as_of = at.selectbox(key="as_of").value
    expected = statuses(demo_db, as_of)
    tiles = {m.label: int(m.value) for m in at.metric}
    assert sum(tiles.values()) == len(expected) == 109
    assert tiles["Quá hạn / chậm tiến độ"] == int(expected["late"].sum())
    assert tiles["Hoàn thành"] == int(expected["done"].sum())
    info = " ".join(i.value for i in at.info)
    completion = tc.task_completion(expected, as_of)
    assert f"({len(completion.done)}/7 nhiệm vụ)" in info
    assert "KH 6896/KH-UBND" in info and "Số liệu báo cáo cho chỉ tiêu NV_HOAN_THANH" in info
    assert len(table(at)) == 109
    assert len(at.get("plotly_chart")) == 2


def test_late_only_keeps_exactly_the_late_tasks(app, demo_db):
    at = open_page(app)
    at.toggle(key="tasks_late").set_value(True).run()
    assert not at.exception
    shown = table(at)
    late = statuses(demo_db, at.selectbox(key="as_of").value)
    late = late[late["late"]]
    assert 0 < len(shown) < 109
    assert sorted(shown["Mã"]) == sorted(late["task_id"])
    assert shown["Tình trạng"].str.startswith("✗ Quá hạn").all()


def test_filters_change_the_table(app):
    at = open_page(app)
    at.sidebar.selectbox(key="f_plan").set_value("ubnd6896").run()
    assert len(table(at)) == 13 and set(table(at)["Kế hoạch"]) == {"KH 6896/KH-UBND"}
    at.selectbox(key="tasks_section").set_value("Công tác chỉ đạo, điều hành").run()
    assert sorted(table(at)["Mã"]) == ["ubnd6896-T001", "ubnd6896-T002", "ubnd6896-T003"]
    at.selectbox(key="tasks_section").set_value("Tất cả").run()
    at.multiselect(key="tasks_status").set_value(["done", "done_late"]).run()
    done = table(at)
    assert set(done["Trạng thái báo cáo"]) <= {"Hoàn thành", "Hoàn thành chậm"} and len(done) < 13
    at.multiselect(key="tasks_status").set_value([]).run()
    at.sidebar.selectbox(key="f_plan").set_value("Tất cả").run()
    at.sidebar.selectbox(key="f_agency").set_value("so_khcn").run()
    assert not at.exception
    khcn = table(at)
    assert set(khcn["Cơ quan chủ trì (hiện nay)"].str.contains("Sở Khoa học và Công nghệ")) == {True}
    assert "Sở Thông tin và Truyền thông" in set(khcn["Cơ quan chủ trì (như kế hoạch ghi)"])


def test_each_task_shows_its_history_and_evidence(app, demo_db):
    at = open_page(app)
    con = duckdb.connect(str(demo_db))
    try:
        task_id = con.execute(
            "SELECT task_id FROM v_task_updates WHERE status = 'done' ORDER BY task_id LIMIT 1"
        ).fetchall()[0][0]
        n = con.execute("SELECT count(*) FROM v_task_update_history WHERE task_id = ?", [task_id]).fetchall()
    finally:
        con.close()
    at.selectbox(key="tasks_pick").set_value(task_id).run()
    assert not at.exception
    history = at.dataframe[-1].value
    assert len(history) == n[0][0]
    assert history["Minh chứng"].str.contains("minh họa").any()
    assert set(history["Người ghi nhận"]) == {"Dữ liệu minh họa"}


def test_the_period_changes_what_is_late(app, demo_db):
    at = open_page(app)
    at.selectbox(key="as_of").set_value("2025-Q3").run()
    assert not at.exception
    tiles = {m.label: int(m.value) for m in at.metric}
    expected = statuses(demo_db, "2025-Q3")
    assert sum(tiles.values()) == len(expected) == 96, "the Q4/2025 plan's tasks did not exist yet"
    assert tiles["Quá hạn / chậm tiến độ"] == int(expected["late"].sum())
    assert "chưa tính được" in " ".join(i.value for i in at.info)


def test_agency_scorecards_carry_the_tasks_with_merged_agencies_rolled_up(app, demo_db):
    at = app().run()
    at.switch_page("pages/agencies.py").run()
    assert not at.exception
    labels = list(at.selectbox(key="agency_detail").options)  # one agency's detail at a time
    khcn = next(label for label in labels if label.startswith("Sở Khoa học và Công nghệ"))
    con = duckdb.connect(str(demo_db))
    try:
        links = read.task_links(con)
        only_tasks = set(links["agency_name"]) - {
            r[0] for r in con.execute("SELECT DISTINCT agency_name FROM v_target_agencies").fetchall()
        }
    finally:
        con.close()
    n_khcn = len(mt.tasks_of_agency(links, "so_khcn"))
    assert "chỉ tiêu" in khcn and f"{n_khcn} nhiệm vụ" in khcn
    assert not any(label.startswith("Sở Thông tin và Truyền thông") for label in labels)
    assert only_tasks and all(any(label.startswith(name) for label in labels) for name in only_tasks)
    captions = " ".join(c.value for c in at.caption)
    assert "Nhiệm vụ chủ trì (kế hoạch ghi:" in captions and "Sở Thông tin và Truyền thông" in captions


def test_the_indicator_page_shows_the_computed_completion_beside_the_reported_value(app):
    at = app(chitieu="NV_HOAN_THANH").run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    info = " ".join(i.value for i in at.info)
    assert "tính từ trạng thái nhiệm vụ" in info and "Số liệu báo cáo cho chỉ tiêu NV_HOAN_THANH" in info
    at = app(chitieu="DVC_TOAN_TRINH").run()
    at.switch_page("pages/indicator.py").run()
    assert "tính từ trạng thái nhiệm vụ" not in " ".join(i.value for i in at.info)


@pytest.fixture
def upload_page(tmp_path, monkeypatch):
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    monkeypatch.setenv("NQ57_DB", str(db_file))
    monkeypatch.setenv(auth.USERS_ENV, str(tmp_path / "users.toml"))
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", rounds=4)
    auth.THROTTLE.success("thuy")
    con = duckdb.connect(str(db_file))
    blank = workbooks.template(con)
    con.close()
    return db_file, blank


def test_the_upload_page_previews_and_commits_task_updates(upload_page):
    from tests.loaders.test_tasks_upload import DONE_T003, fill_tasks

    db_file, blank = upload_page
    at = AppTest.from_file(str(ROOT / "pages" / "upload.py"), default_timeout=60).run()
    at.text_input(key="login_name").input("thuy")
    at.text_input(key="login_password").input("mat-khau-dung")
    at.button(key="login_submit").click().run()
    data = fill_tasks(blank, {"ubnd6896-T003": DONE_T003})
    at.file_uploader[0].set_value(("nhiem_vu.xlsx", data, XLSX_MIME))
    at.run()
    assert not at.exception
    preview = at.dataframe[0].value
    assert preview["Mã nhiệm vụ"].tolist() == ["ubnd6896-T003"]
    assert preview["Trạng thái mới"].tolist() == ["Hoàn thành"]
    at.button(key="upload_confirm").click().run()
    assert any("1 cập nhật nhiệm vụ" in s.value for s in at.success)
    con = duckdb.connect(str(db_file))
    try:
        assert con.execute("SELECT task_id, status FROM v_task_updates").fetchall() == [
            ("ubnd6896-T003", "done")
        ]
    finally:
        con.close()


def test_presentation_mode_shows_the_late_tasks_without_controls(app):
    at = open_page(app, present="1")
    keys = {w.key for w in [*at.selectbox, *at.multiselect, *at.toggle]}
    assert not keys & {"as_of", "tasks_section", "tasks_status", "tasks_late", "tasks_pick"}
    assert len(at.metric) == 6 and len(at.get("plotly_chart")) == 2
    shown = table(at)
    assert len(shown) and shown["Tình trạng"].str.startswith("✗ Quá hạn").all()
