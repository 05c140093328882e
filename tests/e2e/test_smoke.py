"""The installed `mp-tutor` script, launched as a learner would: a real window, a real run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from PySide6.QtGui import QImage
from virtual_display import start_xvfb

from tutor.qt_platform import plugin_problem

SCRIPT = Path(sys.executable).with_name("mp-tutor")


def _non_blank(path: Path) -> bool:
    image = QImage(str(path))
    if image.isNull() or image.width() < 400 or image.height() < 300:
        return False
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 37) for y in range(0, image.height(), 29)
    }
    return len(colours) > 20


@pytest.fixture
def display_env():
    env = dict(os.environ)
    # A real X11 window where Xvfb runs and Qt's xcb plugin can load; headless otherwise.
    xcb_loads = plugin_problem({**env, "QT_QPA_PLATFORM": "xcb"}) is None
    xvfb, display = start_xvfb(90) if xcb_loads else (None, None)
    if display:
        env["DISPLAY"] = display
        env.pop("QT_QPA_PLATFORM", None)
        env["QT_QPA_PLATFORM"] = "xcb"
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    yield env
    if xvfb is not None:
        xvfb.kill()
        xvfb.wait()


def _parents(process: psutil.Process) -> str:
    """The pids from `process`'s parent up to the test's own process, or "gone"."""
    try:
        return " < ".join(str(parent.pid) for parent in process.parents()[:4])
    except psutil.Error:
        return "gone"


@pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed beside this Python")
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/<pid>/maps")
def test_smoke_test_runs_two_processes_and_saves_a_screenshot(tmp_path, display_env):
    shot = tmp_path / "shot.png"
    app = subprocess.Popen(
        [str(SCRIPT), "--smoke-test", "--screenshot", str(shot)],
        env=display_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # While it runs, look at every process it starts (run helper, pool workers): under spawn
    # each re-imports the installed script, and none of them may load Qt.
    seen: dict[int, bool] = {}
    with_qt: dict[int, str] = {}
    deadline = time.monotonic() + 150
    while app.poll() is None and time.monotonic() < deadline:
        try:
            # Read each time: right after Popen the app may not have exec'd yet, and its command
            # line is then the test's own, so a fork of the app (its image, Qt mapped) that had
            # not exec'd yet was once counted as a child that loaded Qt.
            app_command = psutil.Process(app.pid).cmdline()
            descendants = psutil.Process(app.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            break
        for child in descendants:
            try:
                command = child.cmdline()
                parent = child.parent()
                forked = parent is not None and parent.cmdline() == command
                if not command or command == app_command or forked:
                    continue  # forked but not yet exec'd (or mid-exec): still its parent's image
                maps = Path(f"/proc/{child.pid}/maps").read_text()
                if child.cmdline() != command:
                    continue  # it exec'd between the two reads: look again next time
            except (OSError, psutil.Error):
                continue
            seen[child.pid] = seen.get(child.pid, False) or "libQt6" in maps
            if "libQt6" in maps:  # said in the failure: what it ran, and who started it
                with_qt.setdefault(child.pid, f"{' '.join(command)[:200]} (in {_parents(child)})")
        time.sleep(0.01)
    try:
        stdout, stderr = app.communicate(timeout=30)
    finally:
        if app.poll() is None:  # it hung: end it, so a failure leaves no window behind
            app.kill()
            app.communicate()
    assert app.returncode == 0, stderr
    assert "matches the sequential answer" in stdout
    assert len(seen) >= 3, "expected to see the run helper and two workers"
    assert not any(seen.values()), f"processes that loaded Qt (pid: command): {with_qt}"
    assert shot.exists() and _non_blank(shot)


@pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed beside this Python")
def test_without_a_display_a_clear_line_replaces_qts_abort(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    if sys.platform != "linux":
        pytest.skip("only Linux decides by DISPLAY")
    completed = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 1
    assert completed.stderr.count("\n") == 1
    assert "QT_QPA_PLATFORM=offscreen" in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed beside this Python")
def test_python_dash_m_tutor_opens_the_window(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    completed = subprocess.run(
        [sys.executable, "-m", "tutor", "--smoke-test", "--no-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
