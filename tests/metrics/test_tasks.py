"""Task statuses as of a period: lateness by due date, recurring and waiting tasks, the roll-up, NV_HOAN_THANH."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pandas as pd
import pytest

from loaders import read
from metrics import task_completion as tc
from metrics import tasks as mt

TODAY = date(2026, 11, 23)


def catalog(*rows) -> pd.DataFrame:
    """Tasks as v_tasks gives them (with plan_period), from (task_id, kind, due, note, plan_period)."""
    frame = pd.DataFrame(rows, columns=["task_id", "deadline_kind", "due_date", "note", "plan_period"])
    frame["due_date"] = pd.to_datetime(frame["due_date"])
    frame["plan_id"] = "p"
    frame["plan_name"] = "KH thử"
    frame["section"] = "I"
    frame["section_title"] = "Mục thử"
    frame["row_no"] = "1"
    frame["title"] = "Nhiệm vụ " + frame["task_id"]
    frame["lead_agency"] = "Sở Khoa học và Công nghệ"
    frame["lead_agency_as_written"] = "Sở Khoa học và Công nghệ"
    frame["deadline_text"] = ""
    return frame


def updates(*rows) -> pd.DataFrame:
    """v_task_updates rows from (task_id, period, status, completed_on)."""
    frame = pd.DataFrame(rows, columns=["task_id", "period", "status", "completed_on"])
    frame["completed_on"] = pd.to_datetime(frame["completed_on"])
    frame["evidence"] = frame["completed_on"].map(lambda d: None if pd.isna(d) else "CV 1/SKHCN")
    frame["note"] = None
    frame["recorded_by"] = "thuy"
    frame["recorded_at"] = pd.Timestamp(datetime(2026, 1, 5, 8, 0))
    return frame


TASKS = catalog(
    ("A", "date", "2025-10-31", None, "2025-Q1"),  # never reported: late once October is over
    ("B", "date", "2025-12-31", None, "2025-Q1"),  # done before its due date
    ("C", "date", "2025-11-30", None, "2025-Q1"),  # done after it: done late
    ("D", "recurring", None, None, "2025-Q1"),  # assessed each quarter
    ("E", "waiting", None, None, "2025-Q1"),  # waits on another body: never late, even if reported behind
    ("F", "unknown", None, "Theo TB 30; Nhiệm vụ chậm tiến độ", "2025-Q4"),  # the plan marks it late
    ("G", "date", "2026-12-31", None, "2025-Q1"),  # stopped
)
UPDATES = updates(
    ("B", "2025-Q4", "done", "2025-12-20"),
    ("C", "2025-Q4", "in_progress", None),
    ("C", "2026-Q1", "done", "2026-02-10"),
    ("D", "2025-Q3", "in_progress", None),
    ("D", "2026-Q1", "behind", None),
    ("E", "2025-Q4", "behind", None),
    ("G", "2025-Q4", "stopped", None),
)


def expected(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["task_id", "status", "timing", "late", "done", "days_late"])
    frame["days_late"] = frame["days_late"].astype("Int64")
    return frame


@pytest.mark.parametrize(
    ("as_of", "rows"),
    [
        (
            "2025-Q3",
            [
                ("A", "no_update", "due_later", False, False, None),
                ("B", "no_update", "due_later", False, False, None),
                ("C", "no_update", "due_later", False, False, None),
                ("D", "in_progress", "recurring", False, False, None),
                ("E", "no_update", "waiting", False, False, None),
                ("G", "no_update", "due_later", False, False, None),
            ],  # F belongs to a plan issued in Q4: not yet a task
        ),
        (
            "2025-Q4",
            [
                ("A", "no_update", "late", True, False, 61),
                ("B", "done", "done", False, True, None),
                ("C", "in_progress", "late", True, False, 31),
                ("D", "no_update", "recurring", False, False, None),
                ("E", "behind", "waiting", False, False, None),
                ("F", "no_update", "late", True, False, None),
                ("G", "stopped", "stopped", False, False, None),
            ],
        ),
        (
            "2026-Q1",
            [
                ("A", "no_update", "late", True, False, 151),
                ("B", "done", "done", False, True, None),
                ("C", "done", "done_late", False, True, 72),
                ("D", "behind", "late", True, False, None),
                ("E", "behind", "waiting", False, False, None),
                ("F", "no_update", "late", True, False, None),
                ("G", "stopped", "stopped", False, False, None),
            ],
        ),
    ],
)
def test_lateness_as_of_the_end_of_each_quarter(as_of, rows):
    got = mt.task_status(TASKS, UPDATES, as_of, TODAY)
    got = got.sort_values("task_id").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        got[["task_id", "status", "timing", "late", "done", "days_late"]], expected(rows)
    )


@pytest.mark.parametrize(
    ("today", "timing"),
    [(date(2026, 11, 23), "due_later"), (date(2026, 11, 30), "due_later"), (date(2026, 12, 1), "late")],
)
def test_in_the_quarter_in_progress_a_task_is_late_only_once_its_due_date_has_passed(today, timing):
    tasks = catalog(("H", "date", "2026-11-30", None, "2025-Q1"))
    got = mt.task_status(tasks, updates(), "2026-Q4", today)
    assert got["timing"].tolist() == [timing]
    assert mt.cutoff("2026-Q4", today) == min(today, date(2027, 1, 1))


def test_a_done_task_reported_as_done_late_stays_done_late_and_the_newest_report_wins():
    tasks = catalog(("K", "date", "2025-12-31", None, "2025-Q1"))
    history = updates(
        ("K", "2025-Q4", "done_late", "2025-12-01"),  # the agency's own word: late
        ("K", "2025-Q3", "in_progress", None),
    )
    assert mt.task_status(tasks, history, "2025-Q4", TODAY)["timing"].tolist() == ["done_late"]
    assert mt.task_status(tasks, history, "2025-Q3", TODAY)["status"].tolist() == ["in_progress"]


def test_period_end_and_cutoff():
    assert mt.period_end("2025-Q4") == date(2025, 12, 31)
    assert mt.period_end("2026-Q1") == date(2026, 3, 31)
    assert mt.period_end("2024-Q1") == date(2024, 3, 31)
    assert mt.cutoff("2025-Q3", TODAY) == date(2025, 10, 1)


# ---------------------------------------------------------------- the real catalog


@pytest.fixture(scope="module")
def con(catalog_db):
    c = duckdb.connect(str(catalog_db), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def tasks(con):
    return read.task_catalog(con)


def test_the_completion_basis_is_the_q4_plans_tasks_due_by_q4_or_marked_late(tasks):
    status = mt.task_status(tasks, updates(), "2025-Q4", TODAY)
    completion = tc.task_completion(status, "2025-Q4")
    assert completion.basis == (
        "ubnd6896-T003",  # Tháng 11/2025
        "ubnd6896-T004",  # Tháng 12/2025
        "ubnd6896-T006",  # Tháng 12/2025
        "ubnd6896-T007",  # Tháng 10/2025
        "ubnd6896-T008",  # Tháng 10/2025
        "ubnd6896-T009",  # Tháng 10/2025, and marked "Nhiệm vụ chậm tiến độ"
        "ubnd6896-T011",  # no deadline printed, marked "Nhiệm vụ chậm tiến độ"
    )
    assert completion.done == () and completion.share == 0
    before = tc.task_completion(mt.task_status(tasks, updates(), "2025-Q3", TODAY), "2025-Q3")
    assert before.basis == () and before.share is None, "the plan was issued in Q4/2025"


def test_the_computed_indicator_counts_done_and_done_late_and_says_its_basis(tasks):
    history = updates(
        ("ubnd6896-T003", "2025-Q4", "done", "2025-11-20"),
        ("ubnd6896-T007", "2025-Q4", "done_late", "2025-12-15"),
        ("ubnd6896-T008", "2025-Q4", "in_progress", None),
        ("ubnd6896-T001", "2025-Q4", "done", "2025-12-01"),  # recurring: not in the basis
    )
    completion = tc.task_completion(mt.task_status(tasks, history, "2025-Q4", TODAY), "2025-Q4")
    assert completion.done == ("ubnd6896-T003", "ubnd6896-T007")
    assert completion.share == pytest.approx(200 / 7)
    reported = {"value": 58.6, "period": "2025-Q3", "recorded_by": "Số liệu công bố (B)"}
    text = tc.completion_sentence(completion, reported)
    assert "28,6%" in text and "2/7 nhiệm vụ" in text and "KH 6896/KH-UBND" in text
    assert "Nhiệm vụ chậm tiến độ" in text and "58,6%" in text and "Quý III/2025" in text
    later = tc.Completion("2026-Q2", completion.basis, completion.basis)
    text = tc.completion_sentence(later, None, at_due=completion)
    assert "**100,0%** (7/7 nhiệm vụ)" in text and "tại hạn (Quý IV/2025) đạt 28,6% (2/7)" in text
    assert "Chưa có số liệu báo cáo cho chỉ tiêu NV_HOAN_THANH" in text


def test_reported_value_is_the_latest_up_to_the_period():
    actuals = pd.DataFrame(
        {"period": ["2025-Q3", "2026-Q1"], "value": [58.6, 80.0], "recorded_by": ["a", "b"]}
    )
    assert tc.reported_value(actuals, "2025-Q4")["value"] == 58.6
    assert tc.reported_value(actuals, "2026-Q2")["value"] == 80.0
    assert tc.reported_value(actuals, "2025-Q2") is None


def test_tasks_led_by_merged_agencies_roll_up_to_their_successor(con, tasks):
    status = mt.task_status(tasks, updates(), "2026-Q3", TODAY)
    links = read.task_links(con)
    rollup = mt.rollup_by_agency(status, links).set_index("agency_id")
    led_by_tttt = {
        r[0]
        for r in con.execute(
            "SELECT task_id FROM task_agencies WHERE role = 'lead' AND agency_id = 'so_tttt'"
        ).fetchall()
    }
    assert led_by_tttt, "the 02/2025 plan gives tasks to Sở Thông tin và Truyền thông"
    assert "so_tttt" not in rollup.index
    khcn = set(mt.tasks_of_agency(links, "so_khcn"))
    assert led_by_tttt <= khcn
    expected = {
        r[0]
        for r in con.execute(
            """
            SELECT DISTINCT ta.task_id FROM task_agencies ta JOIN v_agencies a USING (agency_id)
            WHERE ta.role = 'lead' AND a.current_agency_id = 'so_khcn'
            """
        ).fetchall()
    }
    assert khcn == expected
    assert rollup.loc["so_khcn", "n_tasks"] == len(expected), "a task naming two merged bodies counts once"
    assert "ubnd2025-T004" in khcn  # led by "Sở Thông tin và Truyền thông | Sở Khoa học và Công nghệ"
    # Every task is counted at least once, and a task led by two current agencies twice.
    n_leads = len(mt.lead_links(links))
    assert rollup["n_tasks"].sum() == n_leads >= len(status)


def test_filters_combine(con, tasks):
    history = updates(("ubnd6896-T003", "2025-Q4", "done", "2025-11-20"))
    status = mt.task_status(tasks, history, "2026-Q3", TODAY)
    links = read.task_links(con)
    plan = mt.filter_tasks(status, links, plan="ubnd6896")
    assert len(plan) == 13
    late = mt.filter_tasks(status, links, plan="ubnd6896", late_only=True)
    assert set(late["task_id"]) == {
        "ubnd6896-T004",
        "ubnd6896-T006",
        "ubnd6896-T007",
        "ubnd6896-T008",
        "ubnd6896-T009",
        "ubnd6896-T011",
    }
    done = mt.filter_tasks(status, links, statuses=["done"])
    assert done["task_id"].tolist() == ["ubnd6896-T003"]
    section = mt.filter_tasks(status, links, plan="ubnd6896", section="Công tác chỉ đạo, điều hành")
    assert sorted(section["task_id"]) == ["ubnd6896-T001", "ubnd6896-T002", "ubnd6896-T003"]
    vp = mt.filter_tasks(status, links, agency="vp_ubnd")
    assert set(vp["lead_agency"]) == {"Văn phòng UBND tỉnh"}


def test_due_buckets_cover_every_task_once_in_time_order(tasks):
    status = mt.task_status(tasks, updates(), "2026-Q3", TODAY)
    buckets = mt.due_buckets(status)
    assert buckets["n"].sum() == len(status) == 109
    labels = list(dict.fromkeys(buckets.sort_values("bucket")["label"]))
    assert labels == [
        "02/2025",
        "03/2025",
        "10/2025",
        "11/2025",
        "12/2025",
        "12/2026",
        "12/2030",
        "Thường xuyên",
        "Chờ hướng dẫn",
        "Không ghi thời hạn",
    ]


def test_every_task_lands_in_exactly_one_tile(tasks):
    status = mt.task_status(tasks, UPDATES.iloc[0:0], "2026-Q3", TODAY)
    assert sum(n for _, n in mt.tile_counts(status)) == len(status)
    assert {t for tile in mt.TILES for t in tile.timings} == set(mt.TIMING_CODES)
