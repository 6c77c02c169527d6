"""Files as agencies really make them: the template filled in LibreOffice Calc in vi-VN and en-US.

Every file here is made by a real headless Calc (tests/support/libreoffice.py), typed through the cell's
FormulaLocal as keystrokes are, sorted, renamed, saved as .xlsx, .ods or .xls. None may be accepted with
a value other than its author meant or with data silently dropped; every refused one leaves the database
file byte for byte as it was.
"""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from loaders import upload_commit, upload_tables
from loaders.excel.contract import SHEET_DATA, SHEET_META, SHEET_TASKS
from tests.support.agency_files import (
    TRIED,
    accepted,
    cell,
    made_by_calc,
    refused,
    task_letter,
    task_row_of,
    typed,
)

pytestmark = pytest.mark.libreoffice


def values_of(result) -> dict[str, float]:
    return dict(zip(result.parsed.rows["indicator_id"], result.parsed.rows["value"], strict=True))


@pytest.fixture(scope="module", autouse=True)
def report_tried():
    yield
    if TRIED:
        print(f"\nLibreOffice-made files tried: {len(TRIED)}")
        for name, outcome in TRIED:
            print(f"  {name}: {outcome}")


# ---------------------------------------------------------------- fractions in % indicators


@pytest.mark.parametrize(
    ("locale", "texts"),
    [("vi", {"CLOUD_HTTT": "0,45"}), ("en", {"CLOUD_HTTT": "0.45"}), ("en", {"CLOUD_HTTT": "0,45"})],
)
def test_a_bare_fraction_for_a_percent_indicator_is_refused_with_both_readings(
    request, locale, texts, blank, db_file, tmp_path
):
    calc = request.getfixturevalue(f"calc_{locale}")
    data = made_by_calc(calc, blank, tmp_path, f"phan_so_{locale}.xlsx", typed(blank, texts))
    result = refused(db_file, data, f"phan_so_{locale}.xlsx", locale)
    (issue,) = result.errors
    assert (issue.sheet, issue.row, issue.column) == (
        SHEET_DATA,
        int(cell(blank, "CLOUD_HTTT")[1:]),
        "Giá trị thực hiện",
    )
    text = str(issue)
    assert "0,45 có nghĩa là 45%?" in text
    assert "gõ 45% nếu là 45 phần trăm, hoặc 0,45% nếu đúng là 0,45 phần trăm" in text


def test_a_fraction_pasted_as_a_value_is_refused_too(calc_vi, blank, db_file, tmp_path):
    ops = [{"op": "value", "sheet": SHEET_DATA, "cell": cell(blank, "CLOUD_HTTT"), "number": 0.45}]
    data = made_by_calc(calc_vi, blank, tmp_path, "dan_gia_tri.xlsx", ops)
    result = refused(db_file, data, "dan_gia_tri.xlsx", "vi")
    assert "0,45 có nghĩa là 45%?" in str(result.errors[0])


def test_percentages_typed_with_a_percent_sign_keep_the_precision_they_were_entered_with(
    calc_vi, blank, con, tmp_path
):
    texts = {"CLOUD_HTTT": "45%", "DVC_TOAN_TRINH": "0,45%", "HSSK_DIEN_TU": "37,25"}
    data = made_by_calc(calc_vi, blank, tmp_path, "phan_tram.xlsx", typed(blank, texts))
    result = accepted(con, data, "phan_tram.xlsx", "vi")
    assert values_of(result) == pytest.approx(
        {"CLOUD_HTTT": 45.0, "DVC_TOAN_TRINH": 0.45, "HSSK_DIEN_TU": 37.25}
    )
    shown = upload_tables.preview_display(result).set_index("Mã chỉ tiêu")["Giá trị mới"].to_dict()
    assert shown == {"CLOUD_HTTT": "45%", "DVC_TOAN_TRINH": "0,45%", "HSSK_DIEN_TU": "37,25%"}


# ---------------------------------------------------------------- formula errors


@pytest.mark.parametrize(
    ("locale", "formula", "error"),
    [
        ("vi", "=1/0", "#DIV/0!"),
        ("vi", "=NA()", "#N/A"),
        ("en", '="abc"*2', "#VALUE!"),
        ("en", '=VLOOKUP("KHONG_CO",A2:A5,1,0)', "#N/A"),
    ],
)
def test_a_formula_error_is_an_error_naming_sheet_row_column_and_the_error(
    request, locale, formula, error, blank, db_file, tmp_path
):
    calc = request.getfixturevalue(f"calc_{locale}")
    ops = typed(blank, {"DVC_TOAN_TRINH": formula, "CLOUD_HTTT": "80%"})
    data = made_by_calc(calc, blank, tmp_path, f"loi_{locale}.xlsx", ops)
    result = refused(db_file, data, f"loi_{locale}.xlsx", locale)
    (issue,) = result.errors
    assert issue.sheet == SHEET_DATA and issue.row == int(cell(blank, "DVC_TOAN_TRINH")[1:])
    assert issue.column_letter == cell(blank, "DVC_TOAN_TRINH")[0] and issue.found == error
    assert f"lỗi công thức {error}" in str(issue)


def test_a_reference_to_a_deleted_column_is_a_ref_error(calc_vi, blank, db_file, tmp_path):
    ops = typed(blank, {"DVC_TOAN_TRINH": "=L2*1"})
    ops.append({"op": "delete_columns", "sheet": SHEET_DATA, "index": 11})  # column L goes: #REF!
    data = made_by_calc(calc_vi, blank, tmp_path, "ref.xlsx", ops)
    result = refused(db_file, data, "ref.xlsx", "vi")
    assert [e.found for e in result.errors] == ["#REF!"]


# ---------------------------------------------------------------- renamed and missing sheets


def test_calc_keeps_the_hidden_sheet_that_lists_the_template_sheets(calc_en, blank, tmp_path):
    data = made_by_calc(calc_en, blank, tmp_path, "giu_meta.xlsx", typed(blank, {"DVC_TOAN_TRINH": "40"}))
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    meta = next(m for m in book.sheets_metadata if m.name == SHEET_META)
    assert "Hidden" in str(meta.visible)
    rows = dict(tuple(r[:2]) for r in book.get_sheet_by_name(SHEET_META).to_python())
    assert rows["sheets"] == f"{SHEET_DATA}|{SHEET_TASKS}" and int(rows["rows"]) > 0


@pytest.mark.parametrize(
    ("ops", "lost"),
    [
        ([{"op": "rename", "sheet": SHEET_DATA, "to": "Số liệu (2)"}], [SHEET_DATA]),
        ([{"op": "rename", "sheet": SHEET_TASKS, "to": "NV quý 4"}], [SHEET_TASKS]),
        ([{"op": "remove_sheet", "sheet": SHEET_TASKS}], [SHEET_TASKS]),
    ],
)
def test_a_renamed_or_missing_sheet_is_refused_saying_which(ops, lost, calc_vi, blank, db_file, tmp_path):
    r = task_row_of(blank, "ubnd6896-T008")
    filled = typed(blank, {"DVC_TOAN_TRINH": "40"}) + [
        {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('status')}{r}", "text": "Đang thực hiện"}
    ]
    data = made_by_calc(calc_vi, blank, tmp_path, "doi_ten.xlsx", filled + ops)
    result = refused(db_file, data, "doi_ten.xlsx", "vi")
    assert [e.sheet for e in result.errors] == lost
    assert f"không còn trang “{lost[0]}”" in str(result.errors[0])


# ---------------------------------------------------------------- dates


def test_dates_typed_on_an_english_machine_are_read_day_first(calc_en, blank, con, tmp_path):
    r1, r2 = task_row_of(blank, "ubnd6896-T003"), task_row_of(blank, "ubnd6896-T007")
    ops = []
    for r, day in ((r1, "5/11/2025"), (r2, "15/12/2025")):
        ops += [
            {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('status')}{r}", "text": "Hoàn thành"},
            {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('completed_on')}{r}", "text": day},
            {
                "op": "type",
                "sheet": SHEET_TASKS,
                "cell": f"{task_letter('evidence')}{r}",
                "text": "CV 1/SKHCN",
            },
        ]
    data = made_by_calc(calc_en, blank, tmp_path, "ngay_en.xlsx", ops)
    result = accepted(con, data, "ngay_en.xlsx", "en")
    days = dict(zip(result.parsed.tasks["task_id"], result.parsed.tasks["completed_on"], strict=True))
    assert days == {"ubnd6896-T003": date(2025, 11, 5), "ubnd6896-T007": date(2025, 12, 15)}


def test_a_real_date_cell_whose_day_and_month_can_swap_is_refused(calc_en, blank, db_file, tmp_path):
    r = task_row_of(blank, "ubnd6896-T003")
    where = f"{task_letter('completed_on')}{r}"
    ops = [
        {"op": "format", "sheet": SHEET_TASKS, "cell": where, "code": "General"},  # an old template
        {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('status')}{r}", "text": "Hoàn thành"},
        {"op": "type", "sheet": SHEET_TASKS, "cell": where, "text": "5/11/2025"},  # Calc: 11 May
        {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('evidence')}{r}", "text": "CV 1/SKHCN"},
    ]
    data = made_by_calc(calc_en, blank, tmp_path, "ngay_that.xlsx", ops)
    result = refused(db_file, data, "ngay_that.xlsx", "en")
    (issue,) = result.errors
    assert (issue.sheet, issue.row, issue.column) == (SHEET_TASKS, r, "Ngày hoàn thành")
    assert "không thể phân biệt" in issue.message and issue.found == "11/05/2025"


def test_a_real_date_cell_with_only_one_possible_reading_is_kept(calc_en, blank, con, tmp_path):
    r = task_row_of(blank, "ubnd6896-T003")
    where = f"{task_letter('completed_on')}{r}"
    ops = [
        {"op": "format", "sheet": SHEET_TASKS, "cell": where, "code": "General"},
        {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('status')}{r}", "text": "Hoàn thành"},
        {"op": "type", "sheet": SHEET_TASKS, "cell": where, "text": "11/20/2025"},  # month first, day 20
        {"op": "type", "sheet": SHEET_TASKS, "cell": f"{task_letter('evidence')}{r}", "text": "CV 1/SKHCN"},
    ]
    data = made_by_calc(calc_en, blank, tmp_path, "ngay_ro.xlsx", ops)
    result = accepted(con, data, "ngay_ro.xlsx", "en")
    assert result.parsed.tasks["completed_on"].tolist() == [date(2025, 11, 20)]


# ---------------------------------------------------------------- other formats


@pytest.mark.parametrize(
    ("fmt", "name", "words"),
    [
        ("ods", "so_lieu.ods", "bảng tính OpenDocument (.ods"),
        ("ods", "so_lieu.xlsx", "dù tên có đuôi khác"),
        ("xls", "so_lieu.xls", "Excel 97–2003 (.xls)"),
    ],
)
def test_other_spreadsheet_formats_are_named_with_how_to_save_as_xlsx(
    fmt, name, words, calc_vi, blank, db_file, tmp_path
):
    data = made_by_calc(calc_vi, blank, tmp_path, f"khac.{fmt}", typed(blank, {"DVC_TOAN_TRINH": "40"}), fmt)
    result = refused(db_file, data, name, "vi")
    (issue,) = result.errors
    assert words in issue.message
    assert "Excel 2007-365 (.xlsx)" in issue.expected and "Lưu thành" in issue.expected
    assert "Word/ZIP" not in str(issue)


# ---------------------------------------------------------------- what people do to the sheet


def test_a_deleted_reference_column_and_a_sorted_sheet_are_read(calc_vi, blank, con, tmp_path):
    last = openpyxl.load_workbook(io.BytesIO(blank))[SHEET_DATA].max_row
    ops = typed(blank, {"DVC_TOAN_TRINH": "37,6", "CLOUD_HTTT": "80%", "BAN_LOM_SONG": "12"})
    ops += [
        {"op": "delete_columns", "sheet": SHEET_DATA, "index": 9},  # “Giá trị kỳ trước”
        {
            "op": "sort",
            "sheet": SHEET_DATA,
            "range": f"A1:I{last}",
            "column": 1,
            "ascending": False,
            "header": True,
        },
    ]
    data = made_by_calc(calc_vi, blank, tmp_path, "sap_xep.xlsx", ops)
    result = accepted(con, data, "sap_xep.xlsx", "vi")
    assert values_of(result) == pytest.approx(
        {"DVC_TOAN_TRINH": 37.6, "CLOUD_HTTT": 80.0, "BAN_LOM_SONG": 12.0}
    )
    assert upload_commit.commit(con, result, "thuy").committed
