"""Narratives through the template: columns and sheet read back, kept per period with history, red values
without a why flagged (never refused), corrective actions late by the task rules."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest

from loaders import migrations, narratives, upload_commit, upload_preview
from loaders.excel.contract import DATA_SHEET, SHEET_DATA
from loaders.excel.narrative_rows import AGENCY_SHEET, SHEET_AGENCY_NOTES
from metrics.narratives import action_status, makes_red, timeline
from tests.loaders.test_uploads import FIRST, TODAY, with_formula
from tests.support import workbooks as bad_files

# `con` (a private catalog database) and `blank` (the blank template) come from tests/loaders/conftest.py


def _col(sheet, field: str) -> int:
    return sheet.headers.index(sheet.header_of[field]) + 1


def with_texts(xlsx: bytes, indicator: dict[str, dict[str, str]], agency: dict[str, dict[str, str]]) -> bytes:
    """The file with narrative texts typed (openpyxl), per indicator code and per agency id."""

    def change(wb):
        ws = wb[SHEET_DATA]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for code, texts in indicator.items():
            for field, text in texts.items():
                cell = ws.cell(rows[code], _col(DATA_SHEET, field))
                cell.value = text
                cell.data_type = "s"  # as typed into a text-formatted cell: '=…' is text, not a formula
        ws = wb[SHEET_AGENCY_NOTES]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for agency_id, texts in agency.items():
            for field, text in texts.items():
                ws.cell(rows[agency_id], _col(AGENCY_SHEET, field)).value = text

    return bad_files.edit(xlsx, change)


def first_file(blank: bytes, texts=None, agency=None, **changed) -> bytes:
    """The upload tests' first file with narrative texts; the formula goes in last, as there."""
    data = bad_files.fill(blank, {**FIRST, **changed}, percent_format=("HSSK_DIEN_TU",))
    data = with_texts(data, texts or {}, agency or {})
    return with_formula(data, "CSDL_SO_HOA_LIEN_THONG", "50+5.5", 55.5)


def _agency(xlsx: bytes) -> str:
    ws = openpyxl.load_workbook(__import__("io").BytesIO(xlsx))[SHEET_AGENCY_NOTES]
    return ws.cell(2, 1).value


def _commit(con, data, name="f.xlsx"):
    result = upload_preview.validate_and_preview(con, data, name, today=TODAY)
    assert result.ok, [str(e) for e in result.errors]
    return result, upload_commit.commit(con, result, by="thuy")


def _latest(con):
    return {
        (r[0], r[1], r[2], r[3]): r[4]
        for r in con.execute(
            "SELECT subject_kind, subject_id, period, field, text FROM v_narratives_latest"
        ).fetchall()
    }


def test_every_new_column_and_the_agency_sheet_round_trip(con, blank):
    agency = _agency(blank)
    texts = {
        "DVC_TOAN_TRINH": {
            "assessment": "Chưa đạt: 37,6% so với 80%",
            "causes": "Hạ tầng mạng ở xã vùng cao\u202e yếu",  # a bidi override is dropped
            "next_steps": "=Đầu tư trạm BTS",  # stays text, never a formula
        }
    }
    data = first_file(
        blank, texts, {agency: {"difficulties": "Thiếu kinh phí", "proposals": "- Bổ sung biên chế"}}
    )
    result, outcome = _commit(con, data)
    assert outcome.committed
    assert len(result.narratives) == 5
    got = _latest(con)
    assert got[("indicator", "DVC_TOAN_TRINH", "2025-Q4", "assessment")] == "Chưa đạt: 37,6% so với 80%"
    assert got[("indicator", "DVC_TOAN_TRINH", "2025-Q4", "causes")] == "Hạ tầng mạng ở xã vùng cao yếu"
    assert got[("indicator", "DVC_TOAN_TRINH", "2025-Q4", "next_steps")] == "=Đầu tư trạm BTS"
    current = con.execute(
        "SELECT current_agency_id FROM v_agencies WHERE agency_id = ?", [agency]
    ).fetchone()[0]
    assert got[("agency", current, "2025-Q4", "difficulties")] == "Thiếu kinh phí"
    assert got[("agency", current, "2025-Q4", "proposals")] == "- Bổ sung biên chế"
    assert con.execute("SELECT DISTINCT upload_id IS NOT NULL, source FROM narratives").fetchall() == [
        (True, "upload")
    ]
    # the same file twice adds nothing
    again = upload_preview.validate_and_preview(con, data, "g.xlsx", today=TODAY)
    assert again.duplicate is not None and not again.has_changes


def test_a_file_made_before_the_narrative_columns_is_read_as_before(con, blank):
    def drop(wb):
        ws = wb[SHEET_DATA]
        ws.protection.sheet = False
        ws.delete_cols(_col(DATA_SHEET, "assessment"), 3)
        wb.security = None
        del wb[SHEET_AGENCY_NOTES]

    result = upload_preview.validate_and_preview(
        con,
        bad_files.edit(bad_files.fill(blank, FIRST, percent_format=("HSSK_DIEN_TU",)), drop),
        "old.xlsx",
        today=TODAY,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert len(result.table) == len(FIRST) and result.narratives.empty


def test_a_narrative_without_a_value_is_kept_and_a_too_long_one_refused(con, blank):
    ok = with_texts(blank, {"CLOUD_HTTT": {"assessment": "Đang triển khai"}}, {})
    result, outcome = _commit(con, ok)
    assert outcome.committed and result.table.empty
    assert _latest(con)[("indicator", "CLOUD_HTTT", "2025-Q4", "assessment")] == "Đang triển khai"
    bad = with_texts(blank, {"CLOUD_HTTT": {"causes": "x" * 2001}}, {})
    refused = upload_preview.validate_and_preview(con, bad, "bad.xlsx", today=TODAY)
    assert not refused.ok
    assert "Nguyên nhân" in str(refused.errors[0]) and "2000" in str(refused.errors[0])


def test_history_is_kept_across_periods_and_a_new_text_never_erases_the_old(con, blank):
    q3 = bad_files.template(con, period="2025-Q3")
    _commit(con, with_texts(q3, {"DVC_TOAN_TRINH": {"causes": "Nguyên nhân quý III"}}, {}), "q3.xlsx")
    _commit(con, with_texts(blank, {"DVC_TOAN_TRINH": {"causes": "Nguyên nhân quý IV"}}, {}), "q4.xlsx")
    _commit(con, with_texts(blank, {"DVC_TOAN_TRINH": {"causes": "Quý IV, sửa lại"}}, {}), "q4b.xlsx")
    got = _latest(con)
    assert got[("indicator", "DVC_TOAN_TRINH", "2025-Q3", "causes")] == "Nguyên nhân quý III"
    assert got[("indicator", "DVC_TOAN_TRINH", "2025-Q4", "causes")] == "Quý IV, sửa lại"
    shown = timeline(narratives.history(con, "indicator", "DVC_TOAN_TRINH"))
    assert [t["text"] for t in shown] == ["Quý IV, sửa lại", "Nguyên nhân quý IV", "Nguyên nhân quý III"]
    assert shown[0]["by"] == "thuy" and shown[0]["period_label"] == "Quý IV/2025"


def test_a_red_value_without_assessment_and_cause_is_flagged_not_refused(con, blank):
    result = upload_preview.validate_and_preview(con, first_file(blank), "f.xlsx", today=TODAY)
    assert result.ok and result.status_available
    flags = dict(zip(result.table["indicator_id"], result.table["warning"], strict=True))
    assert flags["DVC_TOAN_TRINH"] == "Thiếu Đánh giá, Nguyên nhân"  # 37,6% against ≥ 80%: Không đạt
    assert flags["CLOUD_HTTT"] == ""  # Đạt: nothing required
    assert "Cảnh báo: 2 chỉ tiêu" in result.summary()
    assert upload_commit.commit(con, result, by="thuy").committed  # the secretariat may still accept
    red = narratives.red_without_narrative(con, "2025-Q4")
    assert "DVC_TOAN_TRINH" in set(red["indicator_id"])

    explained = first_file(
        blank,
        {"DVC_TOAN_TRINH": {"assessment": "Không đạt", "causes": "Thiếu hạ tầng"}},
        DVC_TOAN_TRINH="37,7",
    )
    again = upload_preview.validate_and_preview(con, explained, "g.xlsx", today=TODAY)
    flags = dict(zip(again.table["indicator_id"], again.table["warning"], strict=True))
    assert flags["DVC_TOAN_TRINH"] == ""
    upload_commit.commit(con, again, by="thuy")
    assert "DVC_TOAN_TRINH" not in set(narratives.red_without_narrative(con, "2025-Q4")["indicator_id"])


def test_a_reverted_upload_takes_its_texts_out_of_force_but_keeps_them_in_history(con, blank):
    _, outcome = _commit(con, first_file(blank, {"DVC_TOAN_TRINH": {"causes": "Sai"}}))
    upload_commit.revert(con, outcome.upload_id, by="thuy")
    assert ("indicator", "DVC_TOAN_TRINH", "2025-Q4", "causes") not in _latest(con)
    history = narratives.history(con, "indicator", "DVC_TOAN_TRINH")
    assert list(history["reverted"]) == [True]


def test_page_texts_are_cleaned_appended_and_checked(con):
    n = narratives.record(con, "agency", "so_khcn", "2025-Q4", {"difficulties": " Thiếu\x07 người "}, "thuy")
    assert n == 1
    assert (
        narratives.record(con, "agency", "so_khcn", "2025-Q4", {"difficulties": "Thiếu người"}, "thuy") == 0
    )
    assert _latest(con)[("agency", "so_khcn", "2025-Q4", "difficulties")] == "Thiếu người"
    with pytest.raises(narratives.NarrativeError, match="Chưa nhập"):
        narratives.record(con, "agency", "so_khcn", "2025-Q4", {"proposals": "  "}, "thuy")
    with pytest.raises(narratives.NarrativeError, match="Trường không hợp lệ"):
        narratives.record(con, "agency", "so_khcn", "2025-Q4", {"assessment": "x"}, "thuy")


def test_makes_red_reads_the_status_after_the_arrow():
    assert makes_red("Quý IV/2025: Chưa có số liệu → Không đạt")
    assert makes_red("Quý IV/2025: Đạt → Có nguy cơ; 2030: Đúng tiến độ")
    assert not makes_red("Quý IV/2025: Chậm tiến độ → Đạt")
    assert not makes_red(None)


def test_corrective_actions_are_late_by_the_task_rules(con):
    late = narratives.add_action(
        con, "DVC_TOAN_TRINH", "2025-Q4", "Mở rộng DVC", "so_khcn", date(2025, 11, 30), "thuy"
    )
    later = narratives.add_action(
        con, "DVC_TOAN_TRINH", "2025-Q4", "Tập huấn", "so_khcn", date(2026, 6, 30), "thuy"
    )
    done = narratives.add_action(
        con, "DVC_TOAN_TRINH", "2025-Q4", "Rà soát", "so_khcn", date(2025, 10, 31), "thuy"
    )
    narratives.update_action(con, done, "2025-Q4", "done", "thuy", completed_on=date(2025, 11, 15))
    with pytest.raises(narratives.NarrativeError, match="ngày hoàn thành"):
        narratives.update_action(con, later, "2025-Q4", "done", "thuy")
    actions, updates = narratives.actions_of(con, "DVC_TOAN_TRINH")
    status = action_status(actions, updates, "2025-Q4", today=TODAY).set_index("action_id")
    assert status.loc[late, "timing"] == "late" and bool(status.loc[late, "late"])
    assert status.loc[later, "timing"] == "due_later"
    assert status.loc[done, "timing"] == "done_late" and status.loc[done, "days_late"] == 15
    assert "DVC_TOAN_TRINH" not in set(narratives.red_without_action(con, "2025-Q4")["indicator_id"])


def test_schema_is_current():
    assert migrations.CURRENT >= 5 and "_v5_narratives_and_actions" in {
        f.__name__ for f in migrations.MIGRATIONS.values()
    }
    assert datetime.now()
