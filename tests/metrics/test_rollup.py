"""Roll-ups of statuses per agency, group, plan and horizon."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from metrics.rollup import (
    SUMMARY_COLUMNS,
    UNASSIGNED_AGENCY,
    rollup,
    rollup_by_agency,
    rollup_by_group,
    rollup_by_horizon,
    rollup_by_plan,
    summarise_status,
)

STATUS = pd.DataFrame(
    {
        "target_id": ["a", "b", "c", "d", "e", "f", "g"],
        "status": ["met", "not_met", "on_track", "at_risk", "manual", "no_data", "met_early"],
    }
)
TARGETS = pd.DataFrame(
    {
        "target_id": ["a", "b", "c", "d", "e", "f", "g"],
        "plan_id": ["ubnd6896", "tu11", "ubnd2025", "ubnd2025", "tu11", "ubnd2025", "skhcn2025"],
        "plan_name": [
            "KH 6896",
            "KH 11-KH/TU",
            "KH UBND 02/2025",
            "KH UBND 02/2025",
            "KH 11-KH/TU",
            "KH UBND 02/2025",
            "KH Sở KH&CN",
        ],
        "horizon": ["2025-Q4", "2025-Q4", "2030", "2030", "2025-Q4", "2045", "2030"],
        "group": [
            "ha_tang_so",
            "ha_tang_so",
            "kinh_te_so",
            "kinh_te_so",
            "chi_dao",
            "kinh_te_so",
            "ha_tang_so",
        ],
        "group_name": [
            "Hạ tầng số",
            "Hạ tầng số",
            "Kinh tế số",
            "Kinh tế số",
            "Chỉ đạo, điều hành",
            "Kinh tế số",
            "Hạ tầng số",
        ],
        "group_order": [2, 2, 4, 4, 1, 4, 2],
    }
)
# b is led by two agencies; c was assigned to Sở TT&TT and Sở KH&CN, both now Sở KH&CN (once);
# g has no lead agency.
TARGET_AGENCIES = pd.DataFrame(
    {
        "target_id": ["a", "b", "b", "c", "c", "d", "e", "f"],
        "agency_id": [
            "so_khcn",
            "so_khcn",
            "so_taichinh",
            "so_khcn",
            "so_khcn",
            "so_taichinh",
            "bcd_tinh",
            "so_taichinh",
        ],
        "agency_name": [
            "Sở Khoa học và Công nghệ",
            "Sở Khoa học và Công nghệ",
            "Sở Tài chính",
            "Sở Khoa học và Công nghệ",
            "Sở Khoa học và Công nghệ",
            "Sở Tài chính",
            "Ban Chỉ đạo tỉnh",
            "Sở Tài chính",
        ],
        "agency_as_written": [
            "x",
            "x",
            "y",
            "Sở Thông tin và Truyền thông",
            "Sở Khoa học và Công nghệ",
            "y",
            "z",
            "y",
        ],
    }
)

COUNT_ORDER = (
    "not_met",
    "off_track",
    "at_risk",
    "not_reported",
    "insufficient_data",
    "no_data",
    "manual",
    "on_track",
    "met_early",
    "met",
)


def expected(keys: dict[str, list], counts: list[dict[str, int]]) -> pd.DataFrame:
    """Expected roll-up from per-row status counts (missing statuses are 0)."""
    rows = []
    for i, c in enumerate(counts):
        row = {k: v[i] for k, v in keys.items()}
        row.update({f"n_{s}": c.get(s, 0) for s in COUNT_ORDER})
        row["n_targets"] = sum(c.values())
        row["n_assessed"] = sum(
            c.get(s, 0) for s in ("not_met", "off_track", "at_risk", "on_track", "met_early", "met")
        )
        row["n_met_or_on_track"] = sum(c.get(s, 0) for s in ("on_track", "met_early", "met"))
        row["share_met_or_on_track"] = (
            row["n_met_or_on_track"] / row["n_assessed"] if row["n_assessed"] else np.nan
        )
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[*keys, *SUMMARY_COLUMNS])
    ints = [c for c in SUMMARY_COLUMNS if c.startswith("n_")]
    return frame.astype(dict.fromkeys(ints, "int64") | {"share_met_or_on_track": "float64"})


def test_by_agency_counts_each_lead_once():
    got = rollup_by_agency(STATUS, TARGET_AGENCIES)
    want = expected(
        {
            "agency_id": ["bcd_tinh", "so_khcn", "so_taichinh", np.nan],
            "agency_name": [
                "Ban Chỉ đạo tỉnh",
                "Sở Khoa học và Công nghệ",
                "Sở Tài chính",
                UNASSIGNED_AGENCY,
            ],
        },
        [
            {"manual": 1},  # e: manual counted, not assessed → share NaN
            {"met": 1, "not_met": 1, "on_track": 1},  # a, b, c (c once although two names)
            {"not_met": 1, "at_risk": 1, "no_data": 1},  # b, d, f
            {"met_early": 1},  # g
        ],
    )
    assert_frame_equal(got, want)
    assert got.loc[got["agency_id"] == "so_khcn", "share_met_or_on_track"].item() == pytest.approx(2 / 3)


def test_by_group_in_group_order():
    want = expected(
        {
            "group": ["chi_dao", "ha_tang_so", "kinh_te_so"],
            "group_name": ["Chỉ đạo, điều hành", "Hạ tầng số", "Kinh tế số"],
        },
        [
            {"manual": 1},
            {"met": 1, "not_met": 1, "met_early": 1},
            {"on_track": 1, "at_risk": 1, "no_data": 1},
        ],
    )
    assert_frame_equal(rollup_by_group(STATUS, TARGETS), want)


def test_by_plan_and_by_horizon():
    by_plan = rollup_by_plan(STATUS, TARGETS)
    assert list(by_plan["plan_id"]) == ["skhcn2025", "tu11", "ubnd2025", "ubnd6896"]
    assert list(by_plan["n_targets"]) == [1, 2, 3, 1]
    assert list(by_plan["share_met_or_on_track"]) == [1.0, 0.0, 0.5, 1.0]
    want = expected(
        {"horizon": ["2025-Q4", "2030", "2045"]},
        [
            {"met": 1, "not_met": 1, "manual": 1},
            {"on_track": 1, "at_risk": 1, "met_early": 1},
            {"no_data": 1},
        ],
    )
    assert_frame_equal(rollup_by_horizon(STATUS, TARGETS), want)


def test_summary_totals():
    got = summarise_status(STATUS)
    want = expected(
        {}, [{"met": 1, "not_met": 1, "on_track": 1, "at_risk": 1, "manual": 1, "no_data": 1, "met_early": 1}]
    )
    assert_frame_equal(got, want)
    assert got["share_met_or_on_track"].item() == pytest.approx(3 / 5)


def test_generic_rollup_matches_the_named_one():
    assert_frame_equal(rollup(STATUS, TARGETS, ["plan_id", "plan_name"]), rollup_by_plan(STATUS, TARGETS))


def test_unknown_status_is_an_error():
    with pytest.raises(ValueError, match="Unknown status"):
        summarise_status(pd.DataFrame({"target_id": ["x"], "status": ["green"]}))


def test_empty_status_frame():
    got = rollup_by_horizon(STATUS.iloc[:0], TARGETS)
    assert list(got.columns) == ["horizon", *SUMMARY_COLUMNS]
    assert got.empty
