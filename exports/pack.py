"""The briefing pack: a PDF and a PowerPoint file with the same slides, made in one call."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from exports.briefing import build_deck, render_images
from exports.pdf import write_pdf
from exports.slides import write_pptx


def build_pack(
    con: duckdb.DuckDBPyConnection,
    horizon: str,
    period: str,
    agency: str | None = None,
    out_dir: str | Path = "out",
    *,
    today: date | None = None,
    charts: bool = True,
) -> list[Path]:
    """Write <stem>.pdf and <stem>.pptx into out_dir and return their paths (PDF first).

    Charts are drawn once by kaleido and shared by both files; without a browser (or with
    charts=False) the chart slides say why instead.
    """
    deck = build_deck(con, horizon, period, agency, today=today)
    if charts:
        render_images(deck)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return [write_pdf(deck, out / f"{deck.stem}.pdf"), write_pptx(deck, out / f"{deck.stem}.pptx")]
