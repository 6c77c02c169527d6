"""NQ57 Lai Châu: the router and frame. Pages live in pages/, logic in metrics/ and loaders/."""

from __future__ import annotations

import streamlit as st

from loaders.locking import DatabaseError
from ui import db, frame, labels, startup
from ui import review as review_ui

present = st.query_params.get(frame.PRESENT_KEY) == "1" or st.session_state.get(frame.PRESENT_KEY, False)
st.set_page_config(
    page_title=labels.APP_TITLE,
    page_icon="📊",
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)

PAGES = {
    labels.SECTION_OVERVIEW: [
        st.Page("pages/overview.py", title="Tổng quan", icon="📊", default=True),
        st.Page("pages/agencies.py", title="Theo cơ quan", icon="🏛️", url_path="theo-co-quan"),
        st.Page("pages/indicator.py", title="Chỉ tiêu", icon="📈", url_path="chi-tieu"),
        st.Page("pages/targets.py", title="Danh mục chỉ tiêu", icon="📋", url_path="danh-muc-chi-tieu"),
        st.Page("pages/export_files.py", title="Xuất báo cáo", icon="📥", url_path="xuat-bao-cao"),
    ],
    labels.SECTION_PLANS: [
        st.Page("pages/plans.py", title="Kế hoạch", icon="📄", url_path="ke-hoach"),
        st.Page("pages/tasks.py", title="Nhiệm vụ", icon=":material/checklist:", url_path="nhiem-vu"),
    ],
    labels.SECTION_ADMIN: [
        st.Page("pages/upload.py", title="Tải số liệu", icon="📤", url_path="tai-so-lieu"),
        st.Page(
            "pages/reporting.py",
            title="Tình hình báo cáo",
            icon=":material/fact_check:",
            url_path="tinh-hinh-bao-cao",
        ),
        st.Page("pages/review.py", title="Duyệt số liệu", icon=":material/rule:", url_path="duyet-so-lieu"),
    ],
}

navigation = st.navigation(PAGES)
db.refresh_if_changed()  # a CLI job or a restore may have changed the file since the last rerun
try:
    frame.sidebar_filters()
    review_ui.sidebar_toggle()  # accepted values only, unless asked (docs/reporting.md §6)
    navigation.run()
except DatabaseError as exc:  # busy past the wait, damaged, missing: a sentence, never a traceback
    db.show_database_error(exc)
finally:
    # after the page ran, so its imports are frozen too; once per new set of modules, not every click
    startup.freeze_after_imports()
