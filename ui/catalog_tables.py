"""The catalogue's display frames (Danh mục chỉ tiêu, Kế hoạch), cached by their plain inputs.

fmt_target goes row by row over a frame of Arrow strings: 0.11 s a warm run for the 2 890 targets at 100×
(docs/performance.md). The catalogue holds no actuals, so the review switch is not part of these keys;
ui.db.after_write clears them with every other st.cache_data.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.tables import no_none
from charts.vn import fmt_date, fmt_target
from ui import data, labels

TTL = 600

TARGET_COLUMNS = [
    "target_id",
    "indicator_short_name",
    "horizon_label",
    "target_label",
    "unit",
    "plan_name",
    "lead_label",
    "lead_agency_as_written",
    "target_text",
    "wording_restored",
    "source_ref",
    "note",
    "correction_note",
    "group_name",
]
PLAN_TARGET_COLUMNS = [
    "row_ref",
    "target_text",
    "wording_restored",
    "target_label",
    "horizon_label",
    "lead_agency_as_written",
    "lead_label",
    "lead_basis",
    "note",
    "correction_note",
    "source_ref",
]
PLAN_TASK_COLUMNS = [
    "section",
    "row_no",
    "title",
    "lead_agency_as_written",
    "lead_agency",
    "coordinating_agencies",
    "expected_output",
    "deadline_text",
    "due_label",
    "note",
]


def _labelled(targets: pd.DataFrame) -> pd.DataFrame:
    targets = targets.copy()
    targets["horizon_label"] = targets["horizon"].map(labels.HORIZON_LABELS)
    targets["target_label"] = [
        fmt_target(
            r.comparator, r.target_value, r.target_value_high, r.unit, r.value_as_written, r.also_rising
        )
        for r in targets.itertuples()
    ]
    targets["lead_label"] = labels.lead_labels(targets)
    return targets


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def targets_display(horizon: str | None, plan: str | None, group: str | None, agency: str | None):
    """Danh mục chỉ tiêu's table: every target under the filters, with its level and lead agency in words."""
    targets = _labelled(data.targets(horizon, plan, group, agency))
    return targets[TARGET_COLUMNS].rename(columns=labels.COL)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def plan_targets_display(plan: str, group: str | None, agency: str | None) -> pd.DataFrame:
    """Kế hoạch's targets tab: the plan's rows beside their wording (columns no row fills are left out)."""
    targets = _labelled(data.targets(None, plan, group, agency))
    columns = [
        c
        for c in PLAN_TARGET_COLUMNS
        if c not in ("wording_restored", "lead_basis") or targets[c].notna().any()
    ]
    return no_none(targets[columns].rename(columns={**labels.COL, "row_ref": "Dòng"}))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def plan_tasks_display(plan: str, agency: str | None) -> pd.DataFrame:
    """Kế hoạch's tasks tab: the plan's tasks as written, with the due date read from them."""
    tasks = data.tasks(plan, agency).copy()
    tasks["due_label"] = tasks["due_date"].map(fmt_date)
    return no_none(
        tasks[PLAN_TASK_COLUMNS].rename(columns={**labels.COL, "due_label": labels.COL["due_date"]})
    )


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def indicator_choices(
    plan: str | None, group: str | None, agency: str | None
) -> tuple[dict[str, str], str | None]:
    """Chỉ tiêu's picker: indicator id → name under the filters, and the indicator with the most targets."""
    catalog = data.targets(None, plan, group, agency)
    if catalog.empty:
        return {}, None
    names = catalog.drop_duplicates("indicator_id").set_index("indicator_id")["indicator_name"].to_dict()
    return names, catalog["indicator_id"].mode()[0]
