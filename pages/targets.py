"""Danh mục chỉ tiêu: every target of the four plans, filterable, beside its original wording."""

from __future__ import annotations

import streamlit as st

from ui import catalog_tables, frame, labels

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
targets = catalog_tables.targets_display(horizon, filters.plan, filters.group, filters.agency)
st.caption(f"{len(targets)} chỉ tiêu phù hợp bộ lọc.")
st.dataframe(targets, hide_index=True, width="stretch", key="targets_table")
