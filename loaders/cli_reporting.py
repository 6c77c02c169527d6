"""Command line for the reporting cycle: `calendar` (regenerate data/reporting_calendar.csv), `reminders`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from loaders import db, locking
from loaders.reporting_calendar import write_calendar
from metrics.periods import is_period

FIRST_CALENDAR_PERIOD = "2025-Q4"  # the first quarter the 11/2025 plans are followed in


def _period(text: str) -> str:
    if not is_period(text):
        raise argparse.ArgumentTypeError(f"'{text}' không phải kỳ dạng 2026-Q3.")
    return text


def _cmd_calendar(args: argparse.Namespace) -> int:
    data_dir = Path(args.data_dir)
    path = write_calendar(data_dir, args.start, args.until)
    print(f"Đã ghi lịch báo cáo {args.start} … {args.until}: {path} (giữ nguyên các dòng edited = true).")
    print("Chạy `python -m loaders build` để nạp vào cơ sở dữ liệu.")
    return 0


def _cmd_reminders(args: argparse.Namespace) -> int:
    from loaders.reminders import write_reminders

    today = date.fromisoformat(args.today) if args.today else date.today()
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


def register(sub: argparse._SubParsersAction) -> None:
    p_cal = sub.add_parser(
        "calendar", help="sinh lại data/reporting_calendar.csv theo quy tắc (docs/reporting.md)"
    )
    p_cal.add_argument("--from", dest="start", type=_period, default=FIRST_CALENDAR_PERIOD)
    p_cal.add_argument("--until", type=_period, required=True, help="kỳ cuối, ví dụ 2030-Q4")
    p_cal.add_argument("--data-dir", default=str(db.DATA_DIR))
    p_cal.set_defaults(func=_cmd_calendar)
    p_rem = sub.add_parser(
        "reminders", help="công văn đôn đốc (.docx) và mẫu Excel các dòng còn thiếu, mỗi cơ quan"
    )
    p_rem.add_argument("--period", type=_period, required=True)
    p_rem.add_argument("-o", "--output", required=True, help="thư mục ghi tệp")
    p_rem.add_argument("--db", help="tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)")
    p_rem.add_argument("--today", help="ngày tính hạn, YYYY-MM-DD (mặc định hôm nay)")
    p_rem.add_argument("--send", action="store_true", help="gửi thư cho từng cơ quan nếu đã cấu hình SMTP")
    p_rem.set_defaults(func=_cmd_reminders)
