"""What each run button asks for: the list of RunConfigs a click builds. Qt-free.

The run panel's buttons, the Run menu and the lesson links all go through `plan_runs`, so "what
a sweep is" is written once and tested without a window.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from tutor.engine.records import RunConfig
from tutor.engine.workloads import WORKLOADS
from tutor.models.run_settings import RunSettingsModel


class RunKind(StrEnum):
    """The run buttons of the run panel."""

    SEQUENTIAL = "sequential"
    PROCESSES = "processes"  # with the chosen process API (Pool or executor)
    THREADS = "threads"
    ASYNCIO = "asyncio"
    SWEEP = "sweep"
    CLUSTER = "cluster"


def sweep_configs(settings: RunSettingsModel) -> list[RunConfig]:
    """1 … N workers with the process API, then 1 … N threads; for work that waits (an
    I/O-bound workload) 1 … N asyncio tasks too. N is the settings' worker count."""
    top = settings.workers
    modes = [settings.process_api, "threads"]
    workload = WORKLOADS.get(settings.workload)
    if workload is not None and workload.io_bound:  # waiting work: asyncio joins in
        modes.append("asyncio")
    return [settings.config(mode, n) for mode in modes for n in range(1, top + 1)]


def plan_runs(
    settings: RunSettingsModel, kind: RunKind, scheduler: str | None = None
) -> list[RunConfig]:
    """The configs one click of `kind` asks the controller for, in order.

    `scheduler` (cluster runs only): a Dask scheduler address, None for a local cluster.
    """
    if kind is RunKind.SWEEP:
        return sweep_configs(settings)
    if kind is RunKind.SEQUENTIAL:
        return [settings.config("sequential", 1)]
    if kind is RunKind.PROCESSES:
        return [settings.config(settings.process_api)]
    if kind is RunKind.CLUSTER:
        return [replace(settings.config("cluster"), scheduler=scheduler)]
    return [settings.config(kind.value)]


def kind_for_mode(mode: str | None) -> RunKind:
    """The button a lesson link's `mode` presses (any process mode, or none: processes)."""
    return {
        "sequential": RunKind.SEQUENTIAL,
        "threads": RunKind.THREADS,
        "asyncio": RunKind.ASYNCIO,
    }.get(mode or "", RunKind.PROCESSES)
