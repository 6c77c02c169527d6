"""Kế hoạch: each plan's targets and tasks beside the original wording."""

from __future__ import annotations

import streamlit as st

from charts.tables import no_none
from charts.vn import fmt_date, fmt_target
from ui import data, frame, labels

frame.header("Kế hoạch", "Chỉ tiêu và nhiệm vụ của từng kế hoạch, đặt cạnh nguyên văn để đối chiếu.")
filters = frame.current_filters()
plans = data.plans()
names = dict(zip(plans["plan_id"], plans["short_name"], strict=True))
default = filters.plan if filters.plan in names else plans["plan_id"].iloc[-1]
plan_id = st.selectbox(
    labels.FILTER_PLAN, list(names), index=list(names).index(default), format_func=names.get, key="plans_plan"
)
plan = plans.set_index("plan_id").loc[plan_id]

st.subheader(plan["title"])
st.markdown(
    f"**Cơ quan ban hành:** {plan['issuer']} · **Số:** {plan['number']} · **Ngày:** {plan['doc_date_text']} · "
    f"**Mốc:** {plan['horizons']}"
)
if isinstance(plan["note"], str) and plan["note"]:
    st.info(plan["note"])

targets = data.targets(None, plan_id, filters.group, filters.agency).copy()
tasks = data.tasks(plan_id, filters.agency).copy()
tasks_note = plan["tasks_note"] if isinstance(plan["tasks_note"], str) else ""
# A plan whose task appendix is missing from the source shows "chưa có", never a bare 0.
tasks_tab = f"Nhiệm vụ ({len(tasks)})" if len(tasks) or not tasks_note else labels.TASKS_MISSING_TAB
tab_targets, tab_tasks = st.tabs([f"Chỉ tiêu ({len(targets)})", tasks_tab])

with tab_targets:
    targets["horizon_label"] = targets["horizon"].map(labels.HORIZON_LABELS)
    targets["target_label"] = [
        fmt_target(
            r.comparator, r.target_value, r.target_value_high, r.unit, r.value_as_written, r.also_rising
        )
        for r in targets.itertuples()
    ]
    targets["lead_label"] = labels.lead_labels(targets)
    columns = [
        "row_ref",
        "target_text",
        "wording_restored",
        "target_label",
        "horizon_label",
        "lead_agency_as_written",
        "lead_label",
        "lead_basis",
        "note",
        "correction_note",
        "source_ref",
    ]
    for optional in ("wording_restored", "lead_basis"):
        if targets[optional].isna().all():
            columns.remove(optional)
    names = {**labels.COL, "row_ref": "Dòng"}
    shown = no_none(targets[columns].rename(columns=names))
    st.dataframe(shown, hide_index=True, width="stretch", key="plan_targets")

with tab_tasks:
    tasks["due_label"] = tasks["due_date"].map(fmt_date)
    columns = [
        "section",
        "row_no",
        "title",
        "lead_agency_as_written",
        "lead_agency",
        "coordinating_agencies",
        "expected_output",
        "deadline_text",
        "due_label",
        "note",
    ]
    names = {**labels.COL, "due_label": labels.COL["due_date"]}
    if tasks_note:
        st.warning(tasks_note)
    if tasks.empty and not tasks_note:
        st.info("Kế hoạch này không có nhiệm vụ phù hợp bộ lọc.")
    elif not tasks.empty:
        st.dataframe(
            no_none(tasks[columns].rename(columns=names)), hide_index=True, width="stretch", key="plan_tasks"
        )
