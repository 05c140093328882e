"""`mp-tutor bench`: table, JSON, errors, failures and Ctrl+C (through the installed script, or
its `bench_main` in this process where the script adds nothing to what is checked)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from cli_helpers import in_process_bench
from process_checks import spawned_workers

from tutor import cli

ROOT = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).parent / "mp-tutor"
FIXTURES = ROOT / "engine" / "fixtures"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed")


def bench(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(FIXTURES)}
    return subprocess.run(
        [str(SCRIPT), "bench", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


@pytest.fixture
def bench_here(capfd, monkeypatch):
    """`mp-tutor bench ARGS` in this process, real child processes still doing the work: see
    cli_helpers.in_process_bench. test_table_output, the help, bad-argument, smoke-option and
    Ctrl+C tests go through the installed script itself."""
    return in_process_bench(capfd, monkeypatch)


def test_table_output():
    done = bench(
        "--workload", "primes", "--size", "100000", "--mode", "processes", "--workers", "2"
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    header, table = done.stdout.split("\n", 1)
    assert "primes N=100,000" in header and "spawn" in header
    assert "9,592" in table
    assert "processes" in table
    assert "Traceback" not in done.stdout


def test_json_output(bench_here):
    done = bench_here("--size", "100000", "--mode", "processes", "--workers", "2", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    assert data["workload"] == "primes"
    assert data["size"] == 100_000
    assert data["mode"] == "processes"
    assert data["workers"] == 2
    assert data["start_method"] == "spawn"
    assert data["result"] == 9_592
    for field in ("wall_s", "startup_s", "compute_s"):
        assert isinstance(data[field], float) and data[field] >= 0
    assert data["startup_s"] + data["compute_s"] <= data["wall_s"] + 1e-6
    chunks = data["chunks"]
    assert len(chunks) == data["chunk_count"]
    for chunk in chunks:
        assert {"worker", "index", "items", "start_s", "end_s", "cpu_s"} <= set(chunk)
        assert chunk["start_s"] <= chunk["end_s"]
    assert sorted(c["index"] for c in chunks) == list(range(len(chunks)))
    assert sum(c["items"] for c in chunks) == 100_001
    assert len({c["worker"] for c in chunks}) <= 2


def test_a_mode_list_compares_with_sequential(bench_here):
    done = bench_here(
        "--workload", "squares", "--size", "300000", "--mode", "threads,sequential,processes",
        "--workers", "2", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [d["mode"] for d in data] == ["sequential", "threads", "processes"]
    expected = 299_999 * 300_000 * 599_999 // 6
    assert all(d["result"] == expected for d in data)
    sequential = data[0]
    for d in data:
        assert d["speedup"] == pytest.approx(sequential["wall_s"] / d["wall_s"])
        assert d["matches_sequential"] is True
    assert data[2]["efficiency"] == pytest.approx(data[2]["speedup"] / 2)


def test_the_hashing_workload_agrees_across_modes(bench_here):
    done = bench_here(
        "--workload", "hashing", "--size", "640", "--mode", "sequential,threads,processes",
        "--workers", "2", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [d["mode"] for d in data] == ["sequential", "threads", "processes"]
    results = {d["result"] for d in data}
    assert len(results) == 1 and 0 < results.pop() < 640
    assert all(d["matches_sequential"] is True for d in data)
    assert "hashing" in cli.build_parser().format_help()


def test_a_mode_list_as_a_table_shows_speedup_and_efficiency(bench_here):
    done = bench_here("--size", "50000", "--mode", "sequential,threads,executor", "--workers", "2")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "speedup" in lines[1] and "eff." in lines[1]
    # A busy machine adds `warning:` lines under noisy runs (tested on their own).
    rows = [line for line in lines[3:] if not line.startswith("warning:")]
    assert [row.split()[0] for row in rows] == ["sequential", "threads", "executor"]
    assert all("×" in row and "%" in row and "✓" in row for row in rows)


def test_custom_function(bench_here):
    done = bench_here(
        "--function", "engine_work:triple", "--size", "1000", "--mode", "executor", "--json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["workload"] == "custom"
    assert data["function"] == "engine_work:triple"
    assert data["result"] == 3 * 999 * 1000 // 2


@pytest.mark.parametrize(
    ("args", "names"),
    [
        (["--workers", "0"], "workers"),
        (["--workers", "513"], "workers"),
        (["--workers", "two"], "--workers"),
        (["--size", "-1"], "size"),
        (["--size", "100000001"], "size"),
        (["--size", "lots"], "--size"),
        (["--mode", "gpu"], "mode"),
        (["--mode", "threads,gpu"], "gpu"),
        (["--mode", ","], "mode"),
        (["--workload", "cubes"], "workload"),
        (["--start-method", "teleport"], "start_method"),
        (["--chunks", "0"], "chunks"),
        (["--workload", "custom"], "function"),
        (["--function", "nocolon"], "function"),
        (["--function", "no_such_module_xyz:f"], "function"),
        (["--function", "engine_work:missing"], "function"),
        # A function with a named built-in workload is refused, however the flag is spelled.
        (["--workload=primes", "--function", "engine_work:triple"], "only the 'custom'"),
        (["--workload", "squares", "--function", "engine_work:triple"], "only the 'custom'"),
        (["--bogus-flag"], "--bogus-flag"),
        # Modes split by spaces, as a learner first types them: the error shows the fix.
        (["--mode", "sequential", "threads"], "comma-separated: --mode sequential,threads"),
        (["--mode=threads", "processes", "--size", "9"], "--mode threads,processes"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(args, names, capsys, monkeypatch):
    # In this process (bench_main is what the script calls): a Python start-up per case costs
    # more than the check itself. The next test runs two cases through the installed script.
    monkeypatch.syspath_prepend(str(FIXTURES))
    returncode = cli.bench_main(args)
    out, err = capsys.readouterr()
    assert returncode == 2, (out, err)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mp-tutor bench: error: ")
    assert names in lines[0]
    assert "Traceback" not in err


def test_mode_help_says_modes_are_comma_separated():
    done = bench("--help", timeout=30)
    assert done.returncode == 0, done.stderr
    help_text = " ".join(done.stdout.split())  # argparse wraps lines
    assert "comma-separated (e.g. --mode sequential,threads)" in help_text


def test_an_extra_word_that_is_no_mode_gets_no_mode_hint(capsys):
    assert cli.bench_main(["--mode", "sequential", "bogus"]) == 2
    err = capsys.readouterr().err
    assert "unrecognized arguments: bogus" in err and "comma-separated" not in err


@pytest.mark.parametrize(
    ("args", "names"),
    [(["--workers", "two"], "--workers"), (["--function", "engine_work:missing"], "function")],
)
def test_a_bad_argument_through_the_script_exits_2_with_one_line(args, names):
    """The same as above through the installed script: nothing else reaches stderr."""
    done = bench(*args, timeout=30)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("mp-tutor bench: error: ")
    assert names in lines[0]
    assert "Traceback" not in done.stderr


def test_a_raising_worker_exits_1_with_its_traceback(bench_here):
    done = bench_here(
        "--function", "engine_work:raises_on_seven", "--size", "1000", "--mode", "processes",
        "--workers", "2",
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout == ""
    first, *rest = done.stderr.splitlines()
    assert first.startswith("mp-tutor bench: run failed: ")
    assert "ArithmeticError: seven is not allowed here" in first
    trace = "\n".join(rest)
    assert "Traceback" in trace and "raises_on_seven" in trace


@pytest.mark.timeout(60)
def test_a_dying_worker_exits_1_naming_it(bench_here):
    done = bench_here(
        "--function", "engine_work:exits_on_seven", "--size", "1000", "--mode", "executor"
    )
    assert done.returncode == 1
    assert "exit code 3" in done.stderr
    assert "Traceback" not in done.stderr


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.timeout(60)
@pytest.mark.parametrize("mode", ["sequential", "threads", "processes", "executor"])
def test_ctrl_c_cancels_cleanly(mode):
    env = {**os.environ, "PYTHONPATH": str(FIXTURES)}
    cli = subprocess.Popen(
        [str(SCRIPT), "bench", "--size", "50000000", "--mode", mode, "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as in a terminal
    )
    try:
        watched = psutil.Process(cli.pid)
        deadline = time.monotonic() + 30
        # Wait until the run computes: its workers (or the CLI itself) have used CPU.
        while True:
            assert cli.poll() is None, cli.communicate()
            assert time.monotonic() < deadline, "the run never got going"
            workers = spawned_workers(_descendants(cli.pid))
            if mode in ("processes", "executor"):
                if len(workers) == 2 and all(w.cpu_times().user > 0.1 for w in workers):
                    break
            elif watched.cpu_times().user > 0.5:
                break
            time.sleep(0.05)
        everything = _descendants(cli.pid)
        os.killpg(cli.pid, signal.SIGINT)  # Ctrl+C reaches the whole group
        stdout, stderr = cli.communicate(timeout=10)
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait(5)
    assert cli.returncode == 130, stderr
    assert stderr.strip() == "mp-tutor bench: cancelled"
    assert "Traceback" not in stderr
    assert stdout == ""
    assert all(_gone(w) for w in workers)  # joined before the CLI exited
    # multiprocessing's resource tracker leaves once the CLI has gone: allow it a moment.
    psutil.wait_procs([p for p in everything if not _gone(p)], timeout=5)
    assert all(_gone(p) for p in everything), [p.pid for p in everything if not _gone(p)]


@pytest.mark.parametrize(
    ("args", "flag"), [(["--screenshot", "shot.png"], "--screenshot"), (["--no-run"], "--no-run")]
)
def test_a_smoke_test_option_alone_is_a_usage_error(args, flag, tmp_path):
    # Without --smoke-test these did nothing and the window opened as if they were not given.
    done = subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 2, (done.stdout, done.stderr)
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"mp-tutor: error: {flag}") and "--smoke-test" in last
    assert not (tmp_path / "shot.png").exists()
