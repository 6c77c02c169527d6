"""Theo cơ quan: one scorecard per current agency (targets and tasks), and the agencies compared."""

from __future__ import annotations

import streamlit as st

from metrics.periods import quarter_label_vi
from ui import agency_cards, figures, frame, labels, tables
from ui import narratives as narrative_ui
from ui.export_buttons import show_chart

frame.header(
    "Theo cơ quan",
    "Chỉ tiêu và nhiệm vụ theo cơ quan chủ trì hiện nay; cơ quan đã hợp nhất được tính vào cơ quan kế thừa.",
)
filters = frame.current_filters()
left, right = st.columns([3, 2])
choice = left.segmented_control(
    labels.FILTER_HORIZON,
    ["all", *labels.HORIZON_LABELS],
    key="agency_horizon",
    default="all",
    format_func=lambda h: "Mọi mốc" if h == "all" else labels.HORIZON_LABELS[h],
)
horizon = None if choice in (None, "all") else choice
as_of = frame.as_of_picker(right)
period = quarter_label_vi(as_of)

picked = agency_cards.choice(as_of, horizon, filters.plan, filters.group, filters.agency)
if not picked.has_targets and not picked.has_tasks:
    st.info("Không có chỉ tiêu hay nhiệm vụ nào phù hợp bộ lọc.")
    st.stop()

if picked.has_targets:
    figure = figures.agencies(
        as_of,
        horizon,
        filters.plan,
        filters.group,
        filters.agency,
        demo=frame.is_demo(),
        large=frame.presenting(),
    )
    if figure is not None:
        name = labels.chart_name(
            "nq57 theo co quan", choice, filters.agency, filters.group, filters.plan, as_of
        )
        show_chart(figure, name, key="agency_chart")

st.subheader(f"Bảng điểm từng cơ quan · số liệu đến {period}")
st.caption("Nhiệm vụ: tình trạng đến hết kỳ đã chọn (mọi mốc); xem thêm trang Nhiệm vụ.")

# One agency's detail at a time (the first card by default): the 36 tables in collapsed expanders were
# 284 of the page's 327 KB sent to every visitor (docs/performance.md).
agency_id = st.selectbox("Cơ quan", picked.options, format_func=picked.labels.get, key="agency_detail")
card = agency_cards.detail(as_of, horizon, filters.plan, filters.group, filters.agency, agency_id)
with st.container(border=True):
    if card.formerly:
        st.caption("Trước đây: " + "; ".join(card.formerly))
    narrative_ui.agency_latest(agency_id)
    if card.target_rows is not None:
        tables.show(card.target_rows, key=f"card_{agency_id}")
    if card.task_rows is not None:
        st.caption("Nhiệm vụ chủ trì (kế hoạch ghi: " + "; ".join(card.tasks_as_written) + ")")
        tables.show(card.task_rows, key=f"card_tasks_{agency_id}", column_config=tables.TASK_COLUMN_CONFIG)
