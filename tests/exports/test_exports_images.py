"""Chart images by kaleido and Debian's Chromium: size, content, one server, a clear reason without a browser.

Without Chromium these tests skip locally with a message and fail in CI (CI=true), as tests/e2e do.
"""

from __future__ import annotations

import io
import threading

import duckdb
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageStat

from charts.common import chart_title
from exports import figures, images, labels
from tests.browser import require_chromium
from tests.support import databases
from ui import labels as ui_labels

pytestmark = pytest.mark.slow  # drives Chromium through kaleido

PERIOD = "2026-Q3"


def require_browser() -> None:
    require_chromium("kiểm thử ảnh biểu đồ")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = databases.demo_db(tmp_path_factory.mktemp("images") / "demo.duckdb")
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def overview(con):
    return figures.overview_chart(con, "2030", PERIOD)


def test_png_is_1920_wide_at_twice_the_scale_and_not_blank(overview):
    require_browser()
    png = images.chart_png(overview.figure)
    with Image.open(io.BytesIO(png)) as img:
        assert img.format == "PNG"
        assert img.size == (1920 * 2, overview.figure.layout.height * 2)
        grey = img.convert("L")
        assert ImageStat.Stat(grey).var[0] > 500, "a blank or flat image"
        # ink on both halves: bars on the left, the verdicts in words on the right
        width, height = grey.size
        for box in ((0, 0, width // 2, height), (width // 2, 0, width, height)):
            assert grey.crop(box).getextrema()[0] < 100


def test_svg_keeps_the_vietnamese_text_as_on_screen(overview):
    require_browser()
    svg = images.chart_svg(overview.figure).decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    for text in ("Tiến độ các chỉ tiêu mốc 2030", "Quý III/2026", "DỮ LIỆU MINH HỌA", "Nguồn:"):
        assert text in svg


def test_one_server_for_the_process_serves_every_further_image(overview, con, monkeypatch):
    """Further images reuse the browser the first one started (how quick they are is bench.exports' job)."""
    require_browser()
    images.chart_png(overview.figure)  # the browser is up after this
    starts = []
    real_start = images.kaleido.start_sync_server

    def counted_start(*args, **kwargs):
        starts.append(args)
        return real_start(*args, **kwargs)

    monkeypatch.setattr(images.kaleido, "start_sync_server", counted_start)
    png = images.chart_png(figures.agencies_chart(con, "2030", PERIOD).figure)
    assert png.startswith(b"\x89PNG")
    assert starts == [], "a further image started a browser of its own"


def test_sessions_rendering_at_once_each_get_their_own_image():
    require_browser()
    figures_by_height = {
        h: go.Figure(go.Bar(x=[1, 2], y=[h, 1]), layout={"height": h}) for h in (300, 400, 500)
    }
    out: dict[int, bytes] = {}
    threads = [
        threading.Thread(target=lambda h=h, f=f: out.__setitem__(h, images.chart_png(f, width=600, scale=1)))
        for h, f in figures_by_height.items()
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    for height, png in out.items():
        with Image.open(io.BytesIO(png)) as img:
            assert img.size == (600, height)
    assert set(out) == set(figures_by_height)


def test_indicator_chart_is_the_page_chart(con):
    chart = figures.indicator_chart(con, "KTS_GRDP", PERIOD)
    assert chart.name == f"nq57 chi tieu KTS_GRDP {PERIOD}"
    assert "Tỷ trọng kinh tế số" in chart_title(chart.figure)
    assert (
        figures.indicator_chart(con, "TT_AN_NINH_MANG", PERIOD) is None
    )  # yes/no: no chart on the page either


def test_without_a_browser_images_say_why(monkeypatch, overview):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert not images.available()
    assert "BROWSER_PATH" in images.unavailable_reason()
    with pytest.raises(images.ImagesUnavailable, match="Không tạo được ảnh"):
        images.chart_png(overview.figure)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert images.unavailable_reason() == images.NO_BROWSER


def test_horizon_words_are_the_pages_words():
    assert {h: labels.horizon_label(h) for h in ui_labels.HORIZON_LABELS} == ui_labels.HORIZON_LABELS
