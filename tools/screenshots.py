"""Refresh the README's screenshots (docs/screenshot-*.png) from the real window.

Run from the repository root, headless and gently on a shared machine:

    QT_QPA_PLATFORM=offscreen nice -n 10 .venv/bin/python tools/screenshots.py [NAME ...]

Each picture gets a fresh main window (1280 × 800) with its settings in a temporary folder
(MP_TUTOR_CONFIG_DIR, as tests/conftest.py does), so the learner's own settings are never read
or written. Every picture runs the small real experiment its README paragraph describes; sizes
are kept small so the whole script takes a few minutes. Not part of the package or the tests.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(names: list[str]) -> int:
    """Make the pictures named (all twelve when none is), on throwaway settings.

    Everything runs here, under the main guard: under spawn every worker process re-imports
    this script, and must neither load Qt nor make a settings folder of its own.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="mp-tutor-shots-") as folder:
        os.environ["MP_TUTOR_CONFIG_DIR"] = folder
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import screenshot_pictures

        return screenshot_pictures.main(names)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
