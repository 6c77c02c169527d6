"""The Excel template: its columns, rows, protection, validation, guidance and hidden period; CLI = page."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from xml.etree import ElementTree

import duckdb
import openpyxl
import pytest

from loaders.__main__ import main
from loaders.excel.cells import neutralise_formula
from loaders.excel.contract import (
    HEADERS,
    MANUAL_CHOICES,
    SHEET_DATA,
    SHEET_HELP,
    SHEET_META,
    SHEET_TASKS,
    TemplateError,
    check_period,
    selectable_periods,
)
from loaders.excel.template import build_template
from loaders.excel.template_rows import template_rows
from tests.support import cli, databases
from tests.support.workbooks import column_of, letter_of

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return databases.catalog_db(tmp_path_factory.mktemp("template") / "nq57.duckdb")


@pytest.fixture(scope="module")
def con(db_path):
    c = duckdb.connect(str(db_path))
    yield c
    c.close()


@pytest.fixture(scope="module")
def book(con):
    return openpyxl.load_workbook(io.BytesIO(build_template(con, "2026-Q3", today=TODAY)))


def _rows(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}


def _validation(ws, ref: str):
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) == 1, f"{ref} should carry exactly one validation"
    return found[0]


def test_the_columns_are_exactly_the_agreed_ones(book):
    ws = book[SHEET_DATA]
    assert [c.value for c in ws[1]] == [
        "Mã chỉ tiêu",
        "Tên chỉ tiêu",
        "Đơn vị tính",
        "Chỉ tiêu",
        "Cơ quan chủ trì",
        "Kỳ báo cáo",
        "Giá trị thực hiện",
        "Ghi chú",
        "Nguồn/minh chứng",
        "Giá trị kỳ trước",
        "Đánh giá",
        "Nguyên nhân",
        "Giải pháp",
    ]
    assert list(HEADERS) == [c.value for c in ws[1]]


def test_one_row_per_indicator_with_a_target_and_the_period_on_each(con, book):
    ws = book[SHEET_DATA]
    expected = {r[0] for r in con.execute("SELECT DISTINCT indicator_id FROM targets").fetchall()}
    rows = _rows(ws)
    assert set(rows) == expected and len(rows) == len(expected) == ws.max_row - 1
    assert {ws.cell(r, column_of("period_label")).value for r in rows.values()} == {"Quý III/2026"}


def test_targets_are_worded_as_the_plans_word_them_all_horizons(book):
    ws = book[SHEET_DATA]
    rows = _rows(ws)

    def text(code):
        return ws.cell(rows[code], column_of("targets_text")).value

    assert text("DVC_TOAN_TRINH") == "Quý IV/2025: > 80% (KH 11-KH/TU); ≥ 80% (KH 6896/KH-UBND); 2030: 90%"
    assert text("KTS_GRDP") == "Quý IV/2025: 6,5%; 2030: 9-10% GRDP; 2045: ≥ 20% GRDP"
    assert "09/33 bản (KH 11-KH/TU)" in text("BAN_LOM_SONG") and "33/33 bản (KH 6896/KH-UBND)" in text(
        "BAN_LOM_SONG"
    )
    assert (
        ws.cell(rows["KTS_GRDP"], column_of("lead_agency")).value
        == "Chi cục Thống kê tỉnh Lai Châu; Sở Khoa học và Công nghệ"
    )


def test_last_periods_value_is_shown_for_reference(con):
    rows = {r.indicator_id: r for r in template_rows(con, "2026-Q3", today=TODAY)}
    assert rows["PII"].previous_value == "hạng 62 (Quý IV/2023)"
    assert rows["NV_HOAN_THANH"].previous_value == "58,6% (Quý III/2025)"
    assert rows["DVC_TOAN_TRINH"].previous_value == ""
    earlier = {r.indicator_id: r for r in template_rows(con, "2025-Q3", today=TODAY)}
    assert earlier["NV_HOAN_THANH"].previous_value == "", "only periods before the one asked for"


def test_only_value_note_evidence_and_narrative_cells_can_be_edited(book):
    ws = book[SHEET_DATA]
    assert ws.protection.sheet
    open_fields = ("value", "note", "evidence", "assessment", "causes", "next_steps")
    editable = {column_of(f) for f in open_fields}
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(HEADERS)):
        for cell in row:
            should_edit = cell.row > 1 and cell.column in editable
            assert cell.protection.locked is not should_edit, cell.coordinate
    assert book.security.lockStructure, "sheets cannot be renamed, added or unhidden"


def test_value_cells_are_validated_by_unit_and_range_with_a_vietnamese_message(book):
    ws = book[SHEET_DATA]
    rows = _rows(ws)
    col = letter_of("value")
    pct = _validation(ws, f"{col}{rows['CLOUD_HTTT']}")
    assert (pct.type, pct.operator, float(pct.formula1), float(pct.formula2)) == (
        "decimal",
        "between",
        0,
        100,
    )
    assert "37,6" in pct.prompt and "80%" in pct.prompt and "Để trống" in pct.prompt
    villages = _validation(ws, f"{col}{rows['BAN_LOM_SONG']}")
    assert (float(villages.formula1), float(villages.formula2)) == (0, 33)
    rank = _validation(ws, f"{col}{rows['PII']}")
    assert (float(rank.formula1), float(rank.formula2)) == (1, 63)
    staff = _validation(ws, f"{col}{rows['NHAN_LUC_NC']}")
    assert (staff.operator, float(staff.formula1)) == ("greaterThanOrEqual", 0)
    tfp = _validation(ws, f"{col}{rows['TFP']}")  # no minimum in the catalog: a percentage is still 0–100
    assert (tfp.operator, float(tfp.formula1), float(tfp.formula2)) == ("between", 0, 100)


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@pytest.fixture(scope="module")
def written(con) -> bytes:
    return build_template(con, "2026-Q3", today=TODAY)


def _sheet_validations(data: bytes, sheet_name: str) -> list[ElementTree.Element]:
    """The <dataValidation> elements of one sheet, read from the .xlsx as written (no openpyxl)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        workbook = ElementTree.fromstring(zf.read("xl/workbook.xml"))
        rid = next(
            s.get(f"{{{_REL_NS}}}id")
            for s in workbook.iter(f"{{{_MAIN_NS}}}sheet")
            if s.get("name") == sheet_name
        )
        rels = ElementTree.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheet = ElementTree.fromstring(zf.read(part))
    return list(sheet.iter(f"{{{_MAIN_NS}}}dataValidation"))


def _covers(validation: ElementTree.Element, cell: str) -> bool:
    """Does the sqref ('G2 G5:G9') of a validation include the cell?"""
    column, row = re.fullmatch(r"([A-Z]+)(\d+)", cell).groups()
    for ref in validation.get("sqref", "").split():
        first, _, last = ref.partition(":")
        (c1, r1), (c2, r2) = (re.fullmatch(r"([A-Z]+)(\d+)", x).groups() for x in (first, last or first))
        if c1 <= column <= c2 and int(r1) <= int(row) <= int(r2):
            return True
    return False


@pytest.mark.parametrize("sheet_name", [SHEET_DATA, SHEET_TASKS])
def test_every_validation_shows_its_prompt_and_its_error_alert(written, sheet_name):
    validations = _sheet_validations(written, sheet_name)
    assert validations, f"{sheet_name} should have data validations"
    for dv in validations:
        # Off (the OOXML default), Excel and LibreOffice show no prompt and let any value through.
        assert dv.get("showInputMessage") == "1", dv.get("sqref")
        assert dv.get("showErrorMessage") == "1", dv.get("sqref")
        assert dv.get("prompt") and dv.get("error"), dv.get("sqref")


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("CLOUD_HTTT", "từ 0 đến 100"),  # %
        ("TFP", "từ 0 đến 100"),  # % with no minimum in the catalog
        ("BAN_LOM_SONG", "từ 0 đến 33"),
        ("PII", "từ 1 đến 63"),
        ("HDI", "từ 0 đến 1"),
        ("NHAN_LUC_NC", "không nhỏ hơn 0"),
    ],
)
def test_value_prompts_state_the_range_with_every_digit(written, book, code, words):
    cell = f"{letter_of('value')}{_rows(book[SHEET_DATA])[code]}"
    found = [dv for dv in _sheet_validations(written, SHEET_DATA) if _covers(dv, cell)]
    assert len(found) == 1, cell
    prompt, error = found[0].get("prompt"), found[0].get("error")
    assert f"Giá trị {words}." in prompt
    assert f"Giá trị cần là một số {words}." in error


def test_no_prompt_has_a_number_missing(written):
    texts = [
        dv.get(a) or ""
        for s in (SHEET_DATA, SHEET_TASKS)
        for dv in _sheet_validations(written, s)
        for a in ("prompt", "error")
    ]
    for text in texts:
        assert not re.search(r"(từ|đến|hơn) ?[.,]|từ  đến", text), text


@pytest.mark.parametrize("code", ["TT_AN_NINH_MANG", "BAO_CAO_NQ57", "KHCN_TIEM_LUC"])
def test_qualitative_and_yes_no_indicators_get_a_dropdown(book, code):
    ws = book[SHEET_DATA]
    dv = _validation(ws, f"{letter_of('value')}{_rows(ws)[code]}")
    assert dv.type == "list"
    assert dv.formula1 == '"' + ",".join(MANUAL_CHOICES) + '"' == '"Đạt,Chưa đạt,Đang thực hiện"'


def test_the_guidance_sheet_explains_with_examples(book):
    text = "\n".join(str(c.value) for row in book[SHEET_HELP].iter_rows() for c in row if c.value)
    for example in ("37,6", "37.6", "1.234,5", "80%", "để trống", "Đạt / Chưa đạt / Đang thực hiện", ".xlsx"):
        assert example in text


def test_the_period_and_version_are_kept_in_a_hidden_sheet(book):
    meta = book[SHEET_META]
    assert meta.sheet_state == "hidden"
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, meta.max_row + 1)}
    assert values["period"] == "2026-Q3" and values["template_version"] == "1"


def test_agency_filter_rolls_merged_agencies_up(con):
    def codes(agency):
        return {r.indicator_id for r in template_rows(con, "2025-Q4", agency, today=TODAY)}

    led = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT t.indicator_id FROM targets t JOIN v_target_agencies a USING (target_id) "
            "WHERE a.agency_id = 'so_noivu'"
        ).fetchall()
    }
    assert codes("so_noivu") == led and 0 < len(led) < 51
    assert codes("so_tttt") == codes("so_khcn"), "the merged department's rows are its successor's"
    assert "PHU_SONG_5G_DIEN_TICH" in codes("so_khcn")
    with pytest.raises(TemplateError, match="Không có cơ quan mã 'khong_co'"):
        template_rows(con, "2025-Q4", "khong_co", today=TODAY)


def test_any_quarter_up_to_the_current_one_and_never_a_future_one():
    assert check_period("2025-Q1", TODAY) == "2025-Q1"
    assert check_period("2026-Q4", TODAY) == "2026-Q4"
    with pytest.raises(TemplateError, match="chưa đến"):
        check_period("2027-Q1", TODAY)
    for bad in ("2026-Q5", "2026", "Quý III/2026 ", "", None):
        with pytest.raises(TemplateError, match="không hợp lệ"):
            check_period(bad, TODAY)
    periods = selectable_periods(TODAY)
    assert periods[0] == "2026-Q4" and periods[-1] == "2025-Q1" and len(periods) == 8


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+84 912", "'+84 912"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("Báo cáo 12", "Báo cáo 12"),
        ("a=b", "a=b"),
        ("", ""),
        (37.6, 37.6),
        (None, None),
    ],
)
def test_neutralise_formula(text, safe):
    assert neutralise_formula(text) == safe


def _cells(data: bytes) -> list[list]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [[[c.value for c in row] for row in wb[name].iter_rows()] for name in wb.sheetnames]


def test_the_command_line_writes_the_same_template_as_the_page(tmp_path, capsys, monkeypatch):
    db_file = databases.catalog_db(tmp_path / "nq57.duckdb")
    out = tmp_path / "mau.xlsx"
    argv = ["template", "--period", "2025-Q4", "--agency", "so_khcn", "--db", str(db_file), "-o", str(out)]
    done = cli.run(main, argv, capsys, monkeypatch)
    assert done.returncode == 0, done.stderr
    assert "Quý IV/2025" in done.stdout
    con = duckdb.connect(str(db_file))
    try:
        page = build_template(con, "2025-Q4", "so_khcn")
    finally:
        con.close()
    written, web = _cells(out.read_bytes()), _cells(page)
    assert written[:2] == web[:2] and len(written[0]) > 10
    # Only the generation time, in the hidden sheet, may differ.
    assert [r for r in written[2] if r[0] != "generated_at"] == [r for r in web[2] if r[0] != "generated_at"]


def test_the_command_line_refuses_a_future_quarter_clearly(tmp_path, capsys, monkeypatch):
    argv = [
        "template",
        "--period",
        "2099-Q1",
        "--db",
        str(tmp_path / "none.duckdb"),
        "-o",
        str(tmp_path / "x.xlsx"),
    ]
    done = cli.run(main, argv, capsys, monkeypatch)
    assert done.returncode != 0
    assert "Quý I/2099 chưa đến" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.xlsx").exists()
