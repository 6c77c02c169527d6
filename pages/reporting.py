"""Tình hình báo cáo: per agency, what it owes for a period, what arrived, on time or late, what is missing."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.vn import fmt_date, fmt_number
from loaders.reminder_mail import NOT_CONFIGURED
from metrics import clock
from metrics.periods import quarter_label_vi
from metrics.reporting import report_period
from ui import frame, reporting
from ui.export_buttons import show_chart

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLE_COLUMNS = {
    "agency_name": "Cơ quan",
    "n_owed": "Phải báo cáo",
    "n_received": "Đã nhận",
    "n_on_time": "Đúng hạn",
    "n_late": "Gửi muộn",
    "n_missing": "Chưa gửi, quá hạn",
    "n_pending": "Chưa đến hạn",
    "n_unexplained": "Thiếu giải trình",
    "max_days_late": "Chậm nhiều nhất (ngày)",
    "share_on_time": "Tỷ lệ đúng hạn (%)",
}

frame.header(
    "Tình hình báo cáo",
    "Mỗi cơ quan phải báo cáo gì trong kỳ, đã gửi gì, đúng hạn hay muộn, còn thiếu gì.",
)
today = clock.today()
calendar = reporting.calendar()
if calendar.empty:
    st.info(
        "Chưa có lịch báo cáo nào trong cơ sở dữ liệu: cần dựng lại danh mục (lịch báo cáo nằm trong danh mục)."
    )
    st.stop()
periods = calendar["period"].tolist()
period = st.selectbox(
    "Kỳ báo cáo",
    periods,
    index=periods.index(report_period(calendar, today)),
    format_func=quarter_label_vi,
    key="reporting_period",
)
cal = calendar.set_index("period").loc[period]
st.caption(
    f"{cal['report_name']} {quarter_label_vi(period)} · chốt số liệu {fmt_date(cal['cutoff_start'])} – "
    f"{fmt_date(cal['cutoff_end'])} · hạn các cơ quan gửi Sở KH&CN: **{fmt_date(cal['agency_deadline'])}** · "
    f"hạn báo cáo của tỉnh: {fmt_date(cal['province_deadline'])} · tính đến hôm nay {fmt_date(today)}. "
    "Lịch báo cáo theo Nghị định 09/2019/NĐ-CP; Văn phòng thường trực sửa ở trang Duyệt số liệu."
)

summary = reporting.summary(today, period)
if summary.empty:
    st.info("Kỳ này không cơ quan nào có chỉ tiêu hay nhiệm vụ phải báo cáo.")
    st.stop()
owed, received = int(summary["n_owed"].sum()), int(summary["n_received"].sum())
tiles = (
    ("Phải báo cáo", owed),
    ("Đã nhận", received),
    ("Đúng hạn", int(summary["n_on_time"].sum())),
    ("Chưa gửi, quá hạn", int(summary["n_missing"].sum())),
)
for column, (label, count) in zip(st.columns(4), tiles, strict=True):
    column.metric(label, count, border=True)
if received == 0:
    st.info(f"Chưa nhận được số liệu nào của {quarter_label_vi(period)} từ các cơ quan.")

label = quarter_label_vi(period)
figure = reporting.figure(today, period, frame.is_demo(), frame.presenting())
show_chart(figure, f"nq57 tinh hinh bao cao {period}", key="reporting_chart")

st.subheader(f"Theo cơ quan · {label} · chậm nhiều nhất trước")
table = summary[list(TABLE_COLUMNS)].assign(share_on_time=(100 * summary["share_on_time"]).round(0))
st.dataframe(
    table.rename(columns=TABLE_COLUMNS),
    hide_index=True,
    width="stretch",
    key="reporting_table",
    column_config={"Tỷ lệ đúng hạn (%)": st.column_config.NumberColumn(format="%.0f")},
)

rate = reporting.province_rate(today)
closed = rate[rate["closed"]]
if not closed.empty:
    st.subheader("Tỷ lệ báo cáo của tỉnh qua các kỳ đã hết hạn")
    st.dataframe(
        pd.DataFrame(
            {
                "Kỳ": closed["period"].map(quarter_label_vi),
                "Phải báo cáo": closed["n_owed"],
                "Đã nhận": closed["n_received"],
                "Đúng hạn": closed["n_on_time"],
                "Tỷ lệ đúng hạn": [fmt_number(100 * s, 1) + "%" for s in closed["share_on_time"]],
            }
        ),
        hide_index=True,
        key="reporting_rate_table",
    )

st.subheader("Đôn đốc")
late_agencies = summary[summary["n_owed"] > summary["n_received"]]
if late_agencies.empty:
    st.success(f"Mọi cơ quan đã gửi đủ số liệu {label}.")
    st.stop()
names = dict(zip(late_agencies["agency_id"], late_agencies["agency_name"], strict=True))
agency_id = st.selectbox("Cơ quan còn thiếu", list(names), format_func=names.get, key="reporting_agency")
files = reporting.reminder_files(period, today, agency_id)
with st.container(horizontal=True, key="reporting_reminder_files"):
    for name, data in files.items():
        st.download_button(
            "Tải công văn đôn đốc (.docx)" if name.endswith(".docx") else "Tải mẫu Excel các dòng còn thiếu",
            data=data,
            file_name=name,
            mime=DOCX_MIME if name.endswith(".docx") else XLSX_MIME,
            key=f"reporting_{name.rsplit('.', 1)[1]}",
            icon=":material/download:",
            on_click="ignore",
        )
if reporting.mail_settings() is None:
    st.caption(NOT_CONFIGURED)
else:
    st.caption("Máy chủ thư đã cấu hình: công văn đôn đốc được gửi theo lịch của Văn phòng thường trực.")
