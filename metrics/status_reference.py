"""Status of each target as of a reporting period: the pandas REFERENCE implementation, not what the app runs.

The app, the exports and every view read statuses from the DuckDB macro target_status(as_of) in
loaders/sql/status.sql. This module states the same rules one target at a time, in plain Python, so the
tests (tests/loaders/test_status_sql.py, tests/metrics/test_status_rules.py) and the benchmark can hold the
macro to them. Change a rule in status.sql first, then here, and the tests show whether both agree.
The rules, with worked examples, are in docs/methodology.md.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.periods import period_index, period_of_index
from metrics.status_path import (
    MANUAL_DIRECTIONS,
    Point,
    is_manual,
    is_missing,
    last_due_index,
    milestone_levels,
    next_due_index,
    path_knots,
    required_at,
    rule_of,
)

STATUS_COLUMNS: tuple[str, ...] = (
    "target_id",
    "as_of",
    "status",
    "actual_value",
    "actual_period",
    "baseline_value",
    "baseline_period",
    "required_value",
    "rho",
    "projected_value",
    "rule",
    "shortfall",
    "manual_result",
    "manual_recorded_by",
    "value_age_quarters",
    "next_due_period",
)
_FLOAT_COLUMNS = ("actual_value", "baseline_value", "required_value", "rho", "projected_value", "shortfall")
_INT_COLUMNS = ("value_age_quarters",)

THRESHOLD_KEYS: tuple[str, ...] = (
    "on_track_rho",
    "at_risk_rho",
    "projection_min_points",
    "projection_window",
    "projection_half_life_quarters",
    "projection_tolerance",
)
DEFAULT_THRESHOLDS_CSV = Path(__file__).resolve().parent.parent / "data" / "status_thresholds.csv"


# ---------------------------------------------------------------- configuration and frames


def read_thresholds(path: str | Path = DEFAULT_THRESHOLDS_CSV) -> dict[str, float]:
    """The thresholds CSV (key,value,note) as {key: value}; every key the rules need must be there."""
    with open(path, encoding="utf-8", newline="") as fh:
        values = {row["key"]: float(row["value"]) for row in csv.DictReader(fh)}
    missing = [k for k in THRESHOLD_KEYS if k not in values]
    if missing:
        raise ValueError(f"{path}: missing threshold keys {missing}")
    return values


def coerce_status_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in STATUS_COLUMNS order, text as str, numbers as float64, one row per target sorted by id.

    Both implementations pass through here so their frames compare equal (DuckDB returns an all-NULL
    VARCHAR column as object, pandas builds str).
    """
    out = frame.loc[:, list(STATUS_COLUMNS)].copy()
    for col in STATUS_COLUMNS:
        if col in _FLOAT_COLUMNS:
            out[col] = out[col].astype("float64")
        elif col in _INT_COLUMNS:
            out[col] = out[col].astype("float64").astype("Int64")
        else:
            out[col] = out[col].astype("str")
    return out.sort_values("target_id", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- projection and the decision


def _projection(points: list[Point], due_idx: int, thresholds: Mapping[str, float]) -> float | None:
    """Time-weighted least squares on the most recent points, evaluated at the due period."""
    window = int(thresholds["projection_window"])
    recent = points[-window:] if window > 0 else []
    if len(recent) < int(thresholds["projection_min_points"]):
        return None
    last = recent[-1].idx
    half_life = float(thresholds["projection_half_life_quarters"])
    xs = [float(p.idx - last) for p in recent]
    ys = [p.value for p in recent]
    ws = [0.5 ** ((last - p.idx) / half_life) for p in recent]
    sw = sum(ws)
    xbar = sum(w * x for w, x in zip(ws, xs, strict=True)) / sw
    ybar = sum(w * y for w, y in zip(ws, ys, strict=True)) / sw
    sxy = sum(w * (x - xbar) * (y - ybar) for w, x, y in zip(ws, xs, ys, strict=True))
    sxx = sum(w * (x - xbar) * (x - xbar) for w, x in zip(ws, xs, strict=True))
    if sxx <= 0:  # a single distinct period gives no slope
        return None
    slope = sxy / sxx
    return ybar + slope * ((due_idx - last) - xbar)


def _empty_row(target_id: str, as_of: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(STATUS_COLUMNS)
    row.update(target_id=target_id, as_of=as_of)
    return row


def _manual_row(row: dict[str, Any], texts: list[tuple[int, str, float, str, str]]) -> dict[str, Any]:
    row.update(status="manual", rule="manual")
    if texts:
        _, period, value, text, recorded_by = texts[-1]
        row.update(
            actual_value=value, actual_period=period, manual_result=text, manual_recorded_by=recorded_by
        )
    return row


def _status_of(
    target: Mapping[str, Any],
    targets: list[Mapping[str, Any]],
    points: list[Point],
    texts: list[tuple[int, str, float, str, str]],
    as_of: str,
    thresholds: Mapping[str, float],
    has_context: bool = False,
) -> dict[str, Any]:
    """One target's row, with the age of the value used and when the next one is due."""
    row = _decide(target, targets, points, texts, as_of, thresholds, has_context)
    as_of_idx = period_index(as_of)
    if not is_missing(row["actual_period"]):
        row["value_age_quarters"] = as_of_idx - period_index(row["actual_period"])
    if not is_manual(target) and points and period_index(target["due_period"]) > as_of_idx:
        row["next_due_period"] = period_of_index(next_due_index(points[-1].idx, target["frequency"]))
    return row


def _decide(
    target: Mapping[str, Any],
    targets: list[Mapping[str, Any]],
    points: list[Point],
    texts: list[tuple[int, str, float, str, str]],
    as_of: str,
    thresholds: Mapping[str, float],
    has_context: bool,
) -> dict[str, Any]:
    row = _empty_row(target["target_id"], as_of)
    if is_manual(target):
        row = _manual_row(row, texts)
        if target["comparator"] != "text" and target["direction"] not in MANUAL_DIRECTIONS:
            row["rule"] = "no_target_value"
        return row
    if not points:
        row.update(status="no_data", rule="context_only" if has_context else "no_actual")
        return row

    as_of_idx = period_index(as_of)
    due_idx = period_index(target["due_period"])
    last_due = last_due_index(as_of_idx, target["frequency"])
    # The latest value stays in force until the next one is due: judged as of its own period, so the
    # status carries forward unchanged (the due period, if it passes meanwhile, is still judged now).
    eval_idx = points[-1].idx if due_idx > as_of_idx and points[-1].idx >= last_due else as_of_idx
    plan_idx = period_index(target["plan_period"])
    rule = rule_of(target)
    until_due = [p for p in points if p.idx <= min(as_of_idx, due_idx)]
    baseline = next((p for p in until_due if p.idx >= plan_idx), None)
    if baseline is not None:
        row.update(baseline_value=baseline.value, baseline_period=baseline.period)

    if due_idx <= as_of_idx:  # the due period has passed: met or not, on the last actual by then
        row["required_value"] = rule.level
        if not until_due:
            row.update(status="no_data", rule="due_passed_no_actual")
            return row
        judged = until_due[-1]
        previous = until_due[-2].value if len(until_due) > 1 else None
        row.update(
            actual_value=judged.value, actual_period=judged.period, shortfall=rule.shortfall(judged.value)
        )
        if rule.met(judged.value, previous):
            beyond = rule.beyond_range(judged.value)
            row.update(status="met", rule="due_passed_beyond_range" if beyond else "due_passed_met")
        elif rule.reaches(judged.value):
            row.update(status="not_met", rule="due_passed_not_rising")
        else:
            row.update(status="not_met", rule="due_passed_not_met")
        return row

    latest = points[-1]
    previous = points[-2].value if len(points) > 1 else None
    row.update(
        actual_value=latest.value,
        actual_period=latest.period,
        shortfall=rule.shortfall(latest.value),
        projected_value=_projection(points, due_idx, thresholds),
    )
    if baseline is not None:
        milestones = milestone_levels(target, targets, points, eval_idx, rule.sign)
        knots = path_knots(baseline, milestones, due_idx, rule.level, rule.sign)
        required = required_at(knots, eval_idx)
        row["required_value"] = required
        if baseline.idx < latest.idx:
            gap_required = rule.sign * (required - baseline.value)
            if gap_required > 0:
                row["rho"] = rule.sign * (latest.value - baseline.value) / gap_required

    if latest.idx < last_due:  # a newer value was due by as_of and did not come
        row.update(status="not_reported", rule="not_reported")
    elif rule.met(latest.value, previous):
        row.update(
            status="met_early",
            rule="met_early_beyond_range" if rule.beyond_range(latest.value) else "met_early",
        )
    elif baseline is None:
        row.update(status="insufficient_data", rule="no_baseline")
    elif baseline.idx == latest.idx:
        row.update(status="insufficient_data", rule="single_point")
    elif row["rho"] is None:  # nothing more required by now than the baseline: hold it or fall behind
        held = rule.sign * (latest.value - baseline.value) >= 0
        row.update(status="on_track" if held else "off_track", rule="ahead_flat")
    else:
        rho = row["rho"]
        if rho >= thresholds["on_track_rho"]:
            status = "on_track"
        elif rho >= thresholds["at_risk_rho"]:
            status = "at_risk"
        else:
            status = "off_track"
        row.update(status=status, rule="ahead_rho")

    projected = row["projected_value"]
    tolerance = thresholds["projection_tolerance"]
    if (
        row["status"] == "on_track"
        and projected is not None
        and rule.sign * (projected - rule.level) < -tolerance
    ):
        row.update(status="at_risk", rule="projection_downgrade")
    return row


def compute_status(
    targets: pd.DataFrame, actuals: pd.DataFrame, as_of: str, thresholds: Mapping[str, float]
) -> pd.DataFrame:
    """Status and working of every target as of a period, from actuals up to that period only.

    targets: v_targets rows (with frequency); actuals: v_actuals rows (one per indicator and period,
    with comparable).
    """
    as_of_idx = period_index(as_of)
    known = actuals.assign(_idx=[period_index(p) for p in actuals["period"]])
    known = known[known["_idx"] <= as_of_idx].sort_values("_idx", kind="stable")
    if known.duplicated(["indicator_id", "period"]).any():
        raise ValueError("actuals must hold one row per indicator and period (read them from v_actuals)")
    # a figure of another definition is context (shown, flagged), never judged
    comparable = known["comparable"].astype(bool)
    context = set(known.loc[~comparable, "indicator_id"])
    known = known[comparable]

    points: dict[str, list[Point]] = {}
    texts: dict[str, list[tuple[int, str, float, str, str]]] = {}
    for rec in known.to_dict("records"):
        if not is_missing(rec["value"]):
            points.setdefault(rec["indicator_id"], []).append(
                Point(rec["_idx"], rec["period"], float(rec["value"]))
            )
        if not is_missing(rec["value_text"]):
            value = math.nan if is_missing(rec["value"]) else float(rec["value"])
            texts.setdefault(rec["indicator_id"], []).append(
                (rec["_idx"], rec["period"], value, rec["value_text"], rec["recorded_by"])
            )

    records = targets.to_dict("records")
    rows = [
        _status_of(
            t,
            records,
            points.get(t["indicator_id"], []),
            texts.get(t["indicator_id"], []),
            as_of,
            thresholds,
            t["indicator_id"] in context,
        )
        for t in records
    ]
    return coerce_status_frame(pd.DataFrame(rows, columns=list(STATUS_COLUMNS)))
