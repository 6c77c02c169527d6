"""The briefing pack as a PDF (A4 landscape, a page per slide): reportlab with Noto Sans embedded."""

from __future__ import annotations

import functools
import io
from pathlib import Path
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from charts.common import DEMO_MARK
from exports import labels
from exports.briefing import Deck, Slide, TileBox
from exports.briefing import Table as TableBlock
from exports.slides import HEADER_FILL, tint
from metrics.status_labels import status_colour

# The faces ship with the project (OFL, exports/fonts/OFL.txt) so the PDF is the same on every machine,
# whatever fonts it has installed: the system's are never looked at.
FONT_DIR = Path(__file__).resolve().parent / "fonts"
TEXT_FACES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
# Faces for the characters Noto Sans lacks (✓ ◆ ⚠ in Symbols 2; ≥ → in Math).
FALLBACK_FACES = ("NotoSansSymbols2-Regular.ttf", "NotoSansMath-Regular.ttf")
NO_FONT = "Thiếu tệp phông chữ {name} trong thư mục exports/fonts của dự án: lấy lại thư mục này từ kho mã."

PAGE = landscape(A4)
MARGIN = 1.3 * cm
TOP_BAND = 1.5 * cm  # demo mark and page header
BOTTOM_BAND = 1.0 * cm
FRAME_W = PAGE[0] - 2 * MARGIN
FRAME_H = PAGE[1] - TOP_BAND - BOTTOM_BAND - 2 * 0.3 * cm


class FontsMissing(RuntimeError):
    pass


def _face(name: str) -> Path:
    path = FONT_DIR / name
    if not path.is_file():
        raise FontsMissing(NO_FONT.format(name=name))
    return path


@functools.cache
def fonts() -> tuple[str, str, tuple[tuple[str, frozenset[int]], ...]]:
    """Register the faces once per process: (regular, bold, ((fallback, its characters), …))."""
    regular, bold = (_face(name) for name in TEXT_FACES)
    pdfmetrics.registerFont(TTFont("nq57-text", str(regular)))
    pdfmetrics.registerFont(TTFont("nq57-bold", str(bold)))
    pdfmetrics.registerFontFamily("nq57-text", normal="nq57-text", bold="nq57-bold")
    fallbacks = []
    for i, name in enumerate(FALLBACK_FACES):
        face = TTFont(f"nq57-fallback-{i}", str(_face(name)))
        pdfmetrics.registerFont(face)
        fallbacks.append((face.fontName, frozenset(face.face.charToGlyph)))
    return "nq57-text", "nq57-bold", tuple(fallbacks)


@functools.cache
def _text_chars() -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(fonts()[0]).face.charToGlyph)


def markup(text: str) -> str:
    """Escaped paragraph markup; characters the text face lacks (✓ ◆ ≥ ⚠) are set in a face that has them."""
    _, _, fallbacks = fonts()
    have = _text_chars()
    out: list[str] = []
    for char in str(text):
        code = ord(char)
        face = None
        if code not in have and not char.isspace():
            face = next((name for name, chars in fallbacks if code in chars), None)
        piece = escape(char)
        out.append(f'<font name="{face}">{piece}</font>' if face else piece)
    return "".join(out)


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold, _ = fonts()
    base = ParagraphStyle(
        "base", fontName=regular, fontSize=10.5, leading=13.5, textColor=colors.HexColor("#222222")
    )
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=19, leading=23, spaceAfter=3),
        "cover_title": ParagraphStyle(
            "cover_title", base, fontName=bold, fontSize=28, leading=34, spaceAfter=10
        ),
        "cover_sub": ParagraphStyle(
            "cover_sub", base, fontSize=15, leading=20, textColor=colors.HexColor("#555555"), spaceAfter=18
        ),
        "cover_line": ParagraphStyle("cover_line", base, fontSize=12.5, leading=17, spaceAfter=5),
        "subtitle": ParagraphStyle(
            "subtitle", base, fontSize=11, leading=14, textColor=colors.HexColor("#555555"), spaceAfter=8
        ),
        "para": ParagraphStyle("para", base, fontSize=11.5, leading=15, spaceAfter=6),
        "cell": ParagraphStyle("cell", base, fontSize=9.5, leading=12),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=bold, fontSize=9.5, leading=12),
        "head": ParagraphStyle("head", base, fontName=bold, fontSize=9.5, leading=12, textColor=colors.white),
        "tile_value": ParagraphStyle("tile_value", base, fontName=bold, fontSize=24, leading=28, alignment=1),
        "tile_label": ParagraphStyle(
            "tile_label", base, fontSize=10, leading=12, alignment=1, textColor=colors.HexColor("#555555")
        ),
        "demo": ParagraphStyle(
            "demo", base, fontName=bold, fontSize=12.5, leading=17, textColor=colors.HexColor("#D55E00")
        ),
    }


def _tiles(tiles: list[TileBox], styles) -> Table:
    cells = [
        [
            [
                Paragraph(markup(str(t.value)), styles["tile_value"]),
                Paragraph(markup(t.label), styles["tile_label"]),
            ]
            for t in tiles
        ]
    ]
    table = Table(cells, colWidths=[FRAME_W / len(tiles)] * len(tiles))
    style = [
        # A table sets its cells' font (Helvetica unless told) even when they hold paragraphs.
        ("FONTNAME", (0, 0), (-1, -1), fonts()[0]),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#F7F7F7")),
        ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#DDDDDD")),
        ("INNERGRID", (0, 0), (-1, -1), 3, colors.white),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]
    style += [("LINEABOVE", (i, 0), (i, 0), 4, colors.HexColor(t.colour)) for i, t in enumerate(tiles)]
    table.setStyle(TableStyle(style))
    return table


def _table(block: TableBlock, styles) -> Table:
    total = sum(block.widths)
    widths = [FRAME_W * w / total for w in block.widths]
    head = [Paragraph(markup(c), styles["head"]) for c in block.columns]
    body = [
        [
            Paragraph(markup(value), styles["cell_bold" if c == block.status_column else "cell"])
            for c, value in enumerate(row)
        ]
        for row in block.rows
    ]
    table = Table([head, *body], colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), fonts()[0]),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#" + HEADER_FILL)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#CCCCCC")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F3F5F7")]),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if block.status_column is not None:
        for r, code in enumerate(block.status, start=1):
            if code:
                cell = (block.status_column, r)
                style.append(("BACKGROUND", cell, cell, colors.HexColor("#" + tint(status_colour(code)))))
    table.setStyle(TableStyle(style))
    return table


def _image(png: bytes, room_h: float) -> Image:
    with PILImage.open(io.BytesIO(png)) as img:
        px_w, px_h = img.size
    scale = min(FRAME_W / px_w, room_h / px_h)
    return Image(io.BytesIO(png), width=px_w * scale, height=px_h * scale)


def _flowables(content: Slide, styles) -> list:
    if content.cover:
        out = [Spacer(1, 2.2 * cm), Paragraph(markup(content.title), styles["cover_title"])]
        out.append(Paragraph(markup(content.subtitle), styles["cover_sub"]))
        for line in content.paragraphs:
            out.append(Paragraph(markup(line), styles["demo" if line == labels.DEMO_LONG else "cover_line"]))
        return out
    out = [Paragraph(markup(content.title), styles["title"])]
    used = 30.0
    if content.subtitle:
        out.append(Paragraph(markup(content.subtitle), styles["subtitle"]))
        used += 22
    if content.tiles:
        out += [_tiles(content.tiles, styles), Spacer(1, 0.4 * cm)]
        used += 80
    for line in content.paragraphs:
        out.append(Paragraph(markup(line), styles["para"]))
        used += 20
    if content.table is not None:
        out.append(_table(content.table, styles))
    if content.image is not None:
        out.append(_image(content.image, FRAME_H - used - 6))
    elif content.figure is not None:
        out += [
            Paragraph(markup(labels.NO_IMAGE), styles["para"]),
            Paragraph(markup(content.image_note or ""), styles["para"]),
        ]
    return out


def write_pdf(deck: Deck, path: str | Path) -> Path:
    styles = _styles()
    regular, bold, _ = fonts()

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(MARGIN, 0.7 * cm, deck.footer)
        canvas.drawRightString(PAGE[0] - MARGIN, 0.7 * cm, f"Trang {doc.page}")
        if deck.demo:
            canvas.setFillColor(colors.HexColor("#D55E00"))
            canvas.setFont(bold, 11)
            canvas.drawRightString(
                PAGE[0] - MARGIN, PAGE[1] - 1.0 * cm, f"{DEMO_MARK} · không phải số liệu thật"
            )
        canvas.restoreState()

    path = Path(path)
    doc = SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_BAND,
        bottomMargin=BOTTOM_BAND + 0.3 * cm,
        title=deck.title,
        author=labels.APP,
        subject=labels.PACK_SUBTITLE,
        lang="vi-VN",
        # reportlab starts every page in Helvetica, a font it never embeds and that has no Vietnamese.
        initialFontName=regular,
    )
    story: list = []
    for i, content in enumerate(deck.slides):
        if i:
            story.append(PageBreak())
        story += _flowables(content, styles)
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return path
