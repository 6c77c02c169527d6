"""The pages' charts for the exported files: read what the page reads, then call the page's own builder."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import plotly.graph_objects as go

from charts.agencies import agencies_figure
from charts.indicator import indicator_view, indicator_view_figure
from charts.labels import AGENCY_CHART_TITLE as AGENCY_CHART_TITLE  # the title slides and tests look for
from charts.labels import chart_name, filter_scope, footer_text
from charts.overview import overview_figure
from charts.overview import overview_parts as overview_parts  # the pack cuts the overview into slides
from loaders import export_reads, read

CHART_KINDS = ("overview", "agencies", "indicator")


@dataclass(frozen=True)
class Chart:
    name: str  # what the file is called before slug(): the same name as the page's image button
    figure: go.Figure


def _footer(con: duckdb.DuckDBPyConnection, plan_names) -> str:
    return footer_text(plan_names, read.data_date(con))


def overview_chart(
    con: duckdb.DuckDBPyConnection,
    horizon: str,
    as_of: str,
    *,
    agency: str | None = None,
    plan: str | None = None,
    group: str | None = None,
    large: bool = False,
) -> Chart | None:
    """The chart of the page Tổng quan; None when no target matches."""
    rows = read.target_status(con, as_of, horizon, plan, group, agency)
    if rows.empty:
        return None
    agency_name, group_name, plan_name = export_reads.filter_names(con, agency, group, plan)
    figure = overview_figure(
        rows,
        horizon,
        as_of,
        _footer(con, rows["plan_name"].unique()),
        scope=filter_scope(agency_name, group_name, plan_name),
        demo=export_reads.is_demo(con),
        large=large,
    )
    return Chart(chart_name("nq57 tong quan", horizon, agency, group, plan, as_of), figure)


def agencies_chart(
    con: duckdb.DuckDBPyConnection,
    horizon: str | None,
    as_of: str,
    *,
    agency: str | None = None,
    plan: str | None = None,
    group: str | None = None,
    large: bool = False,
) -> Chart | None:
    """The chart of the page Theo cơ quan (horizon None = every horizon)."""
    rows = read.target_status(con, as_of, horizon, plan, group, None)
    agency_name, group_name, plan_name = export_reads.filter_names(con, agency, group, plan)
    figure = agencies_figure(
        rows,
        read.target_agencies(con),
        horizon,
        as_of,
        _footer(con, rows["plan_name"].unique()),
        agency=agency,
        scope=filter_scope(agency_name, group_name, plan_name),
        demo=export_reads.is_demo(con),
        large=large,
    )
    name = chart_name("nq57 theo co quan", horizon or "all", agency, group, plan, as_of)
    return None if figure is None else Chart(name, figure)


def indicator_chart(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    as_of: str,
    *,
    whole_axis: bool = False,
    large: bool = False,
) -> Chart | None:
    """The chart of the page Chỉ tiêu; None for an unknown or a qualitative indicator (no chart there)."""
    view = indicator_view(
        read.target_status(con, as_of),
        indicator_id,
        read.actuals(con, indicator_id),
        read.actuals(con),
        as_of,
    )
    if view is None or not view.drawable:
        return None
    figure = indicator_view_figure(
        view,
        _footer(con, view.targets["plan_name"].unique()),
        whole_axis=whole_axis,
        demo=export_reads.is_demo(con),
        large=large,
    )
    return Chart(f"nq57 chi tieu {indicator_id} {as_of}", figure)


def without_title(fig: go.Figure) -> go.Figure:
    """A copy without the title block, for a slide whose own title and subtitle already say it."""
    out = go.Figure(fig)
    top = out.layout.margin.t or 0
    keep = 12
    out.layout.annotations = [a for a in out.layout.annotations if a.name not in ("title", "subtitle")]
    out.update_layout(
        margin=dict(t=keep),
        height=(out.layout.height or 600) - top + keep,
    )
    return out
