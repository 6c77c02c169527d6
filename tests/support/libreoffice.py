"""A headless LibreOffice Calc for tests: workbooks edited the way agency staff edit them, in a given locale.

`Calc("vi-VN")` starts Debian's soffice on a free loopback port with a fresh profile whose locale is set
(decimal comma and day/month/year for vi-VN; decimal point and month/day/year for en-US), and `run(ops)`
applies operations through `lo_uno.py` under /usr/bin/python3, the Python that python3-uno is built for.
Stop it with `close()` (or use it as a context manager): the process group it started is ended by its PID.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).with_name("lo_uno.py")

LOCALE_XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse"><value>{locale}</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def missing() -> str | None:
    """Why LibreOffice cannot be driven here, or None when it can."""
    if not shutil.which("soffice"):
        return "LibreOffice Calc is not installed (apt-get install libreoffice-calc-nogui python3-uno)"
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True)
    if probe.returncode != 0:
        return "python3-uno is not installed for /usr/bin/python3 (apt-get install python3-uno)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Calc:
    """One headless soffice with its own profile and locale; `run` applies a list of operations."""

    def __init__(self, locale: str = "vi-VN"):
        self.locale = locale
        self.home = Path(tempfile.mkdtemp(prefix=f"nq57-lo-{locale}-"))
        user = self.home / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(LOCALE_XCU.format(locale=locale), encoding="utf-8")
        self.port = _free_port()
        self._start()

    def _start(self) -> None:
        env = {**os.environ, "HOME": str(self.home), "SAL_USE_VCLPLUGIN": "svp"}
        env.pop("DISPLAY", None)
        self.proc = subprocess.Popen(
            [
                "soffice",
                f"-env:UserInstallation={self.home.as_uri()}",
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"--accept=socket,host=127.0.0.1,port={self.port};urp;",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def run(self, ops: list[dict], timeout: float = 120) -> list[dict]:
        """Apply ops; once more on a fresh soffice if the bridge broke (it does, rarely, on a loaded
        machine: the driver exits with nothing said). What the ops produce is judged by the tests."""
        try:
            return self._run(ops, timeout)
        except RuntimeError:
            self._stop()
            self._start()
            return self._run(ops, timeout)

    def _run(self, ops: list[dict], timeout: float) -> list[dict]:
        spec = self.home / "spec.json"
        spec.write_text(json.dumps(ops, ensure_ascii=False), encoding="utf-8")
        done = subprocess.run(
            [SYSTEM_PYTHON, str(DRIVER), str(self.port), str(spec)],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            alive = self.proc.poll() is None
            raise RuntimeError(
                f"LibreOffice ({self.locale}) failed (driver exit {done.returncode}, soffice "
                f"{'running' if alive else f'exited {self.proc.returncode}'}): {done.stderr[-2000:]}"
                f"{done.stdout[-500:]}"
            )
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=15)

    def close(self) -> None:
        self._stop()
        shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> Calc:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
