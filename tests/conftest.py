"""Shared fixtures: isolated settings per test, and a check for leftover child processes."""

from __future__ import annotations

import sys
from collections.abc import Callable

import psutil
import pytest
from process_checks import run_children, wait_no_children


@pytest.hookimpl(wrapper=True)
def pytest_collection(session):
    """Let pytest keep its assert-rewritten test modules, even where PYTHONDONTWRITEBYTECODE
    is set (as `make test` compiles the tutor's bytecode for the same reason).

    pytest reads that cache either way but writes it only where bytecode may be written: else
    each xdist worker rewrites all ~130 test modules on every run (measured: collection took
    ~7 CPU-s a worker, ~3.5 with the cache). Only collection writes; the tests run as set.
    """
    held = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        return (yield)
    finally:
        sys.dont_write_bytecode = held


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
