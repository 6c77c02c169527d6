"""The DuckDB macro target_status(as_of) gives the same frame as the pandas reference implementation."""

from __future__ import annotations

import csv
import math
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from metrics.periods import period_index, period_of_index
from metrics.status_reference import (
    DEFAULT_THRESHOLDS_CSV,
    coerce_status_frame,
    compute_status,
    read_thresholds,
)
from tests.metrics.test_status_rules import CASES, Case, act, actuals_frame, targets_frame, tgt

THRESHOLDS = read_thresholds()
TOLERANCE = {"check_exact": False, "rtol": 1e-9, "atol": 1e-9}


# ---------------------------------------------------------------- a minimal database


def _none(value: Any) -> Any:
    """DuckDB wants None, not NaN, for NULL."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def load_thresholds(con: duckdb.DuckDBPyConnection) -> None:
    with open(DEFAULT_THRESHOLDS_CSV, encoding="utf-8", newline="") as fh:
        rows = [(r["key"], float(r["value"]), r["note"]) for r in csv.DictReader(fh)]
    con.execute("DELETE FROM status_thresholds")
    con.executemany("INSERT INTO status_thresholds VALUES (?, ?, ?)", rows)


def load_case(con: duckdb.DuckDBPyConnection, targets: pd.DataFrame, actuals: pd.DataFrame) -> None:
    """Insert just enough catalog rows for v_targets, and the actuals as one upload's revisions."""
    for table in (
        "targets",
        "target_agencies",
        "indicators",
        "plans",
        "thematic_groups",
        "actual_revisions",
        "uploads",
        "published_actuals",
    ):
        con.execute(f"DELETE FROM {table}")
    con.execute("INSERT INTO thematic_groups VALUES ('g', 'Nhóm thử', 1)")
    plans = targets.drop_duplicates("plan_id")[["plan_id", "plan_period"]]
    assert not targets.groupby("plan_id")["plan_period"].nunique().gt(1).any(), "one period per plan"
    con.executemany(
        "INSERT INTO plans (plan_id, short_name, issuer, number, doc_date_text, plan_period, title, horizons,"
        " source_file) VALUES (?, ?, 'UBND', 'x', 'x', ?, 'x', 'x', 'x')",
        [(p.plan_id, p.plan_id, p.plan_period) for p in plans.itertuples()],
    )
    indicators = targets.drop_duplicates("indicator_id")
    con.executemany(
        "INSERT INTO indicators (indicator_id, name, short_name, unit, direction, group_code, frequency)"
        " VALUES (?, ?, ?, ?, ?, 'g', ?)",
        [
            (i.indicator_id, i.indicator_id, i.indicator_id, i.unit, i.direction, i.frequency)
            for i in indicators.itertuples()
        ],
    )
    con.executemany(
        "INSERT INTO targets (target_id, plan_id, row_ref, horizon, due_period, indicator_id, comparator,"
        " target_value, target_value_high, also_rising, target_text, lead_agencies_as_written, source_ref)"
        " VALUES (?, ?, 'r', ?, ?, ?, ?, ?, ?, ?, 'x', 'x', 'x')",
        [
            (
                t.target_id,
                t.plan_id,
                t.horizon,
                t.due_period,
                t.indicator_id,
                t.comparator,
                _none(t.target_value),
                _none(t.target_value_high),
                bool(t.also_rising),
            )
            for t in targets.itertuples()
        ],
    )
    # figures of another definition can only be published ones (uploads always measure the target)
    context = actuals[~actuals["comparable"].astype(bool)]
    if len(context):
        con.executemany(
            "INSERT INTO published_actuals (indicator_id, period, value, value_text, source, grade, published_on,"
            " comparable) VALUES (?, ?, ?, ?, 'báo', 'B', DATE '2026-01-01', false)",
            [(a.indicator_id, a.period, _none(a.value), _none(a.value_text)) for a in context.itertuples()],
        )
    actuals = actuals[actuals["comparable"].astype(bool)]
    if len(actuals):
        con.execute(
            "INSERT INTO uploads VALUES (1, 'import', 'test.xlsx', 'x', 'test', ?, NULL, ?, NULL)",
            [datetime(2026, 1, 1), len(actuals)],
        )
        con.executemany(
            "INSERT INTO actual_revisions (revision_id, upload_id, indicator_id, period, value, value_text,"
            " is_retraction, recorded_by, recorded_at) VALUES (?, 1, ?, ?, ?, ?, false, ?, ?)",
            [
                (
                    n,
                    a.indicator_id,
                    a.period,
                    _none(a.value),
                    _none(a.value_text),
                    a.recorded_by,
                    datetime(2026, 1, 1),
                )
                for n, a in enumerate(actuals.itertuples(), start=1)
            ],
        )


def sql_status(con: duckdb.DuckDBPyConnection, as_of: str) -> pd.DataFrame:
    return coerce_status_frame(con.execute("SELECT * FROM target_status(?)", [as_of]).df())


def pandas_status_from_views(con: duckdb.DuckDBPyConnection, as_of: str) -> pd.DataFrame:
    targets = con.execute("SELECT * FROM v_targets").df()
    actuals = con.execute("SELECT * FROM v_actuals").df()
    return compute_status(targets, actuals, as_of, THRESHOLDS)


@pytest.fixture
def status_db(fresh_db):
    load_thresholds(fresh_db)
    return fresh_db


# ---------------------------------------------------------------- hand-made cases


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_sql_matches_hand_computed(status_db, case: Case):
    load_case(status_db, case.target_frame(), case.actual_frame())
    assert_frame_equal(sql_status(status_db, case.as_of), case.expected_frame(), **TOLERANCE)
    assert_frame_equal(pandas_status_from_views(status_db, case.as_of), case.expected_frame(), **TOLERANCE)


def test_published_actuals_and_revisions_feed_the_macro(status_db):
    """A published figure, then an upload that revises it: the macro reads v_actuals (latest revision)."""
    load_case(status_db, targets_frame([tgt("t", "I", ">=", 50)]), actuals_frame([act("I", "2026-Q1", 20)]))
    status_db.execute(
        "INSERT INTO published_actuals (indicator_id, period, value, source, grade, published_on, comparable)"
        " VALUES ('I', '2025-Q1', 10, 'báo', 'B', DATE '2025-04-01', true),"
        " ('I', '2026-Q1', 99, 'báo', 'B', DATE '2026-04-01', true)"
    )
    got = sql_status(status_db, "2026-Q1").iloc[0]
    assert (got["baseline_value"], got["actual_value"]) == (
        10.0,
        20.0,
    )  # the upload outranks the published 99
    assert_frame_equal(
        sql_status(status_db, "2026-Q1"), pandas_status_from_views(status_db, "2026-Q1"), **TOLERANCE
    )


def test_view_is_as_of_the_latest_reported_period(status_db):
    case = next(c for c in CASES if c.name == "kts_grdp_chain")
    load_case(status_db, case.target_frame(), case.actual_frame())
    view = coerce_status_frame(status_db.execute("SELECT * FROM v_target_status").df())
    assert set(view["as_of"]) == {"2026-Q3"}
    assert_frame_equal(view, sql_status(status_db, "2026-Q3"), **TOLERANCE)


def test_view_without_actuals_is_as_of_the_current_quarter(status_db):
    from metrics.periods import current_period

    load_case(status_db, targets_frame([tgt("t", "I", ">=", 50)]), actuals_frame([]))
    view = status_db.execute("SELECT as_of, status FROM v_target_status").fetchall()
    assert view == [(current_period(), "no_data")]


# ---------------------------------------------------------------- random cases

FIRST = 2024 * 4 + 2  # 2024-Q3
LAST = 2032 * 4 + 3  # 2032-Q4
PERIODS = [period_of_index(i) for i in range(FIRST, LAST + 1)]
HIGHER_COMPARATORS = (">=", ">", "=", "between")
LOWER_COMPARATORS = ("<=", "<", "=", "between")


@st.composite
def indicator_cases(draw: st.DrawFn, indicator_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    direction = draw(st.sampled_from(["higher"] * 4 + ["lower"] * 3 + ["yes_no"]))
    frequency = draw(st.sampled_from(["quarterly", "half_yearly", "yearly"]))
    comparators = HIGHER_COMPARATORS if direction != "lower" else LOWER_COMPARATORS
    targets = []
    for n in range(draw(st.integers(1, 4))):
        comparator = draw(st.sampled_from(comparators + (("text",) if direction == "yes_no" else ())))
        low = draw(st.integers(10, 60))
        due = draw(st.sampled_from(["2025-Q4", "2030-Q4", "2045-Q4", "2026-Q4"]))
        plan_period = draw(st.sampled_from(["2025-Q1", "2025-Q4", "2024-Q4"]))
        targets.append(
            tgt(
                f"{indicator_id}_{n}",
                indicator_id,
                comparator,
                float(low),
                high=float(low + draw(st.integers(0, 5))) if comparator == "between" else None,
                direction=direction,
                due=due,
                plan_period=plan_period,
                plan_id=f"plan_{plan_period}",
                also_rising=draw(st.booleans()) if direction != "lower" else False,
                frequency=frequency,
            )
        )
    # mostly a run of quarters in 2025–2028 (so 2030/2045 targets are ahead), sometimes anywhere
    pool = PERIODS if draw(st.integers(0, 3)) == 0 else PERIODS[2:18]
    count = draw(st.integers(0, 10)) if draw(st.integers(0, 4)) == 0 else draw(st.integers(3, 10))
    periods = draw(
        st.lists(st.sampled_from(pool), unique=True, min_size=min(count, len(pool)), max_size=count)
    )
    # a random walk, so trends, ρ in every band and projections all occur
    level = float(draw(st.integers(0, 30))) if direction != "lower" else float(draw(st.integers(40, 70)))
    trend = -1.0 if direction == "lower" else 1.0
    actuals = []
    for period in sorted(periods):
        level += trend * draw(st.sampled_from([-3.0, 0.0, 1.0, 2.5, 4.0, 8.0])) + draw(
            st.sampled_from([0.0, 0.125, 1 / 3])
        )
        value = None if draw(st.integers(0, 7)) == 0 else level
        text = draw(st.sampled_from([None, None, None, "Đạt", "Chưa đạt", "Đang thực hiện"]))
        if value is None and text is None:
            text = "Đạt"
        by = draw(st.sampled_from(["A", "B"]))
        comparable = draw(st.integers(0, 5)) > 0  # now and then a figure of another definition
        actuals.append(act(indicator_id, period, value, text, by=by, comparable=comparable))
    return targets, actuals


@st.composite
def random_cases(draw: st.DrawFn) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    targets, actuals = [], []
    for k in range(draw(st.integers(1, 3))):
        t, a = draw(indicator_cases(f"I{k}"))
        targets += t
        actuals += a
    # as_of mostly on a reported period, so the ahead-of-due rules (ρ, projection) get exercised
    reported = sorted({a["period"] for a in actuals if a["value"] is not None})
    as_of = draw(
        st.sampled_from(reported) if reported and draw(st.integers(0, 3)) else st.sampled_from(PERIODS)
    )
    # a few quarters after a value, so values in force and overdue (by frequency) both occur
    as_of = period_of_index(period_index(as_of) + draw(st.sampled_from([0, 0, 1, 2, 3, 4])))
    return targets_frame(targets), actuals_frame(actuals), as_of


@pytest.mark.slow  # 60 random catalogs through both implementations
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(random_cases())
def test_sql_matches_pandas_on_random_cases(status_db, case):
    targets, actuals, as_of = case
    load_case(status_db, targets, actuals)  # replaces every row the previous example inserted
    assert_frame_equal(sql_status(status_db, as_of), pandas_status_from_views(status_db, as_of), **TOLERANCE)


def test_missing_threshold_fails_loudly(fresh_db):
    load_case(fresh_db, targets_frame([tgt("t", "I", ">=", 50)]), actuals_frame([]))
    with pytest.raises(duckdb.InvalidInputException, match="status_thresholds lacks a key"):
        fresh_db.execute("SELECT * FROM target_status('2026-Q1')").fetchall()


def test_latest_period_prefers_figures_that_measure_their_target(status_db):
    from loaders import read

    targets = targets_frame([tgt("t", "I", ">=", 50)])
    load_case(status_db, targets, actuals_frame([act("I", "2026-Q2", 20, comparable=False)]))
    assert read.latest_period(status_db) == "2026-Q2"  # only context: still the latest with any data
    load_case(
        status_db,
        targets,
        actuals_frame([act("I", "2025-Q4", 30), act("I", "2026-Q2", 20, comparable=False)]),
    )
    assert read.latest_period(status_db) == "2025-Q4"
    got = sql_status(status_db, "2026-Q2").iloc[0]
    assert (got["status"], got["actual_period"], got["value_age_quarters"]) == ("not_reported", "2025-Q4", 2)
