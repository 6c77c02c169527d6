"""The PDF's fonts ship with the project: present, licensed, small, covering every character we print."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from exports import labels as export_labels
from exports import pdf
from metrics import status_labels, tasks
from ui import labels as ui_labels

FONT_DIR = Path(pdf.__file__).parent / "fonts"
FACES = (*pdf.TEXT_FACES, *pdf.FALLBACK_FACES)


def test_the_faces_and_their_licence_are_in_the_project():
    assert pdf.FONT_DIR == FONT_DIR
    for name in FACES:
        assert (FONT_DIR / name).is_file(), name
    licence = (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in licence and "Google" in licence
    assert "PERMISSION & CONDITIONS" in licence, "the full licence text, not a pointer to it"
    size = sum(p.stat().st_size for p in FONT_DIR.iterdir())
    assert size < 3_000_000, f"fonts folder is {size} bytes"


def test_no_system_font_folder_is_looked_at():
    source = Path(pdf.__file__).read_text(encoding="utf-8")
    assert "/usr/share/fonts" not in source


def _covered() -> set[int]:
    chars: set[int] = set()
    for i, name in enumerate(FACES):
        chars |= set(TTFont(f"probe-{i}", str(FONT_DIR / name)).face.charToGlyph)
    return chars


def _printed_characters() -> set[str]:
    """Every character of the labels and badges the pack prints, and all of Vietnamese."""
    text = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    text += text.lower() + "≥≤→–—…·✓◆⚠✗"
    for module in (export_labels, ui_labels, status_labels, tasks):
        for value in vars(module).values():
            if isinstance(value, str):
                text += value
            elif isinstance(value, dict):
                text += "".join(str(v) for v in value.values())
    return {c for c in text if not c.isspace()}


def test_the_shipped_faces_cover_every_character_the_pack_prints():
    covered = _covered()
    missing = sorted(c for c in _printed_characters() if ord(c) not in covered)
    assert missing == []


def test_a_missing_face_is_named_in_vietnamese(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "FONT_DIR", tmp_path)
    with pytest.raises(pdf.FontsMissing) as err:
        pdf.fonts.__wrapped__()
    assert "NotoSans-Regular.ttf" in str(err.value) and "exports/fonts" in str(err.value)
