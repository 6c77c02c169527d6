"""Issue 15 part B in the app: an agency reporter submits, the secretariat returns one value with a comment,
the agency resubmits, the secretariat accepts, the leader's overview changes; scope and locks hold."""

from __future__ import annotations

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders import auth
from tests.support import databases
from tests.support import workbooks as bad_files
from tests.support.workbooks import PERIOD, ROOT, XLSX_MIME, fill

UPLOAD = str(ROOT / "pages" / "upload.py")
REVIEW = str(ROOT / "pages" / "review.py")
OWN, OTHER = "CLOUD_HTTT", "DVC_TOAN_TRINH"  # led by so_khcn; by vp_ubnd


@pytest.fixture
def setup(tmp_path, monkeypatch):
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    monkeypatch.setenv("NQ57_DB", str(db_file))
    monkeypatch.setenv(auth.USERS_ENV, str(tmp_path / "users.toml"))
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", rounds=4)
    auth.add_user("khcn", "mat-khau-khcn", rounds=4, role=auth.ROLE_AGENCY, agency="so_khcn")
    for name in ("thuy", "khcn"):
        auth.THROTTLE.success(name)
    con = duckdb.connect(str(db_file))
    blank = bad_files.template(con, agency="so_khcn")
    con.close()
    st.cache_data.clear()
    yield db_file, blank
    st.cache_data.clear()


def rows(db_file, sql: str):
    con = duckdb.connect(str(db_file))
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def table_with(at: AppTest, column: str):
    """The first table on the page with this column (AppTest keeps no key on dataframes)."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def login(page: str, name: str, password: str) -> AppTest:
    at = AppTest.from_file(page, default_timeout=60).run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def agency_sends(data: bytes, name: str) -> AppTest:
    at = login(UPLOAD, "khcn", "mat-khau-khcn")
    assert not at.exception
    assert at.selectbox(key="upload_agency").options == ["Sở Khoa học và Công nghệ"]  # its own template only
    at.selectbox(key="upload_period").set_value(PERIOD).run()
    at.file_uploader[0].set_value((name, data, XLSX_MIME)).run()
    assert not at.exception
    return at


def secretariat() -> AppTest:
    at = login(REVIEW, "thuy", "mat-khau-dung")
    assert not at.exception
    return at.selectbox(key="review_period").set_value(PERIOD).run()


def overview() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["ky"] = PERIOD
    at.query_params["moc"] = PERIOD
    at.run()
    at.toggle(key="overview_show_table").set_value(True).run()  # the table sits behind a toggle
    assert not at.exception
    return at


def cloud_row(at: AppTest) -> dict:
    table = at.dataframe[-1].value  # the status table (AppTest keeps no key on it)
    hits = table[
        table.apply(lambda r: r.astype(str).str.contains("điện toán đám mây", case=False).any(), axis=1)
    ]
    assert len(hits) >= 1
    return hits.iloc[0].to_dict()


def test_submit_return_resubmit_accept_and_the_overview_changes(setup):
    db_file, blank = setup
    before = cloud_row(overview())

    at = agency_sends(fill(blank, {OWN: "55"}), "khcn_1.xlsx")
    at.button(key="upload_confirm").click().run()
    assert not at.exception
    assert rows(db_file, "SELECT agency_id, role FROM submissions") == [("so_khcn", "co_quan")]
    leader = overview()
    assert cloud_row(leader) == before  # awaiting review: not counted
    assert any("đang chờ Văn phòng thường trực duyệt" in c.value for c in leader.caption)

    at = secretariat()
    assert table_with(at, "Giá trị / tình trạng")["Trạng thái"].tolist() == ["Chờ duyệt"]
    at.selectbox(key="review_item").set_value(f"indicator|{OWN}").run()
    at.text_input(key="review_comment").input("Thiếu minh chứng").run()
    at.button(key="review_return").click().run()
    assert not at.exception
    assert rows(db_file, "SELECT action, item_id, comment, actor FROM review_events") == [
        ("return", OWN, "Thiếu minh chứng", "thuy")
    ]

    at = agency_sends(fill(blank, {OWN: "57,5"}, evidence={OWN: "BC 12/SKHCN"}), "khcn_2.xlsx")
    returned = table_with(at, "Ý kiến của Văn phòng")
    assert returned["Ý kiến của Văn phòng"].tolist() == ["Thiếu minh chứng"]
    at.button(key="upload_confirm").click().run()
    assert not at.exception

    at = secretariat()
    labels = at.selectbox(key="review_submission").options
    assert any("Chờ duyệt" in o for o in labels)
    latest = rows(db_file, "SELECT max(upload_id) FROM submissions")[0][0]
    assert at.selectbox(key="review_submission").value == latest  # the newest first: the resubmission
    at.button(key="review_accept").click().run()
    assert not at.exception
    assert rows(db_file, "SELECT action, item_id FROM review_events ORDER BY event_id")[-1] == (
        "accept",
        None,
    )

    after = cloud_row(overview())
    assert after != before and any("57,5" in str(v) for v in after.values())


def test_a_reporter_cannot_send_another_agencys_values(setup):
    db_file, blank = setup

    def swap(wb):
        ws = wb["Số liệu"]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == OWN:
                ws.cell(r, 1).value = OTHER
                ws.cell(r, bad_files.column_of("value")).value = 40

    at = agency_sends(bad_files.edit(blank, swap), "khac.xlsx")
    errors = at.dataframe[0].value
    assert any(OTHER in str(v) and "cơ quan khác" in str(v) for v in errors.astype(str).values.ravel())
    assert not any(b.key == "upload_confirm" for b in at.button)
    assert rows(db_file, "SELECT count(*) FROM uploads") == [(0,)]


def test_a_locked_period_refuses_the_upload_with_a_clear_message(setup):
    db_file, blank = setup
    at = secretariat()
    at.text_input(key="lock_reason").input("Báo cáo 45/BC-UBND").run()
    at.button(key="lock_button").click().run()
    assert not at.exception
    assert rows(db_file, "SELECT period, action, reason, actor FROM period_lock_events") == [
        (PERIOD, "lock", "Báo cáo 45/BC-UBND", "thuy")
    ]
    at = agency_sends(fill(blank, {OWN: "55"}), "khcn.xlsx")
    assert any("Quý IV/2025 đã khóa sổ" in str(v) for v in at.dataframe[0].value.values.ravel())
    assert rows(db_file, "SELECT count(*) FROM uploads") == [(0,)]

    at = secretariat()
    at.button(key="unlock_button").click().run()  # no reason: refused
    assert any("cần ghi lý do" in e.value for e in at.error)
    at.text_input(key="unlock_reason").input("Công văn 12/SKHCN").run()
    at.button(key="unlock_button").click().run()
    assert rows(db_file, "SELECT action, reason FROM period_lock_events ORDER BY event_id")[-1] == (
        "unlock",
        "Công văn 12/SKHCN",
    )
