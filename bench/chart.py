"""Plotly's own drawing time of the overview chart in headless Chromium, without Streamlit around it.

    python -m bench.chart --db PATH [--runs 3]           # prints one JSON object

The figure is the overview's (charts.progress.progress_figure on ui's target_status query, horizon 2030,
as of the latest period), at the database's full size and for subsets of its rows, drawn by the plotly.js
that ships with the plotly package (Plotly.newPlot timed inside the page). It separates what the browser
spends drawing from what the server spends running the script.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import plotly

from bench.timing import summary

PAGE = "<html><head><meta charset='utf-8'><script src='/plotly.js'></script></head><body><div id='c'></div></body></html>"
DRAW = """async (spec) => {
  const f = JSON.parse(spec); const d = document.getElementById('c');
  Plotly.purge(d); const t = performance.now();
  await Plotly.newPlot(d, f.data, f.layout, {responsive: true});
  return performance.now() - t;
}"""


def figures(db: Path, sizes: list[int]) -> dict[int, str]:
    """{rows: figure JSON} for the overview figure cut to each size (and its full size)."""
    import duckdb

    from charts.progress import progress_figure
    from loaders import read

    con = duckdb.connect(str(db), read_only=True)
    try:
        as_of = con.execute("SELECT max_by(period, period_index(period)) FROM v_actuals").fetchall()[0][0]
        rows = read.target_status(con, as_of, "2030")
    finally:
        con.close()
    out = {}
    for n in sorted({*(s for s in sizes if s < len(rows)), len(rows)}):
        part = rows.head(n)
        out[n] = progress_figure(part, title="Tiến độ", subtitle="bench", footer="bench", demo=True).to_json()
    return out


def measure(db: Path, runs: int, sizes: list[int], timeout_s: float = 240) -> dict:
    from playwright.sync_api import sync_playwright

    from devtools.serve import CHROMIUM, CHROMIUM_ARGS

    js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    specs = figures(db, sizes)
    out: dict = {"plotly_js": plotly.__version__, "rows": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.set_default_timeout(timeout_s * 1000)
            page.route("**/plotly.js", lambda r: r.fulfill(path=str(js), content_type="text/javascript"))
            page.route("http://bench.invalid/", lambda r: r.fulfill(body=PAGE, content_type="text/html"))
            page.goto("http://bench.invalid/")
            for n, spec in specs.items():
                samples = []
                for _ in range(runs):
                    start = time.perf_counter()
                    samples.append(page.evaluate(DRAW, spec) / 1000)
                    if time.perf_counter() - start > 10:
                        break  # bounded: one slow draw is enough to tell
                out["rows"][str(n)] = {"draw_s": summary(samples), "figure_kb": len(spec) // 1024}
        finally:
            browser.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.chart")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="40,160,320", help="row counts to draw besides the full figure")
    args = parser.parse_args(argv)
    result = measure(args.db, args.runs, [int(x) for x in args.sizes.split(",") if x])
    sys.stdout.write("\n" + json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
