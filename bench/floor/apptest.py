"""Warm AppTest runs of every page beside the floor pages, alternating, in one process per database.

    python -m bench.floor.apptest --db PATH [--warm 5] [--page pages/reporting.py …]   # prints one JSON object

Each round runs every app page once and each floor page once, so both sides see the same load. A run is
the whole script (router, sidebar, page), as a click reruns it; caches are warm (each page ran before).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.pages import APP, discover_pages
from bench.timing import summary

FLOOR = Path(__file__).resolve().parent / "app.py"
FLOOR_PAGES = {"floor_plain": "plain.py", "floor_duckdb": "cached.py"}


def measure(warm: int, only: list[str] | None = None) -> dict:
    """Every app page (or only those named) and both floor pages, `warm` alternating rounds."""
    from streamlit.testing.v1 import AppTest

    runners = {}
    pages = [p for p in discover_pages() if not only or p["path"] in only]
    if only and len(pages) != len(set(only)):
        raise SystemExit(f"unknown page among {only}")
    for page in pages:
        at = AppTest.from_file(str(APP), default_timeout=300)
        at.run()
        at.switch_page(page["path"])
        at.run()  # fills this page's caches
        runners[page["path"]] = (page["title"], at)
    for name, script in FLOOR_PAGES.items():
        at = AppTest.from_file(str(FLOOR), default_timeout=300)
        at.run()
        at.switch_page(script)
        at.run()
        runners[name] = (name, at)
    samples: dict[str, list[float]] = {key: [] for key in runners}
    for _ in range(warm):
        for key, (_, at) in runners.items():
            start = time.perf_counter()
            at.run()
            samples[key].append(time.perf_counter() - start)
    return {
        key: {
            "title": title,
            "warm_s": summary(samples[key]),
            "exception": str(at.exception[0].value)[:300] if len(at.exception) else None,
        }
        for key, (title, at) in runners.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.floor.apptest")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--warm", type=int, default=5)
    parser.add_argument(
        "--page", action="append", help="only this app page (repeatable); default: every page"
    )
    args = parser.parse_args(argv)
    os.environ["NQ57_DB"] = str(args.db)
    os.environ.setdefault("NQ57_USERS", str(Path(tempfile.mkdtemp(prefix="nq57-bench-")) / "users.toml"))
    sys.stdout.write("\n" + json.dumps(measure(args.warm, args.page), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
