"""Reminders per agency and period: the công văn đôn đốc (.docx) and a template of only the missing rows."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from loaders import reporting
from loaders.excel.contract import TemplateError
from loaders.excel.template import build_template
from metrics.reminder_text import SECRETARIAT, Reminder, vn_date
from metrics.reporting import ITEM_LABELS, missing_items

DEMO_LINE = "DỮ LIỆU MINH HỌA: văn bản tạo từ số liệu giả định để tập huấn, không gửi đi."


def reminders(con: duckdb.DuckDBPyConnection, period: str, today: date) -> list[Reminder]:
    """One reminder per agency that still owes something for the period, as of today."""
    calendar = reporting.calendar(con)
    row = calendar[calendar["period"].eq(period)]
    if row.empty:
        raise ValueError(f"Kỳ {period} không có trong lịch báo cáo (data/reporting_calendar.csv).")
    cal = row.iloc[0]
    missing = missing_items(reporting.classified(con, today, period), period)
    out = []
    for (agency_id, agency_name), items in missing.groupby(["agency_id", "agency_name"], sort=True):
        out.append(
            Reminder(
                agency_id=agency_id,
                agency_name=agency_name,
                period=period,
                report_name=cal["report_name"],
                cutoff_start=pd.Timestamp(cal["cutoff_start"]).date(),
                cutoff_end=pd.Timestamp(cal["cutoff_end"]).date(),
                agency_deadline=pd.Timestamp(cal["agency_deadline"]).date(),
                province_deadline=pd.Timestamp(cal["province_deadline"]).date(),
                today=today,
                items=tuple(
                    (ITEM_LABELS[r["item_kind"]], r["item_id"], r["item_name"])
                    for r in items.to_dict("records")
                ),
            )
        )
    return out


def is_demo(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT value FROM meta WHERE key = 'dataset'").fetchone()
    return row is not None and row[0] == "demo"


def reminder_docx(reminder: Reminder, demo: bool = False) -> bytes:
    """The letter as Word: heading, addressee, what is missing as a table, a place to sign."""
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = f"UBND TỈNH LAI CHÂU\n{SECRETARIAT.upper()}\nSố:      /SKHCN-VP"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    for cell in head.rows[0].cells:
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if demo:
        doc.add_paragraph().add_run(DEMO_LINE).bold = True
    doc.add_paragraph(reminder.subject).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(f"Lai Châu, ngày {vn_date(reminder.today)}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph().add_run(f"Kính gửi: {reminder.agency_name}").bold = True
    paragraphs = reminder.paragraphs()
    for text in paragraphs[:2]:
        doc.add_paragraph(text)
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("STT", "Loại", "Mã", "Nội dung"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for n, (kind, item_id, name) in enumerate(reminder.items, start=1):
        for cell, text in zip(table.add_row().cells, (str(n), kind, item_id, name), strict=True):
            cell.text = text
    for text in paragraphs[2:]:
        doc.add_paragraph(text)
    doc.add_paragraph("Trân trọng./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.")
    doc.add_paragraph("GIÁM ĐỐC\n(ký, ghi rõ họ tên)").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.core_properties.title = reminder.subject
    doc.core_properties.author = "NQ57 Lai Châu"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def reminder_template(con: duckdb.DuckDBPyConnection, reminder: Reminder) -> bytes | None:
    """The agency's template of only its missing rows; None for a period the template does not take yet."""
    try:
        return build_template(
            con, reminder.period, reminder.agency_id, reminder.today, only={i for _, i, _ in reminder.items}
        )
    except TemplateError:
        return None


def docx_name(reminder: Reminder) -> str:
    return f"cong_van_don_doc_{reminder.period}_{reminder.agency_id}.docx"


def template_name(reminder: Reminder) -> str:
    return f"mau_con_thieu_{reminder.period}_{reminder.agency_id}.xlsx"


def reminder_files(con: duckdb.DuckDBPyConnection, reminder: Reminder, demo: bool) -> dict[str, bytes]:
    """The letter and, where the period takes one, the template of missing rows, by file name."""
    out = {docx_name(reminder): reminder_docx(reminder, demo)}
    xlsx = reminder_template(con, reminder)
    if xlsx is not None:
        out[template_name(reminder)] = xlsx
    return out


def write_reminders(con: duckdb.DuckDBPyConnection, period: str, out_dir: Path, today: date) -> list[Path]:
    """Every agency's letter and template of missing rows into out_dir; the paths written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    demo = is_demo(con)
    written = []
    for reminder in reminders(con, period, today):
        for name, data in reminder_files(con, reminder, demo).items():
            path = out_dir / name
            path.write_bytes(data)
            written.append(path)
    return written
