"""Finished figures, cached by their plain inputs, so a click that changes nothing rebuilds nothing.

The builders in charts/ are pure functions of frames that ui.data already caches; building a figure cost
0.3–1 s a run at 100× (docs/performance.md). Cached with st.cache_data like the reads (cleared with them by
ui.db.after_write and refresh_if_changed); each caller gets its own copy, so a page may change its figure.
Pages call these with the same arguments they gave the builders; the builders are unchanged.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.agencies import agencies_figure
from charts.overview import overview_figure
from ui import data, frame

TTL = 600


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def overview(
    as_of: str,
    horizon: str,
    plan: str | None,
    group: str | None,
    agency: str | None,
    demo: bool,
    large: bool,
) -> go.Figure:
    rows = data.target_status(as_of, horizon, plan, group, agency)
    return overview_figure(
        rows,
        horizon,
        as_of,
        frame.footer(rows["plan_name"].unique()),
        scope=frame.filter_scope(frame.Filters(plan=plan, group=group, agency=agency)),
        demo=demo,
        large=large,
    )


def agency_links(rows: pd.DataFrame, agency: str | None) -> pd.DataFrame:
    """The lead-agency links of the targets in `rows` (of one agency when the filter names one)."""
    links = data.target_agencies()
    links = links[links["target_id"].isin(rows["target_id"])]
    return links[links["agency_id"] == agency] if agency else links


@st.cache_data(show_spinner=False, ttl=TTL, max_entries=64)
def agencies(
    as_of: str,
    horizon: str | None,
    plan: str | None,
    group: str | None,
    agency: str | None,
    demo: bool,
    large: bool,
) -> go.Figure | None:
    rows = data.target_status(as_of, horizon, plan, group, None)
    return agencies_figure(
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
