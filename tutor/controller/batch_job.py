"""A batch of runs, in the worker thread: each run in a helper process, its events to the GUI.

`BatchJob` is the job `RunController.start` hands its worker thread (controller.worker_thread):
it runs the batch's configs one after another (rounds of repeats: engine.repeats), each in its
own helper process (engine.helper_process), and emits the engine's events, chunk timings
coalesced to at most ~30 updates a second. This module, and the engine modules only a run
needs, load right after the window's first frame (`RunController.prepare_runs`) or with an
earlier first run, not while the window is built.
"""

from __future__ import annotations

import traceback
from typing import TYPE_CHECKING

from tutor.analysis.breakdown import remember_breakdown
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
from tutor.engine.failures import RunFailureKind
from tutor.engine.helper_process import HelperRun
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.repeats import RepeatPolicy, run_rounds
from tutor.engine.time_limits import over_time_limit, time_limit_failure
from tutor.engine.worker import clock
from tutor.engine.workloads import CUSTOM

if TYPE_CHECKING:
    from tutor.controller.baselines import BaselineCache
    from tutor.controller.worker_thread import Emit
    from tutor.engine.records import ChunkTiming
    from tutor.engine.timing_columns import TimingColumns

UPDATE_INTERVAL_S = 1 / 30  # at most ~30 UI updates a second


class BatchJob:
    """Runs a list of configs one after another, each in its own helper process (a job of a
    WorkerThread: it emits the engine's RunStarted, ChunksFinished, RunFinished,
    RunFailedEvent, RunCancelledEvent and OutputArrived events, and Progress)."""

    def __init__(
        self, configs: list[RunConfig], baselines: BaselineCache, policy: RepeatPolicy
    ) -> None:
        self._configs = configs
        self._baselines = baselines
        self._policy = policy
        self._current = configs[0]  # the config running now (named if starting one fails)
        self._emit: Emit = lambda _event: None
        self._cancel = CancelToken()
        # The chunk columns each helper sent, by its chunks: the result run_rounds hands back
        # is a copy (combined, judged) that still holds the same tuple of chunks.
        self._columns: dict[int, tuple[tuple[ChunkTiming, ...], TimingColumns]] = {}

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
        # The time breakdown reads every chunk's times: here, not in the GUI, and from the
        # columns the helper sent (a Python walk of 100,000 chunks here held the GIL the GUI
        # thread needs, ~0.1 s).
        chunks, columns = self._columns.pop(id(result.chunks), (None, None))
        remember_breakdown(result, columns if chunks is result.chunks else None)
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
                        if event.columns is not None:
                            chunks = event.result.chunks
                            self._columns[id(chunks)] = (chunks, event.columns)
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
