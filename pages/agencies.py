"""Theo cơ quan: one scorecard per current agency (targets and tasks), and the agencies compared."""

from __future__ import annotations

import streamlit as st

from metrics import tasks as mt
from metrics.agencies import agency_scorecards
from metrics.periods import quarter_label_vi
from ui import data, figures, frame, labels, tables
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

rows = data.target_status(as_of, horizon, filters.plan, filters.group, None)
links = figures.agency_links(rows, filters.agency)
task_links = data.task_links()
tasks = mt.filter_tasks(data.task_status(as_of), task_links, plan=filters.plan)
if filters.agency:
    task_links = task_links[task_links["agency_id"] == filters.agency]
task_links = mt.lead_links(task_links[task_links["task_id"].isin(tasks["task_id"])])
if links.empty and task_links.empty:
    st.info("Không có chỉ tiêu hay nhiệm vụ nào phù hợp bộ lọc.")
    st.stop()

if not links.empty:
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
task_counts = mt.rollup_by_agency(tasks, task_links).set_index("agency_id")
cards = agency_scorecards(rows, links)
only_tasks = sorted(
    set(task_counts.index) - {c.agency_id for c in cards},
    key=lambda a: (-task_counts.loc[a, "n_tasks"], task_counts.loc[a, "agency_name"]),
)


def card_label(agency_id: str) -> str:
    card = next((c for c in cards if c.agency_id == agency_id), None)
    counts = task_counts.loc[agency_id] if agency_id in task_counts.index else None
    name = card.title if card else f"{counts['agency_name']} — không chủ trì chỉ tiêu"
    if counts is not None:
        late = f", {int(counts['n_late'])} quá hạn" if counts["n_late"] else ""
        name += f" · {int(counts['n_tasks'])} nhiệm vụ, {int(counts['n_completed'])} hoàn thành{late}"
    return name


# One agency's detail at a time (the first card by default): the 36 tables in collapsed expanders were
# 284 of the page's 327 KB sent to every visitor (docs/performance.md).
agency_id = st.selectbox(
    "Cơ quan",
    [c.agency_id for c in cards] + only_tasks,
    format_func=card_label,
    key="agency_detail",
)
card = next((c for c in cards if c.agency_id == agency_id), None)
counts = task_counts.loc[agency_id] if agency_id in task_counts.index else None
with st.container(border=True):
    if card and card.formerly:
        st.caption("Trước đây: " + "; ".join(card.formerly))
    narrative_ui.agency_latest(agency_id)
    if card:
        # the display frame of this agency's rows only (built row by row: the whole frame cost 0.3 s at 100×)
        cells = tables.agency_status_rows(as_of, horizon, filters.plan, filters.group, card.target_ids)
        tables.show(cells, key=f"card_{agency_id}")
    if counts is not None:
        own = task_links[task_links["agency_id"] == agency_id]
        named = sorted(set(own["agency_as_written"]))
        st.caption("Nhiệm vụ chủ trì (kế hoạch ghi: " + "; ".join(named) + ")")
        mine = tasks[tasks["task_id"].isin(own["task_id"])]
        tables.show(
            tables.task_rows(mine), key=f"card_tasks_{agency_id}", column_config=tables.TASK_COLUMN_CONFIG
        )
