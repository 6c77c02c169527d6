"""The why and the what-next of every target at risk or off track, as slides of the briefing pack (issue 16).

One table row per red target: its assessment, causes and next steps in force for the period (or the latest
before it, with its quarter), and the corrective actions decided up to the period with owner, due date
and status by the task rules. Where nothing is written the row says so, so a missing why shows.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from charts.vn import fmt_date
from exports import briefing
from loaders import narratives as store
from metrics.narratives import INDICATOR, INDICATOR_FIELDS, action_status, latest_by_field
from metrics.periods import period_index
from metrics.status_labels import status_badge
from metrics.tasks import STATUS_LABELS

TITLE = "Đánh giá, nguyên nhân, giải pháp"
NONE_WRITTEN = "Chưa có đánh giá, nguyên nhân"
NO_ACTION = "Chưa có giải pháp, hành động khắc phục"
COLUMNS = ("Chỉ tiêu", "Trạng thái", "Đánh giá", "Nguyên nhân", "Giải pháp, hành động")
WIDTHS = (2.0, 1.3, 3.0, 3.0, 3.4)
CELL_CHARS = 320  # a slide cell holds about this much; the full text is on the Chỉ tiêu page


def _cut(text: str) -> str:
    return text if len(text) <= CELL_CHARS else text[: CELL_CHARS - 1] + "…"


def _action_lines(actions: pd.DataFrame, updates: pd.DataFrame, period: str, today: date) -> list[str]:
    status = action_status(actions, updates, period, today)
    lines = []
    for r in status.to_dict("records"):
        due = "không ghi thời hạn" if pd.isna(r["due_date"]) else f"hạn {fmt_date(r['due_date'])}"
        owner = r.get("owner_agency_name") or r["owner_agency_id"]
        state = STATUS_LABELS.get(r["status"], str(r["status"]))
        late = " (quá hạn)" if r.get("late") else ""
        lines.append(f"• {r['title']} — {owner}, {due}, {state}{late}")
    return lines


def narrative_rows(
    con: duckdb.DuckDBPyConnection, risk: pd.DataFrame, period: str, today: date
) -> list[list[str]]:
    """[indicator, status, assessment, causes, next steps and actions] for every red target, worst first."""
    latest = store.latest(con, INDICATOR)
    if not latest.empty:
        latest = latest[latest["period"].map(period_index) <= period_index(period)]
    actions, updates = store.actions_of(con)
    rows = []
    for r in risk.to_dict("records"):
        mine = latest[latest["subject_id"] == r["indicator_id"]] if not latest.empty else latest
        texts = latest_by_field(mine, INDICATOR_FIELDS)
        assessment, causes, steps = (texts[label] for label in INDICATOR_FIELDS.values())
        mine_actions = actions[actions["indicator_id"] == r["indicator_id"]] if not actions.empty else actions
        lines = _action_lines(mine_actions, updates, period, today) if not mine_actions.empty else []
        what_next = "\n".join([*([_cut(steps)] if steps else []), *lines]) or NO_ACTION
        if not assessment and not causes:
            assessment, causes = NONE_WRITTEN, "—"
        rows.append(
            [
                r["indicator_short_name"],
                status_badge(r["status"]),
                _cut(assessment or "—"),
                _cut(causes or "—"),
                what_next,
            ]
        )
    return rows


def narrative_slides(
    con: duckdb.DuckDBPyConnection, risk: pd.DataFrame, period: str, subtitle: str, today: date
) -> list[briefing.Slide]:
    """The slides giving each target at risk or off track its assessment, cause and actions (none if none red)."""
    if risk.empty:
        return []
    ordered = risk.assign(_o=risk["status"].map(briefing.RISK_STATUSES.index)).sort_values(
        ["_o", "group_order", "indicator_short_name"], kind="stable"
    )
    table = briefing.Table(
        COLUMNS,
        narrative_rows(con, ordered, period, today),
        WIDTHS,
        list(ordered["status"]),
        status_column=1,
    )
    pages = briefing.paginate(table)
    return [
        briefing.Slide(briefing._numbered(TITLE, i, len(pages)), subtitle, table=page)
        for i, page in enumerate(pages, start=1)
    ]
