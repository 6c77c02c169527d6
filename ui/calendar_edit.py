"""The secretariat's form for one period's reporting dates (on Duyệt số liệu) and the log of earlier edits.
The write itself is loaders.calendar_edit; the page hands in its audited writer."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from loaders import calendar_edit, db
from metrics.periods import quarter_label_vi
from ui import reporting as reporting_ui

LOG_HEADERS = {
    "edited_at": "Thời điểm",
    "account": "Người sửa",
    "column": "Ngày",
    "old_value": "Cũ",
    "new_value": "Mới",
    "reason": "Lý do",
}


def section(period: str, account: str, write: Callable) -> None:
    """Four dates, a reason and a button; write(work) runs work(connection) and reports its message."""
    calendar = reporting_ui.calendar().set_index("period")
    if period not in calendar.index:
        st.caption(f"Kỳ {quarter_label_vi(period)} không có trong lịch báo cáo.")
        return
    row = calendar.loc[period]
    st.caption(
        f"Lịch {quarter_label_vi(period)} "
        + ("đã sửa tay (lệnh sinh lịch giữ nguyên)." if row["edited"] else "theo mặc định Nghị định 09/2019.")
    )
    columns = st.columns(4)
    # The period in the key: another period shows its own dates, not the ones typed for this one.
    days = {
        column: columns[i].date_input(
            label, value=row[column], format="DD/MM/YYYY", key=f"calendar_{period}_{column}"
        )
        for i, (column, label) in enumerate(calendar_edit.DATE_LABELS.items())
    }
    reason = st.text_input("Lý do sửa lịch (bắt buộc, ví dụ số văn bản)", key="calendar_reason")
    if st.button("Lưu lịch", key="calendar_save"):
        folder = db.data_dir()
        write(lambda con: calendar_edit.edit_period(con, folder, period, days, account, reason))
    log = calendar_edit.edit_log(db.data_dir(), period)
    if log:
        frame = pd.DataFrame(log)[list(LOG_HEADERS)]
        frame["column"] = frame["column"].map(calendar_edit.DATE_LABELS)
        st.dataframe(frame.rename(columns=LOG_HEADERS), hide_index=True, key="calendar_log")
