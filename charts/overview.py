"""The chart of the page Tổng quan, whole or cut into slide-sized parts: every target of one horizon."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from charts import labels as words
from charts.progress import progress_figure
from metrics.status_labels import status_order


def overview_title(horizon: str) -> str:
    return f"Tiến độ các chỉ tiêu {words.horizon_scope(horizon)}"


def overview_subtitle(as_of: str, n_targets: int) -> str:
    return f"{words.period_line(as_of)} · {n_targets} chỉ tiêu · {words.OVERVIEW_ROW_NOTE}"


def overview_figure(
    rows: pd.DataFrame,
    horizon: str,
    as_of: str,
    footer: str,
    *,
    scope: str = "",
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """rows: target_status of one horizon as of a period (v_targets columns included); scope: the filters."""
    return progress_figure(
        rows,
        title=words.scoped(overview_title(horizon), scope),
        subtitle=overview_subtitle(as_of, len(rows)),
        footer=footer,
        demo=demo,
        large=large,
    )


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
    scope: str = "",
) -> list[Part]:
    """The overview chart cut into slide-sized pieces, whole thematic groups where they fit.

    Rows keep the chart's own order (group, then worst status first); a group split over two
    pieces has its header on both.
    """
    ordered = rows.assign(_o=rows["status"].map(status_order)).sort_values(
        ["group_order", "_o", "indicator_short_name"], kind="stable"
    )
    frames = [p.drop(columns="_o") for p in _pieces(ordered, max_rows)]
    title = words.scoped(overview_title(horizon), scope)
    parts = []
    for i, frame in enumerate(frames, start=1):
        part_title = f"{title} ({i}/{len(frames)})" if len(frames) > 1 else title
        groups = ", ".join(dict.fromkeys(frame["group_name"]))
        subtitle = f"{words.period_line(as_of)} · {len(frame)}/{len(rows)} chỉ tiêu · {groups}"
        figure = progress_figure(frame, part_title, subtitle, footer, demo=demo, large=large)
        parts.append(Part(part_title, subtitle, figure))
    return parts
