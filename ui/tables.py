"""Tables shared by pages: the status of targets with the working shown, in Vietnamese formats."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts import tables as charts_tables
from charts.vn import fmt_value, unit_decimals
from metrics import tasks as tasks_metrics
from metrics.periods import quarter_label_vi

status_rows = charts_tables.status_rows  # the page's status table, built in charts/ for pages and files
_period = charts_tables.period_text


def show(display: pd.DataFrame, key: str, column_config: dict | None = None) -> None:
    """A frame made by status_rows or task_rows (or a slice of one), drawn like the tables above."""
    st.dataframe(display, hide_index=True, width="stretch", key=key, column_config=column_config)


def status_table(rows: pd.DataFrame, key: str) -> None:
    out = status_rows(rows)
    if "unreviewed" in rows and rows["unreviewed"].any():  # counted only when the switch asks (ui/review.py)
        out["Duyệt"] = ["chưa duyệt" if flag else "" for flag in rows["unreviewed"].fillna(False)]
    st.dataframe(out, hide_index=True, width="stretch", key=key)


def wording_table(rows: pd.DataFrame, key: str) -> None:
    """Each target as printed beside how it was read, with its citation and corrections."""
    out = charts_tables.wording_rows(rows)
    st.dataframe(out, hide_index=True, width="stretch", key=key)


ORIGINS = {"published": "Số liệu công bố", "upload": "Tải lên", "demo": "Dữ liệu minh họa"}


def history_table(history: pd.DataFrame, unit: str, key: str) -> None:
    """Every revision of every period: who recorded it, when, from what file or source."""
    digits = unit_decimals(history["value"], [unit] * len(history)).get(unit or "")
    out = pd.DataFrame(
        {
            "Kỳ": history["period"].map(_period),
            "Giá trị": [
                "(đã rút lại)"
                if retracted
                else (text if isinstance(text, str) else fmt_value(value, unit, digits))
                for value, text, retracted in zip(
                    history["value"], history["value_text"], history["is_retraction"], strict=True
                )
            ],
            "Người ghi nhận": history["recorded_by"],
            "Thời điểm": history["recorded_at"].map(
                lambda t: t.strftime("%d/%m/%Y %H:%M") if pd.notna(t) else "–"
            ),
            "Nguồn": history["origin"].map(ORIGINS).fillna(history["origin"]),
            "Tệp / nguồn / minh chứng": history["source"],
            "Ghi chú": history["note"],
        }
    )
    st.dataframe(charts_tables.no_none(out), hide_index=True, width="stretch", key=key)


# ---------------------------------------------------------------- tasks

TASK_STATUS_LABELS = tasks_metrics.STATUS_LABELS


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if pd.notna(value) else ""


def _late_words(timing: str, days) -> str:
    """'✗ Quá hạn 45 ngày', '◆ Hoàn thành chậm 12 ngày', else the timing's badge."""
    if pd.isna(days) or not days:
        return tasks_metrics.timing_badge(timing)
    style = tasks_metrics.TIMING[timing]
    words = "Quá hạn" if timing == tasks_metrics.T_LATE else style.label
    return f"{style.symbol} {words} {int(days)} ngày"


def task_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per task, worst first: where it stands, what it is, who leads it, by when, on what evidence."""
    out = pd.DataFrame(
        {
            "Mã": rows["task_id"],
            "Tình trạng": [_late_words(t, d) for t, d in zip(rows["timing"], rows["days_late"], strict=True)],
            "Nhiệm vụ": rows["title"],
            "Cơ quan chủ trì (hiện nay)": rows["lead_agency"],
            "Hạn": rows["due_date"].map(_date),
            "Trạng thái báo cáo": rows["status"].map(TASK_STATUS_LABELS),
            "Ngày hoàn thành": rows["completed_on"].map(_date),
            "Minh chứng": rows["evidence"],
            "Ghi chú": rows["update_note"],
            "Kỳ báo cáo": rows["update_period"].map(
                lambda p: quarter_label_vi(p) if isinstance(p, str) else ""
            ),
            "Kế hoạch": rows["plan_name"],
            "Mục": rows["section"],
            "Thời hạn (như kế hoạch ghi)": rows["deadline_text"],
            "Cơ quan chủ trì (như kế hoạch ghi)": rows["lead_agency_as_written"],
        }
    )
    for column in ("Minh chứng", "Ghi chú", "Thời hạn (như kế hoạch ghi)"):
        out[column] = out[column].astype(object).where(out[column].notna(), "")
    return charts_tables.no_none(out)


TASK_COLUMN_CONFIG = {
    "Tình trạng": st.column_config.TextColumn(width="medium"),
    "Nhiệm vụ": st.column_config.TextColumn(width="large"),
    "Cơ quan chủ trì (hiện nay)": st.column_config.TextColumn(width="medium"),
}


def task_table(rows: pd.DataFrame, key: str) -> None:
    st.dataframe(task_rows(rows), hide_index=True, width="stretch", key=key, column_config=TASK_COLUMN_CONFIG)


def task_history_table(history: pd.DataFrame, key: str) -> None:
    """Every status update of one task: who, when, from what file, with its evidence."""
    out = pd.DataFrame(
        {
            "Kỳ": history["period"].map(_period),
            "Trạng thái": [
                "(đã rút lại)" if retracted else TASK_STATUS_LABELS.get(s, s)
                for s, retracted in zip(history["status"], history["is_retraction"], strict=True)
            ],
            "Ngày hoàn thành": history["completed_on"].map(_date),
            "Minh chứng": history["evidence"].astype(object).where(history["evidence"].notna(), ""),
            "Ghi chú": history["note"].astype(object).where(history["note"].notna(), ""),
            "Người ghi nhận": history["recorded_by"],
            "Thời điểm": history["recorded_at"].map(
                lambda t: t.strftime("%d/%m/%Y %H:%M") if pd.notna(t) else "–"
            ),
            "Nguồn": history["origin"].map(ORIGINS).fillna(history["origin"]),
            "Tệp": history["file_name"],
        }
    )
    st.dataframe(charts_tables.no_none(out), hide_index=True, width="stretch", key=key)
