"""The floor apps run, and the ratio table judges each goal from the numbers it is given.

As in test_bench_smoke, the benchmark is driven as a process (tests and bench never import each other).
"""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from loaders.db import ROOT
from tests.support import cli

FLOOR = ROOT / "bench" / "floor" / "app.py"


def test_floor_pages_draw_one_chart(catalog_db, monkeypatch):
    monkeypatch.setenv("NQ57_DB", str(catalog_db))
    for page in ("plain.py", "cached.py"):
        at = AppTest.from_file(str(FLOOR), default_timeout=60)
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception
        assert len(at.get("plotly_chart")) == 1


def _s(median: float) -> dict:
    return {"median": median, "min": median, "max": median, "n": 1}


def test_table_judges_each_goal(tmp_path):
    result = {
        "plan": {"rss_visits": 5},
        "apptest": {
            "1x": {
                "pages/a.py": {"title": "A", "warm_s": _s(0.040)},
                "pages/b.py": {"title": "B", "warm_s": _s(0.070)},
                "floor_plain": {"title": "p", "warm_s": _s(0.009)},
                "floor_duckdb": {"title": "d", "warm_s": _s(0.010)},
            }
        },
        "cli_start": {"cli": _s(0.31), "python": _s(0.02)},
        "import_actuals": {"rows": 10_000, "app_s": _s(0.5), "calamine_s": _s(0.2)},
    }
    path = tmp_path / "r.json"
    path.write_text(json.dumps(result))
    done = cli.run_module("bench.ratios", "--judge", str(path))
    assert done.returncode == 0, done.stderr
    lines = {line.split(" | ")[0].strip("| "): line for line in done.stdout.splitlines()}
    assert lines["warm AppTest run 1x: A"].endswith("≤ ×5: met |")  # ×4.0
    assert "×7.0" in lines["warm AppTest run 1x: B"] and "**missed**" in lines["warm AppTest run 1x: B"]
    assert lines["import-actuals 10,000 rows vs bare calamine read"].endswith(": met |")  # ×2.5
    cli_line = next(v for k, v in lines.items() if k.startswith("CLI start"))
    assert "**missed**" in cli_line  # 0.31 s > 0.3 s


def test_the_reporting_page_at_60_agencies_is_judged_on_300_ms(tmp_path):
    def result(median: float) -> dict:
        return {
            "plan": {"rss_visits": 5},
            "apptest_reporting": {
                "pages/reporting.py": {"title": "Tình hình báo cáo", "warm_s": _s(median), "exception": None},
                "floor_plain": {"title": "p", "warm_s": _s(0.008)},
                "floor_duckdb": {"title": "d", "warm_s": _s(0.010)},
            },
        }

    got = {}
    for name, median in (("fast", 0.040), ("slow", 0.310)):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(result(median)))
        done = cli.run_module("bench.ratios", "--judge", str(path))
        assert done.returncode == 0, done.stderr
        got[name] = next(
            line
            for line in done.stdout.splitlines()
            if "warm run 60 agencies × 12 periods: Tình hình báo cáo" in line
        )
    assert "| 40 ms | 10 ms | ×4.0 | < 300 ms: met |" in got["fast"]
    assert "×31.0" in got["slow"] and got["slow"].endswith("< 300 ms: **missed** |")
