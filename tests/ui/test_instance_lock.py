"""A second window on the same settings says so (#19: two windows overwrote each other)."""

from __future__ import annotations

import subprocess
import sys

from tutor.ui.persistence.instance_lock import SECOND_WINDOW_NOTE, InstanceLock
from tutor.ui.persistence.settings_store import settings_path

_HOLDER = """
import sys
from pathlib import Path
from tutor.ui.persistence.instance_lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
print("first" if lock.acquire() else "second", flush=True)
sys.stdin.readline()  # hold the lock until the test says
"""


def test_a_second_process_finds_the_lock_until_the_first_one_ends(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "first"
        assert not InstanceLock(tmp_path).acquire()  # another running process holds it
    finally:
        holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    mine = InstanceLock(tmp_path)
    assert mine.acquire()  # the first window is gone: this one is first now
    mine.release()


def test_a_lock_left_by_a_killed_process_is_taken_over(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "first"
    holder.kill()
    holder.wait(timeout=60)
    holder.stdout.close()
    holder.stdin.close()
    assert (tmp_path / "window.lock").exists()  # left behind
    assert InstanceLock(tmp_path).acquire()


def test_the_second_window_says_another_one_is_open(qtbot, make_window):
    first = make_window()
    assert first.statusBar().currentMessage() != SECOND_WINDOW_NOTE
    assert (settings_path().parent / "window.lock").exists()
    second = make_window()
    assert second.statusBar().currentMessage() == SECOND_WINDOW_NOTE
