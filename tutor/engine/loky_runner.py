"""The loky mode: the same chunks on joblib's loky process pool (`pip install -e '.[loky]'`).

joblib's `Parallel(n_jobs=N)` runs on loky by default; loky is a ProcessPoolExecutor rewritten
to survive what the standard one does not (a worker killed mid-task is reported with its exit
code, never a hang) and to reuse its workers between calls. This runner drives the executor
joblib ships (`joblib.externals.loky`) directly, as the executor mode drives the standard one:
chunks arrive as they finish, a cancel is noticed within a poll, and the workers end with the
run. `Parallel` itself would keep them alive for reuse and only hand results back in order.

joblib is imported when this mode runs, never before: the engine must import without it (and
under `python -S`, for Other Pythons); `engine.modes` reports the mode unavailable instead.
"""

from __future__ import annotations

import multiprocessing.connection
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from tutor.engine.completion import CompletionQueue
from tutor.engine.process_watch import POLL_S, ProcessWatch, died_failure
from tutor.engine.records import RunConfig, RunFailed
from tutor.engine.runners import DEATH_GRACE_S
from tutor.engine.worker import ChunkOutcome, ChunkTask, prepare_worker, run_chunk_in_process

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from tutor.engine.cancel import CancelToken


class _FirstExit:
    """Notes the first worker process to exit, the moment it does.

    When a worker dies loky kills the others at once (SIGKILL), so exit codes alone no longer
    tell the worker that died from those loky ended; the order does.
    """

    def __init__(self, processes: list[BaseProcess]) -> None:
        self.process: BaseProcess | None = None
        self._wake, self._waker = multiprocessing.Pipe(duplex=False)
        by_sentinel = {p.sentinel: p for p in processes}

        def watch() -> None:
            ready = multiprocessing.connection.wait([*by_sentinel, self._wake])
            dead = [by_sentinel[s] for s in ready if s in by_sentinel]
            self.process = dead[0] if dead else None

        self._thread = threading.Thread(target=watch, name="loky-first-exit", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the watch (idempotent); `process` keeps what it saw."""
        if self._waker.closed:
            return
        self._waker.send(None)
        self._thread.join()
        self._wake.close()
        self._waker.close()


def run_loky(
    config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken
) -> Iterator[ChunkOutcome]:
    """Run `tasks` on `config.workers` loky worker processes started with `config.start_method`.

    Yields each chunk's outcome in completion order; returns early (workers killed) when
    `cancel` is set; raises RunFailed naming the worker when one dies. Every worker is gone
    when the generator is closed. ImportError when joblib is missing (validate() says so first).
    """
    from joblib.externals.loky import ProcessPoolExecutor
    from joblib.externals.loky.backend.context import get_context
    from joblib.externals.loky.process_executor import BrokenProcessPool

    with warnings.catch_warnings():
        # loky warns that fork is unsafe: the window already explains that risk of fork.
        warnings.simplefilter("ignore", UserWarning)
        context = get_context(config.start_method)
    executor = ProcessPoolExecutor(
        max_workers=config.workers, context=context, initializer=prepare_worker
    )
    # loky keeps its workers in `_processes` ({pid: process}), like the standard executor.
    watch = ProcessWatch(lambda: list((executor._processes or {}).values()))  # noqa: SLF001
    clean = False
    first_exit: _FirstExit | None = None
    try:
        completed = CompletionQueue()  # not loky's wait(): see tutor.engine.completion
        try:
            for task in tasks:
                completed.add(executor.submit(run_chunk_in_process, task))
                if first_exit is None:
                    watch.refresh()  # loky starts every worker on the first submit
                    first_exit = _FirstExit(list(watch.seen.values()))
            while completed.pending:
                if cancel.cancelled:
                    return
                watch.refresh()
                finished = [future.result() for future in completed.next_batch(POLL_S)]
                # Chunks that ended close together: delivered in the order they ended.
                yield from sorted(finished, key=lambda outcome: outcome.end_s)
        except BrokenProcessPool:
            # loky's TerminatedWorkerError: a worker died, while the chunks were still being
            # handed over (a busy machine's timing) or later.
            if first_exit is not None:
                first_exit.stop()
            dead = (first_exit and first_exit.process) or watch.wait_for_dead(DEATH_GRACE_S)
            raise RunFailed(died_failure(dead)) from None
        clean = True
    finally:
        watch.refresh()
        if not clean:
            # Cancelled or failed: end the workers mid-chunk ourselves. (loky's own
            # shutdown(kill_workers=True) forgets queued tasks its manager thread still looks
            # up, and that thread then dies with a KeyError printed on stderr.)
            watch.stop_all()
        executor.shutdown(wait=True)
        if first_exit is not None:
            first_exit.stop()
