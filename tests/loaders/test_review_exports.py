"""The pack's slide and the report's sheet Tình hình báo cáo: per agency owed, received, on time, late,
missing and accepted for the period, from the same rows."""

from __future__ import annotations

import io
from datetime import date

import duckdb
import openpyxl
import pytest

from exports.briefing import build_deck
from exports.report import report_workbook
from exports.reporting_slide import COLUMNS, SHEET, TITLE
from loaders import review
from loaders.upload_commit import import_workbook
from tests.support import databases
from tests.support import workbooks as bad_files
from tests.support.workbooks import PERIOD, fill


@pytest.fixture
def con(tmp_path):
    c = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    data = fill(bad_files.template(c, agency="so_khcn"), {"CLOUD_HTTT": "55", "CHU_KY_SO": "70"})
    _, outcome = import_workbook(c, data, "khcn.xlsx", "thuy")  # the secretariat's: accepted on commit
    assert outcome.committed and review.pending_count(c) == 0
    yield c
    c.close()


def _upload_day(con) -> date:
    """The day the fixture's upload was stamped: long after the 2025-Q4 deadline. Taken from the stamp,
    not from a clock read at import, so a run that crosses midnight still sees the upload (CI did not)."""
    return con.execute("SELECT max(uploaded_at)::DATE FROM uploads").fetchone()[0]


def _row(rows, agency="Sở Khoa học và Công nghệ"):
    found = [r for r in rows if r[0] == agency]
    assert len(found) == 1, rows
    return found[0]


def test_the_pack_has_the_reporting_slide(con):
    deck = build_deck(con, "2030", PERIOD, today=_upload_day(con))
    slide = next(s for s in deck.slides if s.title == TITLE)
    assert slide.table.columns == COLUMNS
    owed, received, on_time, late, missing, accepted = (int(v) for v in _row(slide.table.rows)[1:])
    assert received == accepted == 2 and late == 2 and on_time == 0  # uploaded now, after the deadline
    assert missing == owed - received and owed > received


def test_the_report_has_the_reporting_sheet(con):
    _, data = report_workbook(con, PERIOD, today=_upload_day(con))
    ws = openpyxl.load_workbook(io.BytesIO(data))[SHEET]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == COLUMNS[0])
    assert tuple(values[header][: len(COLUMNS)]) == COLUMNS
    row = _row([r[: len(COLUMNS)] for r in values[header + 1 :]])
    assert row[2] == 2 and row[6] == 2
