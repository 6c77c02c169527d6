"""The Tình hình báo cáo table shows, per agency, the red values received without an assessment and a cause."""

from __future__ import annotations

import shutil

import duckdb
import streamlit as st

from loaders import reporting
from metrics import clock
from metrics.reporting import agency_summary
from tests.app.conftest import _app_on

PERIOD = "2026-Q3"


def test_the_reporting_page_shows_the_count(demo_db, monkeypatch, tmp_path):
    own = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, own)
    st.cache_data.clear()
    at = _app_on(own, monkeypatch, tmp_path)().run()
    at.switch_page("pages/reporting.py").run()
    at.selectbox(key="reporting_period").set_value(PERIOD).run()
    st.cache_data.clear()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Thiếu giải trình" in d.value.columns)
    c = duckdb.connect(str(own), read_only=True)
    try:
        summary = agency_summary(reporting.classified(c, clock.today(), PERIOD))
    finally:
        c.close()
    expected = dict(zip(summary["agency_name"], summary["n_unexplained"], strict=True))
    assert dict(zip(table["Cơ quan"], table["Thiếu giải trình"], strict=True)) == expected
    assert sum(expected.values()) > 0
