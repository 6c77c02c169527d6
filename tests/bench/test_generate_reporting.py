"""The reporting-cycle benchmark database (issue 15): 60 agencies owing for 12 periods, in every state.

Generated as a person runs it (`python -m bench.generate_reporting`), then read back through the app's own
loader (loaders.reporting.classified) and its page, as the benchmark measures it. No timing is asserted.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from loaders import db, reporting
from loaders.db import ROOT
from metrics import clock
from tests.support import cli

pytestmark = pytest.mark.slow  # builds a catalog and runs the generator as a process of its own

TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    path = tmp_path_factory.mktemp("bench") / "reporting.duckdb"
    done = cli.run_module("bench.generate_reporting", "--today", TODAY.isoformat(), "-o", str(path))
    assert done.returncode == 0, done.stderr[-3000:]
    return path, json.loads(done.stdout)


def test_sixty_agencies_owe_for_twelve_periods_in_every_state(generated):
    path, said = generated
    con = duckdb.connect(str(path), read_only=True)
    try:
        c = reporting.classified(con, TODAY)
        periods = [p for (p,) in con.execute("SELECT period FROM reporting_calendar ORDER BY 1").fetchall()]
        synthetic = con.execute(
            "SELECT agency_id, name, note FROM agencies WHERE agency_id LIKE 'bench\\_ag\\_%' ESCAPE '\\'"
        ).fetchall()
        awaiting = con.execute(
            "SELECT count(*) FROM submissions s "
            "WHERE NOT EXISTS (SELECT 1 FROM review_events e WHERE e.upload_id = s.upload_id)"
        ).fetchone()[0]
        accepted = con.execute("SELECT count(*) FROM review_events WHERE action = 'accept'").fetchone()[0]
        latest_arrival = con.execute("SELECT max(submitted_at) FROM submissions").fetchone()[0]
        dataset = con.execute("SELECT value FROM meta WHERE key = 'dataset'").fetchone()[0]
    finally:
        con.close()
    assert periods == [f"{y}-Q{q}" for y in (2025, 2026, 2027) for q in (1, 2, 3, 4)]
    assert c["agency_id"].nunique() == 60 and c["period"].nunique() == 12
    assert sorted(c["period"].unique()) == periods
    states = c["state"].value_counts()
    for state in ("on_time", "late", "missing", "pending"):
        assert states.get(state, 0) > 0, state
    received = c[c["received"]]
    assert len(received) > 0.5 * len(c[c["state"] != "pending"]), "most owed items that are due arrived"
    assert 0 < received["accepted"].sum() < len(received), "some accepted, some awaiting review"
    assert accepted > 0 and awaiting > 0
    assert latest_arrival.date() <= TODAY, "nothing arrives after the day the data run up to"
    # the synthetic agencies are marked as benchmark data, and each owes something
    assert synthetic and all(
        "thử hiệu năng" in name and "không phải cơ quan thật" in note for _, name, note in synthetic
    )
    assert {a for a, _, _ in synthetic} <= set(c["agency_id"])
    assert dataset == "demo"
    # what the generator says it made is what the loader reads back
    assert said["agencies"] == 60 and said["periods"] == 12 and said["owed"] == len(c)
    assert said["late"] == states["late"] and said["missing"] == states["missing"]


def test_the_page_shows_every_agency_owing_in_its_period(generated, monkeypatch):
    path, _ = generated
    monkeypatch.setenv("NQ57_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/reporting.py")
    at.run()
    assert not at.exception
    period = at.selectbox(key="reporting_period").value
    con = duckdb.connect(str(path), read_only=True)
    try:
        owing = reporting.classified(con, clock.today(), period)["agency_id"].nunique()
    finally:
        con.close()
    table = next(d.value for d in at.dataframe if "Cơ quan" in d.value.columns)  # the per-agency table
    assert len(table) == owing > 50


def test_the_generator_never_writes_the_real_database():
    before = db.DEFAULT_DB.stat().st_mtime_ns if db.DEFAULT_DB.exists() else None
    done = cli.run_module("bench.generate_reporting", "-o", str(db.DEFAULT_DB))
    assert done.returncode == 2 and "never writes data/nq57.duckdb" in done.stderr
    assert (db.DEFAULT_DB.stat().st_mtime_ns if db.DEFAULT_DB.exists() else None) == before
