"""Analysis test fixtures: some tests measure real runs, and no child may outlive a test."""

from __future__ import annotations

import psutil
import pytest
from process_checks import wait_no_children


@pytest.fixture(autouse=True)
def no_leftover_children():
    """Fail a test that leaves a worker behind, and clean up so the next test starts clean."""
    yield
    left = wait_no_children(5.0)
    for process in left:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(left, timeout=5)
    assert not left, f"child processes left behind: {[p.pid for p in left]}"
