"""The engine, the CLI and the window with only `spawn` and no POSIX-only calls, as on Windows.

Each test runs a real Python whose start-up loads tests/windows_like/sitecustomize.py, so the
program, its helper processes and every spawned worker see the same Windows-like world.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psutil
import pytest
from process_checks import end_leftovers, wait_no_children

SITE = Path(__file__).with_name("windows_like")
MODES = ("sequential", "threads", "processes", "executor", "asyncio")


@pytest.fixture
def windows_like_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SITE), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run_python(
    env: dict[str, str], *args: str, timeout: float = 150
) -> subprocess.CompletedProcess:
    """Run this Python with `args` and wait for it (not for its children: the output goes to
    files, so a process it left behind cannot hold a pipe open and hang the test). One still
    running after `timeout` s (under pytest-timeout's 180 s) fails the test with its output so
    far and every process of its tree, which are ended."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen([sys.executable, *args], env=env, stdout=out, stderr=err)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            tree = [psutil.Process(process.pid)]
            with contextlib.suppress(psutil.Error):
                tree += tree[0].children(recursive=True)
            left = end_leftovers(tree)
            out.seek(0)
            err.seek(0)
            pytest.fail(
                f"still running after {timeout:.0f} s: {left}\nstdout: {out.read()[-2000:]}"
                f"\nstderr: {err.read()[-4000:]}"
            )
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(process.args, process.returncode, out.read(), err.read())


def test_the_windows_like_world_reaches_spawned_children(windows_like_env, tmp_path):
    code = (
        "import multiprocessing as mp, os\n"
        "def facts(_):\n"
        "    return [mp.get_all_start_methods(), hasattr(os, 'killpg'), hasattr(os, 'fork')]\n"
        "if __name__ == '__main__':\n"
        "    with mp.Pool(1) as pool:\n"
        "        child = pool.map(facts, [0])[0]\n"
        "    print([facts(0), child, mp.get_start_method()])\n"
    )
    script = tmp_path / "facts.py"  # a file: spawned children re-import the main module
    script.write_text(code)
    done = run_python(windows_like_env, str(script), timeout=120)
    assert done.returncode == 0, done.stderr
    parent, child, default = eval(done.stdout)  # a printed list of plain values
    assert parent == child == [["spawn"], False, False]
    assert default == "spawn"


def test_the_cli_runs_every_mode(windows_like_env):
    done = run_python(
        windows_like_env, "-m", "tutor", "bench", "--size", "20000", "--workers", "2",
        "--mode", ",".join(MODES), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    runs = json.loads(done.stdout)
    assert [r["mode"] for r in runs] == list(MODES)
    assert all(r["result"] == 2262 and r["start_method"] == "spawn" for r in runs)
    assert wait_no_children() == []


@pytest.mark.parametrize("method", ["fork", "forkserver"])
def test_the_cli_refuses_a_start_method_this_system_lacks(windows_like_env, method):
    done = run_python(windows_like_env, "-m", "tutor", "bench", "--start-method", method)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"mp-tutor bench: error: start_method: {method!r} is not available here; "
        "choose one of spawn"
    ]


def test_the_window_runs_two_processes(windows_like_env, tmp_path):
    windows_like_env["MP_TUTOR_CONFIG_DIR"] = str(tmp_path)
    done = run_python(windows_like_env, "-m", "tutor", "--smoke-test")
    assert done.returncode == 0, done.stderr
    assert "matches the sequential answer" in done.stdout
    assert wait_no_children() == []


def test_the_window_offers_spawn_and_stops_an_examples_whole_tree(windows_like_env, tmp_path):
    windows_like_env["MP_TUTOR_CONFIG_DIR"] = str(tmp_path)
    done = run_python(windows_like_env, str(SITE / "check_window.py"))
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    assert facts["start_methods"] == ["spawn"]
    assert facts["pool_started"] and facts["processes_seen"] >= 3  # example + 2 workers
    assert facts["stopped"]
    assert facts["left"] == []
    assert wait_no_children() == []
