"""The reporting-cycle benchmark database: 60 reporting agencies × 12 reporting periods (issue 15).

    python -m bench.generate_reporting -o bench/results/data/reporting-60x12.duckdb [--today 2026-12-02]

Built from the real catalog (loaders.build.build), like bench/generate.py, then:
- the reporting calendar is cut to 12 quarters: the 8 up to today's quarter and the 4 after it (on
  2026-12-02: 2025-Q1 … 2027-Q4), rows missing from data/reporting_calendar.csv made by the Decree 09 rule;
- synthetic agencies `bench_ag_NN` ("Cơ quan thử hiệu năng NN", marked in their note) join the real agencies
  that owe something in those quarters until 60 agencies owe; each leads its own copies of real targets
  (2 quarterly, 1 half-yearly, 1 yearly indicator) and of 5 real tasks, ids suffixed `_BANN` / `_banN`,
  names marked. Copies, not extra lead rows on the real items: what arrived is keyed by item and period
  (v_received_actuals), so agencies sharing an item would share its arrival;
- every agency sends its items for each period as a submission (one upload, a second for items sent
  later): most on time, some late, some never (missing), per agency and per item; nothing after today;
  about three in four submissions accepted a few days after arrival, the rest awaiting review.

Like every benchmark file: never data/nq57.duckdb, meta.dataset='demo' (the demonstration banner), every
upload by "Dữ liệu thử hiệu năng" from a file named as not real data.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.generate import BENCH_BY, BENCH_FILE, MANUAL_CHOICES, SEED
from loaders import db
from loaders.build import build
from metrics import clock
from metrics.periods import current_period, period_range, shift_period
from metrics.reporting_calendar import default_row

N_AGENCIES = 60
N_PERIODS = 12
PERIODS_AHEAD = 4  # quarters after today's in the window: owed, not due yet
PER_AGENCY = {"quarterly": 2, "half_yearly": 1, "yearly": 1}  # indicator copies each synthetic agency leads
TASKS_PER_AGENCY = 5
BENCH_NOTE = "Dữ liệu thử hiệu năng (bench/generate_reporting.py), không phải cơ quan thật."
# Per agency and period: sends on time / sends late / sends nothing (missing until today).
PROFILE = {"on_time": 0.62, "late": 0.23, "none": 0.15}
ITEM_OMITTED = 0.08  # an item left out of a file that was sent
ITEM_LATER = 0.10  # an item of an on-time file sent in a second, late upload
ACCEPTED = 0.75  # submissions accepted (the rest await review)
TASK_STATES = ("in_progress", "in_progress", "in_progress", "behind", "not_started")  # never closed


def window(today: date) -> list[str]:
    """The 12 quarters of the calendar: 8 up to today's and 4 after."""
    last = shift_period(current_period(today), PERIODS_AHEAD)
    return period_range(shift_period(last, 1 - N_PERIODS), last)


def _calendar(con: duckdb.DuckDBPyConnection, periods: list[str]) -> None:
    """Keep the catalog's rows inside the window, add the others by the rule, drop the rest."""
    days = int(
        con.execute("SELECT value FROM reporting_settings WHERE key = 'agency_lead_working_days'").fetchone()[
            0
        ]
    )
    holidays = frozenset(d for (d,) in con.execute("SELECT holiday_date FROM public_holidays").fetchall())
    con.execute("DELETE FROM reporting_calendar WHERE period NOT IN (SELECT unnest(?))", [periods])
    have = {p for (p,) in con.execute("SELECT period FROM reporting_calendar").fetchall()}
    for period in periods:
        if period in have:
            continue
        r = default_row(period, days, holidays)
        con.execute(
            "INSERT INTO reporting_calendar VALUES (?, ?, ?, ?, ?, ?, false, ?)",
            [
                r.period,
                r.report_name,
                r.cutoff_start,
                r.cutoff_end,
                r.agency_deadline,
                r.province_deadline,
                "Thêm cho dữ liệu thử hiệu năng, theo quy tắc Nghị định 09/2019/NĐ-CP",
            ],
        )


def _candidates(con: duckdb.DuckDBPyConnection, first: str, last: str) -> tuple[pd.DataFrame, list[str]]:
    """Targets in force over the whole window (one per indicator) and tasks of plans issued by its start."""
    targets = con.execute(
        """
        SELECT arg_max(t.target_id, t.due_period) AS target_id, t.indicator_id, i.frequency
        FROM targets t JOIN plans p USING (plan_id) JOIN indicators i USING (indicator_id)
        WHERE period_index(p.plan_period) <= period_index(?) AND period_index(t.due_period) >= period_index(?)
        GROUP BY ALL ORDER BY t.indicator_id
        """,
        [first, last],
    ).df()
    tasks = con.execute(
        """
        SELECT k.task_id FROM tasks k JOIN plans p USING (plan_id)
        WHERE period_index(p.plan_period) <= period_index(?) ORDER BY k.task_id
        """,
        [first],
    ).fetchall()
    return targets, [t for (t,) in tasks]


def _add_agencies(con: duckdb.DuckDBPyConnection, first: str, last: str) -> int:
    """Synthetic agencies until 60 owe in the window, each leading copies of real targets and tasks."""
    real = con.execute("SELECT count(DISTINCT agency_id) FROM v_reporting_obligations").fetchone()[0]
    n = N_AGENCIES - real
    if n <= 0:
        return 0
    targets, tasks = _candidates(con, first, last)
    agencies, picks, task_picks = [], [], []
    for k in range(1, n + 1):
        agency_id, name = f"bench_ag_{k:02d}", f"Cơ quan thử hiệu năng {k:02d}"
        agencies.append((agency_id, name, f"CQ thử {k:02d}", "khac", None, None, "current", BENCH_NOTE))
        for frequency, count in PER_AGENCY.items():
            pool = targets[targets["frequency"].eq(frequency)]
            for j in range(count):
                row = pool.iloc[(k * count + j) % len(pool)]
                picks.append((row["target_id"], row["indicator_id"], f"_BA{k:02d}", agency_id, name))
        for j in range(TASKS_PER_AGENCY):
            task_picks.append(
                (tasks[(k * TASKS_PER_AGENCY + j) % len(tasks)], f"_ba{k:02d}", agency_id, name)
            )
    con.executemany("INSERT INTO agencies VALUES (?, ?, ?, ?, ?, ?, ?, ?)", agencies)
    con.register(
        "_picks", pd.DataFrame(picks, columns=["target_id", "indicator_id", "sfx", "agency_id", "name"])
    )
    con.register("_task_picks", pd.DataFrame(task_picks, columns=["task_id", "sfx", "agency_id", "name"]))
    try:
        con.execute(
            """
            INSERT INTO indicators
            SELECT i.* REPLACE (i.indicator_id || p.sfx AS indicator_id,
                                i.name || ' (thử hiệu năng, ' || p.name || ')' AS name,
                                i.short_name || ' · ' || p.name AS short_name)
            FROM indicators i JOIN _picks p USING (indicator_id)
            """
        )
        con.execute(
            """
            INSERT INTO targets
            SELECT t.* REPLACE (t.target_id || lower(p.sfx) AS target_id,
                                t.indicator_id || p.sfx AS indicator_id,
                                p.name AS lead_agencies_as_written)
            FROM targets t JOIN _picks p USING (target_id)
            """
        )
        con.execute(
            "INSERT INTO target_agencies SELECT target_id || lower(sfx), 1, name, agency_id FROM _picks"
        )
        con.execute(
            """
            INSERT INTO tasks
            SELECT k.* REPLACE (k.task_id || p.sfx AS task_id, k.title || ' (thử hiệu năng)' AS title,
                                p.name AS lead_agencies_as_written,
                                NULL::VARCHAR AS coordinating_agencies_as_written)
            FROM tasks k JOIN _task_picks p USING (task_id)
            """
        )
        con.execute(
            "INSERT INTO task_agencies SELECT task_id || sfx, 'lead', 1, name, agency_id FROM _task_picks"
        )
    finally:
        con.unregister("_picks")
        con.unregister("_task_picks")
    return n


def _at(day: date, rng: np.random.Generator) -> datetime:
    """A moment of office hours on that day."""
    return datetime(day.year, day.month, day.day, 8) + timedelta(minutes=int(rng.integers(0, 9 * 60)))


def submission_frames(obligations: pd.DataFrame, now: datetime, seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Uploads, submissions, review events and the rows they hold (values, task updates) for the owed items.

    Each item is sent once, by the first agency owing it (shared real items); per agency and period a
    profile (on time, late, nothing), items left out or sent later; nothing that would arrive after `now`.
    """
    rng = np.random.default_rng(seed)
    items = obligations.sort_values(["period", "agency_id", "item_kind", "item_id"])
    items = items.drop_duplicates(["period", "item_kind", "item_id"]).reset_index(drop=True)
    sent: list[dict] = []
    for _, group in items.groupby(["period", "agency_id"], sort=True):
        cutoff, deadline = group["cutoff_end"].iloc[0], group["agency_deadline"].iloc[0]
        profile = rng.choice(list(PROFILE), p=list(PROFILE.values()))
        if profile == "none":
            continue
        if profile == "on_time":
            main = deadline - timedelta(days=int(rng.integers(0, (deadline - cutoff).days + 4)))
        else:
            main = deadline + timedelta(days=int(rng.integers(1, 41)))
        later = deadline + timedelta(days=int(rng.integers(3, 21)))
        for row in group.itertuples(index=False):
            draw = rng.random()
            if draw < ITEM_OMITTED:
                continue
            day, wave = (later, 1) if profile == "on_time" and draw < ITEM_OMITTED + ITEM_LATER else (main, 0)
            at = _at(day, rng)
            if at <= now:
                sent.append({**row._asdict(), "wave": wave, "at": at})
    rows = pd.DataFrame(sent)
    uploads = rows.groupby(["period", "agency_id", "wave"], as_index=False).agg(
        uploaded_at=("at", "min"), n=("item_id", "size")
    )
    uploads = uploads.sort_values(["uploaded_at", "agency_id"]).reset_index(drop=True)
    uploads["upload_id"] = np.arange(1, len(uploads) + 1)
    uploads["file_name"] = [
        f"{BENCH_FILE} {a} {p} lần {w + 1}"
        for a, p, w in uploads[["agency_id", "period", "wave"]].itertuples(index=False)
    ]
    rows = rows.drop(columns="at").merge(uploads, on=["period", "agency_id", "wave"])
    review = uploads[rng.random(len(uploads)) < ACCEPTED].copy()
    review["acted_at"] = review["uploaded_at"] + pd.to_timedelta(rng.integers(1, 11, len(review)), unit="D")
    review = review[review["acted_at"] <= now].reset_index(drop=True)
    review["event_id"] = np.arange(1, len(review) + 1)
    values = rows[rows["item_kind"].eq("indicator")].reset_index(drop=True)
    tasks = rows[rows["item_kind"].eq("task")].reset_index(drop=True)
    values["revision_id"] = np.arange(1, len(values) + 1)
    tasks["update_id"] = np.arange(1, len(tasks) + 1)
    tasks["status"] = rng.choice(np.array(TASK_STATES, dtype=object), len(tasks))
    return {"uploads": uploads, "review": review, "values": values, "tasks": tasks}


def _values(con: duckdb.DuckDBPyConnection, values: pd.DataFrame, seed: int) -> pd.DataFrame:
    """A plausible value for each sent indicator row: a share of its latest target; a choice for manual ones."""
    rng = np.random.default_rng(seed + 1)
    info = con.execute(
        """
        SELECT i.indicator_id AS item_id, i.direction, i.min_value, i.max_value,
               arg_max(t.target_value, period_index(t.due_period)) AS goal
        FROM indicators i JOIN targets t USING (indicator_id) GROUP BY ALL
        """
    ).df()
    out = values.merge(info, on="item_id", how="left")
    manual = out["direction"].isin(["yes_no", "qualitative"]).to_numpy()
    goal = out["goal"].fillna(1.0).to_numpy(dtype=float)
    value = np.where(
        out["direction"].eq("lower"),
        62 - rng.uniform(0, 8, len(out)),
        goal * rng.uniform(0.3, 1.05, len(out)),
    )
    value = np.clip(value, out["min_value"].fillna(-np.inf), out["max_value"].fillna(np.inf))
    out["value"] = np.where(manual, np.nan, np.round(value, 2))
    out["value_text"] = np.where(manual, rng.choice(np.array(MANUAL_CHOICES, dtype=object), len(out)), None)
    return out


def _insert(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame], seed: int) -> None:
    frames = {**frames, "values": _values(con, frames["values"], seed)}
    for name, df in frames.items():
        con.register(f"_{name}", df)
    try:
        con.execute(
            """
            INSERT INTO uploads
            SELECT upload_id, 'demo', file_name, 'bench-reporting-' || upload_id, ?, uploaded_at, NULL, n,
                   'Số liệu giả định để đo hiệu năng trang Tình hình báo cáo.'
            FROM _uploads
            """,
            [BENCH_BY],
        )
        con.execute(
            "INSERT INTO submissions SELECT upload_id, agency_id, period, ?, 'co_quan', uploaded_at FROM _uploads",
            [BENCH_BY],
        )
        con.execute(
            "INSERT INTO review_events SELECT event_id, upload_id, NULL, NULL, 'accept', NULL, ?, acted_at FROM _review",
            [BENCH_BY],
        )
        con.execute(
            """
            INSERT INTO actual_revisions
            SELECT revision_id, upload_id, item_id, period, value, value_text, NULL, NULL, false, ?, uploaded_at
            FROM _values
            """,
            [BENCH_BY],
        )
        con.execute(
            """
            INSERT INTO task_updates
            SELECT update_id, upload_id, item_id, period, status, NULL, NULL, NULL, false, ?, uploaded_at
            FROM _tasks
            """,
            [BENCH_BY],
        )
        for seq, df in (
            ("upload_seq", "uploads"),
            ("revision_seq", "values"),
            ("task_update_seq", "tasks"),
            ("review_event_seq", "review"),
        ):
            con.execute(f"SELECT max(nextval('{seq}')) FROM range(?)", [len(frames[df])]).fetchall()
    finally:
        for name in frames:
            con.unregister(f"_{name}")


def generate(path: str | Path, today: date | None = None, seed: int = SEED) -> Path:
    """Build the 60 × 12 reporting database into path (refusing the real database) and return the path."""
    today = today or clock.today()
    target = Path(path)
    if target.resolve() == db.DEFAULT_DB.resolve():
        raise ValueError("the benchmark never writes data/nq57.duckdb")
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    build(target)
    periods = window(today)
    con = db.connect(target)
    try:
        con.execute("BEGIN TRANSACTION")
        _calendar(con, periods)
        _add_agencies(con, periods[0], periods[-1])
        owed = con.execute(
            "SELECT period, agency_id, item_kind, item_id, cutoff_end, agency_deadline FROM v_reporting_obligations"
        ).df()
        for column in ("cutoff_end", "agency_deadline"):
            owed[column] = pd.to_datetime(owed[column]).dt.date
        now = datetime.combine(today, datetime.min.time()) + timedelta(
            hours=7
        )  # before the day's office hours
        _insert(con, submission_frames(owed, now, seed), seed)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('dataset', 'demo'), ('bench_scale', 'reporting_60x12'), "
            "('bench_today', ?)",
            [today.isoformat()],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return target


def counts(path: str | Path, today: date | None = None) -> dict:
    """Agencies, periods and the states of the owed items as of today, read back through the app's loader."""
    from loaders import reporting

    con = db.connect(path, read_only=True)
    try:
        c = reporting.classified(con, today or clock.today())
        n_uploads = con.execute("SELECT count(*) FROM submissions").fetchone()[0]
        n_pending = con.execute(
            "SELECT count(*) FROM submissions s WHERE NOT EXISTS "
            "(SELECT 1 FROM review_events e WHERE e.upload_id = s.upload_id)"
        ).fetchone()[0]
    finally:
        con.close()
    return {
        "agencies": int(c["agency_id"].nunique()),
        "periods": int(c["period"].nunique()),
        "owed": len(c),
        "received": int(c["received"].sum()),
        "accepted": int(c["accepted"].sum()),
        **{state: int(c["state"].eq(state).sum()) for state in ("on_time", "late", "missing", "pending")},
        "submissions": int(n_uploads),
        "submissions_awaiting_review": int(n_pending),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_reporting", description=__doc__.splitlines()[0]
    )
    parser.add_argument("-o", "--out", type=Path, required=True)
    parser.add_argument(
        "--today", type=date.fromisoformat, help="the day the data run up to (default: today)"
    )
    args = parser.parse_args(argv)
    try:
        path = generate(args.out, args.today)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps(counts(path, args.today)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
