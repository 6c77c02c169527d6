"""Helpers of the agency-file tests: the template filled in by LibreOffice Calc, and a database that must
stay byte for byte as it was when a file is refused."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import duckdb
import openpyxl

from loaders import upload_commit, upload_preview
from loaders.excel.contract import SHEET_DATA, SHEET_TASKS, TASK_HEADER_OF, TASK_HEADERS
from loaders.upload_store import UploadError
from tests.support.workbooks import letter_of, row_of

TODAY = date(2026, 11, 23)
VALUE = letter_of("value")
NOTE = letter_of("note")
TRIED: list[tuple[str, str]] = []  # (file, outcome) of every LibreOffice-made file, for the report


def task_letter(field: str) -> str:
    return openpyxl.utils.get_column_letter(TASK_HEADERS.index(TASK_HEADER_OF[field]) + 1)


def task_row_of(xlsx: bytes, task_id: str) -> int:
    ws = openpyxl.load_workbook(io.BytesIO(xlsx))[SHEET_TASKS]
    for r in range(2, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == task_id:
            return r
    raise KeyError(task_id)


def cell(blank: bytes, code: str, letter: str = VALUE) -> str:
    return f"{letter}{row_of(blank, code)}"


def typed(blank: bytes, texts: dict[str, str]) -> list[dict]:
    """Operations typing each text into the value cell of an indicator, as keystrokes."""
    return [{"op": "type", "sheet": SHEET_DATA, "cell": cell(blank, c), "text": t} for c, t in texts.items()]


def made_by_calc(calc, blank: bytes, tmp_path: Path, name: str, ops: list[dict], fmt: str = "xlsx") -> bytes:
    """The template opened in Calc, sheets unprotected (as people do to sort or delete), edited, saved."""
    source = tmp_path / "mau.xlsx"
    source.write_bytes(blank)
    out = tmp_path / name
    calc.run(
        [
            {"op": "open", "path": str(source)},
            {"op": "unprotect", "sheet": SHEET_DATA},
            {"op": "unprotect", "sheet": SHEET_TASKS},
            *ops,
            {"op": "save", "path": str(out), "format": fmt},
        ]
    )
    return out.read_bytes()


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refused(db_file: Path, data: bytes, name: str, tag: str) -> upload_preview.Preview:
    """Preview a file that must be refused and try to commit it; the database file must not change."""
    before = file_hash(db_file)
    con = duckdb.connect(str(db_file))
    try:
        result = upload_preview.validate_and_preview(con, data, name, today=TODAY)
        assert not result.ok, f"{name} was accepted"
        try:
            upload_commit.commit(con, result, "thuy")
            raise AssertionError("a refused file was committed")
        except UploadError:
            pass
    finally:
        con.close()
    assert file_hash(db_file) == before, "a refused file changed the database"
    TRIED.append((f"{tag} {name}", "refused: " + " | ".join(str(e) for e in result.errors)[:300]))
    return result


def accepted(con, data: bytes, name: str, tag: str) -> upload_preview.Preview:
    result = upload_preview.validate_and_preview(con, data, name, today=TODAY)
    assert result.ok, [str(e) for e in result.errors]
    TRIED.append((f"{tag} {name}", "accepted"))
    return result
