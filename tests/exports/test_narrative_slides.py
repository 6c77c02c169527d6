"""The pack gives every target at risk or off track its assessment, cause and actions, read back from the files."""

from __future__ import annotations

from datetime import date, datetime

import duckdb
import pytest
from pptx import Presentation
from pypdf import PdfReader

from exports import narrative_slides
from exports.pack import build_pack
from loaders import narratives, read
from tests.support import databases

pytestmark = pytest.mark.slow

PERIOD = "2026-Q3"
TODAY = date(2026, 10, 20)
ASSESSMENT = "Tỷ lệ hồ sơ số hóa thấp do thiếu máy quét ở cấp xã"
CAUSES = "Kinh phí năm 2026 chưa được cấp đủ"
RED = ["at_risk", "off_track", "not_met"]
ACTION = "Bố trí 12 máy quét cho các xã"


def _pptx_text(path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(parts)


def _pdf_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


@pytest.fixture(scope="module")
def red(tmp_path_factory):
    """A demo database with two red indicators: one explained with an action, one left without a why."""
    path = databases.demo_db(tmp_path_factory.mktemp("narr") / "demo.duckdb")
    con = duckdb.connect(str(path))
    rows = read.target_status(con, PERIOD, "2030", None, None, None)
    reds = list(dict.fromkeys(rows[rows["status"].isin(RED)]["indicator_id"]))
    assert len(reds) >= 2, "the demo data must have two red indicators for this test"
    explained, silent = reds[0], reds[1]
    stamp = datetime(2026, 10, 1, 9, 0)
    narratives.record(
        con, "indicator", explained, PERIOD, {"assessment": ASSESSMENT, "causes": CAUSES}, "tester", stamp
    )
    agency = con.execute("SELECT min(agency_id) FROM agencies").fetchall()[0][0]
    narratives.add_action(con, explained, PERIOD, ACTION, agency, date(2026, 12, 31), "tester", stamp)
    con.close()
    return path, explained, silent


@pytest.fixture(scope="module")
def files(red, tmp_path_factory):
    path, _, _ = red
    con = duckdb.connect(str(path), read_only=True)
    try:
        return build_pack(
            con, "2030", PERIOD, None, tmp_path_factory.mktemp("out"), charts=False, today=TODAY
        )
    finally:
        con.close()


def test_pptx_has_the_assessment_cause_and_action(files):
    text = _pptx_text(files[1])
    assert narrative_slides.TITLE in text
    for words in (ASSESSMENT, CAUSES, ACTION):
        assert words in text


def test_pdf_has_the_assessment_cause_and_action(files):
    text = _pdf_text(files[0])
    for words in (narrative_slides.TITLE, ASSESSMENT, CAUSES, ACTION):
        assert " ".join(words.split()) in text


def test_a_red_target_without_a_why_says_so(red, files):
    path, explained, silent = red
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = read.target_status(con, PERIOD, "2030", None, None, None)
        risk = rows[rows["status"].isin(RED)]
        table = narrative_slides.narrative_rows(con, risk, PERIOD, TODAY)
    finally:
        con.close()
    by_name = dict(zip(risk["indicator_id"], table, strict=True))
    assert by_name[silent][2] == narrative_slides.NONE_WRITTEN
    assert ASSESSMENT in by_name[explained][2]
    assert narrative_slides.NONE_WRITTEN in _pptx_text(files[1])
    assert narrative_slides.NONE_WRITTEN in _pdf_text(files[0])
