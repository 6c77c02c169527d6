"""The straight-line path a numeric target is measured against: baseline, earlier milestones, the target.

The chart of one indicator draws it (required_path); the status rules measure progress along the same path,
in loaders/sql/status.sql (what runs) and metrics/status_reference.py (the pandas reference the tests hold
the SQL to). A change here is a change of the rules: change status.sql with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from metrics.periods import period_index, period_of_index

# Quarters between two values of an indicator (data/README.md): a value is due in every quarter whose
# index + 1 divides by the step, i.e. every quarter, Q2 and Q4, or Q4.
FREQUENCY_STEPS: dict[str, int] = {"quarterly": 1, "half_yearly": 2, "yearly": 4}

MANUAL_DIRECTIONS = ("yes_no", "qualitative")


@dataclass(frozen=True)
class Point:
    idx: int
    period: str
    value: float


@dataclass(frozen=True)
class Rule:
    """What 'reached' means for one numeric target."""

    comparator: str
    sign: int  # +1 higher is better, -1 lower is better
    level: float  # the level to reach: target_value, or the near end of a 'between' range
    far_end: float | None  # the other end of a 'between' range: beyond it is met ("vượt")
    also_rising: bool

    def reaches(self, value: float) -> bool:
        if self.comparator == ">":
            return value > self.level
        if self.comparator == "<":
            return value < self.level
        return value >= self.level if self.sign == 1 else value <= self.level

    def met(self, value: float, previous: float | None) -> bool:
        # "≥ 3% và tăng dần": the level and a rise on the point before; no point before, no proof.
        rising = not self.also_rising or (previous is not None and value >= previous)
        return self.reaches(value) and rising

    def beyond_range(self, value: float) -> bool:
        if self.far_end is None:
            return False
        return value > self.far_end if self.sign == 1 else value < self.far_end

    def shortfall(self, value: float) -> float:
        return max(0.0, self.sign * (self.level - value))


def is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def is_manual(target: Mapping[str, Any]) -> bool:
    return (
        target["comparator"] == "text"
        or target["direction"] in MANUAL_DIRECTIONS
        or is_missing(target["target_value"])
    )


def rule_of(target: Mapping[str, Any]) -> Rule:
    comparator = target["comparator"]
    if comparator in (">=", ">"):
        sign = 1
    elif comparator in ("<=", "<"):
        sign = -1
    else:  # '=' and 'between' take their side from the indicator's direction
        sign = -1 if target["direction"] == "lower" else 1
    low = float(target["target_value"])
    high = None if is_missing(target["target_value_high"]) else float(target["target_value_high"])
    level, far_end = low, None
    if comparator == "between" and high is not None:
        level, far_end = (low, high) if sign == 1 else (high, low)
    return Rule(comparator, sign, level, far_end, bool(target["also_rising"]))


# ---------------------------------------------------------------- path


def path_knots(
    baseline: Point, milestones: Mapping[int, float], due_idx: int, final_level: float, sign: int
) -> list[tuple[int, float]]:
    """Baseline, milestones after it, the final target; flattened so the path never asks to go back."""
    knots = [(baseline.idx, baseline.value)]
    knots += [(d, milestones[d]) for d in sorted(milestones) if baseline.idx < d < due_idx]
    knots.append((due_idx, final_level))
    flattened: list[tuple[int, float]] = []
    best = sign * knots[0][1]
    for idx, level in knots:
        best = max(best, sign * level)
        flattened.append((idx, sign * best))
    return flattened


def required_at(knots: list[tuple[int, float]], at_idx: int) -> float:
    """Straight line between the two knots around at_idx (at_idx is before the last knot)."""
    prev_idx, prev_level = max((k for k in knots if k[0] <= at_idx), key=lambda k: k[0])
    next_idx, next_level = min((k for k in knots if k[0] > at_idx), key=lambda k: k[0])
    # Same operation order as status.sql so both give bit-identical levels.
    return prev_level + (next_level - prev_level) * (at_idx - prev_idx) / (next_idx - prev_idx)


def milestone_levels(
    target: Mapping[str, Any],
    targets: list[Mapping[str, Any]],
    points: list[Point],
    as_of_idx: int,
    sign: int,
) -> dict[int, float]:
    """Earlier-due targets of the same indicator, known by as_of: {due index: knot level}.

    Several targets due together (plans that disagree, 33 vs 9 villages): the most demanding one.
    A milestone already due whose actual did better than its target: the path runs through the actual.
    """
    due_idx = period_index(target["due_period"])
    levels: dict[int, float] = {}
    for other in targets:
        if other["indicator_id"] != target["indicator_id"] or is_manual(other):
            continue
        other_due = period_index(other["due_period"])
        if other_due >= due_idx or period_index(other["plan_period"]) > as_of_idx:
            continue
        level = rule_of(other).level
        levels[other_due] = (
            level if other_due not in levels else sign * max(sign * levels[other_due], sign * level)
        )
    for other_due, level in levels.items():
        if other_due <= as_of_idx:
            reached = [p for p in points if p.idx <= other_due]
            if reached and sign * (reached[-1].value - level) > 0:
                levels[other_due] = reached[-1].value
    return levels


# ---------------------------------------------------------------- when values are due


def last_due_index(as_of_idx: int, frequency: str) -> int:
    """The latest quarter up to as_of in which a value of this frequency is due."""
    step = FREQUENCY_STEPS[frequency]
    return as_of_idx - (as_of_idx + 1) % step


def next_due_index(value_idx: int, frequency: str) -> int:
    """The first quarter after a value's in which the next value is due."""
    step = FREQUENCY_STEPS[frequency]
    return value_idx + step - (value_idx + 1) % step


def required_path(
    target: Mapping[str, Any], targets: pd.DataFrame, actuals: pd.DataFrame, as_of: str
) -> list[tuple[str, float]]:
    """The straight-line path the status rules measure a target against, as (period, level) knots:
    from its baseline through earlier milestones to the target. Empty when there is no baseline or
    the target is assessed by hand. The chart of one indicator draws it."""
    if is_manual(target):
        return []
    as_of_idx = period_index(as_of)
    due_idx = period_index(target["due_period"])
    plan_idx = period_index(target["plan_period"])
    mine = actuals[
        (actuals["indicator_id"] == target["indicator_id"])
        & actuals["value"].notna()
        & actuals["comparable"].astype(bool)
    ]
    points = sorted(
        (
            Point(period_index(p), p, float(v))
            for p, v in zip(mine["period"], mine["value"], strict=True)
            if period_index(p) <= as_of_idx
        ),
        key=lambda p: p.idx,
    )
    baseline = next((p for p in points if plan_idx <= p.idx <= min(as_of_idx, due_idx)), None)
    if baseline is None:
        return []
    rule = rule_of(target)
    if due_idx > as_of_idx and points[-1].idx >= last_due_index(as_of_idx, target["frequency"]):
        as_of_idx = points[
            -1
        ].idx  # the value in force is judged as of its own period, as the status rules do
    milestones = milestone_levels(target, targets.to_dict("records"), points, as_of_idx, rule.sign)
    return [
        (period_of_index(i), level)
        for i, level in path_knots(baseline, milestones, due_idx, rule.level, rule.sign)
    ]
