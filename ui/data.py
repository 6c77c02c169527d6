"""Cached reads for pages: plain parameters in, frames out, cleared by ui.db.after_write()."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders import read
from metrics import clock
from metrics import task_completion as tc
from metrics import tasks as tasks_metrics
from metrics.periods import period_index
from ui.db import run_read as _run

# Every read expires after 10 minutes (another process may have written). Reads with parameters also keep at
# most max_entries results (least recently used first out): each filter combination is another frame, up
# to 4 MB at 100× (target_status: 2 890 rows × 52 columns), so without a bound memory grew with every
# combination a visitor tried (docs/performance.md). Reads without parameters hold one frame each.
TTL = 600


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def targets(
    horizon: str | None = None, plan: str | None = None, group: str | None = None, agency: str | None = None
) -> pd.DataFrame:
    return _run(read.targets, horizon, plan, group, agency)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=16)
def tasks(plan: str | None = None, agency: str | None = None) -> pd.DataFrame:
    return _run(read.tasks, plan, agency)


@st.cache_data(show_spinner=False, ttl=TTL)
def plans() -> pd.DataFrame:
    return _run(read.plans)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def actuals(indicator: str | None = None) -> pd.DataFrame:
    return _run(read.actuals, indicator)


@st.cache_data(show_spinner=False, ttl=TTL)
def data_date():
    return _run(read.data_date)


UNREVIEWED_KEY = "include_unreviewed"  # the sidebar switch (ui/review.py)
UNREVIEWED_PARAM = "chua_duyet"  # ?chua_duyet=1


def include_unreviewed() -> bool:
    """Does this session count values awaiting review (marked) beside the accepted ones? Default: no."""
    if UNREVIEWED_KEY not in st.session_state:
        return st.query_params.get(UNREVIEWED_PARAM) == "1"
    return bool(st.session_state[UNREVIEWED_KEY])


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def _target_status(as_of, horizon, plan, group, agency, include_unreviewed: bool) -> pd.DataFrame:
    return _run(read.target_status, as_of, horizon, plan, group, agency, include_unreviewed)


def target_status(
    as_of: str,
    horizon: str | None = None,
    plan: str | None = None,
    group: str | None = None,
    agency: str | None = None,
    with_unreviewed: bool | None = None,
) -> pd.DataFrame:
    """Statuses on accepted values, or with those awaiting review when the sidebar switch says so."""
    if with_unreviewed is None:
        with_unreviewed = include_unreviewed()
    return _target_status(as_of, horizon, plan, group, agency, bool(with_unreviewed))


@st.cache_data(show_spinner=False, ttl=TTL)
def latest_period() -> str | None:
    return _run(read.latest_period)


@st.cache_data(show_spinner=False, ttl=TTL)
def target_agencies() -> pd.DataFrame:
    return _run(read.target_agencies)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def history(indicator: str) -> pd.DataFrame:
    return _run(read.history, indicator)


# ---------------------------------------------------------------- tasks


@st.cache_data(show_spinner=False, ttl=TTL)
def task_catalog() -> pd.DataFrame:
    return _run(read.task_catalog)


@st.cache_data(show_spinner=False, ttl=TTL)
def task_updates() -> pd.DataFrame:
    return _run(read.task_updates)


@st.cache_data(show_spinner=False, ttl=TTL)
def task_links() -> pd.DataFrame:
    return _run(read.task_links)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def task_history(task_id: str) -> pd.DataFrame:
    return _run(read.task_history, task_id)


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=12)
def task_status(as_of: str) -> pd.DataFrame:
    """Every task of the plans issued by `as_of`, with its status and timing as of it (metrics.tasks)."""
    return tasks_metrics.task_status(task_catalog(), task_updates(), as_of, clock.today())


def task_completion_text(as_of: str) -> str:
    """The computed NV_HOAN_THANH with its basis, beside the value reported for it (Markdown, no user text)."""
    basis = tc.COMPLETION_BASIS
    completion = tc.task_completion(task_status(as_of), as_of, basis)
    reported = tc.reported_value(actuals(basis.indicator_id), as_of)
    at_due = None
    if period_index(as_of) > period_index(basis.due_period):
        at_due = tc.task_completion(task_status(basis.due_period), basis.due_period, basis)
    return tc.completion_sentence(completion, reported, basis, at_due)
