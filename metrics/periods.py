"""Reporting periods 'YYYY-Qn': parsing, ordering, Vietnamese labels and horizons."""

from __future__ import annotations

import re
from datetime import date

from metrics import clock

_PERIOD_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_HORIZON_YEAR_RE = re.compile(r"^\d{4}$")
_ROMAN = ("I", "II", "III", "IV")


def parse_period(period: str) -> tuple[int, int]:
    """(year, quarter) of a 'YYYY-Qn' string; ValueError for anything else."""
    match = _PERIOD_RE.match(period) if isinstance(period, str) else None
    if match is None:
        raise ValueError(f"Kỳ báo cáo không hợp lệ: {period!r} (cần dạng 'YYYY-Qn', ví dụ '2025-Q4')")
    return int(match.group(1)), int(match.group(2))


def is_period(period: object) -> bool:
    """True for a well-formed 'YYYY-Qn' string."""
    return isinstance(period, str) and _PERIOD_RE.match(period) is not None


def period_index(period: str) -> int:
    """year*4 + quarter - 1: consecutive quarters differ by one (same as the SQL macro)."""
    year, quarter = parse_period(period)
    return year * 4 + quarter - 1


def period_of_index(index: int) -> str:
    """Inverse of period_index."""
    return f"{index // 4}-Q{index % 4 + 1}"


def shift_period(period: str, quarters: int) -> str:
    """The period `quarters` later (earlier when negative)."""
    return period_of_index(period_index(period) + quarters)


def quarter_label_vi(period: str) -> str:
    """'2025-Q4' -> 'Quý IV/2025'."""
    year, quarter = parse_period(period)
    return f"Quý {_ROMAN[quarter - 1]}/{year}"


def period_of_date(day: date) -> str:
    """The quarter a date falls in."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def current_period(today: date | None = None) -> str:
    """The quarter of today (or of the date given, so callers and tests stay deterministic)."""
    return period_of_date(today or clock.today())


def period_range(start: str, end: str) -> list[str]:
    """Every period from start to end, both included; empty when end is before start."""
    return [period_of_index(i) for i in range(period_index(start), period_index(end) + 1)]


def due_period_of_horizon(horizon: str) -> str:
    """'2025-Q4' stays as it is; a bare year '2030' is due in its fourth quarter."""
    if is_period(horizon):
        return horizon
    if isinstance(horizon, str) and _HORIZON_YEAR_RE.match(horizon):
        return f"{horizon}-Q4"
    raise ValueError(f"Mốc chỉ tiêu không hợp lệ: {horizon!r} (cần 'YYYY' hoặc 'YYYY-Qn')")
