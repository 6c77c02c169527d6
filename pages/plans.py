"""Kế hoạch: each plan's targets and tasks beside the original wording."""

from __future__ import annotations

import streamlit as st

from ui import catalog_tables, data, frame, labels

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

targets = catalog_tables.plan_targets_display(plan_id, filters.group, filters.agency)
tasks = catalog_tables.plan_tasks_display(plan_id, filters.agency)
tasks_note = plan["tasks_note"] if isinstance(plan["tasks_note"], str) else ""
# A plan whose task appendix is missing from the source shows "chưa có", never a bare 0.
tasks_tab = f"Nhiệm vụ ({len(tasks)})" if len(tasks) or not tasks_note else labels.TASKS_MISSING_TAB
tab_targets, tab_tasks = st.tabs([f"Chỉ tiêu ({len(targets)})", tasks_tab])

with tab_targets:
    st.dataframe(targets, hide_index=True, width="stretch", key="plan_targets")

with tab_tasks:
    if tasks_note:
        st.warning(tasks_note)
    if tasks.empty and not tasks_note:
        st.info("Kế hoạch này không có nhiệm vụ phù hợp bộ lọc.")
    elif not tasks.empty:
        st.dataframe(tasks, hide_index=True, width="stretch", key="plan_tasks")
