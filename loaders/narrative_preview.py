"""The preview's word on narratives: which texts a file adds, and which red values come without a why.

A value that makes a target at risk, off track or not met needs an assessment and a cause for the period,
in the file or already stored. Without them the preview warns (column “Cảnh báo”); it never refuses:
the secretariat may still accept, and the reporting cycle counts the target as incomplete.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from loaders import narratives
from metrics.narratives import INDICATOR, makes_red, missing_words

WARNING_COLUMN = "warning"


def _present_fields(
    con: duckdb.DuckDBPyConnection, incoming: pd.DataFrame, period: str
) -> dict[str, set[str]]:
    """{indicator_id: fields with a text for the period}, from the file and from what is stored."""
    out: dict[str, set[str]] = {}
    for r in incoming.to_dict("records"):
        if r["subject_kind"] == INDICATOR:
            out.setdefault(r["subject_id"], set()).add(r["field"])
    stored = narratives.latest(con, INDICATOR)
    for r in stored[stored["period"] == period].to_dict("records"):
        out.setdefault(r["subject_id"], set()).add(r["field"])
    return out


def flag(
    con: duckdb.DuckDBPyConnection, table: pd.DataFrame, incoming: pd.DataFrame, period: str
) -> pd.DataFrame:
    """The preview table with a column `warning`: 'Thiếu Đánh giá, Nguyên nhân' on red rows lacking them."""
    if "status" not in table.columns or table.empty:
        return table
    present = _present_fields(con, incoming, period)
    statuses = table["status"].tolist()
    red = {s: makes_red(s) for s in set(statuses)}  # a few distinct wordings across 10 000 rows
    table[WARNING_COLUMN] = [
        missing_words(present.get(i, set())) if red[s] else ""
        for i, s in zip(table["indicator_id"].tolist(), statuses, strict=True)
    ]
    return table


def warning_count(table: pd.DataFrame) -> int:
    return int((table[WARNING_COLUMN] != "").sum()) if WARNING_COLUMN in table.columns else 0


def warning_sentence(table: pd.DataFrame) -> str:
    n = warning_count(table)
    if not n:
        return ""
    return (
        f" Cảnh báo: {n} chỉ tiêu có nguy cơ, chậm tiến độ hoặc không đạt chưa có đánh giá và nguyên nhân "
        "(vẫn có thể ghi; kỳ báo cáo sẽ tính là chưa đầy đủ)."
    )
