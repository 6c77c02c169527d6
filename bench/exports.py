"""Timing of the exports: `python -m bench.exports [--db PATH]` (a demo database is built when none is given).

Budgets (issue: briefing exports): the pack for all agencies under 15 s, each chart image after the
first under 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

PACK_BUDGET_S = 15.0
IMAGE_BUDGET_S = 1.0


def _timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(
    con: duckdb.DuckDBPyConnection, out: Path, horizon: str = "2030", period: str | None = None, runs: int = 5
) -> dict:
    """Seconds for: the first image (browser start included), further images, the pack, the report."""
    from exports import figures, images
    from exports.pack import build_pack
    from exports.report import build_report
    from loaders import read

    period = period or read.latest_period(con)
    chart = figures.overview_chart(con, horizon, period)
    result: dict[str, object] = {"period": period, "horizon": horizon, "browser": images.browser_path()}
    if images.available():
        first, _ = _timed(lambda: images.chart_png(chart.figure))
        further = [_timed(lambda: images.chart_png(chart.figure))[0] for _ in range(runs)]
        svg = [_timed(lambda: images.chart_svg(chart.figure))[0] for _ in range(runs)]
        result |= {
            "first_image_s": first,
            "further_png_median_s": statistics.median(further),
            "further_png_max_s": max(further),
            "svg_median_s": statistics.median(svg),
        }
    pack_s, paths = _timed(lambda: build_pack(con, horizon, period, None, out))
    report_s, _ = _timed(lambda: build_report(con, period, None, out))
    result |= {"pack_all_agencies_s": pack_s, "pack_files": [str(p) for p in paths], "report_s": report_s}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", help="a built database (default: a fresh demo database in a temporary folder)"
    )
    parser.add_argument("--horizon", default="2030")
    parser.add_argument("--period")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nq57-exports-bench-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "demo.duckdb"
        if not args.db:
            from loaders.build import build
            from loaders.demo import write_demo

            build(path)
            write_demo(path)
        con = duckdb.connect(str(path), read_only=True)
        try:
            result = measure(con, Path(tmp) / "out", args.horizon, args.period, args.runs)
        finally:
            con.close()
    for key, value in result.items():
        print(f"{key:26} {value:.3f}" if isinstance(value, float) else f"{key:26} {value}")
    ok = (
        result["pack_all_agencies_s"] < PACK_BUDGET_S
        and result.get("further_png_max_s", 0.0) < IMAGE_BUDGET_S
    )
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
