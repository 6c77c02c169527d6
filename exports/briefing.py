"""What the briefing pack says, slide by slide, whatever the file (PowerPoint or PDF) it is written to."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from charts.agencies import agencies_figure
from charts.common import slug
from charts.labels import footer_text
from charts.tables import BRIEF_COLUMNS, BRIEF_STATUS_COLUMN, NO_LEAD, brief_status_rows
from charts.vn import fmt_date
from exports import figures, images, labels
from exports.tasks import TaskList, deadline_text, late_tasks, state_text
from loaders import export_reads, read
from metrics import clock
from metrics.agencies import agency_scorecards
from metrics.periods import quarter_label_vi
from metrics.status_labels import status_colour
from metrics.summary import TILES, tile_counts

RISK_STATUSES = ("not_met", "off_track", "at_risk")
TILE_COLOURS = {
    "Đạt": status_colour("met"),
    "Đúng tiến độ": status_colour("on_track"),
    "Có nguy cơ": status_colour("at_risk"),
    "Chậm / không đạt": status_colour("not_met"),
    "Chưa có số liệu": "#999999",
    "Đánh giá thủ công": "#000000",
}
# How much table fits under a slide's title: 12,3 inches across, about 5 inches down, 11 pt text.
TABLE_WIDTH_IN = 12.3
TABLE_HEIGHT_PT = 370.0
CHARS_PER_INCH = 14.0  # 11 pt Arial or Noto Sans: about 16, with room to spare
LINE_PT, ROW_MIN_PT, ROW_PAD_PT = 12.8, 26.0, 5.0
TASK_TITLE_CHARS = 190
# px: charts on a slide are laid out narrower than on screen, so their text reads larger once the
# picture is scaled to the slide (13 px at 1200 px across 12,3 inches ≈ 9,6 pt).
CHART_WIDTH = 1200
AGENCY_CHART_WIDTH = 1100
CHART_SCALE = 2


@dataclass(frozen=True)
class TileBox:
    label: str
    value: int
    colour: str
    help: str


@dataclass
class Table:
    columns: tuple[str, ...]
    rows: list[list[str]]
    widths: tuple[float, ...]  # relative widths of the columns
    status: list[str | None] = field(default_factory=list)  # each row's status code, to tint its status cell
    status_column: int | None = None


@dataclass
class Slide:
    title: str
    subtitle: str = ""
    cover: bool = False
    paragraphs: list[str] = field(default_factory=list)
    tiles: list[TileBox] = field(default_factory=list)
    table: Table | None = None
    figure: go.Figure | None = None  # drawn into `image` by render_images()
    image: bytes | None = None  # PNG
    image_note: str | None = None  # why the slide has no image
    image_width: int = CHART_WIDTH  # px the chart is laid out at


@dataclass
class Deck:
    title: str
    footer: str
    demo: bool
    stem: str  # file name without extension
    slides: list[Slide]


def _row_height(cells: Sequence[str], inches: Sequence[float]) -> float:
    lines = max(
        math.ceil(len(text) / max(1.0, (width - 0.15) * CHARS_PER_INCH)) or 1
        for text, width in zip(cells, inches, strict=True)
    )
    return max(ROW_MIN_PT, lines * LINE_PT + ROW_PAD_PT)


def paginate(table: Table, room_pt: float = TABLE_HEIGHT_PT) -> list[Table]:
    """Split a table into slide-sized tables by the estimated height of its wrapped rows."""
    total = sum(table.widths)
    inches = [TABLE_WIDTH_IN * w / total for w in table.widths]
    header = _row_height(table.columns, inches)
    pages: list[list[int]] = [[]]
    used = header
    for i, row in enumerate(table.rows):
        height = _row_height(row, inches)
        if pages[-1] and used + height > room_pt:
            pages.append([])
            used = header
        pages[-1].append(i)
        used += height
    return [
        Table(
            table.columns,
            [table.rows[i] for i in page],
            table.widths,
            [table.status[i] for i in page] if table.status else [],
            table.status_column,
        )
        for page in pages
    ]


def _numbered(title: str, index: int, total: int) -> str:
    if total <= 1:
        return title
    return f"{title} ({labels.CONTINUED}, {index}/{total})" if index > 1 else f"{title} ({index}/{total})"


def status_table(rows: pd.DataFrame, *, with_agency: bool = False) -> Table:
    """Targets worst first: what was set, what was reached, the verdict (and who leads)."""
    body, statuses = brief_status_rows(rows, with_agency=with_agency)
    columns = BRIEF_COLUMNS + (("Cơ quan chủ trì",) if with_agency else ())
    widths = (2.7, 2.3, 2.2, 1.9, 1.8) + ((2.4,) if with_agency else ())
    return Table(columns, body, widths, statuses, status_column=BRIEF_STATUS_COLUMN)


def tiles_of(statuses: pd.Series) -> list[TileBox]:
    return [TileBox(t.label, n, TILE_COLOURS[t.label], t.help) for t, n in tile_counts(statuses)]


def tile_summary(statuses: pd.Series) -> str:
    """'Đạt 3 · Đúng tiến độ 5 · Có nguy cơ 1': the tiles that are not empty."""
    return " · ".join(f"{t.label} {n}" for t, n in tile_counts(statuses) if n)


def group_table(rows: pd.DataFrame) -> Table:
    body = []
    for (_, name), part in rows.groupby(["group_order", "group_name"], sort=True):
        body.append([name, str(len(part)), *(str(n) for _, n in tile_counts(part["status"]))])
    body.append(["Tổng cộng", str(len(rows)), *(str(n) for _, n in tile_counts(rows["status"]))])
    columns = ("Nhóm chỉ tiêu", "Số chỉ tiêu", *(t.label for t in TILES))
    return Table(columns, body, (2.6, 1.1, *([1.2] * len(TILES))))


def task_rows_table(tasks: pd.DataFrame) -> Table:
    body = []
    for _, t in tasks.iterrows():
        title = (
            t["title"] if len(t["title"]) <= TASK_TITLE_CHARS else t["title"][: TASK_TITLE_CHARS - 1] + "…"
        )
        lead = t["lead_agency"] if isinstance(t["lead_agency"], str) else NO_LEAD
        body.append([title, lead, deadline_text(t), t["plan_name"], state_text(t)])
    columns = ("Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Kế hoạch", "Tình trạng")
    return Table(columns, body, (5.2, 2.2, 1.9, 1.7, 2.2))


def _plan_lines(plans: pd.DataFrame, plan_ids: Iterable[str]) -> list[str]:
    wanted = plans[plans["plan_id"].isin(set(plan_ids))]
    lines = []
    for _, p in wanted.iterrows():
        number = p["number"] if isinstance(p["number"], str) else "chưa đánh số"
        number = number if number.startswith("chưa") else f"số {number}"
        lines.append(f"{p['short_name']}: {p['issuer']}, {number}, ngày {p['doc_date_text']}")
    return lines


def _sources(
    con: duckdb.DuckDBPyConnection, plans: pd.DataFrame, plan_ids: Iterable[str], today: date
) -> list[str]:
    lines = [f"Kế hoạch — {line}" for line in _plan_lines(plans, plan_ids)]
    for _, o in export_reads.origin_summary(con).iterrows():
        what = labels.ORIGIN_LABELS.get(o["origin"], o["origin"])
        lines.append(
            f"Số liệu thực hiện: {int(o['n'])} giá trị là {what}, ghi gần nhất ngày {fmt_date(o['last_recorded'])}."
        )
    published = export_reads.published_sources(con)
    if published:
        shown = "; ".join(published[:5]) + ("; …" if len(published) > 5 else "")
        lines.append(f"Nguồn số liệu công bố: {shown}.")
    limits = export_reads.thresholds(con)
    lines.append(labels.method_note(limits))
    lines.append(f"Tài liệu do {labels.APP} tạo ngày {fmt_date(today)}.")
    return lines


def build_deck(
    con: duckdb.DuckDBPyConnection,
    horizon: str,
    period: str,
    agency: str | None = None,
    *,
    today: date | None = None,
) -> Deck:
    """Every slide of the pack for a horizon, a period and optionally one lead agency (charts not drawn yet)."""
    today = today or clock.today()
    quarter, horizon_text = quarter_label_vi(period), labels.horizon_label(horizon)
    demo, updated = export_reads.is_demo(con), read.data_date(con)
    all_rows = read.target_status(con, period, horizon, None, None, None)
    rows = all_rows if agency is None else read.target_status(con, period, horizon, None, None, agency)
    links = read.target_agencies(con)
    links = links[links["target_id"].isin(rows["target_id"])]
    agency_name = None
    if agency:
        links = links[links["agency_id"] == agency]
        agency_name = export_reads.agency_name(con, agency) or agency
    scope = agency_name or labels.ALL_AGENCIES
    plans = read.plans(con)
    chart_footer = footer_text(rows["plan_name"].unique(), updated)
    tasks: TaskList = late_tasks(con, period, agency, today)

    slides = [
        Slide(
            labels.PACK_TITLE,
            labels.PACK_SUBTITLE,
            cover=True,
            paragraphs=[
                f"Mốc chỉ tiêu: {horizon_text} · Kỳ báo cáo: số liệu đến {quarter}",
                f"Cơ quan chủ trì: {scope}",
                *(f"Kế hoạch: {line}" for line in _plan_lines(plans, rows["plan_id"].unique())),
                f"Ngày cập nhật số liệu: {fmt_date(updated)} · Ngày lập: {fmt_date(today)}",
                *([labels.DEMO_LONG] if demo else []),
            ],
        ),
        Slide(
            f"Tổng quan: {len(rows)} chỉ tiêu {labels.horizon_scope(horizon)}",
            f"Số liệu đến {quarter} · {scope}",
            tiles=tiles_of(rows["status"]),
            table=group_table(rows) if not rows.empty else None,
        ),
    ]
    if not rows.empty:
        for part in figures.overview_parts(rows, horizon, period, chart_footer, demo=demo, large=False):
            slides.append(Slide(part.title, part.subtitle, figure=part.figure))
    if agency is None and not rows.empty:
        figure = agencies_figure(rows, links, horizon, period, chart_footer, demo=demo)
        if figure is not None:
            subtitle = f"Số liệu đến {quarter} · {labels.horizon_scope(horizon)}"
            slides.append(
                Slide(figures.AGENCY_CHART_TITLE, subtitle, figure=figure, image_width=AGENCY_CHART_WIDTH)
            )
    for card in agency_scorecards(rows, links):
        card_rows = rows[rows["target_id"].isin(card.target_ids)]
        table = status_table(card_rows)
        subtitle = tile_summary(card_rows["status"])
        if card.formerly:
            subtitle = f"Trước đây: {'; '.join(card.formerly)} · {subtitle}"
        pages = paginate(table)
        for i, page in enumerate(pages, start=1):
            slides.append(Slide(_numbered(card.title, i, len(pages)), subtitle, table=page))
    risk = rows[rows["status"].isin(RISK_STATUSES)]
    risk_title = f"{labels.RISK_TITLE} ({len(risk)})"
    risk_subtitle = f"Số liệu đến {quarter} · {labels.horizon_scope(horizon)} · {scope}"
    if risk.empty:
        slides.append(Slide(risk_title, risk_subtitle, paragraphs=[labels.RISK_NONE]))
    else:
        table = status_table(risk, with_agency=True)
        pages = paginate(table)
        for i, page in enumerate(pages, start=1):
            slides.append(Slide(_numbered(risk_title, i, len(pages)), risk_subtitle, table=page))
    from exports.narrative_slides import narrative_slides  # here: it builds on this module's tables

    slides += narrative_slides(con, risk, period, risk_subtitle, today)
    task_title = f"{tasks.title} ({len(tasks.rows)})"
    task_subtitle = f"Mọi kế hoạch · {scope}"
    notes = [tasks.note] if tasks.note else []
    if tasks.rows.empty:
        slides.append(Slide(task_title, task_subtitle, paragraphs=[*notes, labels.TASKS_NONE]))
    else:
        table = task_rows_table(tasks.rows)
        first, rest = paginate(table, TABLE_HEIGHT_PT - 45 * len(notes)), []
        if len(first) > 1:
            rest = paginate(Table(table.columns, table.rows[len(first[0].rows) :], table.widths))
        pages = [first[0], *rest]
        for i, page in enumerate(pages, start=1):
            slides.append(
                Slide(
                    _numbered(task_title, i, len(pages)),
                    task_subtitle,
                    paragraphs=notes if i == 1 else [],
                    table=page,
                )
            )
    from exports.reporting_slide import reporting_slide  # it imports Slide from here

    slides.append(reporting_slide(con, period, today))  # exports/reporting_slide.py (#15)
    plan_ids = set(rows["plan_id"]) | set(tasks.rows["plan_id"])
    slides.append(
        Slide(
            labels.SOURCES_TITLE, f"Số liệu đến {quarter}", paragraphs=_sources(con, plans, plan_ids, today)
        )
    )

    footer = f"{labels.APP} · {labels.horizon_scope(horizon)} · số liệu đến {quarter}" + (
        f" · {agency_name}" if agency_name else ""
    )
    stem = slug(f"nq57 giao ban {horizon} {period} {agency or ''}")
    return Deck(f"{labels.PACK_TITLE} — {horizon_text}, {quarter}", footer, demo, stem, slides)


def render_images(deck: Deck, scale: float = CHART_SCALE) -> None:
    """Draw every slide's chart once (both files use the same PNG); say why where there is no browser."""
    reason = images.unavailable_reason()
    for slide in deck.slides:
        if slide.figure is None:
            continue
        if reason:
            slide.image_note = reason
            continue
        try:
            figure = figures.without_title(slide.figure)
            slide.image = images.chart_png(figure, width=slide.image_width, scale=scale)
        except images.ImagesUnavailable as exc:
            slide.image_note = str(exc)
            reason = str(exc)  # the browser will not do better for the next chart
