"""Chỉ tiêu: one indicator over time, every target of every plan, the working and the history of values."""

from __future__ import annotations

import streamlit as st

from metrics.periods import quarter_label_vi
from metrics.task_completion import COMPLETION_BASIS
from ui import catalog_tables, data, figures, frame, labels, narrative_form, tables, task_page
from ui import narratives as narrative_ui
from ui.export_buttons import show_chart

frame.header("Chỉ tiêu", "Diễn biến một chỉ tiêu qua các kỳ, so với mọi mức chỉ tiêu của các kế hoạch.")
filters = frame.current_filters()
names, most_targets = catalog_tables.indicator_choices(filters.plan, filters.group, filters.agency)
if not names:
    st.info("Không có chỉ tiêu nào phù hợp bộ lọc.")
    st.stop()
left, right = st.columns([3, 2])
# Without a choice yet, open the indicator with the most targets (e.g. the digital economy: three horizons).
remembered = st.session_state.get("_indicator") or st.query_params.get("chitieu") or most_targets
if frame.presenting():  # projected: the indicator comes from the link or the last choice, no controls
    indicator_id = remembered if remembered in names else next(iter(names))
    st.subheader(f"{indicator_id} — {names[indicator_id]}")
else:
    indicator_id = left.selectbox(
        "Chọn chỉ tiêu (gõ mã hoặc tên để tìm)",
        list(names),
        key="indicator",
        index=list(names).index(remembered) if remembered in names else 0,
        format_func=lambda i: f"{i} — {names[i]}",
    )
st.session_state["_indicator"] = indicator_id
st.query_params["chitieu"] = indicator_id
as_of = frame.as_of_picker(right)

view = figures.indicator_view(as_of, indicator_id)
first, focus = view.indicator, view.focus

whole_axis = view.spans_2045 and (
    bool(st.session_state.get("indicator_2045"))
    if frame.presenting()
    else st.toggle("Hiện trục thời gian đến mốc 2045", key="indicator_2045")
)
# Projected, the chart takes the page's width and the notes go under it: larger text needs the room.
# The chart keeps the page's full width (its titles wrap for the 820 px a 1280 px screen gives it); the why
# and the what-next sit right under it, side by side.
with st.container():
    if not view.drawable:
        st.info(labels.MANUAL_CHART_NOTE)
    else:
        figure = figures.indicator(as_of, indicator_id, whole_axis, frame.is_demo(), frame.presenting())
        show_chart(figure, f"nq57 chi tieu {indicator_id} {as_of}", key="indicator_chart")
        if not view.has_values:
            st.info(labels.no_values_note(as_of))
why_column, done_column = (st.container(), st.container()) if frame.presenting() else st.columns(2)
with why_column:
    narrative_ui.indicator_timeline(indicator_id)
    narrative_form.entry_form(indicator_id, as_of)  # only for an account that may upload
with done_column:
    narrative_ui.indicator_actions(indicator_id, as_of)
    narrative_form.action_form(indicator_id, as_of)
if focus is not None and view.path:
    st.caption(
        f"Lộ trình và dự báo vẽ cho chỉ tiêu {labels.HORIZON_LABELS[focus['horizon']]} của "
        f"{focus['plan_name']} ({focus['source_ref']})."
    )

for warning in tables.indicator_conflicts(as_of, indicator_id):
    st.warning(warning)

if (
    indicator_id == COMPLETION_BASIS.indicator_id
):  # computed from task statuses, shown beside what is reported
    st.info(task_page.completion_text(as_of), icon=":material/calculate:")

st.subheader(f"Trạng thái từng chỉ tiêu · số liệu đến {quarter_label_vi(as_of)}")
for line in tables.indicator_lines(as_of, indicator_id):
    frame.say(line)

st.subheader("Nguyên văn các chỉ tiêu")
tables.indicator_wording_table(as_of, indicator_id, key="indicator_wording")

st.subheader("Lịch sử số liệu")
if data.history(indicator_id).empty:
    st.info("Chưa có số liệu thực hiện nào cho chỉ tiêu này.")
else:
    tables.indicator_history_table(indicator_id, first["unit"], key="indicator_history")
