"""Finished figures, cached by their plain inputs, so a click that changes nothing rebuilds nothing.

The builders in charts/ are pure functions of frames that ui.data already caches; building a figure cost
0.3–1 s a run at 100× (docs/performance.md). Cached with st.cache_data like the reads (cleared with them by
ui.db.after_write and refresh_if_changed); each caller gets its own copy, so a page may change its figure.
Pages call these with the same arguments they gave the builders; the builders are unchanged. Whether values
awaiting review are counted (the sidebar switch) is part of every key: the public functions read it and pass
it to the cached ones, so two sessions with the switch set differently never share a figure.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.agencies import agencies_figure
from charts.indicator import IndicatorView, indicator_view_figure
from charts.indicator import indicator_view as build_indicator_view
from charts.overview import overview_figure
from charts.tasks import task_agency_figure, task_due_figure, task_footer
from metrics import tasks as mt
from metrics.periods import quarter_label_vi
from ui import data, frame

TTL = 600


def freeze(fig: go.Figure | None) -> dict | None:
    """What the cache keeps of a figure: its plain dict. Unpickling a go.Figure validates every property
    again (15-30 ms a figure at 100x on every warm run); the figure was validated when it was built."""
    return None if fig is None else fig.to_dict()


def thaw(spec: dict | None) -> go.Figure | None:
    """The caller's own figure from the cached dict, built without validating it a second time."""
    return None if spec is None else go.Figure(spec, _validate=False)


def overview(
    as_of: str,
    horizon: str,
    plan: str | None,
    group: str | None,
    agency: str | None,
    demo: bool,
    large: bool,
) -> go.Figure:
    return thaw(_overview(as_of, horizon, plan, group, agency, demo, large, data.include_unreviewed()))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _overview(as_of, horizon, plan, group, agency, demo, large, unreviewed: bool) -> dict:
    rows = data.target_status(as_of, horizon, plan, group, agency, unreviewed)
    fig = overview_figure(
        rows,
        horizon,
        as_of,
        frame.footer(rows["plan_name"].unique()),
        scope=frame.filter_scope(frame.Filters(plan=plan, group=group, agency=agency)),
        demo=demo,
        large=large,
    )
    return freeze(fig)


def agency_links(rows: pd.DataFrame, agency: str | None) -> pd.DataFrame:
    """The lead-agency links of the targets in `rows` (of one agency when the filter names one)."""
    links = data.target_agencies()
    links = links[links["target_id"].isin(rows["target_id"])]
    return links[links["agency_id"] == agency] if agency else links


def agencies(
    as_of: str,
    horizon: str | None,
    plan: str | None,
    group: str | None,
    agency: str | None,
    demo: bool,
    large: bool,
) -> go.Figure | None:
    return thaw(_agencies(as_of, horizon, plan, group, agency, demo, large, data.include_unreviewed()))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _agencies(as_of, horizon, plan, group, agency, demo, large, unreviewed: bool) -> dict | None:
    rows = data.target_status(as_of, horizon, plan, group, None, unreviewed)
    fig = agencies_figure(
        rows,
        agency_links(rows, agency),
        horizon,
        as_of,
        frame.footer(rows["plan_name"].unique()),
        agency=agency,
        scope=frame.filter_scope(frame.Filters(plan=plan, group=group, agency=agency)),
        demo=demo,
        large=large,
    )
    return freeze(fig)


# ---------------------------------------------------------------- Chỉ tiêu


def indicator_view(as_of: str, indicator_id: str) -> IndicatorView | None:
    """What the Chỉ tiêu page draws of one indicator (charts.indicator.indicator_view), cached."""
    return _indicator_view(as_of, indicator_id, data.include_unreviewed())


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _indicator_view(as_of: str, indicator_id: str, unreviewed: bool) -> IndicatorView | None:
    return build_indicator_view(
        data.target_status(as_of, None, None, None, None, unreviewed),
        indicator_id,
        data.actuals(indicator_id),
        data.actuals(None),
        as_of,
    )


def indicator(as_of: str, indicator_id: str, whole_axis: bool, demo: bool, large: bool) -> go.Figure:
    return thaw(_indicator(as_of, indicator_id, whole_axis, demo, large, data.include_unreviewed()))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def _indicator(as_of, indicator_id, whole_axis, demo, large, unreviewed: bool) -> dict:
    view = _indicator_view(as_of, indicator_id, unreviewed)
    fig = indicator_view_figure(
        view,
        frame.footer(view.targets["plan_name"].unique()),
        whole_axis=whole_axis,
        demo=demo,
        large=large,
    )
    return freeze(fig)


# ---------------------------------------------------------------- Nhiệm vụ


def task_scope(as_of: str, plan: str | None, agency: str | None) -> pd.DataFrame:
    """The tasks of the page Nhiệm vụ under the sidebar's plan and agency (metrics.tasks.filter_tasks)."""
    return mt.filter_tasks(data.task_status(as_of), data.task_links(), plan=plan, agency=agency)


def task_agency(as_of: str, plan: str | None, agency: str | None, demo: bool, large: bool) -> go.Figure:
    return thaw(_task_agency(as_of, plan, agency, demo, large))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def _task_agency(as_of: str, plan: str | None, agency: str | None, demo: bool, large: bool) -> dict:
    scope = task_scope(as_of, plan, agency)
    rollup = mt.rollup_by_agency(scope, data.task_links())
    if agency:
        rollup = rollup[rollup["agency_id"] == agency]
    fig = task_agency_figure(
        rollup,
        title="Nhiệm vụ theo cơ quan chủ trì: hoàn thành, quá hạn, chưa đến hạn",
        subtitle=f"Tình trạng đến {quarter_label_vi(as_of)} · {len(scope)} nhiệm vụ · nhiệm vụ có nhiều cơ "
        "quan chủ trì được tính cho mỗi cơ quan",
        footer=task_footer(scope["plan_name"], scope["recorded_at"].max()),
        demo=demo,
        large=large,
    )
    return freeze(fig)


def task_due(as_of: str, plan: str | None, agency: str | None, demo: bool, large: bool) -> go.Figure:
    return thaw(_task_due(as_of, plan, agency, demo, large))


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=32)
def _task_due(as_of: str, plan: str | None, agency: str | None, demo: bool, large: bool) -> dict:
    scope = task_scope(as_of, plan, agency)
    fig = task_due_figure(
        mt.due_buckets(scope),
        mt.cutoff(as_of),
        title="Hạn hoàn thành các nhiệm vụ",
        subtitle=f"Tình trạng đến {quarter_label_vi(as_of)} · số nhiệm vụ theo tháng đến hạn, rồi nhiệm vụ "
        "không có hạn cụ thể",
        footer=task_footer(scope["plan_name"], scope["recorded_at"].max()),
        demo=demo,
        large=large,
    )
    return freeze(fig)
