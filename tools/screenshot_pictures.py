"""The pictures of tools/screenshots.py: each one's small real experiment, and the grab.

Imported only by tools/screenshots.py after it has set up the environment (a temporary
MP_TUTOR_CONFIG_DIR, the offscreen platform). Kept apart from that script because spawned
worker processes re-import the launching script: this module's Qt imports must not run there.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tutor.app import create_main_window


def config_dir() -> Path:
    """The temporary settings folder tools/screenshots.py made (never the learner's own)."""
    return Path(os.environ["MP_TUTOR_CONFIG_DIR"])


DOCS = Path(__file__).resolve().parent.parent / "docs"
SIZE = (1280, 800)
RUN_TIMEOUT_S = 300.0


def pump(seconds: float) -> None:
    """Let the event loop run for `seconds` (layouts, repaints, queued signals)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_for(signal, start: Callable[[], object], timeout_s: float = RUN_TIMEOUT_S) -> None:
    """Call `start`, then run the event loop until `signal` fires once (RuntimeError on timeout)."""
    fired: list[object] = []
    slot = lambda *args: fired.append(args)  # noqa: E731
    signal.connect(slot)
    try:
        start()
        end = time.monotonic() + timeout_s
        while not fired:
            if time.monotonic() > end:
                raise RuntimeError(f"timed out waiting for {signal}")
            QApplication.processEvents()
            time.sleep(0.01)
    finally:
        signal.disconnect(slot)
    pump(0.8)  # the last results settle into tables and charts


def new_window():
    """A fresh window on fresh settings, shown at the README's size, one measurement per run."""
    for path in config_dir().iterdir():
        if path.is_file():
            path.unlink()
    window = create_main_window()
    window.resize(*SIZE)
    window.show()
    window.run_panel.repeat_count.setValue(1)
    pump(1.5)  # the lazy tabs build after the first frame
    return window


def grab(window, name: str) -> None:
    """Save the window, with its open dialogs and popups painted over it, as docs/NAME.png."""
    picture: QPixmap = window.grab()
    painter = QPainter(picture)
    origin = window.mapToGlobal(QPoint(0, 0))
    for widget in QApplication.topLevelWidgets():
        if widget is window or not widget.isVisible() or not _belongs_to(widget, window):
            continue
        painter.drawPixmap(widget.mapToGlobal(QPoint(0, 0)) - origin, widget.grab())
    painter.end()
    path = DOCS / f"{name}.png"
    if not picture.save(str(path)):
        raise RuntimeError(f"could not save {path}")
    print(f"saved {path} ({picture.width()}×{picture.height()})", flush=True)


def _belongs_to(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is window:
            return True
        parent = parent.parentWidget()
    return False


def arrange(window, focus: str) -> None:
    """Drag the splitters as a learner would, to give the picture's subject the room:
    a narrower lesson, and more height for the charts ("charts") or the bottom tabs ("tabs").
    The default layout is kept otherwise (tab order, panel contents, sizes of everything)."""
    if focus == "charts":
        window.main_splitter.setSizes([400, 880])
        window.right_splitter.setSizes([240, 390, 120])
    else:
        window.main_splitter.setSizes([330, 950])
        window.right_splitter.setSizes([240, 0, 510])
    pump(0.5)


def close(window) -> None:
    window.close()
    window.deleteLater()
    pump(0.5)


def choose(combo, data: str) -> None:
    combo.setCurrentIndex(combo.findData(data))


def set_run(window, workload: str, size: int, workers: int) -> None:
    panel = window.run_panel
    choose(panel.workload_choice, workload)
    panel.workload_size.setValue(size)
    panel.worker_count.setValue(workers)


def show_results(window) -> None:
    window.bottom_tabs.setCurrentIndex(0)


def metric(window, name: str) -> None:
    choose(window.chart_metric, name)


# ------------------------------------------------------------------------------ the pictures


def shot_sweep(window) -> None:
    """The opening picture: a sweep of 1 and 2 workers on primes, results table in front."""
    set_run(window, "primes", 1_000_000, 2)
    wait_for(window.controller.batch_finished, window.run_panel.sweep_button.click)
    show_results(window)


def shot_asyncio(window) -> None:
    """Waiting work swept over 1…4: asyncio and threads scale, processes pay start-up."""
    set_run(window, "sleep", 200, 4)
    wait_for(window.controller.batch_finished, window.run_panel.sweep_button.click)
    show_results(window)


def shot_breakdown(window) -> None:
    """A chunk-size sweep (so its chart is not empty), then one process run with every process
    API this machine has (loky too): their stacked bars in Where the time goes, newest last."""
    set_run(window, "primes", 300_000, 2)
    panel = window.time_breakdown
    window.show_tab(panel)
    panel.sweep_size.setValue(5_000)
    wait_for(window.controller.batch_finished, panel.sweep_button.click)
    apis = window.run_panel.process_api
    for index in range(apis.count()):
        if not apis.model().item(index).isEnabled():
            continue
        apis.setCurrentIndex(index)
        wait_for(window.controller.batch_finished, window.run_panel.run_processes_button.click)
    window.show_tab(panel)
    pump(0.3)
    scroll_to_end(panel)  # the page scrolls at 1280 × 800: show the newest bars and the legend


def scroll_to_end(widget: QWidget) -> None:
    """Scroll the nearest scroll area holding `widget` to its bottom."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        bar = parent.verticalScrollBar()
        bar.setValue(bar.maximum())


def shot_chunk_sizes(window) -> None:
    """Try chunk sizes 1…1024 on a small job: per-task trips dominate at small chunks."""
    set_run(window, "primes", 300_000, 2)
    panel = window.time_breakdown
    window.show_tab(panel)
    panel.sweep_size.setValue(20_000)  # 20,000 tasks at 1 per chunk: the trips dominate
    wait_for(window.controller.batch_finished, panel.sweep_button.click)
    pump(0.3)
    scroll_to_end(panel)  # the page scrolls at 1280 × 800: show the axis and the legend


def shot_amdahl(window) -> None:
    """A sweep of 1…3 workers with repeats, in the speedup view: fit line, warnings."""
    set_run(window, "primes", 800_000, 3)
    window.run_panel.repeat_count.setValue(2)
    wait_for(window.controller.batch_finished, window.run_panel.sweep_button.click)
    metric(window, "speedup")
    show_results(window)
    pump(0.3)
    scroll_to_end(window.amdahl_summary)  # the fit's line sits under the charts


def shot_start_methods(window) -> None:
    set_run(window, "primes", 50_000, 2)
    tab = window.start_method_panel
    window.show_tab(tab)
    wait_for(window.controller.batch_finished, tab.compare_button.click)
    pump(0.3)
    scroll_to_end(tab)  # the page scrolls at 1280 × 800: show the bars down to their axis


def shot_interpreters(window) -> None:
    panel = window.interpreters_panel
    window.show_tab(panel)
    runs = window.interpreter_runs
    end = time.monotonic() + 120
    while (runs.scanning or not panel.interpreters()) and time.monotonic() < end:
        pump(0.2)
    panel.size.setValue(200_000)
    panel.workers.setValue(2)
    wait_for(runs.batch_finished, panel.run_button.click)


def shot_your_function(window) -> None:
    panel = window.code_panel
    window.show_tab(panel)
    window.run_panel.workload_size.setValue(100_000)
    window.run_panel.worker_count.setValue(2)
    wait_for(window.controller.batch_finished, panel.run_processes_button.click)
    window.show_tab(panel)


def shot_predict(window) -> None:
    set_run(window, "primes", 1_000_000, 2)
    window.run_panel.predicted_speedup.setValue(1.8)
    wait_for(window.controller.batch_finished, window.run_panel.run_processes_button.click)
    show_results(window)
    pump(0.3)
    scroll_to_end(window.run_panel)  # the comparison is the run panel's last line


def shot_report(window) -> None:
    set_run(window, "primes", 200_000, 2)
    wait_for(window.controller.batch_finished, window.run_panel.sweep_button.click)
    show_results(window)
    folder = config_dir() / "reports"
    folder.mkdir(exist_ok=True)
    window.menus.export.save_report_to(folder)
    pump(1.0)


def shot_dark(window) -> None:
    action = window.findChild(QAction, "themeDarkAction")
    action.trigger()
    pump(0.5)
    set_run(window, "primes", 300_000, 2)
    wait_for(window.controller.batch_finished, window.run_panel.sweep_button.click)
    show_results(window)


def shot_cluster(window) -> None:
    set_run(window, "primes", 300_000, 2)
    wait_for(window.controller.batch_finished, window.run_panel.run_processes_button.click)
    wait_for(window.controller.batch_finished, window.run_panel.run_cluster_button.click)
    show_results(window)


SHOTS: dict[str, Callable] = {
    "screenshot-sweep": shot_sweep,
    "screenshot-asyncio": shot_asyncio,
    "screenshot-breakdown": shot_breakdown,
    "screenshot-chunk-sizes": shot_chunk_sizes,
    "screenshot-amdahl": shot_amdahl,
    "screenshot-start-methods": shot_start_methods,
    "screenshot-interpreters": shot_interpreters,
    "screenshot-your-function": shot_your_function,
    "screenshot-predict": shot_predict,
    "screenshot-report": shot_report,
    "screenshot-cluster": shot_cluster,
    "screenshot-dark": shot_dark,  # last: the dark palette is the application's
}


# The pictures whose subject is a bottom tab (the others show the charts).
IN_TABS = {
    "screenshot-breakdown",
    "screenshot-chunk-sizes",
    "screenshot-start-methods",
    "screenshot-interpreters",
    "screenshot-your-function",
}


def main(names: list[str]) -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName("Multiprocessing Tutor")  # the window title, as run_app sets it
    unknown = [n for n in names if n not in SHOTS and f"screenshot-{n}" not in SHOTS]
    if unknown:
        print(f"unknown screenshot(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    chosen = [n if n in SHOTS else f"screenshot-{n}" for n in names] or list(SHOTS)
    for name in chosen:
        started = time.monotonic()
        window = new_window()
        try:
            arrange(window, "tabs" if name in IN_TABS else "charts")
            SHOTS[name](window)
            pump(0.5)
            grab(window, name)
        finally:
            close(window)
        print(f"  {name}: {time.monotonic() - started:.1f} s", flush=True)
    return 0
