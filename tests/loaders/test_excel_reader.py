"""The upload reader: numbers as people type them, the good file read right, every bad file refused in full."""

from __future__ import annotations

import io
import tomllib
import unicodedata
from datetime import date

import duckdb
import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from loaders import upload_commit
from loaders.excel import contract
from loaders.excel.cells import NumberError, parse_number_text, parse_period_text
from loaders.excel.contract import SHEET_DATA, SHEET_META
from loaders.excel.reader import read_actuals
from metrics.status_labels import format_number
from tests.support import databases, workbooks
from tests.support.workbooks import BAD_FILES, PERIOD, ROOT, fill, row_of, snapshot, with_formula

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def ro(tmp_path_factory):
    """A catalog database shared by the tests of this module that only read."""
    con = duckdb.connect(str(databases.catalog_db(tmp_path_factory.mktemp("reader") / "nq57.duckdb")))
    yield con
    con.close()


@pytest.fixture(scope="module")
def blank(ro):
    return workbooks.template(ro)


# ---------------------------------------------------------------- numbers and periods


@pytest.mark.parametrize(
    ("text", "number", "percent"),
    [
        ("37,6", 37.6, False),
        ("37.6", 37.6, False),
        ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False),
        ("1.234.567", 1234567.0, False),
        ("1 234,5", 1234.5, False),
        ("37", 37.0, False),
        ("0,623", 0.623, False),
        ("0.623", 0.623, False),
        ("12.25", 12.25, False),
        (",5", 0.5, False),
        ("−5", -5.0, False),
        ("+3", 3.0, False),
        ("80%", 80.0, True),
        (" 80 % ", 80.0, True),
        ("6,5%", 6.5, True),
        ("1.234,0", 1234.0, False),
        ("1,2340", 1.234, False),
    ],
)
def test_numbers_are_read_as_people_type_them(text, number, percent):
    assert parse_number_text(text) == (pytest.approx(number), percent)


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "",
        "%",
        "khoảng 40",
        "1.234",
        "1,234",
        "100.000",
        "1.2.3",
        "1,23,4",
        "37,6,1",
        "--5",
        "5-",
        "1.234.56",
        "1,234,5.6",
        "9/33",
        "1e3",
        "37,6 %%",
    ],
)
def test_what_is_not_clearly_a_number_is_refused(text):
    with pytest.raises(NumberError):
        parse_number_text(text)


@given(st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), st.sampled_from([1, 2]))
def test_every_vietnamese_number_the_app_shows_reads_back(value, decimals):
    shown = format_number(value, decimals)
    number, percent = parse_number_text(shown)
    assert not percent
    assert number == pytest.approx(round(value, decimals), abs=10**-decimals)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Quý III/2026", "2026-Q3"),
        ("quý iv/2025", "2025-Q4"),
        ("Q3/2026", "2026-Q3"),
        ("2026-Q3", "2026-Q3"),
        ("2026-q1", "2026-Q1"),
        ("Quý V/2026", None),
        ("2026", None),
        ("III/2026", None),
        ("Quý 3/2026", "2026-Q3"),
    ],
)
def test_period_labels(text, period):
    assert parse_period_text(text) == period


def test_the_upload_widget_takes_more_than_the_reader_so_our_message_is_shown():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] > contract.MAX_UPLOAD_MB


# ---------------------------------------------------------------- good files


def test_a_blank_template_reads_with_nothing_to_write(ro, blank):
    parsed = read_actuals(blank, "mau.xlsx", ro, today=TODAY)
    assert parsed.errors == []
    assert parsed.period == PERIOD and parsed.template_version == "1"
    assert parsed.rows.empty
    # One row per indicator that has a target: the count follows the catalog, not a number kept here.
    assert parsed.n_blank == ro.execute("SELECT count(DISTINCT indicator_id) FROM v_targets").fetchone()[0]


def test_values_typed_every_way_are_normalised_to_the_unit(ro, blank):
    data = fill(
        blank,
        {
            "DVC_TOAN_TRINH": "37,6",
            "CLOUD_HTTT": "80%",
            "HSSK_DIEN_TU": 0.8,
            "BAN_LOM_SONG": 12,
            "NHAN_LUC_NC": "1.234,5",
            "PII": "37.6",
            "TT_AN_NINH_MANG": "đạt",
            "BAO_CAO_NQ57": "Đang thực hiện",
            "HDI": "0,655",
            "KTS_GRDP": "6,5%",
        },
        notes={"DVC_TOAN_TRINH": unicodedata.normalize("NFD", "  Theo báo cáo của VP UBND  ")},
        evidence={"DVC_TOAN_TRINH": "Báo cáo 123/BC-VPUBND"},
        percent_format=("HSSK_DIEN_TU",),
    )
    data = with_formula(data, "CSDL_SO_HOA_LIEN_THONG", "50+5.5", 55.5)
    parsed = read_actuals(data, "da_dien.xlsx", ro, today=TODAY)
    assert parsed.errors == []
    got = parsed.rows.set_index("indicator_id")
    expected = pd.DataFrame(
        [
            ("DVC_TOAN_TRINH", 37.6, None, "Theo báo cáo của VP UBND", "Báo cáo 123/BC-VPUBND"),
            ("CLOUD_HTTT", 80.0, None, None, None),
            ("HSSK_DIEN_TU", 80.0, None, None, None),
            ("BAN_LOM_SONG", 12.0, None, None, None),
            ("NHAN_LUC_NC", 1234.5, None, None, None),
            ("PII", 37.6, None, None, None),
            ("TT_AN_NINH_MANG", None, "Đạt", None, None),
            ("BAO_CAO_NQ57", None, "Đang thực hiện", None, None),
            ("HDI", 0.655, None, None, None),
            ("KTS_GRDP", 6.5, None, None, None),
            ("CSDL_SO_HOA_LIEN_THONG", 55.5, None, None, None),
        ],
        columns=["indicator_id", "value", "value_text", "note", "evidence"],
    ).set_index("indicator_id")
    expected["value"] = expected["value"].astype("float64")
    for column in ("value_text", "note", "evidence"):
        expected[column] = expected[column].astype(object)
    pd.testing.assert_frame_equal(got.loc[expected.index, expected.columns], expected, check_index_type=False)
    assert set(parsed.rows["period"]) == {PERIOD}
    assert got.loc["CLOUD_HTTT", "excel_row"] == row_of(blank, "CLOUD_HTTT")


def test_a_sheet_copied_without_the_hidden_sheet_takes_its_period_from_the_rows(ro, blank):
    def drop_meta(wb):
        del wb[SHEET_META]

    data = workbooks.edit(fill(blank, {"VNEID": 41}), drop_meta)
    parsed = read_actuals(data, "f.xlsx", ro, today=TODAY)
    assert parsed.errors == []
    assert parsed.period == PERIOD
    assert parsed.rows["indicator_id"].tolist() == ["VNEID"]


def test_the_reader_reads_hidden_sheets_and_checks_the_template_version(blank):
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    assert wb[SHEET_META].sheet_state == "hidden"
    assert wb[SHEET_DATA].protection.sheet


# ---------------------------------------------------------------- bad files


@pytest.fixture
def writable(tmp_path):
    con = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    yield con
    con.close()


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_every_bad_file_is_refused_with_where_and_why_and_writes_nothing(case, blank, writable):
    bad = BAD_FILES[case](blank)
    before = snapshot(writable)
    result, outcome = upload_commit.import_workbook(writable, bad.data, bad.name, by="thuy", today=TODAY)
    assert outcome is None, "a file with an error must not be committed"
    assert not result.ok and result.errors
    assert snapshot(writable) == before
    texts = [str(e) for e in result.errors]
    matching = [
        e
        for e in result.errors
        if all(w in str(e) for w in bad.words)
        and (bad.sheet is None or e.sheet == bad.sheet)
        and (bad.row is None or e.row == bad.row)
        and (bad.column is None or e.column == bad.column)
    ]
    assert matching, f"no error says {bad.words} at {bad.sheet}/{bad.row}/{bad.column}: {texts}"
    issue = matching[0]
    if bad.sheet:
        assert f"Trang “{bad.sheet}”" in str(issue)
    if bad.row:
        assert f"dòng {bad.row}" in str(issue)
    if bad.column:
        assert f"cột “{bad.column}”" in str(issue)
    assert issue.expected, "every error says what was expected"


def test_every_error_of_a_file_is_listed_not_only_the_first(ro, blank):
    data, n = workbooks.several_errors(blank)
    parsed = read_actuals(data, "f.xlsx", ro, today=TODAY)
    rows = sorted(e.row for e in parsed.errors)
    assert len(parsed.errors) == n
    assert rows == sorted(row_of(blank, c) for c in ("DVC_TOAN_TRINH", "CLOUD_HTTT", "BAN_LOM_SONG"))
    assert parsed.rows.empty, "one error: nothing of the file is kept"
