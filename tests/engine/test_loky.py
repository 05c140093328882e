"""The loky mode (joblib's process pool): real runs, the same measurements as the process
modes, and the same promises on cancel, raising workers and dying workers."""

from __future__ import annotations

import json
import os
import signal
import threading
from dataclasses import replace

import pytest
from cli_helpers import SCRIPT, bench, bench_env, in_process_bench, leftovers
from process_checks import run_children

from tutor.engine.cancel import CancelToken, RunCancelled
from tutor.engine.modes import unavailable_reason
from tutor.engine.records import RunConfig, RunFailed
from tutor.engine.runners import available_start_methods, run

pytestmark = [
    pytest.mark.skipif(
        unavailable_reason("loky") is not None, reason=str(unavailable_reason("loky"))
    ),
    pytest.mark.timeout(120),
]

PID_FILE_VARIABLE = "ENGINE_WORK_PID_FILE"  # engine_work notes the dying worker's pid there


def test_loky_measures_what_the_process_pool_measures():
    config = RunConfig("primes", 100_000, "processes", 2, chunks=8)
    pool = run(config)
    loky = run(replace(config, mode="loky"))
    assert loky.answer == pool.answer == 9_592
    assert loky.config.label() == "loky × 2 processes"
    assert loky.chunk_count == pool.chunk_count == 8
    assert sorted(c.index for c in loky.chunks) == list(range(8))
    assert sorted((c.index, c.items) for c in loky.chunks) == sorted(
        (c.index, c.items) for c in pool.chunks
    )
    workers = {c.worker for c in loky.chunks}
    assert os.getpid() not in workers and 1 <= len(workers) <= 2
    for chunk in loky.chunks:  # the fields the timeline and the breakdown read
        assert chunk.received_s is not None and chunk.arrived_s is not None
        assert 0 <= chunk.received_s <= chunk.start_s <= chunk.end_s <= chunk.arrived_s
        assert chunk.cpu_s >= 0 and chunk.lane == ""
    assert loky.startup_s > 0 and loky.compute_s > 0 and loky.wall_s >= loky.compute_s
    assert json.loads(json.dumps(loky.to_json()))["mode"] == "loky"
    assert run_children() == []


@pytest.mark.parametrize("method", available_start_methods())
def test_loky_starts_its_workers_with_the_chosen_start_method(method):
    result = run(RunConfig("squares", 20_000, "loky", 2, start_method=method))
    assert result.answer == sum(n * n for n in range(20_000))
    assert result.config.uses_processes and result.config.start_method == method
    assert os.getpid() not in {c.worker for c in result.chunks}
    assert run_children() == []


def test_a_raising_loky_worker_fails_the_run_with_its_traceback():
    config = RunConfig("custom", 1_000, "loky", 2, function="engine_work:raises_on_seven")
    with pytest.raises(RunFailed) as caught:
        run(config)
    failure = caught.value.failure
    assert failure.kind == "raised" and failure.exc_type == "ArithmeticError"
    assert "raises_on_seven" in failure.traceback and failure.worker != os.getpid()
    assert run_children() == []


@pytest.mark.timeout(60)
def test_a_dying_loky_worker_is_named(tmp_path, monkeypatch):
    pid_file = tmp_path / "dead.pid"
    monkeypatch.setenv(PID_FILE_VARIABLE, str(pid_file))
    config = RunConfig("custom", 2_000, "loky", 2, function="engine_work:sigkills_on_seven")
    with pytest.raises(RunFailed) as caught:
        run(config)
    failure = caught.value.failure
    assert failure.kind == "died"
    assert failure.worker == int(pid_file.read_text()) != os.getpid()
    assert failure.exitcode == -signal.SIGKILL
    assert run_children() == []
    assert run(RunConfig("primes", 10_000, "loky", 2)).answer == 1_229


@pytest.mark.timeout(60)
@pytest.mark.parametrize("moment", ["during-start-up", "after-the-first-chunk"])
def test_cancel_ends_a_loky_run_and_its_workers(moment):
    """Minutes of work: only a cancel ends it before the test's time limit."""
    token = CancelToken()
    chunks = []

    def on_chunk(timing) -> None:
        chunks.append(timing)
        token.cancel()

    if moment == "during-start-up":
        threading.Timer(0.02, token.cancel).start()
    with pytest.raises(RunCancelled):
        run(RunConfig("primes", 50_000_000, "loky", 2), on_chunk=on_chunk, cancel=token)
    assert run_children() == []  # gone when run() returns, not some time later
    assert len(chunks) <= 1


@pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed")
def test_the_cli_benches_loky_against_the_sequential_baseline():
    env = bench_env()
    done = bench(
        "--size", "20000", "--workers", "2", "--mode", "sequential,loky", "--json", env=env
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert [r["mode"] for r in runs] == ["sequential", "loky"]
    assert runs[0]["result"] == runs[1]["result"] == 2_262
    loky = runs[1]
    assert loky["workers"] == 2 and loky["start_method"] == "spawn"
    assert loky["speedup"] is not None and loky["matches_sequential"] is True
    workers = {chunk["worker"] for chunk in loky["chunks"]}
    assert workers and all(isinstance(w, int) and w > 0 for w in workers)
    assert {"worker", "index", "items", "start_s", "end_s", "cpu_s"} <= set(loky["chunks"][0])
    assert leftovers(env) == []


def test_the_cli_table_names_loky(capfd, monkeypatch):
    # bench_main in this process (cli_helpers.in_process_bench): the loky workers are real
    # either way; the test above runs the installed script.
    bench_here = in_process_bench(capfd, monkeypatch)
    done = bench_here("--size", "5000", "--workers", "2", "--mode", "loky")
    assert done.returncode == 0, done.stderr
    assert any(line.split()[:1] == ["loky"] for line in done.stdout.splitlines())
