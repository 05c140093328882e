"""The run settings every experiment reads: one Qt-free model with change notification.

The run panel's widgets edit it; *Your function*, *Where the time goes*, the saved settings and
the export read it or listen to it, instead of reaching into the run panel's widgets. Values are
kept inside the same ranges the widgets offer (an int beyond them is clamped, as a spin box
does), and every change is announced once to each listener; setting a value it already has
announces nothing, so a widget that echoes a change back ends the loop.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any, Generic, TypeVar

from tutor.engine.machine import logical_cpus
from tutor.engine.modes import SPECS, unavailable_reason
from tutor.engine.records import MAX_SIZE, RunConfig
from tutor.engine.repeats import MAX_REPEATS, RepeatPolicy
from tutor.engine.workloads import WORKLOADS

# The process APIs a learner picks from, with their titles (the widget's items): every mode
# whose workers are processes (engine.modes).
PROCESS_APIS: tuple[tuple[str, str], ...] = tuple(
    (spec.name, spec.title) for spec in SPECS.values() if spec.uses_processes
)
MAX_CHUNK_COUNT = 100_000  # 0 means automatic
# spawn first (and so the default): the safe choice beside Qt's threads (docs/architecture.md,
# Landmines).
PREFERRED_START_METHODS = ("spawn", "forkserver", "fork")


def max_workers_allowed(cores: int | None = None) -> int:
    """The largest worker count offered: max(8, 2 × logical CPUs) (engine.machine)."""
    cores = cores or logical_cpus()
    return max(8, 2 * cores)


class Setting(StrEnum):
    """The names of the run settings, as listeners are told which one changed."""

    WORKLOAD = "workload"
    SIZE = "size"
    WORKERS = "workers"
    START_METHOD = "start_method"
    CHUNKS = "chunks"
    PROCESS_API = "process_api"
    SCHEDULER = "scheduler"
    REPEATS = "repeats"


@dataclass(frozen=True)
class PanelState:
    """The settings saved between sessions (the Dask address is saved beside them)."""

    workload: str
    size: int  # items
    workers: int
    start_method: str
    chunks: int  # 0 = automatic
    process_api: str


Listener = Callable[[Setting, object], None]
T = TypeVar("T", int, str)


class _Reads(Generic[T]):
    """A read-only attribute of RunSettingsModel: one setting's value converted to `kind`."""

    def __init__(self, setting: Setting, kind: Callable[[Any], T]) -> None:
        self._setting = setting
        self._kind = kind

    def __get__(self, model: RunSettingsModel | None, owner: type | None = None) -> T:
        if model is None:  # read on the class: the descriptor itself, as a property is
            return self  # type: ignore[return-value]
        return self._kind(model.get(self._setting))

    def __set__(self, model: RunSettingsModel, value: object) -> None:
        raise AttributeError(
            f"change {self._setting.value} with set(Setting.{self._setting.name}, …)"
        )


class RunSettingsModel:
    """Workload, size N, workers, start method, chunks, process API, Dask scheduler, repeats.

    `start_methods` are the ones this OS offers (any order; spawn is put first); `cores` the
    logical CPU count (default: engine.machine.logical_cpus), which sets the default and largest
    worker count. Listeners added with `subscribe` are called as `listener(setting, new_value)`.
    """

    def __init__(self, start_methods: Sequence[str], cores: int | None = None) -> None:
        self.cores = cores or logical_cpus()
        ordered = [m for m in PREFERRED_START_METHODS if m in start_methods]
        self.start_methods: tuple[str, ...] = tuple(
            ordered + [m for m in start_methods if m not in ordered]
        )
        self.workloads: tuple[str, ...] = tuple(WORKLOADS)
        # Only the ones that can run here: an optional mode whose extra is missing is shown
        # (disabled, with the install hint) but never chosen, restored or asked for by a link.
        self.process_apis: tuple[str, ...] = tuple(
            mode for mode, _title in PROCESS_APIS if unavailable_reason(mode) is None
        )
        self.ranges: dict[Setting, tuple[int, int]] = {
            Setting.SIZE: (0, MAX_SIZE),
            Setting.WORKERS: (1, max_workers_allowed(self.cores)),
            Setting.CHUNKS: (0, MAX_CHUNK_COUNT),
            Setting.REPEATS: (0, MAX_REPEATS),
        }
        first = self.workloads[0]
        self._values: dict[Setting, object] = {
            Setting.WORKLOAD: first,
            Setting.SIZE: WORKLOADS[first].default_size,
            Setting.WORKERS: min(self.cores, self.ranges[Setting.WORKERS][1]),
            Setting.START_METHOD: self.start_methods[0] if self.start_methods else "spawn",
            Setting.CHUNKS: 0,
            Setting.PROCESS_API: self.process_apis[0],
            Setting.SCHEDULER: "",
            Setting.REPEATS: 0,
        }
        self._listeners: list[Listener] = []

    # --- listening ------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener(setting, value)` after every change; returns the unsubscribe call."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    # --- reading --------------------------------------------------------------------------

    def get(self, setting: Setting) -> object:
        return self._values[setting]

    # Each setting read as its type: model.size is an int (items), model.workload a str.
    workload = _Reads(Setting.WORKLOAD, str)
    size = _Reads(Setting.SIZE, int)
    workers = _Reads(Setting.WORKERS, int)
    start_method = _Reads(Setting.START_METHOD, str)
    chunks = _Reads(Setting.CHUNKS, int)  # the chunk count asked for; 0 = the engine's default
    process_api = _Reads(Setting.PROCESS_API, str)  # "processes" (Pool) or "executor"
    scheduler = _Reads(Setting.SCHEDULER, str)  # a Dask scheduler address; "" = a local cluster
    repeats = _Reads(Setting.REPEATS, int)  # how often each run is measured; 0 = automatic

    def choices(self, setting: Setting) -> tuple[str, ...]:
        """The values a choice setting accepts; () for a number setting."""
        return {
            Setting.WORKLOAD: self.workloads,
            Setting.START_METHOD: self.start_methods,
            Setting.PROCESS_API: self.process_apis,
        }.get(setting, ())

    def state(self) -> PanelState:
        return PanelState(
            self.workload,
            self.size,
            self.workers,
            self.start_method,
            self.chunks,
            self.process_api,
        )

    def config(self, mode: str, workers: int | None = None) -> RunConfig:
        """The RunConfig these settings make for `mode` (`workers` overrides the count)."""
        return RunConfig(
            workload=self.workload,
            size=self.size,
            mode=mode,
            workers=workers or self.workers,
            start_method=self.start_method,
            chunks=self.chunks or None,
        )

    def repeat_policy(self) -> RepeatPolicy:
        return RepeatPolicy(self.repeats or None)

    # --- changing -------------------------------------------------------------------------

    def set(self, setting: Setting, value: object) -> None:
        """Change one setting. Numbers are clamped into `ranges`; an unknown choice raises
        ValueError. Choosing a workload also sets N to that workload's default size."""
        if setting in self.ranges:
            low, high = self.ranges[setting]
            value = min(max(int(value), low), high)  # type: ignore[call-overload]
        elif setting is Setting.SCHEDULER:
            value = str(value).strip()
        elif value not in self.choices(setting):
            raise ValueError(f"{value!r} is not a {setting.value} this tutor offers")
        if self._values[setting] == value:
            return
        self._values[setting] = value
        self._notify(setting, value)
        if setting is Setting.WORKLOAD:
            self.set(Setting.SIZE, WORKLOADS[str(value)].default_size)

    def restore(self, state: PanelState) -> None:
        """Take saved settings; a choice this machine does not offer is left as it is."""
        for field in fields(PanelState):  # each named as its Setting
            setting, value = Setting(field.name), getattr(state, field.name)
            if setting in self.ranges or value in self.choices(setting):
                self.set(setting, value)

    def apply_request(
        self, workload: str, size: int, workers: int | None = None, mode: str | None = None
    ) -> None:
        """Set up as a lesson link asks: values outside the ranges are clamped, an unknown
        workload is ignored, and a process mode picks the process API."""
        if workload in self.workloads:
            self.set(Setting.WORKLOAD, workload)
        self.set(Setting.SIZE, size)
        if workers:
            self.set(Setting.WORKERS, workers)
        if mode in self.process_apis:
            self.set(Setting.PROCESS_API, mode)

    def _notify(self, setting: Setting, value: object) -> None:
        for listener in list(self._listeners):
            listener(setting, value)


def with_scheduler(config: RunConfig, scheduler: str | None) -> RunConfig:
    """`config` sent to a Dask scheduler (None or "": a local cluster)."""
    return replace(config, scheduler=scheduler or None)
