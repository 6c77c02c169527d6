"""Agencies compared: how many of each agency's targets are in each status, best share first."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts import labels as words
from charts.common import frame_figure, wrap
from charts.vn import fmt_number
from metrics.rollup import rollup_by_agency
from metrics.status_labels import STATUS_CODES, status_badge, status_colour

ROW_PX = 34


def share_text(row: pd.Series) -> str:
    if row["n_assessed"] == 0:
        return "chưa có chỉ tiêu đánh giá được"
    share = fmt_number(100 * row["share_met_or_on_track"], 0)
    return f"{share}% đạt hoặc đúng tiến độ ({row['n_met_or_on_track']}/{row['n_assessed']})"


def agency_share_figure(
    rollup: pd.DataFrame,
    title: str,
    subtitle: str,
    footer: str,
    *,
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """Stacked counts per status for each agency (rollup_by_agency plus agency_short_name)."""
    rows = rollup.assign(_share=rollup["share_met_or_on_track"].fillna(-1)).sort_values(
        ["_share", "n_targets"], ascending=[False, False]
    )
    rows = rows.reset_index(drop=True)
    y = list(range(len(rows)))
    labels = [wrap(name, 30, 2) for name in rows["agency_short_name"]]
    fig = go.Figure()
    present = []
    for code in reversed(STATUS_CODES):  # best first, from the left
        counts = rows[f"n_{code}"]
        if counts.sum() == 0:
            continue
        present.append(code)
        fig.add_trace(
            go.Bar(
                x=counts,
                y=y,
                orientation="h",
                marker_color=status_colour(code),
                name=status_badge(code),
                marker_line=dict(color="white", width=1),
                text=[str(c) if c else "" for c in counts],
                textposition="inside",
                insidetextanchor="middle",
                textfont=dict(
                    color="white" if code in ("met", "met_early", "not_met", "manual") else "#222222"
                ),
                hovertext=[
                    f"<b>{n}</b><br>{status_badge(code)}: {c}"
                    for n, c in zip(rows["agency_name"], counts, strict=True)
                ],
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=rows["n_targets"],
            y=y,
            mode="text",
            text=["  " + share_text(r) for _, r in rows.iterrows()],
            textposition="middle right",
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    legend = [(status_colour(c), status_badge(c)) for c in present]
    height = len(rows) * (ROW_PX + (12 if large else 0)) + 90
    # A segment too narrow for its count shows no number (hover still has it) rather than a cut "1".
    fig.update_layout(barmode="stack", bargap=0.28, uniformtext=dict(minsize=11, mode="hide"))
    fig.update_xaxes(
        title_text="Số chỉ tiêu",
        showgrid=True,
        gridcolor="#E5E5E5",
        zeroline=False,
        range=[0, rows["n_targets"].max() * 1.02],
        fixedrange=True,
        dtick=5 if rows["n_targets"].max() > 12 else 1,
    )
    fig.update_yaxes(
        range=[len(rows) - 0.5, -0.5],
        tickvals=y,
        ticktext=labels,
        fixedrange=True,
        tickfont=dict(size=17 if large else 12, color="#222222"),
    )
    # The left margin is sized to the longest label rather than grown by Plotly (automargin): the title
    # block is placed from the figure's left edge and must know where that is.
    longest = max(len(line) for label in labels for line in label.split("<br>"))
    left = int(24 + (9.8 if large else 7.0) * longest)
    return frame_figure(
        fig,
        title,
        subtitle,
        footer,
        height=height,
        legend=legend,
        demo=demo,
        large=large,
        margin_left=left,
        margin_right=380 if large else 290,
        axis_px=58,  # tick labels and the axis title, clear of the legend under them
    )


def agency_rollup(rows: pd.DataFrame, links: pd.DataFrame, agency: str | None = None) -> pd.DataFrame:
    """rollup_by_agency over the targets in `rows` (one agency's alone if given), with the chart's short names."""
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
    scope: str = "",
    demo: bool = False,
    large: bool = False,
) -> go.Figure | None:
    """The chart of the page Theo cơ quan (horizon None = every horizon); None when no agency leads a target."""
    rollup = agency_rollup(rows, links, agency)
    if rollup.empty:
        return None
    return agency_share_figure(
        rollup,
        title=words.scoped(words.AGENCY_CHART_TITLE, scope),
        subtitle=f"{words.period_line(as_of)} · {words.horizon_scope(horizon)} · {words.AGENCY_CHART_NOTE}",
        footer=footer,
        demo=demo,
        large=large,
    )
