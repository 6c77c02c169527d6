"""What the template and the reader agree on, as data: sheets, columns, limits, versions, accepted periods."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from loaders.excel.cells import is_missing
from metrics.periods import current_period, is_period, period_index, quarter_label_vi, shift_period
from metrics.tasks import REPORTED

TEMPLATE_VERSION = "1"
SUPPORTED_VERSIONS = frozenset({"1"})

SHEET_DATA = "Số liệu"
SHEET_TASKS = "Nhiệm vụ"
SHEET_ACTIONS = "Giải pháp khắc phục"  # only in a template with corrective actions open (action_rows.py)
SHEET_HELP = "Hướng dẫn"
SHEET_META = "nq57_meta"  # hidden: what the reader needs to know it reads a template, and which period
SHEETS_SEPARATOR = "|"  # between the sheet names the hidden sheet lists under 'sheets'

# Keep in step with server.maxUploadSize in .streamlit/config.toml (a test holds them equal).
MAX_UPLOAD_MB = 10
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_TEXT_LENGTH = 2000
MAX_FILE_NAME = 255
HEADER_SEARCH_ROWS = 20

MANUAL_DIRECTIONS = ("yes_no", "qualitative")
MANUAL_CHOICES: tuple[str, ...] = ("Đạt", "Chưa đạt", "Đang thực hiện")
TASK_STATUS_CHOICES: tuple[str, ...] = tuple(REPORTED.values())
DATE_FORMAT = "DD/MM/YYYY"
TEXT_FORMAT = "@"  # what is typed stays text, even a leading '='
FIRST_SELECTABLE_PERIOD = "2025-Q1"  # the plans date from 02/2025; back-filling starts here


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header (matched when reading), its field, how the writer shows it."""

    header: str
    field: str
    width: int
    editable: bool = False
    number_format: str | None = None
    reference_only: bool = False  # shown for the person filling in, never read back: may be deleted
    optional: bool = False  # a file made before the column existed is read without it


@dataclass(frozen=True)
class SheetContract:
    """A sheet of the template: its columns and the words its row checks use for the row's key."""

    name: str
    columns: tuple[Column, ...]
    key_field: str
    key_upper: bool  # indicator codes are upper case whatever was typed; task codes are kept as typed
    key_missing: str
    key_missing_expected: str
    key_unknown: str
    key_unknown_expected: str
    duplicate: str  # formatted with code= and first= (the row where the key first appeared)
    one_per_row: str

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def field_of(self) -> dict[str, str]:
        return {c.header: c.field for c in self.columns}

    @functools.cached_property
    def header_of(self) -> dict[str, str]:  # built once: every row's period check names its header
        return {c.field: c.header for c in self.columns}

    @property
    def editable_fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns if c.editable)


# Why a value stands where it does and what is being done (docs/narratives.md): free text per indicator and
# period, required (a warning, not an error) when the value makes a target at risk, off track or not met.
NARRATIVE_COLUMNS: tuple[Column, ...] = (
    Column("Đánh giá", "assessment", 40, editable=True, number_format=TEXT_FORMAT, optional=True),
    Column("Nguyên nhân", "causes", 40, editable=True, number_format=TEXT_FORMAT, optional=True),
    Column("Giải pháp", "next_steps", 40, editable=True, number_format=TEXT_FORMAT, optional=True),
)

DATA_SHEET = SheetContract(
    name=SHEET_DATA,
    columns=(
        Column("Mã chỉ tiêu", "indicator_id", 24),
        Column("Tên chỉ tiêu", "indicator_name", 60),
        Column("Đơn vị tính", "unit", 12),
        Column("Chỉ tiêu", "targets_text", 44),
        Column("Cơ quan chủ trì", "lead_agency", 30),
        Column("Kỳ báo cáo", "period_label", 14),
        Column("Giá trị thực hiện", "value", 18, editable=True),  # text only for yes/no rows (the writer)
        Column("Ghi chú", "note", 36, editable=True, number_format=TEXT_FORMAT),
        Column("Nguồn/minh chứng", "evidence", 36, editable=True, number_format=TEXT_FORMAT),
        Column("Giá trị kỳ trước", "previous_value", 22, reference_only=True),
        *NARRATIVE_COLUMNS,
    ),
    key_field="indicator_id",
    key_upper=True,
    key_missing="Thiếu mã chỉ tiêu ở dòng có số liệu.",
    key_missing_expected="mã chỉ tiêu của mẫu",
    key_unknown="Mã chỉ tiêu không có trong danh mục.",
    key_unknown_expected="mã chỉ tiêu đúng như trong mẫu (ví dụ DVC_TOAN_TRINH)",
    duplicate="Chỉ tiêu {code} xuất hiện lần thứ hai (đã có ở dòng {first}).",
    one_per_row="mỗi chỉ tiêu một dòng",
)

# The task sheet (docs/tasks.md): one row per task, the status and its evidence open.
TASK_SHEET = SheetContract(
    name=SHEET_TASKS,
    columns=(
        Column("Mã nhiệm vụ", "task_id", 16),
        Column("Kế hoạch", "plan_name", 18),
        Column("Nhiệm vụ", "title", 70),
        Column("Cơ quan chủ trì", "lead_agency", 30),
        Column("Thời hạn", "deadline", 30),
        Column("Kỳ báo cáo", "period_label", 14),
        Column("Trạng thái", "status", 22, editable=True, number_format=TEXT_FORMAT),
        # Text, not a date format: "5/6/2026" typed in an English-locale program would become 6 May; as
        # text the reader's day/month/year parsing always applies.
        Column("Ngày hoàn thành", "completed_on", 16, editable=True, number_format=TEXT_FORMAT),
        Column("Minh chứng", "evidence", 36, editable=True, number_format=TEXT_FORMAT),
        Column("Ghi chú", "note", 36, editable=True, number_format=TEXT_FORMAT),
        Column("Trạng thái đã báo cáo", "previous_status", 30, reference_only=True),
    ),
    key_field="task_id",
    key_upper=False,
    key_missing="Thiếu mã nhiệm vụ ở dòng có cập nhật.",
    key_missing_expected="mã nhiệm vụ của mẫu",
    key_unknown="Mã nhiệm vụ không có trong danh mục.",
    key_unknown_expected="mã nhiệm vụ đúng như trong mẫu (ví dụ ubnd6896-T003)",
    duplicate="Nhiệm vụ {code} xuất hiện lần thứ hai (đã có ở dòng {first}).",
    one_per_row="mỗi nhiệm vụ một dòng",
)

# Header text -> field: the one map both the writer and the reader use (STYLE: one explicit map).
COLUMNS: dict[str, str] = DATA_SHEET.field_of
HEADERS: tuple[str, ...] = DATA_SHEET.headers
HEADER_OF: dict[str, str] = DATA_SHEET.header_of
EDITABLE_FIELDS: tuple[str, ...] = DATA_SHEET.editable_fields
TASK_COLUMNS: dict[str, str] = TASK_SHEET.field_of
TASK_HEADERS: tuple[str, ...] = TASK_SHEET.headers
TASK_HEADER_OF: dict[str, str] = TASK_SHEET.header_of
TASK_EDITABLE_FIELDS: tuple[str, ...] = TASK_SHEET.editable_fields


class TemplateError(ValueError):
    """A template that cannot be made (bad period, unknown agency): the message is Vietnamese, for people."""


def is_percent_unit(unit: str | None) -> bool:
    """'%', '% dân số', '% GRDP' …: values are percentages, 0–100."""
    return bool(unit) and str(unit).strip().startswith("%")


def value_bounds(
    unit: str | None, min_value: float | None, max_value: float | None
) -> tuple[float | None, float | None]:
    """The range an upload must respect: the indicator's min/max, narrowed to 0–100 for percentages."""
    low = None if is_missing(min_value) else float(min_value)
    high = None if is_missing(max_value) else float(max_value)
    if is_percent_unit(unit):
        low = 0.0 if low is None else max(low, 0.0)
        high = 100.0 if high is None else min(high, 100.0)
    return low, high


def selectable_periods(today: date | None = None) -> list[str]:
    """Quarters a template can be made for, newest first: from 2025-Q1 to the current quarter."""
    last = current_period(today)
    out = []
    period = last
    while period_index(period) >= period_index(FIRST_SELECTABLE_PERIOD):
        out.append(period)
        period = shift_period(period, -1)
    return out


def check_period(period: object, today: date | None = None) -> str:
    """The period if it is a quarter up to the current one; TemplateError with a Vietnamese reason otherwise."""
    text = str(period).strip() if period is not None else ""
    if not is_period(text):
        raise TemplateError(
            f"Kỳ báo cáo '{text}' không hợp lệ: cần một quý dạng NĂM-Qn, ví dụ 2026-Q3 (Quý III/2026)."
        )
    now = current_period(today)
    if period_index(text) > period_index(now):
        raise TemplateError(
            f"Kỳ {quarter_label_vi(text)} chưa đến (hiện nay là {quarter_label_vi(now)}): chỉ nhận số liệu "
            "cho quý hiện tại hoặc các quý đã qua."
        )
    return text
