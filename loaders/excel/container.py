"""The container of an upload, checked before any parser sees it: size, type (OLE, zip, text), zip bombs, macros."""

from __future__ import annotations

import io
import zipfile

from loaders import xml_safety
from loaders.excel.contract import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from loaders.excel.parsed import Issue
from metrics.status_labels import format_number

MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all members together, as the zip directory declares them
MAX_MEMBER_RATIO = 200  # a real sheet compresses 5–50 times; deflated zeros, about 1000 times
RATIO_CHECK_FROM = 5 * 1024 * 1024  # small members may compress well without being a bomb
MAX_ZIP_MEMBERS = 2000

XLSX_EXTENSION = ".xlsx"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also any password-protected Excel file
_ZIP_MAGIC = b"PK\x03\x04"
_SHEET_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_TYPES = ("macroEnabled", "vbaProject")
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
SAVE_AS_XLSX = (
    "mở tệp rồi lưu thành .xlsx: trong Excel chọn File › Save As › Excel Workbook (*.xlsx); trong "
    "LibreOffice Calc chọn Tệp › Lưu thành (File › Save As), kiểu tệp “Excel 2007-365 (.xlsx)”, chọn "
    "“Dùng định dạng Excel 2007-365!” khi được hỏi; rồi tải tệp .xlsx lên"
)


def size_issue(file_name: str, size: int) -> Issue:
    """The refusal of a file over the size limit (the CLI checks the size before reading the file)."""
    return Issue(
        f"Tệp “{file_name}” nặng {format_number(size, 0)} byte, vượt giới hạn {MAX_UPLOAD_MB} MB "
        f"({format_number(MAX_UPLOAD_BYTES, 0)} byte).",
        expected=f"tệp .xlsx không quá {MAX_UPLOAD_MB} MB",
    )


def check_container(data: bytes, file_name: str) -> list[Issue]:
    """File-level problems, found before any parser sees the bytes. Empty list when it may be read."""
    name = file_name or "tệp"
    lower = name.lower()
    issues: list[Issue] = []
    if len(data) > MAX_UPLOAD_BYTES:
        return [size_issue(name, len(data))]
    if not data:
        return [Issue(f"Tệp “{name}” rỗng (0 byte).", expected="tệp .xlsx lập từ mẫu")]
    if data.startswith(_OLE_MAGIC):
        return [
            Issue(
                f"Tệp “{name}” là tệp Excel 97–2003 (.xls) hoặc tệp Excel có đặt mật khẩu: hệ thống không đọc loại này.",
                expected="bỏ mật khẩu nếu có, " + SAVE_AS_XLSX,
            )
        ]
    if not data.startswith(_ZIP_MAGIC):
        kind = "tệp văn bản (có thể là .csv đổi đuôi)" if _looks_like_text(data) else "không phải tệp .xlsx"
        return [Issue(f"Tệp “{name}” là {kind}.", expected="tệp .xlsx lập từ mẫu, lưu bằng Excel")]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return [
            Issue(f"Tệp “{name}” bị hỏng (không giải nén được).", expected="tệp .xlsx mở được bằng Excel")
        ]
    if len(infos) > MAX_ZIP_MEMBERS:
        return [
            Issue(
                f"Tệp “{name}” chứa {len(infos)} thành phần, quá nhiều cho một bảng số liệu.",
                expected="tệp .xlsx lập từ mẫu",
            )
        ]
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        return [
            Issue(
                f"Tệp “{name}” khi giải nén nặng {format_number(total / 1024 / 1024, 0)} MB, vượt giới hạn "
                f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB (có thể là tệp nén độc hại).",
                expected="tệp .xlsx lập từ mẫu",
            )
        ]
    for info in infos:
        if info.file_size > RATIO_CHECK_FROM and info.file_size > MAX_MEMBER_RATIO * max(
            info.compress_size, 1
        ):
            return [
                Issue(
                    f"Tệp “{name}” có thành phần “{info.filename}” nén bất thường (tỷ lệ "
                    f"{info.file_size // max(info.compress_size, 1)}:1), có thể là tệp nén độc hại.",
                    expected="tệp .xlsx lập từ mẫu",
                )
            ]
    names = {info.filename for info in infos}
    if "mimetype" in names and _member_starts(zf, "mimetype", _ODS_MIME):
        return [
            Issue(
                f"Tệp “{name}” là bảng tính OpenDocument (.ods, thường lưu từ LibreOffice Calc)"
                + ("" if lower.endswith(".ods") else " dù tên có đuôi khác")
                + ": hệ thống chỉ đọc tệp .xlsx.",
                expected=SAVE_AS_XLSX,
            )
        ]
    try:
        content_types = (
            zf.read("[Content_Types].xml").decode("utf-8", "replace")
            if "[Content_Types].xml" in names
            else ""
        )
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return [
            Issue(f"Tệp “{name}” bị hỏng (không giải nén được).", expected="tệp .xlsx mở được bằng Excel")
        ]
    if any(n.lower().endswith("vbaproject.bin") for n in names) or any(
        t in content_types for t in _MACRO_TYPES
    ):
        return [
            Issue(
                f"Tệp “{name}” chứa macro (.xlsm): hệ thống không nhận tệp có macro.",
                expected="lưu lại thành .xlsx (Excel Workbook, không macro)",
            )
        ]
    if xml_safety.dtd_member(zf) is not None:  # entity expansion ("billion laughs"), external entities
        return [
            Issue(
                f"Tệp “{name}” chứa khai báo XML không an toàn (DTD/thực thể), không phải tệp Excel lưu bình "
                "thường: hệ thống không đọc.",
                expected="mở tệp bằng Excel rồi lưu lại thành .xlsx",
            )
        ]
    if _SHEET_MAIN_TYPE not in content_types:
        return [
            Issue(
                f"Tệp “{name}” không phải bảng tính Excel .xlsx (có thể là tệp Word/ZIP đổi đuôi).",
                expected="tệp .xlsx lập từ mẫu",
            )
        ]
    if not lower.endswith(XLSX_EXTENSION):
        issues.append(Issue(f"Tên tệp “{name}” không có đuôi .xlsx.", expected="tệp .xlsx lập từ mẫu"))
    return issues


def _member_starts(zf: zipfile.ZipFile, member: str, prefix: bytes) -> bool:
    try:
        with zf.open(member) as f:
            return f.read(len(prefix)) == prefix
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, KeyError):
        return False


def _looks_like_text(data: bytes) -> bool:
    head = data[:2048]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in head
