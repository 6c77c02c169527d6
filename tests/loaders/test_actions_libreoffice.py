"""The sheet “Giải pháp khắc phục” filled in LibreOffice Calc (as an agency might), in both locales, read back."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from openpyxl.utils import get_column_letter

from loaders import upload_commit, upload_preview
from loaders.excel.action_rows import ACTION_SHEET
from loaders.excel.contract import SHEET_ACTIONS
from tests.loaders.test_actions_upload import PERIOD, TODAY, add, sheet_rows, template
from tests.support import databases

pytestmark = pytest.mark.libreoffice


def _cell(field: str, row: int) -> str:
    return f"{get_column_letter(ACTION_SHEET.headers.index(ACTION_SHEET.header_of[field]) + 1)}{row}"


def _made_by_calc(calc, blank: bytes, tmp_path, name: str, ops: list[dict]) -> bytes:
    src, out = tmp_path / "mau.xlsx", tmp_path / name
    src.write_bytes(blank)
    calc.run(
        [
            {"op": "open", "path": str(src)},
            {"op": "unprotect", "sheet": SHEET_ACTIONS},
            *ops,
            {"op": "save", "path": str(out), "format": "xlsx"},
        ]
    )
    return out.read_bytes()


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_an_action_update_typed_in_calc_round_trips(request, tmp_path, locale):
    calc = request.getfixturevalue(f"calc_{locale}")
    con = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    try:
        done, going = add(con), add(con, "Đào tạo cán bộ", due=date(2027, 3, 31))
        blank = template(con)
        rows = sheet_rows(blank)
        typed = {
            _cell("status", rows[f"GP-{done}"]): "Hoàn thành",
            # 5 November typed day first: an English-locale Calc keeps it text in the template's text cell.
            _cell("completed_on", rows[f"GP-{done}"]): "5/11/2026",
            _cell("note", rows[f"GP-{done}"]): "Đã lắp 3 trạm; =1+1",
            _cell("status", rows[f"GP-{going}"]): "đang thực hiện",
        }
        ops = [{"op": "type", "sheet": SHEET_ACTIONS, "cell": c, "text": t} for c, t in typed.items()]
        data = _made_by_calc(calc, blank, tmp_path, f"giai_phap_{locale}.xlsx", ops)
        result = upload_preview.validate_and_preview(con, data, f"giai_phap_{locale}.xlsx", today=TODAY)
        assert result.ok, [str(e) for e in result.errors]
        got = result.parsed.actions.set_index("action_id")[["period", "status", "completed_on", "note"]]
        got = got.astype(object).where(
            got.notna(), None
        )  # a blank note, whichever missing marker pandas chose
        assert got.to_dict("index") == {
            done: {
                "period": PERIOD,
                "status": "done",
                "completed_on": date(2026, 11, 5),
                "note": "Đã lắp 3 trạm; =1+1",
            },
            going: {"period": PERIOD, "status": "in_progress", "completed_on": None, "note": None},
        }
        assert upload_commit.commit(con, result, "thuy").committed
        stored = con.execute(
            "SELECT action_id, status FROM corrective_action_updates WHERE source = 'upload' ORDER BY 1"
        ).fetchall()
        assert stored == [(done, "done"), (going, "in_progress")]
    finally:
        con.close()


def test_the_sheet_renamed_in_calc_is_refused_saying_which(calc_vi, tmp_path):
    con = duckdb.connect(str(databases.catalog_db(tmp_path / "nq57.duckdb")))
    try:
        aid = add(con)
        blank = template(con)
        ops = [
            {
                "op": "type",
                "sheet": SHEET_ACTIONS,
                "cell": _cell("status", sheet_rows(blank)[f"GP-{aid}"]),
                "text": "Đang thực hiện",
            },
            {"op": "rename", "sheet": SHEET_ACTIONS, "to": "GP quý 4"},
        ]
        data = _made_by_calc(calc_vi, blank, tmp_path, "doi_ten.xlsx", ops)
        result = upload_preview.validate_and_preview(con, data, "doi_ten.xlsx", today=TODAY)
        assert [e.sheet for e in result.errors] == [SHEET_ACTIONS]
        assert f"không còn trang “{SHEET_ACTIONS}”" in str(result.errors[0])
    finally:
        con.close()
