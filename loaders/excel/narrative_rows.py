"""Narratives in the template: the three text columns of “Số liệu” and the sheet “Khó khăn, kiến nghị”.

Additive to the row checks: `with_narratives` wraps the value check of “Số liệu” and also collects the
row's assessment, causes and next steps; `check_agency_row` is the row check of the agency sheet. Texts
are kept in `parsed.narratives` as (subject_kind, subject_id, field, text); the reader adds the period.
"""

from __future__ import annotations

import pandas as pd

from loaders.excel.contract import TEXT_FORMAT, Column, SheetContract
from loaders.excel.rows import UNFINISHED_FORMULA, FileState, Row, RowCheck, check_row_period, checked_text
from metrics.narratives import AGENCY, AGENCY_FIELDS, INDICATOR, INDICATOR_FIELDS

SHEET_AGENCY_NOTES = "Khó khăn, kiến nghị"
AGENCIES_SQL = "SELECT agency_id, current_agency_id, current_agency_name FROM v_agencies"
_UNFINISHED_EXPECTED = "mở tệp bằng Excel để Excel tính, lưu lại rồi tải lên; hoặc gõ trực tiếp"

AGENCY_SHEET = SheetContract(
    name=SHEET_AGENCY_NOTES,
    columns=(
        Column("Mã cơ quan", "agency_id", 16),
        Column("Cơ quan", "agency_name", 40),
        Column("Kỳ báo cáo", "period_label", 14),
        Column("Khó khăn, vướng mắc", "difficulties", 60, editable=True, number_format=TEXT_FORMAT),
        Column("Kiến nghị, đề xuất", "proposals", 60, editable=True, number_format=TEXT_FORMAT),
    ),
    key_field="agency_id",
    key_upper=False,
    key_missing="Thiếu mã cơ quan ở dòng có nội dung.",
    key_missing_expected="mã cơ quan của mẫu",
    key_unknown="Mã cơ quan không có trong danh mục.",
    key_unknown_expected="mã cơ quan đúng như trong mẫu (ví dụ so_khcn)",
    duplicate="Cơ quan {code} xuất hiện lần thứ hai (đã có ở dòng {first}).",
    one_per_row="mỗi cơ quan một dòng",
)


def _collect(state: FileState, row: Row, kind: str, subject: str | None, fields: dict[str, str]) -> None:
    for field in fields:
        if field not in row.cells:
            continue
        if field in row.formulas:
            row.err(UNFINISHED_FORMULA, field, expected=_UNFINISHED_EXPECTED)
            continue
        text = checked_text(row.cells[field], field, row.err)
        if text and subject is not None:
            state.parsed.narratives.append((kind, subject, field, text))


def with_narratives(check: RowCheck) -> RowCheck:
    """The value check of “Số liệu”, also collecting the row's narrative texts."""

    def checked(state: FileState, row: Row) -> tuple | None:
        result = check(state, row)
        _collect(state, row, INDICATOR, row.code if row.entry is not None else None, INDICATOR_FIELDS)
        return result

    return checked


def check_agency_row(state: FileState, row: Row) -> None:
    """One agency's difficulties and proposals; stored under the agency it rolls up to now."""
    if not row.has_content:
        return None
    check_row_period(state, row)
    subject = row.entry[1] if row.entry is not None else None
    _collect(state, row, AGENCY, subject, AGENCY_FIELDS)
    return None


def narrative_frame(pending: list[tuple], period: str | None) -> pd.DataFrame:
    """(subject_kind, subject_id, period, field, text) rows; a later row of the same key wins."""
    frame = pd.DataFrame(pending, columns=["subject_kind", "subject_id", "field", "text"])
    frame.insert(2, "period", period)
    frame = frame.drop_duplicates(["subject_kind", "subject_id", "period", "field"], keep="last")
    return (
        frame[["subject_kind", "subject_id", "period", "field", "text"]].astype(object).reset_index(drop=True)
    )
