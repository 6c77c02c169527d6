"""The XML scan of editable columns (loaders/excel/sheet_xml.py) on hand-written sheets: it looks only at
cells that can have something to say, so these check it still finds each kind wherever it sits."""

from __future__ import annotations

import io
import zipfile

from loaders.excel.sheet_xml import CellFacts, scan_columns

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx(sheet_data: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{_NS}"' if prefix else f'xmlns="{_NS}"'
    styles = (
        f'<{p}styleSheet {xmlns}><{p}numFmts count="1"><{p}numFmt numFmtId="164" formatCode="0.0%"/>'
        f'</{p}numFmts><{p}cellXfs count="4"><{p}xf numFmtId="0"/><{p}xf numFmtId="9"/><{p}xf numFmtId="49"/>'
        f'<{p}xf numFmtId="164"/></{p}cellXfs></{p}styleSheet>'
    )
    workbook = (
        f'<{p}workbook {xmlns} xmlns:r="{_REL}"><{p}sheets><{p}sheet name="Số liệu" sheetId="1" r:id="rId1"/>'
        f"</{p}sheets></{p}workbook>"
    )
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
    )
    root_rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet = f"<{p}worksheet {xmlns}><{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr("xl/workbook.xml", workbook)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        zf.writestr("xl/styles.xml", styles)
        zf.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def _rows(prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    filler = " ".join(f'x{i}="{"y" * 40}"' for i in range(3))
    return (
        f'<{p}row r="1"><{p}c r="G1" t="inlineStr"><{p}is><{p}t>s="1" t="e" &lt;f&gt;</{p}t></{p}is></{p}c>'
        f'<{p}c r="H1" s="1"><{p}v>0.5</{p}v></{p}c></{p}row>'
        f'<{p}row r="2"><{p}c r="G2" s="1"><{p}v>0.8</{p}v></{p}c><{p}c r="GA2" s="3"><{p}v>1</{p}v></{p}c></{p}row>'
        f'<{p}row r="3"><{p}c r="G3" s="3" t="e"><{p}f>1/0</{p}f><{p}v>#DIV/0!</{p}v></{p}c></{p}row>'
        f'<{p}row r="4"><{p}c {filler} r="G4"><{p}f>SUM(A1:A2)</{p}f></{p}c>'
        f'<{p}c r="H4"><{p}f>A1</{p}f><{p}v>2</{p}v></{p}c></{p}row>'
        f'<{p}row r="5"><{p}c r="G5" s="2"><{p}v>3</{p}v></{p}c><{p}c r="H5" s="3"/>'
        f'<{p}c r="I5" t="e"><{p}f>#REF!+1</{p}f><{p}v>#VALUE!</{p}v></{p}c></{p}row>'
        f'<{p}row r="6"><{p}c r="G6" t="str"><{p}f>"a"</{p}f><{p}v>a</{p}v></{p}c>'
        f'<{p}c r="H6"><{p}f>B2</{p}f></{p}c></{p}row>'
    )


_EXPECTED = {
    "G": {
        2: CellFacts(True, False),
        3: CellFacts(True, False, "#DIV/0!"),
        4: CellFacts(False, True),
    },
    "H": {1: CellFacts(True, False), 5: CellFacts(True, False), 6: CellFacts(False, True)},
    "I": {5: CellFacts(False, False, "#REF!")},
}


def test_the_scan_finds_percent_formats_formulas_without_result_and_errors_and_nothing_else():
    assert scan_columns(_xlsx(_rows()), "Số liệu", ["G", "H", "I"]) == _EXPECTED


def test_the_scan_reads_a_sheet_written_with_a_namespace_prefix():
    assert scan_columns(_xlsx(_rows("x"), prefix="x"), "Số liệu", ["G", "H", "I"]) == _EXPECTED


def test_the_scan_finds_a_formula_cell_far_after_its_opening_tag_would_fit_a_short_look_back():
    long_tag = " ".join(f'a{i}="{"z" * 100}"' for i in range(60))  # 6 kB of attributes before the formula
    data = _xlsx(f'<row r="9"><c r="G9" {long_tag}><f>A1</f></c></row>')
    assert scan_columns(data, "Số liệu", ["G"]) == {"G": {9: CellFacts(False, True)}}


def test_a_sheet_without_the_named_sheet_reports_nothing():
    assert scan_columns(_xlsx(_rows()), "Nhiệm vụ", ["G"]) == {"G": {}}
