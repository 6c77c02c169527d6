"""Tình hình báo cáo in the exports: per agency, owed / received / on time / late / missing / accepted for the
period, as a slide of the briefing pack and as a sheet of the periodic report (the same rows for both)."""

from __future__ import annotations

from datetime import date

import duckdb

from exports.briefing import Slide, Table
from loaders import reporting
from loaders.reporting import classified
from metrics.periods import quarter_label_vi
from metrics.reporting import agency_summary

TITLE = "Tình hình báo cáo"
SHEET = "Tình hình báo cáo"
COLUMNS = ("Cơ quan", "Phải báo cáo", "Đã nhận", "Đúng hạn", "Gửi muộn", "Chưa gửi, quá hạn", "Đã duyệt")
_COUNTS = ("n_owed", "n_received", "n_on_time", "n_late", "n_missing", "n_accepted")
WIDTHS = (3.2, 1, 1, 1, 1, 1.2, 1)


def reporting_rows(con: duckdb.DuckDBPyConnection, period: str, today: date) -> list[list]:
    """One row per agency owing something for the period, most overdue first (metrics.reporting)."""
    try:
        summary = agency_summary(classified(con, today, period))
    except duckdb.CatalogException:  # a database without the reporting views (an old test file)
        return []
    return [[r["agency_name"], *(int(r[c]) for c in _COUNTS)] for r in summary.to_dict("records")]


def _subtitle(con, period: str, today: date) -> str:
    deadline = reporting.agency_deadline(con, period)
    due = f" · hạn gửi {deadline:%d/%m/%Y}" if deadline else ""
    return f"Kỳ {quarter_label_vi(period)}{due} · tính đến {today:%d/%m/%Y}"


def reporting_slide(con: duckdb.DuckDBPyConnection, period: str, today: date) -> Slide:
    """The pack's slide: the table per agency, or a sentence when nothing is owed that period."""
    rows = reporting_rows(con, period, today)
    if not rows:
        return Slide(
            TITLE, f"Kỳ {quarter_label_vi(period)}", paragraphs=["Không có cơ quan nào phải báo cáo kỳ này."]
        )
    table = Table(COLUMNS, [[str(v) for v in r] for r in rows], WIDTHS)
    return Slide(TITLE, _subtitle(con, period, today), table=table)


def reporting_sheet(con: duckdb.DuckDBPyConnection, period: str, today: date):
    """(sheet title, heading, subtitle, columns with widths, records) for the report's sheet writer."""
    columns = tuple((c, 40 if i == 0 else 14) for i, c in enumerate(COLUMNS))
    return (
        SHEET,
        f"{TITLE} kỳ {quarter_label_vi(period)}",
        _subtitle(con, period, today),
        columns,
        reporting_rows(con, period, today),
    )
