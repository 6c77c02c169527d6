"""Runs under Debian's /usr/bin/python3 (python3-uno): edits workbooks in a running headless LibreOffice Calc.

Usage: /usr/bin/python3 lo_uno.py PORT SPEC.json. The spec is a list of operations, applied in order, the way
an agency's staff would work in Calc: open a file, type into cells (through FormulaLocal, parsed in the
profile's locale exactly as keystrokes are), rename, remove or sort, and save in a given format. It prints a
JSON line with what it read back where asked. Kept free of the project's imports: it runs in another Python.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.table import TableSortField


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect(port, seconds=60.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + seconds
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except Exception:  # NoConnectException until soffice listens
            if time.monotonic() > deadline:
                raise
            time.sleep(0.25)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def url_of(path):
    return uno.systemPathToFileUrl(path)


def sheet_of(doc, name):
    sheets = doc.Sheets
    if isinstance(name, int):
        return sheets.getByIndex(name)
    return sheets.getByName(name)


def apply(desktop, ops):
    doc = None
    out = []
    for op in ops:
        kind = op["op"]
        if kind == "open":
            doc = desktop.loadComponentFromURL(url_of(op["path"]), "_blank", 0, (prop("Hidden", True),))
        elif kind == "new":
            doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
        elif kind == "type":  # keystrokes into one cell, parsed in the locale of the profile
            sheet = sheet_of(doc, op["sheet"])
            sheet.getCellRangeByName(op["cell"]).FormulaLocal = op["text"]
        elif kind == "value":  # a number pasted as a value (paste-special values from another workbook)
            sheet_of(doc, op["sheet"]).getCellRangeByName(op["cell"]).Value = op["number"]
        elif kind == "format":  # number format code in the locale (e.g. "0%", "@" for text, "DD/MM/YYYY")
            cell = sheet_of(doc, op["sheet"]).getCellRangeByName(op["cell"])
            formats = doc.NumberFormats
            locale = uno.createUnoStruct("com.sun.star.lang.Locale")
            key = formats.queryKey(op["code"], locale, False)
            if key == -1:
                key = formats.addNew(op["code"], locale)
            cell.NumberFormat = key
        elif kind == "read":
            cell = sheet_of(doc, op["sheet"]).getCellRangeByName(op["cell"])
            out.append(
                {"cell": op["cell"], "string": cell.String, "value": cell.Value, "formula": cell.Formula}
            )
        elif kind == "unprotect":
            sheet_of(doc, op["sheet"]).unprotect(op.get("password", ""))
        elif kind == "rename":
            sheet_of(doc, op["sheet"]).Name = op["to"]
        elif kind == "remove_sheet":
            doc.Sheets.removeByName(op["sheet"])
        elif kind == "delete_columns":
            sheet_of(doc, op["sheet"]).Columns.removeByIndex(op["index"], op.get("count", 1))
        elif kind == "delete_rows":
            sheet_of(doc, op["sheet"]).Rows.removeByIndex(op["index"], op.get("count", 1))
        elif kind == "sort":  # sort a block by one of its columns (0-based within the block)
            block = sheet_of(doc, op["sheet"]).getCellRangeByName(op["range"])
            field = TableSortField()
            field.Field = op["column"]
            field.IsAscending = op.get("ascending", True)
            desc = block.createSortDescriptor()
            for p in desc:
                if p.Name == "SortFields":
                    p.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
                elif p.Name == "ContainsHeader":
                    p.Value = op.get("header", False)
            block.sort(desc)
        elif kind == "save":
            filters = {
                "xlsx": "Calc Office Open XML",
                "ods": "calc8",
                "xls": "MS Excel 97",
                "csv": "Text - txt - csv (StarCalc)",
            }
            doc.storeToURL(
                url_of(op["path"]),
                (prop("FilterName", filters[op.get("format", "xlsx")]), prop("Overwrite", True)),
            )
        elif kind == "close":
            doc.close(True)
            doc = None
        else:
            raise ValueError(f"unknown operation {kind!r}")
    if doc is not None:
        doc.close(True)
    return out


def main():
    port, spec = int(sys.argv[1]), sys.argv[2]
    with open(spec, encoding="utf-8") as f:
        ops = json.load(f)
    desktop = connect(port)
    print(json.dumps(apply(desktop, ops), ensure_ascii=False))


if __name__ == "__main__":
    main()
