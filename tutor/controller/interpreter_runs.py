"""Finds other interpreters and runs the threads/processes comparison under them, off the GUI.

Both jobs wait on child processes (short probes; `bench --json` under the chosen Python), so
each runs in a QThread and reports plain records as signals. Cancel interrupts the running
bench like Ctrl+C would; the bench stops its own workers, and is killed if it dawdles.
"""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, QThread, Signal

from tutor.controller.run_controller import ThreadOwner
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.interpreter_bench import (
    BenchFailed,
    BenchProcess,
    comparison_steps,
    with_baselines,
)
from tutor.engine.interpreters import InterpreterInfo, current_interpreter, discover_interpreters
from tutor.engine.records import RunConfig, RunResult


class _ScanThread(QThread):
    found = Signal(object)  # tuple[InterpreterInfo, ...]

    def __init__(self) -> None:
        super().__init__()
        self._stop = CancelToken()

    def stop(self) -> None:
        self._stop.cancel()

    def run(self) -> None:  # QThread override: runs in the worker thread
        try:
            infos = discover_interpreters(stop=self._stop)
        except Exception:  # a surprise in discovery must not lose the current interpreter
            traceback.print_exc()
            infos = [current_interpreter()]
        self.found.emit(tuple(infos))


class _ComparisonThread(QThread):
    step_started = Signal(object, object, int, int)  # InterpreterInfo, RunConfig, done, total
    results_arrived = Signal(object, object)  # InterpreterInfo, tuple[RunResult, ...]
    run_failed = Signal(object, str)  # InterpreterInfo, reason
    run_cancelled = Signal(object)  # InterpreterInfo

    def __init__(self, plan: list[tuple[InterpreterInfo, RunConfig, int]]) -> None:
        super().__init__()
        self._plan = plan
        self._cancel = CancelToken()
        self._lock = threading.Lock()
        self._bench: BenchProcess | None = None

    def cancel(self) -> None:
        with self._lock:
            self._cancel.cancel()
            if self._bench is not None:
                self._bench.cancel()

    def run(self) -> None:  # QThread override: runs in the worker thread
        steps = [
            (info, step, modes)
            for info, config, top in self._plan
            for step, modes in comparison_steps(config, top)
        ]
        baselines: dict[str, RunResult] = {}
        for done, (info, config, modes) in enumerate(steps):
            self.step_started.emit(info, config, done, len(steps))
            try:
                bench = BenchProcess(info.path, config, modes)
                with self._lock:
                    self._bench = bench
                    if self._cancel.cancelled:
                        bench.cancel()
                results = bench.run()
            except RunCancelled:
                self.run_cancelled.emit(info)
                return
            except BenchFailed as exc:
                self.run_failed.emit(info, str(exc))
                return
            except Exception as exc:  # a bug worth showing rather than a silent stop
                self.run_failed.emit(info, f"{type(exc).__name__}: {exc}")
                return
            finally:
                with self._lock:
                    self._bench = None
            results = with_baselines(results, baselines.get(info.path))
            for result in results:
                if result.config.mode == "sequential":
                    baselines[info.path] = result
            self.results_arrived.emit(info, tuple(results))


class InterpreterRunController(ThreadOwner):
    """Scans for interpreters and runs comparisons under them; one comparison at a time."""

    interpreters_found = Signal(object)  # tuple[InterpreterInfo, ...]
    scanning_changed = Signal(bool)
    step_started = Signal(object, object, int, int)  # InterpreterInfo, RunConfig, done, total
    results_arrived = Signal(object, object)  # InterpreterInfo, tuple[RunResult, ...]
    run_failed = Signal(object, str)  # InterpreterInfo, reason
    run_cancelled = Signal(object)  # InterpreterInfo

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scan: _ScanThread | None = None

    @property
    def scanning(self) -> bool:
        return self._scan is not None

    def scan(self) -> bool:
        """Look for interpreters in the background; False while a scan is already going."""
        if self._scan is not None:
            return False
        scan = _ScanThread()
        scan.found.connect(self.interpreters_found)
        scan.finished.connect(self._on_scan_finished)
        self._scan = scan
        self.scanning_changed.emit(True)
        scan.start()
        return True

    def start(
        self, interpreters: list[InterpreterInfo], config: RunConfig, max_workers: int
    ) -> bool:
        """Run `config` sequentially and on 1 … max_workers threads and processes.

        Each interpreter in turn; False (and nothing happens) while another comparison runs.
        """
        if self.busy or not interpreters or max_workers < 1:
            return False
        thread = _ComparisonThread([(info, config, max_workers) for info in interpreters])
        self._launch(thread, ("step_started", "results_arrived", "run_failed", "run_cancelled"))
        return True

    def shutdown(self, timeout_s: float = 6.0) -> None:
        """Stop the scan and the comparison and wait for both, so nothing outlives the window."""
        if self._scan is not None:
            self._scan.stop()
            if self._scan.wait(int(timeout_s * 1000)):
                self._on_scan_finished()
        self._stop_thread(timeout_s)

    def _on_scan_finished(self) -> None:
        scan, self._scan = self._scan, None
        if scan is None:
            return
        scan.deleteLater()
        self.scanning_changed.emit(False)
