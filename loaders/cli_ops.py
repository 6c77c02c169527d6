"""Operator commands: `python -m loaders build|demo`, and `backup PATH` / `restore PATH`, safe while the app
runs. The parser lives in loaders.cli_parsers (light, for start-up time); these run when called."""

from __future__ import annotations

import argparse
import sys

from loaders import backup, locking
from loaders.text_clean import terminal_safe

EXIT_OK, EXIT_ERROR, EXIT_BUSY = 0, 1, 3


def cmd_build(args: argparse.Namespace) -> int:
    from loaders import build as build_mod
    from loaders.catalog import CatalogError

    try:
        path = build_mod.build(args.db)
    except CatalogError as exc:
        print("Không dựng được cơ sở dữ liệu: danh mục có lỗi.", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except locking.DatabaseError as exc:  # busy past the wait, newer schema, read-only, disk full
        print(f"Không dựng được cơ sở dữ liệu: {terminal_safe(exc)}", file=sys.stderr)
        return 3 if isinstance(exc, locking.DatabaseBusy) else 1
    print(f"Đã dựng cơ sở dữ liệu: {path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from loaders.demo import DemoRefused, write_demo

    if args.db is None:
        print(
            "Cần --db: dữ liệu minh họa chỉ ghi vào một tệp riêng, ví dụ data/nq57-demo.duckdb.",
            file=sys.stderr,
        )
        return 2
    code = cmd_build(args)
    if code:
        return code
    try:
        n = write_demo(args.db)
    except DemoRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Đã ghi {n} số liệu minh họa vào {args.db} (được đánh dấu 'Dữ liệu minh họa' trên mọi màn hình).")
    return 0


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
