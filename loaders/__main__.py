"""Command line: `python -m loaders build|template|import-actuals|add-user|backup|restore|calendar|reminders …`."""

from __future__ import annotations

import argparse
import sys

from loaders import build as build_mod
from loaders import cli_ops, cli_reporting, cli_uploads, locking
from loaders.catalog import CatalogError
from loaders.text_clean import terminal_safe


def _cmd_build(args: argparse.Namespace) -> int:
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


def _cmd_demo(args: argparse.Namespace) -> int:
    from loaders.demo import DemoRefused, write_demo

    if args.db is None:
        print(
            "Cần --db: dữ liệu minh họa chỉ ghi vào một tệp riêng, ví dụ data/nq57-demo.duckdb.",
            file=sys.stderr,
        )
        return 2
    code = _cmd_build(args)
    if code:
        return code
    try:
        n = write_demo(args.db)
    except DemoRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Đã ghi {n} số liệu minh họa vào {args.db} (được đánh dấu 'Dữ liệu minh họa' trên mọi màn hình).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m loaders", description="Quản lý cơ sở dữ liệu NQ57 Lai Châu"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="dựng (lại) danh mục từ data/; giữ nguyên số liệu đã tải lên")
    p_build.add_argument("--db", help="tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)")
    p_build.set_defaults(func=_cmd_build)
    p_demo = sub.add_parser("demo", help="dựng một cơ sở dữ liệu minh họa riêng (không bao giờ là tệp thật)")
    p_demo.add_argument("--db", help="tệp DuckDB minh họa, ví dụ data/nq57-demo.duckdb")
    p_demo.set_defaults(func=_cmd_demo)
    cli_ops.register(sub)
    cli_uploads.register(sub)
    cli_reporting.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
