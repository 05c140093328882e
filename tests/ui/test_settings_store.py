"""The settings file: found through MP_TUTOR_CONFIG_DIR, persistent, and recovered when damaged."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from tutor.ui.persistence.settings_store import SETTINGS_FILE_NAME, open_settings


def test_uses_the_config_dir_from_the_environment(isolated_settings):
    settings, message = open_settings()
    assert message is None
    assert settings.format() == QSettings.Format.IniFormat
    assert settings.fileName() == str(isolated_settings / SETTINGS_FILE_NAME)


def test_values_persist_across_open_settings_calls(isolated_settings):
    settings, _ = open_settings()
    settings.setValue("lesson/zoom", 3)
    settings.setValue("names/title", "Pool.map — ✓ ünïcode")
    settings.sync()
    del settings

    reopened, message = open_settings()
    assert message is None
    assert reopened.value("lesson/zoom", 0, type=int) == 3
    assert reopened.value("names/title") == "Pool.map — ✓ ünïcode"
    assert (isolated_settings / SETTINGS_FILE_NAME).is_file()


@pytest.mark.parametrize(
    "damage",
    [
        b"\x00\x01\xff\xfe garbage \x00\n[[[\n",  # binary junk: QSettings reports FormatError
        b"[General\nx=1\n",  # unterminated section header
        b"this is not an ini file\nat all\n",  # Qt reads this silently as empty
        b"[General]\nname=caf\xe9\n",  # not UTF-8
    ],
)
def test_damaged_file_is_moved_aside_and_a_fresh_store_works(isolated_settings, damage):
    path = isolated_settings / SETTINGS_FILE_NAME
    path.write_bytes(damage)

    settings, message = open_settings()

    assert message is not None
    assert "started fresh" in message
    backups = list(isolated_settings.glob(f"{SETTINGS_FILE_NAME}.corrupt-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == damage
    assert backups[0].name in message
    assert settings.status() == QSettings.Status.NoError
    assert settings.allKeys() == []

    settings.setValue("quiz/attempts", 2)
    settings.sync()
    del settings
    reopened, second_message = open_settings()
    assert second_message is None
    assert reopened.value("quiz/attempts", 0, type=int) == 2


def test_a_second_damaged_file_gets_its_own_backup(isolated_settings):
    path = isolated_settings / SETTINGS_FILE_NAME
    path.write_bytes(b"\x00junk")
    open_settings()
    path.write_bytes(b"\x00more junk")
    _, message = open_settings()
    assert message is not None
    assert len(list(isolated_settings.glob(f"{SETTINGS_FILE_NAME}.corrupt-*"))) == 2


def test_a_file_qsettings_wrote_itself_is_never_called_damaged(isolated_settings):
    settings, _ = open_settings()
    settings.setValue("progress/sections_read", '["Why threads", "Pool.map"]')
    settings.setValue("window/geometry", b"\x01\x02\x00\xff binary")
    settings.setValue("multi/line", "first\nsecond\\third = fourth")
    settings.setValue("list", ["a", "b, c"])
    settings.sync()
    del settings
    reopened, message = open_settings()
    assert message is None
    assert reopened.value("multi/line") == "first\nsecond\\third = fourth"
    assert reopened.value("window/geometry") == b"\x01\x02\x00\xff binary"
