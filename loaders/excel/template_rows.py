"""What goes into the template's sheets: one row per indicator with a target, one per task, read from the catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from loaders.excel.cells import format_actual, is_missing
from loaders.excel.contract import TemplateError, check_period
from metrics.deadlines import DATE, RECURRING, WAITING
from metrics.periods import is_period, quarter_label_vi
from metrics.tasks import STATUS_LABELS, marked_late


@dataclass(frozen=True)
class TemplateRow:
    indicator_id: str
    indicator_name: str
    unit: str
    direction: str
    min_value: float | None
    max_value: float | None
    targets_text: str
    lead_agency: str
    previous_value: str


@dataclass(frozen=True)
class TaskRow:
    task_id: str
    plan_name: str
    title: str
    lead_agency: str
    deadline: str
    due_date: date | None
    previous_status: str


_AGENCY_SQL = "SELECT agency_id, current_agency_id, current_agency_name FROM v_agencies WHERE agency_id = ?"
_AGENCY_CHOICES_SQL = """
SELECT DISTINCT agency_id, agency_name FROM v_target_agencies
UNION
SELECT DISTINCT agency_id, agency_name FROM v_task_agencies WHERE role = 'lead'
ORDER BY agency_name
"""
_TASKS_SQL = """
SELECT k.task_id, k.plan_name, k.title, k.lead_agency, k.deadline_text, k.deadline_kind, k.due_date, k.note
FROM v_tasks k JOIN plans p USING (plan_id)
WHERE period_index(p.plan_period) <= period_index(?)
  AND (CAST(? AS VARCHAR) IS NULL OR k.task_id IN (
        SELECT task_id FROM v_task_agencies WHERE role = 'lead' AND agency_id = ?))
ORDER BY p.plan_period, k.plan_id, k.task_id
"""
_TASK_REPORTED_SQL = """
SELECT u.task_id, u.period, u.status, u.completed_on
FROM v_task_updates u
WHERE period_index(u.period) <= period_index(?)
QUALIFY row_number() OVER (PARTITION BY u.task_id ORDER BY period_index(u.period) DESC) = 1
"""
_INDICATORS_SQL = """
SELECT i.indicator_id, i.name, i.unit, i.direction, i.min_value, i.max_value
FROM indicators i
JOIN thematic_groups g USING (group_code)
WHERE i.indicator_id IN (SELECT indicator_id FROM targets)
  AND (CAST(? AS VARCHAR) IS NULL OR i.indicator_id IN (
        SELECT t.indicator_id FROM targets t JOIN v_target_agencies ta USING (target_id)
        WHERE ta.agency_id = ?))
ORDER BY g.sort_order, i.rowid
"""
_TARGETS_SQL = """
SELECT t.indicator_id, t.horizon, t.due_period, t.plan_id, p.short_name AS plan_name, t.comparator,
       t.value_as_written, t.unit_as_written, t.target_text, t.target_id
FROM targets t JOIN plans p USING (plan_id)
ORDER BY t.indicator_id, t.due_period, t.plan_id, t.target_id
"""
_LEADS_SQL = """
SELECT DISTINCT t.indicator_id, ta.agency_name
FROM targets t JOIN v_target_agencies ta USING (target_id)
ORDER BY t.indicator_id, ta.agency_name
"""
_PREVIOUS_SQL = """
SELECT a.indicator_id, a.period, a.value, a.value_text
FROM v_actuals a
WHERE period_index(a.period) < period_index(?)
QUALIFY row_number() OVER (PARTITION BY a.indicator_id ORDER BY period_index(a.period) DESC) = 1
"""


def agency_choices(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(agency_id, name) of every current agency that leads at least one target or task."""
    return [(row[0], row[1]) for row in con.execute(_AGENCY_CHOICES_SQL).fetchall()]


def resolve_agency(con: duckdb.DuckDBPyConnection, agency_id: str | None) -> tuple[str, str] | None:
    """The current agency (id, name) an agency id rolls up to; TemplateError if the id is unknown."""
    if agency_id is None or str(agency_id).strip() == "":
        return None
    rows = con.execute(_AGENCY_SQL, [str(agency_id).strip()]).fetchall()
    if not rows:
        known = ", ".join(a for a, _ in agency_choices(con)[:8])
        raise TemplateError(
            f"Không có cơ quan mã '{agency_id}' trong danh mục (data/agencies.csv). Ví dụ mã hợp lệ: {known}, …"
        )
    return rows[0][1], rows[0][2]


def _horizon_label(horizon: str) -> str:
    return quarter_label_vi(horizon) if is_period(horizon) else str(horizon)


def _target_wording(row: dict) -> str:
    """A target as the plan worded it, with its unit where the wording leaves it out: '≥ 80%', '10 người/vạn dân'."""
    text = row["value_as_written"]
    if is_missing(text) or not str(text).strip():
        return str(row["target_text"]).strip()
    text = str(text).strip()
    unit = "" if is_missing(row["unit_as_written"]) else str(row["unit_as_written"]).strip()
    if row["comparator"] == "text" or not unit or len(unit) > 20:
        return text
    if unit.startswith("%"):
        return text if "%" in text else text + unit
    if unit.casefold() in {"thứ bậc", "thứ hạng", "có/không"} or unit.casefold() in text.casefold():
        return text
    return f"{text} {unit[0].lower() + unit[1:]}"


def targets_wording(targets: pd.DataFrame) -> str:
    """All horizons of one indicator: 'Quý IV/2025: ≥ 80%; 2030: 90%'. Plans that differ are named."""
    parts = []
    for _due, group in targets.groupby("due_period", sort=True):
        rows = group.to_dict("records")
        wordings: dict[str, list[str]] = {}
        for row in rows:
            wordings.setdefault(_target_wording(row), []).append(str(row["plan_name"]))
        label = _horizon_label(rows[0]["horizon"])
        if len(wordings) == 1:
            parts.append(f"{label}: {next(iter(wordings))}")
        else:
            each = "; ".join(f"{w} ({', '.join(plans)})" for w, plans in wordings.items())
            parts.append(f"{label}: {each}")
    return "; ".join(parts)


def template_rows(
    con: duckdb.DuckDBPyConnection, period: str, agency_id: str | None = None, today: date | None = None
) -> list[TemplateRow]:
    """The rows of the template for a period (and an agency, rolled up to its current successor)."""
    period = check_period(period, today)
    agency = resolve_agency(con, agency_id)
    out = indicator_rows(con, period, agency[0] if agency else None)
    if not out and agency is not None:
        raise TemplateError(f"Cơ quan '{agency[1]}' không chủ trì chỉ tiêu nào có mức chỉ tiêu.")
    return out


def indicator_rows(con: duckdb.DuckDBPyConnection, period: str, current_id: str | None) -> list[TemplateRow]:
    indicators = con.execute(_INDICATORS_SQL, [current_id, current_id]).df()
    targets = con.execute(_TARGETS_SQL).df()
    leads = con.execute(_LEADS_SQL).df()
    previous = con.execute(_PREVIOUS_SQL, [period]).df()
    targets_by = dict(tuple(targets.groupby("indicator_id")))
    leads_by = leads.groupby("indicator_id")["agency_name"].apply(lambda s: "; ".join(s)).to_dict()
    previous_by = {r["indicator_id"]: r for r in previous.to_dict("records")}
    out = []
    for ind in indicators.to_dict("records"):
        prev = previous_by.get(ind["indicator_id"])
        prev_text = ""
        if prev is not None:
            shown = format_actual(prev["value"], prev["value_text"], ind["unit"])
            prev_text = f"{shown} ({quarter_label_vi(prev['period'])})" if shown else ""
        out.append(
            TemplateRow(
                indicator_id=ind["indicator_id"],
                indicator_name=ind["name"],
                unit=ind["unit"],
                direction=ind["direction"],
                min_value=None if is_missing(ind["min_value"]) else float(ind["min_value"]),
                max_value=None if is_missing(ind["max_value"]) else float(ind["max_value"]),
                targets_text=targets_wording(targets_by[ind["indicator_id"]]),
                lead_agency=leads_by.get(ind["indicator_id"], ""),
                previous_value=prev_text,
            )
        )
    return out


def deadline_words(text: object, kind: str, due: object, note: object = None) -> str:
    """A deadline as printed, with what the dashboard reads in it: 'Tháng 11/2025 (hạn 30/11/2025)'."""
    printed = "" if is_missing(text) else str(text).strip()
    day = None if is_missing(due) else pd.Timestamp(due).date()
    if kind == DATE and day is not None:
        words = f"{printed} (hạn {day:%d/%m/%Y})"
    elif kind == RECURRING:
        words = f"{printed} (đánh giá từng kỳ)"
    elif kind == WAITING:
        words = f"{printed} (chờ cấp trên, không tính quá hạn)"
    else:
        words = printed or "Không ghi thời hạn"
    if bool(marked_late(pd.Series([note])).iloc[0]):
        words += "; kế hoạch ghi: nhiệm vụ chậm tiến độ"
    return words


def reported_status_words(status: object, completed_on: object, period: str) -> str:
    """'Hoàn thành 15/11/2025 (Quý IV/2025)', 'Đang thực hiện (Quý III/2025)'."""
    label = STATUS_LABELS.get(str(status), str(status))
    if not is_missing(completed_on):
        label += f" {pd.Timestamp(completed_on):%d/%m/%Y}"
    return f"{label} ({quarter_label_vi(period)})"


def task_rows(
    con: duckdb.DuckDBPyConnection, period: str, agency_id: str | None = None, today: date | None = None
) -> list[TaskRow]:
    """The task rows of the template: tasks of plans issued by the period (led by the agency, if given)."""
    period = check_period(period, today)
    agency = resolve_agency(con, agency_id)
    current_id = agency[0] if agency else None
    tasks = con.execute(_TASKS_SQL, [period, current_id, current_id]).df()
    reported = {r["task_id"]: r for r in con.execute(_TASK_REPORTED_SQL, [period]).df().to_dict("records")}
    out = []
    for t in tasks.to_dict("records"):
        prev = reported.get(t["task_id"])
        out.append(
            TaskRow(
                task_id=t["task_id"],
                plan_name=t["plan_name"],
                title=t["title"],
                lead_agency="" if is_missing(t["lead_agency"]) else t["lead_agency"],
                deadline=deadline_words(t["deadline_text"], t["deadline_kind"], t["due_date"], t["note"]),
                due_date=None if is_missing(t["due_date"]) else pd.Timestamp(t["due_date"]).date(),
                previous_status=""
                if prev is None
                else reported_status_words(prev["status"], prev["completed_on"], prev["period"]),
            )
        )
    return out
