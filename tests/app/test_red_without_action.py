"""The list "Chỉ tiêu chưa đạt chưa có giải pháp" on the overview: on the real catalog, and once an action is written."""

from __future__ import annotations

import shutil
from datetime import datetime

import duckdb
import streamlit as st

from loaders import db, narratives
from tests.app.conftest import _app_on
from ui.narratives import RED_WITHOUT_ACTION_TITLE

PERIOD = "2026-Q3"


def _table_ids(at) -> list[str]:
    frames = [d.value for d in at.dataframe if "Mã chỉ tiêu" in d.value.columns]
    return list(frames[0]["Mã chỉ tiêu"]) if frames else []


def test_the_real_catalog_lists_its_red_targets_or_says_there_are_none(catalog_app, app_catalog_db):
    at = catalog_app(ky=PERIOD).run()
    assert not at.exception, at.exception
    assert RED_WITHOUT_ACTION_TITLE in [h.value for h in at.subheader]
    con = duckdb.connect(str(app_catalog_db), read_only=True)
    try:
        expected = list(narratives.red_without_action(con, PERIOD)["target_id"])
    finally:
        con.close()
    assert _table_ids(at) == expected
    if not expected:
        assert any("không có chỉ tiêu" in c.value for c in at.caption)


def test_an_action_takes_its_target_off_the_list(demo_db, monkeypatch, tmp_path):
    own = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, own)
    con = db.connect(str(own))
    try:
        before = narratives.red_without_action(con, PERIOD)
        assert len(before) >= 2, "the demo data must have red targets for this test"
        chosen = before.iloc[0]
        agency = con.execute("SELECT min(agency_id) FROM agencies").fetchall()[0][0]
        narratives.add_action(
            con, chosen["indicator_id"], PERIOD, "Rà soát", agency, None, "tester", datetime(2026, 9, 1)
        )
        after = list(narratives.red_without_action(con, PERIOD)["target_id"])
    finally:
        con.close()
    st.cache_data.clear()
    at = _app_on(own, monkeypatch, tmp_path)(ky=PERIOD).run()
    st.cache_data.clear()
    assert not at.exception, at.exception
    shown = _table_ids(at)
    assert shown == after
    assert chosen["target_id"] not in shown
    assert any(f"{len(after)} chỉ tiêu" in c.value for c in at.caption)
