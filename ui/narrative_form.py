"""The form on Chỉ tiêu where the secretariat types an assessment, causes and next steps for a period.

Shown only to a logged-in account that may upload (loaders.auth); written under the writer's lock and
audited as that account from this browser, like the upload page. What was typed is shown back with
st.text by the timeline, never as Markdown.
"""

from __future__ import annotations

import streamlit as st

from loaders import audit, auth
from loaders import narratives as store
from loaders.locking import DatabaseError
from metrics.narratives import INDICATOR, INDICATOR_FIELDS
from metrics.periods import quarter_label_vi
from ui import db, frame, login, reporting
from ui import narratives as narrative_ui

FORM_KEY = "narrative_form"
RESULT_KEY = "narrative_result"


def field_key(field: str) -> str:
    return f"narrative_{field}"


def _clear_reads() -> None:
    narrative_ui.clear_reads()
    reporting.classified.clear()  # "Thiếu giải trình" counts red values without an assessment and a cause
    reporting.clear_derived()  # and what is cached from it


def entry_form(indicator_id: str, period: str) -> None:
    """Đánh giá / Nguyên nhân / Giải pháp for the indicator and period; nothing for anyone else."""
    user = login.current_user()
    if user is None or not user.can(auth.ACTION_UPLOAD):
        return
    if RESULT_KEY in st.session_state:
        st.success(st.session_state.pop(RESULT_KEY))
    quarter = quarter_label_vi(period)
    with st.form(FORM_KEY, clear_on_submit=True):
        st.markdown(f"**Ghi đánh giá, nguyên nhân, giải pháp · {quarter}**")
        for field, label in INDICATOR_FIELDS.items():
            st.text_area(label, key=field_key(field), max_chars=store.MAX_TEXT, height=90)
        submitted = st.form_submit_button("Ghi", key="narrative_submit")
    if not submitted:
        return
    texts = {field: st.session_state.get(field_key(field), "") for field in INDICATOR_FIELDS}
    try:
        with audit.acting("app", account=user.name, client=login.client_id()), db.writing() as con:
            n = store.record(con, INDICATOR, indicator_id, period, texts, user.name)
    except store.NarrativeError as exc:
        st.error(str(exc))
        return
    except DatabaseError as exc:
        db.show_database_error(exc)
        return
    _clear_reads()
    st.session_state[RESULT_KEY] = (
        f"Đã ghi {n} nội dung cho {quarter}."
        if n
        else f"Nội dung giống nội dung đang có của {quarter}: không ghi thêm."
    )
    st.rerun()


ACTION_FORM_KEY = "action_form"


def action_form(indicator_id: str, period: str) -> None:
    """A corrective action for the indicator (what, which agency owns it, by when); secretariat only.

    It joins the pack's slide and leaves the list "Chỉ tiêu chưa đạt chưa có giải pháp"; its lateness
    follows the task rules (metrics.narratives.action_status)."""
    user = login.current_user()
    if user is None or not user.can(auth.ACTION_UPLOAD):
        return
    agencies = frame.agency_options()
    with st.form(ACTION_FORM_KEY, clear_on_submit=True):
        st.markdown(f"**Thêm giải pháp khắc phục · {quarter_label_vi(period)}**")
        st.text_input("Việc cần làm", key="action_title", max_chars=store.MAX_TEXT)
        st.selectbox("Cơ quan thực hiện", list(agencies), format_func=agencies.get, key="action_owner")
        st.date_input("Hạn hoàn thành", value=None, format="DD/MM/YYYY", key="action_due")
        submitted = st.form_submit_button("Thêm giải pháp", key="action_submit")
    if not submitted:
        return
    title = st.session_state.get("action_title", "")
    owner = st.session_state.get("action_owner")
    due = st.session_state.get("action_due")
    try:
        with audit.acting("app", account=user.name, client=login.client_id()), db.writing() as con:
            store.add_action(con, indicator_id, period, title, owner, due, user.name)
    except store.NarrativeError as exc:
        st.error(str(exc))
        return
    except DatabaseError as exc:
        db.show_database_error(exc)
        return
    _clear_reads()
    due_words = f", hạn {due:%d/%m/%Y}" if due else ""
    st.session_state[RESULT_KEY] = (
        f"Đã thêm giải pháp “{title.strip()}” cho {agencies.get(owner, owner)}{due_words}."
    )
    st.rerun()
