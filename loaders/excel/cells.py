"""One cell as people type it and read it: numbers, percent, dates, periods, statuses, free text."""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime

import pandas as pd

from loaders import text_clean
from metrics.periods import is_period
from metrics.status_labels import format_number, format_quantity
from metrics.tasks import REPORTED, STATUS_ALIASES

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_missing(value: object) -> bool:
    """None, NA, NaN or NaT: what DuckDB's NULL becomes once in a DataFrame (NaT for a date column)."""
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def is_blank(value: object) -> bool:
    """An empty cell as calamine gives it: None or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: object) -> str:
    """Uploaded free text: NFC, no control characters (they break exports), trimmed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime | date):
        value = value.isoformat()
    text = unicodedata.normalize("NFC", str(value))
    if text.isprintable():  # no control, format (bidi, zero-width) or line-break character: NFC is all
        return text.strip()  # the 10 000-row import called the per-character filter on every cell
    return str(text_clean.clean_text(text)).strip()  # also drops bidi overrides and zero-width


def show_value(value: object) -> str:
    """A cell value as it would be quoted back to a person: '37,6', '0', 'TRUE', text cut at 80 characters."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return format_number(value, 0)
        return format_number(value, 10).rstrip("0").rstrip(",")
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def range_words(low: float | None, high: float | None) -> str:
    """'từ 0 đến 100', 'không nhỏ hơn 0', 'không lớn hơn 63'; '' when there is no bound.

    The one wording of a range, for the template's hints and the reader's errors alike.
    """
    if low is not None and high is not None:
        return f"từ {show_value(float(low))} đến {show_value(float(high))}"
    if low is not None:
        return f"không nhỏ hơn {show_value(float(low))}"
    if high is not None:
        return f"không lớn hơn {show_value(float(high))}"
    return ""


def neutralise_formula(text: object) -> object:
    """Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.

    Used on every uploaded text that leaves the system in a spreadsheet; other values pass unchanged.
    """
    if isinstance(text, str) and text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def format_actual(value: object, value_text: object, unit: str) -> str:
    """An actual as Vietnamese text: '58,6%', '33 bản', 'Đạt'; '' when there is none."""
    if not is_missing(value_text) and str(value_text).strip():
        return str(value_text)
    if is_missing(value):
        return ""
    return format_quantity(float(value), unit or "")


# ---------------------------------------------------------------- numbers as people type them

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
    if not s or not _NUMBER_BODY.match(s) or not s.strip(".,"):  # digits and separators: is one a digit?
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


# ---------------------------------------------------------------- periods, dates and task statuses

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
