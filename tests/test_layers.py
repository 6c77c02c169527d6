"""The layer rule of STYLE.md, checked: only the UI layer imports Streamlit; pages hold no SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE_PACKAGES = ("metrics", "loaders", "charts", "exports")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py") if (ROOT / pkg).exists())


@pytest.mark.parametrize("path", python_files(*PURE_PACKAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_logic_layers_never_import_streamlit(path):
    assert "streamlit" not in imported_modules(path)


@pytest.mark.parametrize("path", python_files("pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_hold_no_sql_and_stay_thin(path):
    text = path.read_text(encoding="utf-8")
    assert "duckdb" not in imported_modules(path)
    assert not re.search(r"\bSELECT\b.+\bFROM\b", text), "SQL belongs in loaders/"
    assert len(text.splitlines()) <= 200, "a page this long is hiding a module"


@pytest.mark.parametrize("path", python_files("charts"), ids=lambda p: str(p.relative_to(ROOT)))
def test_charts_take_frames_and_never_read_the_database(path):
    """Pages and exports hand charts/ the same frames; a chart that read on its own could differ."""
    assert not imported_modules(path) & {"loaders", "ui", "exports", "pages", "duckdb", "streamlit"}
