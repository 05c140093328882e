"""Run one config in a helper process and wait for it, as `runners.run` would in this one.

The CLI uses this for a learner's own function (`--function module:function`): code we did
not write may segfault, call os._exit, abort, loop forever holding the GIL, or start
processes at import. In a helper (engine.helper_process) every one of those becomes a reported
failure; a cancel (Ctrl+C, SIGTERM) ends the helper and everything it started within about
a second, however busy the code is.

Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable

from tutor.engine.cancel import LIMITS, CancelToken, RunCancelled
from tutor.engine.events import (
    ChunksFinished,
    HelperReady,
    RunCancelledEvent,
    RunFailedEvent,
    RunFinished,
    RunRejected,
    RunStarted,
)
from tutor.engine.failures import ImportFailed, RunFailureKind
from tutor.engine.helper_process import HelperRun
from tutor.engine.records import ChunkTiming, RunConfig, RunFailed, RunResult, WorkerFailure
from tutor.engine.time_limits import over_time_limit, time_limit_failure
from tutor.engine.worker import clock
from tutor.engine.workloads import CUSTOM


def run_in_helper(
    config: RunConfig,
    *,
    on_chunk: Callable[[ChunkTiming], None] | None = None,
    cancel: CancelToken | None = None,
    baseline: RunResult | None = None,
    output_to_stderr: bool = True,
) -> RunResult:
    """Like `runners.run`, with the run in a helper process (its output on stderr).

    Raises RunCancelled once `cancel` is set (the helper and its process tree are gone by
    then), RunFailed when a worker raised or died, the helper itself died (segfault,
    os._exit, abort: the failure says how) or the run outlived `config.time_limit_s` (the
    helper and its processes are ended; importing the module counts), ValueError when the
    config was refused (ImportFailed, a ValueError, when the learner's module could not be
    imported).
    """
    cancel = cancel or CancelToken()
    remote = HelperRun(config, baseline, output_to_stderr=output_to_stderr)
    remote.start()
    started_at = clock()
    ready_at: float | None = None  # HelperReady: the time limit counts from then
    imported = False  # RunStarted comes once the function's module has been imported
    try:
        while True:
            if cancel.cancelled:
                remote.stop(timeout=LIMITS.cancel_grace.seconds)
                raise RunCancelled()
            if over_time_limit(config, clock(), started_at, ready_at):
                remote.stop(timeout=LIMITS.cancel_grace.seconds)
                importing = not imported and config.workload == CUSTOM
                raise RunFailed(time_limit_failure(config, importing))
            for event in remote.poll(LIMITS.poll.seconds):
                if isinstance(event, HelperReady):
                    ready_at = clock()
                elif isinstance(event, RunStarted):
                    imported = True
                elif isinstance(event, ChunksFinished) and on_chunk is not None:
                    for timing in event.chunks:
                        on_chunk(timing)
                elif isinstance(event, RunFinished):
                    return event.result
                elif isinstance(event, RunFailedEvent):
                    raise RunFailed(event.failure)
                elif isinstance(event, RunCancelledEvent):
                    raise RunCancelled()
                elif isinstance(event, RunRejected):
                    if event.import_problem is not None:
                        raise ImportFailed(event.message, event.import_problem)
                    raise ValueError(event.message)
            if remote.ended:  # ended without a word: report it rather than wait forever
                raise RunFailed(WorkerFailure(RunFailureKind.DIED, "the run's helper ended"))
    finally:
        remote.stop(timeout=LIMITS.cancel_grace.seconds)
