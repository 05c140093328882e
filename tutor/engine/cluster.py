"""The `cluster` mode: the very same chunks as a Dask task each, on a Dask cluster.

Dask's `distributed` package is an optional extra (`pip install -e '.[cluster]'`) and nothing
here imports it at module level: without it the mode is reported as unavailable, with the
install command, and every other mode works as before.

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
network round trip) and the result says so in `RunResult.extra`.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import re
import socket
import ssl
import threading
import traceback
import uuid
from collections.abc import Iterator
from typing import Any, Protocol

from tutor.engine.cluster_security import (
    external_security,
    local_cluster_security,
    tls_unavailable_reason,
)
from tutor.engine.cluster_support import INSTALL_COMMAND, cluster_unavailable_reason
from tutor.engine.records import RunConfig, RunFailed, WorkerFailure
from tutor.engine.worker import ChunkOutcome, ChunkTask, clock, run_chunk

CLUSTER_MODE = "cluster"
# Dask retries a chunk whose worker died on another worker once; a second death fails the run
# (Dask's default is 3). An existing scheduler keeps its own setting.
ALLOWED_FAILURES = 1
DEATH_LOG_WAIT_S = 5.0  # for the nanny's log line of a worker that died (see _DeathLog)
CONNECT_TIMEOUT_S = 5.0  # reaching an existing scheduler
START_TIMEOUT_S = 60.0  # a local cluster's workers all up, or an existing scheduler's first one
NO_WORKERS_TIMEOUT_S = 15.0  # a run whose cluster has had no worker for this long fails
RESULT_TIMEOUT_S = 30.0  # fetching a finished chunk's result
CLOSE_TIMEOUT_S = 5.0
WORKER_CLOSE_S = 0.5  # a busy local worker is killed after 0.8 × this when the run ends
POLL_S = 0.05  # how often a waiting run checks for cancel
WORKER_CHECK_S = 1.0  # how often it asks the scheduler whether any worker is left

_ADDRESS = re.compile(
    r"(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[^\s:/\[\]]+):(?P<port>\d{1,5})"
)
_DEATH = re.compile(r"Worker process (\d+) (?:was killed by signal (\d+)|exited with status (\d+))")


class _Cancel(Protocol):
    @property
    def cancelled(self) -> bool: ...


# --- availability and validation --------------------------------------------------------


def cluster_available() -> bool:
    return cluster_unavailable_reason() is None


def unavailable_modes_note() -> str:
    """For a list of modes: "" when every mode can run here, else what to install."""
    if cluster_available():
        return ""
    return f" (cluster is not installed here: {INSTALL_COMMAND})"


def check_scheduler_address(address: str) -> str:
    """The address itself when it looks like `tcp://host:port`; ValueError naming the field."""
    match = _ADDRESS.fullmatch(address.strip()) if isinstance(address, str) else None
    if match is None or not 0 < int(match["port"]) < 65536:
        raise ValueError(
            f"scheduler: expected a Dask scheduler address like tcp://host:8786, got {address!r}"
        )
    return address.strip()


def check_cluster_config(config: RunConfig) -> None:
    """ValueError when a cluster run cannot start here: no Dask, no way to secure a local
    cluster, a malformed address, or a tls:// address without Dask's TLS settings."""
    reason = cluster_unavailable_reason()
    if reason is not None:
        raise ValueError(f"mode: {reason}")
    if config.scheduler is None:
        reason = tls_unavailable_reason()
        if reason is not None:
            raise ValueError(f"mode: {reason}; install it with: {INSTALL_COMMAND}")
    else:
        check_scheduler_address(config.scheduler)
        external_security(config.scheduler)


def _import_distributed() -> Any:
    check_cluster_config(RunConfig("primes", 0, CLUSTER_MODE))
    try:
        import distributed
    except ImportError as exc:  # installed but broken
        raise ValueError(
            f"mode: the 'cluster' mode cannot load Dask ({exc}); reinstall it with: "
            f"{INSTALL_COMMAND}"
        ) from exc
    return distributed


# --- code that runs on the Dask workers --------------------------------------------------


def run_chunk_on_dask(task: ChunkTask) -> ChunkOutcome:
    """One chunk as a Dask task: timed as in a pool worker, in the lane of its worker."""
    received = clock()
    outcome = run_chunk(task, None, os.getpid())
    try:
        from distributed import get_worker

        lane = get_worker().address
    except (ImportError, ValueError):  # not inside a Dask worker
        lane = f"pid {os.getpid()}"
    return outcome._replace(received_s=received - task.run_start, lane=lane)


def machine_id() -> str:
    """Names this machine's monotonic clock: Linux's boot id (containers on one kernel share
    it), elsewhere the host name."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as file:
            return "boot " + file.read().strip()
    except OSError:
        return "host " + socket.gethostname()


def clock_probe() -> tuple[str, float]:
    """Run on a worker: which machine's clock it has, and that clock's time now."""
    return machine_id(), clock()


def ignore_interrupts() -> None:
    """Run on a local worker: Ctrl+C in the terminal is the parent's to handle, as a cancel."""
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def shift_to_local_clock(
    outcome: ChunkOutcome, offset: float | None, arrived_s: float
) -> ChunkOutcome:
    """A chunk timed on another machine's clock, put on ours.

    `offset` is that clock minus ours (None: unknown, then the chunk is taken to have ended
    when its result arrived, `arrived_s`). No time moves before the run's start or after the
    result arrived: an offset is only good to about a network round trip.
    """
    if offset is None:
        offset = outcome.end_s - arrived_s

    def shift(value: float | None) -> float | None:
        return None if value is None else min(max(value - offset, 0.0), arrived_s)

    return outcome._replace(
        start_s=shift(outcome.start_s),
        end_s=shift(outcome.end_s),
        received_s=shift(outcome.received_s),
    )


# --- the runner --------------------------------------------------------------------------


class _DeathLog(logging.Handler):
    """Collects the nanny's "Worker process 123 was killed by signal 9" lines (local cluster)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.deaths: list[tuple[int, int]] = []  # (pid, exit code as multiprocessing gives it)
        self._logged = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            match = _DEATH.search(record.getMessage())
        except Exception:  # a record whose message cannot be formatted
            return
        if match:
            pid, signal_number, status = match.groups()
            code = -int(signal_number) if signal_number else int(status)
            with self._logged:
                self.deaths.append((int(pid), code))
                self._logged.notify_all()

    def wait_for(self, count: int, timeout_s: float) -> None:
        """Wait until `count` deaths are logged (or `timeout_s` seconds passed).

        The scheduler can give up on a chunk (KilledWorker) before the nanny of its last
        worker has logged that worker's end: on a busy machine the log line comes later.
        """
        with self._logged:
            self._logged.wait_for(lambda: len(self.deaths) >= count, timeout_s)


@contextlib.contextmanager
def _quiet_dask_logs(deaths: _DeathLog) -> Iterator[None]:
    """Silence Dask's own log lines on stderr for the run; failures are reported as RunFailed."""
    root = logging.getLogger("distributed")
    nanny = logging.getLogger("distributed.nanny")
    changed = []
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler):
            changed.append((handler, handler.level))
            handler.setLevel(logging.CRITICAL + 1)
    old_level = nanny.level
    nanny.addHandler(deaths)
    if nanny.getEffectiveLevel() > logging.INFO:
        nanny.setLevel(logging.INFO)
    try:
        yield
    finally:
        nanny.removeHandler(deaths)
        nanny.setLevel(old_level)
        for handler, level in changed:
            handler.setLevel(level)


def _run_children() -> dict[int, Any]:
    """This process's live descendants, except multiprocessing's long-lived helpers."""
    import psutil  # a dependency of distributed

    found = {}
    for process in psutil.Process().children(recursive=True):
        try:
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        if "resource_tracker" not in command and "forkserver" not in command:
            found[process.pid] = process
    return found


def _stop_new_children(before: set[int]) -> None:
    """The cluster is closed: end any worker process it left (none, normally)."""
    import psutil

    left = [p for pid, p in _run_children().items() if pid not in before]
    for process in left:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(left, timeout=CLOSE_TIMEOUT_S)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(alive, timeout=CLOSE_TIMEOUT_S)


def _cluster_failure(message: str, exc: BaseException | None = None) -> RunFailed:
    """The cluster itself failed the run (unreachable, no workers): kind "cluster"."""
    return RunFailed(
        WorkerFailure(
            kind="cluster",
            message=message,
            exc_type=type(exc).__name__ if exc is not None else "",
            traceback="".join(traceback.format_exception_only(exc)) if exc is not None else "",
        )
    )


class ClusterRunner:
    """The cluster mode's outcomes, for `runners.run()`: iterate, then close.

    `extra` (filled in once the cluster is ready) says which scheduler ran the chunks, how long
    the cluster took to be ready and whose clock the chunk times are on.
    """

    def __init__(self, config: RunConfig, tasks: list[ChunkTask], cancel: _Cancel) -> None:
        self.config = config
        self.extra: dict[str, Any] = {}
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
        distributed = _import_distributed()
        import dask

        config = self.config
        settings = {
            "distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
            "distributed.comm.timeouts.connect": f"{CONNECT_TIMEOUT_S}s",
            "distributed.worker.multiprocessing-method": config.start_method,
        }
        deaths = _DeathLog()
        with contextlib.ExitStack() as stack:
            stack.enter_context(dask.config.set(settings))
            stack.enter_context(_quiet_dask_logs(deaths))
            if config.scheduler is None:
                before = set(_run_children())
                # Runs last: after the cluster closed, no worker process may be left.
                stack.callback(_stop_new_children, before)
                client = self._start_local(distributed, stack, deaths)
            else:
                client = self._connect(distributed, stack)
            if client is None:  # cancelled while starting
                return
            self._client = client
            yield from self._compute(distributed, client, deaths, stack)

    def _start_local(self, distributed: Any, stack: contextlib.ExitStack, deaths: _DeathLog) -> Any:
        """A LocalCluster of `workers` single-threaded processes, all up; None if cancelled."""
        try:
            cluster = self._new_local_cluster(distributed, local_cluster_security())
        except Exception as exc:  # e.g. no loopback networking
            raise _cluster_failure(
                f"could not start a local Dask cluster: {type(exc).__name__}: {exc}", exc
            ) from None
        stack.callback(self._close_cluster, cluster)
        client = distributed.Client(cluster, set_as_default=False)
        stack.callback(self._close_client, client)
        # Started one by one so that a cancel during start-up is seen at once.
        cluster.scale(self.config.workers)
        if not self._wait_for_workers(client, self.config.workers, deaths):
            return None
        with contextlib.suppress(Exception):
            client.run(ignore_interrupts)
        self.extra.update(
            cluster="local",
            scheduler=cluster.scheduler_address,
            cluster_ready_s=clock() - self._run_start,
            cluster_workers=len(client.nthreads()),
            clock="shared",
        )
        return client

    @staticmethod
    def _new_local_cluster(distributed: Any, security: Any) -> Any:
        """Loopback only, TLS with the run's own certificate (`security`), single-threaded
        workers, no dashboard; workers added by scale(). The client made from it holds the same
        certificate (Client takes the cluster's `security`)."""
        return distributed.LocalCluster(
            security=security,
            protocol="tls://",
            n_workers=0,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            # No dashboard pages, but the scheduler still serves a little HTTP (health checks):
            # on any free loopback port, not 8787, which another Dask may hold (and warn about).
            # Dask files that server under the name "dashboard" and logs its address; the
            # README says so, so the log line does not contradict it.
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            silence_logs=logging.CRITICAL,
        )

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
        self.extra.update(
            cluster="external",
            scheduler=address,
            cluster_ready_s=clock() - self._run_start,
            cluster_workers=len(workers),
            clock="shared",
        )
        self._probe_clocks(client, list(workers))
        return client

    def _wait_for_workers(self, client: Any, count: int, deaths: _DeathLog | None = None) -> bool:
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
                        kind="died",
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
        deaths: _DeathLog,
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
                future = finished.get(timeout=POLL_S)
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
        self, distributed: Any, future: Any, index: int, deaths: _DeathLog
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
                kind="raised",
                message=f"Dask could not run chunk {index}: {type(exc).__name__}: {exc}{hint}",
                exc_type=type(exc).__name__,
                traceback=details,
            )
        )

    def _killed_failure(self, index: int, exc: BaseException, deaths: _DeathLog) -> WorkerFailure:
        tries = ALLOWED_FAILURES + 1 if self.config.scheduler is None else None
        how = (
            f"Dask gave chunk {index} to {tries} workers in turn and each of them died before "
            "finishing it"
            if tries
            else f"every Dask worker given chunk {index} died before finishing it"
        )
        pid = exitcode = None
        if tries:
            deaths.wait_for(tries, DEATH_LOG_WAIT_S)
        if deaths.deaths:
            pid, exitcode = deaths.deaths[-1]
            fate = f"was killed by signal {-exitcode}" if exitcode < 0 else "exited"
            how += f" (the last one, process {pid}, {fate}: exit code {exitcode})"
        return WorkerFailure(
            kind="died",
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
        if self.extra.get("clock") == "per-worker":
            return
        self.extra["clock"] = "per-worker"
        self.extra["note"] = (
            "Some workers run on other machines, each with its own clock: their chunk times "
            "were shifted onto this machine's clock by an offset measured at start-up (good to "
            "about a network round trip), so compare bars across machines loosely."
        )

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

    @staticmethod
    def _close_cluster(cluster: Any) -> None:
        """Close the local cluster; a worker busy on a chunk is killed after a short wait.

        A nanny closes its worker gracefully, waiting up to 0.8 × its timeout (4 s by
        default) for the running task to end: far too long for a cancel.
        """

        import asyncio

        async def close_workers() -> None:
            nannies = list(cluster.workers.values())
            await asyncio.gather(
                *(nanny.close(timeout=WORKER_CLOSE_S) for nanny in nannies),
                return_exceptions=True,
            )

        with contextlib.suppress(Exception):
            cluster.sync(close_workers)
        with contextlib.suppress(Exception):
            cluster.close(timeout=CLOSE_TIMEOUT_S)
