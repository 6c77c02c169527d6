"""Tải số liệu: the secretariat downloads the template, uploads it filled in, checks the preview, commits."""

from __future__ import annotations

import streamlit as st

from loaders import auth
from ui import frame, login
from ui import upload_page as sections

frame.header(
    "Tải số liệu",
    "Văn phòng thường trực tải mẫu Excel, nhận lại tệp các cơ quan đã điền, xem trước rồi ghi số liệu "
    "thực hiện. Mọi lần ghi đều lưu lịch sử và có thể hoàn tác.",
)
user = login.require_login()
if user is None:
    st.info("Cần đăng nhập tài khoản Văn phòng thường trực để tải mẫu, tải số liệu lên và xem lịch sử.")
    st.stop()
if not user.can(auth.ACTION_SUBMIT):
    st.warning(
        str(auth.Forbidden(f"Tài khoản {user.label} chỉ được xem số liệu, không được tải số liệu lên."))
    )
    st.stop()
session = sections.Session.start(user)
sections.show_messages()
own = sections.template_section(session)
sections.upload_section(session)
sections.history_section(session, own)
