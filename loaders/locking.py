"""One writer, shared: short-lived connections, a bounded wait for DuckDB's file lock, Vietnamese refusals.

DuckDB lets one process write a file, and a reading process blocks a writing one. So nobody keeps a
connection: the app opens read-only for a read and read-write only for a write, then closes; a writer
that finds the file held retries with a growing pause for up to $NQ57_LOCK_WAIT seconds (docs/deployment.md).
Inside one process a readers-writer lock keeps read-only and read-write openings apart, since DuckDB
refuses to open one file with two configurations in one process.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from loaders import db, migrations
from loaders.db_errors import (  # re-exported: callers catch them as locking.DatabaseError etc.
    DatabaseBusy as DatabaseBusy,
)
from loaders.db_errors import DatabaseDamaged as DatabaseDamaged
from loaders.db_errors import DatabaseError as DatabaseError
from loaders.db_errors import DatabaseMissing as DatabaseMissing
from loaders.db_errors import DatabaseReadOnly as DatabaseReadOnly
from loaders.db_errors import DatabaseReplaced as DatabaseReplaced

LOCK_WAIT_ENV = "NQ57_LOCK_WAIT"
READ_WAIT_ENV = "NQ57_READ_WAIT"
DEFAULT_WRITE_WAIT = 30.0
DEFAULT_READ_WAIT = 3.0
BUSY_MESSAGE = "Đang cập nhật số liệu, vui lòng thử lại sau giây lát."


def _wait(env: str, default: float) -> float:
    try:
        return max(0.0, float(os.environ.get(env, default)))
    except ValueError:
        return default


def write_wait() -> float:
    return _wait(LOCK_WAIT_ENV, DEFAULT_WRITE_WAIT)


def read_wait() -> float:
    return _wait(READ_WAIT_ENV, DEFAULT_READ_WAIT)


class _ReadWriteLock:
    """Many readers or one writer, inside this process."""

    def __init__(self):
        self._cond = threading.Condition(threading.Lock())
        self._readers = 0
        self._writer: int | None = None
        self._depth = 0

    @contextlib.contextmanager
    def read(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:  # a writer reading through its own connection's path
                self._depth += 1
                reentrant = True
            else:
                reentrant = False
                while self._writer is not None:
                    self._cond.wait()
                self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                if reentrant:
                    self._depth -= 1
                else:
                    self._readers -= 1
                    self._cond.notify_all()

    @contextlib.contextmanager
    def write(self) -> Iterator[None]:
        me = threading.get_ident()
        with self._cond:
            if self._writer == me:
                self._depth += 1
            else:
                while self._writer is not None or self._readers:
                    self._cond.wait()
                self._writer = me
                self._depth = 1
        try:
            yield
        finally:
            with self._cond:
                self._depth -= 1
                if self._depth == 0:
                    self._writer = None
                    self._cond.notify_all()


PROCESS_LOCK = _ReadWriteLock()


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


def _holder(exc: Exception) -> str:
    pid = re.search(r"PID (\d+)", str(exc))
    return f" (tiến trình {pid.group(1)})" if pid else ""


def file_identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """(device, inode) of the file, None if missing: a replaced or re-created file has another one."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def translate(exc: duckdb.Error, target: Path) -> DatabaseError:
    """A DuckDB error opening or writing the file, as a Vietnamese DatabaseError that says what to do."""
    text = str(exc)
    lower = text.lower()
    if "permission denied" in lower or "read-only file system" in lower:
        return DatabaseReadOnly(
            f"Tệp cơ sở dữ liệu {target} chỉ cho đọc: ứng dụng vẫn hiển thị số liệu nhưng không ghi được. "
            "Quản trị viên cần cấp quyền ghi cho tệp và thư mục chứa nó."
        )
    if "no space left" in lower or "disk full" in lower or "errno 28" in lower:
        return DatabaseError(
            "Ổ đĩa máy chủ đã đầy: không ghi được, số liệu vẫn như trước. Quản trị viên cần giải phóng "
            "dung lượng rồi thử lại."
        )
    return DatabaseDamaged(
        f"Không mở được cơ sở dữ liệu {target}: tệp có thể bị hỏng hoặc bị cắt cụt. Số liệu chưa bị thay "
        "đổi; quản trị viên hãy khôi phục từ bản sao lưu: python -m loaders restore TỆP_SAO_LƯU."
    )


def connect(
    path: str | os.PathLike | None = None,
    read_only: bool = False,
    wait: float | None = None,
    on_wait: Callable[[float], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> duckdb.DuckDBPyConnection:
    """Open the file, retrying while another process holds its lock, for at most `wait` seconds."""
    target = db.db_path(path)
    if not target.exists():
        raise DatabaseMissing(
            f"Chưa có cơ sở dữ liệu {target} (hoặc tệp đã bị xóa): chạy “python -m loaders build” hoặc "
            "khôi phục bản sao lưu bằng “python -m loaders restore”."
        )
    limit = (write_wait() if not read_only else read_wait()) if wait is None else wait
    deadline = time.monotonic() + limit
    pause = 0.05
    while True:
        try:
            return duckdb.connect(str(target), read_only=read_only)
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise translate(exc, target) from None
            left = deadline - time.monotonic()
            if left <= 0:
                raise DatabaseBusy(
                    f"Cơ sở dữ liệu {target} đang được một chương trình khác ghi{_holder(exc)}; đã chờ "
                    f"{round(limit)} giây mà chưa xong. Số liệu chưa bị thay đổi: hãy thử lại sau ít phút "
                    f"(hoặc đặt {LOCK_WAIT_ENV} để chờ lâu hơn)."
                ) from None
            if on_wait is not None:
                on_wait(left)
            sleep(min(pause, max(left, 0.01)))
            pause = min(pause * 2, 1.0)
        except duckdb.Error as exc:
            raise translate(exc, target) from None


@contextlib.contextmanager
def reading(path: str | os.PathLike | None = None, wait: float | None = None) -> Iterator:
    """A read-only connection for one read, closed after it; DatabaseBusy if a writer holds the file."""
    with PROCESS_LOCK.read():
        con = connect(path, read_only=True, wait=wait)
        try:
            yield con
        except duckdb.IOException as exc:  # a truncated file fails when a query reaches the missing part
            raise translate(exc, db.db_path(path)) from None
        finally:
            con.close()


@contextlib.contextmanager
def writing(
    path: str | os.PathLike | None = None,
    wait: float | None = None,
    expect_identity: tuple[int, int] | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> Iterator:
    """A read-write connection for one write, closed (and checkpointed) after it.

    Refuses when the file is missing or is not the one `expect_identity` recorded (deleted or replaced
    under the app), and brings an older schema forward (loaders.migrations) before the write.
    """
    target = db.db_path(path)
    with PROCESS_LOCK.write():
        if expect_identity is not None and file_identity(target) != expect_identity:
            raise DatabaseReplaced(
                f"Tệp cơ sở dữ liệu {target} đã bị xóa hoặc thay bằng tệp khác từ lúc trang được mở: "
                "chưa ghi gì. Hãy tải lại trang để xem số liệu hiện có rồi làm lại."
            )
        con = connect(target, read_only=False, wait=wait, on_wait=on_wait)
        try:
            migrations.ensure_current(con)
            try:
                yield con
            except duckdb.IOException as exc:  # disk full at COMMIT, file gone: closing rolls back
                raise translate(exc, target) from None
            with contextlib.suppress(duckdb.Error):
                con.execute("CHECKPOINT")  # the file alone is whole: a copy of it misses nothing
        finally:
            con.close()
