"""Which worker a cluster failure names when Dask gives up on a chunk (KilledWorker).

On a busy machine the nannies' "Worker process … exited" lines reach our log in any order, so
the last line logged is not always the last worker that died on the chunk: the scheduler's own
record of that worker (KilledWorker.last_worker) decides.
"""

from __future__ import annotations

import logging

import pytest

from tutor.engine import cluster_runner
from tutor.engine.cluster_processes import DeathLog
from tutor.engine.cluster_runner import ClusterRunner
from tutor.engine.records import RunConfig

distributed = pytest.importorskip("distributed")
scheduler = pytest.importorskip("distributed.scheduler")


def killed_worker(last_pid: int) -> Exception:
    """The exception Dask raises for a chunk every given worker died on (its real class)."""
    last = scheduler.WorkerState(
        address="tls://127.0.0.1:40001",
        status=distributed.core.Status.closed,
        pid=last_pid,
        name=1,
        memory_limit=0,
        local_directory="",
        nanny=None,
        server_id="test",
    )
    return distributed.KilledWorker("mp-tutor-chunk-7", last, 1)


def logged(deaths: DeathLog, *lines: str) -> DeathLog:
    for line in lines:
        deaths.handle(logging.makeLogRecord({"msg": line, "levelno": logging.INFO}))
    return deaths


def failure_for(exc: Exception, deaths: DeathLog):
    runner = ClusterRunner(RunConfig("custom", 2_000, "cluster", 2), [], cancel=None)
    return runner._killed_failure(7, exc, deaths)  # noqa: SLF001


def test_the_worker_dask_names_last_is_reported_even_when_its_line_came_first():
    deaths = logged(
        DeathLog(),
        "Worker process 202 was killed by signal 9",  # the last to die, logged first
        "Worker process 101 exited with status 3",
    )
    failure = failure_for(killed_worker(202), deaths)
    assert failure.worker == 202
    assert failure.exitcode == -9
    assert "process 202, was killed by signal 9" in failure.message
    assert "2 workers in turn" in failure.message


def test_a_named_worker_whose_line_never_came_is_still_named(monkeypatch):
    monkeypatch.setattr(cluster_runner, "DEATH_LOG_WAIT_S", 0.05)
    deaths = logged(DeathLog(), "Worker process 101 exited with status 3")
    failure = failure_for(killed_worker(202), deaths)
    assert failure.worker == 202
    assert failure.exitcode is None
    assert "the last one was process 202" in failure.message
