"""Frozen records describing a run and its measurements, shared by CLI, controller and UI."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from numbers import Number

from tutor.engine.cluster_facts import ClusterFacts
from tutor.engine.failures import ImportProblem, RunFailureKind
from tutor.engine.modes import (  # noqa: F401 - re-exported: the names callers know
    ALL_MODES,
    BUILTIN_MODES,
    OPTIONAL_MODES,
    PARALLEL_MODES,
    find_spec,
)
from tutor.engine.reliability import CpuShare, Reliability
from tutor.engine.values import json_number, same_value

# Every machine runs MODES; OPTIONAL_MODES need an extra (validate() and the CLI say how to
# install it). All of them come from the one registry, engine.modes.
MODES: tuple[str, ...] = BUILTIN_MODES
START_METHODS: tuple[str, ...] = ("spawn", "forkserver", "fork")
MIN_WORKERS = 1
MAX_WORKERS = 512
MAX_SIZE = 100_000_000


@dataclass(frozen=True)
class RunConfig:
    """What to run: the workload, its size N, how (mode), on how many workers."""

    workload: str
    size: int
    mode: str = "processes"
    workers: int = 2
    start_method: str = "spawn"
    chunks: int | None = None  # None: the engine's balanced default
    function: str | None = None  # "module:function" for the custom workload
    # Seconds a run may take; the controller stops its helper process (and with it every
    # worker) once it is over. None: no limit. Keeps a learner's endless loop from running on.
    time_limit_s: float | None = None
    # cluster mode: a running Dask scheduler ("tcp://host:8786") to use instead of starting a
    # LocalCluster of `workers` processes. None: a local cluster. Other modes ignore it.
    scheduler: str | None = None

    @property
    def uses_processes(self) -> bool:
        """Whether the run starts worker processes with `start_method` (engine.modes)."""
        spec = find_spec(self.mode)
        return spec is not None and spec.uses_processes

    @property
    def workers_used(self) -> int:
        """How many workers really run: `workers`, or 1 for the sequential baseline."""
        spec = find_spec(self.mode)
        return spec.workers_used(self.workers) if spec is not None else self.workers

    def label(self) -> str:
        """'sequential', 'threads × 4', 'executor × 2 processes', 'cluster at tcp://…'."""
        spec = find_spec(self.mode)
        if spec is None:  # not a mode (validate() refuses it): say what was asked
            return f"{self.mode} × {self.workers}"
        if not spec.parallel:
            return self.mode
        if self.mode == "cluster" and self.scheduler:  # whatever workers the scheduler has
            return f"cluster at {self.scheduler}"
        counted = spec.unit.count(self.workers)
        if counted.endswith(f" {self.mode}"):  # processes, threads: the mode names the unit
            return f"{self.mode} × {self.workers}"
        return f"{self.mode} × {counted}"


@dataclass(frozen=True)
class ChunkTiming:
    """One finished chunk. Times are seconds since the run started, on a machine-wide clock."""

    worker: int  # pid for process modes, native thread id for threads/sequential
    thread: int  # native thread id inside the worker
    index: int
    items: int
    start_s: float
    end_s: float
    cpu_s: float  # CPU time the chunk really got (time.thread_time in the worker)
    # When a worker process picked the task up (read and unpickled it); None for threads.
    received_s: float | None = None
    # When the parent got the chunk's result back (pickled, sent, unpickled); None if unknown.
    arrived_s: float | None = None
    # The lane a chunk ran in when a pid or thread id does not say it (cluster mode: the Dask
    # worker's address, e.g. "tcp://127.0.0.1:40123"); "" otherwise.
    lane: str = ""

    @property
    def wall_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def waiting_s(self) -> float:
        """Wall time the chunk spent not computing: waiting for the GIL or for a core."""
        return max(0.0, self.wall_s - self.cpu_s)


@dataclass(frozen=True)
class Progress:
    """How far a run has got."""

    chunks_done: int
    chunks_total: int
    items_done: int
    items_total: int
    elapsed_s: float

    @property
    def fraction(self) -> float:
        if self.items_total <= 0:
            return 1.0 if self.chunks_done >= self.chunks_total else 0.0
        return self.items_done / self.items_total


@dataclass(frozen=True)
class RunResult:
    """A finished run: the answer, its timings, and how it compares with a sequential baseline."""

    config: RunConfig
    answer: Number  # the run's result: any numbers.Number the work returned (tutor.engine.values)
    wall_s: float
    startup_s: float  # run start until the first chunk began (pool/workers ready)
    compute_s: float  # first chunk start until the last chunk end
    chunks: tuple[ChunkTiming, ...]
    chunk_count: int
    baseline_s: float | None = None
    baseline_answer: Number | None = None
    python: str = ""
    gil_enabled: bool | None = None
    cluster: ClusterFacts | None = field(default=None, compare=False)  # cluster mode only
    # Repeated runs (engine.repeats): every repeat's wall seconds (wall_s is then their
    # median), what other programs took meanwhile, and the verdict drawn from both.
    repeats: tuple[float, ...] = ()
    cpu_share: CpuShare | None = None
    reliability: Reliability | None = None

    @property
    def spread(self) -> float:
        """(max − min) / median of the repeats' wall times; 0 for a single run."""
        if len(self.repeats) < 2 or self.wall_s <= 0:
            return 0.0
        return (max(self.repeats) - min(self.repeats)) / self.wall_s

    @property
    def noisy(self) -> bool:
        return self.reliability is not None and self.reliability.noisy

    @property
    def speedup(self) -> float | None:
        if self.baseline_s is None or self.wall_s <= 0:
            return None
        return self.baseline_s / self.wall_s

    @property
    def efficiency(self) -> float | None:
        speedup = self.speedup
        if speedup is None:
            return None
        return speedup / self.config.workers_used

    @property
    def matches_baseline(self) -> bool | None:
        if self.baseline_answer is None:
            return None
        return results_match(self.answer, self.baseline_answer)

    @property
    def worker_ids(self) -> tuple[int, ...]:
        seen: dict[int, None] = {}
        for chunk in sorted(self.chunks, key=lambda c: c.start_s):
            seen.setdefault(chunk.worker, None)
        return tuple(seen)

    def with_baseline(self, baseline: RunResult) -> RunResult:
        return replace(self, baseline_s=baseline.wall_s, baseline_answer=baseline.answer)

    def to_json(self) -> dict:
        """The run as `bench --json` gives it: `summary_json()` with the list of chunks."""
        data = self.summary_json()
        data["chunks"] = [
            {
                "worker": c.worker,
                "thread": c.thread,
                "index": c.index,
                "items": c.items,
                "start_s": c.start_s,
                "end_s": c.end_s,
                "cpu_s": c.cpu_s,
                "received_s": c.received_s,
                "arrived_s": c.arrived_s,
                "lane": c.lane,
            }
            for c in self.chunks
        ]
        return data

    def summary_json(self) -> dict:
        """Everything `to_json()` has but the chunks (a report's summary, which stays small
        however many chunks a run had; their count is "chunk_count")."""
        data = {
            "workload": self.config.workload,
            "size": self.config.size,
            "mode": self.config.mode,
            "workers": self.config.workers_used,  # 1 for sequential, as the table says
            "start_method": self.config.start_method,
            "chunk_count": self.chunk_count,
            # Strict JSON: nan/inf and huge ints as strings (tutor.engine.values.json_number).
            "result": json_number(self.answer),  # the export keeps its key
            "wall_s": self.wall_s,
            "startup_s": self.startup_s,
            "compute_s": self.compute_s,
            "speedup": self.speedup,
            "efficiency": self.efficiency,
            "matches_sequential": self.matches_baseline,
            "python": self.python,
            "gil_enabled": self.gil_enabled,
            "repeats": list(self.repeats) or [self.wall_s],
            "spread": self.spread,
            "reliability": None if self.reliability is None else self.reliability.to_json(),
        }
        if self.config.function:
            data["function"] = self.config.function
        if self.config.scheduler:
            data["scheduler"] = self.config.scheduler
        if self.cluster is not None:  # which scheduler, and whose clock the times are on
            data["extra"] = self.cluster.to_json()
        return data


def results_match(a: Number, b: Number) -> bool:
    """Integers must be equal; floats agree to a relative 1e-9; nan matches nan."""
    return same_value(a, b)


@dataclass(frozen=True)
class WorkerFailure:
    """Why a run failed: `kind` says how (its words: tutor.engine.failures.FAILURE_TEXTS)."""

    kind: RunFailureKind
    message: str
    exc_type: str = ""
    traceback: str = ""
    worker: int | None = None
    exitcode: int | None = None
    # Set when the learner's module could not be imported (or was still importing at the
    # time limit): what went wrong, as fields.
    import_problem: ImportProblem | None = None


class RunFailed(Exception):
    """A worker raised or died; `failure` holds the details (traceback, pid, exit code)."""

    def __init__(self, failure: WorkerFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure
