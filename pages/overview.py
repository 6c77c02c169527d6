"""Tổng quan: every target of a horizon against its threshold, as of a reporting period."""

from __future__ import annotations

import streamlit as st

from metrics.periods import quarter_label_vi
from metrics.summary import tile_counts
from ui import data, figures, frame, labels, narratives, reporting, tables
from ui import review as review_ui
from ui.export_buttons import show_chart

frame.header("Tổng quan", "Chỉ tiêu theo mốc, so với ngưỡng, tính đến kỳ báo cáo đã chọn.")
filters = frame.current_filters()
left, right = st.columns([3, 2])
horizon = frame.horizon_picker(left)
as_of = frame.as_of_picker(right)

rows = data.target_status(as_of, horizon, filters.plan, filters.group, filters.agency)
period = quarter_label_vi(as_of)

tiles = tile_counts(rows["status"])
for row in (tiles[:3], tiles[3:]):
    for column, (tile, count) in zip(st.columns(3), row, strict=True):
        column.metric(tile.label, count, help=tile.help, border=True)
reporting.on_time_metric()
review_ui.pending_caption(as_of)  # how many values await review, and whether they are counted

if rows.empty:
    st.info("Không có chỉ tiêu nào phù hợp bộ lọc.")
    st.stop()

figure = figures.overview(
    as_of,
    horizon,
    filters.plan,
    filters.group,
    filters.agency,
    demo=frame.is_demo(),
    large=frame.presenting(),
)
name = labels.chart_name("nq57 tong quan", horizon, filters.agency, filters.group, filters.plan, as_of)
show_chart(figure, name, key="overview_chart")

st.subheader(f"Bảng chi tiết · số liệu đến {period}")
# Behind a toggle: the data grid makes a new visitor fetch 1.9 MB more JavaScript before the first chart, and
# its display frame is built row by row (docs/performance.md). The targets list page shows every row too.
if st.toggle(
    "Hiện bảng chi tiết", key="overview_show_table", help="Bảng mọi chỉ tiêu đang hiển thị trên biểu đồ."
):
    tables.status_table_for(as_of, horizon, filters.plan, filters.group, filters.agency, key="overview_table")

narratives.red_without_action_list(as_of)  # for the Steering Committee: red with nothing being done
