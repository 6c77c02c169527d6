"""Run a command-line `main(argv)` in the test process, as a shell would see it: exit code, stdout, stderr."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from loaders.db import ROOT


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


def run(main: Callable[[list[str]], int], argv: list[str], capsys, monkeypatch) -> Done:
    """Call main(argv) with no keyboard (stdin at end of file), as a scheduled job or CI would."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    capsys.readouterr()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses bad arguments by exiting
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return Done(code, out, err)


def run_module(module: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m module args…` in a process of its own, for what only a separate process shows."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
