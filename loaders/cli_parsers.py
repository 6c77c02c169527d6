"""The `python -m loaders` parser, built from light modules only.

For start-up time (`python -m loaders --help` ≤ 0.3 s): this module imports nothing heavier than argparse
and metrics.periods; each command's implementation (pandas, DuckDB, openpyxl…) is imported only when that
command runs, through `_lazy`.
"""

from __future__ import annotations

import argparse
import importlib
from pathlib import Path

from metrics.periods import is_period

DB_HELP = "tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)"
DATA_DIR = Path(__file__).resolve().parent.parent / "data"  # = loaders.db.DATA_DIR, without importing DuckDB
FIRST_CALENDAR_PERIOD = "2025-Q4"  # the first quarter the 11/2025 plans are followed in
ROLE_SECRETARIAT = "van_phong"  # = loaders.auth.ROLE_SECRETARIAT, without importing bcrypt


def _lazy(module: str, name: str):
    """A command function that imports its module when called, not when the parser is built."""

    def run(args: argparse.Namespace) -> int:
        return getattr(importlib.import_module(module), name)(args)

    run.target = (module, name)
    return run


def _period(text: str) -> str:
    if not is_period(text):
        raise argparse.ArgumentTypeError(f"'{text}' không phải kỳ dạng 2026-Q3.")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders", description="Quản lý cơ sở dữ liệu NQ57 Lai Châu"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("build", help="dựng (lại) danh mục từ data/; giữ nguyên số liệu đã tải lên")
    p.add_argument("--db", help="tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)")
    p.set_defaults(func=_lazy("loaders.cli_ops", "cmd_build"))
    p = sub.add_parser("demo", help="dựng một cơ sở dữ liệu minh họa riêng (không bao giờ là tệp thật)")
    p.add_argument("--db", help="tệp DuckDB minh họa, ví dụ data/nq57-demo.duckdb")
    p.set_defaults(func=_lazy("loaders.cli_ops", "cmd_demo"))
    _operations(sub)
    _uploads(sub)
    _reporting(sub)
    return parser


def _operations(sub) -> None:
    p = sub.add_parser("backup", help="sao lưu trọn vẹn cơ sở dữ liệu (chạy được khi ứng dụng đang mở)")
    p.add_argument("target", help="tệp sao lưu sẽ ghi, hoặc một thư mục (tên tệp theo ngày giờ)")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=_lazy("loaders.cli_ops", "cmd_backup"))
    p = sub.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một tệp sao lưu (giữ lại tệp cũ)")
    p.add_argument("source", help="tệp sao lưu")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--yes", action="store_true", help="không hỏi xác nhận")
    p.set_defaults(func=_lazy("loaders.cli_ops", "cmd_restore"))


def _uploads(sub) -> None:
    p = sub.add_parser("template", help="tạo mẫu Excel để các cơ quan điền số liệu thực hiện của một quý")
    p.add_argument("--period", required=True, help="quý báo cáo, ví dụ 2026-Q3 (không nhận quý chưa đến)")
    p.add_argument(
        "--agency", help="mã cơ quan chủ trì (data/agencies.csv): chỉ các chỉ tiêu cơ quan đó chủ trì"
    )
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi ra")
    p.set_defaults(func=_lazy("loaders.cli_uploads", "cmd_template"))

    p = sub.add_parser(
        "import-actuals",
        help="kiểm tra, xem trước và ghi số liệu thực hiện và cập nhật nhiệm vụ từ tệp mẫu đã điền",
    )
    p.add_argument("file", help="tệp .xlsx đã điền")
    p.add_argument(
        "--by",
        required=True,
        help="tài khoản tải lên (vai trò van_phong/quan_tri; ghi vào lịch sử cùng tên người dùng máy)",
    )
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--yes", action="store_true", help="ghi luôn, không hỏi xác nhận")
    p.set_defaults(func=_lazy("loaders.cli_uploads", "cmd_import"))

    p = sub.add_parser(
        "revert-upload", help="hoàn tác một lần tải (ghi một lần tải mới khôi phục giá trị cũ)"
    )
    p.add_argument("upload_id", type=int, help="số lần tải, xem bằng lệnh uploads")
    p.add_argument("--by", required=True, help="tài khoản hoàn tác (vai trò van_phong/quan_tri)")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--yes", action="store_true", help="không hỏi xác nhận")
    p.set_defaults(func=_lazy("loaders.cli_uploads", "cmd_revert"))

    p = sub.add_parser("uploads", help="liệt kê lịch sử các lần tải số liệu")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=_lazy("loaders.cli_uploads", "cmd_history"))

    p = sub.add_parser(
        "add-user", help="thêm tài khoản Văn phòng thường trực (mật khẩu hỏi hoặc lấy từ $NQ57_PASSWORD)"
    )
    p.add_argument("name", help="tên đăng nhập: chữ thường không dấu, số, . _ -")
    p.add_argument("--full-name", help="họ và tên hiển thị")
    p.add_argument("--email", help="email, để ánh xạ khi dùng đăng nhập một lần (SSO)")
    p.add_argument("--reset", action="store_true", help="đặt lại mật khẩu của tài khoản đã có")
    p.add_argument("--users", help="tệp tài khoản (mặc định $NQ57_USERS hoặc .streamlit/users.toml)")
    p.add_argument(
        "--role",
        default=ROLE_SECRETARIAT,
        help="vai trò: xem, co_quan (cần --agency), van_phong (tải lên, hoàn tác), quan_tri (tài khoản)",
    )
    p.add_argument("--agency", help="mã cơ quan (data/agencies.csv) của tài khoản co_quan")
    p.add_argument("--by", help="tài khoản quản trị thực hiện (bắt buộc khi đã có tài khoản quan_tri)")
    p.set_defaults(func=_lazy("loaders.cli_uploads", "cmd_add_user"))


def _reporting(sub) -> None:
    p = sub.add_parser(
        "calendar", help="sinh lại data/reporting_calendar.csv theo quy tắc (docs/reporting.md)"
    )
    p.add_argument("--from", dest="start", type=_period, default=FIRST_CALENDAR_PERIOD)
    p.add_argument("--until", type=_period, required=True, help="kỳ cuối, ví dụ 2030-Q4")
    p.add_argument("--data-dir", default=str(DATA_DIR))
    p.set_defaults(func=_lazy("loaders.cli_reporting", "cmd_calendar"))
    p = sub.add_parser(
        "reminders", help="công văn đôn đốc (.docx) và mẫu Excel các dòng còn thiếu, mỗi cơ quan"
    )
    p.add_argument("--period", type=_period, required=True)
    p.add_argument("-o", "--output", required=True, help="thư mục ghi tệp")
    p.add_argument("--db", help="tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)")
    p.add_argument("--today", help="ngày tính hạn, YYYY-MM-DD (mặc định hôm nay)")
    p.add_argument("--send", action="store_true", help="gửi thư cho từng cơ quan nếu đã cấu hình SMTP")
    p.set_defaults(func=_lazy("loaders.cli_reporting", "cmd_reminders"))
