"""The kinds of periodic report (monthly, Q1, 6-month, 9-month, yearly), which period each closes, and its
title. Light on purpose: the export page imports it at start-up, before openpyxl is needed."""

from __future__ import annotations

from dataclasses import dataclass

from metrics.periods import parse_period, quarter_label_vi


@dataclass(frozen=True)
class ReportKind:
    code: str
    quarter: int | None  # the quarter the report closes; None = a month of any quarter
    name: str  # what the Steering Committee calls it


REPORT_KINDS: dict[str, ReportKind] = {
    "month": ReportKind("month", None, "Báo cáo tháng"),
    "q1": ReportKind("q1", 1, "Báo cáo quý I"),
    "6m": ReportKind("6m", 2, "Báo cáo 6 tháng"),
    "9m": ReportKind("9m", 3, "Báo cáo 9 tháng"),
    "year": ReportKind("year", 4, "Báo cáo năm"),
}
KIND_ALIASES = {"q2": "6m", "h1": "6m", "q3": "9m", "q4": "year", "nam": "year", "thang": "month"}
BY_QUARTER = {1: "q1", 2: "6m", 3: "9m", 4: "year"}


def resolve_kind(kind: str | None, period: str) -> ReportKind:
    """'q3' or '9m' for a 2026-Q3 report; None or 'auto' picks the cumulative report the quarter closes."""
    _, quarter = parse_period(period)
    code = BY_QUARTER[quarter] if kind in (None, "", "auto") else KIND_ALIASES.get(kind, kind)
    if code not in REPORT_KINDS:
        choices = ", ".join([*REPORT_KINDS, *KIND_ALIASES])
        raise ValueError(f"Loại báo cáo không hợp lệ: {kind!r} (chọn một trong: {choices})")
    chosen = REPORT_KINDS[code]
    if chosen.quarter is not None and chosen.quarter != quarter:
        raise ValueError(
            f"{chosen.name} cần kỳ báo cáo quý {('I', 'II', 'III', 'IV')[chosen.quarter - 1]} "
            f"(dạng YYYY-Q{chosen.quarter}); đã chọn {quarter_label_vi(period)}."
        )
    return chosen


def months_of(period: str) -> list[int]:
    _, quarter = parse_period(period)
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


def report_title(kind: ReportKind, period: str, month: int | None = None) -> str:
    """'Báo cáo 9 tháng năm 2026', 'Báo cáo tháng 8/2026', 'Báo cáo quý I năm 2026'."""
    year, _ = parse_period(period)
    if kind.code == "month":
        month = month or months_of(period)[-1]
        if month not in months_of(period):
            raise ValueError(f"Tháng {month} không thuộc {quarter_label_vi(period)}.")
        return f"{kind.name} {month}/{year}"
    if kind.code == "6m":
        return f"{kind.name} đầu năm {year}"
    if kind.code == "year":
        return f"{kind.name} {year}"
    return f"{kind.name} năm {year}"
