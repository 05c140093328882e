"""Owns runs: executes them off the GUI thread and reports them as signals of plain records.

Each run happens in a helper process (engine.helper_process), read by a worker thread
(controller.worker_thread). Chunk timings are coalesced so the GUI gets at most ~30 updates a
second however fast chunks finish.
"""

from __future__ import annotations

import threading
import traceback
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from tutor.analysis.breakdown import remember_breakdown
from tutor.controller.heap_freeze import QuietFullCollections, freeze_survivors, thaw
from tutor.controller.worker_thread import Emit, WorkerOwner
from tutor.engine.cancel import LIMITS, CancelToken
from tutor.engine.events import (
    ChunksFinished,
    HelperReady,
    OutputArrived,
    RunCancelledEvent,
    RunFailedEvent,
    RunFinished,
    RunRejected,
    RunStarted,
)
from tutor.engine.failures import ImportProblem, ImportProblemKind, RunFailureKind
from tutor.engine.helper_process import HelperRun
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.repeats import SINGLE, RepeatPolicy, run_rounds
from tutor.engine.worker import clock
from tutor.engine.workloads import CUSTOM

UPDATE_INTERVAL_S = 1 / 30  # at most ~30 UI updates a second


@dataclass(frozen=True)
class BaselineKey:
    workload: str
    size: int
    function: str | None

    @classmethod
    def of(cls, config: RunConfig) -> BaselineKey:
        return cls(config.workload, config.size, config.function)


def sequential_config(config: RunConfig) -> RunConfig:
    return replace(config, mode="sequential", workers=1)


def over_time_limit(
    config: RunConfig, now: float, started_at: float, ready_at: float | None
) -> bool:
    """Whether a run has used up `config.time_limit_s` (None: no limit) at `now`.

    Times are seconds on one clock (`engine.worker.clock`). The limit counts from the helper's
    HelperReady (`ready_at`); before that arrives, from the helper's start (`started_at`) with
    `LIMITS.helper_start` more, so a helper stuck starting up still ends.
    """
    limit = config.time_limit_s
    if limit is None:
        return False
    if ready_at is None:
        return now - started_at > limit + LIMITS.helper_start.seconds
    return now - ready_at > limit


def time_limit_failure(config: RunConfig, importing: bool = False) -> WorkerFailure:
    """The failure reported for a run stopped by its `time_limit_s`.

    `importing`: the run never started, because importing the function's module (the code
    at its top level) was still going on: that, not work(), is what to look at.
    """
    if importing:
        module = (config.function or "the module").partition(":")[0]
        return WorkerFailure(
            kind=RunFailureKind.TIMEOUT,
            message=f"time limit exceeded while importing {config.function or 'the module'}: "
            f"the code at the top level of the module (outside any function) was still "
            f"running after {config.time_limit_s:g} s, so it was stopped",
            import_problem=ImportProblem(module, ImportProblemKind.STILL_IMPORTING),
        )
    return WorkerFailure(
        kind=RunFailureKind.TIMEOUT,
        message=f"time limit exceeded: {config.label()} was still running after "
        f"{config.time_limit_s:g} s, so it was stopped and its processes ended",
    )


class _BatchJob:
    """Runs a list of configs one after another, each in its own helper process (a job of a
    WorkerThread: it emits the engine's RunStarted, ChunksFinished, RunFinished,
    RunFailedEvent, RunCancelledEvent and OutputArrived events, and Progress)."""

    def __init__(
        self, configs: list[RunConfig], baselines: _BaselineCache, policy: RepeatPolicy
    ) -> None:
        self._configs = configs
        self._baselines = baselines
        self._policy = policy
        self._current = configs[0]  # the config running now (named if starting one fails)
        self._emit: Emit = lambda _event: None
        self._cancel = CancelToken()

    def __call__(self, emit: Emit, cancelled: CancelToken) -> None:  # in the worker thread
        self._emit, self._cancel = emit, cancelled
        # Rounds of repeats, the batch's own sequential baseline in each (engine.repeats).
        try:
            run_rounds(self._configs, self._policy, self._run_one, self._on_result)
        except Exception as exc:  # e.g. the helper process could not start
            self._failed(
                self._current,
                WorkerFailure(
                    kind=RunFailureKind.RAISED,
                    message=f"the run could not start: {type(exc).__name__}: {exc}",
                    exc_type=type(exc).__name__,
                    traceback=traceback.format_exc(),
                ),
            )

    def _failed(self, config: RunConfig, failure: WorkerFailure) -> None:
        self._emit(RunFailedEvent(config, failure))

    def _cancelled(self, config: RunConfig) -> None:
        self._emit(RunCancelledEvent(config))

    def _on_result(self, result: RunResult) -> None:
        if result.config.mode == "sequential":
            self._baselines.put(result)
        # The time breakdown walks every chunk (~0.1 s for 100,000): here, not in the GUI.
        remember_breakdown(result)
        self._emit(RunFinished(result))

    def _run_one(self, config: RunConfig) -> RunResult | None:
        """One run in a helper process; None when the batch must stop (cancelled or failed)."""
        if self._cancel.cancelled:
            self._cancelled(config)
            return None
        self._current = config
        # A learner's print()s come back as events, shown in the Your function panel.
        remote = HelperRun(config, capture_output=config.workload == CUSTOM)
        remote.start()
        started_at = clock()
        cancel_sent_at: float | None = None
        pending: list = []
        done_chunks = done_items = 0
        totals = (0, 0)
        imported = False  # RunStarted comes once the function's module has been imported
        ready_at: float | None = None  # HelperReady: the time limit counts from then
        last_emit = 0.0
        try:
            while True:
                if cancel_sent_at is None and over_time_limit(
                    config, clock(), started_at, ready_at
                ):
                    # Threads (and a sequential run) cannot be interrupted: end the helper.
                    remote.stop(timeout=LIMITS.cancel_grace.seconds)
                    self._flush(pending, done_chunks, done_items, totals, started_at)
                    importing = not imported and config.workload == CUSTOM
                    self._failed(config, time_limit_failure(config, importing))
                    return None
                if self._cancel.cancelled and cancel_sent_at is None:
                    remote.cancel()
                    cancel_sent_at = clock()
                if (
                    cancel_sent_at is not None
                    and clock() - cancel_sent_at > LIMITS.cancel_grace.seconds
                ):
                    remote.stop(timeout=LIMITS.cancel_grace.seconds)
                    self._flush(pending, done_chunks, done_items, totals, started_at)
                    self._cancelled(config)
                    return None
                for event in remote.poll(LIMITS.controller_poll.seconds):
                    if isinstance(event, OutputArrived):
                        self._emit(event)
                    elif isinstance(event, HelperReady):
                        ready_at = clock()
                    elif isinstance(event, RunStarted):
                        totals = (event.chunks_total, event.items_total)
                        imported = True
                        self._emit(event)
                    elif isinstance(event, ChunksFinished):
                        pending.extend(event.chunks)
                        done_chunks += len(event.chunks)
                        done_items += sum(c.items for c in event.chunks)
                    elif isinstance(event, RunFinished):
                        self._flush(pending, done_chunks, done_items, totals, started_at)
                        return event.result
                    elif isinstance(event, (RunCancelledEvent, RunFailedEvent)):
                        self._flush(pending, done_chunks, done_items, totals, started_at)
                        self._emit(event)
                        return None
                    elif isinstance(event, RunRejected):
                        failure = WorkerFailure(
                            RunFailureKind.INVALID,
                            event.message,
                            import_problem=event.import_problem,
                        )
                        self._failed(config, failure)
                        return None
                now = clock()
                if now - last_emit >= UPDATE_INTERVAL_S:
                    self._flush(pending, done_chunks, done_items, totals, started_at)
                    last_emit = now
        finally:
            remote.stop(timeout=LIMITS.cancel_grace.seconds)

    def _flush(
        self,
        pending: list,
        done_chunks: int,
        done_items: int,
        totals: tuple[int, int],
        started_at: float,
    ) -> None:
        if pending:
            self._emit(ChunksFinished(tuple(pending)))
            pending.clear()
        if totals[0]:
            self._emit(
                Progress(done_chunks, totals[0], done_items, totals[1], clock() - started_at)
            )


class _BaselineCache:
    """Sequential results per workload and size; shared by the GUI and the batch thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: dict[BaselineKey, RunResult] = {}

    def get(self, config: RunConfig) -> RunResult | None:
        with self._lock:
            return self._results.get(BaselineKey.of(config))

    def put(self, result: RunResult) -> None:
        with self._lock:
            self._results[BaselineKey.of(result.config)] = result


class RunController(WorkerOwner):
    """Starts, cancels and reports runs; one batch at a time."""

    run_started = Signal(object)  # RunStarted: config and totals
    chunks_finished = Signal(object)  # tuple[ChunkTiming, ...], batched
    progress_changed = Signal(object)  # Progress
    run_finished = Signal(object)  # RunResult (speedup against the cached baseline)
    run_failed = Signal(object, object)  # RunConfig, WorkerFailure
    run_cancelled = Signal(object)  # RunConfig
    output_arrived = Signal(object, str)  # RunConfig, what the learner's code printed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._baselines = _BaselineCache()
        self._planned: tuple[RunConfig, ...] = ()  # the running batch's runs, in order
        self._baseline_steps: frozenset[RunConfig] = frozenset()
        self.run_finished.connect(freeze_survivors)  # short GC passes in later runs
        self._quiet_collections = QuietFullCollections()  # and rare ones during a batch
        self.busy_changed.connect(self._quiet_collections.set_busy)

    def baseline_for(self, config: RunConfig) -> RunResult | None:
        return self._baselines.get(config)

    def step_of(self, config: RunConfig) -> tuple[int, int, bool] | None:
        """(1-based step, steps, added as a baseline) of `config` in the latest batch, or
        None when it is not in it. Repeats of a run are the same step."""
        if config not in self._planned:
            return None
        return (self._planned.index(config) + 1, len(self._planned), config in self._baseline_steps)

    def start(
        self,
        configs: list[RunConfig],
        measure_baseline: bool = True,
        repeats: RepeatPolicy = SINGLE,
    ) -> bool:
        """Queue a batch, each config run as `repeats` says.

        With `measure_baseline`, the batch measures its own sequential baseline first and in
        every round of repeats beside the others (never one cached from an earlier batch: the
        machine may have been busier or quieter then). Returns False (and does nothing) while
        another batch is running.
        """
        if self.busy or not configs:
            return False
        baselines = [
            sequential_config(c) for c in configs if measure_baseline and c.mode != "sequential"
        ]
        batch: list[RunConfig] = []
        for config in [*baselines, *configs]:
            if config not in batch:
                batch.append(config)
        # sequential first: each result's speedup needs its baseline finished before it
        batch.sort(key=lambda c: c.mode != "sequential")
        self._planned = tuple(batch)
        self._baseline_steps = frozenset(baselines) - frozenset(configs)
        self._launch(
            _BatchJob(batch, self._baselines, repeats),
            {
                RunStarted: self.run_started.emit,
                ChunksFinished: lambda event: self.chunks_finished.emit(event.chunks),
                Progress: self.progress_changed.emit,
                RunFinished: lambda event: self.run_finished.emit(event.result),
                RunFailedEvent: lambda event: self.run_failed.emit(event.config, event.failure),
                RunCancelledEvent: lambda event: self.run_cancelled.emit(event.config),
                OutputArrived: lambda event: self.output_arrived.emit(event.config, event.text),
            },
        )
        return True

    def shutdown(self, timeout_s: float = 4.0) -> None:
        """Cancel and wait for the batch thread, so nothing outlives the window."""
        self._stop_thread(timeout_s)
        self._quiet_collections.set_busy(False)
        thaw()
