"""Cached reads for pages: plain parameters in, frames out, cleared by ui.db.after_write()."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loaders import read
from ui.db import cursor


def _run(fn, *args):
    cur = cursor()
    try:
        return fn(cur, *args)
    finally:
        cur.close()


@st.cache_data(show_spinner=False, ttl=600)
def targets(
    horizon: str | None = None, plan: str | None = None, group: str | None = None, agency: str | None = None
) -> pd.DataFrame:
    return _run(read.targets, horizon, plan, group, agency)


@st.cache_data(show_spinner=False, ttl=600)
def tasks(plan: str | None = None, agency: str | None = None) -> pd.DataFrame:
    return _run(read.tasks, plan, agency)


@st.cache_data(show_spinner=False, ttl=600)
def plans() -> pd.DataFrame:
    return _run(read.plans)


@st.cache_data(show_spinner=False, ttl=600)
def actuals(indicator: str | None = None) -> pd.DataFrame:
    return _run(read.actuals, indicator)


@st.cache_data(show_spinner=False, ttl=600)
def data_date():
    return _run(read.data_date)


@st.cache_data(show_spinner=False, ttl=600)
def target_status(
    as_of: str,
    horizon: str | None = None,
    plan: str | None = None,
    group: str | None = None,
    agency: str | None = None,
) -> pd.DataFrame:
    return _run(read.target_status, as_of, horizon, plan, group, agency)


@st.cache_data(show_spinner=False, ttl=600)
def latest_period() -> str | None:
    return _run(read.latest_period)


@st.cache_data(show_spinner=False, ttl=600)
def target_agencies() -> pd.DataFrame:
    return _run(read.target_agencies)


@st.cache_data(show_spinner=False, ttl=600)
def history(indicator: str) -> pd.DataFrame:
    return _run(read.history, indicator)
