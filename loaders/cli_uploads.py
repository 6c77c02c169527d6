"""Commands for the secretariat: template, import-actuals, revert-upload, uploads, add-user.

Exit codes: 0 done (or nothing to do), 1 refused or errors in the file, 3 database still held by another
writer after the bounded wait (loaders.locking). `--by` must be an account allowed to do the action.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from loaders import (
    audit,
    auth,
    locking,
    upload_commit,
    upload_history,
    upload_preview,
    upload_store,
    upload_tables,
)
from loaders.excel import container, contract, template
from loaders.text_clean import terminal_safe
from metrics.periods import quarter_label_vi

EXIT_OK, EXIT_ERROR, EXIT_LOCKED = 0, 1, 3


def _out(text: object, file=None) -> None:
    """Print without terminal escapes: names, notes and file names come from uploads (issue 14)."""
    text = str(text)
    # Printable text has no control or bidi character, so terminal_safe would return it unchanged.
    print(text if text.isprintable() else terminal_safe(text), file=file)


def _err(text: object) -> None:
    _out(text, file=sys.stderr)


def _confirm(question: str) -> bool:
    try:
        answer = input(f"{question} Gõ c (có) để đồng ý: ")
    except EOFError:
        return False
    return answer.strip().casefold() in {"c", "có", "co", "y", "yes"}


def _database_error(exc: locking.DatabaseError) -> int:
    _err(str(exc))
    return EXIT_LOCKED if isinstance(exc, locking.DatabaseBusy) else EXIT_ERROR


def _authorised(by: str, action: str) -> auth.User | None:
    """`--by` must name an account of users.toml whose role allows the action; None (and why) otherwise."""
    try:
        user = auth.account(by)
        if user is None:
            raise auth.Forbidden(
                f"“{by}” không phải tài khoản nào trong {auth.users_path()}: --by cần tên một tài khoản có "
                "vai trò Văn phòng thường trực hoặc Quản trị (tạo bằng: python -m loaders add-user)."
            )
        return auth.require(user, action)
    except auth.AuthError as exc:
        _err(str(exc))
        return None


def cmd_template(args: argparse.Namespace) -> int:
    try:
        period = contract.check_period(args.period)
        with locking.reading(args.db, wait=locking.write_wait()) as con:
            data = template.build_template(con, period, args.agency)
    except locking.DatabaseError as exc:
        return _database_error(exc)
    except (contract.TemplateError, upload_store.UploadError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    _out(f"Đã tạo mẫu kỳ {quarter_label_vi(period)}: {out}")
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
    unchanged = upload_store.CHANGE_LABELS[upload_store.CHANGE_UNCHANGED]
    shown = table[table["Thay đổi"] != unchanged]
    statuses = (
        shown["Trạng thái sau khi ghi"].tolist() if "Trạng thái sau khi ghi" in shown else [None] * len(shown)
    )
    # Columns zipped, not to_dict("records"): 10 000 rows of dicts cost more than the printing.
    for change, code, old, new, status in zip(
        shown["Thay đổi"].tolist(),
        shown["Mã chỉ tiêu"].tolist(),
        shown["Giá trị cũ"].tolist(),
        shown["Giá trị mới"].tolist(),
        statuses,
        strict=True,
    ):
        before = f"{old} → " if old else ""
        after = f"  [{status}]" if "Trạng thái sau khi ghi" in shown else ""
        _out(f"  {change:9} {code}: {before}{new}{after}")
    for row in upload_tables.task_preview_display(result).to_dict("records"):
        change = row["Thay đổi"]
        if change == upload_store.CHANGE_LABELS[upload_store.CHANGE_UNCHANGED]:
            continue
        old = f"{row['Trạng thái cũ']} → " if row["Trạng thái cũ"] else ""
        day = f" ({row['Ngày hoàn thành']})" if row["Ngày hoàn thành"] else ""
        _out(f"  {change:9} {row['Mã nhiệm vụ']}: {old}{row['Trạng thái mới']}{day}")
    for row in upload_tables.action_preview_display(result).to_dict("records"):
        if row["Thay đổi"] == upload_store.CHANGE_LABELS[upload_store.CHANGE_UNCHANGED]:
            continue
        old = f"{row['Trạng thái cũ']} → " if row["Trạng thái cũ"] else ""
        day = f" ({row['Ngày hoàn thành']})" if row["Ngày hoàn thành"] else ""
        _out(f"  {row['Thay đổi']:9} {row['Mã giải pháp']}: {old}{row['Trạng thái mới']}{day}")
    _out(result.summary())


def cmd_import(args: argparse.Namespace) -> int:
    user = _authorised(args.by, auth.ACTION_UPLOAD)
    if user is None:
        return EXIT_ERROR
    path = Path(args.file)
    data = _read_upload_file(path)
    if data is None:
        return EXIT_ERROR
    try:
        # The preview's status check writes in a transaction it rolls back, so it needs the writer's
        # lock, briefly; nothing is held while the operator reads the preview and answers.
        with locking.writing(args.db) as con:
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
        with audit.acting("cli", account=user.name), locking.writing(args.db) as con:
            outcome = upload_commit.commit(
                con, result, user.name
            )  # the diff is redone inside the transaction
    except locking.DatabaseError as exc:
        return _database_error(exc)
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    _out(outcome.message)
    return EXIT_OK if outcome.status in ("committed", "duplicate", "no_change") else EXIT_ERROR


def cmd_revert(args: argparse.Namespace) -> int:
    user = _authorised(args.by, auth.ACTION_REVERT)
    if user is None:
        return EXIT_ERROR
    if not args.yes and not _confirm(f"Hoàn tác lần tải #{args.upload_id}?"):
        _err("Chưa hoàn tác (không có xác nhận; dùng --yes).")
        return EXIT_ERROR
    try:
        with audit.acting("cli", account=user.name), locking.writing(args.db) as con:
            outcome = upload_commit.revert(con, args.upload_id, user.name)
    except locking.DatabaseError as exc:
        return _database_error(exc)
    except upload_store.UploadError as exc:
        _err(str(exc))
        return EXIT_ERROR
    (_out if outcome.committed else _err)(outcome.message)
    return EXIT_OK if outcome.committed else EXIT_ERROR


def cmd_history(args: argparse.Namespace) -> int:
    try:
        with locking.reading(args.db, wait=locking.write_wait()) as con:
            table = upload_tables.history_display(upload_history.upload_history(con))
    except locking.DatabaseError as exc:
        return _database_error(exc)
    if table.empty:
        _out("Chưa có lần tải số liệu nào.")
    else:
        _out(table.to_string(index=False))  # names and files come from uploads
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
    if auth.has_admin(args.users):  # once an admin exists, only an admin adds or resets accounts
        admin = auth.account(args.by or "", args.users)
        try:
            auth.require(admin, auth.ACTION_USERS)
        except auth.AuthError as exc:
            _err(f"{exc} (dùng --by TÊN_QUẢN_TRỊ)")
            return EXIT_ERROR
    try:
        user = auth.add_user(
            args.name,
            password,
            full_name=args.full_name,
            path=args.users,
            email=args.email,
            replace=args.reset,
            role=args.role,
            agency=args.agency,
        )
    except auth.AuthError as exc:
        _err(str(exc))
        return EXIT_ERROR
    _out(
        f"Đã {'đặt lại mật khẩu cho' if args.reset else 'thêm'} tài khoản {user.label} vào "
        f"{auth.users_path(args.users)}."
    )
    return EXIT_OK
