"""Makers of upload files for the tests and the benchmark: the template filled in, and every file to refuse.

Each bad file is made from a real template by openpyxl (or by editing the zip itself where openpyxl cannot
write the fault), and carries where the reader must point: sheet, row, column, and words the message needs.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
from openpyxl.utils import get_column_letter

# made in devtools/ because the benchmark makes its workbooks the same way; re-exported for the tests
from devtools.workbooks import PERIOD as PERIOD
from devtools.workbooks import add_bench_indicators as add_bench_indicators
from devtools.workbooks import column_of as column_of
from devtools.workbooks import edit as edit
from devtools.workbooks import fill as fill
from devtools.workbooks import make_large_workbook as make_large_workbook
from loaders.excel import contract
from loaders.excel.contract import HEADER_OF, SHEET_DATA, SHEET_META
from loaders.excel.template import build_template

ROOT = Path(__file__).resolve().parents[2]
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two snapshots are equal when nothing was written."""
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary ORDER BY 1"
        ).fetchall()
    ]
    return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY ALL').fetchall() for t in tables}


# ---------------------------------------------------------------- editing workbooks


def template(con: duckdb.DuckDBPyConnection, period: str = PERIOD, agency: str | None = None) -> bytes:
    return build_template(con, period, agency)


def letter_of(field: str) -> str:
    return get_column_letter(column_of(field))


def row_of(xlsx: bytes, code: str) -> int:
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))[SHEET_DATA]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, 1).value == code:
            return r
    raise KeyError(code)


def rezip(xlsx: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same package with some parts replaced or added (what openpyxl cannot write)."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = (replace or {}).get(info.filename, src.read(info.filename))
            dst.writestr(info.filename, data)
        for name, data in (add or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def sheet_part(xlsx: bytes, sheet: str = SHEET_DATA) -> str:
    index = openpyxl.load_workbook(io.BytesIO(xlsx)).sheetnames.index(sheet)
    return f"xl/worksheets/sheet{index + 1}.xml"


def with_formula(xlsx: bytes, code: str, formula: str, cached: float | None) -> bytes:
    """A formula in a value cell, with Excel's cached result written into the XML (openpyxl writes none)."""
    row = row_of(xlsx, code)
    filled = fill(xlsx, {code: "=" + formula})
    if cached is None:
        return filled
    part = sheet_part(filled)
    xml = zipfile.ZipFile(io.BytesIO(filled)).read(part)
    ref = f"{letter_of('value')}{row}".encode()
    # openpyxl writes an empty <v/> with the standard library, <v></v> when lxml is installed
    pattern = re.compile(rb'(<c r="' + ref + rb'"[^>]*>)(<f>.*?</f>)(?:<v\s*/>|<v></v>)', re.S)
    patched, n = pattern.subn(
        lambda m: m.group(1) + m.group(2) + b"<v>" + repr(cached).encode() + b"</v>", xml
    )
    assert n == 1, "the formula cell was not found in the sheet XML"
    return rezip(filled, replace={part: patched})


# ---------------------------------------------------------------- the bad files


@dataclass(frozen=True)
class BadFile:
    name: str
    data: bytes
    words: tuple[str, ...]  # what the message must say (the value found, what is wrong)
    sheet: str | None = None
    row: int | None = None
    column: str | None = None


def _cell_case(code: str, value: object, *words: str, percent: bool = False) -> Callable[[bytes], BadFile]:
    def make(t: bytes) -> BadFile:
        data = fill(t, {code: value}, percent_format=(code,) if percent else ())
        return BadFile("f.xlsx", data, words, SHEET_DATA, row_of(t, code), HEADER_OF["value"])

    return make


def _set_cells(t: bytes, cells: dict[tuple[str, str], object]) -> bytes:
    """{(indicator code, field): value} written over the template's cells, locked ones too."""

    def change(wb):
        ws = wb[SHEET_DATA]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for (code, field), value in cells.items():
            ws.cell(rows[code], column_of(field)).value = value

    return edit(t, change)


def _meta(t: bytes, key: str, value: str) -> bytes:
    def change(wb):
        ws = wb[SHEET_META]
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, 1).value == key:
                ws.cell(r, 2).value = value

    return edit(t, change)


def _period_everywhere(t: bytes, period: str, label: str) -> bytes:
    def change(wb):
        ws = wb[SHEET_DATA]
        for r in range(2, ws.max_row + 1):
            ws.cell(r, column_of("period_label")).value = label
        wb[SHEET_META]["B2"] = period

    return edit(t, change)


def unknown_code(t):
    row = row_of(t, "DVC_SU_DUNG")
    data = _set_cells(t, {("DVC_SU_DUNG", "indicator_id"): "KHONG_CO_MA", ("DVC_SU_DUNG", "value"): 50})
    return BadFile(
        "f.xlsx", data, ("KHONG_CO_MA", "không có trong danh mục"), SHEET_DATA, row, HEADER_OF["indicator_id"]
    )


def missing_code(t):
    row = row_of(t, "DVC_SU_DUNG")
    data = _set_cells(t, {("DVC_SU_DUNG", "indicator_id"): None, ("DVC_SU_DUNG", "value"): 50})
    return BadFile("f.xlsx", data, ("Thiếu mã chỉ tiêu",), SHEET_DATA, row, HEADER_OF["indicator_id"])


def duplicate(t):
    first, second = sorted((row_of(t, "CLOUD_HTTT"), row_of(t, "DVC_TOAN_TRINH")))
    data = _set_cells(
        t,
        {
            ("CLOUD_HTTT", "indicator_id"): "DVC_TOAN_TRINH",
            ("CLOUD_HTTT", "value"): 50,
            ("DVC_TOAN_TRINH", "value"): 60,
        },
    )
    return BadFile(
        "f.xlsx",
        data,
        ("DVC_TOAN_TRINH", "lần thứ hai", f"dòng {first}"),
        SHEET_DATA,
        second,
        HEADER_OF["indicator_id"],
    )


def period_not_quarter(t):
    data = _period_everywhere(t, "2025-Q5", "Quý V/2025")
    return BadFile(
        "f.xlsx", data, ("Quý V/2025", "không phải là một quý"), SHEET_DATA, 2, HEADER_OF["period_label"]
    )


def period_in_future(t):
    data = _period_everywhere(t, "2099-Q1", "Quý I/2099")
    return BadFile("f.xlsx", data, ("Quý I/2099", "chưa đến"), SHEET_DATA, 2, HEADER_OF["period_label"])


def period_differs_in_a_row(t):
    row = row_of(t, "VNEID")
    data = _set_cells(t, {("VNEID", "period_label"): "Quý III/2025", ("VNEID", "value"): 40})
    return BadFile(
        "f.xlsx", data, ("Quý III/2025", "khác kỳ của tệp"), SHEET_DATA, row, HEADER_OF["period_label"]
    )


def formula_without_value(t):
    data = with_formula(t, "DVC_TOAN_TRINH", "40+1", None)
    return BadFile(
        "f.xlsx",
        data,
        ("công thức", "chưa có kết quả"),
        SHEET_DATA,
        row_of(t, "DVC_TOAN_TRINH"),
        HEADER_OF["value"],
    )


def formula_in_note_without_value(t):
    data = _set_cells(t, {("DVC_TOAN_TRINH", "note"): "=A1&B1"})
    return BadFile("f.xlsx", data, ("công thức",), SHEET_DATA, row_of(t, "DVC_TOAN_TRINH"), HEADER_OF["note"])


def header_renamed(t):
    def change(wb):
        wb[SHEET_DATA].cell(1, column_of("value")).value = "Giá trị"

    return BadFile("f.xlsx", edit(t, change), ("Giá trị", "Thiếu cột"), SHEET_DATA, 1, HEADER_OF["value"])


def header_missing(t):
    def change(wb):
        wb[SHEET_DATA].delete_cols(column_of("evidence"))

    return BadFile("f.xlsx", edit(t, change), ("Thiếu cột",), SHEET_DATA, 1, HEADER_OF["evidence"])


def text_too_long(t):
    data = _set_cells(t, {("VNEID", "value"): 40, ("VNEID", "note"): "x" * 2500})
    return BadFile("f.xlsx", data, ("2500 ký tự", "2000"), SHEET_DATA, row_of(t, "VNEID"), HEADER_OF["note"])


def template_version(t):
    return BadFile("f.xlsx", _meta(t, "template_version", "99"), ("Phiên bản mẫu", "99"), SHEET_META, 1, "B")


def xls(t):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000
    return BadFile("so_lieu.xls", data, (".xls", "so_lieu.xls"))


def _macro_package(t):
    content_types = (
        zipfile.ZipFile(io.BytesIO(t))
        .read("[Content_Types].xml")
        .replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
    )
    return rezip(t, replace={"[Content_Types].xml": content_types}, add={"xl/vbaProject.bin": b"\0VBA" * 100})


def xlsm(t):
    return BadFile("so_lieu.xlsm", _macro_package(t), ("macro", ".xlsm"))


def xlsm_renamed(t):
    return BadFile("so_lieu.xlsx", _macro_package(t), ("macro",))


def csv_renamed(t):
    data = "Mã chỉ tiêu,Giá trị thực hiện\nDVC_TOAN_TRINH,37.6\n".encode()
    return BadFile("so_lieu.xlsx", data, (".csv",))


def corrupt_zip(t):
    return BadFile("so_lieu.xlsx", t[: len(t) // 2], ("hỏng",))


def not_a_spreadsheet(t):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return BadFile("so_lieu.xlsx", out.getvalue(), ("không phải bảng tính",))


def wrong_extension(t):
    return BadFile("so_lieu.ods", t, ("so_lieu.ods", ".xlsx"))


def empty_workbook(t):
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return BadFile("so_lieu.xlsx", out.getvalue(), ("Không tìm thấy trang tính", SHEET_DATA))


def empty_sheet(t):
    wb = openpyxl.Workbook()
    wb.active.title = SHEET_DATA
    out = io.BytesIO()
    wb.save(out)
    return BadFile("so_lieu.xlsx", out.getvalue(), ("trống",), SHEET_DATA)


def no_indicator_rows(t):
    def change(wb):
        ws = wb[SHEET_DATA]
        ws.delete_rows(2, ws.max_row)

    return BadFile("so_lieu.xlsx", edit(t, change), ("không có dòng chỉ tiêu",), SHEET_DATA)


def zero_bytes(t):
    return BadFile("so_lieu.xlsx", b"", ("rỗng",))


def too_large(t):
    return BadFile(
        "so_lieu.xlsx",
        t + b"\0" * (contract.MAX_UPLOAD_BYTES + 1 - len(t)),
        (f"{contract.MAX_UPLOAD_MB} MB", "vượt giới hạn", "10.485.761 byte"),
    )


def zip_bomb(t):
    """A real part that inflates a thousand times (8 MB of zeros in a few kB)."""
    return BadFile(
        "so_lieu.xlsx",
        rezip(t, add={"xl/media/image1.bin": b"\0" * (8 * 1024 * 1024)}),
        ("nén bất thường", "xl/media/image1.bin"),
    )


def zip_bomb_declared(t):
    """A zip directory that declares 4 GB once inflated: refused before anything is inflated."""
    data = bytearray(rezip(t, add={"xl/media/image1.bin": b"\0" * 1000}))
    name_at = data.rfind(b"xl/media/image1.bin")  # the last mention is the central directory's
    header = data.rfind(b"PK\x01\x02", 0, name_at)
    struct.pack_into("<I", data, header + 24, 0xFFFF0000)  # uncompressed size field of the central directory
    return BadFile("so_lieu.xlsx", bytes(data), ("giải nén", "MB"))


CELL_CASES: dict[str, Callable[[bytes], BadFile]] = {
    "text_not_a_number": _cell_case("DVC_TOAN_TRINH", "khoảng 40", "khoảng 40", "không phải là số"),
    "percent_over_100_typed": _cell_case("CLOUD_HTTT", "120%", "120%", "từ 0 đến 100"),
    "percent_over_100_number": _cell_case("CLOUD_HTTT", 120.5, "120,5", "từ 0 đến 100"),
    "percent_format_over_100": _cell_case("CLOUD_HTTT", 1.5, "150%", "từ 0 đến 100", percent=True),
    "above_indicator_max": _cell_case("BAN_LOM_SONG", 40, "40", "từ 0 đến 33"),
    "below_indicator_min": _cell_case("PII", 0, "0", "từ 1 đến 63"),
    "negative_impossible": _cell_case("TTHC_SO_HOA", "-5", "-5", "âm"),
    "negative_number": _cell_case("DN_CONG_NGHE_THU_HUT", -2, "-2", "âm"),
    "percent_for_count": _cell_case("BAN_LOM_SONG", "30%", "30%", "phần trăm"),
    "ambiguous_thousands": _cell_case("NHAN_LUC_NC", "1.234", "1.234", "không rõ"),
    "manual_not_a_choice": _cell_case("TT_AN_NINH_MANG", "Có lẽ", "Có lẽ", "Đạt, Chưa đạt, Đang thực hiện"),
    "manual_given_a_number": _cell_case("BAO_CAO_NQ57", 1, "1", "Đạt, Chưa đạt, Đang thực hiện"),
    "date_not_a_number": _cell_case("VNEID", date(2025, 10, 1), "ngày", "2025-10-01"),
    "boolean_not_a_number": _cell_case("VNEID", True, "TRUE/FALSE", "“TRUE”"),
}

BAD_FILES: dict[str, Callable[[bytes], BadFile]] = {
    **CELL_CASES,
    "unknown_code": unknown_code,
    "missing_code": missing_code,
    "duplicate_indicator": duplicate,
    "period_not_a_quarter": period_not_quarter,
    "period_in_the_future": period_in_future,
    "period_differs_in_a_row": period_differs_in_a_row,
    "formula_without_cached_value": formula_without_value,
    "formula_in_note_without_value": formula_in_note_without_value,
    "header_renamed": header_renamed,
    "header_missing": header_missing,
    "text_too_long": text_too_long,
    "template_version_unknown": template_version,
    "xls": xls,
    "xlsm_with_macros": xlsm,
    "xlsm_renamed_xlsx": xlsm_renamed,
    "csv_renamed": csv_renamed,
    "corrupt_zip": corrupt_zip,
    "zip_not_a_spreadsheet": not_a_spreadsheet,
    "wrong_extension": wrong_extension,
    "empty_workbook": empty_workbook,
    "empty_sheet": empty_sheet,
    "no_indicator_rows": no_indicator_rows,
    "zero_bytes": zero_bytes,
    "too_large": too_large,
    "zip_bomb_ratio": zip_bomb,
    "zip_bomb_declared_size": zip_bomb_declared,
}


def several_errors(t: bytes) -> tuple[bytes, int]:
    """One file with three cell errors in different rows: all three must be listed."""
    return fill(t, {"DVC_TOAN_TRINH": "abc", "CLOUD_HTTT": 130, "BAN_LOM_SONG": -1, "VNEID": 40}), 3


# ---------------------------------------------------------------- large workbooks for the benchmark
