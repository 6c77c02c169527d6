"""The frame every chart shares: fonts, title with period, source footer, demo watermark, 2× image export."""

from __future__ import annotations

import re
import textwrap
import unicodedata

import plotly.graph_objects as go

from charts.labels import DEMO_WATERMARK

FONT = "Noto Sans, Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#222222"
MUTED = "#555555"
DEMO_MARK = DEMO_WATERMARK  # the name exports and tests know it by


def wrap(text: str, width: int = 38, lines: int = 2) -> str:
    """Break a long Vietnamese label into at most `lines` lines for an axis; the full text goes on hover."""
    parts = textwrap.wrap(text, width=width)
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1].rstrip(" ,;") + "…"
    return "<br>".join(parts)


def slug(text: str) -> str:
    """A file-name-safe ASCII slug: 'Tổng quan 2030' -> 'tong-quan-2030'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()


def legend_text(entries: list[tuple[str | None, str]], per_row: int = 3) -> tuple[str, int]:
    """A legend drawn as text: a coloured square (or a drawn symbol) and a label, a few per line.

    Plotly wraps its own horizontal legend to the width of the plot area, which on a narrow screen
    stacks every entry on its own line; a text legend keeps its shape at any width.
    """
    items = [
        (f"<span style='color:{colour}'>■</span> {label}" if colour else label) for colour, label in entries
    ]
    rows = ["      ".join(items[i : i + per_row]) for i in range(0, len(items), per_row)]
    return "<br>".join(rows), len(rows)


def frame_figure(
    fig: go.Figure,
    title: str,
    subtitle: str,
    footer: str,
    *,
    height: int,
    legend: list[tuple[str | None, str]] | None = None,
    demo: bool = False,
    large: bool = False,
    margin_left: int = 10,
    margin_right: int = 20,
    axis_px: int = 0,
) -> go.Figure:
    """Give a figure what it needs to stand alone in a screenshot: title, period, legend, source, demo mark.

    Under the plot, in pixels so nothing overlaps at any width: the x-axis ticks (axis_px), the
    legend, then the source line.
    """
    base = 16 if large else 13
    line = base + 8
    title_lines = textwrap.wrap(title, width=70 if large else 85) or [""]
    title = "<br>".join(title_lines)
    top = (92 if large else 80) + (len(title_lines) - 1) * (base + 10)
    legend_html, legend_lines = legend_text(legend or [])
    footer_lines = textwrap.wrap(footer, width=95)
    bottom = axis_px + 10 + legend_lines * line + 8 + len(footer_lines) * (base + 4) + 10
    if demo:
        subtitle = f"<span style='color:#D55E00'><b>⚠ {DEMO_MARK}</b></span> · {subtitle}"
    fig.update_layout(
        height=height + bottom,
        showlegend=False,
        margin=dict(t=top, b=bottom, l=margin_left, r=margin_right, autoexpand=True),
        title=dict(
            text=f"<b>{title}</b>",
            subtitle=dict(text=subtitle, font=dict(size=base, color=MUTED)),
            x=0.01,
            xanchor="left",
            y=1 - 10 / (height + bottom),
            yanchor="top",
            font=dict(size=base + 6, color=TEXT_COLOUR),
        ),
        font=dict(family=FONT, size=base, color=TEXT_COLOUR),
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=",.",  # decimal comma, dot for thousands
        hoverlabel=dict(font=dict(family=FONT, size=base)),
    )
    if legend_lines:
        fig.add_annotation(
            text=legend_html,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-(axis_px + 10),
            xanchor="left",
            yanchor="top",
            align="left",
            font=dict(size=base, color=TEXT_COLOUR),
        )
    fig.add_annotation(
        text="<br>".join(footer_lines),
        showarrow=False,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-(axis_px + 10 + legend_lines * line + 8),
        xanchor="left",
        yanchor="top",
        font=dict(size=base - 2, color=MUTED),
        align="left",
    )
    if demo:
        fig.add_annotation(
            text=DEMO_MARK,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font=dict(size=base * 4, color="rgba(213,94,0,0.16)"),
            textangle=-20,
        )
    return fig


def export_config(name: str) -> dict:
    """Plotly's image button: PNG at 2× with a file name that says what and when."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": slug(name), "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }
