"""A real CPU hog for tests: bounded busy-loop processes that compete for the cores."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

# Bounded: even a hog whose test crashed before the kill stops by itself within a minute.
BUSY_LOOP = "import time\nend = time.monotonic() + 60\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def cpu_hogs(count: int | None = None) -> Iterator[list[subprocess.Popen]]:
    """Start `count` busy-loop processes (default: one per logical CPU); kill them on exit."""
    hogs: list[subprocess.Popen] = []
    try:
        for _ in range(count or os.cpu_count() or 1):
            hogs.append(subprocess.Popen([sys.executable, "-c", BUSY_LOOP]))
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()
