"""The form on Chỉ tiêu: only for an account that may upload; what it writes is kept, with who, and shown as typed."""

from __future__ import annotations

import dataclasses
import shutil

import duckdb
import pytest
import streamlit as st

from loaders import auth, narratives
from tests.app.conftest import _app_on
from ui import login
from ui.narrative_form import field_key

INDICATOR = "DVC_TOAN_TRINH"
PERIOD = "2026-Q3"
TYPED = "**Chậm** <b>do</b> =1+1 thiếu máy chủ"


@pytest.fixture
def own(app_catalog_db, tmp_path):
    path = tmp_path / "nq57.duckdb"  # the shared catalog stays without narratives
    shutil.copy(app_catalog_db, path)
    return path


def _page(path, monkeypatch, tmp_path, user: auth.User | None):
    st.cache_data.clear()
    at = _app_on(path, monkeypatch, tmp_path)(chitieu=INDICATOR, ky=PERIOD)
    if user is not None:
        at.session_state[login.SESSION_KEY] = dataclasses.asdict(user)
    at.run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    return at


def _has_form(at) -> bool:
    return any(t.key == field_key("assessment") for t in at.text_area)


def test_no_form_without_a_login_or_for_a_viewer(own, monkeypatch, tmp_path):
    assert not _has_form(_page(own, monkeypatch, tmp_path, None))
    viewer = auth.User("xem1", "Người xem", role=auth.ROLE_VIEWER)
    assert not _has_form(_page(own, monkeypatch, tmp_path, viewer))


def test_the_secretariat_writes_a_text_kept_with_its_writer_and_shown_as_typed(own, monkeypatch, tmp_path):
    user = auth.User("thuy", "Nguyễn Thị Thủy", role=auth.ROLE_SECRETARIAT)
    at = _page(own, monkeypatch, tmp_path, user)
    assert _has_form(at)
    assert "Chưa có đánh giá" in [t.value for t in at.text]
    at.text_area(key=field_key("assessment")).input(TYPED)
    at.text_area(key=field_key("causes")).input("Kinh phí chưa cấp")
    at.button(key="narrative_submit").click().run()
    st.cache_data.clear()
    assert not at.exception, at.exception
    assert TYPED in [t.value for t in at.text]  # as typed, never Markdown or HTML
    assert not any("<b>" in m.value for m in at.markdown)
    assert any("Đã ghi 2 nội dung" in s.value for s in at.success)
    con = duckdb.connect(str(own), read_only=True)
    try:
        rows = narratives.history(con, "indicator", INDICATOR)
    finally:
        con.close()
    assert sorted(rows["field"]) == ["assessment", "causes"]
    assert set(rows["period"]) == {PERIOD}
    assert set(rows["recorded_by"]) == {"thuy"}
    assert set(rows["source"]) == {"page"}
    assert TYPED in set(rows["text"])


def test_an_empty_form_is_refused_and_nothing_is_written(own, monkeypatch, tmp_path):
    user = auth.User("thuy", "Nguyễn Thị Thủy", role=auth.ROLE_ADMIN)
    at = _page(own, monkeypatch, tmp_path, user)
    at.button(key="narrative_submit").click().run()
    st.cache_data.clear()
    assert not at.exception, at.exception
    assert any("Chưa nhập nội dung nào" in e.value for e in at.error)
    con = duckdb.connect(str(own), read_only=True)
    try:
        assert narratives.history(con, "indicator", INDICATOR).empty
    finally:
        con.close()


def test_the_secretariat_adds_a_corrective_action_that_the_store_keeps(own, monkeypatch, tmp_path):
    from datetime import date

    user = auth.User("thuy", "Nguyễn Thị Thủy", role=auth.ROLE_SECRETARIAT)
    at = _page(own, monkeypatch, tmp_path, user)
    at.text_input(key="action_title").input("Cấp thêm máy chủ cho cổng dịch vụ công")
    at.selectbox(key="action_owner").set_value("so_khcn")
    at.date_input(key="action_due").set_value(date(2026, 12, 31))
    at.button(key="action_submit").click().run()
    st.cache_data.clear()
    assert not at.exception, at.exception
    assert any("Đã thêm giải pháp" in s.value and "31/12/2026" in s.value for s in at.success)
    assert any(t.value.startswith("Cấp thêm máy chủ cho cổng dịch vụ công — Sở") for t in at.text)
    con = duckdb.connect(str(own), read_only=True)
    try:
        rows = con.execute(
            "SELECT indicator_id, period, title, owner_agency_id, due_date FROM v_corrective_actions"
        ).fetchall()
    finally:
        con.close()
    assert rows == [
        (INDICATOR, PERIOD, "Cấp thêm máy chủ cho cổng dịch vụ công", "so_khcn", date(2026, 12, 31))
    ]


def test_an_action_without_its_task_is_refused_and_nothing_is_written(own, monkeypatch, tmp_path):
    user = auth.User("thuy", "Nguyễn Thị Thủy", role=auth.ROLE_SECRETARIAT)
    at = _page(own, monkeypatch, tmp_path, user)
    assert "Chưa có giải pháp khắc phục nào." in [t.value for t in at.text]
    at.button(key="action_submit").click().run()
    assert not at.exception, at.exception
    assert any("Nội dung trống" in e.value for e in at.error)
    con = duckdb.connect(str(own), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM corrective_actions").fetchone()[0] == 0
    finally:
        con.close()
