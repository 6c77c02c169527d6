"""The layer rules of STYLE.md that import-linter cannot see: pages (scripts, not a package) and SQL text.

Who imports whom (only app.py, pages/ and ui/ import Streamlit; metrics/ pure; charts/ without loaders/;
bench/ and tests/ apart) is import-linter's job: the contracts in pyproject.toml, run by `make lint`.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Everything that ships, except loaders/: the only place SQL text may live.
NO_SQL = ("metrics", "charts", "exports", "ui", "pages")
SQL = re.compile(
    r"^\s*(SELECT|WITH|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b.*\b(FROM|INTO|SET|TABLE|VIEW|AS)\b",
    re.I | re.S,
)


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


def sql_strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.match(node.value)
    ]


@pytest.mark.parametrize("path", python_files("pages"), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_hold_no_sql_and_stay_thin(path):
    text = path.read_text(encoding="utf-8")
    assert "duckdb" not in imported_modules(path)
    assert len(text.splitlines()) <= 200, "a page this long is hiding a module"


@pytest.mark.parametrize(
    "path", [*python_files(*NO_SQL), ROOT / "app.py"], ids=lambda p: str(p.relative_to(ROOT))
)
def test_sql_text_lives_in_loaders_only(path):
    """Exports and screens call loaders (loaders.read, loaders.export_reads); ui.db runs what they hand it."""
    assert sql_strings(path) == [], "SQL belongs in loaders/"


def test_the_sql_check_sees_sql():
    """The check above can fail: it finds the SQL constants of loaders.read."""
    found = sql_strings(ROOT / "loaders" / "read.py")
    assert any(s.startswith("SELECT") for s in found) and len(found) >= 10
