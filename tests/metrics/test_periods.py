"""Reporting periods: parsing, ordering, labels, horizons."""

from __future__ import annotations

from datetime import date

import pytest

from metrics import clock, periods


@pytest.mark.parametrize(
    ("period", "expected"),
    [("2025-Q1", (2025, 1)), ("2025-Q4", (2025, 4)), ("2030-Q2", (2030, 2))],
)
def test_parse_period(period, expected):
    assert periods.parse_period(period) == expected
    assert periods.is_period(period)


@pytest.mark.parametrize(
    "bad", ["2025-Q0", "2025-Q5", "2025Q4", "25-Q1", "2025-q4", " 2025-Q4", "", None, 2025]
)
def test_parse_period_rejects(bad):
    assert not periods.is_period(bad)
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        periods.parse_period(bad)


def test_index_round_trip_and_matches_sql_macro(fresh_db):
    for period in ["2024-Q4", "2025-Q1", "2025-Q4", "2030-Q4", "2045-Q4"]:
        index = periods.period_index(period)
        assert periods.period_of_index(index) == period
        sql_index, sql_period = fresh_db.execute(
            "SELECT period_index(?), period_of_index(period_index(?))", [period, period]
        ).fetchone()
        assert (sql_index, sql_period) == (index, period)
    assert periods.period_index("2026-Q1") - periods.period_index("2025-Q4") == 1


def test_shift_and_range():
    assert periods.shift_period("2025-Q4", 1) == "2026-Q1"
    assert periods.shift_period("2025-Q1", -1) == "2024-Q4"
    assert periods.period_range("2025-Q3", "2026-Q2") == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert periods.period_range("2025-Q3", "2025-Q3") == ["2025-Q3"]
    assert periods.period_range("2026-Q1", "2025-Q4") == []


@pytest.mark.parametrize(
    ("period", "label"),
    [
        ("2025-Q1", "Quý I/2025"),
        ("2025-Q2", "Quý II/2025"),
        ("2026-Q3", "Quý III/2026"),
        ("2025-Q4", "Quý IV/2025"),
    ],
)
def test_quarter_label_vi(period, label):
    assert periods.quarter_label_vi(period) == label


@pytest.mark.parametrize(
    ("day", "period"),
    [
        (date(2025, 1, 1), "2025-Q1"),
        (date(2025, 3, 31), "2025-Q1"),
        (date(2025, 4, 1), "2025-Q2"),
        (date(2025, 12, 31), "2025-Q4"),
    ],
)
def test_period_of_date(day, period):
    assert periods.period_of_date(day) == period
    assert periods.current_period(day) == period


def test_current_period_defaults_to_today():
    assert periods.current_period() == periods.period_of_date(clock.today())


@pytest.mark.parametrize(
    ("horizon", "due"), [("2025-Q4", "2025-Q4"), ("2030", "2030-Q4"), ("2045", "2045-Q4")]
)
def test_due_period_of_horizon(horizon, due):
    assert periods.due_period_of_horizon(horizon) == due


@pytest.mark.parametrize("bad", ["", "30", "2030-Q5", "năm 2030"])
def test_due_period_of_horizon_rejects(bad):
    with pytest.raises(ValueError):
        periods.due_period_of_horizon(bad)
