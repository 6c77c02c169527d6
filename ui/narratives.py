"""Narratives on the pages: the timeline of an indicator, the latest difficulties and proposals of an agency.

Every text came from a person: it is shown with st.text (never Markdown or HTML), so '**', '<b>' or a
link reads exactly as typed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders import narratives as store
from metrics import tasks as tasks_metrics
from metrics.narratives import (
    AGENCY,
    AGENCY_FIELDS,
    INDICATOR,
    NONE_YET,
    NONE_YET_AGENCY,
    action_status,
    latest_by_field,
    timeline,
)
from metrics.periods import quarter_label_vi
from metrics.status_labels import status_badge
from ui import frame
from ui.db import run_read

RED_WITHOUT_ACTION_TITLE = "Chỉ tiêu chưa đạt chưa có giải pháp"


@st.cache_data(show_spinner=False, ttl=600, max_entries=64)
def _history(kind: str, subject_id: str) -> pd.DataFrame:
    return run_read(store.history, kind, subject_id)


@st.cache_data(show_spinner=False, ttl=600)
def _latest(kind: str) -> pd.DataFrame:
    return run_read(store.latest, kind)


def indicator_timeline(indicator_id: str) -> None:
    """Assessment, causes and next steps of every period, latest first, with who and when."""
    st.markdown("**Đánh giá, nguyên nhân, giải pháp**")
    items = timeline(_history(INDICATOR, indicator_id))
    if not items:
        st.text(NONE_YET)
        return
    for item in items:
        gone = " (đã hoàn tác)" if item["reverted"] else ""
        st.caption(f"{item['period_label']} · {item['field_label']}{gone}")
        st.text(item["text"])
        st.caption(f"{item['by']}, {item['at']} ({item['source']})")


@st.cache_data(show_spinner=False, ttl=600, max_entries=64)
def _actions(indicator_id: str, as_of: str) -> pd.DataFrame:
    actions, updates = run_read(store.actions_of, indicator_id)
    return action_status(actions, updates, as_of)


def indicator_actions(indicator_id: str, as_of: str) -> None:
    """What is being done: the corrective actions decided by `as_of`, with owner, due date and timing."""
    rows = _actions(indicator_id, as_of)
    st.markdown("**Giải pháp khắc phục**")
    if rows.empty:
        st.text("Chưa có giải pháp khắc phục nào.")
        return
    names = frame.agency_options()
    for r in rows.to_dict("records"):
        due = f", hạn {r['due_date']:%d/%m/%Y}" if pd.notna(r["due_date"]) else ""
        st.text(f"{r['title']} — {names.get(r['owner_agency_id'], r['owner_agency_id'])}{due}")
        st.caption(f"{tasks_metrics.timing_badge(r['timing'])} · {quarter_label_vi(r['period'])}")


def agency_latest(agency_id: str) -> None:
    """The latest difficulties and proposals an agency reported (with their period)."""
    latest = _latest(AGENCY)
    mine = latest[latest["subject_id"] == agency_id] if not latest.empty else latest
    texts = latest_by_field(mine, AGENCY_FIELDS)
    if not any(texts.values()):
        st.caption(NONE_YET_AGENCY)
        return
    for label, text in texts.items():
        st.caption(label)
        st.text(text or "—")


@st.cache_data(show_spinner=False, ttl=600, max_entries=16)
def _red_without_action(period: str) -> pd.DataFrame:
    return run_read(store.red_without_action, period)


def red_without_action_list(period: str) -> None:
    """For the Steering Committee: targets at risk, off track or not met with no corrective action decided."""
    st.subheader(RED_WITHOUT_ACTION_TITLE)
    rows, table = _red_without_action_table(period)
    quarter = quarter_label_vi(period)
    if rows.empty:
        st.caption(
            f"Tính đến {quarter}, không có chỉ tiêu có nguy cơ, chậm tiến độ hoặc không đạt nào chưa có giải pháp."
        )
        return
    st.caption(
        f"Tính đến {quarter}: {len(rows)} chỉ tiêu có nguy cơ, chậm tiến độ hoặc không đạt chưa có giải pháp "
        "khắc phục nào được ghi (cơ quan chủ trì ghi giải pháp trên trang Chỉ tiêu hoặc trong biểu mẫu)."
    )
    st.dataframe(table, hide_index=True, key="red_without_action_table")


@st.cache_data(show_spinner=False, ttl=600, max_entries=16)
def _red_without_action_table(period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The red-without-action rows and their display frame, built once per period."""
    rows = _red_without_action(period)
    table = pd.DataFrame(
        {
            "Chỉ tiêu": rows["indicator_name"],
            "Mã chỉ tiêu": rows["target_id"],
            "Trạng thái": rows["status"].map(status_badge),
        }
    )
    return rows, table


def clear_reads() -> None:
    """After a text is written on a page: the timeline, the latest texts and the red lists read anew."""
    _history.clear()
    _latest.clear()
    _red_without_action.clear()
    _red_without_action_table.clear()
    _actions.clear()
