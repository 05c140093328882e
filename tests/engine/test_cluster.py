"""The cluster mode on a real Dask LocalCluster of its own: same answers, well-formed timings,
prompt cancel without leftovers, dying workers, the helper process, the bench JSON.

A LocalCluster costs several CPU-seconds to start (a scheduler, and nannies and workers that
each import Dask), so only the tests about the local cluster itself start their own; what a
cluster run computes or prints (a raising task's traceback too) is tested against one existing
scheduler in test_cluster_scheduler.py (a file of its own, so the two share the test run's two
workers).
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from process_checks import run_children, spawned_workers

from tutor import cli
from tutor.engine import cluster
from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.cluster import (
    INSTALL_COMMAND,
    check_scheduler_address,
    cluster_available,
)
from tutor.engine.cluster_worker_side import shift_to_local_clock
from tutor.engine.events import RunFinished
from tutor.engine.helper_process import HelperRun
from tutor.engine.records import ALL_MODES, MODES, RunConfig, RunFailed
from tutor.engine.runners import plan_run, run, validate
from tutor.engine.worker import ChunkOutcome, clock

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCRIPT = Path(sys.executable).parent / "mp-tutor"
PID_FILE_VARIABLE = "ENGINE_WORK_PID_FILE"
CPU_SLACK_S = 0.005
LONG = RunConfig("primes", 50_000_000, "cluster", 2)  # minutes of work, never finishes here

needs_dask = pytest.mark.skipif(
    not cluster_available(),
    reason=f"Dask is not installed, so the cluster mode cannot run: {INSTALL_COMMAND}",
)

# --- without Dask -------------------------------------------------------------------------


@pytest.fixture
def without_dask(monkeypatch):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        if name in ("dask", "distributed"):
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_without_dask_the_mode_is_listed_and_says_how_to_install(without_dask):
    assert "cluster" in ALL_MODES and "cluster" not in MODES  # MODES: what every machine runs
    assert not cluster_available()
    config = RunConfig("primes", 1_000, "cluster", 2)
    for check in (validate, run):
        with pytest.raises(ValueError, match="^mode: ") as caught:
            check(config)
        assert INSTALL_COMMAND in str(caught.value)
        assert not isinstance(caught.value, ImportError)
    assert run(RunConfig("primes", 1_000, "sequential")).answer == 168  # the rest still works


def test_without_dask_bench_exits_2_with_the_install_command(without_dask, capsys):
    assert cli.bench_main(["--mode", "cluster", "--size", "1000"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert INSTALL_COMMAND in captured.err and "Traceback" not in captured.err
    assert INSTALL_COMMAND in " ".join(cli.build_parser().format_help().split())


def test_the_packaged_app_says_it_leaves_dask_out(without_dask, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    reason = cluster.cluster_unavailable_reason()
    assert "packaged app does not include" in reason and INSTALL_COMMAND in reason


@pytest.mark.parametrize(
    "address", ["tcp://127.0.0.1:8786", "tls://scheduler.example:8786", "10.0.0.5:8786"]
)
def test_scheduler_addresses_that_look_right(address):
    assert check_scheduler_address(address) == address


@pytest.mark.parametrize("address", ["", "nonsense", "tcp://host", "tcp://host:99999", "a b:1"])
def test_a_malformed_scheduler_address_names_the_field(address):
    with pytest.raises(ValueError, match="^scheduler: "):
        check_scheduler_address(address)
    if cluster_available():
        with pytest.raises(ValueError, match="^scheduler: "):
            validate(RunConfig("primes", 1_000, "cluster", 2, scheduler=address))


def test_other_modes_ignore_the_scheduler():
    """A cluster run's sequential baseline is the same config with another mode."""
    config = RunConfig("primes", 1_000, "sequential", 1, scheduler="tcp://127.0.0.1:1")
    assert run(config).answer == 168


def test_times_from_another_clock_are_shifted_onto_ours():
    outcome = ChunkOutcome(3, 10, 99, 99, 1000.5, 1001.0, 0.4, value=7, received_s=1000.4)
    moved = shift_to_local_clock(outcome, 1000.0, arrived_s=1.2)
    assert (moved.received_s, moved.start_s, moved.end_s) == pytest.approx((0.4, 0.5, 1.0))
    assert moved.value == 7 and moved.cpu_s == 0.4
    # Never before the run's start, never after the result arrived.
    early = shift_to_local_clock(outcome, 1000.7, arrived_s=0.2)
    assert early.start_s == 0.0 and early.end_s == 0.2
    # Unknown offset: the chunk ended when its result arrived.
    unknown = shift_to_local_clock(outcome, None, arrived_s=2.0)
    assert unknown.end_s == pytest.approx(2.0) and unknown.start_s == pytest.approx(1.5)


# --- a local cluster per run -----------------------------------------------------------------


@needs_dask
def test_a_local_cluster_run_matches_sequential_with_well_formed_timings():
    sequential = run(RunConfig("primes", 150_000, "sequential"))
    arrived = []
    before = clock()
    result = run(
        RunConfig("primes", 150_000, "cluster", 2),
        on_chunk=lambda timing: arrived.append(clock()),
        baseline=sequential,
    )
    after = clock()
    assert result.answer == sequential.answer == 13_848
    assert result.matches_baseline is True
    assert result.chunk_count == sequential.chunk_count == len(result.chunks) == len(arrived)
    assert sorted(c.index for c in result.chunks) == list(range(result.chunk_count))
    for chunk, seen in zip(result.chunks, arrived, strict=True):
        assert 0.0 <= chunk.start_s <= chunk.end_s <= result.wall_s
        assert chunk.end_s <= seen - before  # one clock: delivered after it ended
        assert chunk.received_s is not None and chunk.received_s <= chunk.start_s
        assert chunk.start_s <= chunk.arrived_s
        assert 0.0 <= chunk.cpu_s <= chunk.wall_s + CPU_SLACK_S
        assert chunk.items == len(plan_run(result.config).chunks[chunk.index])

    # One lane per Dask worker, named by its address; each lane runs one chunk at a time.
    lanes: dict[str, list] = {}
    for chunk in result.chunks:
        lanes.setdefault(chunk.lane, []).append(chunk)
    assert 1 <= len(lanes) <= 2
    assert all(lane.startswith("tls://127.0.0.1:") for lane in lanes)  # see cluster_security
    for own in lanes.values():
        own.sort(key=lambda c: c.start_s)
        for earlier, later in zip(own, own[1:], strict=False):
            assert later.start_s >= earlier.end_s - 1e-6
    # Worker processes of this very process (the nannies live here), never this process.
    assert os.getpid() not in {c.worker for c in result.chunks}

    assert result.startup_s + result.compute_s <= result.wall_s + 1e-6
    assert result.wall_s <= after - before
    facts = result.cluster
    assert facts.kind == "local" and facts.clock == "shared"
    assert facts.scheduler.startswith("tls://127.0.0.1:")
    assert facts.workers == 2
    assert 0 < facts.ready_s <= result.startup_s
    data = result.to_json()
    assert data["mode"] == "cluster" and data["extra"]["cluster"] == "local"
    assert {c["lane"] for c in data["chunks"]} == set(lanes)
    assert json.loads(json.dumps(data)) == data
    assert run_children() == []  # gone when run() returns


FIRST_CHUNK = "first-chunk"  # cancel as soon as chunk 0 has arrived: mid-run for sure
FIRST_WORKER = "first-worker"  # as soon as a Dask worker process exists: while workers start


def worker_started(arrived: threading.Event) -> bool:
    """Until a worker process of this process's local cluster exists (True), or the run
    delivered a chunk or 50 s passed (False)."""
    deadline = time.monotonic() + 50
    while not arrived.is_set() and time.monotonic() < deadline:
        if spawned_workers(psutil.Process().children()):
            return True
        time.sleep(0.01)
    return False


@needs_dask
@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "delay", [0.02, FIRST_WORKER, FIRST_CHUNK], ids=["start-up", "workers-starting", "mid-run"]
)
def test_cancel_stops_promptly_and_leaves_no_process(delay):
    token = CancelToken()
    chunks = []
    cancelled_at = []
    arrived = threading.Event()

    def on_chunk(timing) -> None:
        chunks.append(timing)
        arrived.set()

    def cancel() -> None:
        if delay == FIRST_CHUNK and not arrived.wait(50):
            return  # the run failed or ended first: the assertions below say so
        if delay == FIRST_WORKER and not worker_started(arrived):
            return
        cancelled_at.append(time.monotonic())
        token.cancel()

    # From another thread, as the app's Cancel comes: after a delay (the scheduler starting:
    # no worker is started then), once the first worker process exists (the cluster still
    # starting), or once the run computes (the workers busy with the minutes-long chunks).
    timer = threading.Timer(delay if isinstance(delay, float) else 0.0, cancel)
    timer.start()
    try:
        with pytest.raises(RunCancelled):
            run(LONG, on_chunk=on_chunk, cancel=token)
        returned = time.monotonic()
    finally:
        timer.cancel()
        arrived.set()  # a waiting canceller gives up at once
    assert returned >= cancelled_at[0]  # ended by the cancel, not by finishing LONG
    assert run_children() == []  # when run() returns, not some time later
    assert all(c.index == 0 for c in chunks)  # only chunk 0 (multiples of 37) is quick
    if delay == FIRST_CHUNK:
        assert chunks  # the cancel came mid-run
    if delay == FIRST_WORKER:
        assert not chunks  # the cancel came while the cluster started


@needs_dask
def test_a_token_cancelled_before_the_run_starts_no_cluster():
    token = CancelToken()
    token.cancel()
    with pytest.raises(RunCancelled):
        run(LONG, cancel=token)
    assert run_children() == []


DEATHS = {
    "os._exit": ("engine_work:exits_on_seven", 3),
    "SIGKILL": ("engine_work:sigkills_on_seven", -signal.SIGKILL),
}


@needs_dask
@pytest.mark.timeout(120)  # 25 s seen on a loaded machine; a hang still ends
@pytest.mark.parametrize("death", DEATHS)
def test_a_task_that_kills_its_worker_fails_cleanly_after_one_retry(death, tmp_path, monkeypatch):
    function, exitcode = DEATHS[death]
    pid_file = tmp_path / "dead.pid"
    monkeypatch.setenv(PID_FILE_VARIABLE, str(pid_file))
    with pytest.raises(RunFailed) as caught:
        run(RunConfig("custom", 2_000, "cluster", 2, function=function))
    failure = caught.value.failure
    assert failure.kind == "died"
    assert failure.exc_type == "KilledWorker"
    assert "2 workers in turn" in failure.message  # Dask retried it once, then gave up
    assert failure.worker == int(pid_file.read_text()) != os.getpid()
    assert failure.exitcode == exitcode
    assert f"exit code {exitcode}" in failure.message
    assert run_children() == []


@needs_dask
@pytest.mark.timeout(60)
def test_a_worker_killed_from_outside_is_retried_by_dask():
    """Unlike a Pool, the cluster survives one lost worker: its chunks run again elsewhere."""
    killed = []

    def on_chunk(timing) -> None:
        if not killed:
            killed.append(timing.worker)
            os.kill(timing.worker, signal.SIGKILL)

    # 80 chunks of 500,000 numbers: most are still to run when chunk 0 arrives (a third of
    # the CPU of 1,000,000, where the later chunks cost the most).
    result = run(RunConfig("primes", 500_000, "cluster", 2, chunks=80), on_chunk=on_chunk)
    assert result.answer == 41_538
    assert sorted(c.index for c in result.chunks) == list(range(80))
    assert killed and not psutil.pid_exists(killed[0])
    assert len({c.lane for c in result.chunks}) >= 2
    assert run_children() == []


def still_running(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@needs_dask
def test_a_helper_killed_outright_takes_its_dask_workers_along():
    """The app's last resort for a stuck cancel: kill the run's helper process."""
    remote = HelperRun(LONG)
    remote.start()
    try:
        helper = psutil.Process(remote.pid)

        def workers() -> list[psutil.Process]:
            return spawned_workers(helper.children())

        deadline = time.monotonic() + 60  # a local cluster gets START_TIMEOUT_S (60 s) too
        while len(workers()) < 2:
            assert time.monotonic() < deadline, "the helper never started its Dask workers"
            time.sleep(0.05)
        started = workers()
        helper.kill()
        # A worker that has ended but is not yet reaped (a zombie: its new parent may not
        # reap at once) runs nothing any more, so it counts as gone. A loaded machine can
        # take a while to let them notice the helper's death: wait on that, generously.
        deadline = time.monotonic() + 60
        while alive := [p for p in started if still_running(p)]:
            assert time.monotonic() < deadline, f"workers outlived their helper: {alive}"
            time.sleep(0.05)
    finally:
        remote.stop(timeout=1.0)


@needs_dask
def test_a_cluster_run_in_the_apps_helper_process():
    # One Dask worker: the helper's cluster run, not several workers, is the point here (each
    # worker is an interpreter importing Dask, ~1 CPU-s); the tests above use two.
    remote = HelperRun(RunConfig("primes", 30_000, "cluster", 1))
    remote.start()
    events = []
    deadline = time.monotonic() + 60
    while not remote.ended:
        assert time.monotonic() < deadline
        events.extend(remote.poll(0.1))
    result = next(e.result for e in events if isinstance(e, RunFinished))
    assert result.answer == 3_245
    assert result.cluster.workers == 1
    assert all(c.lane.startswith("tls://127.0.0.1:") for c in result.chunks)


@needs_dask
@pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed")
def test_bench_mode_cluster_json():
    # With the local-cluster tests, before the shared scheduler's: that one lives from its first
    # test to the module's end, its four idle processes using ~0.15 CPU-s a second meanwhile.
    # One Dask worker (each is an interpreter importing Dask): the JSON's shape is the point.
    env = {**os.environ, "PYTHONPATH": str(FIXTURES)}
    done = subprocess.run(
        [str(SCRIPT), "bench", "--size", "100000", "--mode", "sequential,cluster"]
        + ["--workers", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # Dask's own log lines stay quiet
    sequential, data = json.loads(done.stdout)
    assert data["mode"] == "cluster" and data["workers"] == 1
    assert data["result"] == sequential["result"] == 9_592
    assert data["matches_sequential"] is True
    for field in ("wall_s", "startup_s", "compute_s"):
        assert isinstance(data[field], float) and data[field] >= 0
    assert data["startup_s"] + data["compute_s"] <= data["wall_s"] + 1e-6
    assert len(data["chunks"]) == data["chunk_count"]
    assert all(c["lane"].startswith("tls://127.0.0.1:") for c in data["chunks"])  # TLS
    assert data["extra"]["cluster"] == "local"
