"""Fixtures of the upload tests: a private catalog database per test and the blank template."""

from __future__ import annotations

import duckdb
import pytest

from tests.support import databases, workbooks


@pytest.fixture
def db_file(tmp_path):
    return databases.catalog_db(tmp_path / "nq57.duckdb")


@pytest.fixture
def con(db_file):
    c = duckdb.connect(str(db_file))
    yield c
    c.close()


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    """The blank template, made from a database of its own so test databases stay free for subprocesses."""
    c = duckdb.connect(str(databases.catalog_db(tmp_path_factory.mktemp("blank") / "nq57.duckdb")))
    try:
        return workbooks.template(c)
    finally:
        c.close()
