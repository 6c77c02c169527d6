"""The page Xuất báo cáo and the image buttons under charts, driven by AppTest against the demo database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from loaders.db import ROOT

# The page as app.py will route it (the lead registers it there); a router of our own keeps the
# repository root, not pages/, on sys.path, as under app.py.
ROUTER = f"""
import streamlit as st
from ui import frame

page = st.Page(r"{ROOT / "pages" / "export_files.py"}", title="Xuất báo cáo", url_path="xuat-bao-cao")
navigation = st.navigation([page])
frame.sidebar_filters()
navigation.run()
"""

CHART = """
import plotly.graph_objects as go
import streamlit as st
from ui.export_buttons import chart_download_buttons

fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
st.plotly_chart(fig, key="demo_chart")
chart_download_buttons(fig, "nq57 tong quan 2030 2026-Q3", key="demo_chart")
"""


@pytest.fixture
def env(demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("NQ57_DB", str(demo_db))
    monkeypatch.setenv("NQ57_USERS", str(tmp_path / "users.toml"))


def test_page_renders_with_the_demo_mark_and_one_click_report(env):
    at = AppTest.from_string(ROUTER, default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Xuất báo cáo"
    assert any("minh họa" in w.value for w in at.warning)
    assert [d.label for d in at.download_button] == ["Tải báo cáo Excel"]
    assert at.selectbox(key="export_report_kind").value == "9m"  # the demo data end in 2026-Q3
    at.selectbox(key="export_report_kind").set_value("month-8").run()
    assert not at.exception


def test_pack_button_gives_pdf_and_powerpoint(env, monkeypatch):
    monkeypatch.setenv(
        "BROWSER_PATH", "/nonexistent/chromium"
    )  # charts are tested elsewhere: keep this quick
    at = AppTest.from_string(ROUTER, default_timeout=120).run()
    at.selectbox(key="export_agency").set_value("so_khcn").run()
    at.button(key="export_pack_make").click().run()
    assert not at.exception, at.exception
    assert [d.label for d in at.download_button] == ["Tải PDF", "Tải PowerPoint", "Tải báo cáo Excel"]
    assert any("BROWSER_PATH" in c.value for c in at.caption)


def test_agency_follows_the_sidebar_filter(env):
    at = AppTest.from_string(ROUTER, default_timeout=120)
    at.query_params["coquan"] = "so_noivu"
    at.run()
    assert at.selectbox(key="export_agency").value == "so_noivu"


def test_chart_buttons_are_enabled_with_a_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/bin/sh")  # any executable: nothing is drawn until a click
    at = AppTest.from_string(CHART).run()
    assert not at.exception
    buttons = {d.label: d for d in at.download_button}
    assert set(buttons) == {"Tải PNG", "Tải SVG"}
    assert not any(b.proto.disabled for b in buttons.values())


def test_chart_buttons_say_why_without_a_browser(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = AppTest.from_string(CHART).run()
    assert not at.exception
    assert all(d.proto.disabled for d in at.download_button)
    assert "Không tạo được ảnh biểu đồ" in at.caption[0].value
    assert "Không tạo được ảnh biểu đồ" in at.download_button[0].help


def test_chart_png_comes_in_the_shape_chosen(monkeypatch):
    """Như trên màn hình, 16:9 or A4: the choice reaches exports.images and the button says it (#17)."""
    monkeypatch.setenv("BROWSER_PATH", "/bin/sh")
    at = AppTest.from_string(CHART).run()
    control = at.get("button_group")[0]
    assert control.key == "demo_chart_shape"
    assert control.options == ["Như trên màn hình", "Trang chiếu 16:9", "Trang A4 dọc"]
    assert "3.840 điểm ảnh" in at.download_button[0].help
    at.get("button_group")[0].set_value("16:9").run()
    assert not at.exception
    assert "16:9" in at.download_button[0].help

    from exports import images
    from ui import export_buttons

    calls = []
    monkeypatch.setattr(images, "chart_png", lambda fig: calls.append(("page", None)) or b"page")
    monkeypatch.setattr(images, "shaped_png", lambda fig, shape: calls.append(("shaped", shape)) or b"s")
    for shape in ("page", "16:9", "A4"):
        export_buttons.png_of(None, shape)
    assert calls == [("page", None), ("shaped", "16:9"), ("shaped", "A4")]
