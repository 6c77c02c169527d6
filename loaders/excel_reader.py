"""Read a filled-in template and check every cell; all-or-nothing, with every error named by sheet, row, column.

Reading is done by python-calamine (fast, Rust). Calamine gives cached formula results but neither the
formulas nor the cells' number formats, so the value column alone is also scanned in the sheet's XML
(one C-level regex pass, no openpyxl): that says which value cells are %-formatted (0,8 shown as 80%)
and which hold a formula whose result was never computed (a file written by a program, not by Excel).
"""

from __future__ import annotations

import hashlib
import io
import math
import posixpath
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import duckdb
import pandas as pd
import python_calamine

from loaders import text_clean, xml_safety
from loaders.excel_template import (
    COLUMNS,
    EDITABLE_FIELDS,
    HEADER_OF,
    HEADERS,
    MANUAL_CHOICES,
    MANUAL_DIRECTIONS,
    SHEET_DATA,
    SHEET_META,
    SHEET_TASKS,
    SUPPORTED_VERSIONS,
    TASK_COLUMNS,
    TASK_EDITABLE_FIELDS,
    TASK_HEADER_OF,
    TASK_HEADERS,
    TASK_STATUS_CHOICES,
    TemplateError,
    check_period,
    is_percent_unit,
    value_bounds,
)
from loaders.xml_safety import ElementTree
from metrics.periods import is_period, quarter_label_vi
from metrics.status_labels import format_number
from metrics.tasks import DONE_STATUSES, REPORTED, RESOLUTION_DATE, STATUS_ALIASES, period_end

# Keep in step with server.maxUploadSize in .streamlit/config.toml (a test holds them equal).
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all members together, as the zip directory declares them
MAX_MEMBER_RATIO = 200  # a real sheet compresses 5–50 times; deflated zeros, about 1000 times
RATIO_CHECK_FROM = 5 * 1024 * 1024  # small members may compress well without being a bomb
MAX_ZIP_MEMBERS = 2000
MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_TEXT_LENGTH = 2000
MAX_FILE_NAME = 255
HEADER_SEARCH_ROWS = 20

XLSX_EXTENSION = ".xlsx"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and also any password-protected Excel file
_ZIP_MAGIC = b"PK\x03\x04"
_SHEET_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_MACRO_TYPES = ("macroEnabled", "vbaProject")

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Issue:
    """One problem found in an uploaded file, where it is, what was found and what was expected."""

    message: str
    sheet: str | None = None
    row: int | None = None  # the Excel row number, 1-based, as people see it
    column: str | None = None  # the header text
    column_letter: str | None = None
    found: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"Trang “{self.sheet}”")
        if self.row:
            where.append(f"dòng {self.row}")
        if self.column:
            letter = f" ({self.column_letter})" if self.column_letter else ""
            where.append(f"cột “{self.column}”{letter}")
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.found is not None:
            text += f" Giá trị gặp: “{self.found}”."
        if self.expected:
            text += f" Cần: {self.expected}."
        return text


@dataclass
class ParsedUpload:
    """What a file holds once read and checked. `rows` is empty unless `errors` is."""

    file_name: str
    sha256: str
    size: int
    period: str | None = None
    agency_id: str | None = None
    template_version: str | None = None
    rows: pd.DataFrame = field(default_factory=lambda: _empty_rows())
    errors: list[Issue] = field(default_factory=list)
    n_blank: int = 0  # indicator rows left blank: not reported this period
    tasks: pd.DataFrame = field(
        default_factory=lambda: _empty_tasks()
    )  # task status updates (sheet “Nhiệm vụ”)
    n_task_blank: int = 0  # task rows left blank: no update this period

    @property
    def ok(self) -> bool:
        return not self.errors


ROW_COLUMNS = ("indicator_id", "period", "value", "value_text", "note", "evidence", "excel_row")


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object") for c in ROW_COLUMNS})


TASK_ROW_COLUMNS = ("task_id", "period", "status", "completed_on", "evidence", "note", "excel_row")


def _empty_tasks() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in TASK_ROW_COLUMNS})


# ---------------------------------------------------------------- numbers and periods as people type them

_SPACES = dict.fromkeys(map(ord, " \u00a0\u202f\u2009\u2007"), None)
_NUMBER_BODY = re.compile(r"^[0-9.,]+$")


class NumberError(ValueError):
    """Why a text is not a number, in Vietnamese."""


def parse_number_text(text: str) -> tuple[float, bool]:
    """(number, typed with %) from text such as '37,6', '1.234,5', '37.6', '80%', '−5'.

    One separator alone is a decimal separator ('37,6', '37.6'), unless it is followed by exactly three
    digits ('1.234', '1,234'): those mean 1234 in Vietnamese and 1.234 in English, so they are refused.
    Both separators: the last one is the decimal separator ('1.234,5', '1,234.5'). Several of one kind:
    thousands ('1.234.567').
    """
    s = unicodedata.normalize("NFC", str(text)).strip().translate(_SPACES).replace("\u2212", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1]
    sign = 1.0
    if s[:1] in "+-" and s:
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    if not s or not _NUMBER_BODY.match(s) or not any(ch.isdigit() for ch in s):
        raise NumberError("không phải là số.")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        decimal = "," if s.rfind(",") > s.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, fraction = s.rpartition(decimal)
        if s.count(decimal) > 1 or not _grouped(whole, thousands) or not fraction.isdigit():
            raise NumberError("dấu phân cách hàng nghìn và thập phân không đúng chỗ.")
        number = float(whole.replace(thousands, "") + "." + fraction)
    elif dots > 1 or commas > 1:
        sep = "." if dots else ","
        if not _grouped(s, sep):
            raise NumberError("dấu phân cách hàng nghìn không đúng chỗ.")
        number = float(s.replace(sep, ""))
    elif dots or commas:
        sep = "." if dots else ","
        whole, _, fraction = s.partition(sep)
        if not fraction.isdigit() or (whole and not whole.isdigit()):
            raise NumberError("không phải là số.")
        if (
            len(fraction) == 3
            and whole
            and whole != "0"
            and len(whole.lstrip("0")) <= 3
            and not whole.startswith("0")
        ):
            raise NumberError(
                f"không rõ nghĩa: có thể là {whole}{fraction} hoặc {whole},{fraction}. Nếu là số nguyên, viết "
                f"{whole}{fraction}; nếu là số thập phân, viết {whole},{fraction}0."
            )
        number = float((whole or "0") + "." + fraction)
    else:
        number = float(s)
    return sign * number, percent


def _grouped(whole: str, sep: str) -> bool:
    groups = whole.split(sep)
    return (
        bool(groups[0])
        and groups[0].isdigit()
        and len(groups[0]) <= 3
        and all(len(g) == 3 and g.isdigit() for g in groups[1:])
    )


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_QUARTER_LABEL = re.compile(r"^(?:quý|quy|q)\s*(IV|III|II|I|[1-4])\s*[/.\- ]\s*(\d{4})$", re.IGNORECASE)


def parse_period_text(text: object) -> str | None:
    """'Quý III/2026', 'Q3/2026' or '2026-Q3' -> '2026-Q3'; None if it is none of these."""
    s = unicodedata.normalize("NFC", str(text)).strip()
    if is_period(s.upper()):
        return s.upper()
    match = _QUARTER_LABEL.match(s)
    if not match:
        return None
    q = match.group(1).upper()
    quarter = _ROMAN[q] if q in _ROMAN else int(q)
    return f"{match.group(2)}-Q{quarter}"


def _show(value: object) -> str:
    """A cell value as it would be quoted back to a person."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return format_number(value, 0)
        return format_number(value, 10).rstrip("0").rstrip(",")
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _clean_text(value: object) -> str:
    """Uploaded free text: NFC, no control characters (they break exports), trimmed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    return str(text_clean.clean_text(str(value))).strip()  # also drops bidi overrides and zero-width


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------- the container: size, type, zip bombs


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
                expected="mở tệp bằng Excel, bỏ mật khẩu nếu có, rồi lưu thành .xlsx (Excel Workbook)",
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


def _looks_like_text(data: bytes) -> bool:
    head = data[:2048]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in head


# ---------------------------------------------------------------- the sheet's XML: % formats and formulas

_MAIN_REL = "/officeDocument"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{Id: (Type, absolute target)} of a part's relationships."""
    folder, base = posixpath.split(part)
    path = posixpath.join(folder, "_rels", base + ".rels")
    try:
        root = ElementTree.fromstring(zf.read(path))
    except (KeyError, ElementTree.ParseError):
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target", "")
        absolute = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id", "")] = (rel.get("Type", ""), absolute)
    return out


def _percent_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


def _cell_regex(letter: str) -> re.Pattern[bytes]:
    return re.compile(
        rb'<(?:[\w.-]+:)?c\b(?=[^>]*?\br="'
        + letter.encode()
        + rb'(\d+)")([^>]*?)(/>|>(.*?)</(?:[\w.-]+:)?c>)',
        re.S,
    )


_STYLE_ATTR = re.compile(rb'\bs="(\d+)"')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_CACHED = re.compile(rb"<(?:[\w.-]+:)?v>([^<]+)</")


@dataclass(frozen=True)
class CellFacts:
    percent_format: bool
    formula_without_value: bool


def scan_columns(data: bytes, sheet_name: str, letters: list[str]) -> dict[str, dict[int, CellFacts]]:
    """{column letter: {Excel row: facts}} for the cells of some columns of one sheet, read from the raw XML.

    Only cells with something to report (a % format, a formula without a result) are returned.
    """
    zf = zipfile.ZipFile(io.BytesIO(data))
    root_rels = _rels(zf, "")
    workbook = next((t for ty, t in root_rels.values() if ty.endswith(_MAIN_REL)), "xl/workbook.xml")
    wb_rels = _rels(zf, workbook)
    wb_root = ElementTree.fromstring(zf.read(workbook))
    rid = None
    for el in wb_root.iter():
        if _local(el.tag) == "sheet" and el.get("name") == sheet_name:
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
    if rid is None or rid not in wb_rels:
        return {letter: {} for letter in letters}
    sheet_xml = zf.read(wb_rels[rid][1])
    percent_styles = _percent_styles(zf, wb_rels)
    out: dict[str, dict[int, CellFacts]] = {}
    for letter in letters:
        facts = out.setdefault(letter, {})
        for match in _cell_regex(letter).finditer(sheet_xml):
            attrs, body = match.group(2), match.group(4) or b""
            style = _STYLE_ATTR.search(attrs)
            percent = style is not None and int(style.group(1)) in percent_styles
            has_formula = _FORMULA.search(body) is not None
            cell_type = _TYPE_ATTR.search(attrs)
            cached = (
                _CACHED.search(body) is not None
                or b"<is>" in body
                or (cell_type is not None and cell_type.group(1) == b"str")
            )
            if percent or (has_formula and not cached):
                facts[int(match.group(1))] = CellFacts(percent, has_formula and not cached)
    return out


def _percent_styles(zf: zipfile.ZipFile, wb_rels: dict[str, tuple[str, str]]) -> set[int]:
    styles_part = next((t for ty, t in wb_rels.values() if ty.endswith("/styles")), None)
    if styles_part is None:
        return set()
    try:
        root = ElementTree.fromstring(zf.read(styles_part))
    except (KeyError, ElementTree.ParseError):
        return set()
    percent_formats = {9, 10}
    for el in root.iter():
        if _local(el.tag) == "numFmt" and _percent_code(el.get("formatCode", "")):
            percent_formats.add(int(el.get("numFmtId", "-1")))
    out = set()
    for el in root.iter():
        if _local(el.tag) == "cellXfs":
            for index, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                if int(xf.get("numFmtId", "0")) in percent_formats:
                    out.add(index)
    return out


# ---------------------------------------------------------------- reading


_INDICATORS_SQL = "SELECT indicator_id, name, unit, direction, min_value, max_value FROM indicators"
_TASKS_SQL = "SELECT task_id, title FROM tasks"


def read_actuals(
    data: bytes,
    file_name: str,
    con: duckdb.DuckDBPyConnection,
    today: date | None = None,
    progress: Progress | None = None,
) -> ParsedUpload:
    """Read and check an uploaded workbook against the indicator catalog. Never writes anything."""
    report = progress or (lambda fraction, text: None)
    file_name = _clean_text(file_name or "")[:MAX_FILE_NAME] or "tệp không tên"  # it is stored and shown
    parsed = ParsedUpload(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    report(0.05, "Đang kiểm tra loại tệp, dung lượng…")
    parsed.errors = check_container(data, file_name)
    if parsed.errors:
        return parsed
    report(0.15, f"Đang đọc trang “{SHEET_DATA}”…")
    try:
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = workbook.sheet_names
        if SHEET_DATA not in names and SHEET_TASKS not in names:
            visible = ", ".join(f"“{n}”" for n in names if n != SHEET_META) or "không có trang nào"
            parsed.errors = [
                Issue(
                    f"Không tìm thấy trang tính “{SHEET_DATA}” hay “{SHEET_TASKS}” (tệp có: {visible}).",
                    expected=f"tệp lập từ mẫu, giữ nguyên trang “{SHEET_DATA}” và “{SHEET_TASKS}”",
                )
            ]
            return parsed
        grids: dict[str, list[list]] = {}
        for name in (SHEET_DATA, SHEET_TASKS):
            if name not in names:
                continue
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end
            if end is not None and (end[0] + 1 > MAX_ROWS or end[1] + 1 > MAX_COLUMNS):
                parsed.errors = [
                    Issue(
                        f"Trang có dữ liệu tới dòng {end[0] + 1}, cột {end[1] + 1}: quá lớn cho một mẫu số liệu.",
                        sheet=name,
                        expected=f"không quá {MAX_ROWS} dòng và {MAX_COLUMNS} cột",
                    )
                ]
                return parsed
            grids[name] = sheet.to_python(skip_empty_area=False)
        grid = grids.get(SHEET_DATA)
        meta = (
            workbook.get_sheet_by_name(SHEET_META).to_python(skip_empty_area=False)
            if SHEET_META in names
            else None
        )
    except Exception as exc:  # calamine raises its own types and plain ones for broken XML
        parsed.errors = [
            Issue(
                f"Tệp “{file_name}” bị hỏng, không đọc được ({type(exc).__name__}).",
                expected="tệp .xlsx mở được bằng Excel",
            )
        ]
        return parsed
    report(0.35, "Đang kiểm tra tiêu đề cột…")
    indicators = {r[0]: r for r in con.execute(_INDICATORS_SQL).fetchall()}
    task_catalog = {r[0]: r for r in con.execute(_TASKS_SQL).fetchall()} if SHEET_TASKS in grids else None
    _read_grid(parsed, data, grid, meta, indicators, today, report, grids.get(SHEET_TASKS), task_catalog)
    if parsed.errors:
        parsed.rows = _empty_rows()
        parsed.tasks = _empty_tasks()
    report(1.0, "Đã kiểm tra xong.")
    return parsed


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm_header(value: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip().casefold()


def _read_meta(parsed: ParsedUpload, meta: list[list] | None, today: date | None) -> tuple[str | None, bool]:
    """(period, whether the file states one) from the template's hidden sheet; the period is None if wrong."""
    if meta is None:
        return None, False
    values = {}
    for r, row in enumerate(meta, start=1):
        if len(row) >= 2 and not _blank(row[0]):
            values[str(row[0]).strip()] = (r, "" if row[1] is None else str(row[1]).strip())
    version = values.get("template_version", (None, ""))[1]
    parsed.template_version = version or None
    if version and version not in SUPPORTED_VERSIONS:
        row = values["template_version"][0]
        parsed.errors.append(
            Issue(
                "Phiên bản mẫu không được hỗ trợ.",
                sheet=SHEET_META,
                row=row,
                column="B",
                found=version,
                expected=f"mẫu phiên bản {', '.join(sorted(SUPPORTED_VERSIONS))}: tải lại mẫu mới",
            )
        )
    parsed.agency_id = values.get("agency_id", (None, ""))[1] or None
    if "period" not in values:
        return None, False
    row, text = values["period"]
    return _checked_period(parsed, text, SHEET_META, row, "B", None, today), True


def _row_period(parsed, raw, sheet, row, header, letter, today, file_period, meta_has_period, err):
    """A row's period, checked, and held equal across the file (both sheets): (row period, file period)."""
    row_period = _checked_period(parsed, raw, sheet, row, header, letter, today)
    if row_period is not None and file_period is not None and row_period != file_period:
        err(
            f"Kỳ báo cáo khác kỳ của tệp ({quarter_label_vi(file_period)}).",
            "period_label",
            found=raw,
            expected=f"{quarter_label_vi(file_period)} cho mọi dòng",
        )
    elif row_period is not None and file_period is None and not meta_has_period:
        file_period = row_period  # a file without the hidden sheet: the first row decides
    return row_period, file_period


def _checked_period(parsed, text, sheet, row, column, letter, today) -> str | None:
    period = parse_period_text(text)
    if period is None:
        parsed.errors.append(
            Issue(
                "Kỳ báo cáo không phải là một quý.",
                sheet=sheet,
                row=row,
                column=column,
                column_letter=letter,
                found=_show(text),
                expected="một quý, ví dụ Quý III/2026 (2026-Q3)",
            )
        )
        return None
    try:
        return check_period(period, today)
    except TemplateError as exc:
        parsed.errors.append(
            Issue(
                str(exc),
                sheet=sheet,
                row=row,
                column=column,
                column_letter=letter,
                found=_show(text),
                expected="quý hiện tại hoặc một quý đã qua",
            )
        )
        return None


def _header_positions(
    parsed: ParsedUpload,
    grid: list[list],
    headers: tuple[str, ...] = HEADERS,
    key_header: str = HEADER_OF["indicator_id"],
    sheet: str = SHEET_DATA,
) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, {header: column index}); None after reporting what is wrong."""
    key = _norm_header(key_header)
    header_row = next(
        (
            r
            for r, row in enumerate(grid[:HEADER_SEARCH_ROWS])
            if any(_norm_header(v) == key for v in row if isinstance(v, str))
        ),
        None,
    )
    if header_row is None:
        empty = not any(any(not _blank(v) for v in row) for row in grid)
        message = (
            "Trang tính trống, không có dòng tiêu đề nào."
            if empty
            else f"Không tìm thấy dòng tiêu đề (cột “{key_header}”) trong {HEADER_SEARCH_ROWS} dòng đầu."
        )
        parsed.errors.append(
            Issue(message, sheet=sheet, expected="dòng tiêu đề của mẫu: " + ", ".join(headers))
        )
        return None
    wanted = {_norm_header(h): h for h in headers}
    position: dict[str, int] = {}
    before = len(parsed.errors)

    def err(message, column, letter, found=None, expected=None):
        parsed.errors.append(
            Issue(
                message,
                sheet=sheet,
                row=header_row + 1,
                column=column,
                column_letter=letter,
                found=found,
                expected=expected,
            )
        )

    for c, value in enumerate(grid[header_row]):
        if _blank(value):
            continue
        header = wanted.get(_norm_header(value))
        if header is None:
            err(
                "Tiêu đề cột lạ (đã bị đổi tên?).",
                _show(value),
                _letter(c),
                _show(value),
                "đúng tiêu đề của mẫu: " + ", ".join(headers),
            )
        elif header in position:
            err("Tiêu đề cột bị lặp.", header, _letter(c), _show(value), "mỗi cột một lần")
        else:
            position[header] = c
    for header in headers:
        if header not in position:
            err(
                "Thiếu cột bắt buộc (bị xóa hoặc đổi tên).",
                header,
                _letter(headers.index(header)),
                expected=f"cột có tiêu đề đúng “{header}”",
            )
    return None if len(parsed.errors) > before else (header_row, position)


def _read_grid(
    parsed, data, grid, meta, indicators, today, report, task_grid=None, task_catalog=None
) -> None:
    """Both sheets, each optional: `grid` is the sheet “Số liệu”, `task_grid` the sheet “Nhiệm vụ”."""
    file_period, meta_has_period = _read_meta(parsed, meta, today)
    rows: list[tuple] = []
    n_indicator_rows = 0
    if grid is not None:
        rows, n_indicator_rows, file_period = _read_data_sheet(
            parsed, data, grid, file_period, meta_has_period, indicators, today, report
        )
    n_task_rows = 0
    if task_grid is not None:
        n_task_rows, file_period = _read_task_sheet(
            parsed, data, task_grid, file_period, meta_has_period, task_catalog or {}, today
        )
    expected_rows = _meta_count(meta, "rows")
    expect_rows = grid is not None and (expected_rows > 0 if expected_rows is not None else task_grid is None)
    if n_indicator_rows == 0 and not parsed.errors and expect_rows:
        parsed.errors.append(
            Issue(
                "Trang không có dòng chỉ tiêu nào.",
                sheet=SHEET_DATA,
                expected="tệp lập từ mẫu, mỗi chỉ tiêu một dòng",
            )
        )
    expected_tasks = _meta_count(meta, "task_rows")
    if task_grid is not None and n_task_rows == 0 and not parsed.errors and (expected_tasks or 0) > 0:
        parsed.errors.append(
            Issue(
                "Trang không có dòng nhiệm vụ nào (các dòng của mẫu đã bị xóa).",
                sheet=SHEET_TASKS,
                expected="tệp lập từ mẫu, mỗi nhiệm vụ một dòng",
            )
        )
    if grid is None and task_grid is not None and n_task_rows == 0 and not parsed.errors:
        parsed.errors.append(
            Issue("Trang không có dòng nhiệm vụ nào.", sheet=SHEET_TASKS, expected="tệp lập từ mẫu")
        )
    if file_period is None and not parsed.errors:
        parsed.errors.append(
            Issue(
                "Không xác định được kỳ báo cáo của tệp.",
                sheet=SHEET_DATA if grid is not None else SHEET_TASKS,
                column=HEADER_OF["period_label"],
                expected="tệp lập từ mẫu của một quý",
            )
        )
    parsed.period = file_period
    report(0.85, "Đang tổng hợp…")
    if not parsed.errors:
        frame = pd.DataFrame(
            rows, columns=["indicator_id", "value", "value_text", "note", "evidence", "excel_row"]
        )
        frame.insert(1, "period", file_period)
        frame["value"] = frame["value"].astype("float64")
        for column in ("indicator_id", "period", "value_text", "note", "evidence"):
            frame[column] = frame[column].astype(object)
        parsed.rows = frame[list(ROW_COLUMNS)]
        tasks = parsed.tasks.copy()
        tasks["period"] = file_period
        parsed.tasks = tasks[list(TASK_ROW_COLUMNS)].astype(object)


def _meta_count(meta: list[list] | None, key: str) -> int | None:
    """A count the template wrote in its hidden sheet ('rows', 'task_rows'); None if absent or unreadable."""
    for row in meta or []:
        if len(row) >= 2 and str(row[0]).strip() == key:
            try:
                return int(float(str(row[1]).strip()))
            except ValueError:
                return None
    return None


def _read_data_sheet(parsed, data, grid, file_period, meta_has_period, indicators, today, report):
    """The rows of the sheet “Số liệu”: (value rows, number of indicator rows, file period)."""
    rows: list[tuple] = []
    found = _header_positions(parsed, grid)
    if found is None:
        return rows, 0, file_period
    header_row, position = found

    report(0.5, "Đang đọc định dạng ô giá trị…")
    letters = {field: _letter(position[HEADER_OF[field]]) for field in EDITABLE_FIELDS}
    scanned = scan_columns(data, SHEET_DATA, list(letters.values()))
    facts = scanned[letters["value"]]
    unfinished = {
        f: {r for r, x in scanned[letters[f]].items() if x.formula_without_value}
        for f in ("note", "evidence")
    }

    report(0.6, "Đang kiểm tra từng dòng…")
    col = {COLUMNS[h]: position[h] for h in HEADERS}
    width = max(col.values()) + 1
    seen: dict[str, int] = {}
    n_indicator_rows = 0
    for r in range(header_row + 1, len(grid)):
        line = grid[r]
        if len(line) < width:
            line = list(line) + [""] * (width - len(line))
        excel_row = r + 1
        code_raw, period_raw = line[col["indicator_id"]], line[col["period_label"]]
        value_raw, note_raw, evidence_raw = line[col["value"]], line[col["note"]], line[col["evidence"]]
        cell_facts = facts.get(excel_row)
        formula_blank = cell_facts is not None and cell_facts.formula_without_value
        text_formulas = [f for f in ("note", "evidence") if excel_row in unfinished[f]]
        if all(_blank(v) for v in (code_raw, value_raw, note_raw, evidence_raw)) and not (
            formula_blank or text_formulas
        ):
            continue

        def err(message, column_field, found=None, expected=None, _row=excel_row):
            header = HEADER_OF[column_field]
            parsed.errors.append(
                Issue(
                    message,
                    sheet=SHEET_DATA,
                    row=_row,
                    column=header,
                    column_letter=_letter(position[header]),
                    found=None if found is None else _show(found),
                    expected=expected,
                )
            )

        code = _clean_text(code_raw).upper() if not _blank(code_raw) else ""
        indicator = indicators.get(code)
        if not code:
            err("Thiếu mã chỉ tiêu ở dòng có số liệu.", "indicator_id", expected="mã chỉ tiêu của mẫu")
        elif indicator is None:
            err(
                "Mã chỉ tiêu không có trong danh mục.",
                "indicator_id",
                found=code_raw,
                expected="mã chỉ tiêu đúng như trong mẫu (ví dụ DVC_TOAN_TRINH)",
            )
        else:
            n_indicator_rows += 1
            if code in seen:
                err(
                    f"Chỉ tiêu {code} xuất hiện lần thứ hai (đã có ở dòng {seen[code]}).",
                    "indicator_id",
                    found=code_raw,
                    expected="mỗi chỉ tiêu một dòng",
                )
            else:
                seen[code] = excel_row

        row_period = None
        if not _blank(period_raw):
            row_period, file_period = _row_period(
                parsed,
                period_raw,
                SHEET_DATA,
                excel_row,
                HEADER_OF["period_label"],
                _letter(col["period_label"]),
                today,
                file_period,
                meta_has_period,
                err,
            )

        unfinished_expected = (
            "mở tệp bằng Excel để Excel tính, lưu lại rồi tải lên; hoặc gõ trực tiếp giá trị"
        )
        for text_field in text_formulas:
            err(
                "Ô có công thức nhưng chưa có kết quả đã tính (tệp chưa được Excel tính và lưu).",
                text_field,
                expected=unfinished_expected,
            )
        if formula_blank:
            err(
                "Ô có công thức nhưng chưa có kết quả đã tính (tệp chưa được Excel tính và lưu).",
                "value",
                expected=unfinished_expected,
            )
            continue
        note = _checked_text(note_raw, "note", err)
        evidence = _checked_text(evidence_raw, "evidence", err)
        if _blank(value_raw):
            if indicator is not None:
                parsed.n_blank += 1
            continue
        if indicator is None:
            continue
        parsed_value = _checked_value(value_raw, indicator, cell_facts, err)
        if parsed_value is not None:
            rows.append((code, parsed_value[0], parsed_value[1], note, evidence, excel_row))

    return rows, n_indicator_rows, file_period


def _checked_text(raw: object, column_field: str, err) -> str | None:
    if _blank(raw):
        return None
    text = _clean_text(raw)
    if len(text) > MAX_TEXT_LENGTH:
        err(
            f"Nội dung dài {len(text)} ký tự, vượt giới hạn {MAX_TEXT_LENGTH}.",
            column_field,
            found=text,
            expected=f"không quá {MAX_TEXT_LENGTH} ký tự",
        )
        return None
    return text or None


def _range_text(low: float | None, high: float | None) -> str:
    def num(x: float) -> str:
        return _show(float(x))

    if low is not None and high is not None:
        return f"từ {num(low)} đến {num(high)}"
    if low is not None:
        return f"không nhỏ hơn {num(low)}"
    if high is not None:
        return f"không lớn hơn {num(high)}"
    return ""


def _checked_value(raw, indicator, facts: CellFacts | None, err) -> tuple[float | None, str | None] | None:
    """(value, value_text) of one value cell, or None after reporting why it is wrong."""
    _, _name, unit, direction, min_value, max_value = indicator
    unit = unit or ""
    if direction in MANUAL_DIRECTIONS:
        expected = "một trong: " + ", ".join(MANUAL_CHOICES) + " (chỉ tiêu định tính/có-không)"
        if isinstance(raw, str):
            key = re.sub(r"\s+", " ", unicodedata.normalize("NFC", raw)).strip().casefold()
            for choice in MANUAL_CHOICES:
                if key == choice.casefold():
                    return None, choice
        err("Kết quả đánh giá không hợp lệ.", "value", found=raw, expected=expected)
        return None
    low, high = value_bounds(unit, min_value, max_value)
    unit_words = f" ({unit})" if unit else ""
    expected = f"một số {_range_text(low, high)}{unit_words}, ví dụ 37,6".replace("  ", " ")
    if isinstance(raw, bool):
        err("Giá trị là TRUE/FALSE, không phải là số.", "value", found=raw, expected=expected)
        return None
    if isinstance(raw, datetime | date | time | timedelta):
        err(
            "Ô chứa ngày/giờ, không phải là số (Excel có thể đã tự đổi số thành ngày: hãy định dạng ô là "
            "Number hoặc gõ lại).",
            "value",
            found=raw,
            expected=expected,
        )
        return None
    percent = False
    if isinstance(raw, int | float):
        value = float(raw)
        if facts is not None and facts.percent_format:
            percent = True
            value = round(value * 100, 9)
    else:
        try:
            value, percent = parse_number_text(raw)
        except NumberError as exc:
            err(f"Giá trị {exc}", "value", found=raw, expected=expected)
            return None
    if math.isnan(value) or math.isinf(value):
        err("Giá trị không phải là số hữu hạn.", "value", found=raw, expected=expected)
        return None
    if percent and not is_percent_unit(unit):
        err(
            f"Giá trị ghi dạng phần trăm nhưng đơn vị của chỉ tiêu là “{unit}”.",
            "value",
            found=raw if not isinstance(raw, float) else f"{_show(value)}%",
            expected=expected,
        )
        return None
    shown = f"{_show(value)}%" if percent else raw
    if value < 0 and low is not None and low >= 0:
        err("Giá trị âm, chỉ tiêu này không thể âm.", "value", found=shown, expected=expected)
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        what = "Tỷ lệ phần trăm" if is_percent_unit(unit) else "Giá trị"
        err(
            f"{what} nằm ngoài khoảng cho phép {_range_text(low, high)}.",
            "value",
            found=shown,
            expected=expected,
        )
        return None
    return value, None


# ---------------------------------------------------------------- the sheet “Nhiệm vụ”: task status updates

_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date_text(text: object) -> date | None:
    """'15/11/2025', '15-11-2025', '15.11.2025', '2025-11-15' -> date(2025, 11, 15); None otherwise."""
    s = unicodedata.normalize("NFC", str(text)).strip()
    if m := _DATE_TEXT.match(s):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    elif m := _ISO_DATE.match(s):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _status_key(text: str) -> str:
    text = re.sub(r"\s*/\s*", "/", unicodedata.normalize("NFC", text))
    return re.sub(r"\s+", " ", text).strip().casefold()


_STATUS_BY_KEY = {_status_key(label): code for code, label in REPORTED.items()}
_STATUS_BY_KEY.update({_status_key(alias): code for alias, code in STATUS_ALIASES.items()})


def parse_task_status(raw: object) -> str | None:
    """A status as typed ('Hoàn thành', 'đang thực hiện', 'Dừng / không thực hiện') -> its code; None if unknown."""
    if not isinstance(raw, str):
        return None
    return _STATUS_BY_KEY.get(_status_key(raw))


def _read_task_sheet(parsed, data, grid, file_period, meta_has_period, catalog, today):
    """Check every row of the sheet “Nhiệm vụ”: (number of task rows, file period). Rows go to parsed.tasks."""
    found = _header_positions(parsed, grid, TASK_HEADERS, TASK_HEADER_OF["task_id"], SHEET_TASKS)
    if found is None:
        return 0, file_period
    header_row, position = found
    letters = {f: _letter(position[TASK_HEADER_OF[f]]) for f in TASK_EDITABLE_FIELDS}
    scanned = scan_columns(data, SHEET_TASKS, list(letters.values()))
    unfinished = {f: {r for r, x in scanned[letters[f]].items() if x.formula_without_value} for f in letters}
    col = {TASK_COLUMNS[h]: position[h] for h in TASK_HEADERS}
    width = max(col.values()) + 1
    today = today or date.today()
    seen: dict[str, int] = {}
    rows: list[tuple] = []
    n_task_rows = 0
    choices = ", ".join(TASK_STATUS_CHOICES)
    for r in range(header_row + 1, len(grid)):
        line = list(grid[r]) + [""] * max(0, width - len(grid[r]))
        excel_row = r + 1
        code_raw = line[col["task_id"]]
        raw = {f: line[col[f]] for f in TASK_EDITABLE_FIELDS}
        formulas = [f for f in TASK_EDITABLE_FIELDS if excel_row in unfinished[f]]
        has_content = not all(_blank(v) for v in raw.values()) or bool(formulas)
        if _blank(code_raw) and not has_content:
            continue

        def err(message, column_field, found=None, expected=None, _row=excel_row):
            header = TASK_HEADER_OF[column_field]
            parsed.errors.append(
                Issue(
                    message,
                    sheet=SHEET_TASKS,
                    row=_row,
                    column=header,
                    column_letter=_letter(position[header]),
                    found=None if found is None else _show(found),
                    expected=expected,
                )
            )

        code = _clean_text(code_raw) if not _blank(code_raw) else ""
        known = code in catalog
        if not code:
            err("Thiếu mã nhiệm vụ ở dòng có cập nhật.", "task_id", expected="mã nhiệm vụ của mẫu")
        elif not known:
            err(
                "Mã nhiệm vụ không có trong danh mục.",
                "task_id",
                found=code_raw,
                expected="mã nhiệm vụ đúng như trong mẫu (ví dụ ubnd6896-T003)",
            )
        else:
            n_task_rows += 1
            if code in seen:
                err(
                    f"Nhiệm vụ {code} xuất hiện lần thứ hai (đã có ở dòng {seen[code]}).",
                    "task_id",
                    found=code_raw,
                    expected="mỗi nhiệm vụ một dòng",
                )
            else:
                seen[code] = excel_row
        if not has_content:
            parsed.n_task_blank += 1
            continue
        period_raw = line[col["period_label"]]
        if not _blank(period_raw):
            row_period, file_period = _row_period(
                parsed,
                period_raw,
                SHEET_TASKS,
                excel_row,
                TASK_HEADER_OF["period_label"],
                _letter(col["period_label"]),
                today,
                file_period,
                meta_has_period,
                err,
            )
        for f in formulas:
            err(
                "Ô có công thức nhưng chưa có kết quả đã tính (tệp chưa được Excel tính và lưu).",
                f,
                expected="mở tệp bằng Excel để Excel tính, lưu lại rồi tải lên; hoặc gõ trực tiếp",
            )
        note = _checked_text(raw["note"], "note", err)
        evidence = _checked_text(raw["evidence"], "evidence", err)
        status = None
        if _blank(raw["status"]):
            err(
                "Dòng có ngày, minh chứng hoặc ghi chú nhưng chưa chọn trạng thái.",
                "status",
                expected=f"một trong: {choices}",
            )
        else:
            status = parse_task_status(raw["status"])
            if status is None:
                err(
                    "Trạng thái không hợp lệ.",
                    "status",
                    found=raw["status"],
                    expected=f"một trong: {choices}",
                )
        completed_on = None
        if status is None or status in DONE_STATUSES:
            completed_on = _checked_task_date(raw["completed_on"], file_period, today, err)
        if status in DONE_STATUSES:
            label = REPORTED[status]
            if _blank(raw["completed_on"]) and "completed_on" not in formulas:
                err(
                    f"Trạng thái “{label}” cần ngày hoàn thành.",
                    "completed_on",
                    expected="ngày hoàn thành dạng ngày/tháng/năm, ví dụ 15/11/2025",
                )
            if evidence is None and _blank(raw["evidence"]) and "evidence" not in formulas:
                err(
                    f"Trạng thái “{label}” cần minh chứng.",
                    "evidence",
                    expected="số, ngày văn bản hoặc đường dẫn chứng minh đã hoàn thành",
                )
        elif status is not None and not _blank(raw["completed_on"]):
            err(
                f"Có ngày hoàn thành nhưng trạng thái là “{REPORTED[status]}”.",
                "completed_on",
                found=raw["completed_on"],
                expected="để trống ngày, hoặc chọn trạng thái Hoàn thành / Hoàn thành chậm",
            )
        if known and status is not None:
            rows.append((code, status, completed_on, evidence, note, excel_row))
    frame = pd.DataFrame(rows, columns=["task_id", "status", "completed_on", "evidence", "note", "excel_row"])
    frame.insert(1, "period", file_period)
    parsed.tasks = frame.astype(object)
    return n_task_rows, file_period


def _checked_task_date(raw, period, today, err) -> date | None:
    """The completion date of a task row, or None (blank, or after reporting why it is wrong)."""
    if _blank(raw):
        return None
    expected = "ngày dạng ngày/tháng/năm, ví dụ 15/11/2025"
    if isinstance(raw, datetime):
        day = raw.date()
    elif isinstance(raw, date):
        day = raw
    elif isinstance(raw, str):
        day = parse_date_text(raw)
        if day is None:
            err("Ngày hoàn thành không đọc được.", "completed_on", found=raw, expected=expected)
            return None
    else:
        err(
            "Ô ngày hoàn thành chứa một số, không phải ngày (hãy định dạng ô là ngày hoặc gõ 15/11/2025).",
            "completed_on",
            found=raw,
            expected=expected,
        )
        return None
    if day > today:
        err(
            f"Ngày hoàn thành ở tương lai (hôm nay là {today:%d/%m/%Y}).",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected="một ngày đã qua",
        )
        return None
    if period is not None and day > period_end(period):
        err(
            f"Ngày hoàn thành sau kỳ báo cáo {quarter_label_vi(period)}.",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected=f"không sau {period_end(period):%d/%m/%Y}; việc hoàn thành sau đó báo cáo ở kỳ sau",
        )
        return None
    if day < RESOLUTION_DATE:
        err(
            "Ngày hoàn thành trước khi Nghị quyết 57-NQ/TW ban hành.",
            "completed_on",
            found=f"{day:%d/%m/%Y}",
            expected=f"từ {RESOLUTION_DATE:%d/%m/%Y}",
        )
        return None
    return day
