"""Theo cơ quan: one scorecard per current agency, and the agencies compared by share met or on track."""

from __future__ import annotations

import streamlit as st

from charts.agencies import agency_share_figure
from charts.common import export_config
from metrics.agencies import agency_scorecards
from metrics.periods import quarter_label_vi
from metrics.rollup import rollup_by_agency
from ui import data, frame, labels, tables

frame.header(
    "Theo cơ quan",
    "Chỉ tiêu theo cơ quan chủ trì hiện nay; cơ quan đã hợp nhất được tính vào cơ quan kế thừa.",
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

rows = data.target_status(as_of, horizon, filters.plan, filters.group, None)
links = data.target_agencies()
links = links[links["target_id"].isin(rows["target_id"])]
if filters.agency:
    links = links[links["agency_id"] == filters.agency]
if links.empty:
    st.info("Không có chỉ tiêu nào phù hợp bộ lọc.")
    st.stop()

rollup = rollup_by_agency(rows, links).merge(
    links[["agency_id", "agency_short_name"]].drop_duplicates(), on="agency_id"
)
scope = "mọi mốc" if horizon is None else f"mốc {labels.HORIZON_LABELS[horizon]}"
figure = agency_share_figure(
    rollup,
    title="Tỷ lệ chỉ tiêu đạt hoặc đúng tiến độ theo cơ quan chủ trì",
    subtitle=f"Số liệu đến {period} · {scope} · số chỉ tiêu theo trạng thái; tỷ lệ tính trên chỉ tiêu đã đánh giá được",
    footer=frame.footer(rows["plan_name"].unique()),
    demo=frame.is_demo(),
    large=frame.presenting(),
)
st.plotly_chart(
    figure,
    width="stretch",
    theme=None,
    key="agency_chart",
    config=export_config(f"nq57 theo co quan {choice} {as_of}"),
)

st.subheader(f"Bảng điểm từng cơ quan · số liệu đến {period}")
for card in agency_scorecards(rows, links):
    with st.expander(card.title, expanded=filters.agency is not None):
        if card.formerly:
            st.caption("Trước đây: " + "; ".join(card.formerly))
        tables.status_table(rows[rows["target_id"].isin(card.target_ids)], key=f"card_{card.agency_id}")
