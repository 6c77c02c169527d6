"""Secretariat accounts: a local TOML file kept out of git, bcrypt hashes, and a throttle on failed logins."""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
import time
import tomllib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import bcrypt

from loaders.db import ROOT

USERS_ENV = "NQ57_USERS"
PASSWORD_ENV = "NQ57_PASSWORD"
DEFAULT_USERS_FILE = ROOT / ".streamlit" / "users.toml"  # git-ignored
ROLE_SECRETARIAT = "secretariat"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; bcrypt 5 refuses longer ones
DEFAULT_ROUNDS = 12
MAX_FAILURES = 5
LOCK_SECONDS = 60.0

# Checked when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = b"$2b$12$rWPnkagMcYqNAYKB2GL9.etPwCoLnBnNM82skmbbfHi3s.wVvneci"


@dataclass(frozen=True)
class User:
    name: str
    full_name: str
    role: str = ROLE_SECRETARIAT
    email: str | None = None

    @property
    def label(self) -> str:
        return (
            f"{self.full_name} ({self.name})" if self.full_name and self.full_name != self.name else self.name
        )


class AuthError(Exception):
    """A login or account problem, in Vietnamese."""


class LoginLocked(AuthError):
    def __init__(self, seconds_left: float):
        self.seconds_left = seconds_left
        super().__init__(
            f"Đăng nhập sai quá {MAX_FAILURES} lần: tài khoản tạm khóa, thử lại sau {max(1, round(seconds_left))} giây."
        )


class LoginThrottle:
    """Per user name: after `max_failures` failures in a row, refuse every attempt for `lock_seconds`.

    Kept in process memory: it slows guessing through the app, it is not an audit log.
    """

    def __init__(
        self,
        max_failures: int = MAX_FAILURES,
        lock_seconds: float = LOCK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self.clock = clock
        self._failures: dict[str, int] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def seconds_left(self, name: str) -> float:
        with self._lock:
            return max(0.0, self._locked_until.get(_key(name), 0.0) - self.clock())

    def failure(self, name: str) -> int:
        """Record a failure; the number of attempts left before the lock (0 = now locked)."""
        key = _key(name)
        with self._lock:
            count = self._failures.get(key, 0) + 1
            if count >= self.max_failures:
                self._locked_until[key] = self.clock() + self.lock_seconds
                self._failures[key] = 0
                return 0
            self._failures[key] = count
            return self.max_failures - count

    def success(self, name: str) -> None:
        key = _key(name)
        with self._lock:
            self._failures.pop(key, None)
            self._locked_until.pop(key, None)


THROTTLE = LoginThrottle()


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", str(name)).strip().casefold()


def users_path(path: str | os.PathLike | None = None) -> Path:
    """The accounts file: an explicit path, else $NQ57_USERS, else .streamlit/users.toml."""
    if path:
        return Path(path)
    env = os.environ.get(USERS_ENV)
    return Path(env) if env else DEFAULT_USERS_FILE


def load_users(path: str | os.PathLike | None = None) -> dict[str, dict]:
    """{name: {full_name, role, password_hash, email}}; {} when the file does not exist."""
    target = users_path(path)
    if not target.exists():
        return {}
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AuthError(f"Tệp tài khoản {target} bị lỗi: {exc}") from None
    users = data.get("users", {})
    return {str(name): dict(entry) for name, entry in users.items() if isinstance(entry, dict)}


def _toml_string(text: str) -> str:
    # JSON string escapes are valid TOML basic-string escapes; control characters were removed before.
    return json.dumps(text, ensure_ascii=False)


def _write_users(target: Path, users: dict[str, dict]) -> None:
    lines = [
        "# Tài khoản Văn phòng thường trực Ban Chỉ đạo (không đưa vào git).",
        '# Thêm hoặc đổi mật khẩu bằng: python -m loaders add-user TÊN --full-name "Họ và tên"',
        "",
    ]
    for name in sorted(users):
        entry = users[name]
        lines.append(f"[users.{_toml_string(name)}]")
        for key in ("full_name", "role", "email", "password_hash"):
            if entry.get(key):
                lines.append(f"{key} = {_toml_string(str(entry[key]))}")
        lines.append("")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".users-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clean(text: str | None) -> str:
    text = unicodedata.normalize("NFC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip()


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError(f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AuthError(f"Mật khẩu dài quá {MAX_PASSWORD_BYTES} byte (giới hạn của bcrypt).")


def add_user(
    name: str,
    password: str,
    full_name: str | None = None,
    path: str | os.PathLike | None = None,
    email: str | None = None,
    replace: bool = False,
    rounds: int = DEFAULT_ROUNDS,
) -> User:
    """Create (or, with replace, reset) a secretariat account; only the bcrypt hash is stored."""
    name = _clean(name).lower()
    if not NAME_PATTERN.match(name):
        raise AuthError(
            f"Tên tài khoản “{name}” không hợp lệ: 2–32 ký tự, chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."
        )
    check_password(password)
    target = users_path(path)
    users = load_users(target)
    if name in users and not replace:
        raise AuthError(f"Tài khoản “{name}” đã có; dùng --reset để đặt lại mật khẩu.")
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")
    entry = {
        "full_name": _clean(full_name) or users.get(name, {}).get("full_name") or name,
        "role": ROLE_SECRETARIAT,
        "password_hash": hashed,
    }
    if email or users.get(name, {}).get("email"):
        entry["email"] = _clean(email) or users[name]["email"]
    users[name] = entry
    _write_users(target, users)
    return User(name, entry["full_name"], entry["role"], entry.get("email"))


def _user(name: str, entry: dict) -> User:
    return User(
        name,
        str(entry.get("full_name") or name),
        str(entry.get("role") or ROLE_SECRETARIAT),
        entry.get("email"),
    )


def authenticate(
    name: str, password: str, path: str | os.PathLike | None = None, throttle: LoginThrottle | None = None
) -> User:
    """The account if name and password match; AuthError (or LoginLocked) with a Vietnamese message."""
    throttle = throttle or THROTTLE
    left = throttle.seconds_left(name)
    if left > 0:
        raise LoginLocked(left)
    users = load_users(path)
    if not users:
        raise AuthError("Chưa có tài khoản nào. Quản trị viên tạo bằng lệnh: python -m loaders add-user TÊN")
    key = _clean(name).lower()
    entry = users.get(key)
    secret = (password or "").encode("utf-8")
    stored = str(entry.get("password_hash", "")).encode("ascii") if entry else _DUMMY_HASH
    try:
        ok = len(secret) <= MAX_PASSWORD_BYTES and bcrypt.checkpw(secret, stored) and entry is not None
    except ValueError:  # a damaged hash in the file
        ok = False
    if not ok:
        remaining = throttle.failure(name)
        if remaining == 0:
            raise LoginLocked(throttle.seconds_left(name))
        raise AuthError(f"Sai tên đăng nhập hoặc mật khẩu (còn {remaining} lần thử trước khi tạm khóa).")
    throttle.success(name)
    return _user(key, entry)


def user_by_email(email: str, path: str | os.PathLike | None = None) -> User | None:
    """The account whose email matches (single sign-on maps the identity provider's user this way)."""
    wanted = _clean(email).casefold()
    for name, entry in load_users(path).items():
        if wanted and str(entry.get("email", "")).casefold() == wanted:
            return _user(name, entry)
    return None
