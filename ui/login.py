"""Secretariat login for the pages that write: a form checked against loaders.auth, or the provincial SSO.

With an [auth] section in .streamlit/secrets.toml, Streamlit's own OIDC login (st.login) is used instead
of the form, and the identity provider's email is mapped to an account of users.toml (docs/uploads.md).
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from loaders import auth

SESSION_KEY = "nq57_user"


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def _sso_user() -> auth.User | None:
    if not _sso_configured() or not st.user.is_logged_in:
        return None
    return auth.user_by_email(str(st.user.get("email") or ""))


def current_user() -> auth.User | None:
    """The logged-in secretariat account of this browser session, if any."""
    stored = st.session_state.get(SESSION_KEY)
    if stored:
        return auth.User(**stored)
    return _sso_user()


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if _sso_configured() and st.user.is_logged_in:
        st.logout()


def _login_form() -> None:
    with st.form("login_form", clear_on_submit=True):
        st.text_input("Tên đăng nhập", key="login_name")
        st.text_input("Mật khẩu", type="password", key="login_password")
        submitted = st.form_submit_button("Đăng nhập", key="login_submit")
    if not submitted:
        return
    try:
        user = auth.authenticate(
            st.session_state.get("login_name", ""), st.session_state.get("login_password", "")
        )
    except auth.AuthError as exc:
        st.error(str(exc))
        return
    st.session_state[SESSION_KEY] = dataclasses.asdict(user)
    st.rerun()


def require_login() -> auth.User | None:
    """Who is logged in (with a logout button), or the login form; returns the user or None."""
    user = current_user()
    if user is not None:
        left, right = st.columns([4, 1])
        with left:
            st.text(f"Đang đăng nhập: {user.label}")  # st.text: a name is shown as typed, never as Markdown
        if right.button("Đăng xuất", key="logout_button"):
            logout()
            st.rerun()
        return user
    if _sso_configured():
        if st.user.is_logged_in:
            st.error("Tài khoản đăng nhập một lần này chưa được cấp quyền Văn phòng thường trực.")
            if st.button("Đăng xuất", key="sso_logout"):
                st.logout()
        elif st.button("Đăng nhập bằng tài khoản một lần của tỉnh", key="sso_login"):
            st.login()
        return None
    _login_form()
    return None
