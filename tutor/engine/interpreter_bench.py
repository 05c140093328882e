"""The engine's benchmark run under another Python interpreter, and its results read back.

The engine and `mp-tutor bench` use only the standard library, so any CPython 3.11+ can run
them straight from this package's folder: `<python> -S -m tutor bench --json ...` with
PYTHONPATH pointing at the folder that holds `tutor/`. `-S` leaves that interpreter's own
site-packages out: nothing in it is needed, and nothing in it can interfere. A bench is
cancelled along the ladder of tutor.engine.cancel: Ctrl+C first, killed after a grace period.
Which interpreters there are: tutor.engine.interpreters.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from tutor.engine.cancel import LIMITS, CancelToken
from tutor.engine.interpreters import COMPARISON_MODES
from tutor.engine.records import ChunkTiming, RunConfig, RunResult


def tutor_source_root() -> Path | None:
    """The folder holding the `tutor` package as plain files, or None (e.g. a frozen app)."""
    package = Path(__file__).resolve().parent.parent
    needed = [package / "__main__.py", package / "cli.py", package / "engine" / "runners.py"]
    return package.parent if all(p.is_file() for p in needed) else None


def bench_environment(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a bench under another interpreter: the tutor on its path, no more."""
    env = dict(os.environ if base is None else base)
    for name in ("PYTHONHOME", "PYTHONSTARTUP", "PYTHONEXECUTABLE", "__PYVENV_LAUNCHER__"):
        env.pop(name, None)
    env["PYTHONPATH"] = str(root)
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # don't leave another version's .pyc in the package
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    # The bench ends by itself if this process is killed (tutor.cli_io.follow_parent).
    env["MP_TUTOR_PARENT_PID"] = str(os.getpid())
    return env


def bench_command(python: str, config: RunConfig, modes: Sequence[str]) -> list[str]:
    """`python -S -m tutor bench --json ...` for `config` in each of `modes`."""
    command = [
        python,
        "-S",
        "-m",
        "tutor",
        "bench",
        "--json",
        "--workload",
        config.workload,
        "--size",
        str(config.size),
        "--mode",
        ",".join(modes),
        "--workers",
        str(config.workers),
        "--start-method",
        config.start_method,
    ]
    if config.chunks is not None:
        command += ["--chunks", str(config.chunks)]
    if config.function:
        command += ["--function", config.function]
    return command


def comparison_steps(
    config: RunConfig, max_workers: int, modes: Sequence[str] = COMPARISON_MODES
) -> list[tuple[RunConfig, tuple[str, ...]]]:
    """One bench call per worker count, 1 … max_workers; the first also runs sequentially."""
    steps = []
    for workers in range(1, max_workers + 1):
        wanted = ("sequential", *modes) if workers == 1 else tuple(modes)
        steps.append((replace(config, workers=workers), wanted))
    return steps


def result_from_json(data: dict) -> RunResult:
    """A RunResult back from `RunResult.to_json()` (the baseline is attached separately)."""
    config = RunConfig(
        workload=data["workload"],
        size=int(data["size"]),
        mode=data["mode"],
        workers=int(data["workers"]),
        start_method=data.get("start_method", "spawn"),
        function=data.get("function"),
    )
    chunks = tuple(
        ChunkTiming(
            int(c["worker"]),
            int(c.get("thread", c["worker"])),
            int(c["index"]),
            int(c["items"]),
            float(c["start_s"]),
            float(c["end_s"]),
            float(c["cpu_s"]),
            received_s=c.get("received_s"),
            arrived_s=c.get("arrived_s"),
        )
        for c in data.get("chunks", ())
    )
    return RunResult(
        config=config,
        answer=data["result"],
        wall_s=float(data["wall_s"]),
        startup_s=float(data["startup_s"]),
        compute_s=float(data["compute_s"]),
        chunks=chunks,
        chunk_count=int(data.get("chunk_count", len(chunks))),
        python=str(data.get("python", "")),
        gil_enabled=data.get("gil_enabled"),
    )


def parse_bench_output(text: str) -> list[RunResult]:
    """`bench --json` prints one object for one mode, a list for several."""
    data = json.loads(text)
    items = data if isinstance(data, list) else [data]
    return [result_from_json(item) for item in items]


class BenchFailed(Exception):
    """The bench under another interpreter failed; the message says why."""


class BenchProcess:
    """`bench --json` under one interpreter in a child process; cancellable from any thread."""

    def __init__(self, python: str, config: RunConfig, modes: Sequence[str]) -> None:
        root = tutor_source_root()
        if root is None:
            raise BenchFailed(
                "this copy of the tutor is bundled as one program; running the engine under "
                "another Python needs the tutor installed from source or as a wheel"
            )
        self.command = bench_command(python, config, modes)
        self._root = root
        self._process: subprocess.Popen[str] | None = None
        self._cancel = CancelToken()

    def cancel(self) -> None:
        self._cancel.cancel()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def run(self, timeout: float | None = None) -> list[RunResult]:
        """Run to the end; RunCancelled, BenchFailed or the parsed results."""
        self._cancel.raise_if_cancelled()
        try:
            process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                cwd=str(self._root),
                env=bench_environment(self._root),
            )
        except OSError as exc:
            raise BenchFailed(f"cannot start {self.command[0]}: {exc}") from exc
        self._process = process
        waited = 0.0
        stop_sent = False
        try:
            while True:
                try:
                    out, err = process.communicate(timeout=LIMITS.bench_poll.seconds)
                    break
                except subprocess.TimeoutExpired:
                    waited += LIMITS.bench_poll.seconds
                if self._cancel.cancelled and not stop_sent:
                    self._interrupt(process)
                    stop_sent = True
                    waited = 0.0
                elif stop_sent and waited > LIMITS.bench_grace.seconds:
                    process.kill()
                elif timeout is not None and waited > timeout and not stop_sent:
                    self._interrupt(process)
                    stop_sent = True
                    waited = 0.0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        self._cancel.raise_if_cancelled()
        if process.returncode != 0:
            lines = [line for line in err.strip().splitlines() if line.strip()]
            reason = lines[0] if lines else f"exit code {process.returncode}"
            if stop_sent:
                reason = f"took longer than {timeout:g} s and was stopped"
            raise BenchFailed(f"{self.command[0]}: {reason}")
        try:
            return parse_bench_output(out)
        except (ValueError, KeyError, TypeError) as exc:
            raise BenchFailed(f"{self.command[0]} printed no readable results: {exc}") from exc

    @staticmethod
    def _interrupt(process: subprocess.Popen[str]) -> None:
        """Like Ctrl+C: bench cancels its run and stops its workers itself."""
        try:
            if sys.platform == "win32":
                process.terminate()  # the workers leave when they see their parent gone
            else:
                process.send_signal(signal.SIGINT)
        except OSError:
            pass


def with_baselines(results: Sequence[RunResult], baseline: RunResult | None) -> list[RunResult]:
    """Attach the sequential baseline (the one in `results`, else `baseline`) to each result."""
    for result in results:
        if result.config.mode == "sequential":
            baseline = result
    if baseline is None:
        return list(results)
    return [r.with_baseline(baseline) for r in results]
