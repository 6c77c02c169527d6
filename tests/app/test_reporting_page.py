"""Tình hình báo cáo on the real catalog with no uploads, after one upload, and on demonstration data."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders.build import build
from loaders.db import ROOT
from loaders.upload_commit import commit
from loaders.upload_preview import validate_and_preview
from tests.unit import bad_files

PAGE = "pages/reporting.py"


def _page(monkeypatch, tmp_path, db) -> AppTest:
    monkeypatch.setenv("NQ57_DB", str(db))
    monkeypatch.setenv("NQ57_USERS", str(tmp_path / "users.toml"))
    for key in ("NQ57_SMTP_HOST", "NQ57_SMTP_FROM"):
        monkeypatch.delenv(key, raising=False)
    st.cache_data.clear()  # cached reads are keyed by their parameters, not by the database file
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _agency_table(at):
    """The per-agency table: the first on the page (AppTest does not expose a dataframe's key)."""
    table = at.dataframe[0].value
    assert "Phải báo cáo" in table.columns and "Cơ quan" in table.columns
    return table


@pytest.fixture
def real_db(tmp_path):
    return build(tmp_path / "nq57.duckdb")


def test_real_catalog_without_uploads_says_nothing_received(monkeypatch, tmp_path, real_db):
    at = _page(monkeypatch, tmp_path, real_db)
    assert at.title[0].value == "Tình hình báo cáo"
    assert any("Chưa nhận được số liệu nào" in i.value for i in at.info)
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Đã nhận"] == "0" and int(tiles["Phải báo cáo"]) > 0
    table = _agency_table(at)
    assert table["Đã nhận"].sum() == 0
    assert table["Phải báo cáo"].sum() == int(tiles["Phải báo cáo"])
    assert any("Chưa cấu hình máy chủ thư" in c.value for c in at.caption)
    assert not any("minh họa" in w.value for w in at.warning)


def test_one_upload_shows_as_received(monkeypatch, tmp_path, real_db):
    con = duckdb.connect(str(real_db))
    period = "2026-Q3"  # a quarter whose deadline (18/09/2026) has passed
    owed = con.execute(
        "SELECT item_id, agency_name FROM v_reporting_obligations o JOIN indicators i ON i.indicator_id = o.item_id "
        "WHERE period = ? AND item_kind = 'indicator' AND i.direction NOT IN ('yes_no', 'qualitative') "
        "ORDER BY item_id LIMIT 1",
        [period],
    ).fetchone()
    xlsx = bad_files.fill(bad_files.template(con, period), {owed[0]: 50})
    preview = validate_and_preview(con, xlsx, "mau.xlsx", today=date(2026, 9, 30), with_status=False)
    commit(con, preview, "thu.ky", now=datetime(2026, 9, 10, 9, 0))
    con.close()
    at = _page(monkeypatch, tmp_path, real_db)
    at.selectbox(key="reporting_period").set_value(period).run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Đúng hạn"] == "1"
    table = _agency_table(at)
    row = table[table["Cơ quan"].eq(owed[1])].iloc[0]
    assert (row["Đã nhận"], row["Đúng hạn"]) == (1, 1)
    assert not any("Chưa nhận được số liệu nào" in i.value for i in at.info)


def test_demo_data_are_marked_and_reminders_offered(app):
    st.cache_data.clear()
    at = app().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert any("minh họa" in w.value for w in at.warning)
    assert at.selectbox(key="reporting_agency").options
    assert {m.label for m in at.metric} >= {"Phải báo cáo", "Đã nhận", "Đúng hạn", "Chưa gửi, quá hạn"}


def test_overview_tile(app):
    st.cache_data.clear()
    at = app().run()
    assert not at.exception
    tile = next(m for m in at.metric if m.label == "Tỷ lệ báo cáo đúng hạn")
    assert tile.value.endswith("%")
