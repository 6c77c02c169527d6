"""Publishing a read-only snapshot from the single writer: checkpoint, copy the file, open the copy, first query.

This is the step deployment.md builds on (replicas serve a snapshot, the writer publishes a new one after
each upload), and it is also a backup: a checkpointed DuckDB file copied whole.

The format-independent backup is timed too: the tables people entered (uploads, actual_revisions, meta) to
Parquet, restored into a database rebuilt from the catalog in git (loaders.build). EXPORT/IMPORT DATABASE is
not used: with DuckDB 2.0 IMPORT DATABASE fails on this schema (the table macro target_status is exported
before the macros it calls), so a whole-database export would not restore.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import duckdb

from bench.timing import summary
from loaders.build import build

DATA_TABLES = ("uploads", "actual_revisions", "meta")


def measure(db: Path, work: Path, runs: int) -> dict:
    writer = work / f"writer-{db.stem}.duckdb"
    shutil.copyfile(db, writer)
    checkpoint, copy, first_query = [], [], []
    try:
        for i in range(runs):
            start = time.perf_counter()
            con = duckdb.connect(str(writer))
            con.execute("CHECKPOINT")
            con.close()
            checkpoint.append(time.perf_counter() - start)
            snapshot = work / f"snapshot-{db.stem}-{i}.duckdb"
            start = time.perf_counter()
            shutil.copyfile(writer, snapshot)
            copy.append(time.perf_counter() - start)
            start = time.perf_counter()
            reader = duckdb.connect(str(snapshot), read_only=True)
            try:
                as_of = reader.execute(
                    "SELECT max_by(period, period_index(period)) FROM v_actuals"
                ).fetchall()[0][0]
                reader.execute("SELECT * FROM target_status(?)", [as_of]).df()
            finally:
                reader.close()
            first_query.append(time.perf_counter() - start)
            snapshot.unlink()
        export_dir = work / f"export-{db.stem}"
        export_dir.mkdir()
        start = time.perf_counter()
        con = duckdb.connect(str(writer), read_only=True)
        try:
            for table in DATA_TABLES:
                con.execute(f"COPY {table} TO '{export_dir / table}.parquet' (FORMAT parquet)")
        finally:
            con.close()
        exported = time.perf_counter() - start
        restored_db = work / f"restored-{db.stem}.duckdb"
        start = time.perf_counter()
        build(restored_db)
        con = duckdb.connect(str(restored_db))
        try:
            con.execute("BEGIN TRANSACTION")
            con.execute("DELETE FROM meta")
            for table in DATA_TABLES:
                con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet('{export_dir / table}.parquet')")
            for seq, table, column in (
                ("upload_seq", "uploads", "upload_id"),
                ("revision_seq", "actual_revisions", "revision_id"),
            ):
                top = con.execute(f"SELECT coalesce(max({column}), 0) FROM {table}").fetchall()[0][0]
                con.execute(f"SELECT max(nextval('{seq}')) FROM range(?)", [top]).fetchall()
            con.execute("COMMIT")
            same = con.execute("SELECT count(*) FROM actual_revisions").fetchall()[0][0]
        finally:
            con.close()
        imported = time.perf_counter() - start
        export_bytes = sum(f.stat().st_size for f in export_dir.rglob("*") if f.is_file())
        shutil.rmtree(export_dir, ignore_errors=True)
        restored_db.unlink(missing_ok=True)
        return {
            "export_parquet_s": exported,
            "export_bytes": export_bytes,
            "import_s": imported,
            "restored_revisions": same,
            "file_bytes": writer.stat().st_size,
            "checkpoint_s": summary(checkpoint),
            "copy_s": summary(copy),
            "open_and_first_status_s": summary(first_query),
        }
    finally:
        writer.unlink(missing_ok=True)
