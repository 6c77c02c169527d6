"""The upload page: nothing without a login; with one, template, upload, preview, confirm, history, revert."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import auth, narratives
from tests.loaders.test_actions_upload import fill as fill_actions
from tests.support import databases, workbooks
from tests.support.workbooks import ROOT, XLSX_MIME, fill

PAGE = str(ROOT / "pages" / "upload.py")


@pytest.fixture
def page(tmp_path, monkeypatch):
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    users = tmp_path / "users.toml"
    monkeypatch.setenv("NQ57_DB", str(db_file))
    monkeypatch.setenv(auth.USERS_ENV, str(users))
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", rounds=4)
    auth.THROTTLE.success("thuy")
    con = duckdb.connect(str(db_file))  # the same process as the page: shares its database instance
    blank = workbooks.template(con)
    con.close()

    def make() -> AppTest:
        return AppTest.from_file(PAGE, default_timeout=60).run()

    make.db_file = db_file
    make.blank = blank
    return make


def login(at: AppTest, password: str = "mat-khau-dung") -> AppTest:
    at.text_input(key="login_name").input("thuy")
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def rows(db_file, sql: str):
    con = duckdb.connect(str(db_file))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_without_a_login_there_is_no_uploader_nor_history(page):
    at = page()
    assert not at.exception
    assert at.title[0].value == "Tải số liệu"
    assert len(at.file_uploader) == 0 and len(at.dataframe) == 0
    assert at.text_input(key="login_name") is not None
    assert any("đăng nhập" in i.value for i in at.info)


def test_a_wrong_password_is_refused(page):
    at = login(page(), "sai-mat-khau")
    assert not at.exception
    assert any("Sai tên đăng nhập hoặc mật khẩu" in e.value for e in at.error)
    assert len(at.file_uploader) == 0


def test_login_upload_preview_confirm_then_revert(page):
    at = login(page())
    assert not at.exception
    assert len(at.file_uploader) == 1
    assert at.selectbox(key="upload_period").value == "2026-Q4"
    assert any(t.value.startswith("Đang đăng nhập: Nguyễn Thị Thủy") for t in at.text)

    data = fill(
        page.blank,
        {"DVC_TOAN_TRINH": "37,6", "CLOUD_HTTT": "80%"},
        notes={"CLOUD_HTTT": "<b>**đậm**</b> =1+1"},
    )
    at.file_uploader[0].set_value(("quy4.xlsx", data, XLSX_MIME))
    at.run()
    assert not at.exception
    preview = at.dataframe[0].value  # the preview comes before the history
    assert set(preview["Mã chỉ tiêu"]) == {"DVC_TOAN_TRINH", "CLOUD_HTTT"}
    assert set(preview["Giá trị mới"]) == {"37,6%", "80%"}, "as entered, not rounded nor padded"
    assert "<b>**đậm**</b> =1+1" in set(preview["Ghi chú"]), "uploaded text is shown as typed, in a table"
    assert rows(page.db_file, "SELECT count(*) FROM uploads") == [(0,)], "nothing before the confirmation"

    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("Đã ghi lần tải #1" in s.value for s in at.success)
    assert rows(
        page.db_file, "SELECT indicator_id, value, recorded_by FROM v_actuals WHERE upload_id = 1 ORDER BY 1"
    ) == [("CLOUD_HTTT", 80.0, "thuy"), ("DVC_TOAN_TRINH", 37.6, "thuy")]
    history = at.dataframe[-1].value
    assert history["Tên tệp"].tolist() == ["quy4.xlsx"]
    assert "upload_confirm" not in [b.key for b in at.button], "the uploader is cleared after a commit"

    at.button(key="revert_1").click().run()
    at.button(key="revert_confirm").click().run()
    assert not at.exception
    assert any("Đã hoàn tác lần tải #1" in s.value for s in at.success)
    assert "upload_confirm" not in [b.key for b in at.button], "reverted values are not offered again"
    assert rows(page.db_file, "SELECT count(*) FROM v_actuals WHERE upload_id IS NOT NULL") == [(0,)]
    assert rows(page.db_file, "SELECT kind, uploaded_by FROM uploads ORDER BY upload_id") == [
        ("import", "thuy"),
        ("revert", "thuy"),
    ]
    assert at.get("download_button"), "template and history downloads are offered"


def test_a_bad_file_lists_its_errors_and_writes_nothing(page):
    at = login(page())
    data, n = workbooks.several_errors(page.blank)
    at.file_uploader[0].set_value(("loi.xlsx", data, XLSX_MIME))
    at.run()
    assert not at.exception
    errors = at.dataframe[0].value
    assert len(errors) == n and set(errors["Trang"]) == {"Số liệu"}
    assert set(errors["Cột"]) == {"Giá trị thực hiện (G)"}
    assert any(f"Tệp có {n} lỗi" in e.value for e in at.error)
    assert "upload_confirm" not in [b.key for b in at.button]
    assert rows(page.db_file, "SELECT count(*) FROM actual_revisions") == [(0,)]


def test_an_action_update_is_previewed_then_committed(page):
    """A corrective action past its due date, updated through the template: previewed late, then written."""
    con = duckdb.connect(str(page.db_file))
    try:
        aid = narratives.add_action(
            con,
            "DVC_TOAN_TRINH",
            "2025-Q4",
            "Đầu tư trạm BTS",
            "so_khcn",
            date(2025, 12, 15),
            "tester",
            datetime(2025, 11, 1),
        )
        blank = workbooks.template(con)
    finally:
        con.close()
    at = login(page())
    data = fill_actions(blank, {f"GP-{aid}": {"status": "Đang thực hiện", "note": "Đã khảo sát vị trí"}})
    at.file_uploader[0].set_value(("giai_phap.xlsx", data, XLSX_MIME))
    at.run()
    assert not at.exception
    assert any("Giải pháp khắc phục: 0 cập nhật mới, 1 thay đổi" in i.value for i in at.info)
    shown = next(d.value for d in at.dataframe if "Mã giải pháp" in d.value.columns)
    assert shown[["Mã giải pháp", "Trạng thái mới", "Tiến độ sau khi ghi"]].values.tolist() == [
        [f"GP-{aid}", "Đang thực hiện", "Quá hạn / chậm tiến độ"]
    ]
    assert rows(page.db_file, "SELECT count(*) FROM corrective_action_updates WHERE source = 'upload'") == [
        (0,)
    ]
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert any("1 cập nhật giải pháp khắc phục" in s.value for s in at.success)
    assert rows(
        page.db_file,
        "SELECT status, note, recorded_by, upload_id FROM corrective_action_updates WHERE source = 'upload'",
    ) == [("in_progress", "Đã khảo sát vị trí", "thuy", 1)]
