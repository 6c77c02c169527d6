"""The template a framed figure carries: only the defaults that can change how its traces look."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from charts.common import frame_figure


def framed(*traces) -> go.Figure:
    return frame_figure(go.Figure(list(traces)), "Tiêu đề", "Phụ đề", "Nguồn", height=300)


@pytest.mark.parametrize("default", ["plotly", "streamlit_like"])
def test_the_template_keeps_its_trace_defaults_and_cartesian_layout(default, monkeypatch):
    if default == "streamlit_like":  # Streamlit's own: placeholder colours, scatter markers without lines
        template = go.layout.Template(
            data={
                "scatter": [{"marker": {"line": {"width": 0}}}],
                "heatmap": [{"colorscale": [[0, "#000011"], [1, "#000020"]]}],
            },
            layout={
                "colorway": ["#000001", "#000002"],
                "colorscale": {"sequential": [[0, "#000011"], [1, "#000020"]]},
            },
        )
        pio.templates["streamlit_like"] = template
    monkeypatch.setattr(pio.templates, "default", default)
    full = pio.templates[default]
    fig = framed(
        go.Bar(x=[1, 2], y=["a", "b"], marker_color=["#0072B2", "#E69F00"]), go.Scatter(x=[1], y=["a"])
    )
    kept = fig.layout.template.to_plotly_json()
    assert set(kept["data"]) <= {"bar", "scatter"}
    for kind in ("bar", "scatter"):  # every default of the figure's own trace types stays, unchanged
        assert kept["data"].get(kind) == full.to_plotly_json()["data"].get(kind)
    assert kept["layout"]["colorway"] == list(full.layout.colorway)
    assert not {"colorscale", "coloraxis", "geo", "polar", "scene", "ternary"} & set(kept["layout"])
    for key in set(full.layout.to_plotly_json()) - {
        "colorscale",
        "coloraxis",
        "geo",
        "polar",
        "scene",
        "ternary",
    }:
        assert kept["layout"][key] == full.layout.to_plotly_json()[key]
    assert len(fig.to_json()) < len(framed().update_layout(template=full).to_json())
    if default == "streamlit_like":
        del pio.templates["streamlit_like"]


def test_a_trace_coloured_by_numbers_keeps_the_colour_scales(monkeypatch):
    monkeypatch.setattr(pio.templates, "default", "plotly")
    fig = framed(go.Scatter(x=[1, 2], y=[1, 2], mode="markers", marker={"color": [0.2, 0.8]}))
    assert (
        fig.layout.template.layout.colorscale.sequential
        == pio.templates["plotly"].layout.colorscale.sequential
    )
    names = framed(go.Scatter(x=[1, 2], y=[1, 2], mode="markers", marker={"color": ["red", "blue"]}))
    assert names.layout.template.layout.colorscale.sequential is None
