"""Theo cơ quan's scorecards, task rollup and one agency's detail, cached by the page's plain inputs.

agency_scorecards, rollup_by_agency and the per-agency filtering are pure functions of frames ui.data already
caches, yet cost 0.15–0.2 s a warm run at 100× (docs/performance.md). As in ui.figures, the sidebar's review
switch is part of each key, and st.cache_data hands every caller its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics import tasks as mt
from metrics.agencies import agency_scorecards
from ui import data, figures, tables

TTL = 600


@dataclass(frozen=True)
class AgencyChoice:
    """What the page needs before it draws one agency: whether anything matched, the chart, the choices."""

    has_targets: bool
    has_tasks: bool
    options: list[str]  # agency ids: the cards (most targets first), then agencies that only lead tasks
    labels: dict[str, str]  # agency id → the selectbox's line (card title, task counts)


@dataclass(frozen=True)
class AgencyDetail:
    formerly: list[str]
    target_rows: pd.DataFrame | None  # tables.status_rows of the agency's targets; None: it leads none
    tasks_as_written: list[str] | None  # the names the plans printed for it; None: it leads no task
    task_rows: pd.DataFrame | None  # tables.task_rows of its tasks


def _tasks(as_of: str, plan: str | None, agency: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tasks under the plan filter, and their lead links (of one agency when the filter names one)."""
    task_links = data.task_links()
    tasks = mt.filter_tasks(data.task_status(as_of), task_links, plan=plan)
    if agency:
        task_links = task_links[task_links["agency_id"] == agency]
    return tasks, mt.lead_links(task_links[task_links["task_id"].isin(tasks["task_id"])])


def choice(as_of: str, horizon: str | None, plan: str | None, group: str | None, agency: str | None):
    return _choice(as_of, horizon, plan, group, agency, data.include_unreviewed())


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def _choice(as_of, horizon, plan, group, agency, unreviewed: bool) -> AgencyChoice:
    rows = data.target_status(as_of, horizon, plan, group, None, unreviewed)
    links = figures.agency_links(rows, agency)
    tasks, task_links = _tasks(as_of, plan, agency)
    task_counts = mt.rollup_by_agency(tasks, task_links).set_index("agency_id")
    cards = agency_scorecards(rows, links)
    only_tasks = sorted(
        set(task_counts.index) - {c.agency_id for c in cards},
        key=lambda a: (-task_counts.loc[a, "n_tasks"], task_counts.loc[a, "agency_name"]),
    )
    titles = {c.agency_id: c.title for c in cards}
    labels = {}
    for agency_id in [*titles, *only_tasks]:
        counts = task_counts.loc[agency_id] if agency_id in task_counts.index else None
        name = titles.get(agency_id) or f"{counts['agency_name']} — không chủ trì chỉ tiêu"
        if counts is not None:
            late = f", {int(counts['n_late'])} quá hạn" if counts["n_late"] else ""
            name += f" · {int(counts['n_tasks'])} nhiệm vụ, {int(counts['n_completed'])} hoàn thành{late}"
        labels[agency_id] = name
    return AgencyChoice(not links.empty, not task_links.empty, list(labels), labels)


def detail(as_of, horizon, plan, group, agency, agency_id: str) -> AgencyDetail:
    """One agency's card: its former names, its targets' status rows, its tasks' rows."""
    return _detail(as_of, horizon, plan, group, agency, agency_id, data.include_unreviewed())


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _detail(as_of, horizon, plan, group, agency, agency_id: str, unreviewed: bool) -> AgencyDetail:
    rows = data.target_status(as_of, horizon, plan, group, None, unreviewed)
    links = figures.agency_links(rows, agency)
    cards = agency_scorecards(rows, links[links["agency_id"] == agency_id])
    card = cards[0] if cards else None
    target_rows = None
    if card:
        target_rows = tables.status_rows(rows[rows["target_id"].isin(card.target_ids)])
    tasks, task_links = _tasks(as_of, plan, agency)
    own = task_links[task_links["agency_id"] == agency_id]
    named, task_rows = None, None
    if not own.empty:
        named = sorted(set(own["agency_as_written"]))
        task_rows = tables.task_rows(tasks[tasks["task_id"].isin(own["task_id"])])
    return AgencyDetail(card.formerly if card else [], target_rows, named, task_rows)
