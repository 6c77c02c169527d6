"""A real app on 127.0.0.1 and a real headless Chromium: what a person sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.serve import CHROMIUM_ARGS
from tests.browser import chromium, in_ci, missing_reason, require_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "screenshots"


WHAT = "kiểm thử trình duyệt"


def pytest_collection_modifyitems(config, items):
    if chromium() or in_ci():
        return  # in CI a missing browser must fail, not skip: the browser fixture fails
    skip = pytest.mark.skip(reason=missing_reason(WHAT))
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """Serve the app on 127.0.0.1 against a fresh database with demonstration data; stopped by PID."""
    from devtools.serve import serve
    from tests.support import databases

    db = databases.demo_db(tmp_path_factory.mktemp("e2e") / "nq57.duckdb")
    with serve(db) as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    path = require_chromium(WHAT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield b
        b.close()
