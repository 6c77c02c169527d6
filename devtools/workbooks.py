"""Workbooks and indicators made up at any size, for the benchmark and the scale tests alike.

Neither bench/ nor tests/ imports the other: what both need to make a large upload lives here, on top of
the real template contract (loaders.excel.contract). Nothing here runs in the app.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import duckdb
import openpyxl

from loaders.excel.contract import HEADER_OF, HEADERS, SHEET_DATA, SHEET_META
from metrics.periods import quarter_label_vi

PERIOD = "2025-Q4"  # back-filling 2025 is the first real use


def column_of(field: str) -> int:
    """1-based column of a template field ('value', 'note', …)."""
    return HEADERS.index(HEADER_OF[field]) + 1


def edit(xlsx: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def fill(
    xlsx: bytes,
    values: dict[str, object],
    notes: dict[str, str] | None = None,
    evidence: dict[str, str] | None = None,
    percent_format: tuple[str, ...] = (),
) -> bytes:
    """The template with values typed into the value cells (as openpyxl writes them), by indicator code."""

    def change(wb):
        ws = wb[SHEET_DATA]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for code, value in values.items():
            cell = ws.cell(rows[code], column_of("value"))
            cell.value = value
            if code in percent_format:
                cell.number_format = "0%"
        for field, texts in (("note", notes or {}), ("evidence", evidence or {})):
            for code, text in texts.items():
                ws.cell(rows[code], column_of(field)).value = text

    return edit(xlsx, change)


def add_bench_indicators(con: duckdb.DuckDBPyConnection, n: int) -> None:
    """n synthetic % indicators BENCH_00001… each with one 2030 target, in a scratch database's catalog."""
    con.execute(
        """
        INSERT INTO indicators
        SELECT printf('BENCH_%05d', i), 'Chỉ tiêu thử ' || i, 'Thử ' || i, '%', 'higher', 'chi_dao', 0, 100, NULL,
               'quarterly'
        FROM range(1, ? + 1) t(i)
        """,
        [n],
    )
    con.execute(
        """
        INSERT INTO targets (target_id, plan_id, row_ref, horizon, due_period, indicator_id, comparator,
                             target_value, also_rising, value_as_written, unit_as_written, target_text,
                             lead_agencies_as_written, source_ref)
        SELECT printf('bench-%05d', i), 'ubnd2025', i::VARCHAR, '2030', '2030-Q4', printf('BENCH_%05d', i), '>=',
               80, false, '≥ 80', '%', 'Chỉ tiêu thử ' || i, 'Sở Khoa học và Công nghệ', 'thử'
        FROM range(1, ? + 1) t(i)
        """,
        [n],
    )
    con.execute(
        """
        INSERT INTO target_agencies
        SELECT printf('bench-%05d', i), 1, 'Sở Khoa học và Công nghệ', 'so_khcn' FROM range(1, ? + 1) t(i)
        """,
        [n],
    )


def make_large_workbook(n: int, period: str = PERIOD) -> bytes:
    """A template-shaped workbook with n filled rows for BENCH_… indicators (values typed every way)."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_DATA)
    ws.append(list(HEADERS))
    label = quarter_label_vi(period)
    typed = ("37,6", "80%", 55.5, "1,5", "12.25", 99)
    for i in range(1, n + 1):
        row = {h: None for h in HEADERS}
        row.update(
            {
                HEADER_OF["indicator_id"]: f"BENCH_{i:05d}",
                HEADER_OF["indicator_name"]: f"Chỉ tiêu thử {i}",
                HEADER_OF["unit"]: "%",
                HEADER_OF["targets_text"]: "2030: ≥ 80%",
                HEADER_OF["lead_agency"]: "Sở KH&CN",
                HEADER_OF["period_label"]: label,
                HEADER_OF["value"]: typed[i % len(typed)],
                HEADER_OF["note"]: f"Ghi chú {i}" if i % 3 == 0 else None,
                HEADER_OF["evidence"]: f"Văn bản số {i}/BC-SKHCN" if i % 5 == 0 else None,
            }
        )
        ws.append([row[h] for h in HEADERS])
    meta = wb.create_sheet(SHEET_META)
    for key, value in (("template_version", "1"), ("period", period), ("agency_id", "")):
        meta.append([key, value])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
