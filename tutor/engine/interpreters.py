"""Other Python interpreters on this machine: where to look, and what each one is.

Running the engine's benchmark under one of them: tutor.engine.interpreter_bench.

The engine and `mp-tutor bench` use only the standard library, so any CPython 3.11+ can run
them straight from this package's folder: `<python> -S -m tutor bench --json ...` with
PYTHONPATH pointing at the folder that holds `tutor/`. `-S` leaves that interpreter's own
site-packages out: nothing in it is needed, and nothing in it can interfere.

Finding interpreters starts a short probe of each candidate (version, implementation, whether
the build is free-threaded and whether the GIL is on), with a timeout, so a broken or hanging
binary is reported instead of waited on.
"""

from __future__ import annotations

import glob
import json
import os
import platform
import re
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from tutor.engine.cancel import CancelToken
from tutor.engine.machine import GilState, gil_state
from tutor.engine.modes import RunMode

MIN_VERSION = (3, 11)  # the engine's own floor
PROBE_TIMEOUT_S = 5.0
COMPARISON_MODES: tuple[str, ...] = (
    RunMode.THREADS,
    RunMode.PROCESSES,
)  # what Other Pythons compare

# Prints what the tutor needs to know; valid on Python 2.7 too, so an old one is named, not lost.
PROBE_CODE = (
    "import json, platform, sys, sysconfig\n"
    "gil = getattr(sys, '_is_gil_enabled', None)\n"
    "print(json.dumps({'version': platform.python_version(),"
    " 'version_info': list(sys.version_info[:3]),"
    " 'implementation': platform.python_implementation(),"
    " 'free_threaded': bool(sysconfig.get_config_var('Py_GIL_DISABLED')),"
    " 'gil_enabled': gil() if gil else None,"
    " 'executable': sys.executable}))\n"
)
_NAME = re.compile(r"^python3(\.\d+t?)?(\.exe)?$", re.IGNORECASE)
_VERSIONED_NAME = re.compile(r"^python3\.\d+t?(\.exe)?$", re.IGNORECASE)


@dataclass(frozen=True)
class InterpreterInfo:
    """One interpreter found on this machine and what its probe said about it."""

    path: str
    version: str = ""
    version_info: tuple[int, ...] = ()
    implementation: str = ""
    free_threaded: bool = False  # built without the GIL (python3.13t and later)
    gil_enabled: bool | None = None  # sys._is_gil_enabled() where it exists, else None
    is_current: bool = False  # the interpreter running the tutor
    error: str = ""  # why the probe failed

    @property
    def supported(self) -> bool:
        return not self.error and tuple(self.version_info[:2]) >= MIN_VERSION

    @property
    def gil_off(self) -> bool:
        return self.gil_enabled is False

    @property
    def short_label(self) -> str:
        """E.g. "3.12.1", "3.13.1t" (t: free-threaded build)."""
        suffix = "t" if self.free_threaded else ""
        return f"{self.version or '?'}{suffix}"

    @property
    def gil_text(self) -> str:
        if not self.free_threaded:
            return "GIL on"
        return "free-threaded, GIL off" if self.gil_off else "free-threaded, GIL back on"

    @property
    def label(self) -> str:
        """E.g. "Python 3.13.1t (free-threaded, GIL off) · this Python"."""
        name = "Python" if self.implementation in ("", "CPython") else self.implementation
        text = f"{name} {self.short_label} ({self.gil_text})"
        return f"{text} · this Python" if self.is_current else text

    @property
    def unsupported_reason(self) -> str:
        if self.error:
            return self.error
        if not self.supported:
            floor = ".".join(map(str, MIN_VERSION))
            return f"Python {self.version} is too old: the engine needs {floor} or newer"
        return ""


# --------------------------------------------------------------------------- discovery
def _home() -> Path:
    return Path(os.path.expanduser("~"))


def candidate_paths(path_env: str | None = None, home: Path | None = None) -> list[str]:
    """Executables worth probing: python3 / python3.X / python3.Xt on PATH and in usual places.

    pyenv's shims are skipped (they only forward to ~/.pyenv/versions, which is searched
    directly, and fail for versions that are not activated).
    """
    home = home or _home()
    path_env = os.environ.get("PATH", "") if path_env is None else path_env
    found: list[str] = []

    def add_dir(folder: str, pattern: re.Pattern[str]) -> None:
        if not folder or os.path.basename(folder.rstrip("/\\")) == "shims":
            return
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return
        for name in names:
            if pattern.match(name):
                full = os.path.join(folder, name)
                if os.path.isfile(full) and os.access(full, os.X_OK):
                    found.append(full)

    for folder in path_env.split(os.pathsep):
        add_dir(folder, _NAME)
    common = ["/usr/bin", "/usr/local/bin", "/opt/homebrew/bin", str(home / ".local" / "bin")]
    common += sorted(glob.glob(str(home / ".pyenv" / "versions" / "*" / "bin")))
    common += sorted(glob.glob(str(home / ".local" / "share" / "uv" / "python" / "*" / "bin")))
    common += sorted(glob.glob("/Library/Frameworks/Python.framework/Versions/*/bin"))
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA", "")
        common += sorted(glob.glob(os.path.join(local, "Programs", "Python", "Python3*")))
    for folder in common:
        add_dir(folder, _VERSIONED_NAME)
    return found


def probe(path: str, timeout: float = PROBE_TIMEOUT_S) -> InterpreterInfo:
    """Ask `path` what it is; an InterpreterInfo with `error` set when that fails."""
    try:
        completed = subprocess.run(
            [path, "-E", "-S", "-c", PROBE_CODE],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return InterpreterInfo(path, error=f"{path} did not answer within {timeout:g} s")
    except OSError as exc:
        return InterpreterInfo(path, error=f"{path} cannot run: {exc.strerror or exc}")
    if completed.returncode != 0:
        last = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return InterpreterInfo(path, error=f"{path} failed (exit {completed.returncode}): {last}")
    try:
        data = json.loads(completed.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return InterpreterInfo(path, error=f"{path} answered something unexpected")
    gil = data.get("gil_enabled")
    return InterpreterInfo(
        path=path,
        version=str(data.get("version", "")),
        version_info=tuple(int(v) for v in data.get("version_info", ())),
        implementation=str(data.get("implementation", "")),
        free_threaded=bool(data.get("free_threaded")),
        gil_enabled=None if gil is None else bool(gil),
        is_current=_same_file(path, sys.executable),
    )


def _real(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _real(a) == _real(b)


def current_interpreter() -> InterpreterInfo:
    """The running interpreter, described without a subprocess."""
    gil = gil_state()
    return InterpreterInfo(
        path=sys.executable,
        version=platform.python_version(),
        version_info=tuple(sys.version_info[:3]),
        implementation=platform.python_implementation(),
        free_threaded=bool(sysconfig.get_config_var("Py_GIL_DISABLED")),
        gil_enabled=None if gil is GilState.STANDARD else gil.enabled,
        is_current=True,
    )


def discover_interpreters(
    candidates: Iterable[str] | None = None,
    *,
    stop: CancelToken | None = None,
    timeout: float = PROBE_TIMEOUT_S,
    on_probed: Callable[[InterpreterInfo], None] | None = None,
) -> list[InterpreterInfo]:
    """Probe every candidate once (symlinks and copies of one binary count once).

    The running interpreter comes first (without a probe), then the others, newest first;
    unsupported ones (too old, broken) are included with their reason, last.
    """
    current = current_interpreter()
    seen = {_real(sys.executable)}
    found: list[InterpreterInfo] = []
    for path in candidate_paths() if candidates is None else candidates:
        if stop is not None and stop.cancelled:
            break
        real = _real(path)
        if real in seen:
            continue
        seen.add(real)
        info = probe(path, timeout)
        if info.is_current:
            continue
        found.append(info)
        if on_probed is not None:
            on_probed(info)
    # The same version twice (e.g. /usr/bin/python3 and /usr/bin/python3.11): keep the first.
    unique: dict[tuple, InterpreterInfo] = {}
    for info in found:
        key = (info.version, info.free_threaded, info.implementation) if info.version else info
        unique.setdefault(key, info)
    others = sorted(
        unique.values(),
        key=lambda i: (not i.supported, tuple(-v for v in i.version_info), not i.free_threaded),
    )
    return [current, *others]
