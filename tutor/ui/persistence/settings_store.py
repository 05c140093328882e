"""Where the tutor keeps its settings, and what happens when that file is damaged.

One INI file, `mp-tutor.ini`, in `$MP_TUTOR_CONFIG_DIR` when that is set (tests set it per test)
or else in the platform's per-application config folder. Writes go through QSettings, which
saves through a temporary file and renames it, so a crash mid-write never leaves half a file;
callers `sync()` after each change that matters so a crash loses nothing.

A damaged file (QSettings reports a format or access error, or the text is not a plain INI file)
is moved aside as `mp-tutor.ini.corrupt-<timestamp>` and the tutor starts fresh, telling the
learner once what happened. A file that reads well but cannot be written (read-only, on a
read-only disk, or the config folder is not a folder) is not damaged: it is used, and the learner
is told once that this session's changes will not be saved.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths

SETTINGS_FILE_NAME = "mp-tutor.ini"
CONFIG_DIR_ENV = "MP_TUTOR_CONFIG_DIR"

# Lines a QSettings INI file may hold: blank, comment, [section] or key=value.
_INI_LINE = re.compile(r"^\s*(?:$|[;#].*|\[[^\]]*\]\s*|[^=]+=.*)$")


def settings_path() -> Path:
    """The settings file's path (it may not exist yet)."""
    override = os.environ.get(CONFIG_DIR_ENV)
    if override:
        return Path(override) / SETTINGS_FILE_NAME
    return _default_config_dir() / SETTINGS_FILE_NAME


def _default_config_dir() -> Path:
    app_name = QCoreApplication.applicationName()
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    if app_name and app_name not in {program, Path(program).stem}:
        location = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppConfigLocation
        )
        if location:
            return Path(location)
    # The application name was never set (Qt falls back to the script's name): use a folder
    # named after the tutor rather than one named after whatever script started Python.
    generic = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    base = Path(generic) if generic else Path.home() / ".config"
    return base / "mp-tutor"


def _text_is_plain_ini(path: Path) -> bool:
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    # A line ending in a backslash continues on the next one.
    logical_lines = re.sub(r"\\\r?\n", "", text).splitlines()
    return all(_INI_LINE.match(line) for line in logical_lines)


def _is_damaged(path: Path) -> bool:
    if not path.exists():
        return False
    probe = QSettings(str(path), QSettings.Format.IniFormat)
    status = probe.status()
    del probe  # nothing was changed, so dropping it writes nothing
    if status != QSettings.Status.NoError:
        return True
    return not os.access(path, os.R_OK) or not _text_is_plain_ini(path)


def _backup_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    return candidate


def open_settings() -> tuple[QSettings, str | None]:
    """Open the tutor's settings; return them and a one-sentence message for the learner.

    The message is None unless the settings file was damaged and had to be replaced, or
    changes to it cannot be saved (then the settings still hold what the file says).
    """
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass  # QSettings reports the problem through status(); handled below
    message: str | None = None
    if _is_damaged(path):
        backup = _backup_path(path)
        try:
            path.replace(backup)
        except OSError:
            # Neither readable nor movable: keep this session's settings in a temporary file.
            fallback = Path(tempfile.mkdtemp(prefix="mp-tutor-settings-")) / SETTINGS_FILE_NAME
            message = (
                f"Your saved settings in {path} could not be read or replaced, so the tutor "
                "started fresh and will not remember progress from this session."
            )
            return QSettings(str(fallback), QSettings.Format.IniFormat), message
        message = (
            "Your saved settings file was damaged, so the tutor started fresh and kept the "
            f"old file as {backup.name}."
        )
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    if message is None and not settings.isWritable():
        message = cannot_save_message(path)
    return settings, message


def cannot_save_message(path: Path) -> str:
    """The one sentence telling the learner that changes to the settings at `path` are lost."""
    return (
        f"Your settings in {path} cannot be saved (the file or its folder is read-only or "
        "not a folder). The tutor uses what it could read, but your progress and quiz results "
        "from this session will not be remembered."
    )
