"""Narratives (why a target stands where it does, what is being done) and corrective actions: pure rules.

The words of each field, which statuses need an assessment and a cause, the timeline shown on a page, and
the lateness of corrective actions, which follows the task rules of metrics/tasks.py exactly.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from metrics.deadlines import DATE, UNKNOWN
from metrics.periods import period_index, quarter_label_vi
from metrics.tasks import UPDATE_COLUMNS, task_status

INDICATOR = "indicator"
AGENCY = "agency"

# Per indicator and period, entered by the lead agency.
INDICATOR_FIELDS: dict[str, str] = {
    "assessment": "Đánh giá",
    "causes": "Nguyên nhân",
    "next_steps": "Giải pháp",
}
# Per agency and period (Decree 09/2019/NĐ-CP: difficulties and proposals of each report).
AGENCY_FIELDS: dict[str, str] = {
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Kiến nghị, đề xuất",
}
FIELD_LABELS: dict[str, str] = {**INDICATOR_FIELDS, **AGENCY_FIELDS}

# A value giving one of these statuses needs an assessment and a cause in the same period.
RED_STATUSES: tuple[str, ...] = ("at_risk", "off_track", "not_met")
RED_LABELS: tuple[str, ...] = ("Có nguy cơ", "Chậm tiến độ", "Không đạt")
REQUIRED_FIELDS: tuple[str, ...] = ("assessment", "causes")

NONE_YET = "Chưa có đánh giá"
NONE_YET_AGENCY = "Chưa có khó khăn, kiến nghị nào được báo cáo"
SOURCE_LABELS = {"upload": "tệp tải lên", "page": "nhập trên trang", "demo": "minh họa"}


def missing_words(fields_present: set[str]) -> str:
    """'Thiếu Đánh giá, Nguyên nhân' for the required fields not given; '' when nothing is missing."""
    missing = [INDICATOR_FIELDS[f] for f in REQUIRED_FIELDS if f not in fields_present]
    return f"Thiếu {', '.join(missing)}" if missing else ""


def makes_red(status_words: object) -> bool:
    """Whether a preview's 'Trạng thái sau khi ghi' ('Quý IV/2025: Đạt → Có nguy cơ') ends red anywhere."""
    if not isinstance(status_words, str):
        return False
    afters = [part.split("→")[-1] for part in status_words.split(";")]
    return any(label in after for after in afters for label in RED_LABELS)


def timeline(history: pd.DataFrame) -> list[dict]:
    """Every text of one subject, latest first: period, field label, text, who, when, how it came.

    history: rows of v_narrative_history (period, field, text, recorded_by, recorded_at, source, reverted).
    """
    if history.empty:
        return []
    h = history.copy()
    h["_i"] = h["period"].map(period_index)
    h = h.sort_values(["_i", "recorded_at"], ascending=[False, False])
    out = []
    for r in h.to_dict("records"):
        out.append(
            {
                "period": r["period"],
                "period_label": quarter_label_vi(r["period"]),
                "field": r["field"],
                "field_label": FIELD_LABELS.get(r["field"], r["field"]),
                "text": r["text"],
                "by": r["recorded_by"],
                "at": pd.Timestamp(r["recorded_at"]).strftime("%d/%m/%Y %H:%M"),
                "source": SOURCE_LABELS.get(r["source"], r["source"]),
                "reverted": bool(r.get("reverted") or False),
            }
        )
    return out


def latest_by_field(latest: pd.DataFrame, fields: dict[str, str]) -> dict[str, str | None]:
    """{field label: text of the latest period that has one, or None} from v_narratives_latest rows."""
    out: dict[str, str | None] = dict.fromkeys(fields.values())
    if latest.empty:
        return out
    h = latest.assign(_i=latest["period"].map(period_index)).sort_values(["_i", "recorded_at"])
    for r in h.to_dict("records"):
        if r["field"] in fields:
            out[fields[r["field"]]] = f"{r['text']} ({quarter_label_vi(r['period'])})"
    return out


# ---------------------------------------------------------------- corrective actions

ACTION_COLUMNS = ["action_id", "indicator_id", "period", "title", "owner_agency_id", "due_date"]


def action_status(
    actions: pd.DataFrame, updates: pd.DataFrame, as_of: str, today: date | None = None
) -> pd.DataFrame:
    """One row per action decided by `as_of`, with its status in force and timing, by the task rules.

    An action is a one-off task: due on its due date (none: 'Không ghi thời hạn'); an action reported
    'Chậm tiến độ' or past its due date and not done is late; done after the due date is done late.
    actions: v_corrective_actions rows; updates: v_corrective_action_updates rows.
    """
    if actions.empty:
        return pd.DataFrame(
            columns=[*ACTION_COLUMNS, "status", "update_period", "timing", "late", "done", "days_late"]
        )
    tasks = pd.DataFrame(
        {
            "task_id": actions["action_id"].astype(str),
            "plan_period": actions["period"],
            "note": None,
            "deadline_kind": [UNKNOWN if pd.isna(d) else DATE for d in actions["due_date"]],
            "due_date": actions["due_date"],
        }
    )
    for column in ("plan_id", "plan_name", "section", "section_title", "row_no", "title", "lead_agency"):
        tasks[column] = None  # what task_status carries through for tasks; an action has none of it
    tasks["lead_agency_as_written"] = None
    tasks["deadline_text"] = None
    u = updates.copy()
    if u.empty:
        u = pd.DataFrame(columns=list(UPDATE_COLUMNS))
    else:
        u["task_id"] = u["action_id"].astype(str)
        u["evidence"] = None
    status = task_status(tasks, u, as_of, today)
    keep = status[
        [
            "task_id",
            "status",
            "update_period",
            "completed_on",
            "update_note",
            "timing",
            "late",
            "done",
            "days_late",
        ]
    ]
    a = actions.assign(task_id=actions["action_id"].astype(str))
    return a.merge(keep, on="task_id", how="inner").drop(columns="task_id")
