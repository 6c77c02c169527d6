"""Operator commands: `python -m loaders backup PATH` and `restore PATH`, safe while the app runs."""

from __future__ import annotations

import argparse
import sys

from loaders import backup, locking
from loaders.text_clean import terminal_safe

EXIT_OK, EXIT_ERROR, EXIT_BUSY = 0, 1, 3
DB_HELP = "tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)"


def register(sub) -> None:
    p = sub.add_parser("backup", help="sao lưu trọn vẹn cơ sở dữ liệu (chạy được khi ứng dụng đang mở)")
    p.add_argument("target", help="tệp sao lưu sẽ ghi, hoặc một thư mục (tên tệp theo ngày giờ)")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một tệp sao lưu (giữ lại tệp cũ)")
    p.add_argument("source", help="tệp sao lưu")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--yes", action="store_true", help="không hỏi xác nhận")
    p.set_defaults(func=cmd_restore)


def _fail(exc: locking.DatabaseError) -> int:
    print(terminal_safe(exc), file=sys.stderr)
    return EXIT_BUSY if isinstance(exc, locking.DatabaseBusy) else EXIT_ERROR


def cmd_backup(args: argparse.Namespace) -> int:
    try:
        out = backup.backup(args.target, args.db)
    except locking.DatabaseError as exc:
        return _fail(exc)
    except OSError as exc:
        print(f"Không ghi được tệp sao lưu: {terminal_safe(exc.strerror or exc)}.", file=sys.stderr)
        return EXIT_ERROR
    print(f"Đã sao lưu trọn vẹn cơ sở dữ liệu vào {out}.")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    if not args.yes:
        print("Khôi phục thay toàn bộ số liệu hiện có: thêm --yes để xác nhận.", file=sys.stderr)
        return EXIT_ERROR
    try:
        kept = backup.restore(args.source, args.db)
    except locking.DatabaseError as exc:
        return _fail(exc)
    print(f"Đã khôi phục từ {args.source}; tệp cũ được giữ ở {kept}. Hãy tải lại trang ứng dụng.")
    return EXIT_OK
