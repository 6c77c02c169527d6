"""Fixtures of the loader tests: a built catalog database per test and the blank template."""

from __future__ import annotations

import duckdb
import pytest

from tests.unit import bad_files


@pytest.fixture
def db_file(tmp_path):
    return bad_files.catalog_db(tmp_path / "nq57.duckdb")


@pytest.fixture
def con(db_file):
    c = duckdb.connect(str(db_file))
    yield c
    c.close()


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    """The blank template for 2025-Q4, made from a database of its own."""
    c = duckdb.connect(str(bad_files.catalog_db(tmp_path_factory.mktemp("blank") / "nq57.duckdb")))
    try:
        return bad_files.template(c)
    finally:
        c.close()
