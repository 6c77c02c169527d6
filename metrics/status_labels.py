"""One place for each status's Vietnamese label, colour, symbol and sort order, and number formatting."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class StatusStyle:
    code: str
    label: str  # Vietnamese, as shown to users
    label_en: str
    colour: str  # Okabe–Ito, so the palette survives the common colour-vision deficiencies
    symbol: str  # read in print and greyscale where the colour is lost
    order: int  # 0 = worst: tables sort the problems to the top


# Worst first. Data states (not reported, no data, …) sit between the bad and the good verdicts:
# they need action (chase the report) but say nothing about progress.
_STYLES: tuple[StatusStyle, ...] = (
    StatusStyle("not_met", "Không đạt", "Not met", "#D55E00", "✗", 0),
    StatusStyle("off_track", "Chậm tiến độ", "Off track", "#CC79A7", "▼", 1),
    StatusStyle("at_risk", "Có nguy cơ", "At risk", "#E69F00", "◆", 2),
    StatusStyle("not_reported", "Chưa báo cáo kỳ này", "Not reported this period", "#999999", "…", 3),
    StatusStyle("insufficient_data", "Chưa đủ số liệu", "Insufficient data", "#BBBBBB", "○", 4),
    StatusStyle("no_data", "Chưa có số liệu", "No data", "#DDDDDD", "–", 5),
    StatusStyle("manual", "Đánh giá thủ công", "Assessed manually", "#000000", "✎", 6),
    StatusStyle("on_track", "Đúng tiến độ", "On track", "#56B4E9", "●", 7),
    StatusStyle("met_early", "Đạt sớm", "Met early", "#0072B2", "★", 8),
    StatusStyle("met", "Đạt", "Met", "#009E73", "✓", 9),
)

STATUS_STYLES: dict[str, StatusStyle] = {s.code: s for s in _STYLES}
STATUS_CODES: tuple[str, ...] = tuple(s.code for s in _STYLES)  # worst first

# Statuses that are a verdict on progress (the denominator of roll-up shares) and the good ones.
ASSESSED_STATUSES: tuple[str, ...] = ("not_met", "off_track", "at_risk", "on_track", "met_early", "met")
GOOD_STATUSES: tuple[str, ...] = ("on_track", "met_early", "met")


def _style(code: str) -> StatusStyle:
    try:
        return STATUS_STYLES[code]
    except KeyError:
        raise ValueError(f"Unknown status code: {code!r}") from None


def status_label(code: str) -> str:
    return _style(code).label


def status_colour(code: str) -> str:
    return _style(code).colour


def status_symbol(code: str) -> str:
    return _style(code).symbol


def status_order(code: str) -> int:
    """Sort key, 0 = worst."""
    return _style(code).order


def status_badge(code: str) -> str:
    """Symbol and label together, e.g. '◆ Có nguy cơ'."""
    style = _style(code)
    return f"{style.symbol} {style.label}"


def value_age_text(age: int | None) -> str:
    """How old a value is beside the period it is used as of: 'kỳ này', '3 quý trước'."""
    if age is None or age != age:  # None or NaN
        return ""
    return "kỳ này" if int(age) == 0 else f"{int(age)} quý trước"


def format_number(value: float, decimals: int = 1) -> str:
    """Vietnamese number: dot for thousands, comma for decimals (1.234,5)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def default_decimals(value: float, unit: str = "") -> int:
    """Percentages keep one decimal; whole counts and ranks none; small indices (HDI) three."""
    if unit.startswith("%"):
        return 1
    if float(value).is_integer():
        return 0
    return 3 if abs(value) < 1 else 1


def format_quantity(value: float, unit: str, decimals: int | None = None) -> str:
    """A value with its unit as Vietnamese text: '62,0%', '6,5% GRDP', '33 bản', 'hạng 57'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    digits = default_decimals(value, unit) if decimals is None else decimals
    number = format_number(value, digits)
    unit = (unit or "").strip()
    if not unit:
        return number
    if unit.startswith("%"):
        return number + unit
    if unit == "thứ hạng":
        return f"hạng {number}"
    return f"{number} {unit}"
