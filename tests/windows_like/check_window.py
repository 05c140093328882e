"""Run by tests/test_windows_like.py in a Windows-like Python: the real window's facts as JSON.

Opens the main window offscreen, reads the start methods it offers, runs an example that
starts a Pool whose workers sleep, stops it from the console, and reports whether any of its
processes is left.
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psutil
from PySide6.QtCore import QDeadlineTimer, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from tutor.app import create_main_window

EXAMPLE = """
import multiprocessing, time
def nap(_):
    time.sleep(600)
if __name__ == "__main__":
    with multiprocessing.Pool(2) as pool:
        print("pool started", flush=True)
        pool.map(nap, range(2))
"""


@dataclass(frozen=True)
class Example:
    id: str
    title: str
    path: Path


def wait_for(app: QApplication, condition, timeout_s: float = 60.0) -> bool:
    deadline = QDeadlineTimer(int(timeout_s * 1000))
    while not condition():
        if deadline.hasExpired():
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    return True


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = create_main_window()
    window.show()
    choice = window.run_panel.start_method
    facts: dict[str, object] = {
        "start_methods": [choice.itemData(i) for i in range(choice.count())]
    }
    console = window.console
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "sleepy_pool.py"
        script.write_text(EXAMPLE)
        finished: list[int] = []
        console.example_finished.connect(lambda _id, code: finished.append(code))
        console.run_example(Example("sleepy", "Sleepy pool", script))
        me = psutil.Process()
        facts["pool_started"] = wait_for(app, lambda: "pool started" in console.output_text())
        # The example, its two workers and the resource tracker.
        tree = [p for p in me.children(recursive=True) if p.is_running()]
        facts["processes_seen"] = len(tree)
        console.stop()
        facts["stopped"] = wait_for(app, lambda: bool(finished))
        wait_for(app, lambda: not any(p.is_running() and p.status() != "zombie" for p in tree))
        facts["left"] = [p.pid for p in tree if p.is_running() and p.status() != "zombie"]
    window.close()
    QTimer.singleShot(0, app.quit)
    app.exec()
    print(json.dumps(facts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
