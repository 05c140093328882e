"""Finds other interpreters and runs the threads/processes comparison under them, off the GUI.

Both jobs wait on child processes (short probes; `bench --json` under the chosen Python), so
each runs in a worker thread (controller.worker_thread) and reports plain records as typed
events. Cancel interrupts the running bench like Ctrl+C would; the bench stops its own
workers, and is killed if it dawdles.
"""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, Signal

from tutor.controller.events import (
    ComparisonCancelled,
    ComparisonFailed,
    InterpretersFound,
    ResultsArrived,
    StepStarted,
)
from tutor.controller.worker_thread import Emit, WorkerOwner
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.interpreter_bench import (
    BenchFailed,
    BenchProcess,
    comparison_steps,
    with_baselines,
)
from tutor.engine.interpreters import InterpreterInfo, current_interpreter, discover_interpreters
from tutor.engine.records import RunConfig, RunResult


def _scan(emit: Emit, stop: CancelToken) -> None:  # a job: runs in the worker thread
    try:
        infos = discover_interpreters(stop=stop)
    except Exception:  # a surprise in discovery must not lose the current interpreter
        traceback.print_exc()
        infos = [current_interpreter()]
    emit(InterpretersFound(tuple(infos)))


class _ComparisonJob:
    """Runs each step of the plan under its interpreter's `bench`, emitting StepStarted,
    ResultsArrived, and at the end ComparisonFailed or ComparisonCancelled if it stops."""

    def __init__(self, plan: list[tuple[InterpreterInfo, RunConfig, int]]) -> None:
        self._plan = plan
        self._cancel = CancelToken()
        self._lock = threading.Lock()
        self._bench: BenchProcess | None = None

    def cancel(self) -> None:
        """Called from the GUI thread: interrupt the running bench, like Ctrl+C."""
        with self._lock:
            self._cancel.cancel()
            if self._bench is not None:
                self._bench.cancel()

    def __call__(self, emit: Emit, cancelled: CancelToken) -> None:  # in the worker thread
        steps = [
            (info, step, modes)
            for info, config, top in self._plan
            for step, modes in comparison_steps(config, top)
        ]
        baselines: dict[str, RunResult] = {}
        for done, (info, config, modes) in enumerate(steps):
            emit(StepStarted(info, config, done, len(steps)))
            try:
                bench = BenchProcess(info.path, config, modes)
                with self._lock:
                    self._bench = bench
                    if self._cancel.cancelled or cancelled.cancelled:
                        bench.cancel()
                results = bench.run()
            except RunCancelled:
                emit(ComparisonCancelled(info))
                return
            except BenchFailed as exc:
                emit(ComparisonFailed(info, str(exc)))
                return
            except Exception as exc:  # a bug worth showing rather than a silent stop
                emit(ComparisonFailed(info, f"{type(exc).__name__}: {exc}"))
                return
            finally:
                with self._lock:
                    self._bench = None
            results = with_baselines(results, baselines.get(info.path))
            for result in results:
                if result.config.mode == "sequential":
                    baselines[info.path] = result
            emit(ResultsArrived(info, tuple(results)))


class _Scanner(WorkerOwner):
    """Owns the scan's worker thread: a scan may go on beside a comparison, so it has its own
    owner (its `busy_changed` is the controller's `scanning_changed`)."""

    interpreters_found = Signal(object)  # tuple[InterpreterInfo, ...]

    def scan(self) -> bool:
        if self.busy:
            return False
        self._launch(_scan, {InterpretersFound: self._on_interpreters_found})
        return True

    def _on_interpreters_found(self, found: InterpretersFound) -> None:
        self.interpreters_found.emit(found.interpreters)

    def shutdown(self, timeout_s: float) -> None:
        self._stop_thread(timeout_s)


class InterpreterRunController(WorkerOwner):
    """Scans for interpreters and runs comparisons under them; one comparison at a time."""

    interpreters_found = Signal(object)  # tuple[InterpreterInfo, ...]
    scanning_changed = Signal(bool)
    step_started = Signal(object, object, int, int)  # InterpreterInfo, RunConfig, done, total
    results_arrived = Signal(object, object)  # InterpreterInfo, tuple[RunResult, ...]
    run_failed = Signal(object, str)  # InterpreterInfo, reason
    run_cancelled = Signal(object)  # InterpreterInfo

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scanner = _Scanner(self)
        self._scanner.busy_changed.connect(self.scanning_changed)
        self._scanner.interpreters_found.connect(self.interpreters_found)

    @property
    def scanning(self) -> bool:
        return self._scanner.busy

    def scan(self) -> bool:
        """Look for interpreters in the background; False while a scan is already going."""
        return self._scanner.scan()

    def start(
        self, interpreters: list[InterpreterInfo], config: RunConfig, max_workers: int
    ) -> bool:
        """Run `config` sequentially and on 1 … max_workers threads and processes.

        Each interpreter in turn; False (and nothing happens) while another comparison runs.
        """
        if self.busy or not interpreters or max_workers < 1:
            return False
        job = _ComparisonJob([(info, config, max_workers) for info in interpreters])
        handlers = {
            StepStarted: lambda e: self.step_started.emit(e.interpreter, e.config, e.done, e.total),
            ResultsArrived: lambda e: self.results_arrived.emit(e.interpreter, e.results),
            ComparisonFailed: lambda e: self.run_failed.emit(e.interpreter, e.reason),
            ComparisonCancelled: lambda e: self.run_cancelled.emit(e.interpreter),
        }
        self._launch(job, handlers, on_cancel=job.cancel)
        return True

    def shutdown(self, timeout_s: float = 6.0) -> None:
        """Stop the scan and the comparison and wait for both, so nothing outlives the window."""
        self._scanner.shutdown(timeout_s)
        self._stop_thread(timeout_s)
