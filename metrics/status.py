"""Status of each target as of a reporting period: the pandas reference implementation.

The rules are documented with worked examples in docs/methodology.md; loaders/sql/status.sql is the
set-based DuckDB twin of this module and the unit tests hold the two to the same results.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from metrics.periods import period_index, period_of_index, quarter_label_vi
from metrics.status_labels import format_number, format_quantity, status_label

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

# Quarters between two values of an indicator (data/README.md): a value is due in every quarter whose
# index + 1 divides by the step, i.e. every quarter, Q2 and Q4, or Q4.
FREQUENCY_STEPS: dict[str, int] = {"quarterly": 1, "half_yearly": 2, "yearly": 4}

THRESHOLD_KEYS: tuple[str, ...] = (
    "on_track_rho",
    "at_risk_rho",
    "projection_min_points",
    "projection_window",
    "projection_half_life_quarters",
    "projection_tolerance",
)
DEFAULT_THRESHOLDS_CSV = Path(__file__).resolve().parent.parent / "data" / "status_thresholds.csv"

MANUAL_DIRECTIONS = ("yes_no", "qualitative")


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


# ---------------------------------------------------------------- one target's rule


@dataclass(frozen=True)
class _Point:
    idx: int
    period: str
    value: float


@dataclass(frozen=True)
class _Rule:
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


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _is_manual(target: Mapping[str, Any]) -> bool:
    return (
        target["comparator"] == "text"
        or target["direction"] in MANUAL_DIRECTIONS
        or _is_missing(target["target_value"])
    )


def _rule_of(target: Mapping[str, Any]) -> _Rule:
    comparator = target["comparator"]
    if comparator in (">=", ">"):
        sign = 1
    elif comparator in ("<=", "<"):
        sign = -1
    else:  # '=' and 'between' take their side from the indicator's direction
        sign = -1 if target["direction"] == "lower" else 1
    low = float(target["target_value"])
    high = None if _is_missing(target["target_value_high"]) else float(target["target_value_high"])
    level, far_end = low, None
    if comparator == "between" and high is not None:
        level, far_end = (low, high) if sign == 1 else (high, low)
    return _Rule(comparator, sign, level, far_end, bool(target["also_rising"]))


# ---------------------------------------------------------------- path and projection


def _path_knots(
    baseline: _Point, milestones: Mapping[int, float], due_idx: int, final_level: float, sign: int
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


def _required_at(knots: list[tuple[int, float]], at_idx: int) -> float:
    """Straight line between the two knots around at_idx (at_idx is before the last knot)."""
    prev_idx, prev_level = max((k for k in knots if k[0] <= at_idx), key=lambda k: k[0])
    next_idx, next_level = min((k for k in knots if k[0] > at_idx), key=lambda k: k[0])
    # Same operation order as status.sql so both give bit-identical levels.
    return prev_level + (next_level - prev_level) * (at_idx - prev_idx) / (next_idx - prev_idx)


def _projection(points: list[_Point], due_idx: int, thresholds: Mapping[str, float]) -> float | None:
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


def _milestones(
    target: Mapping[str, Any],
    targets: list[Mapping[str, Any]],
    points: list[_Point],
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
        if other["indicator_id"] != target["indicator_id"] or _is_manual(other):
            continue
        other_due = period_index(other["due_period"])
        if other_due >= due_idx or period_index(other["plan_period"]) > as_of_idx:
            continue
        level = _rule_of(other).level
        levels[other_due] = (
            level if other_due not in levels else sign * max(sign * levels[other_due], sign * level)
        )
    for other_due, level in levels.items():
        if other_due <= as_of_idx:
            reached = [p for p in points if p.idx <= other_due]
            if reached and sign * (reached[-1].value - level) > 0:
                levels[other_due] = reached[-1].value
    return levels


# ---------------------------------------------------------------- the decision


def last_due_index(as_of_idx: int, frequency: str) -> int:
    """The latest quarter up to as_of in which a value of this frequency is due."""
    step = FREQUENCY_STEPS[frequency]
    return as_of_idx - (as_of_idx + 1) % step


def next_due_index(value_idx: int, frequency: str) -> int:
    """The first quarter after a value's in which the next value is due."""
    step = FREQUENCY_STEPS[frequency]
    return value_idx + step - (value_idx + 1) % step


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
    points: list[_Point],
    texts: list[tuple[int, str, float, str, str]],
    as_of: str,
    thresholds: Mapping[str, float],
    has_context: bool = False,
) -> dict[str, Any]:
    """One target's row, with the age of the value used and when the next one is due."""
    row = _decide(target, targets, points, texts, as_of, thresholds, has_context)
    as_of_idx = period_index(as_of)
    if not _is_missing(row["actual_period"]):
        row["value_age_quarters"] = as_of_idx - period_index(row["actual_period"])
    if not _is_manual(target) and points and period_index(target["due_period"]) > as_of_idx:
        row["next_due_period"] = period_of_index(next_due_index(points[-1].idx, target["frequency"]))
    return row


def _decide(
    target: Mapping[str, Any],
    targets: list[Mapping[str, Any]],
    points: list[_Point],
    texts: list[tuple[int, str, float, str, str]],
    as_of: str,
    thresholds: Mapping[str, float],
    has_context: bool,
) -> dict[str, Any]:
    row = _empty_row(target["target_id"], as_of)
    if _is_manual(target):
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
    rule = _rule_of(target)
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
        milestones = _milestones(target, targets, points, eval_idx, rule.sign)
        knots = _path_knots(baseline, milestones, due_idx, rule.level, rule.sign)
        required = _required_at(knots, eval_idx)
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

    points: dict[str, list[_Point]] = {}
    texts: dict[str, list[tuple[int, str, float, str, str]]] = {}
    for rec in known.to_dict("records"):
        if not _is_missing(rec["value"]):
            points.setdefault(rec["indicator_id"], []).append(
                _Point(rec["_idx"], rec["period"], float(rec["value"]))
            )
        if not _is_missing(rec["value_text"]):
            value = math.nan if _is_missing(rec["value"]) else float(rec["value"])
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


# ---------------------------------------------------------------- the working, in words


def _get(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key)
    return None if _is_missing(value) else value


def working_sentence(row: Mapping[str, Any], unit: str) -> str:
    """The working of one status row in Vietnamese, e.g.
    'Cần đạt 62,0% vào Quý III/2026; thực hiện 55,4% (ρ = 0,71) → có nguy cơ'."""
    status, rule, as_of = row["status"], _get(row, "rule"), row["as_of"]
    verdict = status_label(status).lower()
    actual, actual_period = _get(row, "actual_value"), _get(row, "actual_period")
    required, rho = _get(row, "required_value"), _get(row, "rho")
    projected, shortfall = _get(row, "projected_value"), _get(row, "shortfall")
    next_due = _get(row, "next_due_period")
    # a value of an earlier period still in force: the target is judged as of that period
    in_force = status not in ("not_reported",) and actual_period is not None and actual_period != as_of

    def q(value: float) -> str:
        return format_quantity(value, unit)

    def actual_text(rho_too: bool = False) -> str:
        notes = [] if actual_period == as_of else [f"số liệu {quarter_label_vi(actual_period)}"]
        if rho_too and rho is not None:
            notes.append(f"ρ = {format_number(rho, 2)}")
        return f"thực hiện {q(actual)}" + (f" ({'; '.join(notes)})" if notes else "")

    if status == "manual":
        result = _get(row, "manual_result")
        if result is None:
            return "Đánh giá thủ công: chưa có kết quả"
        by = _get(row, "manual_recorded_by")
        when = f", {quarter_label_vi(actual_period)}" if actual_period else ""
        return f"Đánh giá thủ công: {result}" + (f" ({by}{when})" if by else "")
    if status == "no_data":
        if rule == "context_only":
            return (
                "Chỉ có số liệu tham khảo khác định nghĩa chỉ tiêu, không dùng để đánh giá → chưa có số liệu"
            )
        if rule == "due_passed_no_actual":
            return "Không có số liệu thực hiện đến hạn chỉ tiêu → chưa có số liệu"
        return f"Chưa có số liệu thực hiện đến {quarter_label_vi(as_of)} → chưa có số liệu"
    if status in ("met", "not_met"):
        text = (
            f"Chỉ tiêu {q(required)}; thực hiện {q(actual)} ({quarter_label_vi(actual_period)}) → {verdict}"
        )
        if rule == "due_passed_beyond_range":
            return text + " (vượt)"
        if rule == "due_passed_not_rising":
            return text + " (số liệu không tăng so với kỳ trước)"
        if status == "not_met" and shortfall:
            return text + f", còn thiếu {q(shortfall)}"
        return text
    if status == "met_early":
        suffix = " (vượt)" if rule == "met_early_beyond_range" else ""
        said = actual_text()
        text = f"{said[0].upper()}{said[1:]}, đã đạt mức chỉ tiêu → {verdict}{suffix}"
        return text + (f"; số liệu tiếp theo: {quarter_label_vi(next_due)}" if in_force and next_due else "")
    if status == "insufficient_data":
        if rule == "no_baseline":
            return f"Chưa có số liệu gốc từ kỳ ban hành kế hoạch; {actual_text()} → {verdict}"
        return f"Mới có một số liệu: {actual_text()[len('thực hiện ') :]} → {verdict}"

    # ahead of the due period: on_track, at_risk, off_track, not_reported
    parts = []
    if required is not None:
        parts.append(f"Cần đạt {q(required)} vào {quarter_label_vi(actual_period if in_force else as_of)}")
    parts.append(f"{actual_text(rho_too=True)} → {verdict}")
    text = "; ".join(parts)
    text = text[0].upper() + text[1:]
    if projected is not None:
        text += f"; dự báo đến hạn: {q(projected)}"
    if status == "not_reported" and next_due:
        text += f"; chưa có số liệu {quarter_label_vi(next_due)}"
    elif in_force and next_due:
        text += f"; số liệu tiếp theo: {quarter_label_vi(next_due)}"
    return text


def required_path(
    target: Mapping[str, Any], targets: pd.DataFrame, actuals: pd.DataFrame, as_of: str
) -> list[tuple[str, float]]:
    """The straight-line path the status rules measure a target against, as (period, level) knots:
    from its baseline through earlier milestones to the target. Empty when there is no baseline or
    the target is assessed by hand. The chart of one indicator draws it."""
    if _is_manual(target):
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
            _Point(period_index(p), p, float(v))
            for p, v in zip(mine["period"], mine["value"], strict=True)
            if period_index(p) <= as_of_idx
        ),
        key=lambda p: p.idx,
    )
    baseline = next((p for p in points if plan_idx <= p.idx <= min(as_of_idx, due_idx)), None)
    if baseline is None:
        return []
    rule = _rule_of(target)
    if due_idx > as_of_idx and points[-1].idx >= last_due_index(as_of_idx, target["frequency"]):
        as_of_idx = points[-1].idx  # the value in force is judged as of its own period, as in _decide
    milestones = _milestones(target, targets.to_dict("records"), points, as_of_idx, rule.sign)
    return [
        (period_of_index(i), level)
        for i, level in _path_knots(baseline, milestones, due_idx, rule.level, rule.sign)
    ]
