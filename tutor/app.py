"""Builds the application: settings, content, controller and the fully wired main window."""

from __future__ import annotations

import sys
from pathlib import Path

from tutor.startup_gc import collection_paused

# The window's modules load with the collector paused (tutor/startup_gc.py says why).
with collection_paused():
    import tutor.qt_free_imports  # noqa: F401 - first, before PySide6: see there why
    from tutor.pyside_source_checks import fast_source_check, note_known_modules

    # isort: split
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QWidget

    note_known_modules()  # PySide6's hook need not read the window's modules: see there why
    fast_source_check()  # and reads the others' files as bytes

    # isort: split
    from tutor.content.lesson import load_lesson
    from tutor.controller.run_controller import RunController
    from tutor.engine.start_methods import available_start_methods
    from tutor.engine.values import format_number
    from tutor.resources import resource_path
    from tutor.ui.persistence.instance_lock import SECOND_WINDOW_NOTE, InstanceLock
    from tutor.ui.persistence.settings_store import open_settings, settings_path
    from tutor.ui.shell.first_frame import after_first_frame
    from tutor.ui.shell.main_window import MainWindow
    from tutor.ui.shell.theme import apply_saved_theme

SMOKE_TIMEOUT_MS = 120_000


def app_icon() -> QIcon:
    icon = QIcon()
    icons = resource_path("icons")
    for path in sorted(icons.glob("mp-tutor*.png")) + sorted(icons.glob("mp-tutor.svg")):
        icon.addFile(str(path))
    return icon


def create_main_window() -> MainWindow:
    """The fully wired main window (a QApplication must exist)."""
    with collection_paused():  # its widgets live as long as it does (tutor/startup_gc.py)
        return _build_main_window()


def _build_main_window() -> MainWindow:
    settings, warning = open_settings()
    apply_saved_theme(settings)  # before any widget exists: nothing to restyle afterwards
    controller = RunController()
    window = MainWindow(
        controller,
        settings,
        lesson=load_lesson(),
        start_methods=available_start_methods(),
        settings_warning=warning,
    )
    controller.setParent(window)
    window.instance_lock = InstanceLock(settings_path().parent)  # held while the window lives
    if not window.instance_lock.acquire():
        window.statusBar().showMessage(SECOND_WINDOW_NOTE, 30_000)
    window.destroyed.connect(window.instance_lock.release)
    # Setting the icon decodes all its sizes and sends them to the window system (on X11
    # ~15 ms of CPU, ~25 ms to the first frame: tests/perf/ui_responsiveness.py). No frame
    # shows it, so it is set right after the first one.
    after_first_frame(window, lambda: set_window_icon(window))
    return window


def set_window_icon(window: QWidget) -> None:
    """Give `window` the app's icon (every size shipped), unless none is shipped."""
    icon = app_icon()
    if not icon.isNull():
        window.setWindowIcon(icon)


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("mp-tutor")
    app.setApplicationDisplayName("Multiprocessing Tutor")
    app.setOrganizationName("mp-tutor")
    app.setDesktopFileName("mp-tutor")
    return app


def run_app(smoke_test: bool = False, screenshot: str | None = None, no_run: bool = False) -> int:
    app = _application()
    window = create_main_window()
    if smoke_test:
        window.resize(1280, 800)  # the same picture whatever size was saved last time
    window.show()
    if not smoke_test:
        # First start on this machine: calibrate the default sizes in a child process.
        window.size_defaults.probe_when_idle()
        code = app.exec()
        window.size_defaults.shutdown()
        return code
    return _smoke_test(app, window, screenshot, no_run)


def _smoke_test(app: QApplication, window: MainWindow, screenshot: str | None, no_run: bool) -> int:
    """Open the window, optionally run 2 processes on 100,000 primes, save a PNG, exit.

    The picture is taken and the window closed once the batch is over (`batch_finished`:
    every view shows the run, nothing is busy). Closed while the batch still showed its
    results (a fixed delay after the run, on a busy machine), the window refused, as it
    does for a learner mid-run, and asked whether to quit: the smoke test never ended.
    """
    outcome = {"code": 1, "message": "smoke test timed out"}

    def finish(code: int, message: str) -> None:
        if not outcome.get("done"):
            outcome.update(code=code, message=message, done=True)

    def save_and_quit() -> None:
        if screenshot:
            path = Path(screenshot)
            path.parent.mkdir(parents=True, exist_ok=True)
            if not window.grab().save(str(path)):
                outcome.update(code=1, message=f"could not save the screenshot to {path}")
        window.close()
        app.quit()

    def on_finished(result) -> None:
        if result.config.mode == "sequential":
            return
        ok = result.matches_baseline is True
        finish(
            0 if ok else 1,
            f"{result.config.label()}: result {format_number(result.answer)} "
            f"{'matches' if ok else 'does not match'} the sequential answer, "
            f"{result.wall_s:.2f} s",
        )

    def on_timeout() -> None:
        finish(1, "smoke test timed out")
        if controller.busy:
            controller.cancel()  # batch_finished follows, and with it the picture and the end
        else:
            save_and_quit()

    def start() -> None:
        panel = window.run_panel
        panel.apply_request("primes", 100_000, 2, "processes")
        panel.run_processes_button.click()

    def opened() -> None:
        finish(0, "window opened")
        save_and_quit()

    controller = window.controller
    if no_run:
        QTimer.singleShot(500, opened)
    else:
        controller.run_finished.connect(on_finished)
        controller.run_failed.connect(lambda _c, f: finish(1, f"run failed: {f.message}"))
        # A moment for the last repaint of the results before the picture.
        controller.batch_finished.connect(lambda: QTimer.singleShot(100, save_and_quit))
        QTimer.singleShot(200, start)
    QTimer.singleShot(SMOKE_TIMEOUT_MS, on_timeout)
    app.exec()
    stream = sys.stdout if outcome["code"] == 0 else sys.stderr
    print(f"mp-tutor smoke test: {outcome['message']}", file=stream)
    return int(outcome["code"])
