"""The cluster mode's runner: the run's chunks as Dask tasks, their outcomes as they finish.

By default a run starts a `LocalCluster` of N single-threaded worker processes on this machine
(loopback only, no dashboard pages, TLS with a certificate made for the run so no other local
account can use it: see `cluster_security`), and closes it when the run ends however it ends. With
`RunConfig.scheduler` it connects to a running scheduler instead and uses whatever workers that
has. Either way each chunk runs the pools' own worker code (`run_chunk`), so the chunking, the
answer and the timing records are those of every other mode; a chunk's lane is the address of
the Dask worker that ran it.

Clocks. perf_counter is one clock for the whole machine, so the times of a local cluster's
workers line up with the parent's as they do for a Pool. A worker on another machine has its
own clock: its times are shifted by an offset measured when the run starts (good to about a
network round trip) and the result says so in `RunResult.cluster` (engine.cluster_facts).
"""

from __future__ import annotations

import contextlib
import queue
import ssl
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from tutor.engine.cancel import LIMITS, CancelToken
from tutor.engine.cluster import import_distributed
from tutor.engine.cluster_facts import ClockKind, ClusterFacts, ClusterKind
from tutor.engine.cluster_processes import (
    CLOSE_TIMEOUT_S,
    DeathLog,
    close_local_cluster,
    new_local_cluster,
    quiet_dask_logs,
    run_children,
    stop_new_children,
)
from tutor.engine.cluster_security import external_security, local_cluster_security
from tutor.engine.cluster_worker_side import (
    clock_probe,
    ignore_interrupts,
    machine_id,
    run_chunk_on_dask,
    shift_to_local_clock,
)
from tutor.engine.failures import RunFailureKind
from tutor.engine.records import RunConfig, RunFailed, WorkerFailure
from tutor.engine.worker import ChunkOutcome, ChunkTask, clock

# Dask retries a chunk whose worker died on another worker once; a second death fails the run
# (Dask's default is 3). An existing scheduler keeps its own setting.
ALLOWED_FAILURES = 1
DEATH_LOG_WAIT_S = 5.0  # for the nanny's log line of a worker that died (see DeathLog)
CONNECT_TIMEOUT_S = 5.0  # reaching an existing scheduler
START_TIMEOUT_S = 60.0  # a local cluster's workers all up, or an existing scheduler's first one
# A run whose cluster has had no worker for this long fails. Generous: when a task kills its
# worker, the nannies restart the dead workers, and on a busy laptop a restart (spawn, import
# Dask, TLS handshake) took over 15 s; the learner can cancel at any time meanwhile.
NO_WORKERS_TIMEOUT_S = 60.0
RESULT_TIMEOUT_S = 30.0  # fetching a finished chunk's result
WORKER_CHECK_S = 1.0  # how often it asks the scheduler whether any worker is left


def _cluster_failure(message: str, exc: BaseException | None = None) -> RunFailed:
    """The cluster itself failed the run (unreachable, no workers): kind "cluster"."""
    return RunFailed(
        WorkerFailure(
            kind=RunFailureKind.CLUSTER,
            message=message,
            exc_type=type(exc).__name__ if exc is not None else "",
            traceback="".join(traceback.format_exception_only(exc)) if exc is not None else "",
        )
    )


class ClusterRunner:
    """The cluster mode's outcomes, for `runners.run()`: iterate, then close.

    `facts` (set once the cluster is ready, else None) says which scheduler ran the chunks, how
    long the cluster took to be ready and whose clock the chunk times are on.
    """

    def __init__(self, config: RunConfig, tasks: list[ChunkTask], cancel: CancelToken) -> None:
        self.config = config
        self.facts: ClusterFacts | None = None
        self._tasks = tasks
        self._cancel = cancel
        self._run_start = tasks[0].run_start if tasks else clock()
        self._offsets: dict[str, float | None] = {}  # lane -> its clock minus ours
        self._local_machine = machine_id()
        self._client: Any = None
        self._outcomes = self._run()

    def __iter__(self) -> Iterator[ChunkOutcome]:
        return self._outcomes

    def __next__(self) -> ChunkOutcome:
        return next(self._outcomes)

    def close(self) -> None:
        self._outcomes.close()

    # --- the run ------------------------------------------------------------------------

    def _run(self) -> Iterator[ChunkOutcome]:
        if self._cancel.cancelled or not self._tasks:
            return
        distributed = import_distributed()
        import dask

        config = self.config
        settings = {
            "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
            "distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT_S}s",
            "distributed.worker.multiprocessing-method": config.start_method,
        }
        deaths = DeathLog()
        with contextlib.ExitStack() as stack:
            stack.enter_context(dask.config.set(settings))
            stack.enter_context(quiet_dask_logs(deaths))
            if config.scheduler is None:
                before = set(run_children())
                # Runs last: after the cluster closed, no worker process may be left.
                stack.callback(stop_new_children, before)
                client = self._start_local(distributed, stack, deaths)
            else:
                client = self._connect(distributed, stack)
            if client is None:  # cancelled while starting
                return
            self._client = client
            yield from self._compute(distributed, client, deaths, stack)

    def _start_local(self, distributed: Any, stack: contextlib.ExitStack, deaths: DeathLog) -> Any:
        """A LocalCluster of `workers` single-threaded processes, all up; None if cancelled."""
        try:
            cluster = new_local_cluster(distributed, local_cluster_security())
        except Exception as exc:  # e.g. no loopback networking
            raise _cluster_failure(
                f"could not start a local Dask cluster: {type(exc).__name__}: {exc}", exc
            ) from None
        stack.callback(close_local_cluster, cluster)
        client = distributed.Client(cluster, set_as_default=False)
        stack.callback(self._close_client, client)
        if self._cancel.cancelled:  # while the scheduler started: start no worker for nothing
            return None
        # Started one by one so that a cancel during start-up is seen at once.
        cluster.scale(self.config.workers)
        if not self._wait_for_workers(client, self.config.workers, deaths):
            return None
        with contextlib.suppress(Exception):
            client.run(ignore_interrupts)
        self.facts = ClusterFacts(
            ClusterKind.LOCAL,
            cluster.scheduler_address,
            clock() - self._run_start,
            len(client.nthreads()),
        )
        return client

    def _connect(self, distributed: Any, stack: contextlib.ExitStack) -> Any:
        """A client of the existing scheduler, once it has a worker; None if cancelled."""
        address = self.config.scheduler
        try:
            client = distributed.Client(
                address,
                timeout=CONNECT_TIMEOUT_S,
                set_as_default=False,
                security=external_security(address),
            )
        except (OSError, TimeoutError, ssl.SSLError) as exc:
            raise _cluster_failure(
                f"could not reach the Dask scheduler at {address}: {exc}", exc
            ) from None
        stack.callback(self._close_client, client)
        if not self._wait_for_workers(client, 1):
            return None
        workers = client.nthreads()
        self.facts = ClusterFacts(
            ClusterKind.EXTERNAL, address, clock() - self._run_start, len(workers)
        )
        self._probe_clocks(client, list(workers))
        return client

    def _wait_for_workers(self, client: Any, count: int, deaths: DeathLog | None = None) -> bool:
        deadline = clock() + START_TIMEOUT_S
        while not self._cancel.cancelled:
            try:
                client.wait_for_workers(count, timeout=0.2)
                return True
            except TimeoutError:
                pass
            if deaths is not None and deaths.deaths:  # its nanny gives up: no point waiting
                pid, exitcode = deaths.deaths[0]
                raise RunFailed(
                    WorkerFailure(
                        kind=RunFailureKind.DIED,
                        message=f"Dask worker process {pid} died while starting (exit code "
                        f"{exitcode}), so the local cluster could not start",
                        worker=pid,
                        exitcode=exitcode,
                    )
                )
            if clock() > deadline:
                have = len(client.nthreads())
                raise _cluster_failure(
                    f"the Dask cluster had {have} of the {count} worker(s) it needs after "
                    f"{START_TIMEOUT_S:g} s"
                )
        return False

    def _compute(
        self,
        distributed: Any,
        client: Any,
        deaths: DeathLog,
        stack: contextlib.ExitStack,
    ) -> Iterator[ChunkOutcome]:
        prefix = f"mp-tutor-chunk-{uuid.uuid4().hex[:8]}"
        keys = [f"{prefix}-{task.index}" for task in self._tasks]
        index_of = dict(zip(keys, (t.index for t in self._tasks), strict=True))
        finished: queue.SimpleQueue = queue.SimpleQueue()
        pending = {
            future.key: future
            for future in client.map(run_chunk_on_dask, self._tasks, key=keys, pure=False)
        }
        # First on the way out: nothing of this run left running on the cluster.
        stack.callback(self._cancel_futures, client, pending)
        for future in pending.values():
            future.add_done_callback(finished.put)
        last_check = clock()
        workerless_since: float | None = None
        while pending:
            if self._cancel.cancelled:
                return
            try:
                future = finished.get(timeout=LIMITS.poll.seconds)
            except queue.Empty:
                future = None
            if future is not None:
                if future.status not in ("finished", "error", "cancelled"):
                    # Its result was lost with a worker before we fetched it: Dask computes
                    # the chunk again, and the callback fires again when it is done.
                    future.add_done_callback(finished.put)
                    continue
                outcome = self._outcome_of(distributed, future, index_of[future.key], deaths)
                # Fetched: Dask may forget it (it would recompute it if its worker died).
                del pending[future.key]
                future.release()
                yield self._aligned(outcome)
                continue
            # Nothing finished: a cluster left without any worker fails instead of waiting.
            now = clock()
            if now - last_check < WORKER_CHECK_S:
                continue
            last_check = now
            try:
                workers = client.nthreads()
            except Exception as exc:  # the scheduler went away
                raise _cluster_failure(
                    f"lost the Dask scheduler: {type(exc).__name__}: {exc}", exc
                ) from None
            if workers:
                workerless_since = None
            elif workerless_since is None:
                workerless_since = now
            elif now - workerless_since > NO_WORKERS_TIMEOUT_S:
                raise _cluster_failure(
                    f"the Dask cluster has had no worker for {NO_WORKERS_TIMEOUT_S:g} s; "
                    f"{len(pending)} chunk(s) were still waiting"
                )

    def _outcome_of(
        self, distributed: Any, future: Any, index: int, deaths: DeathLog
    ) -> ChunkOutcome:
        if future.status == "finished":
            try:
                return future.result(timeout=RESULT_TIMEOUT_S)
            except Exception as exc:  # lost with its worker and not recomputed in time
                raise _cluster_failure(
                    f"the result of chunk {index} could not be fetched: {type(exc).__name__}: "
                    f"{exc}",
                    exc,
                ) from None
        if future.status == "cancelled":
            raise _cluster_failure(
                f"the Dask scheduler dropped chunk {index} (was it restarted, or did this "
                "program lose its connection to it?)"
            )
        exc = future.exception()
        if isinstance(exc, distributed.KilledWorker):
            raise RunFailed(self._killed_failure(index, exc, deaths))
        # Not the chunk's own error (run_chunk returns those as data): Dask could not run it,
        # e.g. a remote worker cannot import this package to unpickle the task.
        details = "".join(traceback.format_exception(type(exc), exc, future.traceback()))
        hint = ""
        if isinstance(exc, ImportError):
            hint = " (every Dask worker must be able to import the tutor package and the function)"
        raise RunFailed(
            WorkerFailure(
                kind=RunFailureKind.RAISED,
                message=f"Dask could not run chunk {index}: {type(exc).__name__}: {exc}{hint}",
                exc_type=type(exc).__name__,
                traceback=details,
            )
        )

    def _killed_failure(self, index: int, exc: BaseException, deaths: DeathLog) -> WorkerFailure:
        tries = ALLOWED_FAILURES + 1 if self.config.scheduler is None else None
        how = (
            f"Dask gave chunk {index} to {tries} workers in turn and each of them died before "
            "finishing it"
            if tries
            else f"every Dask worker given chunk {index} died before finishing it"
        )
        pid = exitcode = None
        # The scheduler names the last worker that died on the chunk; the nannies' log lines
        # can come in any order on a busy machine, so the last line need not be that worker.
        last = getattr(getattr(exc, "last_worker", None), "pid", None)
        if last is not None:
            pid, exitcode = last, deaths.exit_code_of(last, DEATH_LOG_WAIT_S)
        else:
            if tries:
                deaths.wait_for(tries, DEATH_LOG_WAIT_S)
            if deaths.deaths:
                pid, exitcode = deaths.deaths[-1]
        if exitcode is not None:
            fate = f"was killed by signal {-exitcode}" if exitcode < 0 else "exited"
            how += f" (the last one, process {pid}, {fate}: exit code {exitcode})"
        elif pid is not None:
            how += f" (the last one was process {pid})"
        return WorkerFailure(
            kind=RunFailureKind.DIED,
            message=f"{how}, so it gave up on the run. Dask: {exc}",
            exc_type=type(exc).__name__,
            worker=pid,
            exitcode=exitcode,
        )

    # --- clocks -------------------------------------------------------------------------

    def _probe_clocks(self, client: Any, workers: list[str]) -> None:
        """Offsets of the workers' clocks from ours; 0 for workers on this machine."""
        if not workers:
            return
        before = clock()
        try:
            probes = client.run(clock_probe, workers=workers)
        except Exception as exc:  # e.g. the workers cannot import this package
            raise _cluster_failure(
                f"the Dask workers could not run this tutor's code ({type(exc).__name__}: "
                f"{exc}); install the tutor on every worker machine",
                exc,
            ) from None
        middle = (before + clock()) / 2
        for address, (machine, their_clock) in probes.items():
            if machine == self._local_machine:
                self._offsets[address] = 0.0
            else:
                self._offsets[address] = their_clock - middle
                self._note_foreign_clock()

    def _note_foreign_clock(self) -> None:
        if self.facts is not None:
            self.facts = replace(self.facts, clock=ClockKind.PER_WORKER)

    def _aligned(self, outcome: ChunkOutcome) -> ChunkOutcome:
        """The outcome with its times on this machine's clock (see the module doc)."""
        if self.config.scheduler is None:
            return outcome
        if outcome.lane not in self._offsets:  # a worker that joined during the run
            self._offsets[outcome.lane] = None
            with contextlib.suppress(Exception):
                self._probe_clocks(self._client, [outcome.lane])
        offset = self._offsets[outcome.lane]
        if offset == 0.0:
            return outcome
        self._note_foreign_clock()
        return shift_to_local_clock(outcome, offset, clock() - self._run_start)

    # --- shutting down ------------------------------------------------------------------

    @staticmethod
    def _cancel_futures(client: Any, pending: dict) -> None:
        with contextlib.suppress(Exception):
            if pending:
                client.cancel(list(pending.values()), force=True)

    @staticmethod
    def _close_client(client: Any) -> None:
        with contextlib.suppress(Exception):
            client.close(timeout=CLOSE_TIMEOUT_S)
