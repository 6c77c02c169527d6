"""Issue 14, text in and out: uploads lose control and bidi characters; the CLI never echoes escapes."""

from __future__ import annotations

import duckdb

from loaders.__main__ import main
from loaders.text_clean import clean_text, normalise_name, terminal_safe
from tests.loaders.test_uploads import FIRST
from tests.support.workbooks import fill


def test_clean_text_keeps_vietnamese_and_line_breaks_and_drops_the_rest():
    assert clean_text("Sở\u202eKH\u200b&CN\x1b[31m\r\nxong\x07") == "SởKH&CN[31m\nxong"
    assert clean_text("Thu\u0309y") == "Thủy"  # NFC
    assert clean_text(37.6) == 37.6
    assert normalise_name(" Thu.Ky\u200d\x01 ") == "thu.ky"
    assert terminal_safe("a\x1b]0;title\x07b\x1b[2Jc\u202ed") == "abcd"


def test_an_uploaded_note_is_stored_without_bidi_or_escapes_and_printed_safely(
    db_file, blank, tmp_path, capsys
):
    note = "Số liệu \u202eVP UBND\u202c\u200b đỏ"  # openpyxl itself refuses ESC in a cell
    good = tmp_path / "quy4.xlsx"
    good.write_bytes(fill(blank, FIRST, notes={"DVC_TOAN_TRINH": note}, percent_format=("HSSK_DIEN_TU",)))
    evil = tmp_path / "x\x1b[2J.xlsx"
    evil.write_bytes(good.read_bytes())
    assert main(["import-actuals", str(evil), "--by", "thuy", "--db", str(db_file), "--yes"]) == 0
    con = duckdb.connect(str(db_file), read_only=True)
    try:
        stored = con.execute(
            "SELECT note FROM actual_revisions WHERE indicator_id = 'DVC_TOAN_TRINH'"
        ).fetchone()[0]
        file_name = con.execute("SELECT file_name FROM uploads").fetchone()[0]
    finally:
        con.close()
    assert stored == "Số liệu VP UBND đỏ"
    assert "\x1b" not in file_name
    assert main(["uploads", "--db", str(db_file)]) == 0
    out = capsys.readouterr()
    assert "\x1b" not in out.out + out.err and "\u202e" not in out.out
