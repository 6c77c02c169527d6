"""The narrative columns and the agency sheet filled in LibreOffice Calc (as an agency might), read back."""

from __future__ import annotations

import io

import duckdb
import openpyxl
import pytest

from loaders import upload_preview
from loaders.excel.contract import DATA_SHEET, SHEET_DATA
from loaders.excel.narrative_rows import AGENCY_SHEET, SHEET_AGENCY_NOTES
from tests.loaders.test_uploads import TODAY
from tests.support import databases
from tests.support import workbooks as bad_files

pytestmark = pytest.mark.libreoffice


def _letter(sheet, field):
    return openpyxl.utils.get_column_letter(sheet.headers.index(sheet.header_of[field]) + 1)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_texts_typed_in_calc_round_trip(request, tmp_path, locale):
    calc = request.getfixturevalue(f"calc_{locale}")
    con = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    try:
        blank = bad_files.template(con)
        wb = openpyxl.load_workbook(io.BytesIO(blank))
        row = {wb[SHEET_DATA].cell(r, 1).value: r for r in range(2, wb[SHEET_DATA].max_row + 1)}[
            "DVC_TOAN_TRINH"
        ]
        agency = wb[SHEET_AGENCY_NOTES].cell(2, 1).value
        src, out = tmp_path / "mau.xlsx", tmp_path / f"da_dien_{locale}.xlsx"
        src.write_bytes(blank)
        typed = {
            (SHEET_DATA, f"{_letter(DATA_SHEET, 'value')}{row}"): "37,6" if locale == "vi" else "37.6",
            (SHEET_DATA, f"{_letter(DATA_SHEET, 'assessment')}{row}"): "Không đạt, 37,6%",
            (SHEET_DATA, f"{_letter(DATA_SHEET, 'causes')}{row}"): "Hạ tầng mạng yếu",
            (SHEET_DATA, f"{_letter(DATA_SHEET, 'next_steps')}{row}"): "Đầu tư trạm BTS",
            (SHEET_AGENCY_NOTES, f"{_letter(AGENCY_SHEET, 'difficulties')}2"): "Thiếu kinh phí",
            (SHEET_AGENCY_NOTES, f"{_letter(AGENCY_SHEET, 'proposals')}2"): "Bổ sung biên chế",
        }
        ops = [{"op": "open", "path": str(src)}]
        ops += [{"op": "unprotect", "sheet": s} for s in (SHEET_DATA, SHEET_AGENCY_NOTES)]
        ops += [{"op": "type", "sheet": s, "cell": c, "text": t} for (s, c), t in typed.items()]
        calc.run([*ops, {"op": "save", "path": str(out), "format": "xlsx"}])
        result = upload_preview.validate_and_preview(con, out.read_bytes(), out.name, today=TODAY)
        assert result.ok, [str(e) for e in result.errors]
        got = {(r["subject_kind"], r["field"]): r["text"] for r in result.narratives.to_dict("records")}
        assert got == {
            ("indicator", "assessment"): "Không đạt, 37,6%",
            ("indicator", "causes"): "Hạ tầng mạng yếu",
            ("indicator", "next_steps"): "Đầu tư trạm BTS",
            ("agency", "difficulties"): "Thiếu kinh phí",
            ("agency", "proposals"): "Bổ sung biên chế",
        }
        assert set(result.narratives["subject_id"]) >= {"DVC_TOAN_TRINH"} and agency
    finally:
        con.close()
