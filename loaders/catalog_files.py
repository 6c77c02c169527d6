"""The catalog's files as read: their columns, allowed values, and a reader that checks each cell and
collects every problem with file, row and column (loaders/catalog.py builds the frames from them)."""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

COMPARATORS = {">=", ">", "<=", "<", "=", "between", "text"}
DIRECTIONS = {"higher", "lower", "yes_no", "qualitative"}
HORIZONS = {"2025-Q4": "2025-Q4", "2030": "2030-Q4", "2045": "2045-Q4"}
AGENCY_KINDS = {"so", "dang", "khoi", "don_vi", "khac"}
AGENCY_STATUSES = {"current", "merged", "successor_unknown"}
GRADES = {"A", "B", "C"}
# How often an indicator's value is measured (data/README.md): a value stays in force until the next
# one is due. Quarters a value is due in: every quarter, Q2 and Q4, Q4.
FREQUENCIES = {"quarterly", "half_yearly", "yearly"}
BOOLEANS = {"true", "false"}
LIST_SEP = " | "

# Each catalog file and the columns it must have, in order.
FILES: dict[str, list[str]] = {
    "plans.csv": [
        "plan_id",
        "short_name",
        "issuer",
        "number",
        "doc_date",
        "doc_date_text",
        "plan_period",
        "title",
        "horizons",
        "source_file",
        "note",
        "tasks_note",
    ],
    "thematic_groups.csv": ["group_code", "name", "sort_order"],
    "agencies.csv": [
        "agency_id",
        "name",
        "short_name",
        "kind",
        "parent_id",
        "successor_id",
        "status",
        "note",
    ],
    "agency_aliases.csv": ["alias", "agency_id"],
    "indicators.csv": [
        "indicator_id",
        "name",
        "short_name",
        "unit",
        "direction",
        "group_code",
        "min_value",
        "max_value",
        "note",
        "frequency",
    ],
    "targets.csv": [
        "target_id",
        "plan_id",
        "row_ref",
        "source_task_id",
        "horizon",
        "indicator_id",
        "comparator",
        "target_value",
        "target_value_high",
        "also_rising",
        "unit_as_written",
        "value_as_written",
        "target_text",
        "wording_restored",
        "lead_agencies",
        "lead_basis",
        "lead_inferred_from",
        "plan_note",
        "interpretation_note",
        "correction_note",
    ],
    "published_actuals.csv": [
        "indicator_id",
        "period",
        "value",
        "value_text",
        "source",
        "source_url",
        "grade",
        "published_on",
        "note",
        "comparable",
    ],
    "status_thresholds.csv": ["key", "value", "note"],
}
TASK_COLUMNS = [
    "task_id",
    "plan_id",
    "section",
    "section_title",
    "row_no",
    "title",
    "lead_agencies",
    "coordinating_agencies",
    "expected_output",
    "deadline_text",
    "note",
]


class CatalogError(Exception):
    """Every problem found in the catalog files, each naming file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def agency_key(name: str) -> str:
    """How names are matched: NFC, single spaces, no trailing full stop, case-insensitive."""
    return re.sub(r"\s+", " ", nfc(name)).rstrip(".").strip().casefold()


@dataclass
class CsvReader:
    data_dir: Path
    problems: list[str] = field(default_factory=list)
    hasher: hashlib._Hash = field(default_factory=hashlib.sha256)

    def read(self, rel: str, columns: list[str]) -> list[dict[str, str]]:
        path = self.data_dir / rel
        if not path.exists():
            self.problems.append(f"data/{rel}: không tìm thấy tệp.")
            return []
        raw = path.read_bytes()
        self.hasher.update(rel.encode() + b"\0" + raw)
        text = raw.decode("utf-8-sig")
        reader = csv.DictReader(text.splitlines())
        if reader.fieldnames != columns:
            self.problems.append(f"data/{rel}: tiêu đề cột là {reader.fieldnames}, cần đúng {columns}.")
            return []
        rows = []
        for line_no, row in enumerate(reader, start=2):
            if None in row or any(v is None for v in row.values()):
                self.problems.append(f"data/{rel}, dòng {line_no}: số cột không khớp tiêu đề.")
                continue
            clean = {k: nfc(v) for k, v in row.items()}
            clean["_where"] = f"data/{rel}, dòng {line_no}"
            rows.append(clean)
        return rows

    def err(self, row: dict, column: str, message: str) -> None:
        self.problems.append(f"{row['_where']} (cột {column}): {message}")

    def unique(self, rows: list[dict], key: str) -> None:
        seen: dict[str, str] = {}
        for row in rows:
            if not row[key]:
                self.err(row, key, "để trống.")
            elif row[key] in seen:
                self.err(row, key, f"mã '{row[key]}' trùng với {seen[row[key]]}.")
            else:
                seen[row[key]] = row["_where"]

    def number(self, row: dict, column: str, required: bool = False) -> float | None:
        text = row[column]
        if not text:
            if required:
                self.err(row, column, "cần một số.")
            return None
        try:
            return float(text)
        except ValueError:
            self.err(row, column, f"'{text}' không phải là số (dùng dấu chấm thập phân trong tệp danh mục).")
            return None

    def member(self, row: dict, column: str, allowed: set[str] | dict, optional: bool = False) -> None:
        value = row[column]
        if optional and not value:
            return
        if value not in allowed:
            self.err(row, column, f"'{value}' không hợp lệ; giá trị cho phép: {', '.join(sorted(allowed))}.")


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEP) if part.strip()]
