"""`python -m loaders` starts as a process of its own; every command is tested in-process elsewhere."""

from __future__ import annotations

import pytest

from tests.support import cli


@pytest.mark.slow  # a process of its own
def test_python_m_loaders_starts():
    done = cli.run_module("loaders", "--help")
    assert done.returncode == 0, done.stderr
    for command in ("build", "template", "import-actuals", "add-user"):
        assert command in done.stdout
