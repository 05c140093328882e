"""The run modes: one `ModeSpec` per mode, keyed by `RunMode`. The only list of modes.

Every list of modes, every mode's title and unit, every "does it use processes" test, the CLI's
`--mode` choices and the lesson links' whitelist come from `SPECS`. Adding a mode means one
spec here, one runner module, and one style entry in the UI's chart styles
(docs/architecture.md, "Add a run mode").

Stdlib only and importable under `python -S` (Other Pythons run the engine that way): a mode's
runner and its optional library are imported only when that mode runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class RunMode(StrEnum):
    """How a run executes its chunks. The value is the name the CLI, links and JSON use."""

    SEQUENTIAL = "sequential"
    THREADS = "threads"
    PROCESSES = "processes"
    EXECUTOR = "executor"
    ASYNCIO = "asyncio"
    CLUSTER = "cluster"
    LOKY = "loky"


class Unit(StrEnum):
    """What one of a run's `workers` is."""

    PROCESS = "process"
    THREAD = "thread"
    TASK = "task"
    WORKER = "worker"

    def count(self, n: int) -> str:
        """'1 process', '4 processes', '2 tasks'."""
        if n == 1:
            return f"{n} {self.value}"
        return f"{n} {self.value}{'es' if self.value.endswith('s') else 's'}"


@dataclass(frozen=True)
class ModeSpec:
    """Everything the program knows about one run mode.

    `runner` is "module:attribute" of a callable `(config, tasks, cancel)` returning an iterator
    of ChunkOutcome (it may have `close()` and an `extra` dict); it is imported only when the
    mode runs. `requires` are the top-level modules the optional `extra` installs.
    """

    mode: RunMode
    title: str  # what a learner would call it: "multiprocessing.Pool", "joblib (loky)"
    unit: Unit
    runner: str
    uses_processes: bool = False  # worker processes started with the chosen start method
    parallel: bool = True  # False: one worker, whatever `workers` says (the baseline)
    extra: str | None = None  # the pip extra that provides an optional mode
    requires: tuple[str, ...] = ()  # modules that extra installs, checked before a run
    requires_title: str = ""  # those modules in a sentence: "Dask's distributed scheduler"
    linkable: bool = False  # a lesson link (`tutor:run?mode=…`) may ask for it

    @property
    def name(self) -> str:
        return self.mode.value

    @property
    def optional(self) -> bool:
        return self.extra is not None

    @property
    def install_command(self) -> str:
        """The command that installs an optional mode's extra ('' for built-in modes)."""
        return f"pip install -e '.[{self.extra}]'" if self.extra else ""

    def workers_used(self, workers: int) -> int:
        """How many workers a run with `workers` really has: 1 for the sequential baseline."""
        return workers if self.parallel else 1

    def load_runner(self) -> Callable[..., Any]:
        """The runner callable, imported now (ImportError if its module cannot load)."""
        module, _, attribute = self.runner.partition(":")
        return getattr(importlib.import_module(module), attribute)


SPECS: dict[RunMode, ModeSpec] = {
    spec.mode: spec
    for spec in (
        ModeSpec(
            RunMode.SEQUENTIAL,
            "sequential",
            Unit.THREAD,
            "tutor.engine.runners:_run_sequential",
            parallel=False,
            linkable=True,
        ),
        ModeSpec(
            RunMode.THREADS,
            "threads (ThreadPool)",
            Unit.THREAD,
            "tutor.engine.runners:_run_threads",
            linkable=True,
        ),
        ModeSpec(
            RunMode.PROCESSES,
            "multiprocessing.Pool",
            Unit.PROCESS,
            "tutor.engine.runners:_run_pool",
            uses_processes=True,
            linkable=True,
        ),
        ModeSpec(
            RunMode.EXECUTOR,
            "ProcessPoolExecutor",
            Unit.PROCESS,
            "tutor.engine.runners:_run_executor",
            uses_processes=True,
            linkable=True,
        ),
        ModeSpec(
            RunMode.ASYNCIO,
            "asyncio",
            Unit.TASK,
            "tutor.engine.asyncio_runner:run_asyncio",
            linkable=True,
        ),
        ModeSpec(
            RunMode.CLUSTER,
            "Dask cluster",
            Unit.WORKER,
            "tutor.engine.cluster_runner:ClusterRunner",
            extra="cluster",
            requires=("dask", "distributed"),
            requires_title="Dask's distributed scheduler",
        ),
        ModeSpec(
            RunMode.LOKY,
            "joblib (loky)",
            Unit.PROCESS,
            "tutor.engine.loky_runner:run_loky",
            uses_processes=True,
            extra="loky",
            requires=("joblib",),
            requires_title="joblib",
        ),
    )
}

ALL_MODES: tuple[str, ...] = tuple(spec.name for spec in SPECS.values())
BUILTIN_MODES: tuple[str, ...] = tuple(s.name for s in SPECS.values() if not s.optional)
OPTIONAL_MODES: tuple[str, ...] = tuple(s.name for s in SPECS.values() if s.optional)
PARALLEL_MODES: tuple[str, ...] = tuple(s.name for s in SPECS.values() if s.parallel)
PROCESS_MODES: tuple[str, ...] = tuple(s.name for s in SPECS.values() if s.uses_processes)
LINK_MODES: tuple[str, ...] = tuple(s.name for s in SPECS.values() if s.linkable)


def spec_of(mode: str) -> ModeSpec:
    """The spec of a mode name; ValueError naming the mode and the choices when unknown."""
    spec = find_spec(mode)
    if spec is None:
        raise ValueError(f"mode: unknown {mode!r}; choose one of {', '.join(ALL_MODES)}")
    return spec


def find_spec(mode: str) -> ModeSpec | None:
    """The spec of a mode name, or None for a name no mode has."""
    try:
        return SPECS[RunMode(mode)]
    except ValueError:
        return None


def unavailable_reason(mode: str) -> str | None:
    """None when `mode` can run here, else why not and the command that installs it.

    Only optional modes can be unavailable: their extra's modules are looked up (not
    imported, which would cost their import time) with importlib.util.find_spec.
    """
    spec = spec_of(mode)
    if all(importlib.util.find_spec(name) is not None for name in spec.requires):
        return None
    if getattr(sys, "frozen", False):  # the packaged app leaves the optional extras out
        return (
            f"the '{spec.name}' mode needs {spec.requires_title}, which this packaged app does "
            f"not include; run the tutor from a Python installation with: {spec.install_command}"
        )
    return (
        f"the '{spec.name}' mode needs {spec.requires_title}, which is not installed; "
        f"install it with: {spec.install_command}"
    )


def unavailable_modes_note() -> str:
    """For a list of modes: "" when every mode can run here, else what to install for which."""
    missing = [
        f"{name} is not installed here: {spec_of(name).install_command}"
        for name in OPTIONAL_MODES
        if unavailable_reason(name) is not None
    ]
    return f" ({'; '.join(missing)})" if missing else ""
