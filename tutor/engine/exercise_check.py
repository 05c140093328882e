"""Checks a learner's exercise program by running it: real script, real processes, spawn.

One check:
1. copies `exercise_bootstrap.py` (as `run_exercise.py`) and `exercise_probe.py` (as
   `sitecustomize.py`) into a private temporary folder, which goes first on PYTHONPATH;
2. starts `python -u run_exercise.py FILE` so that all its processes can be ended together
   (tutor.engine.process_tree), with spawn as the default start method (the bootstrap);
3. reads its stdout and stderr on two threads while the calling thread watches the time
   limit, a cancel token, and stderr for the bootstrapping-phase RuntimeError (with Pool, the
   workers then die and are replaced for ever, so waiting for the time limit would only waste
   the learner's cores);
4. ends the program and every process it started when it ends or overstays (nothing is left
   behind);
5. judges what happened: how the program ended, what it printed, and whether the probe
   recorded one of the learner's functions running in a multiprocessing child (the proof that
   the work ran in worker processes; how the probe knows is explained in exercise_probe).

A failed check names the first thing that went wrong, in the exercise's own words where the
exercise gives them (`CheckSpec.reasons`), else in the general words of `DEFAULT_REASONS`.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from tutor.engine import exercise_bootstrap, exercise_probe
from tutor.engine.cancel import LIMITS, CancelToken
from tutor.engine.exits import describe_exit
from tutor.engine.process_tree import ProgramTree, new_group_options

MAX_OUTPUT_CHARS = 100_000  # per stream: the tail is kept
BOOTSTRAP_MARK = b"bootstrapping phase"


class FailureKind(Enum):
    """Why a check failed; the values are the keys of an exercise's `[check.reasons]`."""

    BOOTSTRAP = "bootstrap"  # a worker re-ran code outside the `__main__` guard
    PICKLING = "pickling"  # a function or argument could not be pickled
    TIMEOUT = "timeout"  # still running at the time limit
    BROKEN_POOL = "broken_pool"  # BrokenProcessPool escaped
    RAISED = "raised"  # the program ended with an uncaught exception
    EXIT_CODE = "exit_code"  # a non-zero exit without a traceback
    WRONG_OUTPUT = "wrong_output"  # an expected value was not printed
    NO_WORKERS = "no_workers"  # the right output, but no worker process did the work
    CANCELLED = "cancelled"  # the check was cancelled (e.g. the window closed)


DEFAULT_REASONS: Mapping[FailureKind, str] = {
    FailureKind.BOOTSTRAP: (
        "a worker stopped with the bootstrapping-phase RuntimeError: code outside the "
        '`if __name__ == "__main__":` guard ran again in the worker and tried to start '
        "processes of its own"
    ),
    FailureKind.PICKLING: (
        "a function or value could not be pickled to be sent to a worker process "
        "(lambdas and nested functions have no importable name)"
    ),
    FailureKind.TIMEOUT: "the program was still running after the time limit, so it was stopped",
    FailureKind.BROKEN_POOL: "a worker process died and the pool broke (BrokenProcessPool)",
    FailureKind.RAISED: "the program stopped with an uncaught exception",
    FailureKind.EXIT_CODE: "the program exited with a non-zero exit code",
    FailureKind.WRONG_OUTPUT: "the program did not print the expected result",
    FailureKind.NO_WORKERS: (
        "the result is right, but none of your functions ran in a worker process: "
        "the work was done in the main process"
    ),
    FailureKind.CANCELLED: "the check was cancelled",
}


@dataclass(frozen=True)
class CheckSpec:
    """What a passing program does.

    must_print: texts that must each appear in the standard output (a number only counts when
        it is not part of a longer number: "5133" is not found in "51330");
    needs_workers: True when one of the program's own functions must run in a worker process;
    time_limit_s: seconds the program may run before it is stopped;
    reasons: the exercise's own words for a failure kind (else DEFAULT_REASONS).
    """

    must_print: tuple[str, ...]
    needs_workers: bool = True
    time_limit_s: float = 60.0
    reasons: Mapping[FailureKind, str] = field(default_factory=dict)

    def reason(self, kind: FailureKind) -> str:
        return self.reasons.get(kind) or DEFAULT_REASONS[kind]


@dataclass(frozen=True)
class CheckResult:
    """How one check went.

    failure is None exactly when the check passed; reason is one sentence ("" when passed);
    detail adds a fact such as the exception line or the time limit; worker_pids are the
    processes where the probe saw the learner's functions run; elapsed_s is wall seconds.
    """

    failure: FailureKind | None
    reason: str
    detail: str
    stdout: str
    stderr: str
    exit_code: int | None
    worker_pids: tuple[int, ...]
    elapsed_s: float

    @property
    def passed(self) -> bool:
        return self.failure is None

    def verdict_line(self) -> str:
        """One line starting `passed` or `failed:` (the CLI's contract)."""
        if self.passed:
            workers = len(self.worker_pids)
            where = f", work done in {workers} worker process{'es' if workers != 1 else ''}"
            return f"passed in {self.elapsed_s:.1f} s{where if workers else ''}"
        extra = f" ({self.detail})" if self.detail else ""
        return f"failed: {self.reason}{extra}"


def _printed(text: str, stdout: str) -> bool:
    start = r"(?<!\d)" if text[:1].isdigit() else ""
    end = r"(?!\d)" if text[-1:].isdigit() else ""
    return re.search(start + re.escape(text) + end, stdout) is not None


def _last_error_line(stderr: str) -> str:
    """The `Type: message` line that ends a traceback, or ""."""
    for line in reversed(stderr.strip().splitlines()):
        if line and not line.startswith(" ") and not line.startswith("Traceback"):
            return line.strip()[:300]
    return ""


class _Reader(threading.Thread):
    """Collects one pipe's bytes as they come, keeping at most the tail."""

    def __init__(self, stream) -> None:
        super().__init__(daemon=True)
        self._stream = stream
        self._lock = threading.Lock()
        self._data = bytearray()

    def run(self) -> None:
        fd = self._stream.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            with self._lock:
                self._data += chunk
                if len(self._data) > 4 * MAX_OUTPUT_CHARS:
                    del self._data[: -4 * MAX_OUTPUT_CHARS]
        self._stream.close()

    def contains(self, mark: bytes) -> bool:
        with self._lock:
            return mark in self._data

    def text(self) -> str:
        with self._lock:
            text = self._data.decode("utf-8", errors="replace")
        return text[-MAX_OUTPUT_CHARS:]


def _read_worker_pids(folder: Path) -> tuple[int, ...]:
    pids = []
    for path in folder.glob("*.json"):
        try:
            pids.append(int(json.loads(path.read_text(encoding="utf-8"))["pid"]))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return tuple(sorted(pids))


class CheckerUnavailable(RuntimeError):
    """The checker's own files cannot be set up here (e.g. a bundle without their sources)."""


def _prepare(folder: Path) -> Path:
    """Write the bootstrap and the probe into `folder`; return the bootstrap's path.

    Raises CheckerUnavailable when their source files cannot be copied.
    """
    bootstrap = folder / "run_exercise.py"
    try:
        shutil.copyfile(exercise_probe.__file__, folder / "sitecustomize.py")
        shutil.copyfile(exercise_bootstrap.__file__, bootstrap)
    except (OSError, TypeError) as exc:
        raise CheckerUnavailable(f"the checker's helper files are missing: {exc}") from exc
    (folder / "records").mkdir()
    return bootstrap


def _environment(folder: Path, program: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(folder), *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONUNBUFFERED"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env[exercise_probe.ENV_RECORDS_DIR] = str(folder / "records")
    env[exercise_probe.ENV_TARGET_FILE] = str(program)
    return env


MAX_PROGRAM_BYTES = 10_000_000  # far more than any exercise's program; /dev/zero never ends


def _check_readable(path: Path) -> None:
    """Raise OSError unless `path` is a regular file of at most MAX_PROGRAM_BYTES we can read.

    Reading a pipe blocks until a writer comes (for ever), and a device such as /dev/zero
    never ends: neither may be opened, whatever its name."""
    info = path.stat()  # missing: FileNotFoundError
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a folder, a device or a pipe)")
    if info.st_size > MAX_PROGRAM_BYTES:
        raise OSError(errno.EFBIG, f"larger than {MAX_PROGRAM_BYTES:,} bytes")
    with path.open("rb") as program:  # unreadable: PermissionError
        program.read(1)


def check_program(
    program: str | os.PathLike[str],
    spec: CheckSpec,
    cancel: CancelToken | None = None,
) -> CheckResult:
    """Run `program` under the checker and judge it against `spec`.

    Blocks for as long as the program runs (at most `spec.time_limit_s` seconds plus clean-up);
    setting `cancel` stops it early. Raises OSError when the program file cannot be read
    (before anything is started), CheckerUnavailable when the checker cannot be set up.
    """
    path = Path(program).resolve()
    _check_readable(path)  # OSError now, not a puzzling failure (or a hang) later
    with tempfile.TemporaryDirectory(prefix="mp-tutor-check-") as temp:
        folder = Path(temp)
        bootstrap = _prepare(folder)
        started = time.monotonic()
        stop = cancel if cancel is not None else CancelToken()
        process = subprocess.Popen(
            [sys.executable, "-u", str(bootstrap), str(path)],
            cwd=path.parent,
            env=_environment(folder, path),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            **new_group_options(),
        )
        tree = ProgramTree(process)
        out, err = _Reader(process.stdout), _Reader(process.stderr)
        out.start()
        err.start()
        timed_out = cancelled = bootstrap_error = False
        try:
            while process.poll() is None:
                tree.remember_descendants()  # without process groups: whom to end later
                if time.monotonic() - started > spec.time_limit_s:
                    timed_out = True
                    break
                if stop.cancelled:
                    cancelled = True
                    break
                if err.contains(BOOTSTRAP_MARK):
                    bootstrap_error = True
                    break
                stop.wait(LIMITS.poll.seconds)  # wakes at once on a cancel
        finally:
            tree.kill()  # the program's leftovers, or all of it when stopped early
            out.join(timeout=LIMITS.reader_join.seconds)
            err.join(timeout=LIMITS.reader_join.seconds)
        elapsed = time.monotonic() - started
        exit_code = None if (timed_out or cancelled or bootstrap_error) else process.returncode
        stdout, stderr = out.text(), err.text()
        worker_pids = _read_worker_pids(folder / "records")
    kind, detail = _judge(spec, stdout, stderr, exit_code, worker_pids, timed_out, cancelled)
    return CheckResult(
        failure=kind,
        reason="" if kind is None else spec.reason(kind),
        detail=detail,
        stdout=stdout,
        stderr=stderr,
        exit_code=exit_code,
        worker_pids=worker_pids,
        elapsed_s=elapsed,
    )


def _judge(
    spec: CheckSpec,
    stdout: str,
    stderr: str,
    exit_code: int | None,
    worker_pids: tuple[int, ...],
    timed_out: bool,
    cancelled: bool,
) -> tuple[FailureKind | None, str]:
    """The first thing that went wrong and a detail, or (None, "") when all is right."""
    if cancelled:
        return FailureKind.CANCELLED, ""
    if BOOTSTRAP_MARK.decode() in stderr:
        return FailureKind.BOOTSTRAP, "RuntimeError in the worker"
    if timed_out:
        return FailureKind.TIMEOUT, f"time limit {spec.time_limit_s:g} s"
    if exit_code != 0:
        if re.search(r"PicklingError|[Cc]an't pickle|cannot pickle", stderr):
            return FailureKind.PICKLING, _last_error_line(stderr)
        if "BrokenProcessPool" in stderr:
            return FailureKind.BROKEN_POOL, _last_error_line(stderr)
        if "Traceback (most recent call last)" in stderr:
            return FailureKind.RAISED, _last_error_line(stderr)
        if exit_code < 0 and sys.platform != "win32":  # "exit code -9" says less than this
            return FailureKind.EXIT_CODE, f"it {describe_exit(exit_code)}"
        return FailureKind.EXIT_CODE, f"exit code {exit_code}"
    missing = [text for text in spec.must_print if not _printed(text, stdout)]
    if missing:
        shown = ", ".join(repr(text) for text in missing)
        return FailureKind.WRONG_OUTPUT, f"expected {shown} in the output"
    if spec.needs_workers and not worker_pids:
        return FailureKind.NO_WORKERS, ""
    return None, ""
