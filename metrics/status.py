"""The working of a status row in Vietnamese words, for pages, tables and exports.

Statuses themselves come from the DuckDB macro target_status(as_of) (loaders/sql/status.sql); the pandas
reference of the same rules is metrics/status_reference.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from metrics.periods import quarter_label_vi
from metrics.status_labels import format_number, format_quantity, status_label
from metrics.status_path import is_missing


def _get(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key)
    return None if is_missing(value) else value


def rho_words(rho: float) -> str:
    """ρ as a share of the way: 1.46 -> 'đi được 146% quãng đường cần đi đến kỳ này'."""
    return f"đi được {format_number(rho * 100, 0)}% quãng đường cần đi đến kỳ này"


def working_sentence(row: Mapping[str, Any], unit: str) -> str:
    """The working of one status row in Vietnamese, e.g.
    'Cần đạt 62,0% vào Quý III/2026; thực hiện 55,4% (đi được 71% quãng đường cần đi đến kỳ này) → có nguy cơ'.

    ρ is said in words a leader reads, never as the symbol (issue 17)."""
    status, rule, as_of = row["status"], _get(row, "rule"), row["as_of"]
    verdict = status_label(status).lower()
    actual, actual_period = _get(row, "actual_value"), _get(row, "actual_period")
    required, rho = _get(row, "required_value"), _get(row, "rho")
    projected, shortfall = _get(row, "projected_value"), _get(row, "shortfall")
    next_due = _get(row, "next_due_period")
    # a value of an earlier period still in force: the target is judged as of that period
    in_force = status not in ("not_reported",) and actual_period is not None and actual_period != as_of

    def q(value: float) -> str:
        return format_quantity(value, unit)

    def actual_text(rho_too: bool = False) -> str:
        notes = [] if actual_period == as_of else [f"số liệu {quarter_label_vi(actual_period)}"]
        if rho_too and rho is not None:
            notes.append(rho_words(rho))
        return f"thực hiện {q(actual)}" + (f" ({'; '.join(notes)})" if notes else "")

    if status == "manual":
        result = _get(row, "manual_result")
        if result is None:
            return "Đánh giá thủ công: chưa có kết quả"
        by = _get(row, "manual_recorded_by")
        when = f", {quarter_label_vi(actual_period)}" if actual_period else ""
        return f"Đánh giá thủ công: {result}" + (f" ({by}{when})" if by else "")
    if status == "no_data":
        if rule == "context_only":
            return (
                "Chỉ có số liệu tham khảo khác định nghĩa chỉ tiêu, không dùng để đánh giá → chưa có số liệu"
            )
        if rule == "due_passed_no_actual":
            return "Không có số liệu thực hiện đến hạn chỉ tiêu → chưa có số liệu"
        return f"Chưa có số liệu thực hiện đến {quarter_label_vi(as_of)} → chưa có số liệu"
    if status in ("met", "not_met"):
        text = (
            f"Chỉ tiêu {q(required)}; thực hiện {q(actual)} ({quarter_label_vi(actual_period)}) → {verdict}"
        )
        if rule == "due_passed_beyond_range":
            return text + " (vượt)"
        if rule == "due_passed_not_rising":
            return text + " (số liệu không tăng so với kỳ trước)"
        if status == "not_met" and shortfall:
            return text + f", còn thiếu {q(shortfall)}"
        return text
    if status == "met_early":
        suffix = " (vượt)" if rule == "met_early_beyond_range" else ""
        said = actual_text()
        text = f"{said[0].upper()}{said[1:]}, đã đạt mức chỉ tiêu → {verdict}{suffix}"
        return text + (f"; số liệu tiếp theo: {quarter_label_vi(next_due)}" if in_force and next_due else "")
    if status == "insufficient_data":
        if rule == "no_baseline":
            return f"Chưa có số liệu gốc từ kỳ ban hành kế hoạch; {actual_text()} → {verdict}"
        return f"Mới có một số liệu: {actual_text()[len('thực hiện ') :]} → {verdict}"

    # ahead of the due period: on_track, at_risk, off_track, not_reported
    parts = []
    if required is not None:
        parts.append(f"Cần đạt {q(required)} vào {quarter_label_vi(actual_period if in_force else as_of)}")
    parts.append(f"{actual_text(rho_too=True)} → {verdict}")
    text = "; ".join(parts)
    text = text[0].upper() + text[1:]
    if projected is not None:
        text += f"; dự báo đến hạn: {q(projected)}"
    if status == "not_reported" and next_due:
        text += f"; chưa có số liệu {quarter_label_vi(next_due)}"
    elif in_force and next_due:
        text += f"; số liệu tiếp theo: {quarter_label_vi(next_due)}"
    return text
