"""Workbook XML parsed safely: no DTD, no entity expansion ("billion laughs"), no external entities.

A workbook Excel writes never carries a DTD, so any member that declares one is refused before a parser
sees it; what the reader parses itself goes through defusedxml (openpyxl uses it too once installed).
"""

from __future__ import annotations

import re
import zipfile

from defusedxml import ElementTree  # noqa: F401  (re-exported: the reader parses through it)

_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.I)
_SCAN_BYTES = 1 << 16  # a DTD comes before the root element: the head of each part is enough


def dtd_member(zf: zipfile.ZipFile) -> str | None:
    """The name of the first XML part that declares a DTD or an entity, else None."""
    for info in zf.infolist():
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        with zf.open(info) as fh:
            head = fh.read(_SCAN_BYTES)
        if _DTD.search(head):
            return info.filename
    return None
