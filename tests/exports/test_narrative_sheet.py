"""The periodic report's sheet of difficulties and proposals by agency, read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date, datetime

import duckdb
import openpyxl
import pytest

from exports import narrative_sheet
from exports.report import HEADER_ROW, report_workbook
from loaders import narratives
from tests.support import databases

PERIOD = "2026-Q3"
TODAY = date(2026, 10, 20)
DIFFICULTY = '=HYPERLINK("http://x") thiếu cán bộ chuyên trách'
PROPOSAL = "Đề nghị bổ sung 2 biên chế"


def _rows(data: bytes) -> list[tuple]:
    ws = openpyxl.load_workbook(io.BytesIO(data))[narrative_sheet.SHEET]
    return list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    yield c
    c.close()


def _two_agencies(con) -> list[tuple[str, str]]:
    return con.execute("SELECT agency_id, name FROM v_agencies ORDER BY name LIMIT 2").fetchall()


def test_the_sheet_holds_each_agency_text_of_the_period_as_text(con):
    (first, first_name), (second, second_name) = _two_agencies(con)
    stamp = datetime(2026, 10, 2, 8, 30)
    narratives.record(con, "agency", first, PERIOD, {"difficulties": DIFFICULTY}, "cb1", stamp)
    narratives.record(con, "agency", second, PERIOD, {"proposals": PROPOSAL}, "cb2", stamp)
    narratives.record(con, "agency", first, "2026-Q2", {"proposals": "kỳ trước"}, "cb1", stamp)
    _, data = report_workbook(con, PERIOD, today=TODAY)
    head, *body = _rows(data)
    assert head[1:4] == ("Cơ quan", "Khó khăn, vướng mắc", "Kiến nghị, đề xuất")
    by_agency = {r[1]: r for r in body}
    assert set(by_agency) == {first_name, second_name}
    assert by_agency[first_name][2] == DIFFICULTY  # read back as the text typed, not a formula
    assert by_agency[first_name][3] is None  # last quarter's proposal is not this quarter's
    assert by_agency[second_name][3] == PROPOSAL
    assert by_agency[second_name][4] == "cb2"
    ws = openpyxl.load_workbook(io.BytesIO(data))[narrative_sheet.SHEET]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_one_agency_report_has_only_its_texts(con):
    (first, first_name), (second, _) = _two_agencies(con)
    narratives.record(con, "agency", first, PERIOD, {"difficulties": "A"}, "cb1")
    narratives.record(con, "agency", second, PERIOD, {"difficulties": "B"}, "cb2")
    _, data = report_workbook(con, PERIOD, agency=first, today=TODAY)
    body = _rows(data)[1:]
    assert [(r[1], r[2]) for r in body] == [(first_name, "A")]


def test_no_text_yet_says_so(con):
    _, data = report_workbook(con, PERIOD, today=TODAY)
    body = _rows(data)[1:]
    assert [r[1] for r in body] == [narrative_sheet.none_words(PERIOD)]
    assert "Quý III/2026" in body[0][1]
