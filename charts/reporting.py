"""Reporting status per agency: the share of what it owes received on time, with the counts written out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.common import BASE_PX, BASE_PX_LARGE, frame_figure, wrap
from charts.vn import fmt_number

ON_TIME_COLOUR = "#0072B2"
LATE_COLOUR = "#E69F00"
ROW_PX = 34
# Noto Sans runs about half an em a character in these counts (0,47 em measured in Chromium); some spare.
CHAR_EM = 0.52


def count_text(row: dict) -> str:
    """What the bar means in words, so nothing depends on the colour."""
    parts = [f"{row['n_on_time']}/{row['n_owed']} đúng hạn"]
    if row["n_late"]:
        parts.append(f"{row['n_late']} muộn")
    if row["n_missing"]:
        parts.append(f"{row['n_missing']} chưa gửi, quá hạn")
    if row["n_pending"]:
        parts.append(f"{row['n_pending']} chưa đến hạn")
    share = row["share_on_time"]
    head = "–" if pd.isna(share) else f"{fmt_number(100 * share, 0)}%"
    return f"{head} · " + ", ".join(parts)


def reporting_figure(
    summary: pd.DataFrame, title: str, subtitle: str, footer: str, *, demo: bool = False, large: bool = False
) -> go.Figure:
    """One bar per agency (agency_summary rows), most overdue on top: on time, then late, out of 100%."""
    rows = summary.reset_index(drop=True)
    records = rows.to_dict("records")
    y = list(range(len(rows)))
    owed = rows["n_owed"].where(rows["n_owed"] > 0)
    fig = go.Figure()
    for column, colour, label in (
        ("n_on_time", ON_TIME_COLOUR, "Đúng hạn"),
        ("n_late", LATE_COLOUR, "Gửi muộn"),
    ):
        fig.add_trace(
            go.Bar(
                x=(100 * rows[column] / owed).fillna(0),
                y=y,
                orientation="h",
                marker_color=colour,
                marker_line=dict(color="white", width=1),
                name=label,
                hovertext=[f"<b>{r['agency_name']}</b><br>{count_text(r)}" for r in records],
                hoverinfo="text",
            )
        )
    counts = ["  " + count_text(r) for r in records]
    fig.add_trace(
        go.Scatter(
            x=[100] * len(rows),
            y=y,
            mode="text",
            text=counts,
            textposition="middle right",
            cliponaxis=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack", bargap=0.28)
    fig.update_xaxes(
        title_text="% số mục phải báo cáo",
        range=[0, 100],
        ticksuffix="%",
        showgrid=True,
        gridcolor="#E5E5E5",
        fixedrange=True,
    )
    fig.update_yaxes(
        range=[len(rows) - 0.5, -0.5],
        tickvals=y,
        ticktext=[wrap(n, 30, 2) for n in rows["agency_short_name"]],
        automargin=True,
        fixedrange=True,
    )
    # the counts sit right of the 100% line, in the margin: as wide as the longest, so none is cut
    counts_px = round(max(map(len, counts), default=0) * CHAR_EM * (BASE_PX_LARGE if large else BASE_PX))
    legend = [
        (ON_TIME_COLOUR, "Đúng hạn (phần đầu thanh)"),
        (LATE_COLOUR, "Gửi muộn"),
        (None, "phần trống: chưa gửi; số liệu ghi bên phải mỗi thanh"),
    ]
    return frame_figure(
        fig,
        title,
        subtitle,
        footer,
        height=len(rows) * (ROW_PX + (12 if large else 0)) + 90,
        legend=legend,
        demo=demo,
        large=large,
        margin_right=counts_px + 16,
        axis_px=62,  # tick labels and the axis title above the legend, never touching it
    )
