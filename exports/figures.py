"""The pages' charts rebuilt from a database connection: same titles, period, unit, source line, demo mark."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd
import plotly.graph_objects as go

from charts.agencies import agency_share_figure
from charts.indicator import indicator_figure
from charts.progress import progress_figure
from charts.vn import fmt_date
from exports import labels, queries
from loaders import read
from metrics.periods import quarter_label_vi
from metrics.rollup import rollup_by_agency
from metrics.status import required_path
from metrics.status_labels import status_order

CHART_KINDS = ("overview", "agencies", "indicator")
AGENCY_CHART_TITLE = "Tỷ lệ chỉ tiêu đạt hoặc đúng tiến độ theo cơ quan chủ trì"


@dataclass(frozen=True)
class Chart:
    name: str  # what the file is called before slug(): the same name as the page's image button
    figure: go.Figure


def footer_text(plan_names: Iterable[str], updated: date | datetime | None) -> str:
    """The source line under every chart (the same words as ui.frame.footer)."""
    when = f"số liệu cập nhật {fmt_date(updated)}" if updated is not None else "chưa có số liệu thực hiện"
    plans = ", ".join(sorted(plan_names))
    return f"Nguồn: {plans}; {when}. Bảng theo dõi NQ57 Lai Châu."


def overview_title(horizon: str) -> str:
    return f"Tiến độ các chỉ tiêu mốc {labels.horizon_label(horizon)}"


def overview_subtitle(as_of: str, n_targets: int) -> str:
    return (
        f"Số liệu đến {quarter_label_vi(as_of)} · {n_targets} chỉ tiêu · mỗi dòng theo đơn vị của chỉ tiêu đó"
    )


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
    figure = progress_figure(
        rows,
        title=overview_title(horizon),
        subtitle=overview_subtitle(as_of, len(rows)),
        footer=footer_text(rows["plan_name"].unique(), read.data_date(con)),
        demo=queries.is_demo(con),
        large=large,
    )
    return Chart(f"nq57 tong quan {horizon} {as_of}", figure)


@dataclass(frozen=True)
class Part:
    title: str
    subtitle: str
    figure: go.Figure


def _pieces(frame: pd.DataFrame, max_rows: int) -> list[pd.DataFrame]:
    """Cut rows (already in chart order) into pieces of at most max_rows, at a group boundary when the
    piece is at least half full, else inside the group."""
    pieces: list[pd.DataFrame] = []
    current: list[pd.DataFrame] = []
    size = 0
    for _, group in frame.groupby("group_order", sort=True):
        rest = group
        while len(rest):
            room = max_rows - size
            if len(rest) <= room:
                current.append(rest)
                size += len(rest)
                break
            if size * 2 >= max_rows:
                pieces.append(pd.concat(current))
                current, size = [], 0
                continue
            current.append(rest.iloc[:room])
            pieces.append(pd.concat(current))
            current, size, rest = [], 0, rest.iloc[room:]
    if current:
        pieces.append(pd.concat(current))
    return pieces


def overview_parts(
    rows: pd.DataFrame,
    horizon: str,
    as_of: str,
    footer: str,
    *,
    demo: bool,
    max_rows: int = 8,
    large: bool = True,
) -> list[Part]:
    """The overview chart cut into slide-sized pieces, whole thematic groups where they fit.

    Rows keep the chart's own order (group, then worst status first); a group split over two
    pieces has its header on both.
    """
    ordered = rows.assign(_o=rows["status"].map(status_order)).sort_values(
        ["group_order", "_o", "indicator_short_name"], kind="stable"
    )
    frames = [p.drop(columns="_o") for p in _pieces(ordered, max_rows)]
    title = overview_title(horizon)
    parts = []
    for i, frame in enumerate(frames, start=1):
        part_title = f"{title} ({i}/{len(frames)})" if len(frames) > 1 else title
        groups = ", ".join(dict.fromkeys(frame["group_name"]))
        subtitle = f"Số liệu đến {quarter_label_vi(as_of)} · {len(frame)}/{len(rows)} chỉ tiêu · {groups}"
        figure = progress_figure(frame, part_title, subtitle, footer, demo=demo, large=large)
        parts.append(Part(part_title, subtitle, figure))
    return parts


def agency_rollup(rows: pd.DataFrame, links: pd.DataFrame, agency: str | None = None) -> pd.DataFrame:
    """rollup_by_agency over the targets in `rows`, with the short names the chart labels use."""
    links = links[links["target_id"].isin(rows["target_id"])]
    if agency:
        links = links[links["agency_id"] == agency]
    return rollup_by_agency(rows, links).merge(
        links[["agency_id", "agency_short_name"]].drop_duplicates(), on="agency_id"
    )


def agencies_figure(
    rows: pd.DataFrame,
    links: pd.DataFrame,
    horizon: str | None,
    as_of: str,
    footer: str,
    *,
    agency: str | None = None,
    demo: bool,
    large: bool = False,
) -> go.Figure | None:
    rollup = agency_rollup(rows, links, agency)
    if rollup.empty:
        return None
    return agency_share_figure(
        rollup,
        title=AGENCY_CHART_TITLE,
        subtitle=(
            f"Số liệu đến {quarter_label_vi(as_of)} · {labels.horizon_scope(horizon)} · "
            "số chỉ tiêu theo trạng thái; tỷ lệ tính trên chỉ tiêu đã đánh giá được"
        ),
        footer=footer,
        demo=demo,
        large=large,
    )


def agencies_chart(
    con: duckdb.DuckDBPyConnection,
    horizon: str | None,
    as_of: str,
    *,
    agency: str | None = None,
    large: bool = False,
) -> Chart | None:
    """The chart of the page Theo cơ quan (horizon None = every horizon)."""
    rows = read.target_status(con, as_of, horizon, None, None, None)
    figure = agencies_figure(
        rows,
        read.target_agencies(con),
        horizon,
        as_of,
        footer_text(rows["plan_name"].unique(), read.data_date(con)),
        agency=agency,
        demo=queries.is_demo(con),
        large=large,
    )
    return None if figure is None else Chart(f"nq57 theo co quan {horizon or 'all'} {as_of}", figure)


def indicator_chart(
    con: duckdb.DuckDBPyConnection,
    indicator_id: str,
    as_of: str,
    *,
    until: str | None = "2031-Q1",
    large: bool = False,
) -> Chart | None:
    """The chart of the page Chỉ tiêu; None for an unknown or a qualitative indicator (no chart there)."""
    status = read.target_status(con, as_of)
    rows = status[status["indicator_id"] == indicator_id].sort_values(["due_period", "plan_id"])
    if rows.empty or rows.iloc[0]["direction"] in ("yes_no", "qualitative"):
        return None
    first = rows.iloc[0]
    actuals = read.actuals(con, indicator_id)
    actuals = actuals[actuals["period"].map(lambda p: p <= as_of)]
    ahead = rows[(rows["due_period"] > as_of) & rows["comparator"].ne("text")]
    focus = ahead.iloc[0] if not ahead.empty else None
    path = required_path(focus, rows, read.actuals(con), as_of) if focus is not None else []
    projection = None
    if focus is not None and pd.notna(focus["projected_value"]):
        projection = (focus["due_period"], focus["projected_value"])
    # As on the page: the time axis stops after 2030 unless the indicator only has 2045 targets.
    has_2045, has_other = (rows["horizon"] == "2045").any(), (rows["horizon"] != "2045").any()
    figure = indicator_figure(
        first,
        rows,
        actuals,
        path,
        projection,
        as_of,
        footer_text(rows["plan_name"].unique(), read.data_date(con)),
        until=until if has_2045 and has_other else None,
        demo=queries.is_demo(con),
        large=large,
    )
    return Chart(f"nq57 chi tieu {indicator_id} {as_of}", figure)


def without_title(fig: go.Figure) -> go.Figure:
    """A copy without the title block, for a slide whose own title and subtitle already say it."""
    out = go.Figure(fig)
    top = out.layout.margin.t or 0
    keep = 12
    out.update_layout(
        title=dict(text="", subtitle=dict(text="")),
        margin=dict(t=keep),
        height=(out.layout.height or 600) - top + keep,
    )
    return out
