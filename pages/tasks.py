"""Nhiệm vụ: the plans' tasks as of a period: what is done, what is late, by agency, by due date, with evidence."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from metrics import tasks as mt
from metrics.periods import quarter_label_vi
from ui import data, figures, frame, labels, tables, task_page
from ui.export_buttons import show_chart

frame.header(
    "Nhiệm vụ",
    "Nhiệm vụ tại Phụ lục II các kế hoạch: cơ quan chủ trì, thời hạn, đã hoàn thành chưa, việc nào chậm. "
    "Cơ quan đã hợp nhất được tính vào cơ quan kế thừa.",
)
filters = frame.current_filters()
left, right = st.columns([3, 2])
as_of = frame.as_of_picker(right)
period = quarter_label_vi(as_of)
last_day = mt.cutoff(as_of) - timedelta(days=1)
if not frame.presenting():
    left.caption(
        f"Tình trạng và quá hạn tính theo kỳ {period} (Số liệu đến), hết ngày {last_day:%d/%m/%Y}: "
        "quá hạn là đã qua hạn mà chưa hoàn thành. "
        "Nhiệm vụ thường xuyên được đánh giá theo từng kỳ; nhiệm vụ chờ hướng dẫn của cấp trên không tính quá hạn."
    )

st.info(task_page.completion_text(as_of), icon=":material/calculate:")
scope = task_page.scope(as_of, filters.plan, filters.agency)
if not scope.size:
    st.info("Không có nhiệm vụ nào phù hợp bộ lọc.")
    st.stop()

tiles = scope.tiles
for row in (tiles[:3], tiles[3:]):
    for column, (tile, count) in zip(st.columns(3), row, strict=True):
        column.metric(tile.label, count, help=tile.help, border=True)

agency_chart = figures.task_agency(as_of, filters.plan, filters.agency, frame.is_demo(), frame.presenting())
show_chart(agency_chart, f"nq57 nhiem vu theo co quan {as_of}", key="tasks_agency_chart")
due_chart = figures.task_due(as_of, filters.plan, filters.agency, frame.is_demo(), frame.presenting())
show_chart(due_chart, f"nq57 han nhiem vu {as_of}", key="tasks_due_chart")

if frame.presenting():  # a meeting needs the late tasks, not the controls
    st.subheader(f"Nhiệm vụ quá hạn / chậm tiến độ · đến {period}")
    tables.task_table_for(as_of, filters.plan, filters.agency, key="tasks_table", late_only=True)
    st.stop()

st.subheader(f"Danh sách nhiệm vụ · tình trạng đến {period}")
a, b, c = st.columns([3, 3, 2], vertical_alignment="bottom")
section = a.selectbox(
    "Mục",
    [labels.ALL, *scope.sections],
    key="tasks_section",
    format_func=lambda s: s if len(s) < 90 else s[:88] + "…",
)
statuses = b.multiselect(
    "Trạng thái báo cáo",
    list(mt.STATUS_LABELS),
    key="tasks_status",
    format_func=mt.STATUS_LABELS.get,
    placeholder="Mọi trạng thái",
)
late_only = c.toggle("Chỉ việc quá hạn", key="tasks_late")
section = None if section == labels.ALL else section
titles = task_page.shown_titles(as_of, filters.plan, filters.agency, section, tuple(statuses), late_only)
st.caption(f"{len(titles)}/{scope.size} nhiệm vụ. Bảng xếp việc quá hạn lên đầu.")
tables.task_table_for(
    as_of,
    filters.plan,
    filters.agency,
    key="tasks_table",
    section=section,
    statuses=statuses,
    late_only=late_only,
)

st.subheader("Lịch sử cập nhật và minh chứng của một nhiệm vụ")
if not titles:
    st.caption("Không có nhiệm vụ nào trong bảng.")
    st.stop()
task_id = st.selectbox(
    "Chọn nhiệm vụ",
    list(titles),
    key="tasks_pick",
    format_func=lambda t: f"{t} — {titles[t][:110]}",
)
row = task_page.task(as_of, filters.plan, filters.agency, task_id)
frame.say(f"**{mt.timing_badge(row['timing'])}** · {row['plan_name']}, mục {row['section']}")
deadline = row["deadline_text"] if isinstance(row["deadline_text"], str) else "không ghi"
st.text(f"{row['title']}\nChủ trì: {row['lead_agency']} · Thời hạn: {deadline}")
history = data.task_history(task_id)
if history.empty:
    st.caption("Chưa có cập nhật trạng thái nào cho nhiệm vụ này.")
else:
    tables.task_history_table(history, key="tasks_history")
