"""The app as served: first chart in headless Chromium, memory of the server process, concurrent sessions.

The server is devtools.serve (`streamlit run app.py` on 127.0.0.1 and a free port, stopped by its PID, its
memory read from /proc/<pid>/status: VmHWM, the peak resident set, and VmRSS). Concurrent sessions are N clients speaking
Streamlit's own WebSocket protocol (a BackMsg asking for a run of a page, then ForwardMsgs until
script_finished), as a browser tab does, without a browser: on a 2-core machine N Chromium pages would
compete with the server for the CPU and measure the browsers. Every load is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench.timing import summary
from devtools.serve import CHROMIUM, CHROMIUM_ARGS, Server

CHART = ".js-plotly-plot .main-svg"
# When the first chart appears, in ms since the page's navigation started (performance.now()), recorded
# by the page itself, so pages opened together are not timed in the order they are polled.
CHART_CLOCK = """
(() => {
  const marks = (window.__marks = {});
  const seen = () => {
    const now = performance.now();
    if (marks.title === undefined && document.querySelector('h1')) marks.title = now;
    if (marks.chart_element === undefined && document.querySelector('[data-testid="stPlotlyChart"]'))
      marks.chart_element = now;
    if (window.__chartAt === undefined && document.querySelector('.js-plotly-plot .main-svg')) {
      window.__chartAt = now;
      marks.chart_drawn = now;
    }
  };
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();
"""
BYTES_FETCHED = "performance.getEntriesByType('resource').reduce((n, r) => n + r.transferSize, 0)"
VIEW_TIMEOUT_S = 120


class ChartTimeout(Exception):
    """The chart was not drawn within the time allowed (the benchmark stays bounded)."""


# ---------------------------------------------------------------- one session over the WebSocket


@dataclass
class View:
    seconds: float
    bytes: int
    ok: bool
    note: str = ""


async def view(server: Server, page: str = "", query: str = "") -> View:
    """Open a new session, run one page to the end, close: what a person opening a link costs the server."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    start = time.perf_counter()
    received, note = 0, ""
    async with websockets.connect(
        server.ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=VIEW_TIMEOUT_S
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        await ws.send(msg.SerializeToString())
        while True:
            data = await asyncio.wait_for(ws.recv(), VIEW_TIMEOUT_S)
            received += len(data)
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "page_not_found":
                note = "page_not_found"
            elif kind == "delta" and forward.delta.new_element.WhichOneof("type") == "exception":
                note = "exception: " + forward.delta.new_element.exception.message[:200]
            elif kind == "script_finished":
                return View(time.perf_counter() - start, received, not note, note)


def views(server: Server, page: str, count: int, query: str = "") -> list[View]:
    async def run():
        return [await view(server, page, query) for _ in range(count)]

    return asyncio.run(run())


def load(
    server: Server, levels: list[int], views_per_session: int, page: str = "", budget_s: float = 90
) -> dict:
    """N concurrent sessions, each opening the page views_per_session times in a row, for N in levels.

    Stops raising N once a level takes longer than budget_s altogether (bounded in time as in count).
    """

    async def level(n: int) -> tuple[list[View], float]:
        async def one() -> list[View]:
            return [await view(server, page) for _ in range(views_per_session)]

        start = time.perf_counter()
        done = await asyncio.gather(*(one() for _ in range(n)))
        return [v for session in done for v in session], time.perf_counter() - start

    out: dict = {}
    for n in levels:
        got, wall = asyncio.run(level(n))
        out[str(n)] = {
            "latency_s": summary([v.seconds for v in got]),
            "views": len(got),
            "wall_s": wall,
            "views_per_s": len(got) / wall if wall else float("nan"),
            "errors": sorted({v.note for v in got if not v.ok}),
            "memory_kb": server.memory(),
        }
        if wall > budget_s:
            break
    base = out.get(str(levels[0]), {}).get("latency_s", {}).get("median")
    for entry in out.values():
        entry["slowdown"] = entry["latency_s"]["median"] / base if base else float("nan")
    sessions_before_2x = max((int(n) for n, e in out.items() if e["slowdown"] < 2), default=0)
    return {"levels": out, "sessions_before_2x_slowdown": sessions_before_2x}


# ---------------------------------------------------------------- what a person sees


def first_chart(server: Server, loads: int, query: str = "", timeout_s: float = VIEW_TIMEOUT_S) -> dict:
    """Seconds from navigation to the first Plotly chart drawn.

    The first visitor after the server started; then `loads` new visitors, each in a fresh browser context
    (empty cache: 9 MB of JavaScript to fetch); then `loads` returning visitors (one context, cache warm).
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    marks: dict[str, list[float]] = {}

    def once(context) -> tuple[float, int]:
        page = context.new_page()
        try:
            page.goto(f"{server.url}/{query}", wait_until="commit")
            try:
                page.wait_for_selector(CHART, state="visible", timeout=timeout_s * 1000)
            except PlaywrightTimeout:
                raise ChartTimeout(f"no chart drawn within {timeout_s:.0f} s") from None
            for name, ms in page.evaluate("window.__marks").items():
                marks.setdefault(name, []).append(ms / 1000)
            marks.setdefault("bytes_fetched", []).append(page.evaluate(BYTES_FETCHED))
            errors = page.locator("[data-testid='stException']").count()
            return page.evaluate("window.__chartAt") / 1000, errors
        finally:
            page.close()

    def fresh():
        context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
        context.add_init_script(CHART_CLOCK)
        return context

    new, returning, exceptions = [], [], 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(1 + loads):
                context = fresh()
                try:
                    seconds, errors = once(context)
                finally:
                    context.close()
                new.append(seconds)
                exceptions += errors
            new_marks = {name: summary(values[1:]) for name, values in marks.items()}
            marks.clear()
            context = fresh()
            try:
                once(context)  # fills the browser cache
                for _ in range(loads):
                    seconds, errors = once(context)
                    returning.append(seconds)
                    exceptions += errors
            finally:
                context.close()
        finally:
            browser.close()
    return {
        "first_visitor_s": new[0],
        "later_visitors_s": summary(new[1:]),
        "returning_visitor_s": summary(returning),
        "new_visitor_marks": new_marks,  # s since navigation: title shown, chart element, chart drawn; bytes
        "returning_visitor_marks": {name: summary(values[1:]) for name, values in marks.items()},
        "exceptions": exceptions,
    }


def browser_load(server: Server, levels: list[int], rounds: int) -> dict:
    """N Chromium pages opening the overview at once (all in one browser), seconds to the chart each."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for n in levels:
                samples = []
                for _ in range(rounds):
                    contexts = [
                        browser.new_context(viewport={"width": 1920, "height": 1080}) for _ in range(n)
                    ]
                    for c in contexts:
                        c.add_init_script(CHART_CLOCK)
                    pages = [c.new_page() for c in contexts]
                    for page in pages:
                        page.goto(server.url, wait_until="commit")
                    for page in pages:
                        # Chromium does not animate a page in the background, and Plotly draws on
                        # animation frames: each page is brought to the front to be read.
                        page.bring_to_front()
                        page.wait_for_selector(CHART, state="visible", timeout=VIEW_TIMEOUT_S * 1000)
                        samples.append(page.evaluate("window.__chartAt") / 1000)
                    for c in contexts:
                        c.close()
                out[str(n)] = {"to_chart_s": summary(samples), "memory_kb": server.memory()}
        finally:
            browser.close()
    return out


def idle_sessions(server: Server, count: int, page: str = "") -> dict:
    """Memory of `count` sessions that opened the page and stay connected (people who left a tab open)."""

    async def run() -> dict:
        import websockets
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        before = server.memory()["VmRSS"]
        sockets = []
        try:
            for _ in range(count):
                ws = await websockets.connect(server.ws_url, subprotocols=["streamlit"], max_size=None)
                sockets.append(ws)
                msg = BackMsg()
                msg.rerun_script.page_name = page
                await ws.send(msg.SerializeToString())
                while True:
                    forward = ForwardMsg()
                    forward.ParseFromString(await asyncio.wait_for(ws.recv(), VIEW_TIMEOUT_S))
                    if forward.WhichOneof("type") == "script_finished":
                        break
            await asyncio.sleep(1)
            held = server.memory()["VmRSS"]
        finally:
            for ws in sockets:
                await ws.close()
        return {
            "sessions": count,
            "rss_before_kb": before,
            "rss_held_kb": held,
            "per_session_kb": (held - before) / count if count else float("nan"),
        }

    return asyncio.run(run())
