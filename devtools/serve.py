"""The app served for real (`python -m ui.serve`: `streamlit run app.py` on 127.0.0.1), for browser tests and bench.

The server is stopped by its PID; its memory is read from /proc/<pid>/status. The Chromium flags are the
ones both use to drive a headless browser on a bare Debian machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def proc_memory(pid: int) -> dict[str, int]:
    """{'VmHWM': peak resident kB, 'VmRSS': resident kB} of a live process (Linux /proc)."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(rest.split()[0])
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    def memory(self) -> dict[str, int]:
        return proc_memory(self.proc.pid)


@contextlib.contextmanager
def serve(db: Path, timeout: float = 90, script: str = "app.py", users: Path | None = None):
    """The app (or another script, e.g. bench/floor/app.py) on 127.0.0.1 against db; terminated (then
    killed) by its PID on exit. users: an accounts file for tests that log in (default: a fresh empty one)."""
    port = free_port()
    users = Path(users) if users else Path(tempfile.mkdtemp(prefix="nq57-bench-")) / "users.toml"
    env = {**os.environ, "NQ57_DB": str(db), "NQ57_USERS": str(users)}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                # app.py through its launcher, as `make run` starts it (ui/serve.py says why)
                *(["ui.serve"] if script == "app.py" else ["streamlit", "run", script]),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        server = Server(proc, port)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        log.seek(0)
                        raise RuntimeError(
                            f"Streamlit did not start: {log.read().decode()[-2000:]}"
                        ) from None
                    time.sleep(0.2)
            yield server
        finally:
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=15)
