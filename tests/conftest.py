"""Shared fixtures: a fresh DuckDB per test built from the real schema."""

from __future__ import annotations

import os

import duckdb
import pytest

from loaders import db
from tests.support import databases


@pytest.fixture
def fresh_db(tmp_path):
    """An empty database file with the real schema and views, nothing loaded."""
    path = tmp_path / "fresh.duckdb"
    con = duckdb.connect(str(path))
    db.apply_schema(con)
    yield con
    con.close()


@pytest.fixture(scope="session")
def catalog_db(tmp_path_factory):
    """The real catalog in a file; tests that only read share it."""
    return databases.catalog_db(tmp_path_factory.mktemp("catalog") / "nq57.duckdb")


@pytest.fixture
def built_db(tmp_path):
    """A private copy of the real catalog that a test may write to."""
    return databases.catalog_db(tmp_path / "nq57.duckdb")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """A demonstration database private to one test module, for tests that open it read-only."""
    return databases.demo_db(tmp_path_factory.mktemp("demo") / "demo.duckdb")


@pytest.fixture(scope="module")
def demo_con(demo_file):
    c = duckdb.connect(str(demo_file), read_only=True)
    yield c
    c.close()


def _calc(locale: str):
    from tests.support import libreoffice

    why = libreoffice.missing()
    if why:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the LibreOffice tests: {why}")
        pytest.skip(f"Bỏ qua kiểm thử LibreOffice: {why}")
    calc = libreoffice.Calc(locale)
    yield calc
    calc.close()


@pytest.fixture(scope="session")
def calc_vi():
    """A headless LibreOffice Calc whose locale is Vietnamese (decimal comma, day/month/year)."""
    yield from _calc("vi-VN")


@pytest.fixture(scope="session")
def calc_en():
    """A headless LibreOffice Calc whose locale is US English (decimal point, month/day/year)."""
    yield from _calc("en-US")


@pytest.fixture(scope="session")
def _secretariat_accounts(tmp_path_factory):
    """One accounts file with the secretariat account the upload tests name in `--by` (role van_phong)."""
    from loaders import auth

    path = tmp_path_factory.mktemp("accounts") / "users.toml"
    auth.add_user("thuy", "mat-khau-dung", full_name="Nguyễn Thị Thủy", path=path, rounds=4)
    return path


@pytest.fixture(autouse=True)
def _accounts_env(_secretariat_accounts, monkeypatch, tmp_path):
    """No test reads the developer's .streamlit/users.toml or writes its login log; tests may override."""
    monkeypatch.setenv("NQ57_USERS", str(_secretariat_accounts))
    monkeypatch.setenv("NQ57_AUTH_LOG", str(tmp_path / "login_failures.log"))
