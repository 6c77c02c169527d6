"""The reporting cycle counts a red value without an assessment and a cause as incomplete ("Thiếu giải trình")."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from loaders import narratives, reporting
from metrics.reporting import agency_summary
from tests.support import databases

PERIOD = "2026-Q3"
LATER = date(2099, 1, 1)  # every value of the demo data has arrived by then


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(databases.demo_db(tmp_path / "demo.duckdb")))
    yield c
    c.close()


def _count(con, agency_id: str) -> int:
    summary = agency_summary(reporting.classified(con, LATER, PERIOD))
    return int(summary.set_index("agency_id").loc[agency_id, "n_unexplained"])


def _a_red_received_item(con) -> tuple[str, str, int]:
    """(indicator, agency, how many of that agency's items it is) for a received value that leaves it red."""
    red = set(narratives.red_without_narrative(con, PERIOD)["indicator_id"])
    owed = reporting.obligations(con, PERIOD)
    hits = owed[owed["item_id"].isin(red) & owed["received_at"].notna() & owed["item_kind"].eq("indicator")]
    assert not hits.empty, "the demo data must have a red value received for this test"
    first = hits.iloc[0]
    mine = hits[hits["agency_id"].eq(first["agency_id"]) & hits["item_id"].eq(first["item_id"])]
    return first["item_id"], first["agency_id"], len(mine)


def test_a_red_value_without_its_why_is_counted_until_it_is_written(con):
    indicator, agency, n = _a_red_received_item(con)
    before = _count(con, agency)
    assert before >= n >= 1
    narratives.record(con, "indicator", indicator, PERIOD, {"assessment": "Chậm do thời tiết"}, "cb")
    assert _count(con, agency) == before  # an assessment without a cause is not enough
    narratives.record(con, "indicator", indicator, PERIOD, {"causes": "Mưa lũ tháng 8"}, "cb")
    assert _count(con, agency) == before - n


def test_nothing_is_unexplained_before_it_arrives(con):
    indicator, agency, _ = _a_red_received_item(con)
    summary = agency_summary(reporting.classified(con, date(2000, 1, 1), PERIOD))
    assert summary["n_unexplained"].sum() == 0
    assert _count(con, agency) >= 1


def test_the_catalog_has_nothing_unexplained(catalog_db):
    c = duckdb.connect(str(catalog_db), read_only=True)
    try:
        summary = agency_summary(reporting.classified(c, LATER, PERIOD))
    finally:
        c.close()
    assert "n_unexplained" in summary.columns
    assert summary["n_unexplained"].sum() == 0
