"""Xuất báo cáo: the briefing pack (PDF, PowerPoint) and the periodic report (Excel), in one click each."""

from __future__ import annotations

import streamlit as st

from exports import images
from metrics.periods import quarter_label_vi
from ui import export_buttons, frame, labels

frame.header(
    "Xuất báo cáo",
    "Tệp cho giao ban và cho báo cáo định kỳ gửi Ban Chỉ đạo, lập từ cùng số liệu và cùng cách tính như các trang.",
)
filters = frame.current_filters()
left, right = st.columns([3, 2])
horizon = frame.horizon_picker(left)
as_of = frame.as_of_picker(right)
agencies = frame.agency_options()
choices = [labels.ALL, *agencies]
agency = st.selectbox(
    labels.FILTER_AGENCY,
    choices,
    index=choices.index(filters.agency) if filters.agency in agencies else 0,
    format_func=lambda a: "Tất cả cơ quan" if a == labels.ALL else agencies[a],
    key="export_agency",
)
agency = None if agency == labels.ALL else agency
period = quarter_label_vi(as_of)

st.subheader("Bộ tài liệu giao ban")
st.markdown(
    f"PDF và PowerPoint cho mốc **{labels.HORIZON_LABELS[horizon]}**, số liệu đến **{period}**: trang bìa, "
    "các ô tổng hợp và biểu đồ tổng quan, bảng điểm từng cơ quan chủ trì, các chỉ tiêu không đạt, chậm tiến độ "
    "hoặc có nguy cơ, các nhiệm vụ đến hạn, và nguồn số liệu."
)
export_buttons.warm_up_images()
export_buttons.pack_buttons(horizon, as_of, agency)

st.subheader("Báo cáo định kỳ (Excel)")
st.markdown(
    "Theo mẫu Ban Chỉ đạo: từng chỉ tiêu (mức chỉ tiêu, số liệu mới nhất, trạng thái, minh chứng), từng nhiệm vụ "
    "(tình trạng, minh chứng), ngày cập nhật số liệu và trích dẫn kế hoạch. Mọi mốc chỉ tiêu."
)
reports = export_buttons.report_choices(as_of)
report = st.selectbox("Loại báo cáo", list(reports), format_func=reports.get, key="export_report_kind")
export_buttons.report_button(as_of, report, agency)

st.subheader("Ảnh biểu đồ")
reason = images.unavailable_reason()
if reason:
    st.warning(reason, icon="🖼️")
else:
    st.markdown(
        "Dưới mỗi biểu đồ trên các trang có nút **Tải PNG** (rộng 3.840 điểm ảnh) và **Tải SVG**: ảnh có đủ "
        "tiêu đề, kỳ số liệu, đơn vị và dòng nguồn như trên màn hình."
    )
