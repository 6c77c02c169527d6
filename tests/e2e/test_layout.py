"""Every chart as a leader sees it, measured in Chromium: each text inside the figure, none on another, the title whole.

On the pages (1280×720 and 1920×1080, the catalog as built and demonstration data), on every figure the
exports draw (laid out as the PNG is, at 1280 and 1920 px) and on the exported SVG files themselves.
"""

from __future__ import annotations

import pytest

from exports import figures, images
from tests.e2e.layout_probe import FigureProbe, measure_element, measure_svg, problems

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PERIOD = "2026-Q3"
VIEWPORTS = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
# Every page that draws a chart; the Chỉ tiêu page shows one indicator at a time: the ones with the most
# texts (four plans' levels, a reversed rank axis, a range target, a long wording).
CHART_PAGES = [
    "",
    "theo-co-quan?moc=all",
    "chi-tieu?chitieu=PII",
    "chi-tieu?chitieu=KTS_GRDP",
    "nhiem-vu",
    "tinh-hinh-bao-cao",
]
# Presentation mode draws every chart with larger text (the builders' large flag): it must fit as well.
CHART_PAGES += [
    "?present=1",
    "theo-co-quan?moc=all&present=1",
    "chi-tieu?chitieu=PII&present=1",
    "tinh-hinh-bao-cao?present=1",
]
# The exported figures are drawn as wide as the page chart at a 1280 px screen (the narrowest place a
# chart is shown, beside the sidebar) and as the 1920 px image.
FIGURE_WIDTHS = (820, 1920)


def _page_paths() -> dict[str, str]:
    """app.py's pages: {script: url path}, the default page at ''; read from its st.Page calls."""
    import ast
    from pathlib import Path

    out = {}
    for node in ast.walk(ast.parse((Path(__file__).parents[2] / "app.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page":
            words = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            out[node.args[0].value] = "" if words.get("default") else words["url_path"]
    return out


def test_every_page_that_draws_a_chart_is_measured():
    """A page gains a chart: it joins CHART_PAGES. (Duyệt số liệu draws none: tables and forms only.)"""
    from pathlib import Path

    root = Path(__file__).parents[2]
    paths = _page_paths()
    assert len(paths) == 10 and "" in paths.values(), paths
    measured = {p.split("?")[0] for p in CHART_PAGES}
    drawing = {
        script: path
        for script, path in paths.items()
        if any(
            call in (root / script).read_text(encoding="utf-8") for call in ("show_chart(", "plotly_chart(")
        )
    }
    assert "pages/reporting.py" in drawing and "pages/review.py" not in drawing, drawing
    assert set(drawing.values()) <= measured, set(drawing.values()) - measured


@pytest.fixture(scope="module")
def catalog_file(tmp_path_factory):
    from loaders.build import build

    return build(tmp_path_factory.mktemp("layout") / "catalog.duckdb")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    from loaders.build import build
    from loaders.demo import write_demo

    path = build(tmp_path_factory.mktemp("layout") / "demo.duckdb")
    write_demo(path)
    return path


@pytest.fixture(scope="module")
def catalog_figures_file(tmp_path_factory):
    """Its own file: the served app holds the lock on catalog_file for as long as it runs."""
    from loaders.build import build

    return build(tmp_path_factory.mktemp("layout") / "catalog-figures.duckdb")


@pytest.fixture(scope="module")
def catalog_url(catalog_file):
    from devtools.serve import serve

    with serve(catalog_file) as server:
        yield server.url


@pytest.fixture(params=["catalog", "demo"])
def served(request, catalog_url, app_url):
    return {"catalog": catalog_url, "demo": app_url}[request.param]


def _open(browser, url: str, size: tuple[int, int]):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]}, locale="vi-VN")
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stSkeleton']\")", timeout=30_000)
    return page


def _nav_links(page) -> dict[str, str]:
    """The sidebar's pages: {title: href}; the icon (an emoji or a Material ligature) is the link's first line."""
    links = page.query_selector_all("a[data-testid='stSidebarNavLink']")
    return {a.inner_text().strip().splitlines()[-1].strip(): a.get_attribute("href") for a in links}


def _shows(page, title: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('h1') && document.querySelector('h1').innerText.includes(t)", arg=title
    )
    assert "Page not found" not in page.inner_text("body")


def test_a_deep_link_opened_first_after_a_start_shows_its_page(browser, catalog_file):
    """Streamlit answered the first visitor of /chi-tieu with its English 'Page not found' (ui/serve.py)."""
    from devtools.serve import serve

    with serve(catalog_file) as server:  # a fresh process: the deep link is its very first session
        page = _open(browser, f"{server.url}/chi-tieu", VIEWPORTS["1280x720"])
        try:
            _shows(page, "Chỉ tiêu")
            links = _nav_links(page)
            # the ten pages of app.py, each under its own path (the default one at the root)
            assert len(links) == 10, links
            # then ordinary navigation in that same first session, there and back
            for title in ("Tổng quan", "Tình hình báo cáo", "Chỉ tiêu"):
                page.click(f"a[data-testid='stSidebarNavLink'][href='{links[title]}']")
                _shows(page, title)
                assert page.url.split("?")[0] == links[title].split("?")[0]
        finally:
            page.close()
        for title, href in links.items():  # and every page opened by its address, each a new visitor
            other = _open(browser, href, VIEWPORTS["1280x720"])
            try:
                _shows(other, title)
            finally:
                other.close()


@pytest.mark.parametrize("size", list(VIEWPORTS))
@pytest.mark.parametrize("path", CHART_PAGES)
def test_every_chart_on_the_page_has_room_for_its_words(browser, served, path, size):
    page = _open(browser, f"{served}/{path}", VIEWPORTS[size])
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        charts = page.query_selector_all("[data-testid='stPlotlyChart'] .svg-container")
        assert charts
        found = {i: problems(measure_element(page, c)) for i, c in enumerate(charts)}
        assert not any(found.values()), found
    finally:
        page.close()


def _reporting_chart(con, large: bool = False):
    """Tình hình báo cáo as its page draws it (ui/reporting.figure), a month after the agencies' deadline of
    the last period, so late, missing and on-time counts all show; its PNG is laid out like the others."""
    from datetime import timedelta

    import pandas as pd

    from charts.reporting import reporting_figure
    from loaders import reporting
    from loaders.export_reads import is_demo
    from metrics.periods import quarter_label_vi
    from metrics.reporting import agency_summary

    cal = reporting.calendar(con).set_index("period")
    period = PERIOD if PERIOD in cal.index else cal.index[-1]
    deadline = pd.Timestamp(cal.loc[period, "agency_deadline"]).date()
    today = deadline + timedelta(days=30)
    summary = agency_summary(reporting.classified(con, today, period))
    if summary.empty:
        return None
    return reporting_figure(
        summary,
        title=f"Tỷ lệ báo cáo đúng hạn theo cơ quan, {quarter_label_vi(period)}",
        subtitle=f"Đơn vị: % số chỉ tiêu và nhiệm vụ phải báo cáo · hạn {deadline:%d/%m/%Y} · tính đến {today:%d/%m/%Y}",
        footer="Nguồn: lịch báo cáo (Nghị định 09/2019/NĐ-CP), các kế hoạch thực hiện NQ57 và số liệu đã tải lên "
        f"đến {today:%d/%m/%Y}. Bảng theo dõi NQ57 Lai Châu.",
        demo=is_demo(con),
        large=large,
    )


def _export_charts(con):
    yield "overview", figures.overview_chart(con, "2030", PERIOD)
    yield "agencies", figures.agencies_chart(con, None, PERIOD)
    yield "reporting", _reporting_chart(con)
    ids = [r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM v_targets ORDER BY 1").fetchall()]
    for indicator in ids:
        yield indicator, figures.indicator_chart(con, indicator, PERIOD)


@pytest.mark.parametrize("db", ["catalog", "demo"])
def test_every_exported_figure_has_room_for_its_words(browser, db, catalog_figures_file, demo_file):
    import duckdb

    con = duckdb.connect(str(catalog_figures_file if db == "catalog" else demo_file), read_only=True)
    probe = FigureProbe(browser)
    try:
        found = {}
        for name, chart in _export_charts(con):
            if chart is None:
                continue
            figure = getattr(chart, "figure", chart)  # the exports' charts carry theirs; the page's is one
            for width in FIGURE_WIDTHS:
                wrong = problems(probe.measure(figure, width))
                if wrong:
                    found[f"{name}@{width}"] = wrong
        assert not found, found
    finally:
        probe.close()
        con.close()


def test_the_exported_svg_files_have_room_for_their_words(browser, demo_file):
    import duckdb

    con = duckdb.connect(str(demo_file), read_only=True)
    try:
        charts = [
            figures.overview_chart(con, "2030", PERIOD),
            figures.agencies_chart(con, None, PERIOD),
            figures.indicator_chart(con, "PII", PERIOD),
            figures.indicator_chart(con, "KTS_GRDP", PERIOD),
        ]
    finally:
        con.close()
    for chart in charts:
        svg = images.chart_svg(chart.figure)
        wrong = problems(measure_svg(browser, svg))
        assert not wrong, (chart.name, wrong)


def test_large_figures_for_slides_have_room_for_their_words(browser, demo_file):
    """The large flag (presentation mode, the 16:9 screenshots) enlarges the text: it must still fit."""
    import duckdb

    con = duckdb.connect(str(demo_file), read_only=True)
    probe = FigureProbe(browser)
    try:
        charts = {
            "agencies": figures.agencies_chart(con, None, PERIOD, large=True),
            "PII": figures.indicator_chart(con, "PII", PERIOD, large=True),
            "KTS_GRDP": figures.indicator_chart(con, "KTS_GRDP", PERIOD, large=True),
        }
        charts = {name: chart.figure for name, chart in charts.items()}
        charts["reporting"] = _reporting_chart(con, large=True)  # the demo database has its calendar
        found = {}
        for name, figure in charts.items():
            for width in FIGURE_WIDTHS:
                wrong = problems(probe.measure(figure, width))
                if wrong:
                    found[f"{name}@{width}"] = wrong
        assert not found, found
    finally:
        probe.close()
        con.close()
