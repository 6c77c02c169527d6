"""The rows of the status tables, in Vietnamese formats, for the pages and the exported files alike."""

from __future__ import annotations

import pandas as pd

from charts.labels import HORIZON_LABELS, horizon_label, lead_labels
from charts.vn import fmt_number, fmt_value, target_label, unit_decimals
from metrics.periods import quarter_label_vi
from metrics.status import working_sentence
from metrics.status_labels import status_badge, status_order, value_age_text

NO_LEAD = "Chưa xác định"
BRIEF_COLUMNS = ("Chỉ tiêu", "Kế hoạch · mốc", "Mức chỉ tiêu", "Thực hiện", "Trạng thái")
BRIEF_STATUS_COLUMN = 4


def period_text(value) -> str:
    return quarter_label_vi(value) if isinstance(value, str) else "–"


def aged_period_text(period, age) -> str:
    """The value's period and its age beside it: 'Quý IV/2025 (3 quý trước)'."""
    if not isinstance(period, str):
        return "–"
    age_text = value_age_text(None if pd.isna(age) else int(age))
    return f"{quarter_label_vi(period)} ({age_text})" if age_text else quarter_label_vi(period)


def no_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Empty text cells as "", never "None"/"nan" (issue 17): a leader reads the table, not the database."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


def wording_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Each target as printed beside how it was read; OCR wording without diacritics gets the restored
    wording beside it (data/targets.csv wording_restored, 11-KH/TU only), so no one reads the bare OCR."""
    out = pd.DataFrame(
        {
            "Kế hoạch": rows["plan_name"],
            "Mốc": rows["horizon"].map(HORIZON_LABELS),
            "Nguyên văn": rows["target_text"],
            "Nguyên văn (phục hồi dấu)": rows["wording_restored"],
            "Mức ghi trong kế hoạch": rows["value_as_written"],
            "Đọc là": [target_label(r) for r in records(rows)],
            "Cơ quan chủ trì (như kế hoạch ghi)": rows["lead_agency_as_written"],
            "Cơ quan chủ trì (hiện nay)": lead_labels(rows),
            "Trích dẫn": rows["source_ref"],
            "Ghi chú": rows["note"],
            "Ghi chú hiệu chỉnh": rows["correction_note"],
        }
    )
    if rows["wording_restored"].isna().all():
        out = out.drop(columns="Nguyên văn (phục hồi dấu)")
    return no_none(out)


def records(rows: pd.DataFrame) -> list[dict]:
    """The rows as plain dicts, built column by column: iterrows() builds a Series for every row and
    itertuples() walks every column, 3–4 times the cost on 2 822 targets (bench/, docs/performance.md)."""
    columns = {c: rows[c].tolist() for c in rows.columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def status_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a person reads on a page: one per target, worst first inside each group, with the working.

    Keeps the index of `rows`, so a page can slice it per agency without building it again."""
    recs = records(rows)
    units = list(rows["unit"])
    digits = unit_decimals([*rows["actual_value"], *rows["required_value"]], units * 2)
    out = pd.DataFrame(
        {
            "Nhóm": rows["group_name"],
            "Chỉ tiêu": rows["indicator_short_name"],
            "Kế hoạch": rows["plan_name"],
            "Mốc": rows["horizon"].map(HORIZON_LABELS),
            "Mức chỉ tiêu": [target_label(r) for r in recs],
            "Thực hiện": [
                fmt_value(v, u, digits.get(u or "")) for v, u in zip(rows["actual_value"], units, strict=True)
            ],
            "Kỳ số liệu": [
                aged_period_text(p, a)
                for p, a in zip(rows["actual_period"], rows["value_age_quarters"], strict=True)
            ],
            "Cần đạt ở kỳ": [
                fmt_value(v, u, digits.get(u or ""))
                for v, u in zip(rows["required_value"], units, strict=True)
            ],
            "ρ": rows["rho"].map(lambda v: fmt_number(v, 2)),
            "Trạng thái": rows["status"].map(status_badge),
            "Diễn giải": [working_sentence(r, r["unit"]) for r in recs],
            "Cơ quan chủ trì": lead_labels(rows),
            "Trích dẫn": rows["source_ref"],
        }
    )
    order = rows["status"].map(status_order)
    out = no_none(out)
    return out.assign(_g=rows["group_order"], _o=order).sort_values(["_g", "_o"]).drop(columns=["_g", "_o"])


def actual_text(row) -> str:
    """What was reached, short: '37,6% (Quý III/2026)', the manual verdict, or '–'."""
    if row["status"] == "manual":
        return row["manual_result"] if isinstance(row["manual_result"], str) else "chưa đánh giá"
    if pd.isna(row["actual_value"]):
        return "–"
    text = fmt_value(row["actual_value"], row["unit"])
    period = row["actual_period"]
    return f"{text} ({quarter_label_vi(period)})" if isinstance(period, str) else text


def brief_status_rows(rows: pd.DataFrame, *, with_agency: bool = False) -> tuple[list[list[str]], list[str]]:
    """The short status table of a slide, worst first: (rows of BRIEF_COLUMNS [+ lead agency], statuses)."""
    ordered = rows.assign(_o=rows["status"].map(status_order)).sort_values(
        ["_o", "group_order", "indicator_short_name", "plan_id"], kind="stable"
    )
    body = []
    for r in records(ordered):
        line = [
            r["indicator_short_name"],
            f"{r['plan_name']} · {horizon_label(r['horizon'])}",
            target_label(r),
            actual_text(r),
            status_badge(r["status"]),
        ]
        if with_agency:
            line.append(r["lead_agency"] if isinstance(r["lead_agency"], str) else NO_LEAD)
        body.append(line)
    return body, list(ordered["status"])
