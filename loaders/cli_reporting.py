"""Command line for the reporting cycle: `calendar` (regenerate data/reporting_calendar.csv), `reminders`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from loaders import locking
from loaders.reporting_calendar import write_calendar
from metrics import clock


def cmd_calendar(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir)
    path = write_calendar(data_dir, args.start, args.until)
    print(f"Đã ghi lịch báo cáo {args.start} … {args.until}: {path} (giữ nguyên các dòng edited = true).")
    print("Chạy `python -m loaders build` để nạp vào cơ sở dữ liệu.")
    return 0


def cmd_reminders(args: argparse.Namespace) -> int:
    from loaders.reminders import write_reminders

    today = date.fromisoformat(args.today) if args.today else clock.today()
    try:
        with locking.reading(args.db, wait=locking.write_wait()) as con:
            written = write_reminders(con, args.period, Path(args.output), today)
            if args.send:
                _send(con, args.period, today)
    except locking.DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return 3 if isinstance(exc, locking.DatabaseBusy) else 1
    if not written:
        print(f"Kỳ {args.period}: không cơ quan nào còn thiếu số liệu, không có công văn nào.")
        return 0
    for path in written:
        print(path)
    return 0


def _send(con, period: str, today: date) -> None:
    import os

    from loaders import reminders
    from loaders.reminder_mail import NOT_CONFIGURED, send, smtp_settings

    settings = smtp_settings(os.environ)
    if settings is None:
        print(NOT_CONFIGURED)
        return
    demo = reminders.is_demo(con)
    items = [(r, reminders.reminder_files(con, r, demo)) for r in reminders.reminders(con, period, today)]
    sent, no_address = send(settings, items)
    print(f"Đã gửi thư đến {len(sent)} cơ quan.")
    if no_address:
        print(f"Không có địa chỉ thư (NQ57_SMTP_RECIPIENTS): {', '.join(no_address)}.")
