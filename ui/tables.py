"""Tables shared by pages: the status of targets with the working shown, in Vietnamese formats."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.vn import fmt_number, fmt_target, fmt_value
from metrics import tasks as tasks_metrics
from metrics.periods import quarter_label_vi
from metrics.status import working_sentence
from metrics.status_labels import status_badge, status_order
from ui import labels


def _period(value) -> str:
    return quarter_label_vi(value) if isinstance(value, str) else "–"


def _records(rows: pd.DataFrame) -> list[dict]:
    """The rows as plain dicts, built column by column: iterrows() builds a Series for every row and
    itertuples() walks every column, 3–4 times the cost on 2 822 targets (bench/, docs/performance.md)."""
    columns = {c: rows[c].tolist() for c in rows.columns}
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def status_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows a person reads: one per target, worst first inside each group, numbers in Vietnamese."""
    records = _records(rows)
    out = pd.DataFrame(
        {
            "Nhóm": rows["group_name"],
            "Chỉ tiêu": rows["indicator_short_name"],
            "Kế hoạch": rows["plan_name"],
            "Mốc": rows["horizon"].map(labels.HORIZON_LABELS),
            "Mức chỉ tiêu": [
                fmt_target(
                    r["comparator"],
                    r["target_value"],
                    r["target_value_high"],
                    r["unit"],
                    r["value_as_written"],
                    r["also_rising"],
                )
                for r in records
            ],
            "Thực hiện": [fmt_value(v, u) for v, u in zip(rows["actual_value"], rows["unit"], strict=True)],
            "Kỳ số liệu": rows["actual_period"].map(_period),
            "Cần đạt ở kỳ": [
                fmt_value(v, u) for v, u in zip(rows["required_value"], rows["unit"], strict=True)
            ],
            "ρ": rows["rho"].map(lambda v: fmt_number(v, 2)),
            "Trạng thái": rows["status"].map(status_badge),
            "Diễn giải": [working_sentence(r, r["unit"]) for r in records],
            "Cơ quan chủ trì": labels.lead_labels(rows),
            "Trích dẫn": rows["source_ref"],
        }
    )
    order = rows["status"].map(status_order)
    return out.assign(_g=rows["group_order"], _o=order).sort_values(["_g", "_o"]).drop(columns=["_g", "_o"])


def show(display: pd.DataFrame, key: str, column_config: dict | None = None) -> None:
    """A frame made by status_rows or task_rows (or a slice of one), drawn like the tables above."""
    st.dataframe(display, hide_index=True, width="stretch", key=key, column_config=column_config)


def status_table(rows: pd.DataFrame, key: str) -> None:
    st.dataframe(status_rows(rows), hide_index=True, width="stretch", key=key)


def wording_table(rows: pd.DataFrame, key: str) -> None:
    """Each target as printed beside how it was read, with its citation and corrections."""
    out = pd.DataFrame(
        {
            "Kế hoạch": rows["plan_name"],
            "Mốc": rows["horizon"].map(labels.HORIZON_LABELS),
            "Nguyên văn": rows["target_text"],
            "Mức ghi trong kế hoạch": rows["value_as_written"],
            "Đọc là": [
                fmt_target(
                    r.comparator,
                    r.target_value,
                    r.target_value_high,
                    r.unit,
                    r.value_as_written,
                    r.also_rising,
                )
                for r in rows.itertuples()
            ],
            "Cơ quan chủ trì (như kế hoạch ghi)": rows["lead_agency_as_written"],
            "Cơ quan chủ trì (hiện nay)": labels.lead_labels(rows),
            "Trích dẫn": rows["source_ref"],
            "Ghi chú": rows["note"],
            "Ghi chú hiệu chỉnh": rows["correction_note"],
        }
    )
    st.dataframe(out, hide_index=True, width="stretch", key=key)


ORIGINS = {"published": "Số liệu công bố", "upload": "Tải lên", "demo": "Dữ liệu minh họa"}


def history_table(history: pd.DataFrame, unit: str, key: str) -> None:
    """Every revision of every period: who recorded it, when, from what file or source."""
    out = pd.DataFrame(
        {
            "Kỳ": history["period"].map(_period),
            "Giá trị": [
                "(đã rút lại)" if retracted else (text if isinstance(text, str) else fmt_value(value, unit))
                for value, text, retracted in zip(
                    history["value"], history["value_text"], history["is_retraction"], strict=True
                )
            ],
            "Người ghi nhận": history["recorded_by"],
            "Thời điểm": history["recorded_at"].map(
                lambda t: t.strftime("%d/%m/%Y %H:%M") if pd.notna(t) else "–"
            ),
            "Nguồn": history["origin"].map(ORIGINS).fillna(history["origin"]),
            "Tệp / nguồn / minh chứng": history["source"],
            "Ghi chú": history["note"],
        }
    )
    st.dataframe(out, hide_index=True, width="stretch", key=key)


# ---------------------------------------------------------------- tasks

TASK_STATUS_LABELS = tasks_metrics.STATUS_LABELS


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if pd.notna(value) else ""


def _late_words(timing: str, days) -> str:
    """'✗ Quá hạn 45 ngày', '◆ Hoàn thành chậm 12 ngày', else the timing's badge."""
    if pd.isna(days) or not days:
        return tasks_metrics.timing_badge(timing)
    style = tasks_metrics.TIMING[timing]
    words = "Quá hạn" if timing == tasks_metrics.T_LATE else style.label
    return f"{style.symbol} {words} {int(days)} ngày"


def task_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per task, worst first: where it stands, what it is, who leads it, by when, on what evidence."""
    out = pd.DataFrame(
        {
            "Mã": rows["task_id"],
            "Tình trạng": [_late_words(t, d) for t, d in zip(rows["timing"], rows["days_late"], strict=True)],
            "Nhiệm vụ": rows["title"],
            "Cơ quan chủ trì (hiện nay)": rows["lead_agency"],
            "Hạn": rows["due_date"].map(_date),
            "Trạng thái báo cáo": rows["status"].map(TASK_STATUS_LABELS),
            "Ngày hoàn thành": rows["completed_on"].map(_date),
            "Minh chứng": rows["evidence"],
            "Ghi chú": rows["update_note"],
            "Kỳ báo cáo": rows["update_period"].map(
                lambda p: quarter_label_vi(p) if isinstance(p, str) else ""
            ),
            "Kế hoạch": rows["plan_name"],
            "Mục": rows["section"],
            "Thời hạn (như kế hoạch ghi)": rows["deadline_text"],
            "Cơ quan chủ trì (như kế hoạch ghi)": rows["lead_agency_as_written"],
        }
    )
    for column in ("Minh chứng", "Ghi chú", "Thời hạn (như kế hoạch ghi)"):
        out[column] = out[column].astype(object).where(out[column].notna(), "")
    return out


TASK_COLUMN_CONFIG = {
    "Tình trạng": st.column_config.TextColumn(width="medium"),
    "Nhiệm vụ": st.column_config.TextColumn(width="large"),
    "Cơ quan chủ trì (hiện nay)": st.column_config.TextColumn(width="medium"),
}


def task_table(rows: pd.DataFrame, key: str) -> None:
    st.dataframe(task_rows(rows), hide_index=True, width="stretch", key=key, column_config=TASK_COLUMN_CONFIG)


def task_history_table(history: pd.DataFrame, key: str) -> None:
    """Every status update of one task: who, when, from what file, with its evidence."""
    out = pd.DataFrame(
        {
            "Kỳ": history["period"].map(_period),
            "Trạng thái": [
                "(đã rút lại)" if retracted else TASK_STATUS_LABELS.get(s, s)
                for s, retracted in zip(history["status"], history["is_retraction"], strict=True)
            ],
            "Ngày hoàn thành": history["completed_on"].map(_date),
            "Minh chứng": history["evidence"].astype(object).where(history["evidence"].notna(), ""),
            "Ghi chú": history["note"].astype(object).where(history["note"].notna(), ""),
            "Người ghi nhận": history["recorded_by"],
            "Thời điểm": history["recorded_at"].map(
                lambda t: t.strftime("%d/%m/%Y %H:%M") if pd.notna(t) else "–"
            ),
            "Nguồn": history["origin"].map(ORIGINS).fillna(history["origin"]),
            "Tệp": history["file_name"],
        }
    )
    st.dataframe(out, hide_index=True, width="stretch", key=key)
