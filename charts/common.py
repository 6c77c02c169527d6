"""The frame every chart shares: fonts, title with period, source footer, demo watermark, 2× image export."""

from __future__ import annotations

import numbers
import re
import textwrap
import unicodedata

import plotly.graph_objects as go

from charts.labels import DEMO_WATERMARK

FONT = "Noto Sans, Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#222222"
MUTED = "#555555"
DEMO_MARK = DEMO_WATERMARK  # the name exports and tests know it by
# The page chart at a 1280 px screen beside the sidebar is 820 px wide: titles and subtitles wrap to it.
TITLE_CHARS = 66  # ~19 px bold Noto Sans: about 700 px
# Presentation mode (?present=1) and slide images: text about 40% larger, read from the back of a room.
BASE_PX, BASE_PX_LARGE = 13, 18
TITLE_CHARS_LARGE = 46
SUBTITLE_CHARS = 100  # ~13 px: about 680 px
SUBTITLE_CHARS_LARGE = 66


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


LEGEND_CHARS = 84  # one legend line: about 600 px of 13 px text, inside the narrowest page chart


def legend_text(entries: list[tuple[str | None, str]], width: int = LEGEND_CHARS) -> tuple[str, int]:
    """A legend drawn as text: a coloured square (or a drawn symbol) and a label, as many a line as fit.

    Plotly wraps its own horizontal legend to the width of the plot area, which on a narrow screen
    stacks every entry on its own line; a text legend keeps its shape at any width.
    """
    rows: list[list[str]] = []
    used = width
    for colour, label in entries:
        item = f"<span style='color:{colour}'>■</span> {label}" if colour else label
        size = len(re.sub(r"<[^>]+>", "", label)) + 8
        if used + size > width:
            rows.append([])
            used = 0
        rows[-1].append(item)
        used += size
    return "<br>".join("      ".join(r) for r in rows), len(rows)


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
    base = BASE_PX_LARGE if large else BASE_PX
    if large:  # the builders measure their axis in 13 px text: ticks and axis title grow with it
        axis_px = round(axis_px * BASE_PX_LARGE / BASE_PX)
    line = base + 8
    # Wrapped for the narrowest place a chart is shown (the page at 1280 px beside the sidebar, about
    # 880 px): Plotly never wraps a title itself and cuts what runs past the figure.
    title_lines = textwrap.wrap(title, width=TITLE_CHARS_LARGE if large else TITLE_CHARS) or [""]
    title = "<br>".join(title_lines)
    if demo:
        subtitle = f"⚠ {DEMO_MARK} · {subtitle}"
    subtitle = "<br>".join(textwrap.wrap(subtitle, width=SUBTITLE_CHARS_LARGE if large else SUBTITLE_CHARS))
    subtitle = subtitle.replace(f"⚠ {DEMO_MARK}", f"<span style='color:#D55E00'><b>⚠ {DEMO_MARK}</b></span>")
    title_px = base + (8 if large else 6)
    title_line = round(title_px * 1.3)
    subtitle_line = round(base * 1.4)
    subtitle_lines = subtitle.count("<br>") + 1
    # The title block, from the top: a pad, the title lines, a gap, the subtitle lines, then room for a
    # label Plotly puts on the plot's top edge (the reporting period of a time chart).
    subtitle_y = 12 + len(title_lines) * title_line + 6
    top = subtitle_y + subtitle_lines * subtitle_line + 26
    legend_html, legend_lines = legend_text(legend or [], LEGEND_CHARS if not large else 60)
    footer_lines = textwrap.wrap(footer, width=68 if large else 95)
    bottom = axis_px + 10 + legend_lines * line + 8 + len(footer_lines) * (base + 4) + 10
    fig.update_layout(
        height=height + bottom + max(0, top - 80),
        showlegend=False,
        margin=dict(t=top, b=bottom, l=margin_left, r=margin_right, autoexpand=True),
        # The title and subtitle are annotations pinned from the figure's top in pixels: Plotly's own
        # title puts a title of several lines partly above the figure (its first line was cut).
        title=dict(text=""),
        meta=dict(title=title.replace("<br>", " "), subtitle=subtitle),
        font=dict(family=FONT, size=base, color=TEXT_COLOUR),
        paper_bgcolor="white",
        plot_bgcolor="white",
        separators=",.",  # decimal comma, dot for thousands
        hoverlabel=dict(font=dict(family=FONT, size=base)),
    )
    for name, text, y, size, colour in (
        ("title", f"<b>{title}</b>", 12, title_px, TEXT_COLOUR),
        ("subtitle", subtitle, subtitle_y, base, MUTED),
    ):
        fig.add_annotation(
            name=name,
            text=text,
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0,
            y=1,
            xshift=12 - margin_left,  # from the figure's left edge, not the plot's
            yshift=top - y,
            xanchor="left",
            yanchor="top",
            align="left",
            font=dict(size=size, color=colour),
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
    return slim_template(fig)


# Parts of a template that cannot touch a figure of bar and scatter traces on x/y axes: other kinds of plot
# area, and the colour scales only a trace coloured by numbers reads.
OTHER_PLOT_AREAS = ("geo", "map", "mapbox", "polar", "scene", "smith", "ternary")
COLOUR_SCALES = ("coloraxis", "colorscale")


def slim_template(fig: go.Figure) -> go.Figure:
    """Keep of the figure's template only what can change how it looks: the defaults of its own trace
    types and the layout defaults of a cartesian chart. Plotly embeds the whole default template (3.7 KB
    of Streamlit's, 7 KB of Plotly's) in every figure sent to the browser; what is left draws the same."""
    template = fig.layout.template.to_plotly_json()
    types = {trace.type for trace in fig.data}
    numeric_colour = any(
        _numeric(getattr(trace.marker, "color", None)) for trace in fig.data if "marker" in trace
    )
    drop = OTHER_PLOT_AREAS + (() if numeric_colour else COLOUR_SCALES)
    fig.layout.template = {
        "data": {kind: defaults for kind, defaults in template.get("data", {}).items() if kind in types},
        "layout": {key: value for key, value in template.get("layout", {}).items() if key not in drop},
    }
    return fig


def _numeric(colour) -> bool:
    """A marker colour given as numbers (coloured through a colour scale), not as colour names."""
    if colour is None or isinstance(colour, str):
        return False
    return any(isinstance(c, numbers.Number) and not isinstance(c, bool) for c in colour)


def chart_title(fig: go.Figure) -> str:
    """The title a figure framed here carries (one line), for tests and slide titles."""
    meta = fig.layout.meta or {}
    return meta.get("title", "") if isinstance(meta, dict) else ""


def export_config(name: str) -> dict:
    """Plotly's config: no modebar (its tooltips are English; the PNG/SVG buttons under each chart do the
    export), and should it show, the image button at 2× with a file name that says what and when."""
    return {
        "displayModeBar": False,
        "locale": "vi",
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": slug(name), "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }
