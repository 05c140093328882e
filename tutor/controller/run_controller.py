"""Owns runs: executes them off the GUI thread and reports them as signals of plain records.

Each run happens in a helper process (engine.helper_process), read by a worker thread
(controller.worker_thread) that runs a batch job (controller.batch_job). Chunk timings are
coalesced so the GUI gets at most ~30 updates a second however fast chunks finish.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from tutor.controller.baselines import BaselineCache
from tutor.controller.heap_freeze import QuietFullCollections, freeze_survivors, thaw
from tutor.controller.worker_thread import WorkerOwner
from tutor.engine.records import Progress, RunConfig, RunResult
from tutor.engine.repeats import SINGLE, RepeatPolicy


def sequential_config(config: RunConfig) -> RunConfig:
    """`config`'s sequential baseline: the same work on one worker, with no pool."""
    return replace(config, mode="sequential", workers=1)


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
        self._baselines = BaselineCache()
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
        # Loaded by now, unless this run came very early (see prepare_runs).
        from tutor.controller.batch_job import BatchJob
        from tutor.engine import events

        self._launch(
            BatchJob(batch, self._baselines, repeats),
            {
                events.RunStarted: self.run_started.emit,
                events.ChunksFinished: lambda event: self.chunks_finished.emit(event.chunks),
                Progress: self.progress_changed.emit,
                events.RunFinished: lambda event: self.run_finished.emit(event.result),
                events.RunFailedEvent: lambda event: self.run_failed.emit(
                    event.config, event.failure
                ),
                events.RunCancelledEvent: lambda event: self.run_cancelled.emit(event.config),
                events.OutputArrived: lambda event: self.output_arrived.emit(
                    event.config, event.text
                ),
            },
        )
        return True

    @staticmethod
    def prepare_runs() -> None:
        """Load the run machinery (controller.batch_job: the helper process, the engine's
        events) ahead of the first run. The window calls this right after its first frame; a
        run started earlier loads it then. Not imported at the top of this module: ~15 ms
        of the window's start-up (tests/perf/ui_responsiveness.py) for what only a run needs."""
        from tutor.controller import batch_job  # noqa: F401

    def shutdown(self, timeout_s: float = 4.0) -> None:
        """Cancel and wait for the batch thread, so nothing outlives the window."""
        self._stop_thread(timeout_s)
        self._quiet_collections.set_busy(False)
        thaw()
