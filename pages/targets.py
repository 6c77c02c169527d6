"""Danh mục chỉ tiêu: every target of the four plans, filterable, beside its original wording."""

from __future__ import annotations

import streamlit as st

from charts.vn import fmt_target
from ui import data, frame, labels

frame.header(
    "Danh mục chỉ tiêu", "Mọi chỉ tiêu của bốn kế hoạch, kèm nguyên văn, trích dẫn và cơ quan chủ trì."
)
filters = frame.current_filters()

horizon = st.segmented_control(
    labels.FILTER_HORIZON,
    options=list(labels.HORIZON_LABELS),
    format_func=labels.HORIZON_LABELS.get,
    key="targets_horizon",
)
targets = data.targets(horizon, filters.plan, filters.group, filters.agency).copy()
st.caption(f"{len(targets)} chỉ tiêu phù hợp bộ lọc.")

targets["horizon_label"] = targets["horizon"].map(labels.HORIZON_LABELS)
targets["target_label"] = [
    fmt_target(r.comparator, r.target_value, r.target_value_high, r.unit, r.value_as_written, r.also_rising)
    for r in targets.itertuples()
]
targets["lead_label"] = labels.lead_labels(targets)
columns = [
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
st.dataframe(
    targets[columns].rename(columns=labels.COL), hide_index=True, width="stretch", key="targets_table"
)
