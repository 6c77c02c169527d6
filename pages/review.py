"""Duyệt số liệu: the secretariat accepts or returns what agencies sent, and locks a period once reported."""

from __future__ import annotations

import streamlit as st

from loaders import audit, auth, period_locks, review
from loaders.locking import DatabaseError
from loaders.upload_store import UploadError
from metrics.periods import quarter_label_vi
from ui import calendar_edit, db, frame, login
from ui import reporting as reporting_ui
from ui import review as review_ui
from ui.data import _run

frame.header(
    "Duyệt số liệu",
    "Văn phòng thường trực duyệt hoặc trả lại số liệu các cơ quan đã gửi, và khóa kỳ khi tỉnh đã gửi báo cáo.",
)
user = login.require_login()
if user is None or not user.can(auth.ACTION_REVIEW):
    st.info("Cần đăng nhập tài khoản Văn phòng thường trực để duyệt số liệu và khóa kỳ.")
    st.stop()

if "review_result" in st.session_state:
    st.success(st.session_state.pop("review_result"))


def _write(work) -> None:
    """One decision under the writer's lock, audited; a refusal (locked period, no comment) is shown."""
    try:
        with audit.acting("app", account=user.name, client=login.client_id()), db.writing() as con:
            message = work(con)
    except UploadError as exc:
        st.error(str(exc))
        return
    except DatabaseError as exc:
        db.show_database_error(exc)
        st.stop()
    db.after_write()
    st.session_state["review_result"] = message
    st.rerun()


periods = list(reporting_ui.calendar()["period"])
period = st.selectbox("Kỳ báo cáo", periods[::-1], format_func=quarter_label_vi, key="review_period")
state = _run(period_locks.lock_state, period)

# ---------------------------------------------------------------- submissions
st.subheader("1. Các lần gửi của kỳ")
subs = _run(review.submissions, None, period)
if subs.empty:
    st.caption(f"Chưa có lần gửi nào cho kỳ {quarter_label_vi(period)}.")
else:
    waiting = int(subs["state"].eq(review.PENDING).sum())
    st.caption(f"{waiting} lần gửi đang chờ duyệt, {len(subs)} lần gửi trong kỳ.")
    st.dataframe(review_ui.submissions_display(subs), hide_index=True, key="review_submissions")
    labels = {
        int(
            r["upload_id"]
        ): f"#{int(r['upload_id'])} · {r['agency_name'] or 'Tất cả cơ quan'} · {r['state_label']}"
        for r in subs.to_dict("records")
    }
    chosen = st.selectbox("Lần gửi", list(labels), format_func=labels.get, key="review_submission")
    items = _run(review.items_of, chosen)
    st.dataframe(review_ui.items_display(items), hide_index=True, key="review_items")
    keys = [f"{k}|{i}" for k, i in zip(items["item_kind"], items["item_id"], strict=True)]
    item = st.selectbox(
        "Giá trị (để trống: cả lần gửi)",
        [None, *keys],
        key="review_item",
        format_func=lambda k: "Cả lần gửi" if k is None else k.split("|", 1)[1],
    )
    comment = st.text_input("Ý kiến (bắt buộc khi trả lại; cơ quan sẽ thấy)", key="review_comment")
    kind, item_id = item.split("|", 1) if item else (None, None)
    left, right = st.columns(2)
    if left.button("Duyệt", key="review_accept", type="primary", disabled=state is not None):
        _write(lambda con: review.accept(con, chosen, user.name, kind, item_id, comment or None))
    if right.button("Trả lại", key="review_return", disabled=state is not None):
        _write(lambda con: review.return_back(con, chosen, user.name, comment, kind, item_id))

# ---------------------------------------------------------------- lock
st.subheader("2. Khóa kỳ")
if state is None:
    st.caption(f"Kỳ {quarter_label_vi(period)} đang mở: các cơ quan còn gửi và sửa được số liệu.")
    reason = st.text_input("Ghi chú khi khóa (ví dụ số văn bản báo cáo của tỉnh)", key="lock_reason")
    if st.button("Khóa kỳ", key="lock_button", type="primary"):
        _write(lambda con: period_locks.lock(con, period, user.name, reason))
else:
    st.warning(_run(period_locks.refusal, period))
    reason = st.text_input("Lý do mở khóa (bắt buộc)", key="unlock_reason")
    if st.button("Mở khóa kỳ", key="unlock_button"):
        _write(lambda con: period_locks.unlock(con, period, user.name, reason))
history = _run(period_locks.history, period)
if not history.empty:
    st.dataframe(review_ui.lock_display(history), hide_index=True, key="lock_history")

# ---------------------------------------------------------------- calendar
st.subheader("3. Lịch báo cáo của kỳ")
calendar_edit.section(period, user.name, _write)
