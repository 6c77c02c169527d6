"""`make screenshots`: the reviewed pictures in docs/img/, made afresh from demonstration data.

Exported charts as a leader pastes them (16:9 PNGs: the overview's first part, the agencies, one
indicator) and the pages in a real Chromium at 1920×1080. Look at each before committing them.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "img"
PERIOD = "2026-Q3"
PAGES = {"tong-quan": "", "theo-co-quan": "theo-co-quan", "chi-tieu": "chi-tieu?chitieu=KTS_GRDP"}


def exported(db: Path) -> list[Path]:
    from charts.labels import footer_text
    from exports import figures, images
    from loaders import export_reads, read

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = read.target_status(con, PERIOD, "2030", None, None, None)
        footer = footer_text(rows["plan_name"].unique(), read.data_date(con))
        part = figures.overview_parts(rows, "2030", PERIOD, footer, demo=export_reads.is_demo(con))[0]
        charts = {
            "export-overview-16x9.png": part.figure,
            "export-agencies-16x9.png": figures.agencies_chart(con, None, PERIOD, large=True).figure,
            "export-indicator-16x9.png": figures.indicator_chart(con, "KTS_GRDP", PERIOD, large=True).figure,
        }
    finally:
        con.close()
    written = []
    for name, figure in charts.items():
        (OUT / name).write_bytes(images.shaped_png(figure, "16:9"))
        written.append(OUT / name)
    return written


def pages(db: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from devtools.serve import serve
    from tests.browser import chromium
    from tests.e2e.conftest import CHROMIUM_ARGS

    written = []
    with serve(db) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        for name, path in PAGES.items():
            page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
            page.goto(f"{server.url}/{path}")
            page.wait_for_selector(
                "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000
            )
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
            page.wait_for_timeout(500)  # let Plotly finish its transitions
            target = OUT / f"page-{name}-1920x1080.png"
            page.screenshot(path=str(target))
            written.append(target)
            page.close()
        browser.close()
    return written


def main() -> int:
    from loaders.build import build
    from loaders.demo import write_demo

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nq57-shots-") as tmp:
        db = build(Path(tmp) / "demo.duckdb")
        write_demo(db)
        for path in exported(db) + pages(db):
            print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
