"""The headline tiles: how many targets are met, on track, at risk, off track, without data, assessed by hand."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Tile:
    label: str
    statuses: tuple[str, ...]
    help: str


TILES: tuple[Tile, ...] = (
    Tile(
        "Đạt", ("met", "met_early"), "Đạt (đã đến hạn) và đạt sớm (chưa đến hạn nhưng đã đạt mức chỉ tiêu)."
    ),
    Tile("Đúng tiến độ", ("on_track",), "Chưa đến hạn; đã đi ít nhất 95% quãng đường cần đi đến kỳ báo cáo."),
    Tile("Có nguy cơ", ("at_risk",), "Chưa đến hạn; đi được 60–95% quãng đường cần đi."),
    Tile(
        "Chậm / không đạt", ("off_track", "not_met"), "Chậm tiến độ (dưới 60%) hoặc đã đến hạn mà không đạt."
    ),
    Tile(
        "Chưa có số liệu",
        ("no_data", "insufficient_data", "not_reported"),
        "Chưa có số liệu, chưa đủ số liệu để đánh giá, hoặc chưa báo cáo kỳ này.",
    ),
    Tile(
        "Đánh giá thủ công",
        ("manual",),
        "Chỉ tiêu định tính hoặc có/không: do Ban Chỉ đạo đánh giá, không tính tự động.",
    ),
)


def tile_counts(statuses: pd.Series) -> list[tuple[Tile, int]]:
    """Each tile with how many of the given statuses fall in it; every status lands in exactly one tile."""
    counts = statuses.value_counts()
    return [(tile, int(sum(counts.get(s, 0) for s in tile.statuses))) for tile in TILES]
