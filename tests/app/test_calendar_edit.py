"""Issue 15: the secretariat edits a period's dates on Duyệt số liệu; the CSV (edited = true), the catalog
table and an append-only log change together, and a deadline before the cut-off changes nothing."""

from __future__ import annotations

import shutil
from datetime import date, datetime

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders import auth, calendar_edit, period_locks
from loaders.catalog import load_catalog
from loaders.reporting_calendar import CALENDAR_FILE, generated_rows
from loaders.upload_store import UploadError
from tests.support import databases
from tests.support.workbooks import ROOT

REVIEW = str(ROOT / "pages" / "review.py")
PERIOD = "2026-Q1"  # by the rule: cut-off 14/03/2026, agencies 18/03, province 25/03
DEADLINE = f"calendar_{PERIOD}_agency_deadline"


@pytest.fixture
def setup(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("*.duckdb*"))
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    monkeypatch.setenv("NQ57_DB", str(db_file))
    monkeypatch.setenv("NQ57_DATA_DIR", str(data))
    monkeypatch.setenv(auth.USERS_ENV, str(tmp_path / "users.toml"))
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", rounds=4)
    auth.add_user("khcn", "mat-khau-khcn", rounds=4, role=auth.ROLE_AGENCY, agency="so_khcn")
    for name in ("thuy", "khcn"):
        auth.THROTTLE.success(name)
    st.cache_data.clear()
    yield data, db_file
    st.cache_data.clear()


def stored(db_file):
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        return con.execute(
            "SELECT cutoff_end, agency_deadline, province_deadline, edited FROM reporting_calendar "
            "WHERE period = ?",
            [PERIOD],
        ).fetchone()
    finally:
        con.close()


def csv_row(data):
    return next(r for r in generated_rows(data, PERIOD, PERIOD))


def secretariat() -> AppTest:
    at = AppTest.from_file(REVIEW, default_timeout=60).run()
    at.text_input(key="login_name").input("thuy")
    at.text_input(key="login_password").input("mat-khau-dung")
    at = at.button(key="login_submit").click().run()
    assert not at.exception
    return at.selectbox(key="review_period").set_value(PERIOD).run()


def test_the_secretariat_moves_a_deadline(setup):
    data, db_file = setup
    at = secretariat()
    assert at.date_input(key=DEADLINE).value == date(2026, 3, 18)
    at.date_input(key=DEADLINE).set_value(date(2026, 3, 20))
    at.text_input(key="calendar_reason").input("Công văn 123/UBND-KGVX")
    at = at.button(key="calendar_save").click().run()
    assert not at.exception and not at.error
    assert "hạn các cơ quan gửi 18/03/2026 → 20/03/2026" in at.success[0].value
    # The file, kept by the generator because edited = true, and the catalog table agree.
    row = csv_row(data)
    assert (row["agency_deadline"], row["edited"]) == ("2026-03-20", "true")
    assert "Công văn 123/UBND-KGVX" in row["note"]
    assert stored(db_file) == (date(2026, 3, 14), date(2026, 3, 20), date(2026, 3, 25), True)
    load_catalog(data)  # the build accepts the edited file
    [entry] = calendar_edit.edit_log(data, PERIOD)
    assert (entry["account"], entry["column"], entry["old_value"], entry["new_value"]) == (
        "thuy",
        "agency_deadline",
        "2026-03-18",
        "2026-03-20",
    )
    assert at.date_input(key=DEADLINE).value == date(2026, 3, 20)  # the page reads it back
    assert "Người sửa" in at.dataframe[-1].value.columns


def test_a_deadline_before_the_cutoff_changes_nothing(setup):
    data, db_file = setup
    before, before_db = (data / CALENDAR_FILE).read_bytes(), stored(db_file)
    at = secretariat()
    at.date_input(key=DEADLINE).set_value(date(2026, 3, 10))
    at.text_input(key="calendar_reason").input("thử")
    at = at.button(key="calendar_save").click().run()
    assert not at.exception
    assert "hạn của cơ quan không được trước ngày chốt số liệu cuối" in at.error[0].value
    assert (data / CALENDAR_FILE).read_bytes() == before
    assert stored(db_file) == before_db
    assert calendar_edit.edit_log(data) == []


def test_a_reporter_sees_no_calendar_form(setup):
    at = AppTest.from_file(REVIEW, default_timeout=60).run()
    at.text_input(key="login_name").input("khcn")
    at.text_input(key="login_password").input("mat-khau-khcn")
    at = at.button(key="login_submit").click().run()
    assert not at.exception
    assert not [d for d in at.date_input if d.key == DEADLINE]


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        ({"province_deadline": date(2026, 3, 16)}, "lý do", "không muộn hơn hạn của tỉnh"),
        ({"agency_deadline": date(2026, 3, 20)}, "  ", "cần ghi lý do"),
        ({"agency_deadline": date(2026, 3, 18)}, "lý do", "không thay đổi"),
    ],
)
def test_refusals_write_nothing(setup, days, reason, message):
    data, db_file = setup
    before = (data / CALENDAR_FILE).read_bytes()
    con = duckdb.connect(str(db_file))
    try:
        with pytest.raises(UploadError, match=message):
            calendar_edit.edit_period(con, data, PERIOD, days, "thuy", reason)
    finally:
        con.close()
    assert (data / CALENDAR_FILE).read_bytes() == before and calendar_edit.edit_log(data) == []


def test_a_locked_period_keeps_its_calendar(setup):
    data, db_file = setup
    con = duckdb.connect(str(db_file))
    try:
        period_locks.lock(con, PERIOD, "thuy", "Báo cáo số 1", now=datetime(2026, 3, 26, 9))
        with pytest.raises(UploadError, match="đã khóa sổ"):
            calendar_edit.edit_period(con, data, PERIOD, {"agency_deadline": date(2026, 3, 20)}, "thuy", "x")
    finally:
        con.close()
    assert csv_row(data)["edited"] == "false"
