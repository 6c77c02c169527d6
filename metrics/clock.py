"""The province's clock: every stamp and every "today" in Lai Châu time (UTC+7), whatever the server's zone.

Deadlines are days in Lai Châu. A server or CI machine on UTC would otherwise stamp an upload sent at
06:00 on the day after a deadline as 23:00 on the deadline day (on time), and call the deadline day
"yesterday" until 07:00. Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is
exact and needs no time-zone database on the machine. Stamps stay naive (DuckDB TIMESTAMP) and mean
province time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

PROVINCE_TZ = timezone(timedelta(hours=7), "ICT")


def now() -> datetime:
    """The province's wall-clock time, naive (as stored); microseconds kept so same-second writes order."""
    return datetime.now(PROVINCE_TZ).replace(tzinfo=None)


def today() -> date:
    """The province's calendar day."""
    return datetime.now(PROVINCE_TZ).date()
