"""Shared fixtures: isolated settings per test, and a check for leftover child processes."""

from __future__ import annotations

from collections.abc import Callable

import psutil
import pytest
from process_checks import run_children, wait_no_children


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    monkeypatch.setenv("MP_TUTOR_CONFIG_DIR", str(config_dir))
    return config_dir


@pytest.fixture
def children() -> Callable[[], list[psutil.Process]]:
    return run_children


@pytest.fixture
def no_children_left() -> Callable[[float], list[psutil.Process]]:
    return wait_no_children
