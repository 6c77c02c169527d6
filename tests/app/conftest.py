"""AppTest fixtures: pages run against a fresh database file, with and without demonstration data."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from loaders.db import ROOT
from tests.support import databases


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    return databases.demo_db(tmp_path_factory.mktemp("app") / "demo.duckdb")


def _app_on(path, monkeypatch, tmp_path):
    """A maker of AppTests of the whole app (router, sidebar, default page) on the database at `path`."""
    monkeypatch.setenv("NQ57_DB", str(path))
    monkeypatch.setenv("NQ57_USERS", str(tmp_path / "users.toml"))

    def make(**query) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make


@pytest.fixture
def app(demo_db, monkeypatch, tmp_path):
    """The whole app on the demo database."""
    return _app_on(demo_db, monkeypatch, tmp_path)


@pytest.fixture(scope="session")
def app_catalog_db(tmp_path_factory):
    """The catalog file the app tests serve: the app's cached connection stays open for the whole session,
    so it gets a file of its own and the shared catalog_db stays free for read-only connections."""
    return databases.catalog_db(tmp_path_factory.mktemp("app-catalog") / "nq57.duckdb")


@pytest.fixture
def catalog_app(app_catalog_db, monkeypatch, tmp_path):
    """The whole app on the real catalog as `make run` builds it: published figures only, no uploads."""
    # Cached reads are keyed by their SQL, not by the database file: without this, answers from the demo
    # database of an earlier test would stand in for the catalog's (and the other way round after).
    st.cache_data.clear()
    yield _app_on(app_catalog_db, monkeypatch, tmp_path)
    st.cache_data.clear()


# ---------------------------------------------------------------- the states of the data (issue 11 §1)
# Built once per session; the catalog as built and the demo data are the fixtures above and in
# tests/conftest.py (catalog_db, demo_db), never built another way.
STATE_FIXTURES = {
    "catalog": "catalog_db",
    "one_value": "one_value_db",
    "every_indicator": "every_indicator_db",
    "demo": "demo_db",
    "bench_100x": "bench_100x_db",
}


@pytest.fixture(scope="session")
def one_value_db(tmp_path_factory):
    from tests.support import states

    return states.build_one_value(tmp_path_factory.mktemp("one_value") / "nq57.duckdb")


@pytest.fixture(scope="session")
def every_indicator_db(tmp_path_factory):
    from tests.support import states

    return states.build_every_indicator(tmp_path_factory.mktemp("every_indicator") / "nq57.duckdb")


@pytest.fixture(scope="session")
def bench_100x_db(tmp_path_factory):
    from tests.support import states

    return states.build_bench(tmp_path_factory.mktemp("bench_100x") / "bench.duckdb")


@pytest.fixture
def state_db(request, state):
    """The database file of the state of the data named by the test's `state` parameter."""
    return request.getfixturevalue(STATE_FIXTURES[state])
