"""Progress toward thresholds: one bullet row per target, each on the scale of its own unit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from charts.common import frame_figure, wrap
from charts.vn import fmt_target, fmt_value, target_label
from metrics.status_labels import STATUS_CODES, status_badge, status_colour, status_order

ROW_PX = 34
TRACK = "#EDEDED"
TARGET_MARK = "#222222"
REQUIRED_MARK = "#444444"
TARGET_AT = 0.8  # where every row's target sits on its track: room beyond it for a target exceeded


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def row_scale(row: pd.Series) -> tuple[float, float, bool]:
    """The (low, high, reversed) scale a row is drawn on: 0–100 for percentages, rank 1–63 reversed."""
    values = [
        v
        for v in (
            row.get("actual_value"),
            row.get("required_value"),
            row.get("target_value"),
            row.get("target_value_high"),
        )
        if not _nan(v)
    ]
    unit = str(row.get("unit") or "")
    if row.get("direction") == "lower":
        return 0.0, max([63.0, *values]), True
    if unit.startswith("%"):
        return 0.0, max([100.0, *values]), False
    return 0.0, (max(values) * 1.15 if values else 1.0), False


def position(value, low: float, high: float, reverse: bool) -> float | None:
    """Where a value sits on its row, 0 = start of the track, 1 = its end; for ranks smaller is further."""
    if _nan(value) or high == low:
        return None
    share = (value - low) / (high - low)
    share = 1 - share if reverse else share
    return min(max(share, 0.0), 1.0)


def prepare_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the positions and texts the chart draws, sorted by group then worst status first."""
    out = frame.copy()
    # row_scale and position for every row at once: apply(axis=1) builds a Series per row.
    values = out[["actual_value", "required_value", "target_value", "target_value_high"]].astype("float64")
    top = values.max(axis=1, skipna=True).to_numpy()  # NaN where the row has no value at all
    reverse = (out["direction"] == "lower").to_numpy()
    percent = out["unit"].fillna("").astype(str).str.startswith("%").to_numpy()
    with np.errstate(invalid="ignore"):
        high = np.where(
            reverse,
            np.fmax(63.0, top),
            np.where(percent, np.fmax(100.0, top), np.where(np.isnan(top), 1.0, top * 1.15)),
        )
    out["scale_low"], out["scale_high"], out["scale_reversed"] = 0.0, high, reverse
    manual = (out["direction"].isin(["yes_no", "qualitative"]) | out["comparator"].eq("text")).to_numpy()
    # Each row is drawn as its share of the way to its own target, the target at TARGET_AT of the track:
    # on one 0–100 scale 2,2 against ≥ 3 and 8,1 against 9–10 looked met; now every gap reads alike.
    # Ranks (smaller is better) count the way down from the bottom of the scale.
    target = values["target_value"].to_numpy()
    with np.errstate(invalid="ignore"):
        way = np.where(reverse, high - target, target)
        normalised = ~manual & np.isfinite(way) & (way > 0)
    out["normalised"] = normalised
    for column in ("actual_value", "required_value", "target_value", "target_value_high"):
        v = values[column].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            share = v / high
            share = np.where(reverse, 1 - share, share)
            share = np.where(normalised, TARGET_AT * np.where(reverse, high - v, v) / way, share)
        share = np.clip(share, 0.0, 1.0)
        out[f"pos_{column}"] = np.where(high == 0, np.nan, share)
    texts = out[
        ["comparator", "target_value", "target_value_high", "unit", "value_as_written", "also_rising"]
    ]
    out["target_label"] = [fmt_target(*r) for r in texts.itertuples(index=False, name=None)]
    out["badge"] = out["status"].map(status_badge)
    manual = pd.Series(manual, index=out.index)
    for column in ("pos_target_value", "pos_target_value_high", "pos_required_value"):
        out.loc[manual, column] = None
    several_plans = out["plan_name"].nunique() > 1
    used = ["status", "manual_result", "badge", "actual_value", "unit", "target_label", "comparator"]
    used += ["target_value", "target_value_high", "value_as_written", "also_rising"]
    out["row_text"] = [_row_text(r) for r in out[used].itertuples()]
    # Each target needs its own row: the same measure in two plans gets the plan in its label.
    out["axis_label"] = [
        wrap(f"{short} · {plan}" if several_plans else short, 36, 2)
        for short, plan in zip(out["indicator_short_name"], out["plan_name"], strict=True)
    ]
    out["_order"] = out["status"].map(status_order)
    return out.sort_values(["group_order", "_order", "indicator_short_name"]).reset_index(drop=True)


def _row_text(r) -> str:
    """Short enough for the right margin; the full wording is on hover and in the table."""
    if r.status == "manual":
        result = r.manual_result if isinstance(r.manual_result, str) else "chưa đánh giá"
        return f"{r.badge}: {result}"
    if _nan(r.actual_value):
        return f"{r.badge} · chỉ tiêu {r.target_label}"
    bare = target_label(r, with_unit=False)
    return f"{r.badge} · {fmt_value(r.actual_value, r.unit)} / {bare}"


def layout_rows(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[float], list[str]]:
    """Give every target a y position under a bold header row per thematic group."""
    y_of, tick_vals, tick_text = [], [], []
    y = 0.0
    for _, part in rows.groupby("group_order", sort=True):
        tick_vals.append(y)
        tick_text.append(f"<b>{part['group_name'].iloc[0].upper()}</b>")
        y += 1
        for label in part["axis_label"]:
            y_of.append(y)
            tick_vals.append(y)
            tick_text.append(label)
            y += 1
    out = rows.copy()
    out["y"] = y_of
    return out, tick_vals, tick_text


def progress_figure(
    frame: pd.DataFrame,
    title: str,
    subtitle: str,
    footer: str,
    *,
    demo: bool = False,
    large: bool = False,
) -> go.Figure:
    """A bullet chart of every target in `frame` (v_targets joined with target_status)."""
    rows, tick_vals, tick_text = layout_rows(prepare_rows(frame))
    hover = {
        r.Index: f"<b>{r.indicator_name}</b><br>{r.plan_name}: {r.target_label}<br>"
        f"Thực hiện: {fmt_value(r.actual_value, r.unit)}"
        + (f" ({r.actual_period})" if isinstance(r.actual_period, str) else "")
        + (
            f"<br>Cần đạt ở kỳ báo cáo: {fmt_value(r.required_value, r.unit)}"
            if not _nan(r.required_value)
            else ""
        )
        + f"<br>{r.badge}"
        for r in rows[
            ["indicator_name", "plan_name", "target_label", "actual_value", "unit", "actual_period"]
            + ["required_value", "badge"]
        ].itertuples()
    }
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[1.0] * len(rows),
            y=rows["y"],
            orientation="h",
            marker_color=TRACK,
            hoverinfo="skip",
            showlegend=False,
            width=0.62,
        )
    )
    for code in STATUS_CODES:
        part = rows[(rows["status"] == code) & rows["pos_actual_value"].notna()]
        if part.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=part["pos_actual_value"],
                y=part["y"],
                orientation="h",
                name=status_badge(code),
                marker_color=status_colour(code),
                marker_line=dict(color="#333333", width=0.5),
                width=0.62,
                hovertext=[hover[i] for i in part.index],
                hoverinfo="text",
            )
        )
    for column, name, symbol, colour, size in (
        ("pos_target_value", "Mức chỉ tiêu", "line-ns", TARGET_MARK, 22),
        ("pos_target_value_high", None, "line-ns", TARGET_MARK, 22),
        ("pos_required_value", "Mức cần đạt ở kỳ báo cáo", "diamond-open", REQUIRED_MARK, 12),
    ):
        part = rows[rows[column].notna()]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part[column],
                y=part["y"],
                mode="markers",
                name=name,
                showlegend=name is not None,
                hoverinfo="skip",
                marker=dict(
                    symbol=symbol,
                    size=size,
                    color=colour,
                    line=dict(width=3 if symbol == "line-ns" else 2, color=colour),
                ),
            )
        )
    # The verdict in words sits right of each track, in a margin sized to the longest text,
    # so it is never cut whatever the screen width.
    fig.add_trace(
        go.Scatter(
            x=[1.0] * len(rows),
            y=rows["y"],
            mode="text",
            text=["  " + t for t in rows["row_text"]],
            textposition="middle right",
            cliponaxis=False,
            showlegend=False,
            hovertext=[hover[i] for i in rows.index],
            hoverinfo="text",
        )
    )
    present = set(rows["status"])
    legend = [(status_colour(c), status_badge(c)) for c in reversed(STATUS_CODES) if c in present]
    legend += [(None, "<b>│</b> Mức chỉ tiêu"), (None, "◇ Mức cần đạt ở kỳ báo cáo (theo lộ trình)")]
    row_px = ROW_PX + (8 if rows["axis_label"].str.contains("<br>").any() else 0) + (12 if large else 0)
    height = len(tick_vals) * row_px + 90
    fig.update_layout(barmode="overlay", bargap=0.3)
    fig.update_xaxes(range=[0, 1.005], visible=False, fixedrange=True)
    fig.update_yaxes(
        range=[max(tick_vals) + 0.6, -0.6],
        fixedrange=True,
        showticklabels=False,
        showgrid=False,
        zeroline=False,
    )
    # Row labels are a text trace left of the tracks, not tickvals/ticktext: Plotly lays out array
    # ticks in time that grows with the square of their number (1 326 rows: 63 s in Chromium; as text:
    # 0.5 s; 40 rows: 245 → 46 ms, docs/performance.md). The margin is sized to the longest line.
    fig.add_trace(
        go.Scatter(
            x=[0.0] * len(tick_vals),
            y=tick_vals,
            mode="text",
            text=[t + "\u00a0\u00a0" for t in tick_text],
            textposition="middle left",
            textfont=dict(size=17 if large else 12, color="#222222"),
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
    char_px = 9.8 if large else 7.0
    right = int(min(640 if large else 460, 20 + char_px * rows["row_text"].str.len().max()))
    longest = max(
        len(line) for t in tick_text for line in t.replace("<b>", "").replace("</b>", "").split("<br>")
    )
    left = int(min(380, 24 + char_px * longest))
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
        margin_right=right,
    )
