"""Derive a due date from a task's deadline as printed ("Tháng 11/2025", "2026 – 2030", "Thường xuyên")."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

# What a deadline text can mean. Only "date" deadlines can make a task late.
DATE, RECURRING, WAITING, UNKNOWN = "date", "recurring", "waiting", "unknown"

_MONTH = re.compile(r"^(?:tháng\s+)?(\d{1,2})\s*/\s*(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–—]\s*(\d{4})$")
_RECURRING = ("thường xuyên", "hàng năm", "hằng năm", "định kỳ")
# Deadlines that hang on another body's action: never shown as late.
_WAITING = ("sau khi", "theo hướng dẫn", "theo chỉ đạo", "theo tiến độ")


@dataclass(frozen=True)
class Deadline:
    kind: str
    due_date: date | None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str | None) -> Deadline:
    """Classify a printed deadline and give the last day it allows, where it names one."""
    t = unicodedata.normalize("NFC", text or "").strip().lower()
    t = re.sub(r"\s+", " ", t).rstrip(".")
    if not t:
        return Deadline(UNKNOWN, None)
    if m := _MONTH.match(t):
        month, year = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Deadline(DATE, _month_end(year, month))
        return Deadline(UNKNOWN, None)
    if m := _YEAR.match(t):
        return Deadline(DATE, date(int(m.group(1)), 12, 31))
    if m := _YEAR_RANGE.match(t):
        return Deadline(DATE, date(int(m.group(2)), 12, 31))
    if any(word in t for word in _RECURRING):
        return Deadline(RECURRING, None)
    if t.startswith(_WAITING):
        return Deadline(WAITING, None)
    return Deadline(UNKNOWN, None)
