"""`mp-tutor bench --function`: a learner's code that crashes, hangs or misbehaves at import is
reported, and never takes the CLI down or leaves a process behind (#14)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from multiprocessing import resource_tracker
from pathlib import Path

import psutil
import pytest
from cli_helpers import (
    MARK_VARIABLE,
    SCRIPT,
    bench,
    bench_env,
    descendants,
    in_process_bench,
    leftovers,
)
from process_checks import spawned_workers

pytestmark = [
    pytest.mark.skipif(not SCRIPT.exists(), reason="mp-tutor is not installed"),
    pytest.mark.timeout(120),
]
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


@pytest.fixture
def bench_here(capfd, monkeypatch):
    """`mp-tutor bench --function FUNCTION --size 10 --workers 2 ARGS` in this process.

    The learner's code runs only in the run's helper and worker processes, never in the CLI's
    own (cli.bench_main), so what these tests check (the exit code, the one line, no process
    left) does not depend on the script's own interpreter start-up, which cost more than many
    of the runs (cli_helpers.in_process_bench). The run's processes still carry a mark of
    their own, so a leftover anywhere (an orphan too) is found as through the script.
    The Qt-window test and every Ctrl+C, SIGTERM and kill -9 test go through the script.
    """
    run = in_process_bench(capfd, monkeypatch)
    # This process's own resource tracker lives as long as it does: started before the mark
    # is set, it is no process of the run's (the script's run would take its own along).
    resource_tracker.ensure_running()

    def run_function(function: str, *args: str, **extra_env: str):
        env = bench_env(**extra_env)
        for name in (MARK_VARIABLE, *extra_env):
            monkeypatch.setenv(name, env[name])  # what the script's environment gives its runs
        done = run("--function", function, "--size", "10", "--workers", "2", *args)
        assert leftovers(env) == []
        return done

    return run_function


@posix_only
@pytest.mark.parametrize(
    ("function", "mode", "how"),
    [
        ("segfault", "sequential", "killed by signal 11 (segmentation fault)"),
        ("segfault", "threads", "killed by signal 11 (segmentation fault)"),
        ("segfault", "asyncio", "killed by signal 11 (segmentation fault)"),
        ("abort", "threads", "killed by signal 6 (aborted)"),
        ("bus_error", "sequential", "killed by signal 7 (bus error)"),
        ("exits_quietly", "sequential", "exited with code 0 before finishing"),
        ("exits_quietly", "asyncio", "exited with code 0 before finishing"),
    ],
)
def test_a_crash_in_the_function_is_exit_1_naming_how(function, mode, how, bench_here):
    done = bench_here(f"learner_crashes:{function}", "--mode", mode)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    first = done.stderr.splitlines()[0]
    assert first.startswith("mp-tutor bench: run failed: ")
    assert how in first
    assert "(exit code" not in first  # said once: "exited with code 0 (exit code 0)" twice


@posix_only
def test_a_module_that_opens_a_qt_window_without_a_display_is_reported():
    env = {k: v for k, v in bench_env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    done = bench("--function", "import_qt:work", "--size", "10", "--mode", "sequential", env=env)
    assert leftovers(env) == []
    assert done.returncode == 1
    assert "killed by signal 6 (aborted)" in done.stderr


@pytest.mark.parametrize(
    ("module", "says"),
    [
        ("import_starts_pool", "import_starts_pool starts a process while it is being imported"),
        ("import_starts_process_quietly", "starts a process while it is being imported"),
        ("import_exits", "SystemExit: 3"),
        ("import_interrupted", "KeyboardInterrupt"),
        ("import_unprintable", "Unprintable: <its message could not be shown"),
    ],
)
@pytest.mark.parametrize("mode", ["sequential", "processes"])
def test_trouble_at_import_is_one_clear_line_and_exit_2(module, says, mode, bench_here):
    done = bench_here(f"{module}:work", "--mode", mode)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith(f"mp-tutor bench: error: function: cannot import module '{module}'")
    assert says in lines[0]
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("function", "stopped"),
    [
        ("import_never_ends:work", "time limit exceeded while importing import_never_ends:work"),
        ("learner_crashes:spins", "time limit exceeded: sequential was still running after 2 s"),
    ],
)
def test_code_that_never_ends_is_stopped_by_the_time_limit(function, stopped, bench_here):
    """A module whose import never ends (or a work() that never returns) used to hang the
    command line until Ctrl+C, though the README promised the time limit stops it."""
    done = bench_here(function, "--mode", "sequential", "--time-limit", "2")
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    assert stopped in done.stderr
    assert "--time-limit" in done.stderr  # how to give it longer


def test_a_function_run_has_a_time_limit_by_default(monkeypatch):
    from tutor.cli import DEFAULT_FUNCTION_TIME_LIMIT_S, parse_configs

    monkeypatch.chdir(Path(__file__).parent / "engine" / "fixtures")  # the module's folder
    configs, _ = parse_configs(["--function", "learner_values:huge_int", "--mode", "threads"])
    assert [c.time_limit_s for c in configs] == [DEFAULT_FUNCTION_TIME_LIMIT_S]
    configs, _ = parse_configs(["--function", "learner_values:huge_int", "--time-limit", "7.5"])
    assert [c.time_limit_s for c in configs] == [7.5]


def test_a_pool_at_import_names_the_line_and_the_main_guard(bench_here):
    done = bench_here("import_starts_pool:work", "--mode", "executor")
    assert "at line 10 (`pool = Pool(2)" in done.stderr
    assert 'if __name__ == "__main__":' in done.stderr


def test_a_non_daemon_thread_at_import_does_not_hold_up_any_mode(bench_here):
    done = bench_here(
        "import_thread:work", "--mode", "sequential,threads,processes,executor,asyncio"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()  # a busy machine adds `warning:` lines under noisy runs
    assert len([line for line in lines if not line.startswith("warning:")]) == 3 + 5
    assert "Exception in thread" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("mode", ["sequential", "processes"])
def test_a_megabyte_message_is_shortened(mode, bench_here):
    done = bench_here("learner_crashes:huge_message", "--mode", mode)
    assert done.returncode == 1
    first = done.stderr.splitlines()[0]
    assert "raised ValueError: xxx" in first and len(first) < 500
    assert len(done.stderr) < 50_000  # the traceback is a capped copy
    assert "characters left out" in done.stderr


def test_print_in_work_goes_to_stderr_and_leaves_json_clean(bench_here):
    done = bench_here("learner_crashes:prints", "--mode", "sequential,processes", "--json")
    assert done.returncode == 0, done.stderr
    assert "says hello" not in done.stdout
    assert "work(3) says hello" in done.stderr
    assert '"result": 45' in done.stdout


# --- Ctrl+C and kill while the learner's code spins --------------------------------------------


def _start(function: str, mode: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(SCRIPT), "bench", "--function", function, "--size", "10", "--mode", mode,
         "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as in a terminal
    )  # fmt: skip


def _wait_until_computing(cli: subprocess.Popen, started: Path) -> None:
    """Until the learner's function has begun (it writes `started` just before its loop)."""
    deadline = time.monotonic() + 60
    while not (started.exists() and started.read_text().strip()):
        assert cli.poll() is None, cli.communicate()
        assert time.monotonic() < deadline, "the run never got going"
        time.sleep(0.05)


@posix_only
@pytest.mark.parametrize(
    ("mode", "how"),
    [
        ("sequential", "ctrl-c"),
        ("threads", "ctrl-c"),
        ("asyncio", "ctrl-c"),
        ("processes", "ctrl-c"),
        ("sequential", "sigterm"),
        ("threads", "sigterm"),
    ],
)
def test_an_endless_loop_is_cancelled_by_ctrl_c_or_sigterm(mode, how, tmp_path):
    started = tmp_path / "started"
    env = bench_env(LEARNER_STARTED_FILE=str(started))
    cli = _start("learner_crashes:spins", mode, env)
    try:
        _wait_until_computing(cli, started)
        if how == "ctrl-c":
            os.killpg(cli.pid, signal.SIGINT)  # Ctrl+C reaches the whole group
        else:
            cli.send_signal(signal.SIGTERM)  # `kill PID` reaches the CLI alone
        stdout, stderr = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait(5)
    assert cli.returncode == 130, stderr
    assert stderr.splitlines()[0] == "mp-tutor bench: cancelled"
    assert "Traceback" not in stderr
    assert stdout == ""
    assert leftovers(env) == []


@posix_only
@pytest.mark.parametrize("function", ["starts_sleeper", "starts_own_pool"])
def test_cancel_ends_the_learners_own_children_too(function, tmp_path):
    pid_file = tmp_path / "children"
    env = bench_env(LEARNER_CHILD_PID_FILE=str(pid_file))
    cli = _start(f"learner_crashes:{function}", "sequential", env)
    try:
        deadline = time.monotonic() + 60
        while not (pid_file.exists() and pid_file.read_text().strip()):
            assert cli.poll() is None, cli.communicate()
            assert time.monotonic() < deadline, "the learner's children never started"
            time.sleep(0.05)
        children = [psutil.Process(int(pid)) for pid in pid_file.read_text().split()]
        os.killpg(cli.pid, signal.SIGINT)
        cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            os.killpg(cli.pid, signal.SIGKILL)
            cli.wait(5)
    assert cli.returncode == 130
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert leftovers(env) == []


# --- the CLI itself killed -----------------------------------------------------------------------


def _spawned_workers(pid: int) -> list[psutil.Process]:
    return spawned_workers(descendants(pid))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
@pytest.mark.parametrize("mode", ["processes", "sequential"])
def test_kill_9_of_the_cli_ends_a_worker_inside_a_long_c_call(mode, tmp_path):
    """sum(range(2 * 10**9)) holds the GIL for minutes: only the parent-death signal ends it."""
    started = tmp_path / "started"
    env = bench_env(LEARNER_STARTED_FILE=str(started))
    cli = _start("learner_crashes:long_c_call", mode, env)
    try:
        # Until the process with item 0 has entered the C call (it says so just before), and
        # that process is one of the CLI's spawned workers.
        _wait_until_computing(cli, started)
        pid = int(started.read_text().split()[0])
        assert pid in [p.pid for p in _spawned_workers(cli.pid)]
        cli.kill()
        cli.communicate(timeout=30)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait(5)
    # Generous, yet far less than the call's own minutes on a busy machine.
    assert leftovers(env, timeout=15) == []


def test_a_bench_started_by_the_window_ends_when_the_window_is_killed():
    """The *Other Pythons* comparison: its bench notices its parent is gone, kill -9 or not."""
    env = bench_env()
    parent_code = (
        "import subprocess, sys\n"
        "from tutor.engine.interpreter_bench import bench_environment, tutor_source_root\n"
        "env = bench_environment(tutor_source_root())\n"
        "child = subprocess.Popen([sys.executable, '-m', 'tutor', 'bench', '--workload',"
        " 'primes', '--size', '100000000', '--mode', 'sequential'], env=env,"
        " stdout=subprocess.DEVNULL)\n"
        "print(child.pid, flush=True)\n"
        "child.wait()\n"
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", parent_code], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        bench_pid = int(parent.stdout.readline())
        bench_process = psutil.Process(bench_pid)
        deadline = time.monotonic() + 60
        while bench_process.cpu_times().user < 0.5:  # computing, not starting up
            assert time.monotonic() < deadline, "the bench never got going"
            time.sleep(0.05)
        parent.kill()
        parent.wait(30)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(5)
    assert leftovers(env, timeout=30) == []
