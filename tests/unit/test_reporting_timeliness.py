"""Obligations per period and agency, and on time / late / missing with a fixed 'today' around every boundary."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from loaders import reporting
from loaders.upload_commit import commit
from loaders.upload_preview import validate_and_preview
from metrics.reporting import LATE, MISSING, ON_TIME, PENDING, agency_summary, classify, province_rate
from tests.unit import bad_files

# 2026-Q1 by the rule: figures 15/12/2025 – 14/03/2026, agencies by Wed 18/03, the province by 25/03.
DEADLINE = date(2026, 3, 18)


def _one(received_at, today):
    frame = pd.DataFrame({"received_at": [received_at], "agency_deadline": [DEADLINE], "period": ["2026-Q1"]})
    row = classify(frame, today).iloc[0]
    return row["state"], (None if pd.isna(row["days_late"]) else int(row["days_late"]))


@pytest.mark.parametrize(
    ("received_at", "today", "state", "days"),
    [
        (None, date(2026, 3, 14), PENDING, None),  # last day of the cut-off
        (None, date(2026, 3, 15), PENDING, None),  # cut-off passed, deadline not
        (None, DEADLINE, PENDING, None),  # the deadline day itself is still in time
        (None, date(2026, 3, 19), MISSING, 1),  # one day after
        (None, date(2026, 3, 23), MISSING, 5),  # over a weekend: calendar days
        (datetime(2026, 3, 18, 23, 59), date(2026, 3, 19), ON_TIME, None),  # late on the deadline day
        (datetime(2026, 3, 19, 0, 0), date(2026, 3, 19), LATE, 1),  # just after midnight
        (datetime(2026, 3, 21, 10, 0), date(2026, 3, 30), LATE, 3),  # sent on a Saturday
        (datetime(2026, 3, 2, 8, 0), date(2026, 3, 30), ON_TIME, None),  # before the cut-off ended
        (datetime(2026, 3, 20, 8, 0), date(2026, 3, 19), MISSING, 1),  # arrives after 'today': not yet
    ],
)
def test_state_around_every_boundary(received_at, today, state, days):
    assert _one(received_at, today) == (state, days)


def test_summary_and_province_rate_count_what_classify_says():
    obligations = pd.DataFrame(
        {
            "period": ["2026-Q1"] * 4,
            "agency_id": ["a", "a", "b", "b"],
            "agency_name": ["Sở A", "Sở A", "Sở B", "Sở B"],
            "agency_short_name": ["A", "A", "B", "B"],
            "item_kind": ["indicator"] * 4,
            "item_id": ["X", "Y", "X2", "Y2"],
            "received_at": [datetime(2026, 3, 10), None, datetime(2026, 3, 20), datetime(2026, 3, 1)],
            "agency_deadline": [DEADLINE] * 4,
        }
    )
    summary = agency_summary(classify(obligations, date(2026, 3, 25)))
    expected = pd.DataFrame(
        {
            "agency_id": ["a", "b"],
            "n_owed": [2, 2],
            "n_received": [1, 2],
            "n_on_time": [1, 1],
            "n_late": [0, 1],
            "n_missing": [1, 0],
            "n_pending": [0, 0],
            "max_days_late": pd.array([7, 2], dtype="Int64"),
        }
    )
    # a (one missing for 7 days) and b (one late by 2) are both overdue once: the longer delay first
    pd.testing.assert_frame_equal(summary[expected.columns], expected)
    assert summary["share_on_time"].tolist() == [0.5, 0.5]
    rate = province_rate(classify(obligations, date(2026, 3, 25)), date(2026, 3, 25))
    assert rate[["n_owed", "n_received", "n_on_time", "closed"]].values.tolist() == [[4, 3, 2, True]]


def test_nothing_owed_gives_empty_frames():
    empty = classify(pd.DataFrame(columns=["received_at", "agency_deadline", "period"]), date(2026, 1, 1))
    assert agency_summary(empty).empty and province_rate(empty, date(2026, 1, 1)).empty


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(bad_files.catalog_db(tmp_path / "nq57.duckdb")))
    yield c
    c.close()


def test_obligations_follow_frequency_and_successors(con):
    rows = reporting.obligations(con)
    indicators = rows[rows["item_kind"].eq("indicator")]
    freq = indicators.groupby("frequency")["period"].apply(lambda s: sorted({p[-2:] for p in s}))
    assert freq["yearly"] == ["Q4"] and freq["half_yearly"] == ["Q2", "Q4"]
    assert freq["quarterly"] == ["Q1", "Q2", "Q3", "Q4"]
    # merged bodies owe nothing in their own name: their successor does
    merged = con.execute("SELECT agency_id FROM agencies WHERE status = 'merged'").df()["agency_id"]
    assert not rows["agency_id"].isin(merged).any()
    leads = con.execute(
        "SELECT DISTINCT t.indicator_id FROM targets t JOIN v_target_agencies ta USING (target_id) "
        "WHERE ta.agency_id = 'so_khcn' AND t.due_period = '2025-Q4'"
    ).df()["indicator_id"]
    q4 = indicators[indicators["period"].eq("2025-Q4") & indicators["agency_id"].eq("so_khcn")]
    assert set(leads) <= set(q4["item_id"])
    # a target of Q4/2025 is not owed after its horizon
    only_q4 = con.execute(
        "SELECT indicator_id FROM targets GROUP BY 1 HAVING max(due_period) = '2025-Q4'"
    ).df()["indicator_id"]
    assert not indicators[indicators["period"].ne("2025-Q4")]["item_id"].isin(only_q4).any()
    assert rows["received_at"].isna().all()  # the real catalog: nothing uploaded


def test_an_upload_counts_as_received_with_its_time(con):
    owed = reporting.obligations(con, "2026-Q1")
    code = owed[owed["item_kind"].eq("indicator")]["item_id"].iloc[0]
    unit = con.execute("SELECT direction FROM indicators WHERE indicator_id = ?", [code]).fetchone()[0]
    value = "Đạt" if unit in ("yes_no", "qualitative") else 50
    xlsx = bad_files.fill(bad_files.template(con, "2026-Q1"), {code: value})
    preview = validate_and_preview(con, xlsx, "mau.xlsx", today=date(2026, 3, 20), with_status=False)
    assert preview.ok, preview
    commit(con, preview, "thu.ky", now=datetime(2026, 3, 19, 8, 30))
    states = reporting.classified(con, date(2026, 3, 30), "2026-Q1")
    mine = states[states["item_id"].eq(code)]
    assert set(mine["state"]) == {LATE} and set(mine["days_late"]) == {1}
    others = states[~states["item_id"].eq(code)]
    assert set(others["state"]) == {MISSING}
    # the same figure for another period is not a report for this one
    assert reporting.obligations(con, "2026-Q2")["received_at"].isna().all()
