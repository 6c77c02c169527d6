"""Measure a chart's text in Chromium: every text inside the figure, no two overlapping, the title whole.

Plotly draws its texts as SVG `text` nodes; their boxes (getBoundingClientRect) are what a person sees.
The same script runs on a chart of a served page, on a figure drawn alone by plotly.js, and on an
exported SVG loaded as a page, so the page, the PNG (laid out as its SVG twin) and the SVG are held to
one rule.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go

from charts.common import DEMO_MARK

# The watermark crosses the plot on purpose, faintly; every other text must stand free.
TOLERANCE_PX = 1.0

MEASURE_JS = """
([root, skip]) => {
  const host = root || document.querySelector('svg');
  const frame = host.getBoundingClientRect();
  const texts = [];
  for (const node of host.querySelectorAll('text')) {
    if (node.closest('.hoverlayer') || node.closest('.modebar')) continue;
    const words = (node.textContent || '').trim();
    if (!words || words === skip) continue;
    const style = getComputedStyle(node);
    if (style.display === 'none' || style.visibility === 'hidden' || +style.opacity === 0) continue;
    if (+(node.getAttribute('opacity') || 1) === 0) continue;
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    texts.push({text: words, size: parseFloat(style.fontSize) || 0, x0: r.left - frame.left, y0: r.top - frame.top,
                x1: r.right - frame.left, y1: r.bottom - frame.top});
  }
  // The title is the biggest text of the figure (it has no class of its own as an annotation).
  const biggest = Math.max(0, ...texts.map(t => t.size));
  for (const t of texts) t.title = t.size === biggest;
  return {width: frame.width, height: frame.height, texts};
}
"""


def problems(measured: dict, tolerance: float = TOLERANCE_PX) -> list[str]:
    """What a person would see as wrong: a text outside the figure, two texts on each other, no title."""
    width, height, texts = measured["width"], measured["height"], measured["texts"]
    out = []
    for t in texts:
        if (
            t["x0"] < -tolerance
            or t["y0"] < -tolerance
            or t["x1"] > width + tolerance
            or t["y1"] > height + tolerance
        ):
            out.append(f"ngoài khung {width:.0f}×{height:.0f}: {t['text'][:60]!r} {_box(t)}")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if dx > tolerance and dy > tolerance:
                out.append(f"chồng nhau: {a['text'][:50]!r} {_box(a)} và {b['text'][:50]!r} {_box(b)}")
    if not any(t["title"] for t in texts):
        out.append("không thấy tiêu đề")
    return out


def _box(t: dict) -> str:
    return f"[{t['x0']:.0f},{t['y0']:.0f}–{t['x1']:.0f},{t['y1']:.0f}]"


def measure_element(page, selector_or_handle) -> dict:
    handle = (
        page.query_selector(selector_or_handle) if isinstance(selector_or_handle, str) else selector_or_handle
    )
    return page.evaluate(MEASURE_JS, [handle, DEMO_MARK])


class FigureProbe:
    """One Chromium page with plotly.js loaded once; each figure is drawn into it at its own size."""

    def __init__(self, browser):
        from plotly.offline import get_plotlyjs

        self.page = browser.new_page(viewport={"width": 1920, "height": 1080})
        self.page.set_content(
            "<html><head><meta charset='utf-8'><script>" + get_plotlyjs() + "</script></head>"
            "<body style='margin:0'><div id='chart'></div></body></html>"
        )

    def measure(self, fig: go.Figure, width: int) -> dict:
        """Draw the figure at `width` px and its own height, as the image export lays it out; measure it."""
        spec = json.loads(fig.to_json())
        spec["layout"]["width"] = width
        self.page.set_viewport_size({"width": width, "height": int(spec["layout"].get("height") or 600)})
        self.page.evaluate(
            "async (spec) => { Plotly.purge('chart'); await Plotly.newPlot('chart', spec.data, spec.layout,"
            " {staticPlot: true}); }",
            spec,
        )
        return measure_element(self.page, "#chart .svg-container")

    def close(self) -> None:
        self.page.close()


def measure_svg(browser, svg: bytes) -> dict:
    """Load an exported SVG as the page itself and measure its texts."""
    page = browser.new_page()
    try:
        page.set_content(svg.decode("utf-8"))
        return measure_element(page, "svg")
    finally:
        page.close()
