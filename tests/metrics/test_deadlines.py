"""Every deadline text the catalog holds parses to the kind and due date a person would read."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from loaders import db
from metrics.deadlines import DATE, RECURRING, UNKNOWN, WAITING, parse_deadline

EXPECTED = {
    "": (UNKNOWN, None),
    "02/2025": (DATE, date(2025, 2, 28)),
    "3/2025": (DATE, date(2025, 3, 31)),
    "12/2025": (DATE, date(2025, 12, 31)),
    "Tháng 10/2025": (DATE, date(2025, 10, 31)),
    "Tháng 11/2025": (DATE, date(2025, 11, 30)),
    "Tháng 12/2025": (DATE, date(2025, 12, 31)),
    "2025": (DATE, date(2025, 12, 31)),
    "2026": (DATE, date(2026, 12, 31)),
    "2025 – 2030": (DATE, date(2030, 12, 31)),
    "2025- 2026": (DATE, date(2026, 12, 31)),
    "2026 - 2030": (DATE, date(2030, 12, 31)),
    "2026 – 2030": (DATE, date(2030, 12, 31)),
    "2026-2030": (DATE, date(2030, 12, 31)),
    "Hàng năm": (RECURRING, None),
    "Thường xuyên": (RECURRING, None),
    "Nhiệm vụ thường xuyên": (RECURRING, None),
    "Sau khi Thủ tướng Chính phủ ban hành": (WAITING, None),
    "Sau khi Thủ tướng Chính phủ ban hành Quyết định": (WAITING, None),
    "Sau khi Trung ương hoàn thành các nền tảng số": (WAITING, None),
    "Sau khi các văn bản Luật, Nghị định được ban hành": (WAITING, None),
    "Sau khi có Quyết định ban hành Đề án của Thủ tướng Chính phủ": (WAITING, None),
    "Sau khi có hướng dẫn của Bộ Thông tin và Truyền thông, Bộ Khoa học và Công nghệ": (WAITING, None),
    "Sau khi có hướng dẫn của UBND tỉnh": (WAITING, None),
    "Sau khi có hướng dẫn của trung ương": (WAITING, None),
    "Sau khi có văn bản hướng dẫn của Trung ương": (WAITING, None),
    "Sau khi có văn bản hướng dẫn thực hiện": (WAITING, None),
    "Sau khi Đề án được Trung ương ban hành": (WAITING, None),
    "Theo chỉ đạo của Trung ương": (WAITING, None),
    "Theo hướng dẫn của Bộ Khoa học và Công nghệ, Bộ Tài chính, Bộ Công an, Bộ Nội vụ": (WAITING, None),
    "Theo tiến độ của các bộ, ngành Trung": (WAITING, None),
}


def catalog_deadlines() -> set[str]:
    texts = set()
    for path in (db.DATA_DIR / "tasks").glob("*.csv"):
        with path.open(encoding="utf-8") as f:
            texts |= {row["deadline_text"] for row in csv.DictReader(f)}
    return texts


def test_the_table_covers_every_deadline_in_the_catalog():
    assert catalog_deadlines() == set(EXPECTED)


@pytest.mark.parametrize(("text", "expected"), sorted(EXPECTED.items()))
def test_deadline(text, expected):
    parsed = parse_deadline(text)
    assert (parsed.kind, parsed.due_date) == expected


@pytest.mark.parametrize("text", ["13/2025", "Quý V", "sớm nhất có thể"])
def test_unreadable_deadlines_have_no_due_date(text):
    assert parse_deadline(text).due_date is None
