"""The floor apps run, and the ratio table judges each goal from the numbers it is given."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from bench import ratios

FLOOR = Path(ratios.ROOT) / ratios.FLOOR_SCRIPT


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


def test_table_judges_each_goal():
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
    table = {row[0]: row[-1] for row in ratios.rows(result)}
    assert table["warm AppTest run 1x: A"].endswith(": met")  # ×4.0 ≤ ×5
    assert table["warm AppTest run 1x: B"].endswith("**missed**")  # ×7.0
    assert table["import-actuals 10,000 rows vs bare calamine read"].endswith(": met")  # ×2.5
    assert "**missed**" in next(v for k, v in table.items() if k.startswith("CLI start"))  # 0.31 s > 0.3 s
