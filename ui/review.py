"""The review in the UI: the leaders' switch to include values awaiting review, the count awaiting, and the
agency's own submissions with what was returned. Reads only; the review page writes through loaders.review."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders import review
from loaders.period_locks import ACTION_LABELS as LOCK_LABELS
from metrics.periods import quarter_label_vi
from ui.data import UNREVIEWED_KEY as TOGGLE_KEY
from ui.data import UNREVIEWED_PARAM as TOGGLE_PARAM
from ui.data import _run, include_unreviewed

TOGGLE_LABEL = "Gồm số liệu chưa duyệt"
MARK = "chưa duyệt"


def sidebar_toggle() -> bool:
    """The switch in the sidebar, kept in the address (?chua_duyet=1) so a shared link shows the same."""
    value = st.sidebar.toggle(
        TOGGLE_LABEL,
        value=include_unreviewed(),
        key=TOGGLE_KEY,
        help="Mặc định chỉ tính số liệu Văn phòng thường trực đã duyệt; bật để tính cả số liệu cơ quan đã gửi "
        "nhưng chưa duyệt (đánh dấu “chưa duyệt”).",
    )
    if value:
        st.query_params[TOGGLE_PARAM] = "1"
    elif TOGGLE_PARAM in st.query_params:
        del st.query_params[TOGGLE_PARAM]
    return value


@st.cache_data(show_spinner=False, ttl=600, max_entries=16)
def pending_count(as_of: str | None = None) -> int:
    return _run(review.pending_count, as_of)


def pending_caption(as_of: str | None = None) -> None:
    """'3 giá trị đang chờ duyệt …' under the tiles: leaders see that figures are still coming."""
    n = pending_count(as_of)
    if not n:
        return
    until = f" đến {quarter_label_vi(as_of)}" if as_of else ""
    if include_unreviewed():
        st.caption(f"Đang tính cả {n} giá trị chưa duyệt{until} (đánh dấu “{MARK}”).")
    else:
        st.caption(
            f"{n} giá trị{until} đang chờ Văn phòng thường trực duyệt, chưa được tính. "
            f"Bật “{TOGGLE_LABEL}” ở thanh bên để xem cả các giá trị này."
        )


def submissions_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Submissions as people read them."""
    return pd.DataFrame(
        {
            "Lần gửi": frame["upload_id"].map(lambda u: f"#{int(u)}"),
            "Kỳ": frame["period"].map(quarter_label_vi),
            "Cơ quan": frame["agency_name"].fillna("Tất cả cơ quan"),
            "Người gửi": frame["submitted_by"],
            "Lúc": frame["submitted_at"].map(lambda t: pd.Timestamp(t).strftime("%d/%m/%Y %H:%M")),
            "Tệp": frame["file_name"],
            "Trạng thái": frame["state_label"],
            "Chờ duyệt": frame["n_pending"],
            "Đã duyệt": frame["n_accepted"],
            "Trả lại": frame["n_returned"],
        }
    )


def items_display(frame: pd.DataFrame) -> pd.DataFrame:
    """The values and task updates of a submission with their state and the secretariat's comment."""
    value = [
        r["value_text"] if pd.isna(r["value"]) else f"{r['value']:g}".replace(".", ",")
        for r in frame.to_dict("records")
    ]
    return pd.DataFrame(
        {
            "Mã": frame["item_id"],
            "Tên": frame["item_name"],
            "Kỳ": frame["period"].map(quarter_label_vi),
            "Giá trị / tình trạng": value,
            "Trạng thái": frame["state_label"],
            "Ý kiến của Văn phòng": frame["review_comment"].fillna(""),
        }
    )


def agency_history(agency_id: str) -> None:
    """An agency reporter's own submissions, and what was returned with the comments to act on."""
    frame = _run(review.submissions, agency_id)
    if frame.empty:
        st.caption("Cơ quan chưa gửi lần nào.")
        return
    st.dataframe(submissions_display(frame), hide_index=True, key="agency_submissions")
    returned = _run(review.returned_items, agency_id)
    if returned.empty:
        return
    st.warning(
        f"Văn phòng thường trực trả lại {len(returned)} giá trị: sửa theo ý kiến dưới đây rồi gửi lại tệp."
    )
    st.dataframe(items_display(returned), hide_index=True, key="agency_returned")


def lock_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Every lock and unlock of a period: who, when, why."""
    return pd.DataFrame(
        {
            "Việc": frame["action"].map(LOCK_LABELS),
            "Người": frame["actor"],
            "Lúc": frame["acted_at"].map(lambda t: pd.Timestamp(t).strftime("%d/%m/%Y %H:%M")),
            "Lý do": frame["reason"].fillna(""),
        }
    )
