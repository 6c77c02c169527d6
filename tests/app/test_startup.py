"""gc.freeze after start-up: done when a run imported modules, skipped on the usual click."""

from __future__ import annotations

import gc
import sys
import types

from ui import startup


def test_freezes_once_per_new_set_of_modules(monkeypatch):
    monkeypatch.setattr(startup, "_modules_frozen", 0)
    try:
        assert startup.freeze_after_imports() is True
        frozen = gc.get_freeze_count()
        assert frozen > 0
        assert startup.freeze_after_imports() is False  # nothing new imported
        monkeypatch.setitem(sys.modules, "nq57_new_page_module", types.ModuleType("nq57_new_page_module"))
        assert startup.freeze_after_imports() is True
    finally:
        gc.unfreeze()
