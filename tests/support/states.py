"""The five states of the data a page, the template, the report and the pack must work on (issue 11 §1).

Each builder writes a real DuckDB file. Values reach the database the way a secretariat's do: the template is
written by loaders.excel, filled with openpyxl, read, previewed and committed by the upload modules. The demo
database and the catalog as built come from the fixtures that already make them (tests/conftest.py,
tests/app/conftest.py); only the states nobody built yet are built here.

| state | what it is |
|---|---|
| catalog | `loaders.build.build`: the four published figures, no uploads (a new install) |
| one_value | the catalog, one uploaded value and one task update without a completion date |
| every_indicator | every indicator with exactly one value; every task updated once, no completion date |
| demo | `loaders.demo.write_demo`: three years of invented values, marked as such |
| bench_100x | `bench.generate` at scale 100x: 34 provinces' copies of the catalog, 3 revisions each |
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl

from loaders import db, upload_commit, upload_preview
from loaders.build import build
from loaders.excel.contract import (
    HEADER_OF,
    HEADERS,
    MANUAL_CHOICES,
    MANUAL_DIRECTIONS,
    SHEET_DATA,
    SHEET_TASKS,
    TASK_HEADER_OF,
    TASK_HEADERS,
    value_bounds,
)
from loaders.excel.template import build_template

STATES = ("catalog", "one_value", "every_indicator", "demo", "bench_100x")
PERIOD = "2025-Q4"  # back-filling 2025 is the first real use
TODAY = date(2026, 11, 23)  # the upload checks' "today": fixed, so a state never depends on the calendar
BY = "kiểm thử quét trang"
ONE_VALUE = {"DVC_TOAN_TRINH": 37.6}
# 'Đang thực hiện' stores completed_on NULL (NaT in pandas): the update that broke the template in issue 11.
NO_DATE_UPDATE = {"status": "Đang thực hiện"}
ONE_TASK = "ubnd6896-T008"
BENCH_SCALE = "100x"  # 34 provinces: builds in a few seconds, so the scale the issue asks for is used as is


def _fill(blank: bytes, values: dict[str, object], tasks: dict[str, dict[str, object]]) -> bytes:
    """The template with values typed into the value cells and task cells, by code, as a person would."""
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    for sheet, headers, header_of, cells in (
        (SHEET_DATA, HEADERS, HEADER_OF, {code: {"value": v} for code, v in values.items()}),
        (SHEET_TASKS, TASK_HEADERS, TASK_HEADER_OF, tasks),
    ):
        ws = wb[sheet]
        rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
        for code, fields in cells.items():
            for field, value in fields.items():
                ws.cell(rows[code], headers.index(header_of[field]) + 1).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def task_codes(blank: bytes) -> list[str]:
    ws = openpyxl.load_workbook(io.BytesIO(blank))[SHEET_TASKS]
    return [ws.cell(r, 1).value for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value]


def upload(
    path: Path,
    values: dict[str, object],
    tasks: dict[str, dict[str, object]] | None = None,
    every_task: dict[str, object] | None = None,
    name: str = "quet.xlsx",
) -> upload_commit.CommitResult:
    """Fill the template of PERIOD (values, some tasks, or every task of the sheet) and commit it through the
    real preview and commit."""
    con = db.connect(path)
    try:
        blank = build_template(con, PERIOD, today=TODAY)
        if every_task is not None:
            tasks = dict.fromkeys(task_codes(blank), every_task)
        data = _fill(blank, values, tasks or {})
        preview = upload_preview.validate_and_preview(con, data, name, today=TODAY)
        if not preview.ok:
            raise AssertionError(f"the sweep's own upload was refused: {[str(e) for e in preview.errors]}")
        result = upload_commit.commit(con, preview, BY)
        if not result.committed:
            raise AssertionError(f"the sweep's own upload wrote nothing: {result.message}")
        return result
    finally:
        con.close()


def plausible_value(direction: str, unit: str | None, low: float | None, high: float | None) -> object:
    """A value the upload accepts for an indicator: a choice for a manual one, else a number in range."""
    if direction in MANUAL_DIRECTIONS:
        return MANUAL_CHOICES[0]
    low, high = value_bounds(unit, low, high)
    if low is not None and high is not None:
        return (low + high) / 2
    if low is not None:
        return low + 10
    return high / 2 if high is not None else 1.0


def build_one_value(path: Path) -> Path:
    """The catalog, one uploaded value and a task update with an empty completion date."""
    build(path)
    upload(path, ONE_VALUE, {ONE_TASK: NO_DATE_UPDATE})
    return path


def build_every_indicator(path: Path) -> Path:
    """Every indicator with a target has exactly one value (its published one, else an uploaded one in
    PERIOD), and every task has one update without a completion date."""
    build(path)
    con = db.connect(path, read_only=True)
    try:
        missing = con.execute(
            "SELECT indicator_id, direction, unit, min_value, max_value FROM indicators "
            "WHERE indicator_id IN (SELECT indicator_id FROM targets) "
            "AND indicator_id NOT IN (SELECT indicator_id FROM v_actuals) ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    values = {code: plausible_value(*facts) for code, *facts in missing}
    upload(path, values, every_task=NO_DATE_UPDATE)
    return path


def build_bench(path: Path) -> Path:
    """The benchmark's own generator, run as its command: tests and bench do not import each other."""
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--scale", BENCH_SCALE, "-o", str(path)],
        check=True,
        capture_output=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    return path
