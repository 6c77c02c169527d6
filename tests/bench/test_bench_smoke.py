"""The benchmark runs and writes well-formed results: the generator at a tiny scale, then `--quick` on it.

No timing is asserted: speed is judged by the ratios in bench/results/, not by tests.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import duckdb
import pytest

from bench import generate
from bench.pages import discover_pages
from loaders import db
from loaders.db import ROOT

TINY = generate.SCALES["tiny"]


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory):
    return generate.generate(tmp_path_factory.mktemp("bench") / "tiny.duckdb", "tiny", last_period="2026-Q3")


def _one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()[0][0]


def test_the_generator_multiplies_the_catalog_and_the_actuals(tiny_db, catalog_db):
    real = duckdb.connect(str(catalog_db), read_only=True)
    con = duckdb.connect(str(tiny_db), read_only=True)
    try:
        targets = _one(real, "SELECT count(*) FROM targets")
        tasks = _one(real, "SELECT count(*) FROM tasks")
        measured = _one(real, "SELECT count(DISTINCT indicator_id) FROM targets")
        assert _one(con, "SELECT count(*) FROM targets") == targets * TINY.provinces
        assert _one(con, "SELECT count(*) FROM tasks") == tasks * TINY.provinces
        assert _one(con, "SELECT count(DISTINCT indicator_id) FROM targets") == measured * TINY.provinces
        assert _one(con, "SELECT count(*) FROM targets WHERE target_id LIKE '%\\_t02' ESCAPE '\\'") == targets
        # one upload per province, quarter and round of revisions; every value revised `revisions` times
        assert _one(con, "SELECT count(*) FROM uploads") == TINY.provinces * TINY.quarters * TINY.revisions
        per_value = con.execute(
            "SELECT DISTINCT count(*) FROM actual_revisions GROUP BY indicator_id, period"
        ).fetchall()
        assert per_value == [(TINY.revisions,)]
        uploaded = _one(con, "SELECT count(*) FROM v_actuals WHERE origin = 'demo'")
        assert _one(con, "SELECT count(*) FROM actual_revisions") == uploaded * TINY.revisions
        periods = [
            r[0] for r in con.execute("SELECT DISTINCT period FROM actual_revisions ORDER BY 1").fetchall()
        ]
        assert periods == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
        assert _one(con, "SELECT value FROM meta WHERE key = 'dataset'") == "demo"
        assert _one(con, "SELECT value FROM meta WHERE key = 'bench_scale'") == "tiny"
        # the sequences were moved past the ids used: the next upload or revision does not collide
        for seq, table, column in (
            ("upload_seq", "uploads", "upload_id"),
            ("revision_seq", "actual_revisions", "revision_id"),
        ):
            last = _one(con, "SELECT last_value FROM duckdb_sequences() WHERE sequence_name = ?", [seq])
            assert last >= _one(con, f"SELECT max({column}) FROM {table}")
    finally:
        con.close()
        real.close()


def test_the_generator_never_writes_the_real_database():
    with pytest.raises(ValueError):
        generate.generate(db.DEFAULT_DB, "tiny")


def test_every_page_of_the_router_is_found():
    named = re.findall(r"st\.Page\(\s*\"(pages/[^\"]+\.py)\"", (ROOT / "app.py").read_text(encoding="utf-8"))
    pages = discover_pages()
    assert [p["path"] for p in pages] == named
    assert sum(p["url_path"] == "" for p in pages) == 1, "exactly one default page, served at /"


def test_a_quick_run_writes_the_table_and_the_json(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--quick",
            "--scales",
            "tiny",
            "--only",
            "status,pages",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))
    assert {
        "command",
        "machine",
        "plan",
        "scales",
        "status",
        "pages",
        "targets",
        "elapsed_s",
        "errors",
    } <= set(results)
    assert results["errors"] == []
    machine = results["machine"]
    assert machine["cpu_count"] >= 1 and machine["memory_mb"] > 0
    assert {"streamlit", "duckdb", "pandas", "plotly"} <= set(machine["libraries"])
    assert results["scales"]["tiny"]["counts"]["targets"] > 0
    status = results["status"]["tiny"]
    assert status["same_result"] is True
    assert {"median", "min", "max", "n"} <= set(status["duckdb_s"]) and status["speedup"] > 0
    pages = results["pages"]["tiny"]["pages"]
    assert list(pages) == [p["path"] for p in discover_pages()]
    for page in pages.values():
        assert page["exception"] is None, page
        assert page["warm_s"]["n"] >= 1 and page["cold_s"]["n"] >= 1
    table = (tmp_path / "latest.md").read_text(encoding="utf-8")
    assert "### 1. Page scripts under AppTest" in table and "### 2. Status of every target" in table
    assert table.strip() in done.stdout
