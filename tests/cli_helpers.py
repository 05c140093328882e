"""Running `mp-tutor bench` through the installed script, and checking what it leaves behind."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from process_checks import wait_no_children

from tutor import cli

TESTS = Path(__file__).resolve().parent
SCRIPT = Path(sys.executable).parent / "mp-tutor"
FIXTURES = TESTS / "engine" / "fixtures"


MARK_VARIABLE = "MP_TUTOR_TEST_RUN"  # every process a CLI run starts inherits it


def bench_env(**extra: str) -> dict[str, str]:
    """The environment of one CLI run: the fixtures importable, and a mark of its own."""
    return {**os.environ, "PYTHONPATH": str(FIXTURES), MARK_VARIABLE: uuid.uuid4().hex, **extra}


def marked(env: dict[str, str]) -> list[psutil.Process]:
    """Every live process (anywhere, orphans included) started under `env`'s mark."""
    found = []
    for process in psutil.process_iter():
        if process.pid == os.getpid():  # an in-process run sets the mark here too: never this
            continue
        try:
            if process.environ().get(MARK_VARIABLE) == env[MARK_VARIABLE] and not gone(process):
                found.append(process)
        except psutil.Error:
            pass
    return found


def leftovers(env: dict[str, str], timeout: float = 10.0) -> list[str]:
    """Processes of the run with `env` still alive after `timeout` (killed, then described).

    multiprocessing's resource tracker leaves a moment after its parent: it gets the wait.
    """
    processes = marked(env)
    psutil.wait_procs(processes, timeout=timeout)
    described = []
    for process in marked(env):
        try:
            described.append(f"{process.pid}: {' '.join(process.cmdline())}")
            process.kill()
        except psutil.Error:
            pass
    return described


def bench(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """`mp-tutor bench ARGS` to the end; stdout and stderr as text."""
    return subprocess.run(
        [str(SCRIPT), "bench", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or bench_env(),
        cwd=cwd,
    )


def in_process_bench(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., subprocess.CompletedProcess]:
    """A `bench(*args)` that runs `mp-tutor bench ARGS` in this process, for a fixture.

    `bench_main` is what the installed script calls, and its runs still start their real worker
    and helper processes; only the Python start-up of the script (more than many of the runs
    themselves cost) is left out. `capfd` (not capsys) catches what the child processes write
    to the inherited stdout and stderr too, as the script's caller would see it. Every call also
    checks that no child process is left behind.
    Each test file keeps at least one test through the installed script itself.
    """
    monkeypatch.syspath_prepend(str(FIXTURES))  # what PYTHONPATH gives the script's runs

    def run(*args: str) -> subprocess.CompletedProcess:
        returncode = cli.bench_main(list(args))
        out, err = capfd.readouterr()
        assert wait_no_children() == [], "the run left child processes behind"
        return subprocess.CompletedProcess(["mp-tutor", "bench", *args], returncode, out, err)

    return run


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def left_running(processes: list[psutil.Process], timeout: float = 10.0) -> list[int]:
    """Pids of `processes` still running after waiting up to `timeout` for them to end."""
    psutil.wait_procs([p for p in processes if not gone(p)], timeout=timeout)
    return [p.pid for p in processes if not gone(p)]
