"""What a read file holds: its rows, its task updates and every issue found, each named by sheet, row, column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

Progress = Callable[[float, str], None]

ROW_COLUMNS = ("indicator_id", "period", "value", "value_text", "note", "evidence", "excel_row")


def empty_rows() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object") for c in ROW_COLUMNS})


TASK_ROW_COLUMNS = ("task_id", "period", "status", "completed_on", "evidence", "note", "excel_row")


def empty_tasks() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in TASK_ROW_COLUMNS})


ACTION_ROW_COLUMNS = ("action_id", "period", "status", "completed_on", "note", "excel_row")


def empty_actions() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in ACTION_ROW_COLUMNS})


@dataclass(frozen=True)
class Issue:
    """One problem found in an uploaded file, where it is, what was found and what was expected."""

    message: str
    sheet: str | None = None
    row: int | None = None  # the Excel row number, 1-based, as people see it
    column: str | None = None  # the header text
    column_letter: str | None = None
    found: str | None = None
    expected: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"Trang “{self.sheet}”")
        if self.row:
            where.append(f"dòng {self.row}")
        if self.column:
            letter = f" ({self.column_letter})" if self.column_letter else ""
            where.append(f"cột “{self.column}”{letter}")
        text = f"{', '.join(where)}: {self.message}" if where else self.message
        if self.found is not None:
            text += f" Giá trị gặp: “{self.found}”."
        if self.expected:
            text += f" Cần: {self.expected}."
        return text


@dataclass
class ParsedUpload:
    """What a file holds once read and checked. `rows` is empty unless `errors` is."""

    file_name: str
    sha256: str
    size: int
    period: str | None = None
    agency_id: str | None = None
    template_version: str | None = None
    rows: pd.DataFrame = field(default_factory=empty_rows)
    errors: list[Issue] = field(default_factory=list)
    n_blank: int = 0  # indicator rows left blank: not reported this period
    tasks: pd.DataFrame = field(default_factory=empty_tasks)  # task status updates (sheet “Nhiệm vụ”)
    n_task_blank: int = 0  # task rows left blank: no update this period
    actions: pd.DataFrame = field(default_factory=empty_actions)  # corrective action updates
    n_action_blank: int = 0  # action rows left blank: no update this period
    # Narrative texts (subject_kind, subject_id, field, text) while reading; a frame with the period after.
    narratives: list | pd.DataFrame = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
