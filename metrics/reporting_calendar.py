"""The default reporting calendar (Decree 09/2019/NĐ-CP as provinces apply it): cut-off and deadlines per quarter."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from metrics.periods import parse_period, period_range

CALENDAR_COLUMNS = [
    "period",
    "report_name",
    "cutoff_start",
    "cutoff_end",
    "agency_deadline",
    "province_deadline",
    "edited",
    "note",
]
PROVINCE_DAY = 25  # the province reports by the 25th of the period's last month
CUTOFF_START_DAY = 15  # figures run from the 15th of the month before the quarter …
CUTOFF_END_DAY = 14  # … to the 14th of the quarter's last month
# The report a quarter closes (the plans' regime: Q1, 6 months, 9 months, the year).
REPORT_NAMES = {1: "Báo cáo quý I", 2: "Báo cáo 6 tháng", 3: "Báo cáo 9 tháng", 4: "Báo cáo năm"}
RULE_NOTE = "Mặc định theo Nghị định 09/2019/NĐ-CP (docs/reporting.md)"


@dataclass(frozen=True)
class CalendarRow:
    period: str
    report_name: str
    cutoff_start: date
    cutoff_end: date
    agency_deadline: date
    province_deadline: date


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in holidays


def working_days_before(day: date, n: int, holidays: Collection[date] = ()) -> date:
    """The n-th working day before `day` (day itself not counted): 5 before Thu 25/12/2025 is Thu 18/12."""
    if n < 0:
        raise ValueError("Số ngày làm việc phải không âm.")
    current = day
    counted = 0
    while counted < n:
        current -= timedelta(days=1)
        if is_working_day(current, holidays):
            counted += 1
    return current


def default_row(period: str, lead_working_days: int, holidays: Collection[date] = ()) -> CalendarRow:
    """One period's dates by the rule; the quarter's own months, not the cumulative report's."""
    year, quarter = parse_period(period)
    last_month = 3 * quarter
    first_month = last_month - 2
    before_year, before_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    province = date(year, last_month, PROVINCE_DAY)
    return CalendarRow(
        period=period,
        report_name=REPORT_NAMES[quarter],
        cutoff_start=date(before_year, before_month, CUTOFF_START_DAY),
        cutoff_end=date(year, last_month, CUTOFF_END_DAY),
        agency_deadline=working_days_before(province, lead_working_days, holidays),
        province_deadline=province,
    )


def default_calendar(
    first: str, last: str, lead_working_days: int, holidays: Iterable[date] = ()
) -> list[CalendarRow]:
    """Every period from first to last by the rule."""
    days = frozenset(holidays)
    return [default_row(p, lead_working_days, days) for p in period_range(first, last)]


def row_as_csv(row: CalendarRow, edited: bool = False, note: str = RULE_NOTE) -> dict[str, str]:
    return {
        "period": row.period,
        "report_name": row.report_name,
        "cutoff_start": row.cutoff_start.isoformat(),
        "cutoff_end": row.cutoff_end.isoformat(),
        "agency_deadline": row.agency_deadline.isoformat(),
        "province_deadline": row.province_deadline.isoformat(),
        "edited": "true" if edited else "false",
        "note": note,
    }
