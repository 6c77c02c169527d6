"""Open every page in headless Chromium at two screen sizes: no exception box, charts drawn, screenshots kept."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

# url path -> a name for the screenshot
PAGES = {
    "": "tong-quan",
    "theo-co-quan": "theo-co-quan",
    "chi-tieu": "chi-tieu",
    "danh-muc-chi-tieu": "danh-muc-chi-tieu",
    "ke-hoach": "ke-hoach",
    "nhiem-vu": "nhiem-vu",
    "tai-so-lieu": "tai-so-lieu",
    "xuat-bao-cao": "xuat-bao-cao",
}
VIEWPORTS = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
CHART_PAGES = {"", "theo-co-quan", "chi-tieu", "nhiem-vu"}


def _open(browser, url: str, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
    page.goto(url)
    page.wait_for_selector("h1", timeout=30_000)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=30_000)
    # The script can be done while the browser still shows placeholders: wait until they are filled.
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=30_000)
    return page


@pytest.mark.parametrize("size_name", list(VIEWPORTS))
@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_in_a_real_browser(browser, app_url, path, size_name):
    page = _open(browser, f"{app_url}/{path}", VIEWPORTS[size_name])
    try:
        if path in CHART_PAGES:
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        assert page.locator("[data-testid='stException']").count() == 0
        assert "minh họa" in page.inner_text("body").lower()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{PAGES[path]}-{size_name}.png"))
    finally:
        page.close()


def test_chart_texts_are_vietnamese_with_the_period_and_source(browser, app_url):
    page = _open(browser, f"{app_url}/?moc=2030&ky=2026-Q3", VIEWPORTS["1920x1080"])
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        svg = page.locator(".js-plotly-plot").first.inner_text()
        assert "Tiến độ các chỉ tiêu mốc 2030" in svg
        assert "Quý III/2026" in svg
        assert "Nguồn:" in svg
        assert "DỮ LIỆU MINH HỌA" in svg
        assert "%" in svg and "," in svg  # decimal commas, e.g. 37,4%
    finally:
        page.close()


def test_sidebar_filter_goes_into_the_link(browser, app_url):
    page = _open(browser, f"{app_url}/?coquan=so_noivu&moc=2030", VIEWPORTS["1920x1080"])
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        assert "coquan=so_noivu" in page.url
        values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert (
            sum(int(v) for v in values if not v.endswith("%")) == 1
        )  # Sở Nội vụ leads one 2030 target (row 5 of the 02/2025 plan)
    finally:
        page.close()
