"""The status rules on the catalog as built (no uploads): what a new install shows for months."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from loaders import read

COLUMNS = ["target_id", "status", "rule", "actual_period", "value_age_quarters", "next_due_period"]
SQL = """
SELECT s.target_id, s.status, s.rule, s.actual_period, s.value_age_quarters, s.next_due_period
FROM target_status(?) s JOIN v_targets t USING (target_id)
WHERE t.indicator_id IN ('NV_HOAN_THANH', 'CQ_DIEU_HANH_DIEN_TU', 'HSSK_DIEN_TU', 'PII')
ORDER BY s.target_id
"""


@pytest.fixture
def con(catalog_db):
    con = duckdb.connect(str(catalog_db), read_only=True)
    yield con
    con.close()


def _expected(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"value_age_quarters": "Int32"})


def test_every_indicator_has_a_frequency_from_its_measure(con):
    got = dict(con.execute("SELECT indicator_id, frequency FROM indicators").fetchall())
    n_indicators = con.execute("SELECT count(DISTINCT indicator_id) FROM v_targets").fetchone()[0]
    assert set(got.values()) <= {"quarterly", "half_yearly", "yearly"} and len(got) == n_indicators > 50
    # statistics and national indices once a year; administrative rates every quarter
    assert {k: got[k] for k in ("KTS_GRDP", "PII", "HDI", "TFP", "CHI_NS_KHCN", "DVC_TOAN_TRINH")} == {
        "KTS_GRDP": "yearly",
        "PII": "yearly",
        "HDI": "yearly",
        "TFP": "yearly",
        "CHI_NS_KHCN": "yearly",
        "DVC_TOAN_TRINH": "quarterly",
    }


def test_the_85_of_145_figure_is_context_never_judged(con):
    flagged = con.execute(
        "SELECT period, value, comparable FROM v_actuals WHERE indicator_id = 'NV_HOAN_THANH'"
    )
    assert flagged.fetchall() == [("2025-Q3", 58.6, False)]
    got = con.execute(SQL, ["2025-Q4"]).df()
    nv = got[got["target_id"].isin(["tu11-01", "ubnd6896-01"])].reset_index(drop=True)
    assert list(nv["status"]) == ["no_data", "no_data"] and list(nv["rule"]) == ["context_only"] * 2


def test_as_of_the_latest_data_and_a_quarter_and_a_year_later(con):
    q4 = con.execute(SQL, ["2025-Q4"]).df()
    assert_frame_equal(
        q4,
        _expected(
            [
                # PII 2023: the 2024 and 2025 ranks were due and did not come
                ("skhcn2025-I.6", "not_reported", "not_reported", "2023-Q4", 8, "2024-Q4"),
                ("skhcn2025-II.2", "not_reported", "not_reported", "2023-Q4", 8, "2024-Q4"),
                ("tu11-01", "no_data", "context_only", None, pd.NA, None),
                ("ubnd2025-20", "insufficient_data", "single_point", "2025-Q4", 0, "2026-Q2"),
                ("ubnd2025-21", "not_reported", "not_reported", "2023-Q4", 8, "2024-Q4"),
                ("ubnd2025-24", "not_reported", "not_reported", "2023-Q4", 8, "2024-Q4"),
                ("ubnd2025-6.12", "met_early", "met_early", "2025-Q4", 0, "2026-Q1"),
                ("ubnd6896-01", "no_data", "context_only", None, pd.NA, None),
            ]
        ),
    )
    q1 = con.execute(SQL, ["2026-Q1"]).df().set_index("target_id")
    # half-yearly health records: the Q4 value holds in Q1; quarterly e-government: Q1 was due
    assert (q1.loc["ubnd2025-20", "status"], q1.loc["ubnd2025-20", "value_age_quarters"]) == (
        "insufficient_data",
        1,
    )
    assert q1.loc["ubnd2025-6.12", "status"] == "not_reported"
    q3 = con.execute(SQL, ["2026-Q3"]).df().set_index("target_id")
    assert q3.loc["ubnd2025-20", "status"] == "not_reported"  # the Q2/2026 value was due


def test_the_picker_starts_at_the_latest_period_with_comparable_data(con):
    assert read.latest_period(con) == "2025-Q4"
