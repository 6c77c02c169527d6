"""The reporting calendar in data/: read and check it with the catalog, and (re)generate it from the rule."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd

from metrics.periods import is_period, period_index
from metrics.reporting_calendar import CALENDAR_COLUMNS, default_row, row_as_csv

CALENDAR_FILE = "reporting_calendar.csv"
SETTINGS_FILE = "reporting_settings.csv"
HOLIDAYS_FILE = "public_holidays.csv"
FILES: dict[str, list[str]] = {
    CALENDAR_FILE: CALENDAR_COLUMNS,
    SETTINGS_FILE: ["key", "value", "note"],
    HOLIDAYS_FILE: ["holiday_date", "name"],
}
LEAD_DAYS_KEY = "agency_lead_working_days"
SETTINGS = {LEAD_DAYS_KEY: (0, 30)}  # key -> allowed integer range
DATE_COLUMNS = ("cutoff_start", "cutoff_end", "agency_deadline", "province_deadline")


def _day(r, row: dict, column: str) -> date | None:
    try:
        return date.fromisoformat(row[column])
    except ValueError:
        r.err(row, column, f"'{row[column]}' không phải ngày dạng YYYY-MM-DD.")
        return None


def date_problems(days: dict[str, date]) -> list[tuple[str, str]]:
    """The order the four dates of a period must keep, as (column, message): the build and the page that
    edits the calendar (loaders/calendar_edit.py) refuse the same things."""
    problems = []
    if days["cutoff_start"] >= days["cutoff_end"]:
        problems.append(("cutoff_end", "ngày chốt số liệu cuối phải sau ngày đầu."))
    if days["agency_deadline"] < days["cutoff_end"]:
        problems.append(("agency_deadline", "hạn của cơ quan không được trước ngày chốt số liệu cuối."))
    if days["agency_deadline"] > days["province_deadline"]:
        problems.append(("agency_deadline", "hạn của cơ quan phải không muộn hơn hạn của tỉnh."))
    return problems


def read_reporting(r) -> dict[str, pd.DataFrame]:
    """Read and check the three files with the catalog's reader `r` (its problems name file, row, column)."""
    calendar = r.read(CALENDAR_FILE, FILES[CALENDAR_FILE])
    settings = r.read(SETTINGS_FILE, FILES[SETTINGS_FILE])
    holidays = r.read(HOLIDAYS_FILE, FILES[HOLIDAYS_FILE])
    r.unique(calendar, "period")
    r.unique(settings, "key")
    r.unique(holidays, "holiday_date")

    for s in settings:
        r.member(s, "key", SETTINGS)
        low, high = SETTINGS.get(s["key"], (0, 0))
        if not s["value"].isdigit() or not low <= int(s["value"]) <= high:
            r.err(s, "value", f"cần một số nguyên từ {low} đến {high}.")
    if settings and LEAD_DAYS_KEY not in {s["key"] for s in settings}:
        r.problems.append(f"data/{SETTINGS_FILE}: thiếu dòng '{LEAD_DAYS_KEY}'.")
    for h in holidays:
        _day(r, h, "holiday_date")
        if not h["name"]:
            r.err(h, "name", "để trống.")

    previous = None
    for c in calendar:
        if not is_period(c["period"]):
            r.err(c, "period", f"'{c['period']}' không phải kỳ dạng 2025-Q4.")
        elif previous is not None and period_index(c["period"]) != period_index(previous) + 1:
            r.err(
                c,
                "period",
                f"kỳ '{c['period']}' không liền sau kỳ '{previous}' (mỗi quý một dòng, theo thứ tự).",
            )
        previous = c["period"] if is_period(c["period"]) else previous
        r.member(c, "edited", {"true", "false"})
        if not c["report_name"]:
            r.err(c, "report_name", "để trống.")
        days = {column: _day(r, c, column) for column in DATE_COLUMNS}
        if None in days.values():
            continue
        for column, message in date_problems(days):
            r.err(c, column, message)

    def frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
        return pd.DataFrame([{k: row[k] for k in columns} for row in rows], columns=columns)

    calendar_df = frame(calendar, CALENDAR_COLUMNS)
    if not r.problems:
        for column in DATE_COLUMNS:
            calendar_df[column] = pd.to_datetime(calendar_df[column]).dt.date
        calendar_df["edited"] = calendar_df["edited"].eq("true")
        calendar_df["note"] = calendar_df["note"].where(calendar_df["note"].ne(""), None)
    holidays_df = frame(holidays, FILES[HOLIDAYS_FILE])
    if not r.problems:
        holidays_df["holiday_date"] = pd.to_datetime(holidays_df["holiday_date"]).dt.date
    return {
        "reporting_calendar": calendar_df,
        "reporting_settings": frame(settings, FILES[SETTINGS_FILE]),
        "public_holidays": holidays_df,
    }


# ---------------------------------------------------------------- the generator


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    return list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))


def lead_working_days(data_dir: Path) -> int:
    for row in _rows(data_dir / SETTINGS_FILE):
        if row["key"] == LEAD_DAYS_KEY:
            return int(row["value"])
    raise ValueError(f"data/{SETTINGS_FILE}: thiếu dòng '{LEAD_DAYS_KEY}'.")


def holiday_dates(data_dir: Path) -> frozenset[date]:
    return frozenset(date.fromisoformat(row["holiday_date"]) for row in _rows(data_dir / HOLIDAYS_FILE))


def generated_rows(data_dir: Path, first: str, last: str) -> list[dict[str, str]]:
    """The calendar by the rule from first to last, keeping every row the secretariat marked edited."""
    from metrics.periods import period_range

    kept = {row["period"]: row for row in _rows(data_dir / CALENDAR_FILE) if row.get("edited") == "true"}
    days, holidays = lead_working_days(data_dir), holiday_dates(data_dir)
    return [
        kept.get(period) or row_as_csv(default_row(period, days, holidays))
        for period in period_range(first, last)
    ]


def calendar_text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CALENDAR_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_calendar(data_dir: Path, first: str, last: str) -> Path:
    """(Re)write data/reporting_calendar.csv from the rule; edited rows stay as they are."""
    path = data_dir / CALENDAR_FILE
    path.write_text(calendar_text(generated_rows(data_dir, first, last)), encoding="utf-8")
    return path
