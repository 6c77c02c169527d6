"""Profile one page's warm (or cold) AppTest run with pyinstrument, or the status macro with EXPLAIN ANALYZE.

    python -m bench.profile --db bench/results/data/100x.duckdb --page pages/overview.py [--cold] [--runs 3]
    python -m bench.profile --db bench/results/data/100x.duckdb --status

pyinstrument is not an app or test requirement: `pip install pyinstrument` to use the first form.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from bench.pages import APP


def profile_page(db: Path, page: str, runs: int, cold: bool) -> str:
    import pyinstrument
    import streamlit as st
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    os.environ["NQ57_DB"] = str(db)
    os.environ.setdefault("NQ57_USERS", str(Path(tempfile.mkdtemp(prefix="nq57-bench-")) / "users.toml"))
    at = AppTest.from_file(str(APP), default_timeout=600)
    at.run()
    at.switch_page(page)
    at.run()
    at.run()
    # AppTest runs the script on its own thread and pyinstrument samples the thread that starts it: start
    # and stop it inside the script thread, accumulating over the runs.
    profiler = pyinstrument.Profiler(interval=0.0005)
    original = LocalScriptRunner._run_script_thread

    def profiled(self) -> None:
        profiler.start()
        try:
            original(self)
        finally:
            profiler.stop()

    LocalScriptRunner._run_script_thread = profiled
    try:
        for _ in range(runs):
            if cold:
                st.cache_data.clear()
            at.run()
    finally:
        LocalScriptRunner._run_script_thread = original
    return profiler.output_text(unicode=True, color=False, show_all=False)


def explain_status(db: Path) -> str:
    from loaders import db as database

    con = database.connect(db, read_only=True)
    try:
        as_of = con.execute("SELECT max_by(period, period_index(period)) FROM v_actuals").fetchall()[0][0]
        con.execute("PRAGMA enable_profiling = 'query_tree'")
        rows = con.execute("EXPLAIN ANALYZE SELECT * FROM target_status(?)", [as_of]).fetchall()
        return "\n".join(str(r[-1]) for r in rows)
    finally:
        con.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--page", default="pages/overview.py")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold", action="store_true", help="clear st.cache_data before each run")
    parser.add_argument("--status", action="store_true", help="EXPLAIN ANALYZE of target_status instead")
    args = parser.parse_args(argv)
    print(explain_status(args.db) if args.status else profile_page(args.db, args.page, args.runs, args.cold))


if __name__ == "__main__":
    main()
