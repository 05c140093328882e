"""The cluster mode against an existing Dask scheduler, started once for the module: the
sequential answers for every workload, a raising task's traceback, a cancel that leaves the
scheduler working, an unreachable address, and the bench command's table."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import psutil
import pytest
from failure_checks import assert_the_seven_failure
from process_checks import end_leftovers, run_children, wait_no_children

from tutor import cli
from tutor.engine import cluster_runner
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.cluster import INSTALL_COMMAND, cluster_available
from tutor.engine.records import RunConfig, RunFailed
from tutor.engine.runners import run

FIXTURES = Path(__file__).resolve().parent / "fixtures"

needs_dask = pytest.mark.skipif(
    not cluster_available(),
    reason=f"Dask is not installed, so the cluster mode cannot run: {INSTALL_COMMAND}",
)

# Worker processes of the module's shared scheduler: not leftovers of any one test.
SHARED_PIDS: set[int] = set()


def leftovers() -> list[psutil.Process]:
    return [p for p in run_children() if p.pid not in SHARED_PIDS]


@pytest.fixture(autouse=True)
def no_leftover_children():
    """As in tests/engine/conftest.py, except for the shared scheduler's own workers."""
    yield
    described = end_leftovers(wait_no_children(5.0, ignore=SHARED_PIDS))
    assert not described, f"child processes left behind: {described}"


@pytest.fixture(scope="module")
def scheduler():
    """An existing Dask scheduler with two single-threaded worker processes."""
    if not cluster_available():
        pytest.skip(f"Dask is not installed: {INSTALL_COMMAND}")
    from distributed import LocalCluster

    before = {p.pid for p in run_children()}
    sys.path.insert(0, str(FIXTURES))  # spawned workers start with this sys.path
    try:
        shared = LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=50,
        )
    finally:
        sys.path.remove(str(FIXTURES))
    SHARED_PIDS.update(p.pid for p in run_children() if p.pid not in before)
    yield shared.scheduler_address
    shared.close()
    SHARED_PIDS.clear()


# --- an existing scheduler ------------------------------------------------------------------


@needs_dask
@pytest.mark.parametrize(
    ("workload", "size", "function"),
    [
        ("primes", 100_000, None),
        ("squares", 300_000, None),
        ("roots", 200_000, None),
        ("sleep", 40, None),
        ("custom", 10_000, "engine_work:triple"),
    ],
)
def test_an_existing_scheduler_gives_the_sequential_answers(scheduler, workload, size, function):
    sequential = run(RunConfig(workload, size, "sequential", function=function))
    config = RunConfig(workload, size, "cluster", 2, function=function, scheduler=scheduler)
    result = run(config, baseline=sequential)
    assert result.matches_baseline is True, (result.answer, sequential.answer)
    assert result.chunk_count == sequential.chunk_count
    assert result.cluster.kind == "external"
    assert result.cluster.scheduler == scheduler
    assert result.cluster.clock == "shared"  # its workers run on this machine
    assert "note" not in result.to_json()["extra"]
    assert {c.lane for c in result.chunks} <= set(_worker_addresses(scheduler))
    assert result.config.label() == f"cluster at {scheduler}"
    assert leftovers() == []  # and the scheduler's own workers stay up
    assert len(SHARED_PIDS) == 2 and all(psutil.pid_exists(pid) for pid in SHARED_PIDS)


@needs_dask
@pytest.mark.parametrize(
    ("workload", "size", "expected"),
    [("squares", 123_457, 123_456 * 123_457 * 246_913 // 6), ("sleep", 60, 60), ("primes", 0, 0)],
)
def test_other_workloads_on_a_cluster(scheduler, workload, size, expected):
    """The answers and chunk sizes do not depend on who started the cluster: the shared one."""
    result = run(RunConfig(workload, size, "cluster", 2, scheduler=scheduler))
    assert result.answer == expected
    assert sum(c.items for c in result.chunks) == len(range(size + (workload == "primes")))


@needs_dask
def test_a_raising_task_fails_the_run_with_its_traceback(scheduler):
    config = RunConfig(
        "custom", 1_000, "cluster", 2, function="engine_work:raises_on_seven", scheduler=scheduler
    )
    with pytest.raises(RunFailed) as caught:
        run(config)
    failure = caught.value.failure
    assert_the_seven_failure(failure)
    assert failure.worker not in (None, os.getpid())
    assert leftovers() == []  # and the scheduler's own workers stay up
    assert len(SHARED_PIDS) == 2 and all(psutil.pid_exists(pid) for pid in SHARED_PIDS)


@needs_dask
def test_a_cancelled_run_leaves_an_existing_scheduler_working(scheduler):
    token = CancelToken()
    timer = threading.Timer(0.5, token.cancel)
    timer.start()
    try:
        with pytest.raises(RunCancelled):
            run(
                RunConfig("primes", 3_000_000, "cluster", 2, chunks=200, scheduler=scheduler),
                cancel=token,
            )
    finally:
        timer.cancel()
    # Its chunks were cancelled: the next run gets the workers (a running chunk may finish).
    again = run(RunConfig("primes", 10_000, "cluster", 2, scheduler=scheduler))
    assert again.answer == 1_229


@needs_dask
def test_an_unreachable_scheduler_fails_clearly(monkeypatch):
    monkeypatch.setattr(cluster_runner, "CONNECT_TIMEOUT_S", 1.0)
    with pytest.raises(RunFailed) as caught:
        run(RunConfig("primes", 1_000, "cluster", 2, scheduler="tcp://127.0.0.1:9"))
    failure = caught.value.failure
    assert failure.kind == "cluster"
    assert "could not reach the Dask scheduler at tcp://127.0.0.1:9" in failure.message


def _worker_addresses(address: str) -> list[str]:
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return list(client.nthreads())


# --- the bench command ----------------------------------------------------------------------


@needs_dask
def test_bench_table_names_the_cluster_and_a_bad_scheduler_is_a_usage_error(scheduler, capfd):
    # The module's scheduler: test_cluster.py's bench JSON test already starts a local one, and
    # runs the installed script (as other CLI tests do). Here `bench_main`, what the script
    # calls, runs in this process: its client and the scheduler's workers do the work either
    # way, and the script's start-up (importing the tutor and Dask once more) proves nothing
    # more about the table. `capfd` holds what the script's caller would see.
    code = cli.bench_main(
        ["--size", "20000", "--mode", "cluster", "--workers", "2", "--scheduler", scheduler]
    )
    out, err = capfd.readouterr()
    assert code == 0, err
    assert "cluster" in out and "2,262" in out
    bad = cli.bench_main(["--mode", "processes", "--scheduler", "tcp://127.0.0.1:8786"])
    out, err = capfd.readouterr()
    assert bad == 2
    assert err.startswith("mp-tutor bench: error: scheduler: ")
