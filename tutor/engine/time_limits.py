"""A run's time limit (`RunConfig.time_limit_s`): when it is used up, and what is reported.

Shared by the window's run controller (controller.batch_job) and the command line's helper
runs (engine.hosted), so a learner's function that never returns, or whose module never
finishes importing, is stopped the same way in both. Qt-free.
"""

from __future__ import annotations

from tutor.engine.cancel import LIMITS
from tutor.engine.failures import ImportProblem, ImportProblemKind, RunFailureKind
from tutor.engine.records import RunConfig, WorkerFailure


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
