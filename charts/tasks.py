"""Task charts: each agency's tasks by timing (done, late, not due yet …) and the timeline of due dates."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from charts import labels as words
from charts.common import frame_figure, wrap
from metrics.tasks import TIMING, TIMING_CODES, timing_badge

ROW_PX = 34
# Drawn from the left: done first, late last, so the red ends of the bars line up for the eye.
DRAW_ORDER: tuple[str, ...] = tuple(reversed(TIMING_CODES))
DARK_TEXT = {"due_later", "waiting", "no_deadline", "recurring"}


def _legend(present: set[str]) -> list[tuple[str | None, str]]:
    return [(TIMING[c].colour, timing_badge(c)) for c in DRAW_ORDER if c in present]


def agency_text(row: pd.Series) -> str:
    """'12/30 hoàn thành · 4 quá hạn' for the right of an agency's bar."""
    late = f" · {int(row['n_late'])} quá hạn" if row["n_late"] else ""
    return f"{int(row['n_completed'])}/{int(row['n_tasks'])} hoàn thành{late}"


def task_agency_figure(
    rollup: pd.DataFrame,
    title: str,
    subtitle: str,
    footer: str,
    *,
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """Each current lead agency's tasks by timing, as shares of its own tasks so a department with 60 tasks
    and a body with one compare on one scale; the counts are written in the bars and at the right."""
    rows = rollup.sort_values(["n_late", "n_tasks", "agency_name"], ascending=[False, False, True])
    rows = rows.reset_index(drop=True)
    total = rows["n_tasks"].clip(lower=1)
    y = list(range(len(rows)))
    names = rows["agency_short_name"] if "agency_short_name" in rows else rows["agency_name"]
    fig = go.Figure()
    present = set()
    for code in DRAW_ORDER:
        counts = rows[f"n_{code}"]
        if counts.sum() == 0:
            continue
        present.add(code)
        fig.add_trace(
            go.Bar(
                x=100 * counts / total,
                y=y,
                orientation="h",
                marker_color=TIMING[code].colour,
                marker_line=dict(color="white", width=1),
                name=timing_badge(code),
                # a count only where its segment is wide enough to read it (the rest is on hover)
                text=[str(c) if c and c / t >= 0.05 else "" for c, t in zip(counts, total, strict=True)],
                textposition="inside",
                insidetextanchor="middle",
                textfont=dict(color="#222222" if code in DARK_TEXT else "white", size=16 if large else 12),
                hovertext=[
                    f"<b>{n}</b><br>{timing_badge(code)}: {c}/{t}"
                    for n, c, t in zip(rows["agency_name"], counts, rows["n_tasks"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[100] * len(rows),
            y=y,
            mode="text",
            text=["  " + agency_text(r) for _, r in rows.iterrows()],
            textposition="middle right",
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    fig.update_layout(barmode="stack", bargap=0.28)
    fig.update_xaxes(
        title_text="Tỷ lệ trong số nhiệm vụ của cơ quan (%); số trong thanh là số nhiệm vụ",
        title_standoff=8,
        showgrid=True,
        gridcolor="#E5E5E5",
        zeroline=False,
        range=[0, 100.5],
        fixedrange=True,
        dtick=20,
        ticksuffix="%",
    )
    fig.update_yaxes(
        range=[len(rows) - 0.5, -0.5],
        tickvals=y,
        ticktext=[wrap(str(n), 30, 2) for n in names],
        automargin=True,
        fixedrange=True,
        tickfont=dict(size=17 if large else 12, color="#222222"),
    )
    height = len(rows) * (ROW_PX + (12 if large else 0)) + 90
    return frame_figure(
        fig,
        title,
        subtitle,
        footer,
        height=height,
        legend=_legend(present),
        demo=demo,
        large=large,
        margin_right=290 if large else 210,
        axis_px=64,
    )


def task_due_figure(
    buckets: pd.DataFrame,
    cutoff: date,
    title: str,
    subtitle: str,
    footer: str,
    *,
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """Tasks per due month in time order, then recurring, waiting and undated ones; a line marks what is due.

    buckets: metrics.tasks.due_buckets rows; cutoff: metrics.tasks.cutoff of the period shown.
    """
    order = buckets.drop_duplicates("bucket").sort_values("bucket").reset_index(drop=True)
    x_of = {b: i for i, b in enumerate(order["bucket"])}
    totals = buckets.groupby("bucket")["n"].sum().reindex(order["bucket"])
    top = float(totals.max()) if len(totals) else 1.0
    fig = go.Figure()
    present = set()
    for code in DRAW_ORDER:
        part = buckets[buckets["timing"] == code]
        if part.empty:
            continue
        present.add(code)
        fig.add_trace(
            go.Bar(
                x=part["bucket"].map(x_of),
                y=part["n"],
                marker_color=TIMING[code].colour,
                marker_line=dict(color="white", width=1),
                name=timing_badge(code),
                text=[str(n) if n >= 0.07 * top else "" for n in part["n"]],  # too thin to read: hover
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                textfont=dict(color="#222222" if code in DARK_TEXT else "white", size=16 if large else 12),
                hovertext=[
                    f"<b>{label}</b> · {timing_badge(code)}: {n}<br>"
                    + "<br>".join(wrap(t, 70, 1) for t in titles[:8])
                    + ("<br>…" if len(titles) > 8 else "")
                    for label, n, titles in zip(part["label"], part["n"], part["titles"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=list(range(len(order))),
            y=totals.values,
            mode="text",
            text=[f"<b>{int(n)}</b>" for n in totals.values],
            textposition="top center",
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    dated = order[order["is_date"]]
    passed = dated[dated["last_due"].dt.date < cutoff]
    undated_from = len(dated)
    shapes_y = dict(yref="paper", y0=0, y1=1)
    last_day = cutoff - timedelta(days=1)
    if len(passed):
        line_x = len(passed) - 0.5
        line = dict(color="#D55E00", width=2, dash="dash")
        fig.add_shape(type="line", x0=line_x, x1=line_x, line=line, **shapes_y)
        fig.add_annotation(
            x=line_x,
            y=1,
            yref="paper",
            text=f"đã đến hạn ←<br>(đến hết {last_day:%d/%m/%Y})",
            showarrow=False,
            xanchor="right",
            yanchor="top",
            align="right",
            font=dict(color="#D55E00", size=16 if large else 12),
        )
    if 0 < undated_from < len(order):
        gap = undated_from - 0.5
        fig.add_shape(type="line", x0=gap, x1=gap, line=dict(color="#999999", width=1), **shapes_y)
        fig.add_annotation(
            x=gap,
            y=1,
            yref="paper",
            text="không có<br>hạn cụ thể →",
            showarrow=False,
            xanchor="right",
            yanchor="top",
            align="right",
            font=dict(color="#555555", size=16 if large else 12),
        )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(
        tickvals=list(range(len(order))),
        ticktext=[wrap(str(label), 10, 2) for label in order["label"]],
        tickangle=0,
        title_text="Hạn hoàn thành (tháng/năm)",
        fixedrange=True,
        tickfont=dict(size=17 if large else 12, color="#222222"),
        range=[-0.6, len(order) - 0.4],
    )
    fig.update_yaxes(
        title_text="Số nhiệm vụ",
        range=[0, top * 1.35],
        showgrid=True,
        gridcolor="#E5E5E5",
        fixedrange=True,
        zeroline=False,
    )
    return frame_figure(
        fig,
        title,
        subtitle,
        footer,
        height=380 if not large else 520,
        legend=_legend(present),
        demo=demo,
        large=large,
        margin_left=60,
        axis_px=70,
    )


def task_footer(plan_names, last_update) -> str:
    """The source line under a task chart: the plans, and when the newest status update was recorded."""
    plans = ", ".join(sorted(set(plan_names)))
    when = (
        f"trạng thái cập nhật {last_update:%d/%m/%Y}"
        if last_update is not None and not pd.isna(last_update)
        else "chưa có cập nhật trạng thái"
    )
    return f"Nguồn: Phụ lục II {plans}; {when}. {words.APP}."
