"""AppTest fixtures: pages run against a fresh database file, with and without demonstration data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from loaders.build import build
from loaders.db import ROOT
from loaders.demo import write_demo


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("app") / "demo.duckdb"
    build(path)
    write_demo(path)
    return path


@pytest.fixture
def app(demo_db, monkeypatch, tmp_path):
    """The whole app (router, sidebar, default page) on the demo database."""
    monkeypatch.setenv("NQ57_DB", str(demo_db))
    monkeypatch.setenv("NQ57_USERS", str(tmp_path / "users.toml"))

    def make(**query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make
