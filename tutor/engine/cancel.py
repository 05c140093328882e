"""Cancelling a run: one token, one table of time limits, one ladder from polite to certain.

The ladder. Each step is taken only when the one before has not ended the run:

1. **Cooperative.** Whoever wants the run stopped calls `CancelToken.cancel()`. Every loop
   that waits on a run (the runners' result loops, the asyncio loop's caller, the cluster's
   future queue, the exercise checker, the *Other Pythons* bench) looks at the token at least
   every `LIMITS.poll` seconds, stops handing out work and ends its pool or loop. A run in a
   helper process is asked over its pipe with a `CancelRequest` (tutor.engine.events); the
   helper sets its own token and answers `RunCancelledEvent` once its workers are gone.
2. **Grace.** The asker then waits `LIMITS.cancel_grace` for that answer (a bench under
   another Python gets `LIMITS.bench_grace` after its Ctrl+C).
3. **Kill the helper.** Past the grace period the helper is killed with its whole process tree
   (tutor.engine.process_tree.kill_tree: its process group on POSIX, the psutil-walked tree
   elsewhere). Threads and a sequential loop cannot be interrupted any other way, which is
   why every run of the window happens in a helper. Pool workers and the learner's own
   children go with it. (Inside a run, a local Dask cluster's nannies likewise kill a worker
   still busy on a chunk `LIMITS.dask_worker_close` after the run ends.)
4. **Workers notice the parent.** A worker whose parent is gone leaves by itself: it watches
   the parent's sentinel (tutor.engine.worker.prepare_worker), and on Linux, while it computes
   a learner's function, the kernel sends it SIGKILL when the parent dies (prctl
   PR_SET_PDEATHSIG), since a worker inside one long C call holds the GIL and its watcher thread
   cannot run (built-in workloads never do: tutor.engine.worker.needs_kernel_guard). A bench
   under another Python polls its parent's pid every `LIMITS.parent_poll`
   (tutor.cli_io.follow_parent), cancels, and leaves `LIMITS.parent_grace` later.

A run with a time limit (`RunConfig.time_limit_s`) is stopped the same way when the limit
passes, and its failure says which limit it was.

Every number these steps use is in `LIMITS`, one `Limit` each: its seconds beside the
reason for its value. Qt-free and standard library only (the engine also runs under `python -S`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields


class RunCancelled(Exception):
    """A run (or a bench, or a check) was cancelled on request; not an error."""


class CancelToken:
    """A thread-safe flag a caller sets to stop a run; shared by every cancellable job.

    `cancel()` may be called from any thread, any number of times. Waiting loops read
    `cancelled`, or block on `wait(timeout_s)` instead of sleeping.
    """

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask the job to stop (idempotent)."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once `cancel()` was called."""
        return self._event.is_set()

    @property
    def event(self) -> threading.Event:
        """The underlying event, for code that hands a plain `threading.Event` to workers."""
        return self._event

    def wait(self, timeout_s: float) -> bool:
        """Block up to `timeout_s` seconds or until cancelled; True when cancelled."""
        return self._event.wait(timeout_s)

    def raise_if_cancelled(self) -> None:
        """Raise RunCancelled when the token is set."""
        if self._event.is_set():
            raise RunCancelled()


@dataclass(frozen=True)
class Limit:
    """One time limit of the ladder: its value in seconds and why it has that value."""

    seconds: float
    reason: str


@dataclass(frozen=True)
class CancelLimits:
    """Every poll, grace and join limit of the ladder, each with its reason."""

    poll: Limit = Limit(
        0.05,
        "how often a waiting run looks at its token and its workers: 20 looks a second make "
        "a cancel feel immediate (well under the ~100 ms a person notices) and cost nothing",
    )
    controller_poll: Limit = Limit(
        0.02,
        "how long the window's run thread waits for a helper's events at a time: short, so "
        "chunk events reach the chart at its ~30 updates a second",
    )
    bench_poll: Limit = Limit(
        0.1,
        "how often the Other Pythons bench checks its token while the other interpreter "
        "runs: those runs take seconds, so 10 looks a second are plenty",
    )
    cancel_grace: Limit = Limit(
        1.0,
        "how long a cancelled helper gets to end its own run cleanly before its process tree "
        "is killed: a pool terminates in well under a second, and a person waits about that "
        "long before a button feels stuck",
    )
    bench_grace: Limit = Limit(
        3.0,
        "how long a bench under another Python gets after its Ctrl+C (it cancels its own run "
        "and stops its workers itself) before it is killed: that interpreter may start slower "
        "and have a larger pool to end",
    )
    stop_join: Limit = Limit(
        5.0,
        "how long to wait for a terminated pool's worker, a pool-closing thread or the asyncio "
        "loop's thread to end: they end within milliseconds, so reaching this means something "
        "is stuck, and the run goes on to the next rung instead of hanging",
    )
    helper_end: Limit = Limit(
        5.0,
        "how long to wait for a helper that sent its last event to exit: it only flushes its "
        "streams and leaves",
    )
    helper_exit_code: Limit = Limit(
        1.0,
        "how long to wait for a helper whose pipe went quiet to show its exit code, so that "
        "its death is reported with it",
    )
    death_grace: Limit = Limit(
        2.0,
        "how long a broken pool gets to show the exit code of the worker that died (the pool "
        "learns of the death before the exit code can be read)",
    )
    reader_join: Limit = Limit(
        5.0,
        "how long the exercise checker waits for the threads reading a stopped program's "
        "output: the program is killed by then, so its pipes close at once",
    )
    dask_worker_close: Limit = Limit(
        0.5,
        "how long a local Dask worker busy on a chunk gets when the run ends: its nanny kills "
        "it after 0.8 times this, where Dask's own default (4 s) is far too long for a cancel",
    )
    parent_poll: Limit = Limit(
        0.25,
        "how often a bench under another Python checks that the window which started it is "
        "still there: a kill -9 of the window is noticed within a quarter of a second",
    )
    parent_grace: Limit = Limit(
        3.0,
        "how long such a bench, having cancelled its run because its parent is gone, waits "
        "for its workers to stop before it leaves by os._exit",
    )

    helper_start: Limit = Limit(
        60.0,
        "how long a helper may take to start (its Python and the engine imported) before a "
        "run's time limit counts anyway: the limit is the learner's, for their code, and a "
        "busy laptop can take seconds to start a Python; this only ends a helper stuck before "
        "it could run anything",
    )

    def all(self) -> dict[str, Limit]:
        """Every limit by its field name, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


LIMITS = CancelLimits()
