"""Roll-ups of target statuses per agency, thematic group, plan and horizon: counts and share on track.

Definitions (docs/methodology.md, "Tổng hợp"):
- n_<status>: targets in each status; n_targets: all of them.
- n_assessed: targets with a verdict on progress (met, not_met, met_early, on_track, at_risk,
  off_track). manual, no_data, insufficient_data and not_reported are counted in their own columns
  but left out of the share: they say nothing about progress, and counting them as failures would
  punish a late report the same as a missed target.
- share_met_or_on_track = (met + met_early + on_track) / n_assessed; NaN when nothing is assessed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from metrics.status_labels import ASSESSED_STATUSES, GOOD_STATUSES, STATUS_CODES

COUNT_COLUMNS: tuple[str, ...] = tuple(f"n_{code}" for code in STATUS_CODES)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "n_targets",
    *COUNT_COLUMNS,
    "n_assessed",
    "n_met_or_on_track",
    "share_met_or_on_track",
)

UNASSIGNED_AGENCY = "Chưa xác định cơ quan chủ trì"


def _summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """frame: one row per (key…, target) with a status column."""
    unknown = set(frame["status"].dropna()) - set(STATUS_CODES)
    if unknown or frame["status"].isna().any():
        raise ValueError(f"Unknown status codes in the status frame: {sorted(map(str, unknown)) or ['NULL']}")
    onehot = pd.DataFrame(
        {f"n_{code}": (frame["status"] == code).astype("int64") for code in STATUS_CODES}, index=frame.index
    )
    onehot["n_targets"] = 1
    if keys:
        grouped = pd.concat([frame[keys], onehot], axis=1).groupby(keys, dropna=False, sort=True).sum()
        out = grouped.reset_index()
    else:
        out = onehot.sum().to_frame().T.astype("int64")
    out["n_assessed"] = out[[f"n_{c}" for c in ASSESSED_STATUSES]].sum(axis=1).astype("int64")
    out["n_met_or_on_track"] = out[[f"n_{c}" for c in GOOD_STATUSES]].sum(axis=1).astype("int64")
    assessed = out["n_assessed"].astype("float64")
    out["share_met_or_on_track"] = (out["n_met_or_on_track"] / assessed).where(assessed > 0)
    return out.loc[:, [*keys, *SUMMARY_COLUMNS]].reset_index(drop=True)


def summarise_status(status: pd.DataFrame) -> pd.DataFrame:
    """One row of totals over every target in the status frame."""
    return _summarise(status[["target_id", "status"]], [])


def rollup(status: pd.DataFrame, targets: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Counts per value of any v_targets column(s), e.g. rollup(status, targets, ["plan_id", "plan_name"])."""
    keys = [by] if isinstance(by, str) else list(by)
    attributes = targets[["target_id", *keys]].drop_duplicates("target_id")
    frame = status[["target_id", "status"]].merge(
        attributes, on="target_id", how="left", validate="one_to_one"
    )
    return _summarise(frame, keys)


def rollup_by_agency(status: pd.DataFrame, target_agencies: pd.DataFrame) -> pd.DataFrame:
    """Per current lead agency (v_target_agencies): a target led by several agencies counts for each,
    and once per agency even when the plan named two bodies that have since merged into it.
    Targets with no lead agency are kept under UNASSIGNED_AGENCY so the totals still add up."""
    leads = target_agencies[["target_id", "agency_id", "agency_name"]].drop_duplicates(
        ["target_id", "agency_id"]
    )
    frame = status[["target_id", "status"]].merge(leads, on="target_id", how="left")
    frame["agency_name"] = frame["agency_name"].fillna(UNASSIGNED_AGENCY)
    return _summarise(frame, ["agency_id", "agency_name"])


def rollup_by_group(status: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Per thematic group, in the groups' own order."""
    out = rollup(status, targets, ["group_order", "group", "group_name"])
    return out.drop(columns="group_order")


def rollup_by_plan(status: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Per source plan."""
    return rollup(status, targets, ["plan_id", "plan_name"])


def rollup_by_horizon(status: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Per horizon: '2025-Q4' sorts before '2030' before '2045' as text."""
    return rollup(status, targets, "horizon")
