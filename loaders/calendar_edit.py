"""The secretariat edits one period's dates: data/reporting_calendar.csv (edited = true, so the generator
keeps the row), the catalog table in the database, and an append-only log of who changed what, when, from
what to what (data/reporting_calendar_log.csv, beside the calendar it explains; rebuilds never touch it)."""

from __future__ import annotations

import contextlib
import csv
import io
import os
from datetime import date, datetime
from pathlib import Path

import duckdb

from loaders import period_locks
from loaders.reporting_calendar import CALENDAR_FILE, DATE_COLUMNS, _rows, calendar_text, date_problems
from loaders.upload_store import WRITE_LOCK, UploadError
from metrics import clock
from metrics.periods import quarter_label_vi

LOG_FILE = "reporting_calendar_log.csv"
LOG_COLUMNS = ["edited_at", "account", "period", "column", "old_value", "new_value", "reason"]
DATE_LABELS = {
    "cutoff_start": "Ngày đầu kỳ chốt số liệu",
    "cutoff_end": "Ngày chốt số liệu",
    "agency_deadline": "Hạn các cơ quan gửi",
    "province_deadline": "Hạn báo cáo của tỉnh",
}
_UPDATE_SQL = """
UPDATE reporting_calendar
SET cutoff_start = ?, cutoff_end = ?, agency_deadline = ?, province_deadline = ?, edited = true, note = ?
WHERE period = ?
"""
_EXISTS_SQL = "SELECT count(*) FROM reporting_calendar WHERE period = ?"


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _append_log(path: Path, rows: list[dict[str, str]]) -> None:
    new = not path.exists()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=LOG_COLUMNS, lineterminator="\n")
    if new:
        writer.writeheader()
    writer.writerows(rows)
    with path.open("a", encoding="utf-8") as f:
        f.write(buffer.getvalue())
        f.flush()
        os.fsync(f.fileno())


def edit_period(
    con: duckdb.DuckDBPyConnection,
    data_dir: Path,
    period: str,
    days: dict[str, date],
    account: str,
    reason: str,
    now: datetime | None = None,
) -> str:
    """Set a period's dates; refused (UploadError, Vietnamese, nothing written) when they break the
    calendar's order, the period is locked, no reason is given or nothing changes."""
    label = quarter_label_vi(period)
    reason = " ".join(str(reason or "").split())[:500]
    if not reason:
        raise UploadError("Sửa lịch báo cáo cần ghi lý do (ví dụ: số văn bản của UBND tỉnh).")
    if not str(account or "").strip():
        raise UploadError("Cần ghi rõ người sửa lịch (tên tài khoản).")
    path = Path(data_dir) / CALENDAR_FILE
    with WRITE_LOCK:
        rows = _rows(path)
        row = next((r for r in rows if r["period"] == period), None)
        if row is None or con.execute(_EXISTS_SQL, [period]).fetchone()[0] == 0:
            raise UploadError(f"Kỳ {label} không có trong lịch báo cáo (data/{CALENDAR_FILE}).")
        refusal = period_locks.refusal(con, period)
        if refusal is not None:
            raise UploadError(f"{refusal} Lịch của kỳ đã khóa cũng không sửa được.")
        old = {c: date.fromisoformat(row[c]) for c in DATE_COLUMNS}
        new = {**old, **{c: days[c] for c in DATE_COLUMNS if c in days}}
        problems = date_problems(new)
        if problems:
            raise UploadError(
                f"Không sửa được lịch {label}: "
                + " ".join(f"{DATE_LABELS[c]}: {m}" for c, m in problems)
                + " Lịch giữ nguyên."
            )
        changed = [c for c in DATE_COLUMNS if new[c] != old[c]]
        if not changed:
            raise UploadError(f"Các ngày của {label} không thay đổi: không ghi gì.")
        at = (now or clock.now()).replace(microsecond=0)
        row.update({c: new[c].isoformat() for c in DATE_COLUMNS}, edited="true", note=f"Sửa tay: {reason}")
        temp = path.with_name(path.name + ".tmp")
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(_UPDATE_SQL, [*(new[c] for c in DATE_COLUMNS), row["note"], period])
            temp.write_text(calendar_text(rows), encoding="utf-8")
            _append_log(
                path.with_name(LOG_FILE),
                [
                    {
                        "edited_at": at.isoformat(sep=" "),
                        "account": str(account).strip(),
                        "period": period,
                        "column": c,
                        "old_value": old[c].isoformat(),
                        "new_value": new[c].isoformat(),
                        "reason": reason,
                    }
                    for c in changed
                ],
            )
            os.replace(temp, path)
            con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            temp.unlink(missing_ok=True)
            raise
    changes = "; ".join(f"{DATE_LABELS[c].lower()} {_fmt(old[c])} → {_fmt(new[c])}" for c in changed)
    return f"Đã sửa lịch {label}: {changes}."


def edit_log(data_dir: Path, period: str | None = None) -> list[dict[str, str]]:
    """The log of calendar edits, oldest first; of one period if given."""
    rows = _rows(Path(data_dir) / LOG_FILE)
    return [r for r in rows if period is None or r["period"] == period]
