"""Uploads: validating and previewing a workbook (calamine against openpyxl), and committing at every scale.

Validation and preview are loaders.upload_preview.validate_and_preview, timed as the page calls it
(statuses before/after included). The openpyxl side is the very same function with the sheet read by
openpyxl (read-only, values only) through a small adapter standing in for python_calamine, so the ratio is
the reader's share of the whole path; the raw sheet reads are timed too. Workbooks come from
devtools.workbooks.make_large_workbook, on a copy of the 1× database with one synthetic indicator and
target per row (devtools.workbooks.add_bench_indicators), as the scale test of uploads does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import python_calamine

from bench.timing import interleave, ratio, repeat
from devtools import workbooks
from loaders import db, upload_commit, upload_preview, upload_store
from loaders.excel import contract, reader, template

BENCH_USER = "bench"


# ---------------------------------------------------------------- openpyxl standing in for calamine


class _OpenpyxlSheet:
    def __init__(self, ws) -> None:
        self._rows = [list(r) for r in ws.iter_rows(values_only=True)]
        self._width = max((len(r) for r in self._rows), default=0)

    @property
    def end(self) -> tuple[int, int] | None:
        return (len(self._rows) - 1, self._width - 1) if self._rows else None

    def to_python(self, skip_empty_area: bool = False) -> list[list]:
        # calamine pads every row to the sheet's width and gives "" for an empty cell
        return [["" if v is None else v for v in r] + [""] * (self._width - len(r)) for r in self._rows]


class _OpenpyxlWorkbook:
    def __init__(self, wb) -> None:
        self._wb = wb
        self.sheet_names = wb.sheetnames

    @classmethod
    def from_filelike(cls, fh) -> _OpenpyxlWorkbook:
        return cls(openpyxl.load_workbook(fh, read_only=True, data_only=True))

    def get_sheet_by_name(self, name: str) -> _OpenpyxlSheet:
        return _OpenpyxlSheet(self._wb[name])


@contextlib.contextmanager
def openpyxl_reader():
    """Within the block, loaders.excel.reader reads sheets with openpyxl instead of calamine."""
    original = reader.python_calamine
    reader.python_calamine = SimpleNamespace(CalamineWorkbook=_OpenpyxlWorkbook)
    try:
        yield
    finally:
        reader.python_calamine = original


def read_calamine(data: bytes) -> int:
    wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return len(wb.get_sheet_by_name(contract.SHEET_DATA).to_python(skip_empty_area=False))


def read_openpyxl(data: bytes) -> int:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    return sum(1 for _ in wb[contract.SHEET_DATA].iter_rows(values_only=True))


def read_openpyxl_formats(data: bytes) -> int:
    """Full load with styles: what a reader needs to see % formats without scanning the XML itself."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[contract.SHEET_DATA]
    return sum(1 for row in ws.iter_rows() for c in row if c.number_format.endswith("%"))


# ---------------------------------------------------------------- 3. validate and preview


def workbook_rows(n: int) -> int:
    """Value rows that fit the reader's row limit (MAX_ROWS counts the header row too)."""
    return min(n, contract.MAX_ROWS - 1)


def measure_workbooks(base_db: Path, sizes: list[int], runs: int, work: Path) -> dict:
    out: dict = {}
    for n in sizes:
        rows = workbook_rows(n)
        path = work / f"upload-{n}.duckdb"
        shutil.copyfile(base_db, path)
        con = db.connect(path)
        try:
            workbooks.add_bench_indicators(con, rows)
            data = workbooks.make_large_workbook(rows, period=workbooks.PERIOD)
            name = f"bench-{n}.xlsx"

            def calamine_path(data=data, name=name, con=con):
                result = upload_preview.validate_and_preview(con, data, name)
                assert result.ok, [str(e) for e in result.errors[:3]]
                return result

            def openpyxl_path(data=data, name=name, con=con):
                with openpyxl_reader():
                    result = upload_preview.validate_and_preview(con, data, name)
                assert result.ok, [str(e) for e in result.errors[:3]]
                return result

            checked = calamine_path()
            same = checked.table.equals(openpyxl_path().table)
            # 50 000 rows take seconds per run: fewer repeats there keep the whole benchmark under 10 minutes
            n_runs = runs if rows <= 10_000 else 1
            timed = interleave(
                {
                    "calamine": calamine_path,
                    "openpyxl": openpyxl_path,
                    "calamine_no_status": lambda data=data, name=name, con=con: (
                        upload_preview.validate_and_preview(con, data, name, with_status=False)
                    ),
                    "read_calamine": lambda data=data: read_calamine(data),
                    "read_openpyxl": lambda data=data: read_openpyxl(data),
                },
                n_runs,
            )
            formats = repeat(lambda data=data: read_openpyxl_formats(data), 1) if rows <= 10_000 else None
            out[str(n)] = {
                "value_rows": rows,
                "file_bytes": len(data),
                "new_values": checked.count(upload_store.CHANGE_NEW),
                "status_preview": checked.status_available,
                "same_preview_both_readers": bool(same),
                "validate_preview_calamine_s": timed["calamine"],
                "validate_preview_openpyxl_s": timed["openpyxl"],
                "validate_preview_no_status_s": timed["calamine_no_status"],
                "read_calamine_s": timed["read_calamine"],
                "read_openpyxl_s": timed["read_openpyxl"],
                "read_openpyxl_with_formats_s": formats,
                "ratio_openpyxl_over_calamine": ratio(timed["openpyxl"], timed["calamine"]),
                "ratio_read_openpyxl_over_calamine": ratio(timed["read_openpyxl"], timed["read_calamine"]),
            }
        finally:
            con.close()
            path.unlink(missing_ok=True)
    return out


# ---------------------------------------------------------------- 4. commit at each scale


def quarterly_workbook(con, period: str, previous: str) -> tuple[bytes, int]:
    """Lai Châu's quarterly template for `period`, every indicator filled in (last quarter's value again,
    so most are changes) — what the secretariat uploads each quarter."""
    blank = template.build_template(con, period, None)
    rows = con.execute(
        """
        SELECT i.indicator_id, a.value, a.value_text
        FROM indicators i JOIN v_actuals a USING (indicator_id)
        WHERE a.period = ? AND i.indicator_id NOT SIMILAR TO '.*_T[0-9][0-9]'
          AND i.indicator_id IN (SELECT indicator_id FROM targets)
        """,
        [previous],
    ).fetchall()
    values = {code: (text if text is not None else value) for code, value, text in rows}
    return workbooks.fill(blank, values), len(values)


def measure_commit(scale_db: Path, runs: int, work: Path) -> dict:
    """Preview then commit Lai Châu's quarterly file into a copy of a scale's database."""
    from metrics.periods import shift_period

    path = work / f"commit-{scale_db.stem}.duckdb"
    shutil.copyfile(scale_db, path)
    con = db.connect(path)
    try:
        period = con.execute("SELECT max_by(period, period_index(period)) FROM v_actuals").fetchall()[0][0]
        data, filled = quarterly_workbook(con, period, shift_period(period, -1))
        previewed = repeat(lambda: upload_preview.validate_and_preview(con, data, "quy.xlsx"), runs)
        parsed = upload_preview.validate_and_preview(con, data, "quy.xlsx", with_status=False).parsed
        assert parsed.ok, [str(e) for e in parsed.errors[:3]]
        counter = iter(range(1, 10_000))
        results = []

        def variant():
            # each commit a different file (else it is refused as a duplicate) with every value changed
            i = next(counter)
            rows = parsed.rows.copy()
            rows["value"] = rows["value"] + 0.001 * i
            variant.parsed = dataclasses.replace(parsed, sha256=f"{parsed.sha256}-{i}", rows=rows)

        def commit():
            results.append(upload_commit.commit(con, variant.parsed, BENCH_USER))

        timed = repeat(commit, runs, setup=variant)
        return {
            "period": period,
            "filled_rows": filled,
            "revisions_per_commit": results[-1].n_revisions if results else 0,
            "committed": all(r.committed for r in results),
            "validate_preview_s": previewed,
            "commit_s": timed,
        }
    finally:
        con.close()
        path.unlink(missing_ok=True)


def scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="nq57-bench-uploads-"))
