"""Properties of the status rules: better actuals never give a worse status; later actuals never matter."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from metrics.periods import period_index, period_of_index
from metrics.status_labels import status_order
from metrics.status_reference import compute_status, read_thresholds
from tests.metrics.test_status_rules import act, actuals_frame, targets_frame, tgt

THRESHOLDS = read_thresholds()
PERIODS = [period_of_index(i) for i in range(period_index("2024-Q3"), period_index("2032-Q4") + 1)]
COMPARATORS = {"higher": (">=", ">", "=", "between"), "lower": ("<=", "<", "=", "between")}
DUES = ("2025-Q4", "2026-Q4", "2030-Q4", "2045-Q4")
FREQUENCIES = ("quarterly", "half_yearly", "yearly")


@st.composite
def scenario(draw: st.DrawFn, direction: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """Targets of one indicator (a chain of horizons, sometimes two plans at one horizon), actuals, as_of."""
    frequency = draw(st.sampled_from(FREQUENCIES))
    targets = []
    for n in range(draw(st.integers(1, 3))):
        comparator = draw(st.sampled_from(COMPARATORS[direction]))
        low = float(draw(st.integers(5, 60)))
        targets.append(
            tgt(
                f"t{n}",
                "I",
                comparator,
                low,
                high=low + draw(st.integers(0, 5)) if comparator == "between" else None,
                direction=direction,
                due=draw(st.sampled_from(DUES)),
                plan_period=(plan := draw(st.sampled_from(["2024-Q4", "2025-Q1", "2025-Q4"]))),
                plan_id=f"plan_{plan}",
                also_rising=direction == "higher" and draw(st.booleans()),
                frequency=frequency,
            )
        )
    periods = sorted(draw(st.lists(st.sampled_from(PERIODS[:20]), unique=True, min_size=1, max_size=9)))
    values = draw(
        st.lists(st.floats(0, 70, allow_nan=False, width=32), min_size=len(periods), max_size=len(periods))
    )
    actuals = [
        act("I", p, float(v), comparable=draw(st.integers(0, 5)) > 0)
        for p, v in zip(periods, values, strict=True)
    ]
    as_of = draw(st.sampled_from(periods + PERIODS[:24]))
    return targets, actuals, as_of


def _orders(targets, actuals, as_of) -> dict[str, int]:
    frame = compute_status(targets_frame(targets), actuals_frame(actuals), as_of, THRESHOLDS)
    return {t: status_order(s) for t, s in zip(frame["target_id"], frame["status"], strict=True)}


def _with_latest(actuals: list[dict[str, Any]], as_of: str, value: float) -> list[dict[str, Any]]:
    """The same actuals with the latest value up to as_of replaced."""
    known = [a for a in actuals if period_index(a["period"]) <= period_index(as_of)]
    latest = max(known, key=lambda a: period_index(a["period"]))["period"]
    return [{**a, "value": value} if a["period"] == latest else a for a in actuals]


def _assume_some_actual(actuals, as_of) -> bool:
    return any(period_index(a["period"]) <= period_index(as_of) for a in actuals)


@pytest.mark.slow  # hypothesis: 150 examples, seconds each
@settings(max_examples=150, deadline=None)
@given(scenario("higher"), st.floats(0, 70, allow_nan=False), st.floats(0, 30, allow_nan=False))
def test_higher_is_better_larger_latest_never_worse(case, value, more):
    targets, actuals, as_of = case
    if not _assume_some_actual(actuals, as_of):
        return
    low = _orders(targets, _with_latest(actuals, as_of, value), as_of)
    high = _orders(targets, _with_latest(actuals, as_of, value + more), as_of)
    assert all(high[t] >= low[t] for t in low), (low, high)


@pytest.mark.slow  # hypothesis: 150 examples, seconds each
@settings(max_examples=150, deadline=None)
@given(scenario("lower"), st.floats(0, 70, allow_nan=False), st.floats(0, 30, allow_nan=False))
def test_lower_is_better_smaller_latest_never_worse(case, value, less):
    targets, actuals, as_of = case
    if not _assume_some_actual(actuals, as_of):
        return
    high = _orders(targets, _with_latest(actuals, as_of, value + less), as_of)
    low = _orders(targets, _with_latest(actuals, as_of, value), as_of)
    assert all(low[t] >= high[t] for t in low), (high, low)


@pytest.mark.slow  # hypothesis: 150 examples, seconds each
@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["higher", "lower"]).flatmap(scenario),
    st.lists(st.tuples(st.integers(1, 30), st.floats(0, 100, allow_nan=False)), max_size=6),
)
def test_status_never_depends_on_actuals_after_as_of(case, later):
    targets, actuals, as_of = case
    before = [a for a in actuals if period_index(a["period"]) <= period_index(as_of)]
    after = {period_of_index(period_index(as_of) + k): v for k, v in later}
    changed = before + [act("I", p, v, comparable=bool(k % 2)) for k, (p, v) in enumerate(after.items())]
    expected = compute_status(targets_frame(targets), actuals_frame(before), as_of, THRESHOLDS)
    got = compute_status(targets_frame(targets), actuals_frame(changed), as_of, THRESHOLDS)
    assert_frame_equal(got, expected)


def test_manual_targets_ignore_numbers_and_later_assessments():
    targets = targets_frame([tgt("m", "M", "text", None, direction="qualitative")])
    actuals = actuals_frame(
        [act("M", "2025-Q4", 99.0, "Chưa đạt", by="A"), act("M", "2026-Q2", None, "Đạt", by="B")]
    )
    got = compute_status(targets, actuals, "2026-Q1", THRESHOLDS).iloc[0]
    assert (got["status"], got["manual_result"], got["manual_recorded_by"]) == ("manual", "Chưa đạt", "A")
    assert pd.isna(got["rho"]) and pd.isna(got["shortfall"])


@st.composite
def yearly_scenario(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """Targets of a yearly indicator due after Q3 of the next year, values reported in Q4s up to year y."""
    direction = draw(st.sampled_from(["higher", "lower"]))
    year = draw(st.integers(2024, 2028))
    targets = []
    for n in range(draw(st.integers(1, 3))):
        comparator = draw(st.sampled_from(COMPARATORS[direction]))
        low = float(draw(st.integers(5, 60)))
        plan = draw(st.sampled_from(["2024-Q4", "2025-Q1", "2025-Q4"]))
        targets.append(
            tgt(
                f"t{n}",
                "I",
                comparator,
                low,
                high=low + draw(st.integers(0, 5)) if comparator == "between" else None,
                direction=direction,
                due=draw(st.sampled_from([d for d in DUES if int(d[:4]) > year + 1] + ["2045-Q4"])),
                plan_period=plan,
                plan_id=f"plan_{plan}",
                also_rising=direction == "higher" and draw(st.booleans()),
                frequency="yearly",
            )
        )
    years = sorted(draw(st.lists(st.integers(2022, year - 1), unique=True, max_size=4))) + [year]
    actuals = [act("I", f"{y}-Q4", float(draw(st.integers(0, 70)))) for y in years]
    return targets, actuals, year


@pytest.mark.slow  # hypothesis: 150 examples, seconds each
@settings(max_examples=150, deadline=None)
@given(yearly_scenario())
def test_yearly_value_reported_in_q4_keeps_its_status_for_three_quarters(case):
    targets, actuals, year = case
    q4 = compute_status(targets_frame(targets), actuals_frame(actuals), f"{year}-Q4", THRESHOLDS)
    for k in (1, 2, 3):
        later = period_of_index(period_index(f"{year}-Q4") + k)
        got = compute_status(targets_frame(targets), actuals_frame(actuals), later, THRESHOLDS)
        assert (got["as_of"] == later).all() and (got["value_age_quarters"] == k).all()
        same = ["as_of", "value_age_quarters"]
        assert_frame_equal(got.drop(columns=same), q4.drop(columns=same))
    # a year on, the next value was due and did not come
    next_q4 = compute_status(targets_frame(targets), actuals_frame(actuals), f"{year + 1}-Q4", THRESHOLDS)
    assert set(next_q4["status"]) == {"not_reported"}
    assert set(next_q4["next_due_period"]) == {f"{year + 1}-Q4"}
