"""Whole, consistent copies of the database while the app runs, and a restore that keeps the old file.

A copy of the live file with `cp` misses what is still in the .wal. Here the writer's lock is taken (so no
process writes meanwhile), CHECKPOINT folds the WAL into the file, and the file is copied, checked and
renamed into place: the backup holds every committed upload, nothing half-written.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from loaders import db, locking, migrations
from metrics import clock


def _copy_atomic(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_file(path: Path) -> int:
    """The schema version of a database file that opens and is ours; DatabaseError otherwise."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise locking.DatabaseDamaged(
            f"Tệp {path} không phải cơ sở dữ liệu DuckDB đọc được (hỏng hoặc bị cắt cụt): {type(exc).__name__}."
        ) from None
    try:
        found = migrations.check_not_newer(con)
    finally:
        con.close()
    if found is None:
        raise locking.DatabaseDamaged(
            f"Tệp {path} không phải cơ sở dữ liệu NQ57 (không có phiên bản lược đồ)."
        )
    return found


def backup(
    target: str | os.PathLike, path: str | os.PathLike | None = None, wait: float | None = None
) -> Path:
    """Copy the database to `target` (a file, or a folder for a dated name) as one consistent state."""
    source = db.db_path(path)
    out = Path(target)
    if out.is_dir():
        out = out / f"{source.stem}-{clock.now():%Y%m%d-%H%M%S}.duckdb"
    if out.resolve() == source.resolve():
        raise locking.DatabaseError("Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng.")
    with locking.writing(source, wait=wait) as con:
        con.execute("CHECKPOINT")
        _copy_atomic(source, out)
    check_file(out)
    return out


def restore(
    backup_file: str | os.PathLike, path: str | os.PathLike | None = None, wait: float | None = None
) -> Path:
    """Put a backup in place of the database; the file replaced is kept beside it (.truoc-khoi-phuc)."""
    source = Path(backup_file)
    if not source.is_file():
        raise locking.DatabaseMissing(f"Không tìm thấy tệp sao lưu {source}.")
    check_file(source)
    target = db.db_path(path)
    kept = target.with_name(f"{target.name}.truoc-khoi-phuc")
    with locking.PROCESS_LOCK.write():
        if target.exists():
            # Take the writer's lock once, so nobody is writing while the file is swapped.
            with locking.writing(target, wait=wait) as con:
                con.execute("CHECKPOINT")
            shutil.copyfile(target, kept)
        _copy_atomic(source, target)
        Path(f"{target}.wal").unlink(missing_ok=True)
    return kept
