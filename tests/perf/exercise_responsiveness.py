"""How responsive the real window stays while an exercise check runs.

Run from the repository root (not collected by pytest; not part of `make test`):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/perf/exercise_responsiveness.py

The real main window (`tutor.app.create_main_window()`, shown, with a fresh config folder)
opens the Exercises tab and runs a 5 ms precise QTimer whose slot only records
`time.perf_counter()`; the gap between two timeouts is the longest the window could not react
to input or repaint. For each program below, the script puts it in the exercise editor, clicks
the real Check button and waits in a local QEventLoop for the controller's `check_finished`;
the gaps between the click and that signal are the check's. Target per check: max gap <= 50 ms
(the issue's figure); p99 and mean are shown for information. The checks run their programs
in processes of their own and wait on them from a QThread, so the GUI thread only sees two
signals per check.

No Qt at module level: spawned processes re-import the launching script
(docs/architecture.md, Landmines).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

TICK_MS = 5
MAX_GAP_TARGET_MS = 50.0
CHECK_TIMEOUT_S = 120.0
# (exercise id, which program): a passing check, and two failures of different kinds.
CASES = (
    ("main-guard", "solution"),
    ("main-guard", "start"),
    ("return-dont-share", "start"),
    ("process-queue", "solution"),
)


def _gaps_ms(ticks: list[float], start: float, end: float) -> list[float]:
    inside = [t for t in ticks if start <= t <= end]
    edges = [start, *inside, end]
    return [(b - a) * 1000 for a, b in zip(edges, edges[1:], strict=False)]


def main() -> int:
    os.environ.setdefault("MP_TUTOR_CONFIG_DIR", tempfile.mkdtemp(prefix="mp-tutor-perf-"))
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from tutor.app import create_main_window
    from tutor.content.exercises import get_exercise

    app = QApplication.instance() or QApplication(sys.argv)
    window = create_main_window()
    window.show()
    window.open_exercises()
    window.build_all_tabs()  # the other tabs' idle build is start-up, not a check's cost
    panel = window.exercises_panel
    checks = window._exercise_checks
    assert checks is not None  # made with the panel
    ticks: list[float] = []
    timer = QTimer(interval=TICK_MS, timerType=Qt.TimerType.PreciseTimer)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    rows = []
    for exercise_id, which in CASES:
        exercise = get_exercise(exercise_id)
        panel.select(exercise_id)
        panel.editor.setPlainText(
            exercise.solution_source if which == "solution" else exercise.start_source
        )
        settle = time.perf_counter() + 0.5  # the editor colours the new text on later turns
        while checks.busy or time.perf_counter() < settle:  # and the last check winds down
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        loop = QEventLoop()
        verdicts: list[str] = []

        def finished(_id: str, result, loop=loop, verdicts=verdicts) -> None:
            verdicts.append(result.verdict_line())
            loop.quit()

        checks.check_finished.connect(finished)
        QTimer.singleShot(int(CHECK_TIMEOUT_S * 1000), loop.quit)
        started = time.perf_counter()
        panel.check_button.click()
        loop.exec()
        ended = time.perf_counter()
        checks.check_finished.disconnect(finished)
        gaps = sorted(_gaps_ms(ticks, started, ended))
        p99 = gaps[min(len(gaps) - 1, int(len(gaps) * 0.99))] if gaps else 0.0
        rows.append(
            (
                f"{exercise_id} ({which})",
                ended - started,
                max(gaps, default=0.0),
                p99,
                statistics.mean(gaps) if gaps else 0.0,
                (verdicts or ["(no result)"])[0][:60],
            )
        )
    timer.stop()
    window.close()
    app.processEvents()
    print(f"{'check':32} {'s':>6} {'max ms':>7} {'p99 ms':>7} {'mean':>6}  verdict")
    missed = 0
    for label, seconds, max_ms, p99, mean, verdict in rows:
        ok = max_ms <= MAX_GAP_TARGET_MS
        missed += not ok
        mark = "PASS" if ok else "MISS"
        print(f"{label:32} {seconds:6.2f} {max_ms:7.1f} {p99:7.1f} {mean:6.1f}  {mark} {verdict}")
    print(f"target: max gap <= {MAX_GAP_TARGET_MS:g} ms while a check runs")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
