"""Vietnamese number and date formats: decimal comma, dot for thousands, dd/mm/yyyy."""

from __future__ import annotations

import math
from datetime import date, datetime

from metrics.status_labels import default_decimals, format_number, format_quantity


def fmt_number(value: float | int | None, decimals: int | None = None) -> str:
    """37.6 -> '37,6'; 1234.5 -> '1.234,5'; None/NaN -> '–'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return format_number(value, default_decimals(value) if decimals is None else decimals)


def fmt_value(value: float | None, unit: str | None, decimals: int | None = None) -> str:
    """A value with its unit the Vietnamese way: '37,6%', '10 người/vạn dân'."""
    return format_quantity(value, unit or "", decimals)


def unit_decimals(values, units) -> dict[str, int]:
    """One number format per unit in a column: the decimals the most precise value of that unit needs,
    so '16' and '35,2' of one unit read '16,0' and '35,2' (issue 17)."""
    out: dict[str, int] = {}
    for value, unit in zip(values, units, strict=True):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        unit = unit or ""
        out[unit] = max(out.get(unit, 0), default_decimals(float(value), unit))
    return out


EXCEL_FORMATS = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00", 3: "#,##0.000"}


def excel_number_format(decimals: int) -> str:
    """The cell format for a number of decimals (Excel shows the reader's decimal comma)."""
    return EXCEL_FORMATS.get(decimals, "#,##0.0")


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    try:
        return value.strftime("%d/%m/%Y")
    except (AttributeError, ValueError):
        return "–"


# How a comparator reads in a target: '≥ 80%'; "between" and "text" are written out by fmt_target.
COMPARATOR_SYMBOLS = {
    ">=": "≥",
    ">": ">",
    "<=": "≤",
    "<": "<",
    "=": "=",
    "between": "trong khoảng",
    "text": "",
}


def fmt_target(
    comparator: str,
    value: float | None,
    high: float | None,
    unit: str | None,
    as_written: str | None = None,
    also_rising: bool = False,
    with_unit: bool = True,
) -> str:
    """A target the way a person reads it: '≥ 80%', '9–10% GRDP', 'hạng ≤ 57', or the printed words."""
    if comparator == "text" or value is None or (isinstance(value, float) and math.isnan(value)):
        return as_written if isinstance(as_written, str) and as_written else "định tính"

    def digits(v: float) -> int | None:
        return 0 if float(v).is_integer() else None

    symbol = COMPARATOR_SYMBOLS.get(comparator, comparator)
    if not with_unit:
        unit = None
    if comparator == "between":
        text = f"{fmt_number(value, digits(value))}–{fmt_value(high, unit, digits(high))}"
    elif unit == "có/không":
        text = "Có" if value else "Không"
    elif unit == "thứ hạng" or unit is None:
        rank = "hạng " if unit else ""
        text = f"{rank}{symbol} {fmt_number(value, digits(value))}"
    else:
        text = f"{symbol} {fmt_value(value, unit, digits(value))}"
    return f"{text} và tăng dần" if also_rising else text


TARGET_FIELDS = ("comparator", "target_value", "target_value_high", "unit", "value_as_written", "also_rising")


def target_label(row, *, with_unit: bool = True) -> str:
    """fmt_target of one target row: a dict, a Series or a row of itertuples()."""
    values = (
        (getattr(row, f) for f in TARGET_FIELDS)
        if isinstance(row, tuple)
        else (row[f] for f in TARGET_FIELDS)
    )
    return fmt_target(*values, with_unit=with_unit)
