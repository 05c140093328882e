"""A local Dask cluster's processes: started, watched for deaths, closed with none left.

`new_local_cluster` starts one (loopback, TLS, no dashboard) and `close_local_cluster` closes
it without waiting for busy workers.

Dask's nannies log a worker's death ("Worker process 123 was killed by signal 9"); `DeathLog`
collects those lines so a failure can name the process and its exit code, and
`quiet_dask_logs` keeps Dask's own log lines off stderr for the run. After the cluster is
closed, `stop_new_children` ends any process it left. psutil comes with distributed. Qt-free.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterator
from typing import Any

from tutor.engine.cancel import LIMITS

CLOSE_TIMEOUT_S = 5.0  # closing the cluster or client; a leftover process after terminate()
_DEATH = re.compile(r"Worker process (\d+) (?:was killed by signal (\d+)|exited with status (\d+))")


class DeathLog(logging.Handler):
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

    def exit_code_of(self, pid: int, timeout_s: float) -> int | None:
        """The exit code logged for worker process `pid`, waiting up to `timeout_s` seconds
        for its nanny's line; None if it never came."""
        with self._logged:
            self._logged.wait_for(lambda: pid in dict(self.deaths), timeout_s)
            return dict(self.deaths).get(pid)


@contextlib.contextmanager
def quiet_dask_logs(deaths: DeathLog) -> Iterator[None]:
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


def run_children() -> dict[int, Any]:
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


def stop_new_children(before: set[int]) -> None:
    """The cluster is closed: end any worker process it left (none, normally)."""
    import psutil

    left = [p for pid, p in run_children().items() if pid not in before]
    for process in left:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    _, alive = psutil.wait_procs(left, timeout=CLOSE_TIMEOUT_S)
    for process in alive:
        with contextlib.suppress(psutil.Error):
            process.kill()
    psutil.wait_procs(alive, timeout=CLOSE_TIMEOUT_S)


def new_local_cluster(distributed: Any, security: Any) -> Any:
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


def close_local_cluster(cluster: Any) -> None:
    """Close the local cluster; a worker busy on a chunk is killed after a short wait.

    A nanny closes its worker gracefully, waiting up to 0.8 × its timeout (4 s by
    default) for the running task to end: far too long for a cancel.
    """

    import asyncio

    async def close_workers() -> None:
        nannies = list(cluster.workers.values())
        await asyncio.gather(
            *(nanny.close(timeout=LIMITS.dask_worker_close.seconds) for nanny in nannies),
            return_exceptions=True,
        )

    with contextlib.suppress(Exception):
        cluster.sync(close_workers)
    with contextlib.suppress(Exception):
        cluster.close(timeout=CLOSE_TIMEOUT_S)
