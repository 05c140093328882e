"""Shared fixtures: every test gets its own settings folder, so no test sees another's state."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    config_dir = tmp_path / "config"
    config_dir.mkdir()
    monkeypatch.setenv("MP_TUTOR_CONFIG_DIR", str(config_dir))
    return config_dir
