"""Text cells written as text: nothing evaluated, nothing visible added (no leading apostrophe).

openpyxl stores a string that starts with "=" as a formula. Here such cells get data_type "s" (an inline
or shared string) and the quotePrefix style, which is how Excel itself marks "this is text" without
changing what is shown; a note "- đã xong" stays exactly that.
"""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell
from openpyxl.workbook import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _mark(cell) -> None:
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell


def text_row(ws, values: Iterable[object]) -> list[object]:
    """A row for a write-only sheet's append(): strings become text cells, other values pass unchanged."""
    out: list[object] = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=value)
            _mark(cell)
            out.append(cell)
        else:
            out.append(value)
    return out


def as_text(wb: Workbook) -> Workbook:
    """Every string cell of a workbook (not write-only) as text; call just before saving an export."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                _mark(cell)
    return wb
