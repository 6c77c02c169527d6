"""Download buttons for the exports: PNG/SVG under every chart, the briefing pack, the periodic report."""

from __future__ import annotations

import tempfile
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from charts.common import export_config, slug
from exports import images  # light: kaleido itself is imported on the first image
from metrics.periods import parse_period
from ui import db
from ui.frame import presenting

PNG_HELP = "Ảnh PNG rộng 3.840 điểm ảnh (bố cục 1.920 × 2), đúng như trên màn hình, để dán vào trình chiếu."
SVG_HELP = "Ảnh véc-tơ SVG: phóng to không vỡ nét, để in hoặc dàn trang."
MIME = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
PACK_LABELS = {".pdf": "Tải PDF", ".pptx": "Tải PowerPoint"}


# The PNG's shape: as on the screen (its own height), a 16:9 slide or an upright A4 page (exports.images).
PNG_SHAPES = {"page": "Như trên màn hình", "16:9": "Trang chiếu 16:9", "A4": "Trang A4 dọc"}
SHAPE_SUFFIX = {"page": "", "16:9": "-16x9", "A4": "-a4"}
SHAPE_HELP = {
    "page": PNG_HELP,
    "16:9": "Ảnh PNG 3.840 × 2.160 điểm ảnh, khổ trang chiếu 16:9: dán vào trình chiếu không cần chỉnh.",
    "A4": "Ảnh PNG khổ A4 dọc (2.480 × 3.508 điểm ảnh), để in hoặc chèn vào văn bản.",
}


def png_of(fig: go.Figure, shape: str) -> bytes:
    return images.chart_png(fig) if shape == "page" else images.shaped_png(fig, shape)


def chart_download_buttons(fig: go.Figure, name: str, key: str) -> None:
    """'Tải PNG' and 'Tải SVG' under a chart. The image is drawn on the server only when clicked
    (a deferred download), so showing the page costs nothing; without a browser the buttons say why."""
    reason = images.unavailable_reason()
    stem = slug(name)
    with st.container(horizontal=True, key=f"{key}_images"):
        shape = (
            st.segmented_control(
                "Khổ ảnh PNG",
                list(PNG_SHAPES),
                format_func=PNG_SHAPES.get,
                default="page",
                key=f"{key}_shape",
                label_visibility="collapsed",
                disabled=reason is not None,
            )
            or "page"
        )
        st.download_button(
            "Tải PNG",
            data=(lambda: png_of(fig, shape)) if reason is None else b"",
            file_name=f"{stem}{SHAPE_SUFFIX[shape]}.png",
            mime=MIME[".png"],
            key=f"{key}_png",
            icon=":material/image:",
            help=reason or SHAPE_HELP[shape],
            disabled=reason is not None,
            on_click="ignore",
        )
        st.download_button(
            "Tải SVG",
            data=(lambda: images.chart_svg(fig)) if reason is None else b"",
            file_name=f"{stem}.svg",
            mime=MIME[".svg"],
            key=f"{key}_svg",
            icon=":material/polyline:",
            help=reason or SVG_HELP,
            disabled=reason is not None,
            on_click="ignore",
        )
    if reason:
        st.caption(reason)


@st.cache_data(show_spinner=False, ttl=600, max_entries=6)
def pack_files(horizon: str, as_of: str, agency: str | None) -> dict[str, bytes]:
    """The pack's files by name; cached for ten minutes, cleared after an upload like every read."""
    # Imported here, not at the top, for start-up time: every page imports this module for show_chart,
    # and the pack's PDF/PowerPoint code (reportlab, python-pptx, openpyxl) is needed only on this click.
    from exports.pack import build_pack

    # One read-only connection for the whole pack: every file in it reads the same committed state.
    with db.reading() as cur, tempfile.TemporaryDirectory(prefix="nq57-pack-") as tmp:
        return {p.name: p.read_bytes() for p in build_pack(cur, horizon, as_of, agency, tmp)}


@st.cache_data(show_spinner=False, ttl=600, max_entries=12)
def report_file(as_of: str, kind: str, month: int | None, agency: str | None) -> tuple[str, bytes]:
    from exports.report import report_workbook  # openpyxl: only the export page needs it (start-up time)

    with db.reading() as cur:  # one connection, one consistent state for the whole workbook
        return report_workbook(cur, as_of, kind, agency=agency, month=month)


def pack_buttons(horizon: str, as_of: str, agency: str | None) -> None:
    """'Tạo bộ tài liệu' (a few seconds), then the PDF and PowerPoint downloads for that choice."""
    chosen = (horizon, as_of, agency)
    if st.button(
        "Tạo bộ tài liệu giao ban", key="export_pack_make", type="primary", icon=":material/slideshow:"
    ):
        with st.spinner("Đang tạo PDF và PowerPoint (vài giây)…"):
            pack_files(*chosen)
        st.session_state["export_pack_made"] = chosen
    if images.unavailable_reason():
        st.caption(images.unavailable_reason() + " Bộ tài liệu vẫn được tạo, các trang biểu đồ ghi rõ lý do.")
    if st.session_state.get("export_pack_made") != chosen:
        return
    files = pack_files(*chosen)
    with st.container(horizontal=True, key="export_pack_files"):
        for name, data in files.items():
            suffix = Path(name).suffix
            st.download_button(
                PACK_LABELS.get(suffix, name),
                data=data,
                file_name=name,
                mime=MIME.get(suffix),
                key=f"export_pack{suffix.replace('.', '_')}",
                icon=":material/download:",
                on_click="ignore",
            )


def report_choices(as_of: str) -> dict[str, str]:
    """The reports a period closes: its cumulative report (9 tháng for Q3…) and the monthly ones."""
    from exports.report_kinds import BY_QUARTER, REPORT_KINDS, months_of, report_title

    year, quarter = parse_period(as_of)
    cumulative = BY_QUARTER[quarter]
    out = {cumulative: report_title(REPORT_KINDS[cumulative], as_of)}
    for month in reversed(months_of(as_of)):
        out[f"month-{month}"] = f"Báo cáo tháng {month}/{year}"
    return out


def report_button(as_of: str, choice: str, agency: str | None) -> None:
    """One click: the workbook is made (and cached) when the page shows, in well under a second."""
    kind, _, month = choice.partition("-")
    name, data = report_file(as_of, kind, int(month) if month else None, agency)
    st.download_button(
        "Tải báo cáo Excel",
        data=data,
        file_name=name,
        mime=MIME[".xlsx"],
        key="export_report_download",
        type="primary",
        icon=":material/table_view:",
        on_click="ignore",
    )


def warm_up_images() -> None:
    """Start the browser in the background (returns at once), so the first image on this visit is quick."""
    images.start()


def show_chart(fig: go.Figure, name: str, key: str) -> None:
    """Every page draws a chart the same way: our own styling (theme=None), Plotly's 2× image
    button named after what and when, and the server-side PNG/SVG downloads under it."""
    st.plotly_chart(fig, width="stretch", theme=None, key=key, config=export_config(name))
    if not presenting():
        chart_download_buttons(fig, name, key=key)
