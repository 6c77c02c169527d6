"""Every page's script run under AppTest, warm and cold cache, against one database; run as a subprocess.

    python -m bench.pages --db PATH [--cold 3] [--warm 3]      # prints one JSON object

Pages are discovered from app.py at run time (every "pages/….py" it names), so pages the lead adds are
measured without touching the benchmark. A run is the whole app script (router, shared sidebar, page), as a
person's click reruns it. Cold = st.cache_data cleared first (what every reader gets after an upload, or
once the 10-minute ttl ends); the DuckDB connection (st.cache_resource) is kept. Warm = the same page rerun
with its cached frames. A separate process per database: Streamlit caches are keyed by arguments, not by the
database file, so two scales in one process would share frames.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"


def discover_pages(app: Path = APP) -> list[dict[str, str]]:
    """[{'path': 'pages/overview.py', 'title': 'Tổng quan', 'url_path': ''}, …] in the order app.py names
    them; url_path is what the browser asks for ('' for the default page)."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    found: dict[str, dict[str, str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name != "Page" or not node.args:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value.endswith(".py"):
            kw = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
            url = "" if kw.get("default") is True else str(kw.get("url_path") or Path(first.value).stem)
            found.setdefault(
                first.value,
                {
                    "path": first.value,
                    "title": str(kw.get("title") or Path(first.value).stem),
                    "url_path": url,
                },
            )
    if not found:  # pages built some other way: every string naming an existing pages/*.py
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                value = node.value
                if value.startswith("pages/") and value.endswith(".py") and (app.parent / value).exists():
                    stem = Path(value).stem
                    found.setdefault(value, {"path": value, "title": stem, "url_path": stem})
    return sorted(found.values(), key=lambda page: _line_of(tree, page["path"]))


def _line_of(tree: ast.AST, value: str) -> int:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == value:
            return node.lineno
    return 0


def _exception(at) -> str | None:
    if len(at.exception):
        return str(at.exception[0].value)[:300]
    return None


def measure(db: Path, cold: int, warm: int) -> dict:
    """{page path: {'title', 'cold_s', 'warm_s', 'exception'}} plus the process's first run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from bench.timing import summary

    pages = discover_pages()
    out: dict = {"pages": {}, "db": str(db)}
    first = None
    for page in pages:
        at = AppTest.from_file(str(APP), default_timeout=300)
        start = time.perf_counter()
        at.run()
        if first is None:
            first = time.perf_counter() - start  # imports, connection, every cache empty
        at.switch_page(page["path"])
        at.run()
        cold_samples, warm_samples = [], []
        for _ in range(cold):
            st.cache_data.clear()
            start = time.perf_counter()
            at.run()
            cold_samples.append(time.perf_counter() - start)
            for _ in range(warm):
                start = time.perf_counter()
                at.run()
                warm_samples.append(time.perf_counter() - start)
        out["pages"][page["path"]] = {
            "title": page["title"],
            "cold_s": summary(cold_samples),
            "warm_s": summary(warm_samples),
            "exception": _exception(at),
            "page_title_seen": [t.value for t in at.title][:1],
            "elements": len(list(at.main)),
        }
    out["process_first_run_s"] = first
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.pages")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--warm", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ["NQ57_DB"] = str(args.db)
    os.environ.setdefault("NQ57_USERS", str(Path(tempfile.mkdtemp(prefix="nq57-bench-")) / "users.toml"))
    result = measure(args.db, args.cold, args.warm)
    sys.stdout.write("\n" + json.dumps(result, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
