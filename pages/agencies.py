"""Theo cơ quan: one scorecard per current agency (targets and tasks), and the agencies compared."""

from __future__ import annotations

import streamlit as st

from charts.agencies import agencies_figure
from metrics import tasks as mt
from metrics.agencies import agency_scorecards
from metrics.periods import quarter_label_vi
from ui import data, frame, labels, tables
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
links = data.target_agencies()
links = links[links["target_id"].isin(rows["target_id"])]
task_links = data.task_links()
tasks = mt.filter_tasks(data.task_status(as_of), task_links, plan=filters.plan)
if filters.agency:
    links = links[links["agency_id"] == filters.agency]
    task_links = task_links[task_links["agency_id"] == filters.agency]
task_links = mt.lead_links(task_links[task_links["task_id"].isin(tasks["task_id"])])
if links.empty and task_links.empty:
    st.info("Không có chỉ tiêu hay nhiệm vụ nào phù hợp bộ lọc.")
    st.stop()

if not links.empty:
    figure = agencies_figure(
        rows,
        links,
        horizon,
        as_of,
        frame.footer(rows["plan_name"].unique()),
        agency=filters.agency,
        scope=frame.filter_scope(filters),
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
# The display frames are built once and sliced per card: building them per card cost ~25 × 2 fixed pandas
# overheads a run (docs/performance.md). status_rows keeps the index of `rows`, task_rows that of `tasks`.
status_view = tables.status_rows(rows)
status_target = rows.loc[status_view.index, "target_id"]
task_view = tables.task_rows(tasks)
for agency_id in [c.agency_id for c in cards] + only_tasks:
    card = next((c for c in cards if c.agency_id == agency_id), None)
    counts = task_counts.loc[agency_id] if agency_id in task_counts.index else None
    name = card.title if card else f"{counts['agency_name']} — không chủ trì chỉ tiêu"
    if counts is not None:
        late = f", {int(counts['n_late'])} quá hạn" if counts["n_late"] else ""
        name += f" · {int(counts['n_tasks'])} nhiệm vụ, {int(counts['n_completed'])} hoàn thành{late}"
    with st.expander(name, expanded=filters.agency is not None):
        if card and card.formerly:
            st.caption("Trước đây: " + "; ".join(card.formerly))
        if card:
            mine = status_target.isin(card.target_ids).to_numpy()
            tables.show(status_view[mine], key=f"card_{agency_id}")
        if counts is not None:
            own = task_links[task_links["agency_id"] == agency_id]
            named = sorted(set(own["agency_as_written"]))
            st.caption("Nhiệm vụ chủ trì (kế hoạch ghi: " + "; ".join(named) + ")")
            mine = tasks["task_id"].isin(own["task_id"]).to_numpy()
            tables.show(
                task_view[mine], key=f"card_tasks_{agency_id}", column_config=tables.TASK_COLUMN_CONFIG
            )
