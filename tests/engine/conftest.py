"""Engine test fixtures: the fixture modules on sys.path, and no child outliving a test."""

from __future__ import annotations

from pathlib import Path

import pytest
from process_checks import end_leftovers, wait_no_children

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def fixture_modules_importable(monkeypatch):
    # Spawned (and forkserver) children start with the parent's sys.path.
    monkeypatch.syspath_prepend(str(FIXTURES))


@pytest.fixture(autouse=True)
def no_leftover_children():
    """Fail a test that leaves a worker behind, and clean up so the next test starts clean."""
    yield
    described = end_leftovers(wait_no_children(5.0))
    assert not described, f"child processes left behind: {described}"
