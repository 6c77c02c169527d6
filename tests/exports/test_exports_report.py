"""The periodic report: its cells equal target_status(as_of), its kinds follow the period, no cell runs a formula."""

from __future__ import annotations

import io
from datetime import date, datetime

import duckdb
import openpyxl
import pandas as pd
import pytest

from exports import labels
from exports import tasks as export_tasks
from exports.report import (
    COVER_SHEET,
    HEADER_ROW,
    TARGET_SHEET,
    TASK_SHEET,
    build_report,
    report_workbook,
)
from exports.report_kinds import report_title, resolve_kind
from metrics.periods import quarter_label_vi
from metrics.status_labels import status_label

PERIOD = "2026-Q3"
TODAY = date(2026, 10, 20)


def sheet_frame(data: bytes, sheet: str) -> pd.DataFrame:
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def blank(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else value


def status_view(demo_con, sql: str, params: list) -> pd.DataFrame:
    return demo_con.execute(sql, params).df().set_index("target_id")


@pytest.mark.parametrize("period", ["2025-Q4", PERIOD])
def test_target_cells_equal_the_status_macro(demo_con, period):
    _, data = report_workbook(demo_con, period, today=TODAY)
    sheet = sheet_frame(data, TARGET_SHEET).set_index("Mã chỉ tiêu")
    expected = status_view(demo_con, "SELECT * FROM target_status(?)", [period])
    assert sorted(sheet.index) == sorted(expected.index) and len(sheet) == len(expected) > 0
    for target_id, row in expected.iterrows():
        cells = sheet.loc[target_id].map(blank)
        assert cells["Trạng thái"] == status_label(row["status"])
        actual = cells["Số liệu thực hiện mới nhất"]
        if row["status"] == "manual":
            assert actual == blank(row["manual_result"])
        elif pd.isna(row["actual_value"]):
            assert actual is None
        else:
            assert actual == pytest.approx(row["actual_value"], abs=0.0005 if actual != int(actual) else 0.5)
        period_cell = (
            quarter_label_vi(row["actual_period"]) if isinstance(row["actual_period"], str) else None
        )
        assert cells["Kỳ số liệu"] == period_cell


def test_latest_period_report_equals_the_default_status_view(demo_con):
    latest = demo_con.execute("SELECT max_by(period, period_index(period)) FROM v_actuals").fetchall()[0][0]
    _, data = report_workbook(demo_con, latest, today=TODAY)
    sheet = sheet_frame(data, TARGET_SHEET).set_index("Mã chỉ tiêu")
    view = status_view(demo_con, "SELECT target_id, status FROM v_target_status", [])
    assert (sheet.loc[view.index, "Trạng thái"] == view["status"].map(status_label)).all()


def test_no_status_codes_and_one_number_format_per_unit(demo_con):
    """A leader reads labels, not codes, and every number of a unit in the same rounded format."""
    _, data = report_workbook(demo_con, PERIOD, today=TODAY)
    ws = openpyxl.load_workbook(io.BytesIO(data))[TARGET_SHEET]
    heads = [c.value for c in ws[HEADER_ROW]]
    assert "Mã trạng thái" not in heads
    codes = {"manual", "off_track", "on_track", "at_risk", "met", "not_met", "no_data", "not_reported"}
    values = {c.value for row in ws.iter_rows(min_row=HEADER_ROW + 1) for c in row}
    assert not values & codes
    unit_col = heads.index("Đơn vị tính")
    formats: dict[str, set[str]] = {}
    for name in ("Số liệu thực hiện mới nhất", "Mức cần đạt ở kỳ báo cáo"):
        col = heads.index(name)
        for row in ws.iter_rows(min_row=HEADER_ROW + 1):
            c = row[col]
            if isinstance(c.value, float | int):
                assert c.number_format.startswith("#,##0"), (name, c.coordinate, c.number_format)
                places = len(c.number_format.partition(".")[2])
                assert round(c.value, places) == c.value, (c.coordinate, c.value)
                formats.setdefault(row[unit_col].value, set()).add(c.number_format)
    assert formats and all(len(f) == 1 for f in formats.values()), formats


def test_targets_carry_plan_references_and_evidence(demo_con):
    _, data = report_workbook(demo_con, PERIOD, today=TODAY)
    sheet = sheet_frame(data, TARGET_SHEET)
    refs = dict(demo_con.execute("SELECT target_id, source_ref FROM v_targets").fetchall())
    assert all(refs[t] == r for t, r in zip(sheet["Mã chỉ tiêu"], sheet["Trích dẫn"], strict=True))
    reported = sheet["Số liệu thực hiện mới nhất"].notna()
    assert sheet.loc[reported, "Nguồn số liệu"].notna().all()


def test_tasks_sheet_has_every_task_with_its_deadline_without_task_views(demo_con, monkeypatch):
    monkeypatch.setattr(
        export_tasks, "layer_available", lambda con: False
    )  # a database older than task views
    _, data = report_workbook(demo_con, PERIOD, today=TODAY)
    tasks = sheet_frame(data, TASK_SHEET).set_index("Mã nhiệm vụ")
    assert len(tasks) == 109
    assert (tasks["Tình trạng (cơ quan báo cáo)"] == export_tasks.NO_STATUS).all()
    assert tasks.loc["ubnd6896-T003", "Đánh giá thời hạn"] == "Đã đến hạn"
    assert tasks.loc["ubnd6896-T003", "Hạn (suy ra)"] == datetime(2025, 11, 30)
    assert tasks.loc["ubnd6896-T001", "Đánh giá thời hạn"] == "Thường xuyên"


def test_tasks_sheet_has_the_status_and_evidence_task_tracking_gives(demo_con):
    assert export_tasks.layer_available(demo_con)
    from loaders import read
    from metrics import tasks as task_metrics

    status = task_metrics.task_status(read.task_catalog(demo_con), read.task_updates(demo_con), PERIOD, TODAY)
    _, data = report_workbook(demo_con, PERIOD, today=TODAY)
    tasks = sheet_frame(data, TASK_SHEET).set_index("Mã nhiệm vụ")
    assert len(tasks) == 109
    for _, row in status.iterrows():
        cells = tasks.loc[row["task_id"]].map(blank)
        assert cells["Tình trạng (cơ quan báo cáo)"] == task_metrics.STATUS_LABELS[row["status"]]
        assert cells["Đánh giá thời hạn"] == task_metrics.TIMING[row["timing"]].label
        assert cells["Minh chứng"] == blank(row["evidence"])


def test_cover_has_the_kind_period_data_date_plans_and_demo_mark(demo_con):
    _, data = report_workbook(demo_con, PERIOD, "q3", today=TODAY)
    ws = openpyxl.load_workbook(io.BytesIO(data))[COVER_SHEET]
    cells = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0]}
    assert ws["A1"].value.startswith("Báo cáo 9 tháng năm 2026")
    assert cells["Số liệu tính đến"] == "Quý III/2026"
    assert cells["Ngày cập nhật số liệu"] == datetime(2026, 10, 15, 9, 0)
    assert cells["Dữ liệu"] == labels.DEMO_LONG
    plans = [row[0] for row in ws.iter_rows(values_only=True) if row[0] and str(row[0]).startswith("KH ")]
    assert set(plans) == {"KH UBND tỉnh 02/2025", "KH Sở KH&CN 02/2025", "KH 11-KH/TU", "KH 6896/KH-UBND"}


@pytest.mark.parametrize(
    ("kind", "period", "month", "title"),
    [
        ("auto", "2026-Q1", None, "Báo cáo quý I năm 2026"),
        ("6m", "2026-Q2", None, "Báo cáo 6 tháng đầu năm 2026"),
        ("q3", "2026-Q3", None, "Báo cáo 9 tháng năm 2026"),
        ("year", "2025-Q4", None, "Báo cáo năm 2025"),
        ("month", "2026-Q3", 8, "Báo cáo tháng 8/2026"),
        ("month", "2026-Q3", None, "Báo cáo tháng 9/2026"),
    ],
)
def test_report_kinds_and_titles(kind, period, month, title):
    assert report_title(resolve_kind(kind, period), period, month) == title


@pytest.mark.parametrize(("kind", "period"), [("q3", "2026-Q2"), ("year", "2026-Q3"), ("weekly", "2026-Q3")])
def test_a_kind_that_does_not_fit_the_period_is_refused(kind, period):
    with pytest.raises(ValueError, match="Báo cáo|Loại báo cáo"):
        resolve_kind(kind, period)


def test_a_month_outside_the_quarter_is_refused():
    with pytest.raises(ValueError, match="Tháng 4"):
        report_title(resolve_kind("month", PERIOD), PERIOD, 4)


def test_uploaded_text_never_runs_as_a_formula(demo_file, tmp_path):
    copy = tmp_path / "formula.duckdb"
    copy.write_bytes(demo_file.read_bytes())
    c = duckdb.connect(str(copy))
    try:
        now = datetime(2026, 10, 16, 8, 0)
        c.execute(
            "INSERT INTO uploads VALUES (900, 'import', '=cmd.xlsx', 'x', 'thu.ky', ?, NULL, 2, NULL)", [now]
        )
        c.execute(
            "INSERT INTO actual_revisions VALUES (9001, 900, 'DVC_TOAN_TRINH', ?, 70.5, NULL, "
            "'+SUM(A1:A9)', '=HYPERLINK(\"http://evil\",\"x\")', false, 'thu.ky', ?)",
            [PERIOD, now],
        )
        c.execute(
            "INSERT INTO actual_revisions VALUES (9002, 900, 'TT_AN_NINH_MANG', ?, NULL, '@SUM(1)', "
            "NULL, '-1+1', false, 'thu.ky', ?)",
            [PERIOD, now],
        )
        path = build_report(c, PERIOD, "q3", tmp_path, today=TODAY)
    finally:
        c.close()
    ws = openpyxl.load_workbook(path)[TARGET_SHEET]
    formulas = [cell.coordinate for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
    assert formulas == []
    cells = {cell.value: cell for row in ws.iter_rows() for cell in row if isinstance(cell.value, str)}
    # issue 14: the text as typed, stored as text (t="s"/inlineStr) with Excel's quotePrefix, no apostrophe
    for text in ('=HYPERLINK("http://evil","x")', "+SUM(A1:A9)", "@SUM(1)", "-1+1"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert not any(v.startswith("'") for v in cells)


def test_every_sheet_prints_on_a4_landscape_with_heads_and_page_numbers(demo_con):
    """Read back with openpyxl: the print setup travels in the file (issue 17: 47 pages unset)."""
    _, data = report_workbook(demo_con, PERIOD, today=TODAY)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert len(wb.worksheets) >= 4
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text
        assert quarter_label_vi(PERIOD) in ws.oddFooter.left.text
    for name in (TARGET_SHEET, TASK_SHEET):
        assert wb[name].print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert not wb[COVER_SHEET].print_title_rows
