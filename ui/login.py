"""Login for the pages that write: a form checked against loaders.auth, or the provincial SSO.

With an [auth] section in .streamlit/secrets.toml, Streamlit's own OIDC login (st.login) is used instead
of the form; the identity provider's claims are mapped to an account or a role by loaders.auth.sso_user
(a verified e-mail is required, docs/uploads.md). A session ends after auth.idle_seconds() without a rerun.
"""

from __future__ import annotations

import dataclasses
import time

import streamlit as st

from loaders import auth

SESSION_KEY = "nq57_user"
SEEN_KEY = "nq57_last_seen"
IDLE_NOTICE_KEY = "nq57_idle_notice"


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises its own not-found error
        return False


def _sso_user() -> auth.User | None:
    if not _sso_configured() or not st.user.is_logged_in:
        return None
    return auth.sso_user(dict(st.user.to_dict()))


def client_id() -> str | None:
    """The browser's address as Streamlit sees it (behind a proxy: the proxy's), for the login backoff."""
    try:
        address = st.context.ip_address
    except Exception:  # older Streamlit or a test run without a client
        return None
    return address if isinstance(address, str) else None  # AppTest gives a stand-in object


def _expired() -> bool:
    last = st.session_state.get(SEEN_KEY)
    now = time.time()
    st.session_state[SEEN_KEY] = now
    return last is not None and now - float(last) > auth.idle_seconds()


def current_user() -> auth.User | None:
    """The logged-in account of this browser session, if any and not idle for too long."""
    stored = st.session_state.get(SESSION_KEY)
    if stored and _expired():
        st.session_state.pop(SESSION_KEY, None)
        st.session_state[IDLE_NOTICE_KEY] = True
        stored = None
    if stored:
        return auth.User(**stored)
    return _sso_user()


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    st.session_state.pop(SEEN_KEY, None)
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
            st.session_state.get("login_name", ""),
            st.session_state.get("login_password", ""),
            client=client_id(),
        )
    except auth.AuthError as exc:
        st.error(str(exc))
        return
    st.session_state[SESSION_KEY] = dataclasses.asdict(user)
    st.session_state[SEEN_KEY] = time.time()
    st.rerun()


def require_login() -> auth.User | None:
    """Who is logged in (with a logout button), or the login form; returns the user or None."""
    user = current_user()
    if st.session_state.pop(IDLE_NOTICE_KEY, False):
        st.warning("Phiên đăng nhập đã hết hạn vì lâu không thao tác: vui lòng đăng nhập lại.")
    if user is not None:
        left, right = st.columns([4, 1])
        with left:  # st.text: a name is shown as typed, never as Markdown
            st.text(f"Đang đăng nhập: {user.label} — {auth.ROLE_LABELS[auth.normalise_role(user.role)]}")
        if right.button("Đăng xuất", key="logout_button"):
            logout()
            st.rerun()
        return user
    if _sso_configured():
        if st.user.is_logged_in:
            st.error(
                "Tài khoản đăng nhập một lần này chưa được cấp quyền (cần email đã xác minh và vai trò "
                "được cấu hình)."
            )
            if st.button("Đăng xuất", key="sso_logout"):
                st.logout()
        elif st.button("Đăng nhập bằng tài khoản một lần của tỉnh", key="sso_login"):
            st.login()
        return None
    _login_form()
    return None
