"""The template, the periodic report and the briefing pack build on every state of the data (issue 11 §1),
the sparse ones with task updates that carry no completion date included.

Each test works on a copy of the state's database: the CLI opens its file read-only, which DuckDB refuses
while the page sweep of the same process holds it open read-write.
"""

from __future__ import annotations

import io
import shutil

import openpyxl
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from exports.pack import build_pack
from exports.report import report_workbook
from loaders import db, read
from loaders.__main__ import main as loaders_main
from loaders.excel.contract import SHEET_DATA, SHEET_META, SHEET_TASKS
from metrics.periods import current_period
from tests.browser import require_chromium
from tests.support.states import PERIOD, STATES

# One horizon per state for the pack (it is slow): together they cover the three.
PACK_HORIZON = {
    "catalog": "2025-Q4",
    "one_value": "2030",
    "every_indicator": "2045",
    "demo": "2030",
    "bench_100x": "2030",
}


# The 100x database holds 34 provinces: one period and, for the pack, the agency leading the fewest targets
# (every agency's pack runs to 400 slides and minutes; docs/performance.md is the place for that).
LARGE = {"bench_100x"}


@pytest.fixture
def copy(state_db, tmp_path):
    return shutil.copyfile(state_db, tmp_path / "copy.duckdb")


def _agency(con, most: bool = True) -> str:
    """The agency leading the most (or the fewest) targets."""
    order = "DESC" if most else "ASC"
    return con.execute(
        f"SELECT agency_id FROM v_target_agencies GROUP BY 1 ORDER BY count(*) {order}, agency_id LIMIT 1"
    ).fetchall()[0][0]


def _meta(wb) -> dict[str, str]:
    ws = wb[SHEET_META]
    return {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}


@pytest.mark.parametrize("state", STATES)
def test_the_template_builds_for_every_agency_and_for_one(state, copy, tmp_path, capsys):
    con = db.connect(copy, read_only=True)
    try:
        agency = _agency(con)
    finally:
        con.close()
    rows = {}
    for period in [current_period()] if state in LARGE else dict.fromkeys([PERIOD, current_period()]):
        for who in (None, agency):
            out = tmp_path / f"mau_{period}_{who}.xlsx"
            argv = ["template", "--period", period, "--db", str(copy), "-o", str(out)]
            code = loaders_main(argv + (["--agency", who] if who else []))
            assert code == 0, capsys.readouterr().err
            wb = openpyxl.load_workbook(out)
            meta = _meta(wb)
            assert meta["period"] == period and (meta["agency_id"] or None) == who
            assert wb[SHEET_DATA].max_row - 1 == int(meta["rows"]) > 0
            assert wb[SHEET_TASKS].max_row - 1 == int(meta["task_rows"])
            rows[period, who] = int(meta["rows"])
    assert all(rows[p, agency] < rows[p, None] for p, _ in rows), "one agency's template is narrower"


@pytest.mark.slow
@pytest.mark.parametrize("state", STATES)
def test_the_periodic_report_builds_for_every_agency_and_for_one(state, copy):
    con = db.connect(copy, read_only=True)
    try:
        agency = _agency(con, most=state not in LARGE)
        latest = read.latest_period(con) or current_period()
        periods = [latest] if state in LARGE else dict.fromkeys(["2025-Q1", latest, current_period()])
        for period in periods:
            for who in (None, agency):
                for month in (
                    (None,) if state in LARGE else (None, int(period[-1]) * 3)
                ):  # the cumulative report and the quarter's last month
                    name, data = report_workbook(con, period, agency=who, month=month)
                    wb = openpyxl.load_workbook(io.BytesIO(data))
                    assert name.endswith(".xlsx") and len(wb.sheetnames) >= 2, (period, who, month)
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("state", STATES)
def test_the_briefing_pack_builds_with_its_charts(state, copy, tmp_path):
    require_chromium("bộ tài liệu giao ban trên mọi trạng thái dữ liệu")
    con = db.connect(copy, read_only=True)
    try:
        period = read.latest_period(con) or current_period()
        agency = _agency(con, most=False) if state in LARGE else None
        pdf, pptx = build_pack(con, PACK_HORIZON[state], period, agency, tmp_path)
    finally:
        con.close()
    assert pdf.suffix == ".pdf"
    slides = Presentation(str(pptx)).slides
    pictures = [s for slide in slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(PdfReader(str(pdf)).pages) >= len(slides) > 1  # a long table may take two PDF pages
    assert pictures, "the charts were drawn into the pack"
