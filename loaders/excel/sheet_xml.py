"""The sheet's own XML, scanned for what calamine does not give: %-formatted cells, formulas never computed.

Calamine gives cached formula results but neither the formulas nor the cells' number formats, so the
editable columns alone are also scanned in the sheet's XML (one C-level regex pass, no openpyxl): that
says which value cells are %-formatted (0,8 shown as 80%), which hold a formula whose result was
never computed (a file written by a program, not by Excel), and which hold a formula error (#DIV/0!,
#N/A …): calamine reads an error cell as an empty string, so without this scan it would pass as blank.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from loaders.xml_safety import ElementTree

_MAIN_REL = "/officeDocument"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """{Id: (Type, absolute target)} of a part's relationships."""
    folder, base = posixpath.split(part)
    path = posixpath.join(folder, "_rels", base + ".rels")
    try:
        root = ElementTree.fromstring(zf.read(path))
    except (KeyError, ElementTree.ParseError):
        return {}
    out = {}
    for rel in root:
        target = rel.get("Target", "")
        absolute = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        out[rel.get("Id", "")] = (rel.get("Type", ""), absolute)
    return out


def _percent_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in code


# Any cell, from its opening tag: (column letters, row, attributes, end, body).
_CELL = re.compile(
    rb'<(?:[\w.-]+:)?c\b(?=[^>]*?\br="([A-Z]{1,3})(\d+)")([^>]*?)(/>|>(.*?)</(?:[\w.-]+:)?c>)', re.S
)
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\b")
_LOOK_BACK = 4096  # bytes before a formula searched for its cell's opening tag (a tag is far shorter)


_STYLE_ATTR = re.compile(rb'\bs="(\d+)"')
_TYPE_ATTR = re.compile(rb'\bt="(\w+)"')
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_CACHED = re.compile(rb"<(?:[\w.-]+:)?v>([^<]+)</")


@dataclass(frozen=True)
class CellFacts:
    percent_format: bool
    formula_without_value: bool
    error: str | None = None  # the error a formula gave ('#DIV/0!', '#N/A'), as the file caches it


def scan_columns(data: bytes, sheet_name: str, letters: list[str]) -> dict[str, dict[int, CellFacts]]:
    """{column letter: {Excel row: facts}} for the cells of some columns of one sheet, read from the raw XML.

    Only cells with something to report (a % format, a formula without a result, an error) are returned.
    """
    zf = zipfile.ZipFile(io.BytesIO(data))
    root_rels = _rels(zf, "")
    workbook = next((t for ty, t in root_rels.values() if ty.endswith(_MAIN_REL)), "xl/workbook.xml")
    wb_rels = _rels(zf, workbook)
    wb_root = ElementTree.fromstring(zf.read(workbook))
    rid = None
    for el in wb_root.iter():
        if _local(el.tag) == "sheet" and el.get("name") == sheet_name:
            rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
    if rid is None or rid not in wb_rels:
        return {letter: {} for letter in letters}
    sheet_xml = zf.read(wb_rels[rid][1])
    percent_styles = _percent_styles(zf, wb_rels)
    out: dict[str, dict[int, CellFacts]] = {letter: {} for letter in letters}
    for start in _candidate_cells(sheet_xml, percent_styles):
        match = _CELL.match(sheet_xml, start)
        if match is None:
            continue
        facts = out.get(match.group(1).decode())
        if facts is None:
            continue
        attrs, body = match.group(3), match.group(5) or b""
        style = _STYLE_ATTR.search(attrs)
        percent = style is not None and int(style.group(1)) in percent_styles
        has_formula = _FORMULA.search(body) is not None
        cell_type = _TYPE_ATTR.search(attrs)
        cached = (
            _CACHED.search(body) is not None
            or b"<is>" in body
            or (cell_type is not None and cell_type.group(1) == b"str")
        )
        error = None
        if cell_type is not None and cell_type.group(1) == b"e":
            cached_error = _CACHED.search(body)
            error = cached_error.group(1).decode("utf-8", "replace").strip() if cached_error else "#ERROR"
            if b"#REF!" in body:  # LibreOffice caches #VALUE! for a formula whose reference was deleted
                error = "#REF!"
        unfinished = has_formula and not cached and error is None
        if percent or unfinished or error:
            facts[int(match.group(2))] = CellFacts(percent, unfinished, error)
    return out


def _candidate_cells(sheet_xml: bytes, percent_styles: set[int]) -> list[int]:
    """Where the cells that may have something to report open: a %-style or an error type in the tag, or
    a formula inside. Every other cell is skipped in C: walking each cell of a 10 000-row sheet in Python
    was a third of the reader's time (docs/performance.md)."""
    styles = b"|".join(b"%d" % i for i in sorted(percent_styles))
    marks = re.compile(rb't="e"' + (rb'|s="(?:' + styles + rb')"' if styles else b""))
    starts = set()
    for mark in marks.finditer(sheet_xml):
        at = mark.start()
        if at and (sheet_xml[at - 1 : at].isalnum() or sheet_xml[at - 1 : at] == b"_"):
            continue  # part of a longer attribute name (the scan reads `\bs=` and `\bt=`)
        starts.add(sheet_xml.rfind(b"<", 0, at))  # an attribute holds no “<”: this opens its tag
    # A formula tag is “<f” or “<prefix:f”: a sheet with neither has none, and the tag search is skipped.
    formulas = _FORMULA.finditer(sheet_xml) if b"<f" in sheet_xml or b":f" in sheet_xml else ()
    for formula in formulas:
        at = formula.start()
        low = max(0, at - _LOOK_BACK)
        opened = None
        while opened is None:
            opened = next(reversed([m.start() for m in _CELL_START.finditer(sheet_xml, low, at)]), None)
            if low == 0:
                break
            low = max(0, low - _LOOK_BACK)
        if opened is not None:
            starts.add(opened)
    starts.discard(-1)
    return sorted(starts)


def _percent_styles(zf: zipfile.ZipFile, wb_rels: dict[str, tuple[str, str]]) -> set[int]:
    styles_part = next((t for ty, t in wb_rels.values() if ty.endswith("/styles")), None)
    if styles_part is None:
        return set()
    try:
        root = ElementTree.fromstring(zf.read(styles_part))
    except (KeyError, ElementTree.ParseError):
        return set()
    percent_formats = {9, 10}
    for el in root.iter():
        if _local(el.tag) == "numFmt" and _percent_code(el.get("formatCode", "")):
            percent_formats.add(int(el.get("numFmtId", "-1")))
    out = set()
    for el in root.iter():
        if _local(el.tag) == "cellXfs":
            for index, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                if int(xf.get("numFmtId", "0")) in percent_formats:
                    out.add(index)
    return out
