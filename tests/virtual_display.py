"""A virtual X display (Xvfb) for tests that need a real X server, where Xvfb is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path


def start_xvfb(first_display: int = 90) -> tuple[subprocess.Popen | None, str | None]:
    """(process, ":N") of a fresh 1280x800 Xvfb on a free display, or (None, None) without Xvfb.

    The caller kills the process. Separate test files start at separate display numbers, and
    each pytest-xdist worker (gw0, gw1, ...) starts 10 numbers further on, so two workers never
    race for the same display.
    """
    if not shutil.which("Xvfb"):
        return None, None
    first_display += 10 * _worker_index()
    for number in range(first_display, first_display + 30):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        process = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and process.poll() is None:
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return process, f":{number}"
            time.sleep(0.05)
        process.kill()
        process.wait()
    return None, None


def _worker_index() -> int:
    """0 outside pytest-xdist, N in its worker gwN."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return int(worker[2:]) if worker[2:].isdigit() else 0
