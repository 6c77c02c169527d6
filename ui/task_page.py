"""What Nhiệm vụ shows besides its charts and table: tiles, section choices, the picked task, cached.

The page filtered its task frame and counted its tiles on every rerun (with the completion sentence, about
0.1 s a warm run at 100×, docs/performance.md). Each function here is keyed by the page's plain inputs;
tasks carry no actuals, so the review switch is not part of them (as ui.figures.task_agency).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from metrics import tasks as mt
from metrics.tasks import Tile
from ui import data, figures

TTL = 600


@dataclass(frozen=True)
class TaskScope:
    size: int  # tasks under the sidebar's plan and agency
    tiles: list[tuple[Tile, int]]
    sections: list[str]  # the section titles among them, sorted


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def scope(as_of: str, plan: str | None, agency: str | None) -> TaskScope:
    rows = figures.task_scope(as_of, plan, agency)
    return TaskScope(len(rows), mt.tile_counts(rows), sorted(rows["section_title"].dropna().unique()))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def shown_titles(as_of, plan, agency, section, statuses: tuple, late_only: bool) -> dict[str, str]:
    """task id → title of the tasks the table shows under these filters, in the table's order."""
    rows = mt.filter_tasks(
        figures.task_scope(as_of, plan, agency),
        data.task_links(),
        section=section,
        statuses=list(statuses),
        late_only=late_only,
    )
    return dict(zip(rows["task_id"], rows["title"], strict=True))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def task(as_of: str, plan: str | None, agency: str | None, task_id: str) -> dict:
    """One task's row as of `as_of` (metrics.tasks.task_status columns), as a plain dict."""
    rows = figures.task_scope(as_of, plan, agency)
    return rows.set_index("task_id").loc[task_id].to_dict()


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=16)
def completion_text(as_of: str) -> str:
    """data.task_completion_text, cached: it recomputes the completion from every task status."""
    return data.task_completion_text(as_of)
