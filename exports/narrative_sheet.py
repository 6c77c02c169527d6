"""The periodic report's sheet "Khó khăn, kiến nghị": what each agency reported for the period (issue 16).

Decree 09/2019/NĐ-CP asks every periodic report for its difficulties and proposals; this sheet lays them out
by agency, ready to paste into the province's report. The texts are people's: the report saves every string
cell as text (loaders/xlsx_text.py), so a text beginning with "=" is never run.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from loaders import export_reads
from loaders import narratives as store
from metrics.narratives import AGENCY, AGENCY_FIELDS
from metrics.periods import quarter_label_vi

SHEET = "Khó khăn, kiến nghị"
COLUMNS = (
    ("STT", 6),
    ("Cơ quan", 36),
    (AGENCY_FIELDS["difficulties"], 70),
    (AGENCY_FIELDS["proposals"], 70),
    ("Người ghi", 20),
    ("Ngày ghi", 14),
)


def none_words(period: str) -> str:
    return f"Chưa có cơ quan nào báo cáo khó khăn, kiến nghị cho {quarter_label_vi(period)}."


def records(con: duckdb.DuckDBPyConnection, period: str, agency: str | None = None) -> list[list[object]]:
    """One row per agency with a text for the period, by agency name; one row saying so when there is none."""
    latest = store.latest(con, AGENCY)
    mine = latest[latest["period"] == period] if not latest.empty else latest
    if agency is not None and not mine.empty:
        mine = mine[mine["subject_id"] == agency]
    if mine.empty:
        return [[None, none_words(period), None, None, None, None]]
    rows = []
    for agency_id, part in mine.groupby("subject_id"):
        texts = dict(zip(part["field"], part["text"], strict=True))
        newest = part.sort_values("recorded_at").iloc[-1]
        rows.append(
            [
                export_reads.agency_name(con, agency_id) or agency_id,
                texts.get("difficulties"),
                texts.get("proposals"),
                ", ".join(dict.fromkeys(part["recorded_by"])),
                pd.Timestamp(newest["recorded_at"]).to_pydatetime(),
            ]
        )
    rows.sort(key=lambda r: str(r[0]))
    return [[i, *r] for i, r in enumerate(rows, start=1)]
