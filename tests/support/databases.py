"""The databases every test runs on, built one way: the real catalog, and the catalog with demonstration data.

Each is built once per process and copied, so a test that writes gets a private file and the suite pays
for one build of each, whichever fixture asks first.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from loaders.build import build
from loaders.demo import write_demo

_BUILT: dict[str, Path] = {}


def _master(kind: str) -> Path:
    if kind not in _BUILT:
        path = Path(tempfile.mkdtemp(prefix=f"nq57-{kind}-")) / f"{kind}.duckdb"
        build(path)
        if kind == "demo":
            write_demo(path)
        _BUILT[kind] = path
    return _BUILT[kind]


def catalog_db(dst: Path) -> Path:
    """A private copy of the real catalog as `make build` makes it, with no uploads."""
    dst = Path(dst)
    shutil.copyfile(_master("catalog"), dst)
    return dst


def demo_db(dst: Path) -> Path:
    """A private copy of the catalog with the demonstration data of `make demo`."""
    dst = Path(dst)
    shutil.copyfile(_master("demo"), dst)
    return dst
