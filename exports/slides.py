"""The briefing pack as a PowerPoint file (16:9): python-pptx, text kept as text so it can be edited."""

from __future__ import annotations

import io
import math
from pathlib import Path

from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from charts.common import DEMO_MARK
from exports import labels
from exports.briefing import Deck, Slide, Table, TileBox
from metrics.status_labels import status_colour

FONT = "Arial"  # on every office machine, with every Vietnamese letter
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
LEFT = Inches(0.5)
BODY_W = WIDTH - 2 * LEFT
BODY_TOP, BODY_BOTTOM = Inches(1.6), Inches(6.9)
TABLE_PT = 11
TEXT, MUTED, ORANGE, HEADER_FILL = "222222", "555555", "D55E00", "2F4B66"
TITLE_ONLY_LAYOUT = 5


def _rgb(hex_colour: str) -> RGBColor:
    return RGBColor.from_string(hex_colour.lstrip("#").upper())


def tint(hex_colour: str, share: float = 0.2) -> str:
    """The colour mixed with white, so dark text on it stays readable."""
    value = hex_colour.lstrip("#")
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * share):02X}" for c in rgb)


def _text(frame, text: str, size: float, *, bold=False, colour=TEXT, align=PP_ALIGN.LEFT, new=False):
    paragraph = frame.add_paragraph() if new else frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.name, run.font.size, run.font.bold = FONT, Pt(size), bold
    run.font.color.rgb = _rgb(colour)
    return paragraph


def _box(slide, left, top, width, height, text: str, size: float, **kw):
    shape = slide.shapes.add_textbox(left, top, width, height)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0
    _text(frame, text, size, **kw)
    return shape


def _title(slide, text: str, *, cover: bool, demo: bool) -> None:
    shape = slide.shapes.title
    if cover:
        shape.left, shape.top, shape.width, shape.height = (
            LEFT + Inches(0.3),
            Inches(1.5),
            BODY_W - Inches(0.3),
            Inches(1.4),
        )
    else:
        shape.left, shape.top, shape.height = LEFT, Inches(0.3), Inches(0.75)
        shape.width = BODY_W - (Inches(2.9) if demo else 0)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM if cover else MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = 0
    frame.text = ""
    size = 34 if cover else 24 if len(text) <= 50 else 20 if len(text) <= 62 else 18
    _text(frame, text, size, bold=True)


def _demo_mark(slide) -> None:
    shape = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, WIDTH - LEFT - Inches(2.7), Inches(0.3), Inches(2.7), Inches(0.42)
    )
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(tint(ORANGE, 0.15))
    shape.line.color.rgb = _rgb(ORANGE)
    frame = shape.text_frame
    frame.margin_top = frame.margin_bottom = 0
    _text(frame, f"⚠ {DEMO_MARK}", 13, bold=True, colour=ORANGE, align=PP_ALIGN.CENTER)


def _footer(slide, deck: Deck, number: int, total: int) -> None:
    _box(slide, LEFT, Inches(7.05), BODY_W - Inches(1.2), Inches(0.3), deck.footer, 10, colour=MUTED)
    _box(
        slide,
        WIDTH - LEFT - Inches(1.1),
        Inches(7.05),
        Inches(1.1),
        Inches(0.3),
        f"{number}/{total}",
        10,
        colour=MUTED,
        align=PP_ALIGN.RIGHT,
    )


def _paragraphs(slide, lines: list[str], top, size: float = 15) -> None:
    shape = slide.shapes.add_textbox(LEFT, top, BODY_W, BODY_BOTTOM - top)
    frame = shape.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = 0
    for i, line in enumerate(lines):
        paragraph = _text(frame, line, size, new=i > 0)
        paragraph.space_after = Pt(8)


def _tiles(slide, tiles: list[TileBox], top) -> int:
    gap = Inches(0.15)
    width = int((BODY_W - gap * (len(tiles) - 1)) / len(tiles))
    height = Inches(1.15)
    for i, tile in enumerate(tiles):
        left = LEFT + i * (width + gap)
        box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, height)
        box.fill.solid()
        box.fill.fore_color.rgb = _rgb("F7F7F7")
        box.line.color.rgb = _rgb("DDDDDD")
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, width, Inches(0.1))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(tile.colour)
        bar.line.fill.background()
        frame = box.text_frame
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        _text(frame, str(tile.value), 30, bold=True, align=PP_ALIGN.CENTER)
        _text(frame, tile.label, 13, colour=MUTED, align=PP_ALIGN.CENTER, new=True)
    return top + height


def _table(slide, table: Table, top) -> None:
    n_rows, n_cols = len(table.rows) + 1, len(table.columns)
    row_h = Inches(0.36)
    shape = slide.shapes.add_table(n_rows, n_cols, LEFT, top, BODY_W, row_h * n_rows)
    grid = shape.table
    total = sum(table.widths)
    widths = [int(BODY_W * w / total) for w in table.widths]
    widths[-1] = BODY_W - sum(widths[:-1])
    for i, w in enumerate(widths):
        grid.columns[i].width = Emu(w)
    size = TABLE_PT
    for r in range(n_rows):
        grid.rows[r].height = row_h
        for c in range(n_cols):
            cell = grid.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.06)
            cell.margin_top = cell.margin_bottom = Inches(0.03)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            frame = cell.text_frame
            frame.word_wrap = True
            frame.text = ""
            if r == 0:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(HEADER_FILL)
                _text(frame, table.columns[c], size, bold=True, colour="FFFFFF")
                continue
            cell.fill.solid()
            code = table.status[r - 1] if table.status else None
            if c == table.status_column and code:
                cell.fill.fore_color.rgb = _rgb(tint(status_colour(code)))
            else:
                cell.fill.fore_color.rgb = _rgb("FFFFFF" if r % 2 else "F3F5F7")
            _text(frame, table.rows[r - 1][c], size, bold=c == table.status_column)


def _picture(slide, png: bytes, top) -> None:
    with Image.open(io.BytesIO(png)) as img:
        px_w, px_h = img.size
    room_w, room_h = BODY_W, BODY_BOTTOM - top
    scale = min(room_w / px_w, room_h / px_h)
    width, height = int(px_w * scale), int(px_h * scale)
    slide.shapes.add_picture(io.BytesIO(png), LEFT + (room_w - width) // 2, top, width, height)


def _slide(prs, deck: Deck, content: Slide, number: int, total: int) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, content.title, cover=content.cover, demo=deck.demo)
    if deck.demo:
        _demo_mark(slide)
    if content.cover:
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, LEFT, Inches(1.5), Inches(0.12), Inches(4.6))
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb("0072B2")
        bar.line.fill.background()
        inner = LEFT + Inches(0.3)
        _box(
            slide, inner, Inches(2.95), BODY_W - Inches(0.3), Inches(0.8), content.subtitle, 18, colour=MUTED
        )
        shape = slide.shapes.add_textbox(inner, Inches(3.8), BODY_W - Inches(0.3), Inches(2.6))
        frame = shape.text_frame
        frame.word_wrap = True
        for i, line in enumerate(content.paragraphs):
            demo_line = line == labels.DEMO_LONG
            paragraph = _text(
                frame, line, 15, bold=demo_line, colour=ORANGE if demo_line else TEXT, new=i > 0
            )
            paragraph.space_after = Pt(6)
        _footer(slide, deck, number, total)
        return
    if content.subtitle:
        _box(slide, LEFT, Inches(1.08), BODY_W, Inches(0.45), content.subtitle, 12, colour=MUTED)
    top = BODY_TOP
    if content.tiles:
        top = _tiles(slide, content.tiles, top) + Inches(0.25)
    if content.paragraphs:
        size = 13 if len(content.paragraphs) > 4 or content.table else 15
        _paragraphs(slide, content.paragraphs, top, size=size)
        if content.table is not None:
            # about 2 characters per point of width per inch: 13 pt fills a line at ~135 characters
            lines = sum(math.ceil(len(p) / 130) for p in content.paragraphs)
            top += Inches(0.24) * lines + Pt(8) * len(content.paragraphs) + Inches(0.05)
    if content.table is not None:
        _table(slide, content.table, top)
    if content.image is not None:
        _picture(slide, content.image, top)
    elif content.figure is not None:
        _paragraphs(slide, [labels.NO_IMAGE, content.image_note or ""], top)
    _footer(slide, deck, number, total)


def write_pptx(deck: Deck, path: str | Path) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    prs.core_properties.title = deck.title
    prs.core_properties.author = labels.APP
    prs.core_properties.language = "vi-VN"
    for number, content in enumerate(deck.slides, start=1):
        _slide(prs, deck, content, number, len(deck.slides))
    path = Path(path)
    prs.save(path)
    return path
