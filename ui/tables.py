"""Tables shared by pages: the status of targets with the working shown, in Vietnamese formats."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts import tables as charts_tables
from charts.vn import fmt_value, unit_decimals
from metrics import tasks as tasks_metrics
from metrics.conflicts import disagreements
from metrics.periods import quarter_label_vi
from metrics.status import working_sentence
from metrics.status_labels import status_badge
from ui import data, figures, labels

status_rows = charts_tables.status_rows  # the page's status table, built in charts/ for pages and files
_period = charts_tables.period_text


def show(display: pd.DataFrame, key: str, column_config: dict | None = None) -> None:
    """A frame made by status_rows or task_rows (or a slice of one), drawn like the tables above."""
    st.dataframe(display, hide_index=True, width="stretch", key=key, column_config=column_config)


def status_display(rows: pd.DataFrame) -> pd.DataFrame:
    out = status_rows(rows)
    if "unreviewed" in rows and rows["unreviewed"].any():  # counted only when the switch asks (ui/review.py)
        out["Duyệt"] = ["chưa duyệt" if flag else "" for flag in rows["unreviewed"].fillna(False)]
    return out


def status_table(rows: pd.DataFrame, key: str) -> None:
    st.dataframe(status_display(rows), hide_index=True, width="stretch", key=key)


# Display frames cached by the plain inputs of the rows they show (status_rows and working_sentence go row
# by row: 0.3 s a run at 100×, docs/performance.md). Like ui.figures, the sidebar's review switch is part of
# each key, and st.cache_data hands every caller its own copy.
TTL = 600


def status_table_for(as_of, horizon, plan, group, agency, key: str) -> None:
    """status_table of data.target_status(as_of, horizon, plan, group, agency), its frame cached."""
    frame_ = _status_display(as_of, horizon, plan, group, agency, data.include_unreviewed())
    st.dataframe(frame_, hide_index=True, width="stretch", key=key)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def _status_display(as_of, horizon, plan, group, agency, unreviewed: bool) -> pd.DataFrame:
    return status_display(data.target_status(as_of, horizon, plan, group, agency, unreviewed))


def indicator_lines(as_of: str, indicator_id: str) -> list[str]:
    """The Chỉ tiêu page's sentence per target (Markdown): badge, plan, horizon, the working shown."""
    return _indicator_lines(as_of, indicator_id, data.include_unreviewed())


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _indicator_lines(as_of, indicator_id, unreviewed: bool) -> list[str]:
    rows = figures._indicator_view(as_of, indicator_id, unreviewed).targets
    return [
        f"**{status_badge(r['status'])}** — {r['plan_name']}, {labels.horizon_scope(r['horizon'])}: "
        f"{working_sentence(r, r['unit'])}"
        for _, r in rows.iterrows()
    ]


def indicator_conflicts(as_of: str, indicator_id: str) -> list[str]:
    """The Chỉ tiêu page's warnings where two plans set different levels for one horizon (Markdown)."""
    return _indicator_conflicts(as_of, indicator_id, data.include_unreviewed())


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _indicator_conflicts(as_of, indicator_id, unreviewed: bool) -> list[str]:
    rows = figures._indicator_view(as_of, indicator_id, unreviewed).targets
    warnings = []
    for item in disagreements(rows).itertuples():
        levels = "; ".join(
            f"{r.plan_name}: {r.value_as_written}"
            for r in rows[rows["target_id"].isin(item.target_ids)].itertuples()
        )
        warnings.append(
            f"Các kế hoạch đặt mức khác nhau cho cùng {labels.horizon_scope(item.horizon)}: {levels}. "
            "Cả hai đều là chỉ tiêu thật của hai cơ quan ban hành khác nhau; trạng thái được tính riêng cho từng mức."
        )
    return warnings


def indicator_wording_table(as_of: str, indicator_id: str, key: str) -> None:
    """wording_table of the indicator's targets (ui.figures.indicator_view), its frame cached."""
    out = _wording_rows(as_of, indicator_id, data.include_unreviewed())
    st.dataframe(out, hide_index=True, width="stretch", key=key)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _wording_rows(as_of, indicator_id, unreviewed: bool) -> pd.DataFrame:
    return wording_rows(figures._indicator_view(as_of, indicator_id, unreviewed).targets)


def wording_table(rows: pd.DataFrame, key: str) -> None:
    """Each target as printed beside how it was read, with its citation and corrections."""
    st.dataframe(wording_rows(rows), hide_index=True, width="stretch", key=key)


wording_rows = charts_tables.wording_rows  # restored OCR wording beside the printed one, no None


ORIGINS = {"published": "Số liệu công bố", "upload": "Tải lên", "demo": "Dữ liệu minh họa"}


def history_table(history: pd.DataFrame, unit: str, key: str) -> None:
    """Every revision of every period: who recorded it, when, from what file or source."""
    st.dataframe(history_rows(history, unit), hide_index=True, width="stretch", key=key)


def indicator_history_table(indicator_id: str, unit: str, key: str) -> None:
    """history_table of data.history(indicator_id), its frame cached."""
    st.dataframe(_history_rows(indicator_id, unit), hide_index=True, width="stretch", key=key)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _history_rows(indicator_id: str, unit: str) -> pd.DataFrame:
    return history_rows(data.history(indicator_id), unit)


def history_rows(history: pd.DataFrame, unit: str) -> pd.DataFrame:
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
    return charts_tables.no_none(out)


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


def task_table_for(as_of, plan, agency, key: str, section=None, statuses=(), late_only=False) -> None:
    """task_table of the page Nhiệm vụ's tasks under these filters (ui.figures.task_scope), frame cached."""
    out = _task_display(as_of, plan, agency, section, tuple(statuses), late_only)
    st.dataframe(out, hide_index=True, width="stretch", key=key, column_config=TASK_COLUMN_CONFIG)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _task_display(as_of, plan, agency, section, statuses: tuple, late_only: bool) -> pd.DataFrame:
    scope = figures.task_scope(as_of, plan, agency)
    shown = tasks_metrics.filter_tasks(
        scope, data.task_links(), section=section, statuses=list(statuses), late_only=late_only
    )
    return task_rows(shown)


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
