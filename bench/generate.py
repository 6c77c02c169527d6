"""Synthetic benchmark databases: the real catalog, then years of actuals, revisions, communes, provinces.

Every file is written beside the benchmark results (never data/nq57.duckdb) and marked meta.dataset='demo',
so every page shows the demonstration banner. The catalog comes from loaders.build.build(path); actuals are
inserted in bulk with INSERT … SELECT from generated frames.

A scale multiplies the number of actual revisions of the 1× database (the real catalog with three years of
quarterly actuals per indicator):

| scale | catalog | quarters | revisions per value | revisions vs 1× |
|---|---|---|---|---|
| 1x | Lai Châu (83 targets) | 12 | 1 | 1 |
| 10x | Lai Châu | 40 (10 years) | 3 | 10 |
| 100x | 34 provinces (2 822 targets) | 12 | 3 | 102 |
| 100x_communes | Lai Châu | 32 (8 years) | 38 (one per commune/ward) | 101 |
| tiny | 2 provinces | 4 | 2 | ≈1.3 (for tests/bench/test_bench_smoke.py) |

The app has no commune dimension: the 38 communes and wards of Lai Châu are modelled as 38 successive
revisions of the provincial value (each commune's report revises the running total; the last is in force),
which is what v_actuals has to rank through. The 34-province catalog is 34 copies of the indicators,
targets and tasks with province-suffixed ids (Lai Châu keeps the real ids), sharing plans and agencies.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from loaders import db
from loaders.build import build
from metrics.periods import current_period, period_index, period_of_index

SEED = 57
MANUAL_CHOICES = ("Đạt", "Đang thực hiện", "Chưa đạt")
BENCH_BY = "Dữ liệu thử hiệu năng"
BENCH_FILE = "bench-du-lieu-thu (không phải số liệu thật)"

# The 34 provinces and cities after the 2025 merger; Lai Châu first (it keeps the real ids).
PROVINCES = (
    "Lai Châu", "Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "TP. Hồ Chí Minh", "Cần Thơ", "Điện Biên",
    "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang",
    "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên", "Ninh Bình", "Quảng Trị", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Đồng Nai", "Tây Ninh", "Vĩnh Long", "Đồng Tháp",
    "Cà Mau", "An Giang",
)  # fmt: skip
N_COMMUNES = 38  # xã, phường of Lai Châu since 07/2025


@dataclass(frozen=True)
class Scale:
    name: str
    provinces: int
    quarters: int
    revisions: int
    label: str

    @property
    def factor(self) -> float:
        """Revisions relative to 1× (one province, 12 quarters, one revision)."""
        return self.provinces * self.quarters * self.revisions / 12


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale("1x", 1, 12, 1, "1× (3 năm, 1 tỉnh)"),
        Scale("10x", 1, 40, 3, "10× (10 năm, 3 lần sửa)"),
        Scale("100x", 34, 12, 3, "100× (34 tỉnh)"),
        Scale("100x_communes", 1, 32, N_COMMUNES, "100× (38 xã/phường)"),
        Scale("tiny", 2, 4, 2, "tiny (smoke test: 2 tỉnh, 4 quý, 2 lần sửa)"),
    )
}


def suffix(province: int) -> str:
    """'' for Lai Châu (province 0), '_T02' … for the copies (upload codes are upper case)."""
    return "" if province == 0 else f"_T{province + 1:02d}"


def _copy_catalog(con: duckdb.DuckDBPyConnection, provinces: int) -> None:
    """Copies 2…n of the indicators, targets and tasks, ids suffixed, names marked with the province."""
    names = pd.DataFrame(
        {
            "p": range(1, provinces),
            "sfx": [suffix(p) for p in range(1, provinces)],
            "province": PROVINCES[1:provinces],
        }
    )
    con.register("_provinces", names)
    try:
        con.execute(
            """
            INSERT INTO indicators
            SELECT i.indicator_id || p.sfx, i.name || ' (' || p.province || ')',
                   i.short_name || ' · ' || p.province, i.unit, i.direction, i.group_code,
                   i.min_value, i.max_value, i.note, i.frequency
            FROM indicators i CROSS JOIN _provinces p
            WHERE i.indicator_id IN (SELECT indicator_id FROM targets)
            """
        )
        con.execute(
            """
            INSERT INTO targets
            SELECT t.* REPLACE (t.target_id || lower(p.sfx) AS target_id, t.indicator_id || p.sfx AS indicator_id)
            FROM targets t CROSS JOIN _provinces p
            """
        )
        con.execute(
            """
            INSERT INTO target_agencies
            SELECT a.* REPLACE (a.target_id || lower(p.sfx) AS target_id)
            FROM target_agencies a CROSS JOIN _provinces p
            """
        )
        con.execute(
            """
            INSERT INTO tasks
            SELECT k.* REPLACE (k.task_id || lower(p.sfx) AS task_id)
            FROM tasks k CROSS JOIN _provinces p
            """
        )
        con.execute(
            """
            INSERT INTO task_agencies
            SELECT a.* REPLACE (a.task_id || lower(p.sfx) AS task_id)
            FROM task_agencies a CROSS JOIN _provinces p
            """
        )
    finally:
        con.unregister("_provinces")


def _indicator_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """
        SELECT i.indicator_id, i.direction, i.min_value, i.max_value,
               arg_max(t.target_value, period_index(t.due_period)) AS final_target
        FROM indicators i JOIN targets t USING (indicator_id)
        GROUP BY ALL ORDER BY i.indicator_id
        """
    ).df()


def actual_frames(
    indicators: pd.DataFrame, scale: Scale, last_period: str, seed: int = SEED
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(uploads, revisions) frames: every indicator reported quarter by quarter, each value revised.

    Values follow a noisy path from a start toward the indicator's final target at a random pace, so the
    statuses spread over on track, at risk, off track, met early; 15% of quarters are not reported.
    """
    rng = np.random.default_rng(seed)
    last = period_index(last_period)
    idx = np.arange(last - scale.quarters + 1, last + 1)
    n_ind, n_q = len(indicators), len(idx)
    manual = indicators["direction"].isin(["yes_no", "qualitative"]).to_numpy()
    lower = (indicators["direction"] == "lower").to_numpy()
    goal = indicators["final_target"].fillna(1.0).to_numpy(dtype=float)
    goal = np.where(lower & indicators["final_target"].isna().to_numpy(), 57.0, goal)
    start = np.where(lower, 62.0, goal * rng.uniform(0.25, 0.6, n_ind))
    pace = rng.choice([0.3, 0.55, 0.8, 1.0, 1.1], n_ind)
    share = (np.arange(n_q) / max(n_q - 1, 1))[None, :] * pace[:, None]
    values = start[:, None] + (goal - start)[:, None] * share
    values += rng.uniform(-0.03, 0.03, (n_ind, n_q)) * np.abs(goal - start)[:, None]
    low = indicators["min_value"].to_numpy(dtype=float)
    high = indicators["max_value"].to_numpy(dtype=float)
    values = np.where(np.isnan(low)[:, None], values, np.maximum(values, low[:, None]))
    values = np.where(np.isnan(high)[:, None], values, np.minimum(values, high[:, None]))
    values = np.where(lower[:, None], np.round(values), np.round(values, 2))
    reported = rng.random((n_ind, n_q)) > 0.15
    reported[:, -1] |= True  # every indicator reports the latest quarter at least

    grid = pd.DataFrame(
        {
            "indicator_id": np.repeat(indicators["indicator_id"].to_numpy(), n_q),
            "q": np.tile(np.arange(n_q), n_ind),
            "value": values.ravel(),
            "manual": np.repeat(manual, n_q),
            "reported": reported.ravel(),
        }
    )
    grid = grid[grid["reported"]].reset_index(drop=True)
    ids = grid["indicator_id"].str.extract(r"(_T\d\d)$", expand=False).fillna("")
    grid["province"] = ids.map({suffix(p): p for p in range(scale.provinces)}).astype(int)
    grid["period"] = [period_of_index(i) for i in idx[grid["q"].to_numpy()]]
    grid["value_text"] = None
    texts = rng.choice(np.array(MANUAL_CHOICES, dtype=object), len(grid))
    grid.loc[grid["manual"], "value_text"] = texts[grid["manual"].to_numpy()]
    grid.loc[grid["manual"], "value"] = np.nan

    # Revisions: round r of a value; earlier rounds are off by a few per cent, the last is the value in force.
    n_rev = scale.revisions
    rev = grid.loc[grid.index.repeat(n_rev)].reset_index(drop=True)
    rev["round"] = np.tile(np.arange(n_rev), len(grid))
    wobble = 1 + rng.uniform(-0.05, 0.05, len(rev)) * (rev["round"] < n_rev - 1)
    rev["value"] = np.round(rev["value"] * wobble, 2)

    # One upload per province, quarter and round, recorded in the month after the quarter, in order.
    uploads = rev[["province", "q", "round"]].drop_duplicates().sort_values(["q", "round", "province"])
    uploads = uploads.reset_index(drop=True)
    uploads["upload_id"] = np.arange(1, len(uploads) + 1)
    received = [_quarter_end(i) for i in idx]
    uploads["uploaded_at"] = [
        received[q] + timedelta(hours=int(r) * 6, minutes=int(p))
        for q, r, p in uploads[["q", "round", "province"]].itertuples(index=False)
    ]
    rev = rev.merge(uploads, on=["province", "q", "round"], how="left")
    rev = rev.sort_values(["upload_id", "indicator_id"]).reset_index(drop=True)
    rev["revision_id"] = np.arange(1, len(rev) + 1)
    rev["note"] = None
    rev["evidence"] = None
    n_per_upload = rev.groupby("upload_id").size()
    uploads["n_revisions"] = uploads["upload_id"].map(n_per_upload).astype(int)
    uploads["file_name"] = [
        f"{BENCH_FILE} {PROVINCES[p]} {period_of_index(idx[q])} lần {r + 1}"
        for p, q, r in uploads[["province", "q", "round"]].itertuples(index=False)
    ]
    revisions = rev[
        [
            "revision_id",
            "upload_id",
            "indicator_id",
            "period",
            "value",
            "value_text",
            "note",
            "evidence",
            "uploaded_at",
        ]
    ].rename(columns={"uploaded_at": "recorded_at"})
    return uploads[["upload_id", "uploaded_at", "n_revisions", "file_name"]], revisions


def _quarter_end(index: int) -> datetime:
    """The 15th of the month after a quarter: when its figures come in."""
    year, quarter = divmod(index, 4)
    month = quarter * 3 + 4
    if month > 12:
        year, month = year + 1, month - 12
    return datetime(year, month, 15, 9, 0)


def _insert_actuals(con: duckdb.DuckDBPyConnection, uploads: pd.DataFrame, revisions: pd.DataFrame) -> None:
    con.register("_uploads", uploads)
    con.register("_revisions", revisions)
    try:
        con.execute(
            """
            INSERT INTO uploads
            SELECT upload_id, 'demo', file_name, 'bench-' || upload_id, ?, uploaded_at, NULL, n_revisions,
                   'Số liệu giả định để đo hiệu năng.'
            FROM _uploads
            """,
            [BENCH_BY],
        )
        con.execute(
            """
            INSERT INTO actual_revisions
            SELECT revision_id, upload_id, indicator_id, period, value, value_text, note, evidence, false, ?,
                   recorded_at
            FROM _revisions
            """,
            [BENCH_BY],
        )
        # Move the sequences past the ids used, so a later upload or revert gets fresh ones.
        for seq, n in (("upload_seq", len(uploads)), ("revision_seq", len(revisions))):
            con.execute(f"SELECT max(nextval('{seq}')) FROM range(?)", [n]).fetchall()
    finally:
        con.unregister("_uploads")
        con.unregister("_revisions")


def generate(path: str | Path, scale: Scale | str, last_period: str | None = None, seed: int = SEED) -> Path:
    """Build a benchmark database at a scale into path (refusing the real database) and return the path."""
    scale = SCALES[scale] if isinstance(scale, str) else scale
    target = Path(path)
    if target.resolve() == db.DEFAULT_DB.resolve():
        raise ValueError("the benchmark never writes data/nq57.duckdb")
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    build(target)
    con = db.connect(target)
    try:
        con.execute("BEGIN TRANSACTION")
        if scale.provinces > 1:
            _copy_catalog(con, scale.provinces)
        uploads, revisions = actual_frames(
            _indicator_frame(con), scale, last_period or current_period(), seed
        )
        _insert_actuals(con, uploads, revisions)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('dataset', 'demo'), ('bench_scale', ?)", [scale.name]
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return target


def counts(path: str | Path) -> dict[str, int]:
    """Rows of the tables a scale multiplies, read back from the file."""
    con = db.connect(path, read_only=True)
    try:
        out = {}
        for table in ("indicators", "targets", "tasks", "uploads", "actual_revisions"):
            out[table] = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        out["v_actuals"] = con.execute("SELECT count(*) FROM v_actuals").fetchall()[0][0]
        return out
    finally:
        con.close()


def copy_of(path: Path, dst: Path) -> Path:
    """A private copy of a generated database (writes in one measurement never leak into the next)."""
    shutil.copyfile(path, dst)
    return dst


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.generate --scale tiny -o x.duckdb`: one database to try a scale on (or to test)."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1x", choices=list(SCALES))
    parser.add_argument("--last-period", help="the latest quarter with actuals (default: the current one)")
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        path = generate(args.out, args.scale, last_period=args.last_period)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(json.dumps({"scale": asdict(SCALES[args.scale]), "counts": counts(path)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
