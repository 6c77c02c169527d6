"""Demonstration actuals for training and screenshots, written only into a separate database marked 'demo'."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from loaders import db
from metrics.deadlines import DATE, RECURRING, WAITING
from metrics.periods import period_index, period_of_date, period_range
from metrics.tasks import BEHIND, DONE, DONE_LATE, IN_PROGRESS, NOT_STARTED, STOPPED, period_end

DEMO_BY = "Dữ liệu minh họa"
DEMO_FILE = "du-lieu-minh-hoa (không phải số liệu thật)"
FIRST, LAST = "2025-Q1", "2026-Q3"
MANUAL_CHOICES = ("Đạt", "Đang thực hiện", "Chưa đạt")


class DemoRefused(Exception):
    """Demonstration data would mix with real data."""


def _series(rng: random.Random, start: float, goal: float, periods: int, pace: float) -> list[float]:
    """A noisy path from start toward goal; pace < 1 lags behind the straight line."""
    out = []
    for i in range(periods):
        share = (i / max(periods - 1, 1)) * pace
        noise = rng.uniform(-0.03, 0.03) * abs(goal - start)
        out.append(start + (goal - start) * share + noise)
    return out


def demo_rows(con: duckdb.DuckDBPyConnection, seed: int = 57) -> list[tuple]:
    """(indicator_id, period, value, value_text) rows: a plausible quarter-by-quarter history per indicator."""
    rng = random.Random(seed)
    indicators = con.execute(
        """
        SELECT i.indicator_id, i.direction, i.min_value, i.max_value,
               -- aim at the next horizon (2030), not 2045: a demo series should look like a real one
               coalesce(arg_min(t.target_value, t.due_period) FILTER (WHERE t.due_period > ?),
                        arg_max(t.target_value, t.due_period)) AS final_target
        FROM indicators i JOIN targets t USING (indicator_id)
        GROUP BY ALL ORDER BY i.indicator_id
        """,
        [LAST],
    ).fetchall()
    periods = period_range(FIRST, LAST)
    rows: list[tuple] = []
    for indicator_id, direction, low, high, final in indicators:
        if direction in ("yes_no", "qualitative"):
            for period in periods[-3:]:
                rows.append((indicator_id, period, None, rng.choice(MANUAL_CHOICES)))
            continue
        # Some indicators report yearly only, some skipped a quarter: real reporting is patchy.
        reported = [p for p in periods if rng.random() > 0.15] or periods[-1:]
        pace = rng.choice((0.3, 0.55, 0.8, 1.0, 1.1))
        if direction == "lower":
            start = 62.0
            goal = final or 57.0
            values = [round(v) for v in _series(rng, start, goal, len(periods), pace)]
        else:
            goal = final or 1.0
            start = goal * rng.uniform(0.25, 0.6)
            values = _series(rng, start, goal, len(periods), pace)
        for period, value in zip(periods, values, strict=True):
            if period not in reported:
                continue
            if low is not None:
                value = max(value, low)
            if high is not None:
                value = min(value, high)
            rows.append((indicator_id, period, round(value, 1 if goal >= 1 else 3), None))
    return rows


_TASKS_SQL = """
SELECT k.task_id, k.deadline_kind, k.due_date, p.plan_period
FROM v_tasks k JOIN plans p USING (plan_id)
ORDER BY k.task_id
"""
DEMO_TODAY = date(2026, 10, 15)  # the demo's data date: nothing is completed after it


def _evidence(rng: random.Random, day: date) -> str:
    kind = rng.choice(("Báo cáo", "Công văn", "Quyết định", "Kế hoạch"))
    return f"{kind} số {rng.randint(12, 480)}/{kind[:2].upper()}-UBND ngày {day:%d/%m/%Y} (minh họa)"


def _day_in(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def demo_task_rows(con: duckdb.DuckDBPyConnection, seed: int = 57) -> list[tuple]:
    """(task_id, period, status, completed_on, evidence, note) rows: a plausible reporting history per task.

    One-off tasks move from not started to in progress to done (some after their due date, some never);
    recurring tasks are assessed every quarter; tasks waiting on another body stay open.
    """
    rng = random.Random(seed * 7 + 1)
    rows: list[tuple] = []
    for task_id, kind, due, plan_period in con.execute(_TASKS_SQL).fetchall():
        periods = period_range(max(plan_period, FIRST, key=period_index), LAST)
        if kind == RECURRING:
            for period in periods:
                if rng.random() < 0.2:
                    continue  # not reported this quarter
                status = rng.choices((IN_PROGRESS, DONE, BEHIND), (0.65, 0.25, 0.1))[0]
                done_on = _day_in(rng, period_end(period) - timedelta(days=40), period_end(period))
                done_on = min(done_on, DEMO_TODAY)
                if status == DONE:
                    rows.append(
                        (task_id, period, DONE, done_on, _evidence(rng, done_on), "Hoàn thành kỳ này")
                    )
                else:
                    rows.append((task_id, period, status, None, None, None))
            continue
        if kind == WAITING:
            for period in periods[:: rng.choice((2, 3))]:
                rows.append((task_id, period, rng.choice((NOT_STARTED, IN_PROGRESS)), None, None, None))
            continue
        start = date.fromisoformat(period_end(periods[0]).isoformat()) - timedelta(days=80)
        due_day = due.date() if hasattr(due, "date") else due
        fate = rng.choices(("on_time", "late", "open", "stopped"), (0.55, 0.2, 0.22, 0.03))[0]
        done_on = None
        if kind == DATE and due_day is not None and fate == "on_time":
            done_on = _day_in(rng, max(start, due_day - timedelta(days=75)), min(due_day, DEMO_TODAY))
        elif fate == "late" or (kind != DATE and fate == "on_time"):
            base = due_day or date(2025, 12, 31)
            done_on = _day_in(rng, base + timedelta(days=10), base + timedelta(days=200))
            if done_on > DEMO_TODAY:
                done_on = None
        done_period = period_of_date(done_on) if done_on else None
        for i, period in enumerate(periods):
            if done_period and period_index(period) > period_index(done_period):
                break
            if done_period == period:
                status = DONE if due_day is None or done_on <= due_day else DONE_LATE
                rows.append((task_id, period, status, done_on, _evidence(rng, done_on), None))
                break
            if rng.random() < 0.3:
                continue
            if fate == "stopped" and i >= 2:
                note = "Chờ bố trí kinh phí; đề nghị điều chỉnh nhiệm vụ"
                rows.append((task_id, period, STOPPED, None, None, note))
                break
            overdue = due_day is not None and period_end(period) > due_day
            status = (BEHIND if overdue else IN_PROGRESS) if i else rng.choice((NOT_STARTED, IN_PROGRESS))
            rows.append((task_id, period, status, None, None, None))
    return rows


def write_demo(path: str | Path, seed: int = 57) -> int:
    """Add the demonstration history to a built database and mark it 'demo'. Refuses the real database."""
    target = Path(path)
    if target.resolve() == db.DEFAULT_DB.resolve():
        raise DemoRefused("Không ghi dữ liệu minh họa vào cơ sở dữ liệu thật (data/nq57.duckdb).")
    con = db.connect(target)
    try:
        real = con.execute("SELECT count(*) FROM uploads WHERE kind <> 'demo'").fetchall()[0][0]
        if real:
            raise DemoRefused(
                "Cơ sở dữ liệu này đã có số liệu tải lên thật: không trộn dữ liệu minh họa vào."
            )
        rows = demo_rows(con, seed)
        task_rows = demo_task_rows(con, seed)
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "DELETE FROM actual_revisions WHERE upload_id IN (SELECT upload_id FROM uploads WHERE kind = 'demo')"
        )
        con.execute(
            "DELETE FROM task_updates WHERE upload_id IN (SELECT upload_id FROM uploads WHERE kind = 'demo')"
        )
        con.execute("DELETE FROM uploads WHERE kind = 'demo'")
        upload_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        now = datetime(2026, 10, 15, 9, 0, 0)
        con.execute(
            "INSERT INTO uploads VALUES (?, 'demo', ?, 'demo', ?, ?, NULL, ?, ?)",
            [
                upload_id,
                DEMO_FILE,
                DEMO_BY,
                now,
                len(rows) + len(task_rows),
                "Số liệu giả định để tập huấn và chụp màn hình.",
            ],
        )
        con.executemany(
            "INSERT INTO actual_revisions VALUES (nextval('revision_seq'), ?, ?, ?, ?, ?, NULL, NULL, false, ?, ?)",
            [
                (upload_id, i, p, v, t, DEMO_BY, now)
                for i, p, v, t in sorted(rows, key=lambda r: (r[0], period_index(r[1])))
            ],
        )
        con.executemany(
            "INSERT INTO task_updates VALUES (nextval('task_update_seq'), ?, ?, ?, ?, ?, ?, ?, false, ?, ?)",
            [(upload_id, *row, DEMO_BY, now) for row in task_rows],
        )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', 'demo')")
        con.execute("COMMIT")
        return len(rows)
    finally:
        con.close()
