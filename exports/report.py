"""The periodic report to the Steering Committee as an Excel workbook: per target and per task, as of a period.

Monthly, Q1, 6-month, 9-month and yearly reports share one shape: a cover sheet (period, data date,
plans cited), the targets (target, latest actual, status, evidence), the tasks (status, evidence)
and the roll-up per lead agency. Every text cell is neutralised against formula injection.
"""

from __future__ import annotations

import io
import math
import re
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from charts.agencies import agency_rollup
from charts.common import slug
from charts.vn import excel_number_format, target_label, unit_decimals
from exports import labels, narrative_sheet
from exports.briefing import TILE_COLOURS
from exports.report_kinds import report_title, resolve_kind
from exports.reporting_slide import reporting_sheet
from exports.tasks import task_table
from loaders import export_reads, read, xlsx_text
from metrics import clock
from metrics.periods import period_index, quarter_label_vi
from metrics.status import working_sentence
from metrics.status_labels import status_label
from metrics.summary import TILES, tile_counts

TARGET_SHEET, TASK_SHEET, AGENCY_SHEET, COVER_SHEET = (
    "Chỉ tiêu",
    "Nhiệm vụ",
    "Theo cơ quan",
    "Thông tin chung",
)
HEADER_ROW = 4  # rows 1–2: title and period (and the demo mark); the table starts at row 4
HEADER_FILL, DEMO_COLOUR = "2F4B66", "D55E00"


def cell(value: object) -> object:
    """A value safe in a cell: no formula, no character Excel refuses, no NaN; timestamps as datetimes."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, str):  # written as text by xlsx_text.as_text before saving: nothing added
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _natural(text: str) -> tuple:
    """'6.10' after '6.9', 'T010' after 'T009': row references sorted as people number them."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", str(text)))


def target_rows(con: duckdb.DuckDBPyConnection, period: str, agency: str | None = None) -> pd.DataFrame:
    """One row per target: v_targets, target_status(period) and the source and evidence of the value used."""
    rows = read.target_status(con, period, None, None, None, agency)
    details = export_reads.actual_details(con)
    details.columns = ["indicator_id", "actual_period", *(f"actual_{c}" for c in details.columns[2:])]
    rows = rows.merge(details, on=["indicator_id", "actual_period"], how="left", validate="many_to_one")
    rows["_plan"] = rows["plan_period"].map(period_index)
    rows["_row"] = rows["target_id"].map(_natural)
    return (
        rows.sort_values(["_plan", "plan_id", "_row"]).drop(columns=["_plan", "_row"]).reset_index(drop=True)
    )


TARGET_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Mã chỉ tiêu", 16),
    ("Kế hoạch", 20),
    ("Trích dẫn", 36),
    ("Mốc", 12),
    ("Chỉ tiêu", 44),
    ("Nguyên văn chỉ tiêu", 50),
    ("Mức chỉ tiêu", 18),
    ("Đơn vị tính", 14),
    ("Cơ quan chủ trì", 28),
    ("Số liệu thực hiện mới nhất", 16),
    ("Kỳ số liệu", 14),
    ("Mức cần đạt ở kỳ báo cáo", 16),
    ("Trạng thái", 20),
    ("Diễn giải", 60),
    ("Nguồn số liệu", 32),
    ("Minh chứng", 36),
    ("Ghi chú", 32),
)
TASK_COLUMNS: tuple[tuple[str, float], ...] = (
    ("STT", 6),
    ("Mã nhiệm vụ", 16),
    ("Kế hoạch", 20),
    ("Trích dẫn", 36),
    ("Mục", 28),
    ("Nhiệm vụ", 70),
    ("Cơ quan chủ trì", 28),
    ("Cơ quan phối hợp", 32),
    ("Kết quả dự kiến", 36),
    ("Thời hạn (như kế hoạch ghi)", 22),
    ("Hạn (suy ra)", 13),
    ("Tình trạng (cơ quan báo cáo)", 22),
    ("Kỳ cập nhật", 14),
    ("Đánh giá thời hạn", 24),
    ("Số ngày quá hạn", 12),
    ("Minh chứng", 36),
    ("Ghi chú", 40),
)


class Number(NamedTuple):
    """A number written with its cell format: one format per unit in a column (issue 17)."""

    value: float | None
    number_format: str


def _number(value, digits: int) -> Number | None:
    if value is None or pd.isna(value):
        return None
    return Number(round(float(value), digits), excel_number_format(digits))


def _target_record(i: int, r: pd.Series, digits: dict[str, int]) -> list[object]:
    manual = r["status"] == "manual"
    places = digits.get(r["unit"] or "", 1)
    actual = r["manual_result"] if manual else _number(r["actual_value"], places)
    return [
        i,
        r["target_id"],
        r["plan_name"],
        r["source_ref"],
        labels.horizon_label(r["horizon"]),
        r["indicator_name"],
        r["wording_restored"] if isinstance(r["wording_restored"], str) else r["target_text"],
        target_label(r),
        r["unit"],
        r["lead_agency"],
        actual,
        quarter_label_vi(r["actual_period"]) if isinstance(r["actual_period"], str) else None,
        None if manual else _number(r["required_value"], places),
        status_label(r["status"]),
        working_sentence(r, r["unit"]),
        r["actual_source"],
        r["actual_evidence"],
        r["actual_note"],
    ]


def _task_record(i: int, t: pd.Series) -> list[object]:
    due = t["due_date"]
    return [
        i,
        t["task_id"],
        t["plan_name"],
        t["source_ref"],
        " ".join(x for x in (t["section"], t["section_title"]) if isinstance(x, str)),
        t["title"],
        t["lead_agency"],
        t["coordinating_agencies"],
        t["expected_output"],
        t["deadline_text"],
        None if due is None or pd.isna(due) else pd.Timestamp(due).to_pydatetime(),
        t["status_label"],
        quarter_label_vi(t["update_period"]) if isinstance(t.get("update_period"), str) else None,
        t["timing_label"],
        None if t["days_late"] is None or pd.isna(t["days_late"]) else int(t["days_late"]),
        t["evidence"],
        t["note"],
    ]


def _sheet(wb: Workbook, title: str, heading: str, subtitle: str, demo: bool, columns, records) -> None:
    ws = wb.create_sheet(title)
    ws["A1"] = cell(heading)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = cell(subtitle)
    ws["A2"].font = Font(italic=True, color="555555")
    if demo:
        ws["A3"] = cell(labels.DEMO_LONG.upper())
        ws["A3"].font = Font(bold=True, color=DEMO_COLOUR)
    for c, (name, width) in enumerate(columns, start=1):
        head = ws.cell(row=HEADER_ROW, column=c, value=cell(name))
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = PatternFill("solid", fgColor=HEADER_FILL)
        head.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, record in enumerate(records, start=HEADER_ROW + 1):
        for c, value in enumerate(record, start=1):
            number_format = value.number_format if isinstance(value, Number) else None
            value = value.value if isinstance(value, Number) else value
            target = ws.cell(row=r, column=c, value=cell(value))
            target.alignment = wrap
            if number_format:
                target.number_format = number_format
            if isinstance(value, datetime):
                target.number_format = "dd/mm/yyyy"
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=3)
    last = get_column_letter(len(columns))
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(records), 1)}"


def print_setup(wb: Workbook, footer: str) -> None:
    """Every sheet prints on A4 landscape, as wide as one page, with its column heads on every page and
    the period and page number in the footer: unset, LibreOffice printed the report on 47 pages."""
    for ws in wb.worksheets:
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        if ws.title != COVER_SHEET and ws.max_row >= HEADER_ROW:
            ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
        ws.oddFooter.left.text = cell(footer)
        ws.oddFooter.left.size = 9
        ws.oddFooter.right.text = "Trang &P/&N"
        ws.oddFooter.right.size = 9
        ws.evenFooter.left.text, ws.evenFooter.right.text = ws.oddFooter.left.text, ws.oddFooter.right.text


def _cover(
    wb: Workbook, title: str, lines: list[tuple[str, object]], tiles, plans: pd.DataFrame, demo: bool
) -> None:
    ws = wb.active
    ws.title = COVER_SHEET
    ws["A1"] = cell(title)
    ws["A1"].font = Font(bold=True, size=15)
    row = 3
    for key, value in lines:
        ws.cell(row=row, column=1, value=cell(key)).font = Font(bold=True)
        target = ws.cell(row=row, column=2, value=cell(value))
        target.alignment = Alignment(wrap_text=True, vertical="top")
        if isinstance(value, datetime):
            target.number_format = "dd/mm/yyyy"
        if demo and key == "Dữ liệu":
            target.font = Font(bold=True, color=DEMO_COLOUR)
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="Trạng thái các chỉ tiêu").font = Font(bold=True, size=12)
    row += 1
    for label, count in tiles:
        ws.cell(row=row, column=1, value=cell(label)).fill = PatternFill(
            "solid", fgColor=TILE_COLOURS[label].lstrip("#")
        )
        ws.cell(row=row, column=1).font = Font(
            bold=True, color="FFFFFF" if label != "Chưa có số liệu" else "222222"
        )
        ws.cell(row=row, column=2, value=count)
        row += 1
    row += 1
    ws.cell(row=row, column=1, value="Các kế hoạch được trích dẫn").font = Font(bold=True, size=12)
    row += 1
    heads = (
        "Kế hoạch",
        "Số hiệu",
        "Ngày ban hành",
        "Cơ quan ban hành",
        "Trích yếu",
        "Mốc chỉ tiêu",
        "Tệp nguồn",
    )
    for c, name in enumerate(heads, start=1):
        head = ws.cell(row=row, column=c, value=name)
        head.font = Font(bold=True, color="FFFFFF")
        head.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for _, p in plans.iterrows():
        row += 1
        values = (
            p["short_name"],
            p["number"],
            p["doc_date_text"],
            p["issuer"],
            p["title"],
            p["horizons"],
            p["source_file"],
        )
        for c, value in enumerate(values, start=1):
            ws.cell(row=row, column=c, value=cell(value)).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    for letter, width in zip("ABCDEFG", (30, 60, 16, 34, 80, 16, 26), strict=True):
        ws.column_dimensions[letter].width = width


def report_workbook(
    con: duckdb.DuckDBPyConnection,
    period: str,
    kind: str | None = None,
    *,
    agency: str | None = None,
    month: int | None = None,
    today: date | None = None,
) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the report for a period; kind as in REPORT_KINDS or an alias ('q3')."""
    chosen = resolve_kind(kind, period)
    title = report_title(chosen, period, month)
    today = today or clock.today()
    quarter = quarter_label_vi(period)
    demo, updated = export_reads.is_demo(con), read.data_date(con)
    agency_name = (export_reads.agency_name(con, agency) or agency) if agency else None
    scope = agency_name or labels.ALL_AGENCIES
    targets = target_rows(con, period, agency)
    tasks = task_table(con, period, agency, today)
    plans = read.plans(con)
    plans = plans[plans["plan_id"].isin(set(targets["plan_id"]) | set(tasks["plan_id"]))]
    limits = export_reads.thresholds(con)
    heading = f"{title} — kết quả thực hiện {labels.RESOLUTION}, tỉnh Lai Châu"
    subtitle = (
        f"Số liệu đến {quarter} · {scope} · cập nhật {updated:%d/%m/%Y}"
        if updated
        else f"Số liệu đến {quarter} · {scope}"
    )

    wb = Workbook()
    wb.properties.title = heading
    wb.properties.creator = labels.APP
    _cover(
        wb,
        heading,
        [
            ("Loại báo cáo", title),
            ("Số liệu tính đến", quarter + (" (số liệu theo quý)" if chosen.code == "month" else "")),
            ("Ngày cập nhật số liệu", updated),
            ("Ngày lập", datetime.combine(today, datetime.min.time())),
            ("Cơ quan chủ trì", scope),
            ("Dữ liệu", labels.DEMO_LONG if demo else "Số liệu công bố và số liệu các cơ quan báo cáo."),
            (
                "Phương pháp",
                labels.method_note(limits),
            ),
            ("Số chỉ tiêu / nhiệm vụ", f"{len(targets)} chỉ tiêu, {len(tasks)} nhiệm vụ"),
        ],
        [(t.label, n) for t, n in tile_counts(targets["status"])],
        plans,
        demo,
    )
    numeric = targets["status"] != "manual"
    digits = unit_decimals(
        [*targets["actual_value"].where(numeric), *targets["required_value"].where(numeric)],
        [*targets["unit"], *targets["unit"]],
    )
    target_records = [_target_record(i, r, digits) for i, (_, r) in enumerate(targets.iterrows(), start=1)]
    _sheet(wb, TARGET_SHEET, f"{title}: các chỉ tiêu", subtitle, demo, TARGET_COLUMNS, target_records)
    task_note = (
        "" if tasks.attrs.get("has_status") else " · chưa có số liệu tình trạng: cột Tình trạng theo thời hạn"
    )
    task_records = [_task_record(i, t) for i, (_, t) in enumerate(tasks.iterrows(), start=1)]
    _sheet(wb, TASK_SHEET, f"{title}: các nhiệm vụ", subtitle + task_note, demo, TASK_COLUMNS, task_records)
    rollup = agency_rollup(targets, read.target_agencies(con), agency)
    agency_columns = (
        ("Cơ quan chủ trì", 40),
        ("Số chỉ tiêu", 12),
        *((t.label, 14) for t in TILES),
        ("Tỷ lệ đạt hoặc đúng tiến độ (%)", 18),
    )
    agency_records = []
    for _, a in rollup.sort_values("agency_name").iterrows():
        counts = [int(sum(a[f"n_{s}"] for s in t.statuses)) for t in TILES]
        share = a["share_met_or_on_track"]
        agency_records.append(
            [
                a["agency_name"],
                int(a["n_targets"]),
                *counts,
                None if pd.isna(share) else round(100 * share, 1),
            ]
        )
    _sheet(wb, AGENCY_SHEET, f"{title}: theo cơ quan chủ trì", subtitle, demo, agency_columns, agency_records)
    sheet, heading_r, subtitle_r, columns_r, records_r = reporting_sheet(con, period, today)  # (#15)
    _sheet(wb, sheet, heading_r, subtitle_r, demo, columns_r, records_r)
    notes = narrative_sheet.records(con, period, agency)
    _sheet(
        wb,
        narrative_sheet.SHEET,
        f"{title}: khó khăn, kiến nghị",
        subtitle,
        demo,
        narrative_sheet.COLUMNS,
        notes,
    )

    print_setup(wb, f"{title} · số liệu đến {quarter}" + (f" · {scope}" if agency else ""))
    buffer = io.BytesIO()
    xlsx_text.as_text(wb).save(buffer)  # uploaded text is text: never run, nothing added to it
    name = slug(f"nq57 {title} {period} {agency or ''}") + ".xlsx"
    return name, buffer.getvalue()


def build_report(
    con: duckdb.DuckDBPyConnection,
    period: str,
    kind: str | None = None,
    out_dir: str | Path = "out",
    *,
    agency: str | None = None,
    month: int | None = None,
    today: date | None = None,
) -> Path:
    """Write the report into out_dir and return its path."""
    name, data = report_workbook(con, period, kind, agency=agency, month=month, today=today)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    path.write_bytes(data)
    return path
