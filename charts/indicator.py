"""One indicator over time: actuals, every target of every plan, the required path and the projection."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from charts.common import frame_figure, wrap
from charts.vn import fmt_number, fmt_value, target_label
from metrics.periods import parse_period, quarter_label_vi
from metrics.status_path import required_path

ACTUAL = "#0072B2"
PATH = "#555555"
PROJECTION = "#E69F00"
# One marker shape per plan, so plans stay apart in greyscale too.
PLAN_SYMBOLS = {"ubnd2025": "diamond", "skhcn2025": "square", "ubnd6896": "star", "tu11": "triangle-up"}
PLAN_COLOURS = {"ubnd2025": "#D55E00", "skhcn2025": "#CC79A7", "ubnd6896": "#009E73", "tu11": "#000000"}


# Indicators the Steering Committee judges by hand: no chart, the assessments are in the history.
MANUAL_DIRECTIONS = ("yes_no", "qualitative")
# Unless asked for the whole horizon, the time axis stops after 2030 and 2045 targets are named at its edge.
AXIS_END = "2031-Q1"


LABEL_MARGIN = 230  # px right of the plot for the named levels


def _y_range(values, path, projection, shown, beyond, lower: bool) -> list[float]:
    """The value axis, fixed so the margin labels can be placed in pixels: every drawn value, padded."""
    every = [*values.dropna(), *(v for _, v in path)]
    every += [projection[1]] if projection else []
    for frame in (shown, beyond):
        every += [*frame["target_value"].dropna(), *frame["target_value_high"].dropna()]
    low, high = (min(every), max(every)) if every else (0.0, 1.0)
    pad = (high - low) * 0.12 or max(abs(high) * 0.1, 1.0)
    low = 0.0 if 0 <= low <= pad * 2 and not lower else low - pad
    return [low, high + pad]


def _margin_labels(
    fig: go.Figure, targets: pd.DataFrame, y_range: list[float], plot_px: int, reverse: bool, size: int = 11
) -> None:
    """'→ 2030: ≥ 80%' and the plans, at the level's height in the right margin, pushed apart to stay legible."""
    rows: dict[tuple[str, str], dict] = {}
    for r in targets.sort_values("due_period").itertuples():
        key = (r.due_period, target_label(r))
        entry = rows.setdefault(
            key, {"y": r.target_value, "plans": [], "colour": PLAN_COLOURS.get(r.plan_id)}
        )
        entry["plans"].append(r.plan_name)
        if len(entry["plans"]) > 1:
            entry["colour"] = "#333333"
    if not rows:
        return
    span = (y_range[1] - y_range[0]) or 1.0
    placed = []
    for (due, label), entry in rows.items():
        px = (entry["y"] - y_range[0]) / span * plot_px
        entry["text"] = (
            f"→ {due[:4]}: <b>{wrap(label, 26, 2)}</b><br>{wrap('; '.join(entry['plans']), 34, 2)}"
        )
        entry["px"] = (entry["text"].count("<br>") + 1) * round(size * 1.3)
        placed.append([plot_px - px if reverse else px, due, label, entry])
    placed.sort(key=lambda p: p[0])
    for i in range(1, len(placed)):  # from the bottom up, each at least half of both labels above the last
        gap = (placed[i - 1][3]["px"] + placed[i][3]["px"]) / 2 + 4
        placed[i][0] = max(placed[i][0], placed[i - 1][0] + gap)
    overflow = placed[-1][0] - plot_px
    if overflow > 0:  # pushed past the top: shift the whole stack down, not below the bottom
        for p in placed:
            p[0] -= overflow
    for px, _due, _label, entry in placed:
        true_px = (entry["y"] - y_range[0]) / span * plot_px
        true_px = plot_px - true_px if reverse else true_px
        fig.add_annotation(
            x=1,
            xref="paper",
            y=entry["y"],
            yshift=px - true_px,
            text=entry["text"],
            showarrow=False,
            xanchor="left",
            align="left",
            xshift=6,
            font=dict(size=size, color=entry["colour"] or "#444444"),
        )


def _value_labels(series: pd.DataFrame) -> list[str]:
    """The latest value, and each year's end a few quarters before it: every quarter labelled ran the
    numbers into one another on a narrow chart; the others are on hover."""
    last = len(series) - 1
    return [
        fmt_number(v) if i == last or (p.endswith("Q4") and last - i >= 3) else ""
        for i, (p, v) in enumerate(zip(series["period"], series["value"], strict=True))
    ]


def quarter_end(period: str) -> date:
    """The middle of the quarter: a point for 2030-Q4 then sits inside 2030 on a yearly axis."""
    year, quarter = parse_period(period)
    return date(year, 3 * quarter - 1, 15)


def _ok(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def indicator_figure(
    indicator: pd.Series,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    path: list[tuple[str, float]],
    projection: tuple[str, float] | None,
    as_of: str,
    footer: str,
    *,
    until: str | None = None,
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """indicator: a v_targets row for naming; targets: its v_targets rows; actuals: its v_actuals rows.

    Targets due after `until` are named at the right edge instead of stretching the time axis to 2045.
    """
    unit = indicator["unit"]
    lower = indicator["direction"] == "lower"
    fig = go.Figure()
    series = actuals[actuals["value"].notna()].copy()
    if not series.empty:
        series["x"] = series["period"].map(quarter_end)
        fig.add_trace(
            go.Scatter(
                x=series["x"],
                y=series["value"],
                mode="lines+markers+text",
                name="● Thực hiện",
                line=dict(color=ACTUAL, width=3),
                marker=dict(size=9, color=ACTUAL),
                text=_value_labels(series),
                textposition="top center",
                hovertext=[
                    f"{quarter_label_vi(p)}: {fmt_value(v, unit)}<br>{by}"
                    for p, v, by in zip(series["period"], series["value"], series["recorded_by"], strict=True)
                ],
                hoverinfo="text",
            )
        )
    if path:
        fig.add_trace(
            go.Scatter(
                x=[quarter_end(p) for p, _ in path],
                y=[v for _, v in path],
                mode="lines",
                name="Lộ trình cần đạt",
                line=dict(color=PATH, width=2, dash="dash"),
                hoverinfo="skip",
            )
        )
    capped = ""
    if projection and str(unit).startswith("%") and not 0 <= projection[1] <= 100:
        # A share cannot pass 100% (or fall under 0): the trend is drawn to the bound, and says so.
        projection = (projection[0], min(max(projection[1], 0.0), 100.0))
        capped = " (xu hướng vượt giới hạn 0–100%, vẽ tới giới hạn)"
    if projection and series.shape[0]:
        last = series.iloc[-1]
        fig.add_trace(
            go.Scatter(
                x=[last["x"], quarter_end(projection[0])],
                y=[last["value"], projection[1]],
                mode="lines+markers",
                name="Dự báo theo xu hướng gần đây",
                line=dict(color=PROJECTION, width=2, dash="dot"),
                marker=dict(size=[0, 10], color=PROJECTION, symbol="circle-open"),
                hovertext=[
                    "",
                    f"Dự báo {quarter_label_vi(projection[0])}: {fmt_value(projection[1], unit)}{capped}",
                ],
                hoverinfo="text",
            )
        )
    legend: list[tuple[str | None, str]] = [(ACTUAL, "Thực hiện")]
    if path:
        legend.append((None, "<span style='color:#555555'>- - -</span> Lộ trình cần đạt (đến kỳ báo cáo)"))
    if projection:
        legend.append((None, f"<span style='color:{PROJECTION}'>· · ·</span> Dự báo theo xu hướng{capped}"))
    shown = targets[targets["comparator"] != "text"]
    beyond = shown[shown["due_period"] > until] if until else shown.iloc[0:0]
    shown = shown.drop(beyond.index)
    for plan_id, part in shown.groupby("plan_id", sort=True):
        symbol = PLAN_SYMBOLS.get(plan_id, "circle")
        colour = PLAN_COLOURS.get(plan_id, "#444444")
        x = [quarter_end(d) for d in part["due_period"]]
        labels = [target_label(r) for r in part.itertuples()]
        high = part["target_value_high"]
        error = None
        if high.notna().any():
            error = dict(
                type="data",
                symmetric=False,
                array=(high - part["target_value"]).fillna(0).tolist(),
                arrayminus=[0] * len(part),
                color=colour,
                thickness=2,
                width=10,
            )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=part["target_value"],
                mode="markers",
                name=part["plan_name"].iloc[0],
                marker=dict(symbol=symbol, size=15, color=colour, line=dict(color="white", width=1)),
                error_y=error,
                cliponaxis=False,
                hovertext=[
                    f"Chỉ tiêu {lab}<br>{r.plan_name}, {r.source_ref}"
                    for lab, r in zip(labels, part.itertuples(), strict=True)
                ],
                hoverinfo="text",
            )
        )
        legend.append((colour, f"Chỉ tiêu theo {part['plan_name'].iloc[0]}"))
    # Every level is named in the right margin, not beside its marker: there a label ran over the
    # values and the other plans' labels. Plans with the same level at the same date share one label.
    y_range = _y_range(series["value"], path, projection, shown, beyond, lower)
    _margin_labels(
        fig,
        pd.concat([shown, beyond]),
        y_range,
        plot_px=(680 if large else 520) - 130,
        reverse=lower,
        size=15 if large else 11,
    )
    fig.add_vline(x=quarter_end(as_of), line=dict(color="#999999", width=1, dash="dot"))
    fig.add_annotation(
        x=quarter_end(as_of),
        y=1,
        yref="paper",
        text=f"Kỳ báo cáo: {quarter_label_vi(as_of)}",
        showarrow=False,
        xanchor="left",
        yanchor="bottom",
        font=dict(size=14 if large else 11, color="#555555"),
    )
    axis_title = unit + (" (càng nhỏ càng tốt)" if lower else "")
    fig.update_yaxes(
        title_text=axis_title,
        range=y_range[::-1] if lower else y_range,
        gridcolor="#E5E5E5",
        zeroline=False,
        automargin=True,
    )
    fig.update_xaxes(tickformat="%Y", dtick="M12", gridcolor="#F0F0F0", automargin=True)
    title = f"{indicator['indicator_name']}"
    subtitle = (
        f"Đơn vị: {unit} · số liệu đến {quarter_label_vi(as_of)} · "
        f"{len(targets)} chỉ tiêu của {targets['plan_id'].nunique()} kế hoạch"
    )
    return frame_figure(
        fig,
        title,
        subtitle,
        footer,
        height=520 if not large else 680,
        legend=legend,
        demo=demo,
        large=large,
        margin_left=10,
        margin_right=LABEL_MARGIN + (100 if large else 0),
        axis_px=30,
    )


def values_until(actuals: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The rows of periods up to as_of, all columns kept.

    The mask is cast to bool: mapped over no rows it comes out as an object Series, which pandas reads
    as a list of column names and so drops every column (the KeyError 'value' of a new install).
    """
    return actuals.loc[actuals["period"].map(lambda p: p <= as_of).astype(bool)]


@dataclass(frozen=True)
class IndicatorView:
    """What the Chỉ tiêu chart of one indicator draws as of a period, for the page and its exports alike."""

    indicator: pd.Series  # its first target row, for the name, unit and direction
    targets: pd.DataFrame  # every target of the indicator with its status, by due period then plan
    actuals: pd.DataFrame  # its values of periods up to as_of
    focus: pd.Series | None  # the next numeric target due after as_of: the path and projection aim at it
    path: list[tuple[str, float]]
    projection: tuple[str, float] | None
    as_of: str

    @property
    def drawable(self) -> bool:
        return self.indicator["direction"] not in MANUAL_DIRECTIONS

    @property
    def has_values(self) -> bool:
        return bool(self.actuals["value"].notna().any())

    @property
    def spans_2045(self) -> bool:
        """Targets for 2045 beside nearer ones: the axis can stop at 2030 and name 2045 at its edge."""
        horizons = self.targets["horizon"]
        return bool((horizons == "2045").any() and (horizons != "2045").any())


def indicator_view(
    status: pd.DataFrame, indicator_id: str, actuals: pd.DataFrame, all_actuals: pd.DataFrame, as_of: str
) -> IndicatorView | None:
    """status: target_status(as_of) of every target; actuals: v_actuals of this indicator; all_actuals: of
    every indicator (the required path may lean on another's values). None for an unknown indicator."""
    targets = status[status["indicator_id"] == indicator_id].sort_values(["due_period", "plan_id"])
    if targets.empty:
        return None
    ahead = targets[(targets["due_period"] > as_of) & targets["comparator"].ne("text")]
    focus = ahead.iloc[0] if not ahead.empty else None
    path = required_path(focus, targets, all_actuals, as_of) if focus is not None else []
    projection = None
    if focus is not None and pd.notna(focus["projected_value"]):
        projection = (focus["due_period"], focus["projected_value"])
    return IndicatorView(
        targets.iloc[0], targets, values_until(actuals, as_of), focus, path, projection, as_of
    )


def indicator_view_figure(
    view: IndicatorView,
    footer: str,
    *,
    whole_axis: bool = False,
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """The chart of the page Chỉ tiêu; whole_axis stretches the time axis to 2045 where it would stop at 2030."""
    return indicator_figure(
        view.indicator,
        view.targets,
        view.actuals,
        view.path,
        view.projection,
        view.as_of,
        footer,
        until=AXIS_END if view.spans_2045 and not whole_axis else None,
        demo=demo,
        large=large,
    )
