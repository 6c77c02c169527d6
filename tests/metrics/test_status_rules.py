"""One table test per status rule and comparator, with expectations worked out by hand.

The same cases run through the DuckDB macro in test_status_sql.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from metrics.periods import period_index, period_of_index
from metrics.status import working_sentence
from metrics.status_reference import (
    STATUS_COLUMNS,
    coerce_status_frame,
    compute_status,
    read_thresholds,
)

THRESHOLDS = read_thresholds()

TARGET_COLUMNS = (
    "target_id",
    "indicator_id",
    "unit",
    "direction",
    "plan_id",
    "plan_period",
    "horizon",
    "due_period",
    "comparator",
    "target_value",
    "target_value_high",
    "also_rising",
    "frequency",
)
ACTUAL_COLUMNS = ("indicator_id", "period", "value", "value_text", "recorded_by", "comparable")


# ---------------------------------------------------------------- builders


def tgt(
    target_id: str,
    indicator_id: str,
    comparator: str,
    value: float | None,
    *,
    high: float | None = None,
    direction: str = "higher",
    due: str = "2030-Q4",
    plan_period: str = "2025-Q1",
    plan_id: str | None = None,
    also_rising: bool = False,
    unit: str = "%",
    frequency: str = "quarterly",
) -> dict[str, Any]:
    horizon = due if due == "2025-Q4" else due[:4]
    return {
        "target_id": target_id,
        "indicator_id": indicator_id,
        "unit": unit,
        "direction": direction,
        "plan_id": plan_id or f"plan_{plan_period.replace('-', '_')}",
        "plan_period": plan_period,
        "horizon": horizon,
        "due_period": due,
        "comparator": comparator,
        "target_value": value,
        "target_value_high": high,
        "also_rising": also_rising,
        "frequency": frequency,
    }


def act(
    indicator_id: str,
    period: str,
    value: float | None = None,
    text: str | None = None,
    by: str = "Sở KH&CN",
    comparable: bool = True,
) -> dict[str, Any]:
    return {
        "indicator_id": indicator_id,
        "period": period,
        "value": value,
        "value_text": text,
        "recorded_by": by,
        "comparable": comparable,
    }


def series(indicator_id: str, values: dict[str, float]) -> list[dict[str, Any]]:
    return [act(indicator_id, period, value) for period, value in values.items()]


def targets_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(TARGET_COLUMNS))
    return frame.astype({"target_value": "float64", "target_value_high": "float64", "also_rising": "bool"})


def actuals_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ACTUAL_COLUMNS)).astype({"value": "float64", "comparable": "bool"})


def row(target_id: str, status: str, rule: str, **working: Any) -> dict[str, Any]:
    unknown = set(working) - set(STATUS_COLUMNS)
    assert not unknown, unknown
    return {"target_id": target_id, "status": status, "rule": rule, **working}


AHEAD_STATUSES = ("met_early", "on_track", "at_risk", "off_track", "insufficient_data", "not_reported")


def _aged(expected: dict[str, Any], as_of: str) -> dict[str, Any]:
    """Cases of quarterly indicators need not spell out the age of the value (quarters from its period
    to as_of) nor, ahead of the due period, the next value's period (the quarter after it)."""
    out = dict(expected)
    period = out.get("actual_period")
    if period is not None and "value_age_quarters" not in out:
        out["value_age_quarters"] = period_index(as_of) - period_index(period)
    if period is not None and "next_due_period" not in out and out["status"] in AHEAD_STATUSES:
        out["next_due_period"] = period_of_index(period_index(period) + 1)
    return out


def wls_projection(xs: list[int], ys: list[float], at: int, half_life: float = 4.0) -> float:
    """Independent check of the projection: numpy's weighted polyfit (it weights residuals, so sqrt)."""
    last = max(xs)
    weights = np.array([0.5 ** ((last - x) / half_life) for x in xs])
    slope, intercept = np.polyfit(xs, ys, 1, w=np.sqrt(weights))
    return float(slope * at + intercept)


@dataclass
class Case:
    name: str
    as_of: str
    targets: list[dict[str, Any]]
    actuals: list[dict[str, Any]]
    expected: list[dict[str, Any]] = field(default_factory=list)

    def target_frame(self) -> pd.DataFrame:
        return targets_frame(self.targets)

    def actual_frame(self) -> pd.DataFrame:
        return actuals_frame(self.actuals)

    def expected_frame(self) -> pd.DataFrame:
        rows = [
            {**dict.fromkeys(STATUS_COLUMNS), "as_of": self.as_of, **_aged(r, self.as_of)}
            for r in self.expected
        ]
        return coerce_status_frame(pd.DataFrame(rows, columns=list(STATUS_COLUMNS)))


# Period indices used below: 2025-Q1 = 8100, 2025-Q4 = 8103, 2026-Q1 = 8104, 2026-Q3 = 8106,
# 2030-Q4 = 8123, 2045-Q4 = 8183.

CASES = [
    # Digital economy share of GRDP: 6.5 (Q4/2025, plan issued Q4/2025), 9–10 (2030), ≥ 20 (2045).
    # 2030 path: baseline 5.0 (2025-Q1) → milestone 6.5 at 2025-Q4 (actual 6.0 is worse, so the target)
    # → 9 (near end of 9–10) at 2030-Q4. At 2026-Q3: 6.5 + 2.5·3/20 = 6.875; ρ = 1.6/1.875 = 0.8533.
    # The 2045 path runs through the same two milestones, so it needs 6.875 too.
    Case(
        "kts_grdp_chain",
        "2026-Q3",
        [
            tgt("kts_2025", "KTS", ">=", 6.5, due="2025-Q4", plan_period="2025-Q4", plan_id="ubnd6896"),
            tgt("kts_2030", "KTS", "between", 9, high=10, plan_id="ubnd2025"),
            tgt("kts_2045", "KTS", ">=", 20, due="2045-Q4", plan_id="ubnd2025"),
        ],
        series("KTS", {"2025-Q1": 5.0, "2025-Q4": 6.0, "2026-Q3": 6.6}),
        [
            row(
                "kts_2025",
                "not_met",
                "due_passed_not_met",
                actual_value=6.0,
                actual_period="2025-Q4",
                baseline_value=6.0,
                baseline_period="2025-Q4",
                required_value=6.5,
                shortfall=0.5,
            ),
            row(
                "kts_2030",
                "at_risk",
                "ahead_rho",
                actual_value=6.6,
                actual_period="2026-Q3",
                baseline_value=5.0,
                baseline_period="2025-Q1",
                required_value=6.875,
                rho=1.6 / 1.875,
                projected_value=wls_projection([-6, -3, 0], [5.0, 6.0, 6.6], 17),
                shortfall=2.4,
            ),
            row(
                "kts_2045",
                "at_risk",
                "ahead_rho",
                actual_value=6.6,
                actual_period="2026-Q3",
                baseline_value=5.0,
                baseline_period="2025-Q1",
                required_value=6.875,
                rho=1.6 / 1.875,
                projected_value=wls_projection([-6, -3, 0], [5.0, 6.0, 6.6], 77),
                shortfall=13.4,
            ),
        ],
    ),
    # PII rank, lower is better: 62 (2025) → ≤ 57 by 2030. At 2026-Q1: 62 − 5·4/23 = 61.1304;
    # rank 60 gives ρ = 2/0.8696 = 2.3 (on track); rank 63 gives ρ = −1.15 (off track).
    Case(
        "pii_rank_lower_is_better",
        "2026-Q1",
        [
            tgt("pii_2030", "PII", "<=", 57, direction="lower", unit="thứ hạng"),
            tgt("pii_2045", "PII", "<=", 55, direction="lower", due="2045-Q4", unit="thứ hạng"),
            tgt("pii_bad_2030", "PII_BAD", "<=", 57, direction="lower", unit="thứ hạng"),
        ],
        series("PII", {"2025-Q1": 62, "2026-Q1": 60}) + series("PII_BAD", {"2025-Q1": 62, "2026-Q1": 63}),
        [
            row(
                "pii_2030",
                "on_track",
                "ahead_rho",
                actual_value=60,
                actual_period="2026-Q1",
                baseline_value=62,
                baseline_period="2025-Q1",
                required_value=62 - 20 / 23,
                rho=2.3,
                shortfall=3,
            ),
            row(
                "pii_2045",
                "on_track",
                "ahead_rho",
                actual_value=60,
                actual_period="2026-Q1",
                baseline_value=62,
                baseline_period="2025-Q1",
                required_value=62 - 20 / 23,
                rho=2.3,
                shortfall=5,
            ),
            row(
                "pii_bad_2030",
                "off_track",
                "ahead_rho",
                actual_value=63,
                actual_period="2026-Q1",
                baseline_value=62,
                baseline_period="2025-Q1",
                required_value=62 - 20 / 23,
                rho=-1.15,
                shortfall=6,
            ),
        ],
    ),
    # 9–10 range at its due period: below (shortfall to the low end), inside, above ("vượt", still met).
    Case(
        "between_due_passed",
        "2031-Q1",
        [tgt(f"rng_{k}", f"RNG_{k}", "between", 9, high=10) for k in ("below", "inside", "above")],
        series("RNG_below", {"2025-Q1": 5, "2030-Q4": 8.5})
        + series("RNG_inside", {"2025-Q1": 5, "2030-Q4": 9.5})
        + series("RNG_above", {"2025-Q1": 5, "2030-Q4": 10.5}),
        [
            row(
                f"rng_{k}",
                status,
                rule,
                actual_value=v,
                actual_period="2030-Q4",
                baseline_value=5,
                baseline_period="2025-Q1",
                required_value=9,
                shortfall=short,
            )
            for k, v, status, rule, short in (
                ("below", 8.5, "not_met", "due_passed_not_met", 0.5),
                ("inside", 9.5, "met", "due_passed_met", 0.0),
                ("above", 10.5, "met", "due_passed_beyond_range", 0.0),
            )
        ],
    ),
    # Above the range before the due period: met early, flagged "vượt". Required 5 + 4·4/23.
    Case(
        "between_ahead_above",
        "2026-Q1",
        [tgt("rng_early", "RNG", "between", 9, high=10)],
        series("RNG", {"2025-Q1": 5, "2026-Q1": 10.5}),
        [
            row(
                "rng_early",
                "met_early",
                "met_early_beyond_range",
                actual_value=10.5,
                actual_period="2026-Q1",
                baseline_value=5,
                baseline_period="2025-Q1",
                required_value=5 + 16 / 23,
                rho=5.5 / (16 / 23),
                shortfall=0.0,
            )
        ],
    ),
    # 33 villages: 33/33 (KH 6896) and 09/33 (KH 11-KH/TU), both due Q4/2025; 12 covered by then.
    # A 2030 target runs its path through the MOST DEMANDING of the two (33): 5 → 33 at 2025-Q4, then
    # flat to 33, so at 2026-Q1 it needs 33; ρ = (14 − 5)/(33 − 5) = 0.3214.
    Case(
        "villages_33_and_09",
        "2026-Q1",
        [
            tgt(
                "ban_33",
                "BAN",
                ">=",
                33,
                due="2025-Q4",
                plan_period="2025-Q4",
                plan_id="ubnd6896",
                unit="bản",
            ),
            tgt("ban_09", "BAN", ">=", 9, due="2025-Q4", plan_period="2025-Q4", plan_id="tu11", unit="bản"),
            tgt("ban_2030", "BAN", ">=", 33, plan_id="ubnd2025", unit="bản"),
        ],
        series("BAN", {"2025-Q1": 5, "2025-Q4": 12, "2026-Q1": 14}),
        [
            row(
                "ban_33",
                "not_met",
                "due_passed_not_met",
                actual_value=12,
                actual_period="2025-Q4",
                baseline_value=12,
                baseline_period="2025-Q4",
                required_value=33,
                shortfall=21,
            ),
            row(
                "ban_09",
                "met",
                "due_passed_met",
                actual_value=12,
                actual_period="2025-Q4",
                baseline_value=12,
                baseline_period="2025-Q4",
                required_value=9,
                shortfall=0,
            ),
            row(
                "ban_2030",
                "off_track",
                "ahead_rho",
                actual_value=14,
                actual_period="2026-Q1",
                baseline_value=5,
                baseline_period="2025-Q1",
                required_value=33,
                rho=9 / 28,
                projected_value=wls_projection([-4, -1, 0], [5, 12, 14], 19),
                shortfall=19,
            ),
        ],
    ),
    # Yes/no and qualitative targets are never computed: the latest assessment up to as_of and who
    # recorded it. The 2026-Q2 'Đạt' is after as_of and must not show.
    Case(
        "manual_yes_no_and_qualitative",
        "2026-Q1",
        [
            tgt(
                "anm",
                "ANM",
                "=",
                1,
                direction="yes_no",
                due="2025-Q4",
                plan_period="2025-Q4",
                unit="có/không",
            ),
            tgt("xep_hang", "XH", "text", None, direction="qualitative", unit="đánh giá"),
            tgt("missing_value", "MV", ">=", None),
        ],
        [
            act("ANM", "2025-Q4", text="Chưa đạt", by="Sở KH&CN"),
            act("ANM", "2026-Q1", text="Đang thực hiện", by="Nguyễn Văn A"),
            act("ANM", "2026-Q2", text="Đạt", by="Nguyễn Văn A"),
            act("MV", "2026-Q1", 12.0),
        ],
        [
            row(
                "anm",
                "manual",
                "manual",
                actual_period="2026-Q1",
                manual_result="Đang thực hiện",
                manual_recorded_by="Nguyễn Văn A",
            ),
            row("xep_hang", "manual", "manual"),
            row("missing_value", "manual", "no_target_value"),
        ],
    ),
    # "≥ 3% và tăng dần": the level and a rise on the point before are both needed.
    Case(
        "at_least_3_and_rising",
        "2026-Q1",
        [
            tgt(f"chi_{k}", f"CHI_{k}", ">=", 3, due="2025-Q4", also_rising=True)
            for k in ("ok", "fell", "one", "low")
        ],
        series("CHI_ok", {"2024-Q4": 2.8, "2025-Q4": 3.1})
        + series("CHI_fell", {"2024-Q4": 3.4, "2025-Q4": 3.1})
        + series("CHI_one", {"2025-Q4": 3.1})
        + series("CHI_low", {"2024-Q4": 2.0, "2025-Q4": 2.5}),
        [
            row(
                f"chi_{k}",
                status,
                rule,
                actual_value=v,
                actual_period="2025-Q4",
                baseline_value=v,
                baseline_period="2025-Q4",
                required_value=3,
                shortfall=short,
            )
            for k, v, status, rule, short in (
                ("ok", 3.1, "met", "due_passed_met", 0.0),
                ("fell", 3.1, "not_met", "due_passed_not_rising", 0.0),
                ("one", 3.1, "not_met", "due_passed_not_rising", 0.0),
                ("low", 2.5, "not_met", "due_passed_not_met", 0.5),
            )
        ],
    ),
    # Strict comparators fail at equality (shortfall 0: the level is reached, not passed).
    # '=' is read as reaching the value on the indicator's side.
    Case(
        "strict_and_exact_comparators",
        "2026-Q1",
        [
            tgt("hdi_eq", "HDI_EQ", ">", 0.623, due="2025-Q4", unit="chỉ số"),
            tgt("hdi_up", "HDI_UP", ">", 0.623, due="2025-Q4", unit="chỉ số"),
            tgt("lt_eq", "LT_EQ", "<", 57, direction="lower", due="2025-Q4", unit="thứ hạng"),
            tgt("eq_100", "EQ_100", "=", 100, due="2025-Q4"),
            tgt("eq_101", "EQ_101", "=", 100, due="2025-Q4"),
            tgt("eq_99", "EQ_99", "=", 100, due="2025-Q4"),
            tgt("eq_low_11", "EQ_LOW_11", "=", 10, direction="lower", due="2025-Q4", unit="ngày"),
            tgt("eq_low_9", "EQ_LOW_9", "=", 10, direction="lower", due="2025-Q4", unit="ngày"),
        ],
        [
            act("HDI_EQ", "2025-Q4", 0.623),
            act("HDI_UP", "2025-Q4", 0.624),
            act("LT_EQ", "2025-Q4", 57),
            act("EQ_100", "2025-Q4", 100),
            act("EQ_101", "2025-Q4", 101),
            act("EQ_99", "2025-Q4", 99),
            act("EQ_LOW_11", "2025-Q4", 11),
            act("EQ_LOW_9", "2025-Q4", 9),
        ],
        [
            row(
                t,
                status,
                rule,
                actual_value=v,
                actual_period="2025-Q4",
                baseline_value=v,
                baseline_period="2025-Q4",
                required_value=req,
                shortfall=short,
            )
            for t, v, req, status, rule, short in (
                ("hdi_eq", 0.623, 0.623, "not_met", "due_passed_not_met", 0.0),
                ("hdi_up", 0.624, 0.623, "met", "due_passed_met", 0.0),
                ("lt_eq", 57, 57, "not_met", "due_passed_not_met", 0.0),
                ("eq_100", 100, 100, "met", "due_passed_met", 0.0),
                ("eq_101", 101, 100, "met", "due_passed_met", 0.0),
                ("eq_99", 99, 100, "not_met", "due_passed_not_met", 1.0),
                ("eq_low_11", 11, 10, "not_met", "due_passed_not_met", 1.0),
                ("eq_low_9", 9, 10, "met", "due_passed_met", 0.0),
            )
        ],
    ),
    # Nothing for 2026-Q1 yet: "chưa báo cáo kỳ này", with the working of the last actual.
    # Required at 2026-Q1: 20 + 30·4/23 = 25.217; ρ = 6/5.217 = 1.15.
    Case(
        "not_reported",
        "2026-Q1",
        [tgt("nr", "NR", ">=", 50)],
        series("NR", {"2025-Q1": 20, "2025-Q4": 26}),
        [
            row(
                "nr",
                "not_reported",
                "not_reported",
                actual_value=26,
                actual_period="2025-Q4",
                baseline_value=20,
                baseline_period="2025-Q1",
                required_value=20 + 120 / 23,
                rho=6 / (120 / 23),
                shortfall=24,
            )
        ],
    ),
    # No actual up to as_of; a due target with actuals only after its due period.
    Case(
        "no_data",
        "2026-Q1",
        [
            tgt("nd", "ND", ">=", 50),
            tgt("late", "LATE", ">=", 50, due="2025-Q4", plan_period="2025-Q4"),
        ],
        [act("ND", "2026-Q2", 70), act("LATE", "2026-Q1", 40)],
        [
            row("nd", "no_data", "no_actual"),
            row("late", "no_data", "due_passed_no_actual", required_value=50),
        ],
    ),
    # One point that is both baseline and latest: no colour from it, unless it already meets the target.
    Case(
        "single_point",
        "2026-Q1",
        [tgt("one_low", "ONE_LOW", ">=", 50), tgt("one_high", "ONE_HIGH", ">=", 50)],
        [act("ONE_LOW", "2026-Q1", 30), act("ONE_HIGH", "2026-Q1", 55)],
        [
            row(
                "one_low",
                "insufficient_data",
                "single_point",
                actual_value=30,
                actual_period="2026-Q1",
                baseline_value=30,
                baseline_period="2026-Q1",
                required_value=30,
                shortfall=20,
            ),
            # the path from a baseline above the target is flat at the baseline: it never asks to go back
            row(
                "one_high",
                "met_early",
                "met_early",
                actual_value=55,
                actual_period="2026-Q1",
                baseline_value=55,
                baseline_period="2026-Q1",
                required_value=55,
                shortfall=0,
            ),
        ],
    ),
    # A Q4/2025 plan issued in Q4: as of Q3 there is no actual on or after its period.
    Case(
        "no_baseline",
        "2025-Q3",
        [tgt("q4", "Q4", ">=", 50, due="2025-Q4", plan_period="2025-Q4")],
        [act("Q4", "2025-Q3", 30)],
        [
            row(
                "q4",
                "insufficient_data",
                "no_baseline",
                actual_value=30,
                actual_period="2025-Q3",
                shortfall=20,
            )
        ],
    ),
    # DOWN-to-flat: 24 reached early, then flat. As of 2027-Q1 the path needs 10 + 40·8/23 = 23.91, so
    # ρ = 14/13.91 = 1.006 (on track), but the weighted trend of the last 8 points gives about 31.5 by
    # 2030-Q4 (< 50) → at risk. With 2 points there is no projection and ρ alone decides; with 3 rising
    # points the trend meets 50 and on track stands.
    Case(
        "projection",
        "2027-Q1",
        [tgt("flat", "FLATTENS", ">=", 50), tgt("two", "TWO", ">=", 50), tgt("up", "UP", ">=", 50)],
        series(
            "FLATTENS",
            {
                "2025-Q1": 10,
                "2025-Q2": 18,
                "2025-Q3": 22,
                "2025-Q4": 24,
                "2026-Q1": 24,
                "2026-Q2": 24,
                "2026-Q3": 24,
                "2026-Q4": 24,
                "2027-Q1": 24,
            },
        )
        + series("TWO", {"2025-Q1": 10, "2027-Q1": 24})
        + series("UP", {"2025-Q1": 10, "2026-Q1": 17, "2027-Q1": 24}),
        [
            row(
                "flat",
                "at_risk",
                "projection_downgrade",
                actual_value=24,
                actual_period="2027-Q1",
                baseline_value=10,
                baseline_period="2025-Q1",
                required_value=10 + 320 / 23,
                rho=14 / (320 / 23),
                projected_value=wls_projection(list(range(-7, 1)), [18, 22, 24, 24, 24, 24, 24, 24], 15),
                shortfall=26,
            ),
            row(
                "two",
                "on_track",
                "ahead_rho",
                actual_value=24,
                actual_period="2027-Q1",
                baseline_value=10,
                baseline_period="2025-Q1",
                required_value=10 + 320 / 23,
                rho=14 / (320 / 23),
                shortfall=26,
            ),
            row(
                "up",
                "on_track",
                "ahead_rho",
                actual_value=24,
                actual_period="2027-Q1",
                baseline_value=10,
                baseline_period="2025-Q1",
                required_value=10 + 320 / 23,
                rho=14 / (320 / 23),
                projected_value=wls_projection([-8, -4, 0], [10, 17, 24], 15),
                shortfall=26,
            ),
        ],
    ),
    # The 09/33 milestone is below the baseline (12): the path stays flat at 12 until Q4/2025, so
    # as of Q4/2025 nothing more than 12 is required yet; holding 12 is on track, dropping is not.
    Case(
        "flat_path",
        "2025-Q4",
        [
            tgt("m09", "FLAT", ">=", 9, due="2025-Q4", plan_period="2025-Q4", plan_id="tu11", unit="bản"),
            tgt("flat_2030", "FLAT", ">=", 33, unit="bản"),
            tgt(
                "m09_drop", "DROP", ">=", 9, due="2025-Q4", plan_period="2025-Q4", plan_id="tu11", unit="bản"
            ),
            tgt("drop_2030", "DROP", ">=", 33, unit="bản"),
        ],
        series("FLAT", {"2025-Q1": 12, "2025-Q4": 12}) + series("DROP", {"2025-Q1": 12, "2025-Q4": 11}),
        [
            row(
                "m09",
                "met",
                "due_passed_met",
                actual_value=12,
                actual_period="2025-Q4",
                baseline_value=12,
                baseline_period="2025-Q4",
                required_value=9,
                shortfall=0,
            ),
            row(
                "flat_2030",
                "on_track",
                "ahead_flat",
                actual_value=12,
                actual_period="2025-Q4",
                baseline_value=12,
                baseline_period="2025-Q1",
                required_value=12,
                shortfall=21,
            ),
            row(
                "m09_drop",
                "met",
                "due_passed_met",
                actual_value=11,
                actual_period="2025-Q4",
                baseline_value=11,
                baseline_period="2025-Q4",
                required_value=9,
                shortfall=0,
            ),
            row(
                "drop_2030",
                "off_track",
                "ahead_flat",
                actual_value=11,
                actual_period="2025-Q4",
                baseline_value=12,
                baseline_period="2025-Q1",
                required_value=12,
                shortfall=22,
            ),
        ],
    ),
    # A yearly indicator (GRDP share, PII …) measured in Q4: the 2025 value stays in force through
    # Q1–Q3/2026 and the target is judged as of Q4/2025, the value's period. Path 40 (2024-Q4) → 50
    # (2030-Q4): at 2025-Q4 it needs 40 + 10·4/24; 55 already meets 50 → met early, 3 quarters old.
    Case(
        "yearly_value_in_force",
        "2026-Q3",
        [tgt("y_met", "Y", ">=", 50, plan_period="2024-Q4", frequency="yearly")],
        series("Y", {"2024-Q4": 40, "2025-Q4": 55}),
        [
            row(
                "y_met",
                "met_early",
                "met_early",
                actual_value=55,
                actual_period="2025-Q4",
                baseline_value=40,
                baseline_period="2024-Q4",
                required_value=40 + 40 / 24,
                rho=15 / (40 / 24),
                shortfall=0,
                value_age_quarters=3,
                next_due_period="2026-Q4",
            )
        ],
    ),
    # Q4/2026 comes without the 2026 value: now it is overdue. Working as of Q4/2026: 40 + 10·8/24.
    Case(
        "yearly_value_overdue",
        "2026-Q4",
        [tgt("y_met", "Y", ">=", 50, plan_period="2024-Q4", frequency="yearly")],
        series("Y", {"2024-Q4": 40, "2025-Q4": 55}),
        [
            row(
                "y_met",
                "not_reported",
                "not_reported",
                actual_value=55,
                actual_period="2025-Q4",
                baseline_value=40,
                baseline_period="2024-Q4",
                required_value=40 + 80 / 24,
                rho=15 / (80 / 24),
                shortfall=0,
                value_age_quarters=4,
                next_due_period="2026-Q4",
            )
        ],
    ),
    # Half-yearly (Q2, Q4) beside quarterly, same values: as of Q1/2026 the Q4/2025 value is in force for
    # the half-yearly indicator (judged at 2025-Q4: 20 + 40·2/22; ρ = 10/3.636 = 2.75) but overdue for
    # the quarterly one (working at 2026-Q1: 20 + 40·3/22).
    Case(
        "half_yearly_in_force_quarterly_overdue",
        "2026-Q1",
        [
            tgt("h", "H", ">=", 60, frequency="half_yearly"),
            tgt("q", "Q", ">=", 60, frequency="quarterly"),
        ],
        series("H", {"2025-Q2": 20, "2025-Q4": 30}) + series("Q", {"2025-Q2": 20, "2025-Q4": 30}),
        [
            row(
                "h",
                "on_track",
                "ahead_rho",
                actual_value=30,
                actual_period="2025-Q4",
                baseline_value=20,
                baseline_period="2025-Q2",
                required_value=20 + 80 / 22,
                rho=10 / (80 / 22),
                shortfall=30,
                value_age_quarters=1,
                next_due_period="2026-Q2",
            ),
            row(
                "q",
                "not_reported",
                "not_reported",
                actual_value=30,
                actual_period="2025-Q4",
                baseline_value=20,
                baseline_period="2025-Q2",
                required_value=20 + 120 / 22,
                rho=10 / (120 / 22),
                shortfall=30,
                value_age_quarters=1,
                next_due_period="2026-Q1",
            ),
        ],
    ),
    # Figures of another definition (85/145 tasks against "100% of the late and Q4 tasks") are context:
    # never a status, never the report of a period. Only context, due or not: "chưa có số liệu"
    # (context_only); a comparable Q4 value followed by a context figure in Q1: Q1 is still not reported.
    Case(
        "context_figures_are_never_judged",
        "2026-Q1",
        [
            tgt("ctx_only", "CTX", ">=", 100),
            tgt("ctx_due", "CTX_DUE", ">=", 100, due="2025-Q4", plan_period="2025-Q4"),
            tgt("ctx_after", "CTX_AFTER", ">=", 50),
        ],
        [
            act("CTX", "2025-Q3", 58.6, comparable=False),
            act("CTX_DUE", "2025-Q3", 58.6, comparable=False),
            act("CTX_AFTER", "2025-Q4", 60),
            act("CTX_AFTER", "2026-Q1", 20, comparable=False),
        ],
        [
            row("ctx_only", "no_data", "context_only"),
            row("ctx_due", "no_data", "context_only"),
            row(
                "ctx_after",
                "not_reported",
                "not_reported",
                actual_value=60,
                actual_period="2025-Q4",
                baseline_value=60,
                baseline_period="2025-Q4",
                required_value=60,
                shortfall=0,
                value_age_quarters=1,
                next_due_period="2026-Q1",
            ),
        ],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rule(case: Case):
    got = compute_status(case.target_frame(), case.actual_frame(), case.as_of, THRESHOLDS)
    assert_frame_equal(got, case.expected_frame(), check_exact=False, rtol=1e-9, atol=1e-9)


# ---------------------------------------------------------------- chained horizons


def _required(targets: list[dict[str, Any]], actuals: list[dict[str, Any]], as_of: str) -> dict[str, float]:
    frame = compute_status(targets_frame(targets), actuals_frame(actuals), as_of, THRESHOLDS)
    return dict(zip(frame["target_id"], frame["required_value"], strict=True))


CHAIN_TARGETS = [
    tgt("c_2025", "C", ">=", 6.5, due="2025-Q4", plan_period="2025-Q4", plan_id="ubnd6896"),
    tgt("c_2030", "C", ">=", 10, plan_id="ubnd2025"),
    tgt("c_2045", "C", ">=", 20, due="2045-Q4", plan_id="ubnd2025"),
]


def test_chain_before_the_milestone_plan_was_issued():
    # As of Q3/2025 the Q4/2025 plan did not exist: the 2030 path runs straight 5 → 10,
    # the 2045 path 5 → 10 (2030 milestone) → 20.
    got = _required(CHAIN_TARGETS, series("C", {"2025-Q1": 5.0, "2025-Q3": 5.5}), "2025-Q3")
    assert got["c_2030"] == pytest.approx(5 + 5 * 2 / 23)
    assert got["c_2045"] == pytest.approx(5 + 5 * 2 / 23)
    assert np.isnan(got["c_2025"])  # no baseline for it yet


def test_chain_through_a_milestone_beaten_by_its_actual():
    # 7.0 at Q4/2025 beat the 6.5 milestone: the path runs on from 7.0. At 2026-Q4: 7 + 3·4/20 = 7.6.
    actuals = series("C", {"2025-Q1": 5.0, "2025-Q4": 7.0, "2026-Q4": 7.7})
    got = _required(CHAIN_TARGETS, actuals, "2026-Q4")
    assert got["c_2025"] == 6.5
    assert got["c_2030"] == pytest.approx(7.6)
    assert got["c_2045"] == pytest.approx(7.6)


def test_chain_through_a_missed_milestone_and_a_passed_2030():
    # 6.0 missed the 6.5 milestone: the path goes through 6.5. As of 2031-Q4 the 2030 target (10) is
    # due; 9.0 missed it, so the 2045 path runs 10 (2030-Q4) → 20 (2045-Q4): 10 + 10·4/60.
    actuals = series("C", {"2025-Q1": 5.0, "2025-Q4": 6.0, "2026-Q4": 7.0, "2030-Q4": 9.0, "2031-Q4": 9.5})
    assert _required(CHAIN_TARGETS, actuals, "2026-Q4")["c_2030"] == pytest.approx(6.5 + 3.5 * 4 / 20)
    got = _required(CHAIN_TARGETS, actuals, "2031-Q4")
    assert got["c_2030"] == 10
    assert got["c_2045"] == pytest.approx(10 + 10 * 4 / 60)


def test_chain_path_at_each_quarter_is_piecewise_linear():
    actuals = series("C", {"2025-Q1": 5.0, "2025-Q4": 6.0})
    required = {}
    for as_of in ["2026-Q1", "2027-Q4", "2030-Q3"]:
        required[as_of] = _required(CHAIN_TARGETS, actuals, as_of)["c_2045"]
    # 6.5 at 2025-Q4 → 10 at 2030-Q4: 3.5 over 20 quarters
    assert required["2026-Q1"] == pytest.approx(6.5 + 3.5 * 1 / 20)
    assert required["2027-Q4"] == pytest.approx(6.5 + 3.5 * 8 / 20)
    assert required["2030-Q3"] == pytest.approx(6.5 + 3.5 * 19 / 20)


# ---------------------------------------------------------------- the working in words


def _status_row(case_name: str, target_id: str) -> pd.Series:
    case = next(c for c in CASES if c.name == case_name)
    frame = compute_status(case.target_frame(), case.actual_frame(), case.as_of, THRESHOLDS)
    return (
        frame.set_index("target_id")
        .loc[target_id]
        .rename(target_id)
        .to_frame()
        .T.reset_index(names="target_id")
        .iloc[0]
    )


def test_working_sentence_matches_the_issue_example():
    row = pd.Series(
        {
            "target_id": "x",
            "as_of": "2026-Q3",
            "status": "at_risk",
            "actual_value": 55.4,
            "actual_period": "2026-Q3",
            "required_value": 62.0,
            "rho": 0.71,
            "projected_value": np.nan,
            "rule": "ahead_rho",
        }
    )
    assert (
        working_sentence(row, "%")
        == "Cần đạt 62,0% vào Quý III/2026; thực hiện 55,4% (đi được 71% quãng đường cần đi đến kỳ này) → có nguy cơ"
    )


@pytest.mark.parametrize(
    ("case_name", "target_id", "unit", "expected"),
    [
        (
            "kts_grdp_chain",
            "kts_2025",
            "% GRDP",
            "Chỉ tiêu 6,5% GRDP; thực hiện 6,0% GRDP (Quý IV/2025) → không đạt, còn thiếu 0,5% GRDP",
        ),
        ("villages_33_and_09", "ban_09", "bản", "Chỉ tiêu 9 bản; thực hiện 12 bản (Quý IV/2025) → đạt"),
        ("between_due_passed", "rng_above", "%", "Chỉ tiêu 9,0%; thực hiện 10,5% (Quý IV/2030) → đạt (vượt)"),
        (
            "pii_rank_lower_is_better",
            "pii_2030",
            "thứ hạng",
            "Cần đạt hạng 61,1 vào Quý I/2026; thực hiện hạng 60 (đi được 230% quãng đường cần đi đến kỳ này) → đúng tiến độ",
        ),
        (
            "not_reported",
            "nr",
            "%",
            "Cần đạt 25,2% vào Quý I/2026; thực hiện 26,0% (số liệu Quý IV/2025; đi được 115% quãng đường cần đi đến kỳ này) → chưa báo cáo kỳ này;"
            " chưa có số liệu Quý I/2026",
        ),
        (
            "manual_yes_no_and_qualitative",
            "anm",
            "",
            "Đánh giá thủ công: Đang thực hiện (Nguyễn Văn A, Quý I/2026)",
        ),
        ("manual_yes_no_and_qualitative", "xep_hang", "", "Đánh giá thủ công: chưa có kết quả"),
        (
            "yearly_value_in_force",
            "y_met",
            "%",
            "Thực hiện 55,0% (số liệu Quý IV/2025), đã đạt mức chỉ tiêu → đạt sớm; số liệu tiếp theo: Quý IV/2026",
        ),
        (
            "half_yearly_in_force_quarterly_overdue",
            "h",
            "%",
            "Cần đạt 23,6% vào Quý IV/2025; thực hiện 30,0% (số liệu Quý IV/2025; đi được 275% quãng đường cần đi đến kỳ này) → đúng tiến độ;"
            " số liệu tiếp theo: Quý II/2026",
        ),
        (
            "context_figures_are_never_judged",
            "ctx_only",
            "%",
            "Chỉ có số liệu tham khảo khác định nghĩa chỉ tiêu, không dùng để đánh giá → chưa có số liệu",
        ),
        ("no_data", "nd", "%", "Chưa có số liệu thực hiện đến Quý I/2026 → chưa có số liệu"),
        ("single_point", "one_low", "%", "Mới có một số liệu: 30,0% → chưa đủ số liệu"),
        ("single_point", "one_high", "%", "Thực hiện 55,0%, đã đạt mức chỉ tiêu → đạt sớm"),
        (
            "at_least_3_and_rising",
            "chi_fell",
            "%",
            "Chỉ tiêu 3,0%; thực hiện 3,1% (Quý IV/2025) → không đạt (số liệu không tăng so với kỳ trước)",
        ),
    ],
)
def test_working_sentence(case_name, target_id, unit, expected):
    assert working_sentence(_status_row(case_name, target_id), unit) == expected


def test_working_sentence_shows_the_projection():
    text = working_sentence(_status_row("projection", "flat"), "%")
    assert (
        text
        == "Cần đạt 23,9% vào Quý I/2027; thực hiện 24,0% (đi được 101% quãng đường cần đi đến kỳ này) → có nguy cơ; dự báo đến hạn: 31,5%"
    )


# ---------------------------------------------------------------- labels, configuration, layering


def test_every_status_has_a_label_colour_symbol_and_order():
    from metrics import status_labels as sl

    codes = {
        "met": "Đạt",
        "not_met": "Không đạt",
        "met_early": "Đạt sớm",
        "on_track": "Đúng tiến độ",
        "at_risk": "Có nguy cơ",
        "off_track": "Chậm tiến độ",
        "insufficient_data": "Chưa đủ số liệu",
        "no_data": "Chưa có số liệu",
        "not_reported": "Chưa báo cáo kỳ này",
        "manual": "Đánh giá thủ công",
    }
    assert set(sl.STATUS_CODES) == set(codes)
    assert {c: sl.status_label(c) for c in codes} == codes
    assert sorted(sl.STATUS_CODES, key=sl.status_order) == list(sl.STATUS_CODES)
    assert len({sl.status_symbol(c) for c in codes}) == len(codes)  # greyscale still tells them apart
    assert all(sl.status_colour(c).startswith("#") and len(sl.status_colour(c)) == 7 for c in codes)
    # worst first: the verdicts on progress are ordered
    order = [sl.status_order(c) for c in ("not_met", "off_track", "at_risk", "on_track", "met_early", "met")]
    assert order == sorted(order)
    assert sl.status_badge("at_risk") == "◆ Có nguy cơ"
    with pytest.raises(ValueError):
        sl.status_label("green")


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1234.5, "%", "1.234,5%"),
        (6.5, "% GRDP", "6,5% GRDP"),
        (33.0, "bản", "33 bản"),
        (57.0, "thứ hạng", "hạng 57"),
        (0.623, "chỉ số", "0,623 chỉ số"),
        (-2.25, "", "-2,2"),
        (float("nan"), "%", "–"),
    ],
)
def test_format_quantity(value, unit, text):
    from metrics.status_labels import format_quantity

    assert format_quantity(value, unit) == text


def test_thresholds_csv_has_every_key():
    assert THRESHOLDS["on_track_rho"] == 0.95
    assert THRESHOLDS["at_risk_rho"] == 0.6
    assert THRESHOLDS["projection_min_points"] == 3


def test_bad_as_of_is_rejected():
    with pytest.raises(ValueError, match="Kỳ báo cáo không hợp lệ"):
        compute_status(targets_frame([]), actuals_frame([]), "Q3/2026", THRESHOLDS)


def test_metrics_never_imports_streamlit():
    import ast
    from pathlib import Path

    import metrics

    for path in Path(metrics.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not any(name.split(".")[0] == "streamlit" for name in names), path
