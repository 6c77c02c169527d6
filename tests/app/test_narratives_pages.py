"""The pages that show narratives, on the real catalog with none written yet, and once one is written."""

from __future__ import annotations

import shutil

import streamlit as st

from loaders import db, narratives
from tests.app.conftest import _app_on


def _texts(at) -> list[str]:
    return [t.value for t in at.text]


def test_the_indicator_page_says_no_assessment_yet(catalog_app):
    at = catalog_app(chitieu="DVC_TOAN_TRINH").run()
    at.switch_page("pages/indicator.py").run()
    assert not at.exception, at.exception
    assert "Chưa có đánh giá" in _texts(at)


def test_the_agency_page_renders_with_no_difficulties_reported(catalog_app):
    at = catalog_app().run()
    at.switch_page("pages/agencies.py").run()
    assert not at.exception, at.exception
    assert any("Chưa có khó khăn, kiến nghị" in c.value for c in at.caption)


def test_a_written_text_is_shown_as_plain_text_latest_first(catalog_db, monkeypatch, tmp_path):
    own = tmp_path / "nq57.duckdb"  # the shared catalog stays without narratives
    shutil.copy(catalog_db, own)
    con = db.connect(str(own))
    try:
        narratives.record(con, "indicator", "DVC_TOAN_TRINH", "2025-Q3", {"causes": "Cũ"}, "thuy")
        narratives.record(
            con, "indicator", "DVC_TOAN_TRINH", "2025-Q4", {"causes": "**Mới** <b>x</b>"}, "thuy"
        )
    finally:
        con.close()
    st.cache_data.clear()
    at = _app_on(own, monkeypatch, tmp_path)(chitieu="DVC_TOAN_TRINH").run()
    at.switch_page("pages/indicator.py").run()
    st.cache_data.clear()
    assert not at.exception, at.exception
    texts = _texts(at)
    assert texts.index("**Mới** <b>x</b>") < texts.index("Cũ")  # as typed, never rendered; latest first
    assert not any("<b>" in m.value for m in at.markdown)
