"""Demonstration actuals for training and screenshots, written only into a separate database marked 'demo'."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import duckdb

from loaders import db
from metrics.periods import period_index, period_range

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
        con.execute("BEGIN TRANSACTION")
        con.execute(
            "DELETE FROM actual_revisions WHERE upload_id IN (SELECT upload_id FROM uploads WHERE kind = 'demo')"
        )
        con.execute("DELETE FROM uploads WHERE kind = 'demo'")
        upload_id = con.execute("SELECT nextval('upload_seq')").fetchall()[0][0]
        now = datetime(2026, 10, 15, 9, 0, 0)
        con.execute(
            "INSERT INTO uploads VALUES (?, 'demo', ?, 'demo', ?, ?, NULL, ?, ?)",
            [upload_id, DEMO_FILE, DEMO_BY, now, len(rows), "Số liệu giả định để tập huấn và chụp màn hình."],
        )
        con.executemany(
            "INSERT INTO actual_revisions VALUES (nextval('revision_seq'), ?, ?, ?, ?, ?, NULL, NULL, false, ?, ?)",
            [
                (upload_id, i, p, v, t, DEMO_BY, now)
                for i, p, v, t in sorted(rows, key=lambda r: (r[0], period_index(r[1])))
            ],
        )
        con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset', 'demo')")
        con.execute("COMMIT")
        return len(rows)
    finally:
        con.close()
