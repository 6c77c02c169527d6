"""Commands for the secretariat: template, import-actuals, revert-upload, uploads, add-user.

Exit codes: 0 done (or nothing to do), 1 refused or errors in the file, 3 database held by the running app.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from loaders import auth, upload_commit, upload_history, upload_preview, upload_store, upload_tables
from loaders.excel import container, contract, template
from metrics.periods import quarter_label_vi

EXIT_OK, EXIT_ERROR, EXIT_LOCKED = 0, 1, 3
DB_HELP = "tệp DuckDB (mặc định $NQ57_DB hoặc data/nq57.duckdb)"


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def register(sub) -> None:
    """Add this module's commands to the `python -m loaders` parser."""
    p = sub.add_parser("template", help="tạo mẫu Excel để các cơ quan điền số liệu thực hiện của một quý")
    p.add_argument("--period", required=True, help="quý báo cáo, ví dụ 2026-Q3 (không nhận quý chưa đến)")
    p.add_argument(
        "--agency", help="mã cơ quan chủ trì (data/agencies.csv): chỉ các chỉ tiêu cơ quan đó chủ trì"
    )
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi ra")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "import-actuals",
        help="kiểm tra, xem trước và ghi số liệu thực hiện và cập nhật nhiệm vụ từ tệp mẫu đã điền",
    )
    p.add_argument("file", help="tệp .xlsx đã điền")
    p.add_argument("--by", required=True, help="tên người tải lên (ghi vào lịch sử)")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--yes", action="store_true", help="ghi luôn, không hỏi xác nhận")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "revert-upload", help="hoàn tác một lần tải (ghi một lần tải mới khôi phục giá trị cũ)"
    )
    p.add_argument("upload_id", type=int, help="số lần tải, xem bằng lệnh uploads")
    p.add_argument("--by", required=True, help="tên người hoàn tác")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--yes", action="store_true", help="không hỏi xác nhận")
    p.set_defaults(func=cmd_revert)

    p = sub.add_parser("uploads", help="liệt kê lịch sử các lần tải số liệu")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser(
        "add-user", help="thêm tài khoản Văn phòng thường trực (mật khẩu hỏi hoặc lấy từ $NQ57_PASSWORD)"
    )
    p.add_argument("name", help="tên đăng nhập: chữ thường không dấu, số, . _ -")
    p.add_argument("--full-name", help="họ và tên hiển thị")
    p.add_argument("--email", help="email, để ánh xạ khi dùng đăng nhập một lần (SSO)")
    p.add_argument("--reset", action="store_true", help="đặt lại mật khẩu của tài khoản đã có")
    p.add_argument("--users", help="tệp tài khoản (mặc định $NQ57_USERS hoặc .streamlit/users.toml)")
    p.set_defaults(func=cmd_add_user)


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} Gõ c (có) để đồng ý: ")
    except EOFError:
        return False
    return answer.strip().casefold() in {"c", "có", "co", "y", "yes"}


def cmd_template(args: argparse.Namespace) -> int:
    try:
        period = contract.check_period(args.period)
        con = upload_store.open_database(args.db, read_only=True)
        try:
            data = template.build_template(con, period, args.agency)
        finally:
            con.close()
    except upload_store.DatabaseLocked as exc:
        _err(str(exc))
        return EXIT_LOCKED
    except (contract.TemplateError, upload_store.UploadError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Đã tạo mẫu kỳ {quarter_label_vi(period)}: {out}")
    return EXIT_OK


def _read_upload_file(path: Path) -> bytes | None:
    if not path.is_file():
        _err(f"Không tìm thấy tệp {path}.")
        return None
    size = path.stat().st_size
    if size > contract.MAX_UPLOAD_BYTES:
        _err(str(container.size_issue(path.name, size)))
        return None
    return path.read_bytes()


def _print_preview(result: upload_preview.Preview) -> None:
    table = upload_tables.preview_display(result)
    for row in table.to_dict("records"):
        change = row["Thay đổi"]
        if change == upload_store.CHANGE_LABELS[upload_store.CHANGE_UNCHANGED]:
            continue
        old = f"{row['Giá trị cũ']} → " if row["Giá trị cũ"] else ""
        status = f"  [{row['Trạng thái sau khi ghi']}]" if "Trạng thái sau khi ghi" in row else ""
        print(f"  {change:9} {row['Mã chỉ tiêu']}: {old}{row['Giá trị mới']}{status}")
    for row in upload_tables.task_preview_display(result).to_dict("records"):
        change = row["Thay đổi"]
        if change == upload_store.CHANGE_LABELS[upload_store.CHANGE_UNCHANGED]:
            continue
        old = f"{row['Trạng thái cũ']} → " if row["Trạng thái cũ"] else ""
        day = f" ({row['Ngày hoàn thành']})" if row["Ngày hoàn thành"] else ""
        print(f"  {change:9} {row['Mã nhiệm vụ']}: {old}{row['Trạng thái mới']}{day}")
    print(result.summary())


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    data = _read_upload_file(path)
    if data is None:
        return EXIT_ERROR
    try:
        con = upload_store.open_database(args.db)
    except upload_store.DatabaseLocked as exc:
        _err(str(exc))
        return EXIT_LOCKED
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    try:
        result = upload_preview.validate_and_preview(con, data, path.name)
        if not result.ok:
            _err(result.summary())
            for issue in result.errors:
                _err(f"  - {issue}")
            return EXIT_ERROR
        _print_preview(result)
        if result.duplicate is not None or not result.has_changes:
            return EXIT_OK
        if not args.yes and not _confirm("Ghi các giá trị mới và thay đổi ở trên?"):
            _err("Chưa ghi gì (không có xác nhận; dùng --yes để ghi không cần hỏi).")
            return EXIT_ERROR
        outcome = upload_commit.commit(con, result, args.by)
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    finally:
        con.close()
    print(outcome.message)
    return EXIT_OK if outcome.status in ("committed", "duplicate", "no_change") else EXIT_ERROR


def cmd_revert(args: argparse.Namespace) -> int:
    try:
        con = upload_store.open_database(args.db)
    except upload_store.DatabaseLocked as exc:
        _err(str(exc))
        return EXIT_LOCKED
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    try:
        if not args.yes and not _confirm(f"Hoàn tác lần tải #{args.upload_id}?"):
            _err("Chưa hoàn tác (không có xác nhận; dùng --yes).")
            return EXIT_ERROR
        outcome = upload_commit.revert(con, args.upload_id, args.by)
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    finally:
        con.close()
    (print if outcome.committed else _err)(outcome.message)
    return EXIT_OK if outcome.committed else EXIT_ERROR


def cmd_history(args: argparse.Namespace) -> int:
    try:
        con = upload_store.open_database(args.db, read_only=True)
    except upload_store.DatabaseLocked as exc:
        _err(str(exc))
        return EXIT_LOCKED
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    try:
        table = upload_tables.history_display(upload_history.upload_history(con))
    finally:
        con.close()
    if table.empty:
        print("Chưa có lần tải số liệu nào.")
    else:
        print(table.to_string(index=False))
    return EXIT_OK


def cmd_add_user(args: argparse.Namespace) -> int:
    password = os.environ.get(auth.PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            _err(f"Không có bàn phím để nhập mật khẩu: đặt biến môi trường {auth.PASSWORD_ENV}.")
            return EXIT_ERROR
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            _err("Hai lần nhập mật khẩu không khớp.")
            return EXIT_ERROR
    try:
        user = auth.add_user(
            args.name,
            password,
            full_name=args.full_name,
            path=args.users,
            email=args.email,
            replace=args.reset,
        )
    except auth.AuthError as exc:
        _err(str(exc))
        return EXIT_ERROR
    print(
        f"Đã {'đặt lại mật khẩu cho' if args.reset else 'thêm'} tài khoản {user.label} vào "
        f"{auth.users_path(args.users)}."
    )
    return EXIT_OK
