"""Accounts and roles: a local TOML file kept out of git, bcrypt hashes, a backoff and a log of failed logins."""

from __future__ import annotations

import json
import logging
import math
import os
import re
import tempfile
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import bcrypt

from loaders.db import ROOT
from loaders.text_clean import clean_text, normalise_name

_LOG = logging.getLogger(__name__)

USERS_ENV = "NQ57_USERS"
PASSWORD_ENV = "NQ57_PASSWORD"
AUTH_LOG_ENV = "NQ57_AUTH_LOG"
IDLE_ENV = "NQ57_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 30.0
DEFAULT_USERS_FILE = ROOT / ".streamlit" / "users.toml"  # git-ignored
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; bcrypt 5 refuses longer ones
DEFAULT_ROUNDS = 12

# Roles (docs/uploads.md). Stored in users.toml; the SSO maps claims onto them.
ROLE_VIEWER = "xem"  # reads, as everyone does without logging in
ROLE_AGENCY = "co_quan"  # an agency's reporter: sends its own template only (loaders/review_checks.py)
ROLE_SECRETARIAT = "van_phong"  # Văn phòng thường trực: uploads and reverts
ROLE_ADMIN = "quan_tri"  # accounts, and everything the secretariat does
ROLES = (ROLE_VIEWER, ROLE_AGENCY, ROLE_SECRETARIAT, ROLE_ADMIN)
ROLE_LABELS = {
    ROLE_VIEWER: "Xem",
    ROLE_AGENCY: "Cơ quan báo cáo",
    ROLE_SECRETARIAT: "Văn phòng thường trực",
    ROLE_ADMIN: "Quản trị",
}
_LEGACY_ROLES = {"secretariat": ROLE_SECRETARIAT, "viewer": ROLE_VIEWER, "admin": ROLE_ADMIN}
ACTION_UPLOAD, ACTION_REVERT, ACTION_USERS = "upload", "revert", "users"
ACTION_SUBMIT, ACTION_REVIEW = (
    "submit",
    "review",
)  # an agency's own report; accept/return, lock (reporting.md)
PERMISSIONS = {
    ACTION_UPLOAD: frozenset({ROLE_SECRETARIAT, ROLE_ADMIN}),
    ACTION_SUBMIT: frozenset({ROLE_AGENCY, ROLE_SECRETARIAT, ROLE_ADMIN}),
    ACTION_REVIEW: frozenset({ROLE_SECRETARIAT, ROLE_ADMIN}),
    ACTION_REVERT: frozenset({ROLE_SECRETARIAT, ROLE_ADMIN}),
    ACTION_USERS: frozenset({ROLE_ADMIN}),
}
ACTION_LABELS = {
    ACTION_UPLOAD: "tải số liệu lên",
    ACTION_REVERT: "hoàn tác một lần tải",
    ACTION_USERS: "quản lý tài khoản",
    ACTION_SUBMIT: "gửi báo cáo của cơ quan",
    ACTION_REVIEW: "duyệt số liệu và khóa kỳ",
}

# Backoff: the first FREE_FAILURES failures cost nothing, then each one doubles the wait before the next try.
FREE_FAILURES = 3
BASE_DELAY = 2.0
MAX_NAME_DELAY = 60.0  # an outsider can slow a real user by at most this, never lock them out
MAX_CLIENT_DELAY = 900.0  # one client guessing many names is slowed far more
FORGET_AFTER = 3600.0

# Checked when the name is unknown, so a wrong name costs the same time as a wrong password.
_DUMMY_HASH = b"$2b$12$rWPnkagMcYqNAYKB2GL9.etPwCoLnBnNM82skmbbfHi3s.wVvneci"


def normalise_role(role: object) -> str:
    """A stored role in the current vocabulary; anything unknown reads as the least: xem."""
    text = str(role or "").strip().casefold()
    text = _LEGACY_ROLES.get(text, text)
    return text if text in ROLES else ROLE_VIEWER


@dataclass(frozen=True)
class User:
    name: str
    full_name: str
    role: str = ROLE_SECRETARIAT
    email: str | None = None
    agency: str | None = None

    @property
    def label(self) -> str:
        return (
            f"{self.full_name} ({self.name})" if self.full_name and self.full_name != self.name else self.name
        )

    def can(self, action: str) -> bool:
        return normalise_role(self.role) in PERMISSIONS.get(action, frozenset())


class AuthError(Exception):
    """A login or account problem, in Vietnamese."""


class Forbidden(AuthError):
    """A logged-in account whose role does not allow the action."""


class LoginLocked(AuthError):
    def __init__(self, seconds_left: float):
        self.seconds_left = seconds_left
        super().__init__(
            f"Đăng nhập sai nhiều lần: vui lòng chờ {max(1, math.ceil(seconds_left))} giây rồi thử lại."
        )


def require(user: User | None, action: str) -> User:
    """The user if their role allows the action; Forbidden (Vietnamese) otherwise."""
    if user is None:
        raise Forbidden(f"Cần đăng nhập để {ACTION_LABELS.get(action, action)}.")
    if not user.can(action):
        allowed = ", ".join(ROLE_LABELS[r] for r in ROLES if r in PERMISSIONS.get(action, ()))
        raise Forbidden(
            f"Tài khoản {user.label} (vai trò {ROLE_LABELS.get(normalise_role(user.role))}) không được "
            f"{ACTION_LABELS.get(action, action)}; cần vai trò: {allowed}."
        )
    return user


class LoginThrottle:
    """A growing delay per user name and per client after repeated failures; never a hard lock.

    Kept in process memory: it slows guessing through the app; every failure is also logged (auth log).
    """

    def __init__(
        self,
        free_failures: int = FREE_FAILURES,
        base_delay: float = BASE_DELAY,
        max_name_delay: float = MAX_NAME_DELAY,
        max_client_delay: float = MAX_CLIENT_DELAY,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.free_failures = free_failures
        self.base_delay = base_delay
        self.max_delay = {"name": max_name_delay, "client": max_client_delay}
        self.clock = clock
        self._state: dict[tuple[str, str], tuple[int, float]] = {}  # key -> (failures, time of the last)
        self._lock = threading.Lock()

    def _keys(self, name: str, client: str | None) -> list[tuple[str, str]]:
        keys = [("name", normalise_name(name))]
        if client:
            keys.append(("client", str(client)))
        return keys

    def _delay(self, kind: str, failures: int) -> float:
        if failures < self.free_failures:
            return 0.0
        return min(self.base_delay * 2 ** (failures - self.free_failures), self.max_delay[kind])

    def seconds_left(self, name: str, client: str | None = None) -> float:
        now = self.clock()
        left = 0.0
        with self._lock:
            for key in self._keys(name, client):
                failures, last = self._state.get(key, (0, 0.0))
                if now - last > FORGET_AFTER:
                    continue
                left = max(left, last + self._delay(key[0], failures) - now)
        return max(0.0, left)

    def failure(self, name: str, client: str | None = None) -> float:
        """Record a failure; the seconds to wait before the next try (0 = may try again at once)."""
        now = self.clock()
        with self._lock:
            for key in self._keys(name, client):
                failures, last = self._state.get(key, (0, 0.0))
                failures = 0 if now - last > FORGET_AFTER else failures
                self._state[key] = (failures + 1, now)
        return self.seconds_left(name, client)

    def success(self, name: str, client: str | None = None) -> None:
        with self._lock:
            for key in self._keys(name, client):
                self._state.pop(key, None)


THROTTLE = LoginThrottle()


def auth_log_path(users_file: str | os.PathLike | None = None) -> Path:
    """Where failed logins are appended: $NQ57_AUTH_LOG, else login_failures.log beside the accounts file."""
    env = os.environ.get(AUTH_LOG_ENV)
    return Path(env) if env else users_path(users_file).with_name("login_failures.log")


def log_failure(name: str, client: str | None, reason: str, users_file=None) -> None:
    """One JSON line per failure (time, normalised name, client, reason); a log that cannot be written is
    reported on stderr, never a reason to let the login through or to crash."""
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "name": normalise_name(name)[:64],
        "client": client,
        "reason": reason,
    }
    _LOG.warning("login failure %s", entry)
    target = auth_log_path(users_file)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    except OSError as exc:
        _LOG.error("cannot write the login failure log %s: %s", target, exc)


def read_failures(users_file=None) -> list[dict]:
    target = auth_log_path(users_file)
    if not target.exists():
        return []
    return [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines() if line.strip()]


def idle_seconds() -> float:
    """How long a logged-in session may stay idle before it ends ($NQ57_IDLE_MINUTES, default 30)."""
    try:
        minutes = float(os.environ.get(IDLE_ENV, DEFAULT_IDLE_MINUTES))
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return max(minutes, 0.0) * 60


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
        for key in ("full_name", "role", "agency", "email", "password_hash"):
            if entry.get(key):
                lines.append(f"{key} = {_toml_string(str(entry[key]))}")
        lines.append("")
    for rule in sso_rules(target):  # the claim-to-role rules are configuration: kept as they were
        lines.append("[[sso.roles]]")
        lines.extend(f"{k} = {_toml_string(str(v))}" for k, v in rule.items())
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
    return str(clean_text(text or "", keep_newlines=False)).strip()


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
    role: str = ROLE_SECRETARIAT,
    agency: str | None = None,
) -> User:
    """Create (or, with replace, reset) an account; only the bcrypt hash is stored."""
    name = normalise_name(name)
    if not NAME_PATTERN.match(name):
        raise AuthError(
            f"Tên tài khoản “{name}” không hợp lệ: 2–32 ký tự, chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới."
        )
    if str(role).strip().casefold() not in ROLES:
        raise AuthError(f"Vai trò “{_clean(role)}” không có; chọn một trong: {', '.join(ROLES)}.")
    role = normalise_role(role)
    agency = _clean(agency) or None
    if role == ROLE_AGENCY and not agency:
        raise AuthError("Tài khoản vai trò co_quan cần mã cơ quan (--agency, theo data/agencies.csv).")
    check_password(password)
    target = users_path(path)
    users = load_users(target)
    if name in users and not replace:
        raise AuthError(f"Tài khoản “{name}” đã có; dùng --reset để đặt lại mật khẩu.")
    hashed = bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")
    old = users.get(name, {})
    entry = {
        "full_name": _clean(full_name) or old.get("full_name") or name,
        "role": role,
        "password_hash": hashed,
    }
    if email or old.get("email"):
        entry["email"] = _clean(email) or old["email"]
    if agency:
        entry["agency"] = agency
    users[name] = entry
    _write_users(target, users)
    return _user(name, entry)


def has_admin(path: str | os.PathLike | None = None) -> bool:
    return any(normalise_role(e.get("role")) == ROLE_ADMIN for e in load_users(path).values())


def _user(name: str, entry: dict) -> User:
    return User(
        name,
        str(entry.get("full_name") or name),
        normalise_role(entry.get("role") or ROLE_SECRETARIAT),
        entry.get("email"),
        entry.get("agency"),
    )


def account(name: str, path: str | os.PathLike | None = None) -> User | None:
    """The account of a (normalised) name, without a password: the CLI checks `--by` with it."""
    key = normalise_name(name)
    entry = load_users(path).get(key)
    return _user(key, entry) if entry is not None else None


def authenticate(
    name: str,
    password: str,
    path: str | os.PathLike | None = None,
    throttle: LoginThrottle | None = None,
    client: str | None = None,
) -> User:
    """The account if name and password match; AuthError (or LoginLocked) with a Vietnamese message.

    The name is normalised once (normalise_name) and that one form is looked up, throttled and logged.
    """
    throttle = throttle or THROTTLE
    key = normalise_name(name)
    left = throttle.seconds_left(key, client)
    if left > 0:
        log_failure(key, client, "throttled", path)
        raise LoginLocked(left)
    users = load_users(path)
    if not users:
        raise AuthError("Chưa có tài khoản nào. Quản trị viên tạo bằng lệnh: python -m loaders add-user TÊN")
    entry = users.get(key)
    secret = (password or "").encode("utf-8")
    stored = str(entry.get("password_hash", "")).encode("ascii") if entry else _DUMMY_HASH
    try:
        ok = len(secret) <= MAX_PASSWORD_BYTES and bcrypt.checkpw(secret, stored) and entry is not None
    except ValueError:  # a damaged hash in the file
        ok = False
    if not ok:
        log_failure(key, client, "unknown_name" if entry is None else "wrong_password", path)
        wait = throttle.failure(key, client)
        if wait > 0:
            raise LoginLocked(wait)
        raise AuthError("Sai tên đăng nhập hoặc mật khẩu.")
    throttle.success(key, client)
    return _user(key, entry)


def user_by_email(email: str, path: str | os.PathLike | None = None) -> User | None:
    """The account whose email matches (single sign-on maps the identity provider's user this way)."""
    wanted = _clean(email).casefold()
    for name, entry in load_users(path).items():
        if wanted and str(entry.get("email", "")).casefold() == wanted:
            return _user(name, entry)
    return None


def _claim_values(claims: dict, claim: str) -> set[str]:
    value = claims.get(claim)
    values = value if isinstance(value, list | tuple | set) else [value]
    return {str(v).strip().casefold() for v in values if v is not None}


def sso_user(claims: dict, path: str | os.PathLike | None = None) -> User | None:
    """The account for an identity provider's claims, or None.

    Requires `email_verified` to be true: an unverified address proves nothing. An account of users.toml
    with that email wins; else the first rule of `[[sso.roles]]` (claim, value, role[, agency]) that
    matches gives the role, so the provider's groups map onto roles in configuration, not in code.
    """
    if claims.get("email_verified") is not True and str(claims.get("email_verified")).lower() != "true":
        return None
    email = _clean(str(claims.get("email") or ""))
    if not email:
        return None
    known = user_by_email(email, path)
    if known is not None:
        return known
    for rule in sso_rules(path):
        if str(rule.get("value", "")).strip().casefold() in _claim_values(claims, str(rule.get("claim", ""))):
            return User(
                normalise_name(email),
                _clean(str(claims.get("name") or email)),
                normalise_role(rule.get("role")),
                email,
                rule.get("agency"),
            )
    return None


def sso_rules(path: str | os.PathLike | None = None) -> list[dict]:
    target = users_path(path)
    if not target.exists():
        return []
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    rules = data.get("sso", {}).get("roles", [])
    return [dict(r) for r in rules if isinstance(r, dict)]
