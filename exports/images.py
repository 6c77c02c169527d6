"""Chart images rendered on the server by kaleido and Debian's Chromium: one browser for the process."""

from __future__ import annotations

import atexit
import os
import shutil
import threading
import warnings
import weakref

import plotly.graph_objects as go

WIDTH = 1920  # px, the width a chart is laid out at; the file is WIDTH × SCALE pixels wide
SCALE = 2
BROWSER_NAMES = ("chromium", "chromium-browser")
CALL_TIMEOUT = 90.0  # s: the first image also starts the browser (a few seconds)
RENDER_TIMEOUT = 60.0  # s: kaleido's own limit for one image

NO_BROWSER = (
    "Không tạo được ảnh biểu đồ: máy chủ chưa cài trình duyệt Chromium "
    "(quản trị viên cài bằng lệnh: apt-get install chromium fonts-noto-core)."
)
BAD_BROWSER_PATH = (
    "Không tạo được ảnh biểu đồ: biến môi trường BROWSER_PATH={path!r} không trỏ tới trình duyệt."
)
TIMED_OUT = "Không tạo được ảnh biểu đồ: trình duyệt không phản hồi sau {seconds:.0f} giây. Hãy thử lại sau."

# kaleido's sync server is one queue shared by the whole process and is not safe for two callers at
# once (each waits on the queue as a whole): Streamlit sessions and deferred downloads take turns.
_lock = threading.Lock()


# The browser's temporary folders are removed by weakref finalizers at exit unless the server is
# stopped first. atexit runs last-registered first, so make sure weakref's exit hook is registered
# now, before _stop_at_exit (registered when the server starts): the stop then runs first.
weakref.finalize(_lock, lambda: None)
_stop_registered = False


def _kaleido():
    # Imported on the first image, not with this module: every page imports the chart buttons, and
    # kaleido (with choreographer) costs start-up time no page needs until someone clicks.
    import kaleido

    return kaleido


def __getattr__(name: str):
    if name == "kaleido":  # images.kaleido, as before the lazy import (tests patch it)
        return _kaleido()
    raise AttributeError(name)


def _stop_at_exit() -> None:
    # choreographer's watchdog puts back, when the browser closes, the warning filters it saw when
    # the browser opened (pytest's "error" in the tests): keep the filters of the moment instead.
    with warnings.catch_warnings():
        if _kaleido()._global_server.is_running():
            _kaleido().stop_sync_server(silence_warnings=True)


class ImagesUnavailable(RuntimeError):
    """No image can be made on this machine; the message says why, in Vietnamese."""


def _executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


def browser_path() -> str | None:
    """$BROWSER_PATH when set (and executable), else Debian's chromium on the PATH; never a download."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if _executable(explicit) else None
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def unavailable_reason() -> str | None:
    """Why images cannot be made here, or None when they can."""
    if browser_path() is not None:
        return None
    explicit = os.environ.get("BROWSER_PATH")
    return BAD_BROWSER_PATH.format(path=explicit) if explicit else NO_BROWSER


def available() -> bool:
    return unavailable_reason() is None


def _server_alive() -> bool:
    # kaleido keeps its server thread private; a thread that died (the browser failed to start)
    # would leave every later call waiting for ever, so look before each call.
    server = _kaleido()._global_server
    thread = getattr(server, "_thread", None)
    return server.is_running() and thread is not None and thread.is_alive()


def _ensure_server() -> None:
    reason = unavailable_reason()
    if reason:
        raise ImagesUnavailable(reason)
    if _server_alive():
        return
    if _kaleido()._global_server.is_running():
        _kaleido().stop_sync_server(silence_warnings=True)
    # mathjax=False: no formulas here, and kaleido would otherwise fetch MathJax from a CDN.
    _kaleido().start_sync_server(
        path=browser_path(), mathjax=False, timeout=RENDER_TIMEOUT, silence_warnings=True
    )
    global _stop_registered
    if not _stop_registered:
        atexit.register(_stop_at_exit)
        _stop_registered = True


def start() -> bool:
    """Start the browser ahead of the first image (optional); False when there is none."""
    if not available():
        return False
    with _lock:
        _ensure_server()
    return True


def _render(fig: go.Figure | dict, opts: dict) -> bytes:
    reason = unavailable_reason()
    if reason:
        raise ImagesUnavailable(reason)
    result: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        # The worker, not the caller, holds the lock until kaleido answers: a caller that gave up
        # waiting must not let the next call in while its answer is still due (they would swap).
        try:
            with _lock:
                _ensure_server()
                result["value"] = _kaleido().calc_fig_sync(fig, opts=opts)
        except BaseException as exc:  # handed to the caller below
            result["error"] = exc
        finally:
            done.set()

    # A daemon thread, so a browser that hangs cannot hold a Streamlit session (or the exit) for ever.
    threading.Thread(target=work, name="nq57-kaleido-call", daemon=True).start()
    if not done.wait(CALL_TIMEOUT):
        raise ImagesUnavailable(TIMED_OUT.format(seconds=CALL_TIMEOUT))
    error = result.get("error")
    if isinstance(error, ImagesUnavailable):
        raise error
    if error is not None:
        raise ImagesUnavailable(f"Không tạo được ảnh biểu đồ: {error}") from error  # type: ignore[misc]
    return result["value"]  # type: ignore[return-value]


def _opts(fig: go.Figure | dict, fmt: str, width: int, scale: float) -> dict:
    height = fig.layout.height if isinstance(fig, go.Figure) else (fig.get("layout") or {}).get("height")
    height = height or round(width * 9 / 16)
    return {"format": fmt, "width": width, "height": height, "scale": scale}


def chart_png(fig: go.Figure | dict, width: int = WIDTH, scale: float = SCALE) -> bytes:
    """The figure as a PNG laid out `width` px wide at `scale`× (1920 × 2 = 3840 px), at its own height."""
    return _render(fig, _opts(fig, "png", width, scale))


def chart_svg(fig: go.Figure | dict, width: int = WIDTH) -> bytes:
    """The figure as SVG (vector: scale does not apply), laid out `width` px wide."""
    return _render(fig, _opts(fig, "svg", width, 1))


# The shapes an image can be laid out for: a 16:9 slide, or an A4 page upright (at 150 dpi).
SHAPES = {"16:9": (1920, 1080), "A4": (1240, 1754)}


def shaped(fig: go.Figure, shape: str = "16:9") -> go.Figure:
    """A copy laid out at the shape's size, so it fills a slide or a page as it is. A figure taller than
    the shape is drawn shorter (its rows closer): cut long charts into parts first (overview_parts)."""
    width, height = SHAPES[shape]
    return go.Figure(fig).update_layout(width=width, height=height)


def shaped_png(fig: go.Figure, shape: str = "16:9", scale: float = SCALE) -> bytes:
    """The figure as a PNG of the shape (16:9 → 3840 × 2160 at 2×)."""
    out = shaped(fig, shape)
    return _render(out, _opts(out, "png", out.layout.width, scale))
