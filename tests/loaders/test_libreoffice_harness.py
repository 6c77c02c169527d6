"""The LibreOffice harness types like a person in each locale, and what it saves is what Calc parsed."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from python_calamine import CalamineWorkbook

pytestmark = pytest.mark.libreoffice


def _typed(calc, tmp_path, texts: list[str], fmt: str = "xlsx"):
    path = tmp_path / f"typed-{calc.locale}.{fmt}"
    ops = [{"op": "new"}, {"op": "rename", "sheet": 0, "to": "Số liệu"}]
    ops += [{"op": "type", "sheet": "Số liệu", "cell": f"A{i + 1}", "text": t} for i, t in enumerate(texts)]
    calc.run([*ops, {"op": "save", "path": str(path), "format": fmt}])
    book = CalamineWorkbook.from_path(str(path))
    return book.sheet_names, [row[0] for row in book.get_sheet_by_name("Số liệu").to_python()]


def _as_date(v):
    return v.date() if isinstance(v, datetime) else v


def test_vietnamese_locale_reads_a_decimal_comma_and_day_first_dates(calc_vi, tmp_path):
    names, cells = _typed(calc_vi, tmp_path, ["0,45", "5/6/2026", "45%", "=1/0"])
    assert names == ["Số liệu"]
    assert cells[0] == pytest.approx(0.45)
    assert _as_date(cells[1]) == date(2026, 6, 5)
    assert cells[2] == pytest.approx(0.45)
    # calamine reads an error cell as blank: the workbook itself must carry the error for the reader to see
    assert cells[3] in ("", None) or str(cells[3]).startswith("#DIV/0")
    with zipfile.ZipFile(tmp_path / "typed-vi-VN.xlsx") as z:
        assert "<v>#DIV/0!</v>" in z.read("xl/worksheets/sheet1.xml").decode()


def test_english_locale_keeps_a_decimal_comma_as_text_and_reads_month_first(calc_en, tmp_path):
    _, cells = _typed(calc_en, tmp_path, ["0,45", "5/6/2026", "15/5/2026"])
    assert cells[0] == "0,45"
    assert _as_date(cells[1]) == date(2026, 5, 6)
    assert cells[2] == "15/5/2026"


def test_it_saves_opendocument_too(calc_vi, tmp_path):
    names, cells = _typed(calc_vi, tmp_path, ["37,6"], fmt="ods")
    assert names == ["Số liệu"]
    assert cells[0] == pytest.approx(37.6)
