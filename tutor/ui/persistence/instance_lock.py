"""Noticing a second window of the tutor on the same settings (a QLockFile beside them).

Two windows may be open at once (two processes). Progress is merged on every change
(progress_store.py); other settings (window size, zoom, choices) are whatever the window that
saves last had. The lock only lets the second window say so. A lock left by a process that
died is stale and taken over (QLockFile checks whether its process still runs).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

LOCK_FILE_NAME = "window.lock"
SECOND_WINDOW_NOTE = (
    "Another window of the tutor is already open. Your progress from both windows is kept: "
    "each change adds to what the other saved. Other settings (window size, zoom, choices) "
    "are those of the window closed last."
)


class InstanceLock:
    """Held by the first window on a settings folder while it is open."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._lock = QLockFile(str(folder / LOCK_FILE_NAME))

    def acquire(self) -> bool:
        """True when this is the only window on these settings (the lock is now ours); False
        when another running process holds it, or the folder cannot be written (then no
        second window can be told apart: we say nothing rather than guess)."""
        try:
            self._folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return True
        if self._lock.tryLock(0):
            return True
        return self._lock.error() != QLockFile.LockError.LockFailedError

    def release(self) -> None:
        """Let the next window be the first (also done when the process ends)."""
        if self._lock.isLocked():
            self._lock.unlock()
