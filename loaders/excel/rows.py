"""One row loop for every sheet of the template, driven by the sheet's contract and its row check.

The loop finds the header row, scans the editable columns' XML, skips empty rows, names each row's errors
by sheet, row and column, and checks the row's key against the catalog (missing, unknown, twice). What a
row means beyond its key is the sheet's own check (indicator_values, task_updates).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from loaders.excel.cells import clean_text, is_blank, parse_period_text, show_value
from loaders.excel.contract import (
    HEADER_SEARCH_ROWS,
    MAX_TEXT_LENGTH,
    SheetContract,
    TemplateError,
    check_period,
)
from loaders.excel.parsed import Issue, ParsedUpload, Progress
from loaders.excel.sheet_xml import CellFacts, scan_columns
from metrics import clock
from metrics.periods import quarter_label_vi

UNFINISHED_FORMULA = "Ô có công thức nhưng chưa có kết quả đã tính (tệp chưa được Excel tính và lưu)."
_ERROR_MEANINGS = {
    "#DIV/0!": "chia cho 0",
    "#N/A": "không tìm thấy giá trị, thường là VLOOKUP hay một hàm tra cứu không khớp",
    "#REF!": "tham chiếu tới ô hay trang đã bị xóa",
    "#VALUE!": "sai kiểu dữ liệu trong phép tính",
    "#NAME?": "tên hàm hoặc tên vùng không có",
    "#NUM!": "số không hợp lệ",
    "#NULL!": "hai vùng không giao nhau",
}
FORMULA_ERROR_EXPECTED = "sửa công thức cho ra đúng giá trị, hoặc xóa công thức và gõ trực tiếp giá trị"


def formula_error_message(error: str) -> str:
    """'Ô có lỗi công thức #DIV/0! (chia cho 0): …' for an error a formula cached in the file."""
    meaning = _ERROR_MEANINGS.get(error.upper())
    words = f" ({meaning})" if meaning else ""
    return f"Ô có lỗi công thức {error}{words}: không có giá trị nào để ghi."


ErrorSink = Callable[..., None]  # err(message, field, found=None, expected=None)


@dataclass
class FileState:
    """What the sheets of one file share while they are read: where errors go, and the file's period."""

    parsed: ParsedUpload
    data: bytes
    today: date
    file_period: str | None
    meta_has_period: bool


@dataclass(frozen=True)
class Row:
    """One row that is not empty, as a sheet's check sees it."""

    sheet: SheetContract
    excel_row: int  # 1-based, as people see it
    code: str  # the key as cleaned ('' when missing)
    entry: tuple | None  # the catalog row of the key; None when missing or unknown
    cells: dict[str, object]  # raw value of every column, by field
    letters: dict[str, str]  # column letter of every field
    facts: dict[str, CellFacts]  # editable fields whose XML has something to report
    formulas: tuple[str, ...]  # editable fields holding a formula that was never computed
    has_content: bool  # something typed (or a formula) in an editable cell
    err: ErrorSink


RowCheck = Callable[[FileState, Row], tuple | None]


def column_letter(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _norm_header(value: object) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(value))).strip().casefold()


def header_positions(
    parsed: ParsedUpload, grid: list[list], sheet: SheetContract
) -> tuple[int, dict[str, int]] | None:
    """(index of the header row, {header: column index}); None after reporting what is wrong."""
    headers = sheet.headers
    key_header = sheet.header_of[sheet.key_field]
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
        empty = not any(any(not is_blank(v) for v in row) for row in grid)
        message = (
            "Trang tính trống, không có dòng tiêu đề nào."
            if empty
            else f"Không tìm thấy dòng tiêu đề (cột “{key_header}”) trong {HEADER_SEARCH_ROWS} dòng đầu."
        )
        parsed.errors.append(
            Issue(message, sheet=sheet.name, expected="dòng tiêu đề của mẫu: " + ", ".join(headers))
        )
        return None
    wanted = {_norm_header(h): h for h in headers}
    position: dict[str, int] = {}
    before = len(parsed.errors)

    def err(message, column, letter, found=None, expected=None):
        parsed.errors.append(
            Issue(
                message,
                sheet=sheet.name,
                row=header_row + 1,
                column=column,
                column_letter=letter,
                found=found,
                expected=expected,
            )
        )

    for c, value in enumerate(grid[header_row]):
        if is_blank(value):
            continue
        header = wanted.get(_norm_header(value))
        if header is None:
            err(  # an unknown header is refused: it may be a renamed column whose values would be lost
                "Tiêu đề cột lạ (đã bị đổi tên?).",
                show_value(value),
                column_letter(c),
                show_value(value),
                "đúng tiêu đề của mẫu: " + ", ".join(headers),
            )
        elif header in position:
            err("Tiêu đề cột bị lặp.", header, column_letter(c), show_value(value), "mỗi cột một lần")
        else:
            position[header] = c
    for header, column in zip(headers, sheet.columns, strict=True):
        if header not in position and not (column.reference_only or column.optional):
            err(
                "Thiếu cột bắt buộc (bị xóa hoặc đổi tên).",
                header,
                column_letter(headers.index(header)),
                expected=f"cột có tiêu đề đúng “{header}”",
            )
    return None if len(parsed.errors) > before else (header_row, position)


def read_rows(
    state: FileState,
    grid: list[list],
    sheet: SheetContract,
    catalog: dict[str, tuple],
    check: RowCheck,
    report: Progress | None = None,
) -> tuple[list[tuple], int]:
    """(what `check` returned for each row, number of rows whose key is in the catalog)."""
    found = header_positions(state.parsed, grid, sheet)
    if found is None:
        return [], 0
    header_row, position = found
    report = report or (lambda fraction, text: None)
    report(0.5, "Đang đọc định dạng ô giá trị…")
    col = {
        sheet.field_of[h]: position[h] for h in sheet.headers if h in position
    }  # reference-only may be gone
    letters = {f: column_letter(c) for f, c in col.items()}
    absent = [c.field for c in sheet.columns if c.field not in col]  # optional columns the file lacks
    editable = tuple(f for f in sheet.editable_fields if f in col)
    scanned = scan_columns(state.data, sheet.name, [letters[f] for f in editable])
    report(0.6, "Đang kiểm tra từng dòng…")
    width = max(col.values()) + 1
    seen: dict[str, int] = {}
    out: list[tuple] = []
    n_known = 0
    key = sheet.key_field
    # What each row needs, worked out once per sheet: the loop below runs for each of up to 10 000 rows.
    picks = list(col.items())
    absent_cells = dict.fromkeys(absent, "")
    typed_scans = [(f, scanned[letters[f]]) for f in editable]
    typed_fields = tuple(editable)
    reported = [(f, facts) for f, facts in typed_scans if facts]  # columns whose XML has something to say
    for r in range(header_row + 1, len(grid)):
        line = grid[r]
        if len(line) < width:
            line = list(line) + [""] * (width - len(line))
        excel_row = r + 1
        cells = {f: line[c] for f, c in picks}
        if absent_cells:
            cells.update(absent_cells)
        facts = {f: found[excel_row] for f, found in reported if excel_row in found}
        formulas = tuple(f for f, x in facts.items() if x.formula_without_value)
        errors = {f: x.error for f, x in facts.items() if x.error}
        has_content = bool(formulas) or bool(errors) or _any_typed(cells, typed_fields)
        raw_key = cells[key]
        key_blank = is_blank(raw_key)
        if key_blank and not has_content:
            continue
        err = _row_errors(state.parsed, sheet, letters, excel_row)
        code = "" if key_blank else clean_text(raw_key)
        code = code.upper() if sheet.key_upper else code
        entry = catalog.get(code) if code else None
        if not code:
            err(sheet.key_missing, key, expected=sheet.key_missing_expected)
        elif entry is None:
            err(sheet.key_unknown, key, found=raw_key, expected=sheet.key_unknown_expected)
        else:
            n_known += 1
            if code in seen:
                message = sheet.duplicate.format(code=code, first=seen[code])
                err(message, key, found=raw_key, expected=sheet.one_per_row)
            else:
                seen[code] = excel_row
        for f, error in errors.items():
            err(formula_error_message(error), f, found=error, expected=FORMULA_ERROR_EXPECTED)
        if errors:
            continue  # the row's own check would read the error cell as blank: the error says it all
        row = Row(sheet, excel_row, code, entry, cells, letters, facts, formulas, has_content, err)
        result = check(state, row)
        if result is not None:
            out.append(result)
    return out, n_known


def _any_typed(cells: dict[str, object], fields: tuple[str, ...]) -> bool:
    """Is any of these cells not blank (is_blank, unrolled: it runs for every editable cell of a sheet)?"""
    for f in fields:
        value = cells[f]
        if value is not None and (not isinstance(value, str) or value.strip()):
            return True
    return False


def _row_errors(parsed: ParsedUpload, sheet: SheetContract, letters: dict[str, str], excel_row: int):
    """err(message, field, found, expected): one Issue naming the sheet, row, header and letter."""

    def err(message, column_field, found=None, expected=None):
        parsed.errors.append(
            Issue(
                message,
                sheet=sheet.name,
                row=excel_row,
                column=sheet.header_of[column_field],
                column_letter=letters[column_field],
                found=None if found is None else show_value(found),
                expected=expected,
            )
        )

    return err


def check_row_period(state: FileState, row: Row) -> None:
    """A row's period, checked, and held equal across the file (both sheets)."""
    raw = row.cells["period_label"]
    if is_blank(raw):
        return
    header = row.sheet.header_of["period_label"]
    period = checked_period(
        state.parsed, raw, row.sheet.name, row.excel_row, header, row.letters["period_label"], state.today
    )
    if period is not None and state.file_period is not None and period != state.file_period:
        row.err(
            f"Kỳ báo cáo khác kỳ của tệp ({quarter_label_vi(state.file_period)}).",
            "period_label",
            found=raw,
            expected=f"{quarter_label_vi(state.file_period)} cho mọi dòng",
        )
    elif period is not None and state.file_period is None and not state.meta_has_period:
        state.file_period = period  # a file without the hidden sheet: the first row decides


def checked_period(parsed, text, sheet, row, column, letter, today) -> str | None:
    """A period cell (a row's or the hidden sheet's) as '2026-Q3'; None after reporting why it is wrong."""
    period, refusal = _period_outcome(str(text), today or clock.today())
    if period is None and refusal is None:
        parsed.errors.append(
            Issue(
                "Kỳ báo cáo không phải là một quý.",
                sheet=sheet,
                row=row,
                column=column,
                column_letter=letter,
                found=show_value(text),
                expected="một quý, ví dụ Quý III/2026 (2026-Q3)",
            )
        )
        return None
    if refusal is not None:
        parsed.errors.append(
            Issue(
                refusal,
                sheet=sheet,
                row=row,
                column=column,
                column_letter=letter,
                found=show_value(text),
                expected="quý hiện tại hoặc một quý đã qua",
            )
        )
    return period


@functools.lru_cache(maxsize=64)
def _period_outcome(text: str, today: date) -> tuple[str | None, str | None]:
    """(period, None), (None, why the quarter is refused) or (None, None) when the text is no quarter.

    Every row of a sheet carries the same period text: parsed once, not 10 000 times. Keyed by the text
    as str (parse_period_text reads str(text)), so 1, 1.0 and True stay apart."""
    period = parse_period_text(text)
    if period is None:
        return None, None
    try:
        return check_period(period, today), None
    except TemplateError as exc:
        return None, str(exc)


def checked_text(raw: object, column_field: str, err: ErrorSink) -> str | None:
    """A free-text cell (note, evidence), cleaned; None when blank or after reporting it is too long."""
    if is_blank(raw):
        return None
    text = clean_text(raw)
    if len(text) > MAX_TEXT_LENGTH:
        err(
            f"Nội dung dài {len(text)} ký tự, vượt giới hạn {MAX_TEXT_LENGTH}.",
            column_field,
            found=text,
            expected=f"không quá {MAX_TEXT_LENGTH} ký tự",
        )
        return None
    return text or None
