"""Every page on every state of the data (issue 11 §1): no exception anywhere, and a page with nothing to
draw says so in Vietnamese.

Each (state, page) is one AppTest, re-run with new widget values (tests/support/sweep.py): the agency filter
(all, the agency leading the most targets, the one leading the fewest) × the page's horizons × "Số liệu
đến" (default, earliest, latest), every plan of Kế hoạch, every indicator of Chỉ tiêu. The number of page
runs per state is written to artifacts/sweep_counts.json for the closing note.
"""

from __future__ import annotations

import json

import pytest
import streamlit as st

from loaders import db
from tests.app.conftest import _app_on
from tests.support.states import STATES
from tests.support.sweep import PAGES, sweep_page

COUNTS: dict[str, dict[str, int]] = {}
# The 100× database has 1 768 indicators: its Chỉ tiêu page is swept on this many, spread evenly.
INDICATOR_LIMIT = {"bench_100x": 15}
COUNTS_FILE = db.ROOT / "artifacts" / "sweep_counts.json"


def _choices(path) -> tuple[list[str], list[str]]:
    """(agencies to filter by, every plan): the agencies leading the most and the fewest targets."""
    con = db.connect(path)
    try:
        leads = con.execute(
            "SELECT agency_id FROM v_target_agencies GROUP BY 1 ORDER BY count(*) DESC, agency_id"
        ).fetchall()
        plans = con.execute("SELECT plan_id FROM plans ORDER BY plan_period, plan_id").fetchall()
    finally:
        con.close()
    agencies = list(dict.fromkeys([leads[0][0], leads[-1][0]]))
    return agencies, [p[0] for p in plans]


@pytest.fixture(scope="module", autouse=True)
def _write_counts():
    yield
    COUNTS_FILE.parent.mkdir(exist_ok=True)
    totals = {state: sum(pages.values()) for state, pages in COUNTS.items()}
    COUNTS_FILE.write_text(
        json.dumps({"runs_per_state": totals, "runs_per_page": COUNTS}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("state", STATES)
def test_every_page_on_every_state(state, page, state_db, monkeypatch, tmp_path):
    # Cached reads are keyed by their SQL, not by the database file: clear them around each state's runs.
    st.cache_data.clear()
    try:
        agencies, plans = _choices(state_db)
        make = _app_on(state_db, monkeypatch, tmp_path)
        sweep = sweep_page(make, page, agencies, plans, INDICATOR_LIMIT.get(state))
    finally:
        st.cache_data.clear()
    COUNTS.setdefault(state, {})[page] = sweep.runs
    assert not sweep.problems, f"{len(sweep.problems)} problem(s):\n" + "\n".join(sweep.problems[:20])
    assert sweep.runs > 1, f"{page} on {state}: the sweep ran the page only {sweep.runs} time(s)"
