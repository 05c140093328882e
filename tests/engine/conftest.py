"""Engine test fixtures: the fixture modules on sys.path, and no child outliving a test."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
from process_checks import wait_no_children

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def fixture_modules_importable(monkeypatch):
    # Spawned (and forkserver) children start with the parent's sys.path.
    monkeypatch.syspath_prepend(str(FIXTURES))


@pytest.fixture(autouse=True)
def no_leftover_children():
    """Fail a test that leaves a worker behind, and clean up so the next test starts clean."""
    yield
    left = wait_no_children(5.0)
    described = []
    for process in left:
        try:
            described.append(f"{process.pid}: {' '.join(process.cmdline())}")
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(left, timeout=5)
    assert not described, f"child processes left behind: {described}"
