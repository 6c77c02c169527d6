"""The row check of the sheet “Số liệu”: one indicator's value for the period, its note and its evidence."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from loaders.excel.cells import NumberError, is_blank, parse_number_text, range_words, show_value
from loaders.excel.contract import MANUAL_CHOICES, MANUAL_DIRECTIONS, is_percent_unit, value_bounds
from loaders.excel.rows import UNFINISHED_FORMULA, FileState, Row, check_row_period, checked_text
from loaders.excel.sheet_xml import CellFacts

# What the catalog says of each indicator, as check_row's `entry`: (id, name, unit, direction, min, max).
INDICATORS_SQL = "SELECT indicator_id, name, unit, direction, min_value, max_value FROM indicators"
ROW_FIELDS = ("indicator_id", "value", "value_text", "note", "evidence", "excel_row")
_UNFINISHED_EXPECTED = "mở tệp bằng Excel để Excel tính, lưu lại rồi tải lên; hoặc gõ trực tiếp giá trị"


def check_row(state: FileState, row: Row) -> tuple | None:
    """(indicator_id, value, value_text, note, evidence, excel_row) of a row with a value; None otherwise."""
    check_row_period(state, row)
    for text_field in ("note", "evidence"):
        if text_field in row.formulas:
            row.err(UNFINISHED_FORMULA, text_field, expected=_UNFINISHED_EXPECTED)
    if "value" in row.formulas:
        row.err(UNFINISHED_FORMULA, "value", expected=_UNFINISHED_EXPECTED)
        return None
    note = checked_text(row.cells["note"], "note", row.err)
    evidence = checked_text(row.cells["evidence"], "evidence", row.err)
    if is_blank(row.cells["value"]):
        if row.entry is not None:
            state.parsed.n_blank += 1
        return None
    if row.entry is None:
        return None
    parsed_value = checked_value(row.cells["value"], row.entry, row.facts.get("value"), row.err)
    if parsed_value is None:
        return None
    return (row.code, parsed_value[0], parsed_value[1], note, evidence, row.excel_row)


@functools.lru_cache(maxsize=1024)
def _bounds(unit: str, min_value, max_value) -> tuple[float | None, float | None, str]:
    """(low, high, what a value must be) of an indicator: worked out once per catalog row, not per row."""
    low, high = value_bounds(unit, min_value, max_value)
    unit_words = f" ({unit})" if unit else ""
    return low, high, f"một số {range_words(low, high)}{unit_words}, ví dụ 37,6".replace("  ", " ")


def checked_value(raw, indicator, facts: CellFacts | None, err) -> tuple[float | None, str | None] | None:
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
    low, high, expected = _bounds(unit, min_value, max_value)
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
            found=raw if not isinstance(raw, float) else f"{show_value(value)}%",
            expected=expected,
        )
        return None
    if is_percent_unit(unit) and not percent and 0 < value <= 1:
        # 45% pasted as a value from another workbook, or typed 0,45 in a General cell: the same bare
        # number means 45 % or 0,45 %, and storing the wrong one would hide it. The person says which.
        times_100 = show_value(round(value * 100, 9))
        as_typed = show_value(value)
        err(
            f"{as_typed} có nghĩa là {times_100}%? Ô không định dạng phần trăm nên không rõ: có thể là "
            f"{times_100}% (tỷ lệ ghi dạng thập phân, thường do dán giá trị từ bảng tính khác) hoặc {as_typed}%.",
            "value",
            found=raw,
            expected=f"gõ {times_100}% nếu là {times_100} phần trăm, hoặc {as_typed}% nếu đúng là {as_typed} "
            "phần trăm",
        )
        return None
    shown = f"{show_value(value)}%" if percent else raw
    if value < 0 and low is not None and low >= 0:
        err("Giá trị âm, chỉ tiêu này không thể âm.", "value", found=shown, expected=expected)
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        what = "Tỷ lệ phần trăm" if is_percent_unit(unit) else "Giá trị"
        err(
            f"{what} nằm ngoài khoảng cho phép {range_words(low, high)}.",
            "value",
            found=shown,
            expected=expected,
        )
        return None
    return value, None
