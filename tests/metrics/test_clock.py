"""Stamps and "today" are Lai Châu's (UTC+7), whatever zone the server runs in."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from metrics import clock


@pytest.fixture
def server_on(monkeypatch):
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Ho_Chi_Minh"])
def test_the_clock_reads_province_time_whatever_the_server_zone(server_on, zone):
    server_on(zone)
    utc = datetime.now(UTC).replace(tzinfo=None)
    stamp = clock.now()
    assert stamp.tzinfo is None
    assert abs((stamp - utc) - timedelta(hours=7)) < timedelta(seconds=5)
    assert clock.today() in {(utc + timedelta(hours=7)).date(), stamp.date()}
    assert os.environ["TZ"] == zone
