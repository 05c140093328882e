"""Start-up: process start to the first painted frame, tutor (light, dark) against a bare window."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ui_perf.constants import CHILD_TIMEOUT_S, MARK, REPO_ROOT, TUTOR_KINDS
from ui_perf.returning import SETTINGS_FILE, returning_settings

if TYPE_CHECKING:  # only for the type checker: no Qt at module level (see ui_responsiveness.py)
    pass

# --- part 2: start-up ---------------------------------------------------------------------

_CHILD_HEAD = """
import json, os, sys, time
T0 = int(os.environ["UIR_T0_NS"])
def ms():
    return (time.monotonic_ns() - T0) / 1e6
marks = {"interpreter": ms()}
"""

_CHILD_TUTOR = """
from tutor.app import _application, create_main_window
marks["imports"] = ms()
app = _application()  # what `mp-tutor` does (tutor.app.run_app)
window = create_main_window()
window.resize(1280, 800)
marks["window"] = ms()
"""

_CHILD_BARE = """
import pyqtgraph as pg
from PySide6.QtWidgets import QApplication, QMainWindow
marks["imports"] = ms()
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1280, 800)
marks["window"] = ms()
"""

# The probe's own Qt imports come after the window's (already loaded by then, they cost
# nothing): imported first, they would change which of the window's modules load before PySide6,
# unlike `mp-tutor` (see tutor/qt_free_imports.py).
_CHILD_TAIL = """
from PySide6.QtCore import QEvent, QObject, QTimer

def done():
    marks["first_frame"] = ms()
    marks["cpu"] = time.process_time() * 1000  # CPU ms of this process (all threads) so far
    print(%(mark)r + json.dumps(marks), flush=True)
    os._exit(0)  # measured; skip teardown (nothing of value to save)

window.show()
marks["shown"] = ms()

# Qt paints a widget window's first frame inside the handling of its first Expose event, so a
# zero-timer started there fires after the whole frame and its flush. Watched on the window's
# QWindow alone: the probe used to filter the whole application (every event of every widget
# through Python, ~1,600 before the tutor's first frame against ~400 for the bare window),
# which cost the tutor ~4 ms more than the window it is compared with.
class FirstExpose(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed() and "exposed" not in marks:
            marks["exposed"] = ms()
            QTimer.singleShot(0, done)
        return False

first_expose = FirstExpose()
window.windowHandle().installEventFilter(first_expose)  # made by show(); exposed later
QTimer.singleShot(%(timeout_ms)d, lambda: (print("UIR-TIMEOUT", flush=True), os._exit(3)))
app.exec()
"""


def child_code(kind: str) -> str:
    body = _CHILD_TUTOR if kind in TUTOR_KINDS else _CHILD_BARE
    tail = _CHILD_TAIL % {"mark": MARK, "timeout_ms": int(CHILD_TIMEOUT_S * 1000)}
    return _CHILD_HEAD + body + tail


def launch_once(kind: str, settings: str | None = None) -> dict[str, float]:
    """One fresh child process; its milestones in ms since just before it was started.

    `settings`: the INI text its fresh settings folder starts with (a tutor child's)."""
    with tempfile.TemporaryDirectory(prefix="uir-config-") as config_dir:
        if settings is not None:
            (Path(config_dir) / SETTINGS_FILE).write_text(settings, encoding="utf-8")
        env = dict(os.environ, MP_TUTOR_CONFIG_DIR=config_dir)
        env["UIR_T0_NS"] = str(time.monotonic_ns())
        done = subprocess.run(
            [sys.executable, "-c", child_code(kind)],
            env=env,
            cwd=REPO_ROOT,  # `python -c` puts the cwd first on sys.path: measure this checkout
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S + 10,
            check=False,
        )
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    raise RuntimeError(
        f"{kind} start-up child failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    )


@dataclass(frozen=True)
class StartupStats:
    kind: str
    samples_ms: list[float]
    phases_ms: dict[str, float]  # medians of each milestone

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)


def measure_startup(reps: int) -> list[StartupStats]:
    """Part 2: alternate tutor (light, dark) / bare children; one unmeasured warm-up of each
    first. The tutor children start with a returning learner's settings, as an earlier
    session of the window left them."""
    kinds = (*TUTOR_KINDS, "bare")
    from bytecode import compile_tutor  # beside this script (see there why)

    compile_tutor()
    # What an earlier session of each appearance left (see ui_perf/returning.py).
    settings = {kind: returning_settings(theme) for kind, theme in TUTOR_KINDS.items()}
    for kind in kinds:
        launch_once(kind, settings.get(kind))  # warm the page cache and .pyc files; not counted
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for rep in range(reps):
        # Alternate which goes first, so slow drifts in machine load hit both alike.
        for kind in kinds if rep % 2 == 0 else kinds[::-1]:
            runs[kind].append(launch_once(kind, settings.get(kind)))
    out = []
    for kind in kinds:
        marks = runs[kind]
        keys = ("interpreter", "imports", "window", "shown", "exposed", "first_frame", "cpu")
        phases = {key: statistics.median(m[key] for m in marks) for key in keys}
        out.append(StartupStats(kind, [m["first_frame"] for m in marks], phases))
    return out
