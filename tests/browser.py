"""One rule for the tests that truly need Chromium: skip locally with the reason, fail in CI (CI=true).

A bare machine with only Python and make runs `make test` green; CI installs chromium (.ci/run) and a
missing browser there is a failure, never a silent skip.
"""

from __future__ import annotations

import os

import pytest

from exports.images import browser_path


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def chromium() -> str | None:
    """$BROWSER_PATH when set, else Debian's chromium on the PATH: the same lookup as the app's images."""
    return browser_path()


def missing_reason(what: str) -> str:
    return f"Không tìm thấy Chromium (apt-get install chromium): bỏ qua {what}."


def ci_failure(what: str) -> str:
    return f"CI=true nhưng không có Chromium: .ci/run phải cài gói chromium cho {what}."


def require_chromium(what: str) -> str:
    """The browser's path, or skip (locally) / fail (in CI) saying which tests need it."""
    path = chromium()
    if path is not None:
        return path
    if in_ci():
        pytest.fail(ci_failure(what))
    pytest.skip(missing_reason(what))
