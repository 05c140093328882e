"""Watching a process pool's workers: which one died, and stopping them all.

Shared by the runners of every process-pool mode (Pool, ProcessPoolExecutor, loky): none of
those pools names the worker that died, and Pool does not even notice that its task is lost.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.process
import signal
from collections.abc import Callable

from tutor.engine.cancel import LIMITS
from tutor.engine.failures import RunFailureKind
from tutor.engine.records import WorkerFailure
from tutor.engine.worker import clock

POLL_S = LIMITS.poll.seconds
STOP_TIMEOUT_S = LIMITS.stop_join.seconds


def died_failure(process: multiprocessing.process.BaseProcess | None) -> WorkerFailure:
    """The failure record of a worker that ended before finishing its chunk (`process` None:
    the pool said a worker died without saying which)."""
    if process is None:
        return WorkerFailure(kind=RunFailureKind.DIED, message="a worker process died unexpectedly")
    code = process.exitcode
    how = f"was killed by signal {-code}" if code is not None and code < 0 else "exited"
    return WorkerFailure(
        kind=RunFailureKind.DIED,
        message=f"worker process {process.pid} {how} (exit code {code}) before finishing its chunk",
        worker=process.pid,
        exitcode=code,
    )


class ProcessWatch:
    """Remembers every worker process a pool has started and spots one that died.

    `list_processes` returns the pool's current workers (each pool keeps them privately);
    the watch keeps every one it has seen, as pools forget a worker once it has ended.
    """

    def __init__(self, list_processes: Callable[[], list]) -> None:
        self._list = list_processes
        self.seen: dict[int, multiprocessing.process.BaseProcess] = {}
        # At once: Pool replaces (and forgets) a worker that dies before the first look.
        self.refresh()

    def refresh(self) -> None:
        """Note the workers the pool has now."""
        for process in list(self._list()):
            if process.pid is not None:
                self.seen.setdefault(process.pid, process)

    def dead(self) -> multiprocessing.process.BaseProcess | None:
        """A worker seen that has ended (the culprit first), or None."""
        self.refresh()
        dead = [p for p in self.seen.values() if p.exitcode is not None]
        # A broken ProcessPoolExecutor terminates (SIGTERM) the surviving workers itself:
        # the worker that really died is the one with another exit code.
        for process in dead:
            if process.exitcode != -signal.SIGTERM:
                return process
        return dead[0] if dead else None

    def wait_for_dead(self, timeout: float) -> multiprocessing.process.BaseProcess | None:
        """After a broken pool: the worker that died, once every worker has exited.

        The executor terminates the survivors itself; waiting for all of them (briefly) lets
        `dead()` tell them from the culprit, whose exit code another thread may still be
        collecting at the moment the pool reports it broken.
        """
        deadline = clock() + timeout
        while clock() < deadline:
            self.refresh()
            running = [p for p in self.seen.values() if p.exitcode is None]
            if not running:
                break
            multiprocessing.connection.wait([p.sentinel for p in running], timeout=POLL_S)
        return self.dead()

    def stop_all(self) -> None:
        """End every worker seen: terminate, then kill one that has not left within the
        stop limit (seconds, LIMITS.stop_join)."""
        self.refresh()
        for process in self.seen.values():
            if process.exitcode is None:
                process.terminate()
        for process in self.seen.values():
            process.join(STOP_TIMEOUT_S)
            if process.exitcode is None:
                process.kill()
                process.join(STOP_TIMEOUT_S)
