"""Where plans disagree: the same indicator and horizon given different thresholds by different plans."""

from __future__ import annotations

import pandas as pd


def disagreements(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per (indicator, horizon) whose plans set different comparators or values.

    Takes v_targets rows; returns indicator_id, horizon, and the conflicting target_ids and plan names.
    """
    numeric = targets[targets["comparator"] != "text"].copy()
    numeric["level"] = list(
        zip(
            numeric["comparator"],
            numeric["target_value"],
            numeric["target_value_high"].fillna(-1.0),
            strict=True,
        )
    )
    rows = []
    for (indicator, horizon), group in numeric.groupby(["indicator_id", "horizon"], sort=True):
        if group["level"].nunique() > 1 and group["plan_id"].nunique() > 1:
            rows.append(
                {
                    "indicator_id": indicator,
                    "horizon": horizon,
                    "target_ids": sorted(group["target_id"]),
                    "plans": sorted(group["plan_name"]),
                }
            )
    return pd.DataFrame(rows, columns=["indicator_id", "horizon", "target_ids", "plans"])
