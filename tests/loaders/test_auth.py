"""Secretariat accounts: bcrypt hashes in a local file outside git, and a throttle on failed logins."""

from __future__ import annotations

import os
import stat

import pytest

from loaders import auth
from loaders.__main__ import main
from loaders.auth import AuthError, LoginLocked, LoginThrottle
from loaders.db import ROOT
from tests.support import cli


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    monkeypatch.setenv(auth.USERS_ENV, str(path))
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", rounds=4)
    return path


def test_accounts_live_in_a_file_outside_git_with_hashes_only(users):
    assert auth.users_path() == users
    text = users.read_text(encoding="utf-8")
    assert "mat-khau-dung" not in text and "$2b$04$" in text
    assert "Nguyễn Thị Thủy" in text
    assert stat.S_IMODE(os.stat(users).st_mode) == 0o600
    assert ".streamlit/users.toml" in (ROOT / ".gitignore").read_text().splitlines()
    assert auth.DEFAULT_USERS_FILE == ROOT / ".streamlit" / "users.toml"


def test_the_right_password_logs_in_and_gives_the_name_recorded_on_uploads(users):
    user = auth.authenticate("thuy", "mat-khau-dung", throttle=LoginThrottle())
    assert (user.name, user.full_name, user.role) == ("thuy", "Nguyễn Thị Thủy", auth.ROLE_SECRETARIAT)
    assert auth.authenticate(" THUY ", "mat-khau-dung", throttle=LoginThrottle()).name == "thuy"


@pytest.mark.parametrize(
    ("name", "password"),
    [("thuy", "sai-mat-khau"), ("khong-co", "mat-khau-dung"), ("thuy", ""), ("thuy", "x" * 100)],
)
def test_a_wrong_name_or_password_is_refused_with_the_same_message(users, name, password):
    with pytest.raises(AuthError, match="Sai tên đăng nhập hoặc mật khẩu"):
        auth.authenticate(name, password, throttle=LoginThrottle())


def test_failures_grow_a_delay_per_name_never_a_hard_lock(users):
    clock = Clock()
    throttle = LoginThrottle(clock=clock)
    for _ in range(auth.FREE_FAILURES - 1):
        with pytest.raises(AuthError, match="Sai tên"):
            auth.authenticate("thuy", "sai", throttle=throttle)
    with pytest.raises(LoginLocked, match="chờ 2 giây"):  # the third failure starts the delay
        auth.authenticate("thuy", "sai", throttle=throttle)
    with pytest.raises(LoginLocked):  # even the right password waits out the delay
        auth.authenticate("thuy", "mat-khau-dung", throttle=throttle)
    with pytest.raises(AuthError, match="Sai tên"):  # another name is not slowed
        auth.authenticate("lan", "sai", throttle=throttle)
    clock.now += 2.5
    with pytest.raises(LoginLocked, match="chờ 4 giây"):  # doubles
        auth.authenticate("THUY", "sai", throttle=throttle)
    clock.now += 4.5
    assert auth.authenticate("thuy", "mat-khau-dung", throttle=throttle).name == "thuy"


def test_account_rules(users):
    for name in ("A", "có dấu", "x" * 40, "-dau"):
        with pytest.raises(AuthError, match="không hợp lệ"):
            auth.add_user(name, "mat-khau-dai", rounds=4)
    with pytest.raises(AuthError, match="ít nhất 8"):
        auth.add_user("lan", "ngan", rounds=4)
    with pytest.raises(AuthError, match="72 byte"):
        auth.add_user("lan", "ư" * 40, rounds=4)
    with pytest.raises(AuthError, match="đã có"):
        auth.add_user("thuy", "mat-khau-moi", rounds=4)
    auth.add_user("thuy", "mat-khau-moi", replace=True, rounds=4)
    assert auth.authenticate("thuy", "mat-khau-moi", throttle=LoginThrottle()).full_name == "Nguyễn Thị Thủy"
    auth.add_user("lan", "mat-khau-lan", email="Lan@LaiChau.gov.vn", rounds=4)
    assert auth.user_by_email("lan@laichau.gov.vn").name == "lan"
    assert auth.user_by_email("ai@do") is None
    assert set(auth.load_users()) == {"thuy", "lan"}


def test_no_accounts_file_means_nobody_logs_in(tmp_path, monkeypatch):
    monkeypatch.setenv(auth.USERS_ENV, str(tmp_path / "none.toml"))
    with pytest.raises(AuthError, match="Chưa có tài khoản"):
        auth.authenticate("thuy", "mat-khau-dung", throttle=LoginThrottle())


def test_add_user_from_the_command_line_takes_the_password_from_the_environment(
    tmp_path, capsys, monkeypatch
):
    path = tmp_path / "users.toml"
    monkeypatch.setenv(auth.USERS_ENV, str(path))
    monkeypatch.setenv(auth.PASSWORD_ENV, "mat-khau-cli")
    done = cli.run(main, ["add-user", "hoa", "--full-name", "Lò Thị Hoa"], capsys, monkeypatch)
    assert done.returncode == 0, done.stderr
    assert "Lò Thị Hoa (hoa)" in done.stdout
    user = auth.authenticate("hoa", "mat-khau-cli", path=path, throttle=LoginThrottle())
    assert user.full_name == "Lò Thị Hoa"
    again = cli.run(main, ["add-user", "hoa"], capsys, monkeypatch)
    assert again.returncode == 1 and "đã có" in again.stderr
    monkeypatch.delenv(auth.PASSWORD_ENV)
    refused = cli.run(main, ["add-user", "minh"], capsys, monkeypatch)
    assert refused.returncode == 1 and auth.PASSWORD_ENV in refused.stderr
