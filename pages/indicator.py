"""Chỉ tiêu: one indicator over time, every target of every plan, the working and the history of values."""

from __future__ import annotations

import streamlit as st

from charts.indicator import indicator_figure
from metrics.conflicts import disagreements
from metrics.periods import quarter_label_vi
from metrics.status import required_path, working_sentence
from metrics.status_labels import status_badge
from metrics.tasks import COMPLETION_BASIS
from ui import data, frame, labels, tables
from ui.export_buttons import show_chart

frame.header("Chỉ tiêu", "Diễn biến một chỉ tiêu qua các kỳ, so với mọi mức chỉ tiêu của các kế hoạch.")
filters = frame.current_filters()
catalog = data.targets(None, filters.plan, filters.group, filters.agency)
if catalog.empty:
    st.info("Không có chỉ tiêu nào phù hợp bộ lọc.")
    st.stop()
names = catalog.drop_duplicates("indicator_id").set_index("indicator_id")["indicator_name"].to_dict()
left, right = st.columns([3, 2])
# Without a choice yet, open the indicator with the most targets (e.g. the digital economy: three horizons).
remembered = (
    st.session_state.get("_indicator") or st.query_params.get("chitieu") or catalog["indicator_id"].mode()[0]
)
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

rows = data.target_status(as_of, None, None, None, None)
rows = rows[rows["indicator_id"] == indicator_id].sort_values(["due_period", "plan_id"])
actuals = data.actuals(indicator_id)
actuals = actuals[actuals["period"].map(lambda p: p <= as_of)]
first = rows.iloc[0]

ahead = rows[(rows["due_period"] > as_of) & rows["comparator"].ne("text")]
focus = ahead.iloc[0] if not ahead.empty else None
all_actuals = data.actuals(None)
path = required_path(focus, rows, all_actuals, as_of) if focus is not None else []
projection = (
    (focus["due_period"], focus["projected_value"])
    if focus is not None
    and focus["projected_value"] == focus["projected_value"]
    and focus["projected_value"] is not None
    else None
)

later = rows[rows["horizon"] == "2045"]
until = None
if not later.empty and (rows["horizon"] != "2045").any():
    until = None if st.toggle("Hiện trục thời gian đến mốc 2045", key="indicator_2045") else "2031-Q1"
if first["direction"] in ("yes_no", "qualitative"):
    st.info(
        "Chỉ tiêu định tính hoặc có/không: Ban Chỉ đạo đánh giá thủ công (Đạt / Chưa đạt / Đang thực hiện), "
        "không vẽ biểu đồ. Các lần đánh giá nằm trong lịch sử số liệu bên dưới."
    )
else:
    figure = indicator_figure(
        first,
        rows,
        actuals,
        path,
        projection,
        as_of,
        frame.footer(rows["plan_name"].unique()),
        until=until,
        demo=frame.is_demo(),
        large=frame.presenting(),
    )
    show_chart(figure, f"nq57 chi tieu {indicator_id} {as_of}", key="indicator_chart")
if focus is not None and path:
    st.caption(
        f"Lộ trình và dự báo vẽ cho chỉ tiêu {labels.HORIZON_LABELS[focus['horizon']]} của "
        f"{focus['plan_name']} ({focus['source_ref']})."
    )

conflict = disagreements(rows)
for item in conflict.itertuples():
    levels = "; ".join(
        f"{r.plan_name}: {r.value_as_written}"
        for r in rows[rows["target_id"].isin(item.target_ids)].itertuples()
    )
    st.warning(
        f"Các kế hoạch đặt mức khác nhau cho cùng mốc {labels.HORIZON_LABELS[item.horizon]}: {levels}. "
        "Cả hai đều là chỉ tiêu thật của hai cơ quan ban hành khác nhau; trạng thái được tính riêng cho từng mức."
    )

if (
    indicator_id == COMPLETION_BASIS.indicator_id
):  # computed from task statuses, shown beside what is reported
    st.info(data.task_completion_text(as_of), icon=":material/calculate:")

st.subheader(f"Trạng thái từng chỉ tiêu · số liệu đến {quarter_label_vi(as_of)}")
for _, r in rows.iterrows():
    st.markdown(
        f"**{status_badge(r['status'])}** — {r['plan_name']}, mốc {labels.HORIZON_LABELS[r['horizon']]}: "
        f"{working_sentence(r, r['unit'])}"
    )

st.subheader("Nguyên văn các chỉ tiêu")
tables.wording_table(rows, key="indicator_wording")

st.subheader("Lịch sử số liệu")
history = data.history(indicator_id)
if history.empty:
    st.info("Chưa có số liệu thực hiện nào cho chỉ tiêu này.")
else:
    tables.history_table(history, first["unit"], key="indicator_history")
