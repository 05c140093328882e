"""Run a short Python program in a fresh interpreter (as a new start of the app would be) and
read the JSON object it prints last: for tests about what importing the app does to a process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the checkout: `import tutor` finds this one


def run_probe(code: str) -> dict:
    """Run `code` with `python -c` in ROOT, Qt headless; returns the JSON object of its last
    output line. Fails the test with the probe's stderr when the probe itself fails."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
