"""The briefing pack: the slides it must have, Vietnamese that survives into PDF text, the demo mark everywhere."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from charts.common import DEMO_MARK
from exports import figures, labels
from exports import tasks as export_tasks
from exports.briefing import build_deck
from exports.pack import build_pack
from exports.tasks import late_tasks
from loaders.db import ROOT
from tests.exports.test_exports_images import require_browser

pytestmark = pytest.mark.slow  # builds PDFs and PowerPoints, some with chart images

PERIOD = "2026-Q3"
TODAY = date(2026, 10, 20)


@pytest.fixture(scope="module")
def pack(demo_con, tmp_path_factory):
    """The pack for every agency, without charts (no browser needed): PDF and PowerPoint."""
    return build_pack(
        demo_con, "2030", PERIOD, None, tmp_path_factory.mktemp("out"), charts=False, today=TODAY
    )


def titles(path) -> list[str]:
    return [slide.shapes.title.text for slide in Presentation(str(path)).slides]


def slide_texts(path) -> list[str]:
    out = []
    for slide in Presentation(str(path)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        out.append("\n".join(parts))
    return out


def pdf_pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


def agencies_of(demo_con, horizon: str) -> dict[str, int]:
    rows = demo_con.execute(
        "SELECT a.agency_name, count(DISTINCT a.target_id) FROM v_target_agencies a "
        "JOIN v_targets t USING (target_id) WHERE t.horizon = ? GROUP BY 1",
        [horizon],
    ).fetchall()
    return dict(rows)


def test_pack_is_a_pdf_and_a_pptx_named_for_horizon_and_period(pack):
    pdf, pptx = pack
    assert (pdf.name, pptx.name) == ("nq57-giao-ban-2030-2026-q3.pdf", "nq57-giao-ban-2030-2026-q3.pptx")
    assert pdf.read_bytes().startswith(b"%PDF") and pptx.stat().st_size > 20_000


def test_slides_in_order_cover_overview_charts_scorecards_risks_tasks_sources(pack, demo_con):
    found = titles(pack[1])
    n_targets = sum(1 for _ in demo_con.execute("SELECT 1 FROM v_targets WHERE horizon = '2030'").fetchall())
    assert found[0] == labels.PACK_TITLE
    assert found[1] == f"Tổng quan: {n_targets} chỉ tiêu mốc 2030"
    charts = [t for t in found if t.startswith("Tiến độ các chỉ tiêu mốc 2030")]
    assert len(charts) >= math.ceil(n_targets / 8) and charts[0].endswith(f"(1/{len(charts)})")
    assert figures.AGENCY_CHART_TITLE in found
    for name, count in agencies_of(demo_con, "2030").items():
        cards = [t for t in found if t.startswith(f"{name} — {count} chỉ tiêu")]
        assert cards, f"no scorecard slide for {name}"
    assert any(t.startswith(labels.RISK_TITLE) for t in found)
    assert any(t.startswith(late_tasks(demo_con, PERIOD, today=TODAY).title) for t in found)
    assert found[-1] == labels.SOURCES_TITLE
    order = [found.index(t) for t in (found[1], charts[0], figures.AGENCY_CHART_TITLE, found[-1])]
    assert order == sorted(order)


def test_every_scorecard_row_is_a_target_of_that_agency(pack, demo_con):
    expected = agencies_of(demo_con, "2030")
    rows: dict[str, int] = {}
    for slide in Presentation(str(pack[1])).slides:
        title = slide.shapes.title.text
        name = title.split(" — ")[0]
        if name in expected:
            table = next(s for s in slide.shapes if s.has_table).table
            rows[name] = rows.get(name, 0) + len(table.rows) - 1
    assert rows == expected


def test_pdf_text_has_the_vietnamese_titles_with_diacritics(pack, demo_con):
    pages = pdf_pages(pack[0])
    text = "\n".join(pages)
    n_2030 = demo_con.execute("SELECT count(*) FROM v_targets WHERE horizon = '2030'").fetchone()[0]
    n_khcn = agencies_of(demo_con, "2030")["Sở Khoa học và Công nghệ"]
    for phrase in (
        "Báo cáo giao ban thực hiện Nghị quyết 57-NQ/TW",
        f"Tổng quan: {n_2030} chỉ tiêu mốc 2030",
        "Tiến độ các chỉ tiêu mốc 2030 (1/",
        f"Sở Khoa học và Công nghệ — {n_khcn} chỉ tiêu",
        "Chỉ tiêu không đạt, chậm tiến độ hoặc có nguy cơ",
        late_tasks(demo_con, PERIOD, today=TODAY).title,
        "Nguồn số liệu và phương pháp",
        "Ngày cập nhật số liệu: 15/10/2026",
        "Đúng tiến độ",
    ):
        assert phrase in text, phrase
    assert len(pages) == len(titles(pack[1])), "one PDF page per slide"


def test_demo_data_are_marked_on_every_slide_and_page(pack):
    assert all(DEMO_MARK in text for text in slide_texts(pack[1]))
    assert all(DEMO_MARK in text for text in pdf_pages(pack[0]))
    assert labels.DEMO_LONG in slide_texts(pack[1])[0]


def test_without_charts_the_chart_slides_say_why(pack):
    texts = slide_texts(pack[1])
    chart_slides = [t for t in texts if "Tiến độ các chỉ tiêu mốc 2030 (" in t.splitlines()[0]]
    assert chart_slides and all(labels.NO_IMAGE in t for t in chart_slides)


def test_pack_for_one_agency_has_its_scorecard_only(demo_con, tmp_path):
    pdf, pptx = build_pack(demo_con, "2025-Q4", PERIOD, "so_khcn", tmp_path, charts=False)
    assert pptx.name == "nq57-giao-ban-2025-q4-2026-q3-so-khcn.pptx"
    found = titles(pptx)
    cards = [t for t in found if " — " in t and "chỉ tiêu," in t]
    assert cards and all(t.startswith("Sở Khoa học và Công nghệ — ") for t in cards)
    assert figures.AGENCY_CHART_TITLE not in found
    cover = slide_texts(pptx)[0]
    assert "Cơ quan chủ trì: Sở Khoa học và Công nghệ" in cover and "Quý IV/2025" in cover
    assert "Sở Khoa học và Công nghệ" in pdf_pages(pdf)[0]


def test_off_track_and_at_risk_list_names_the_agencies(demo_con):
    deck = build_deck(demo_con, "2025-Q4", PERIOD)
    risk = [s for s in deck.slides if s.title.startswith(labels.RISK_TITLE)]
    expected = demo_con.execute(
        "SELECT count(*) FROM target_status(?) s JOIN v_targets t USING (target_id) "
        "WHERE t.horizon = '2025-Q4' AND s.status IN ('not_met', 'off_track', 'at_risk')",
        [PERIOD],
    ).fetchall()[0][0]
    rows = [row for s in risk for row in s.table.rows]
    assert len(rows) == expected > 0
    assert all(row[-1] for row in rows), "every listed target names its lead agency"
    assert {row[4] for row in rows} <= {"✗ Không đạt", "▼ Chậm tiến độ", "◆ Có nguy cơ"}


def test_tasks_due_by_the_period_without_task_tracking(demo_con, monkeypatch):
    monkeypatch.setattr(
        export_tasks, "layer_available", lambda con: False
    )  # a database older than task views
    tasks = late_tasks(demo_con, "2025-Q4")
    assert not tasks.has_status and tasks.note == labels.DUE_NOTE
    assert tasks.title == "Nhiệm vụ đến hạn đến hết Quý IV/2025"
    due = tasks.rows
    assert (due["deadline_state"].eq("due") | due["plan_says_late"]).all()
    assert {"ubnd6896-T009", "ubnd6896-T011"} <= set(due["task_id"])  # the plan itself marks them late
    assert set(due["task_id"]) > set(late_tasks(demo_con, "2025-Q1").rows["task_id"])
    deck = build_deck(demo_con, "2030", PERIOD, today=TODAY)
    slide = next(s for s in deck.slides if s.title.startswith("Nhiệm vụ đến hạn đến hết Quý III/2026"))
    assert slide.paragraphs == [labels.DUE_NOTE]


def test_late_tasks_are_those_task_tracking_calls_late(demo_con):
    if not export_tasks.layer_available(demo_con):
        pytest.skip("task tracking (issue 6) is not in this tree")
    from loaders import read
    from metrics import tasks as task_metrics

    status = task_metrics.task_status(read.task_catalog(demo_con), read.task_updates(demo_con), PERIOD, TODAY)
    tasks = late_tasks(demo_con, PERIOD, today=TODAY)
    assert tasks.has_status and tasks.title == labels.LATE_TITLE
    assert set(tasks.rows["task_id"]) == set(status.loc[status["late"], "task_id"])
    deck = build_deck(demo_con, "2030", PERIOD, today=TODAY)
    rows = [r for s in deck.slides if s.title.startswith(labels.LATE_TITLE) for r in s.table.rows]
    assert len(rows) == len(tasks.rows) > 0
    assert all("quá hạn" in r[-1] or "Chậm tiến độ" in r[-1] or "kế hoạch ghi" in r[-1] for r in rows)


def test_real_data_carry_no_demo_mark(catalog_db, tmp_path):
    c = duckdb.connect(str(catalog_db), read_only=True)
    try:
        pdf, pptx = build_pack(c, "2030", "2026-Q1", None, tmp_path / "out", charts=False)
    finally:
        c.close()
    assert not any(DEMO_MARK in t for t in slide_texts(pptx))
    assert not any(DEMO_MARK in t or labels.DEMO in t for t in pdf_pages(pdf))


def test_with_a_browser_the_charts_are_pictures_on_the_slides(demo_con, tmp_path):
    require_browser()
    pdf, pptx = build_pack(demo_con, "2030", PERIOD, None, tmp_path)
    pictures = 0
    for slide in Presentation(str(pptx)).slides:
        title = slide.shapes.title.text
        has_picture = any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes)
        if title.startswith("Tiến độ các chỉ tiêu") or title == figures.AGENCY_CHART_TITLE:
            assert has_picture, title
            pictures += 1
    assert pictures >= 2
    reader = PdfReader(str(pdf))
    assert sum(len(page.images) for page in reader.pages) == pictures


def embedded_fonts(path) -> dict[str, bool]:
    """Every font the PDF uses, by its PostScript name without the subset tag, and whether it is embedded."""
    found: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            found[name] = descriptor is not None and "/FontFile2" in descriptor.get_object()
    return found


def test_pdf_fonts_are_the_ones_shipped_with_the_project(pack):
    """Noto Sans from exports/fonts/, embedded: the PDF does not depend on the fonts of the machine."""
    from reportlab.pdfbase import pdfmetrics

    from exports import pdf

    fonts = embedded_fonts(pack[0])
    assert {"NotoSans-Regular", "NotoSans-Bold"} <= set(fonts), fonts
    assert all(fonts.values()), f"every font embedded, none left to the reader: {fonts}"
    shipped = {Path(name).stem for name in (*pdf.TEXT_FACES, *pdf.FALLBACK_FACES)}
    assert set(fonts) <= shipped, f"only the shipped faces (no Helvetica, no system font): {fonts}"
    regular, bold, fallbacks = pdf.fonts()
    for registered in (regular, bold, *(name for name, _ in fallbacks)):
        assert Path(pdfmetrics.getFont(registered).face.filename).parent == ROOT / "exports" / "fonts"


def test_pack_speaks_to_a_leader_no_symbol_no_path(pack):
    """'ρ = 1,46' and 'docs/methodology.md' meant nothing to the reader: the pack says it in words (issue 17)."""
    _, pptx = pack
    text = "\n".join(slide_texts(pptx))
    assert "ρ" not in text and ".md" not in text and "docs/" not in text
    assert "quãng đường cần đi" in text  # the method, in words
