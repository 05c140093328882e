"""The timeline's words: chunk tooltips, what waiting was for, lane names and the summary."""

from __future__ import annotations

from collections.abc import Sequence

from tutor.engine.machine import gil_enabled, logical_cpus
from tutor.engine.modes import Unit, find_spec
from tutor.engine.records import ChunkTiming, RunConfig
from tutor.engine.reliability import waiting_cause
from tutor.engine.workloads import WORKLOADS
from tutor.ui.charts.chart_base import format_seconds


def chunk_tooltip(chunk: ChunkTiming, lane: str, cause: str = "waiting") -> str:
    """Plain-text description of one chunk, shown when hovering its bar; `cause` says what
    its waiting time was spent waiting for (engine.reliability.waiting_cause)."""
    wall = chunk.wall_s
    share = f" ({chunk.cpu_s / wall:.0%} of its wall time)" if wall > 0 else ""
    return (
        f"Chunk {chunk.index} — {lane}\n"
        f"{chunk.items:,} items\n"
        f"wall {wall:.3f} s ({chunk.start_s:.3f} → {chunk.end_s:.3f} s)\n"
        f"CPU {chunk.cpu_s:.3f} s{share}\n"
        f"{cause}: {chunk.waiting_s:.3f} s"
    )


def cause_of(
    config: RunConfig, other_cpu_fraction: float | None = None, gil: bool | None = None
) -> str:
    """What a run's chunks waited for, as the legend and tooltips say it (see
    engine.reliability.waiting_cause); `gil` None: this interpreter's GIL state."""
    workload = WORKLOADS.get(config.workload)
    return waiting_cause(
        config.mode,
        io_bound=None if workload is None else workload.io_bound,
        gil_enabled=gil_enabled() if gil is None else gil,
        workers=config.workers,
        cpus=logical_cpus(),
        other_cpu_fraction=other_cpu_fraction,
        holds_gil=workload is None or workload.holds_gil,
    )


def lane_label(mode: str | None, key: int | str) -> str:
    """A timeline lane's name: a Dask worker's address as it is, else the worker key (a pid, a
    thread id, an asyncio task slot) named by what the run's mode counts (engine.modes)."""
    if isinstance(key, str):
        return key
    spec = find_spec(mode) if mode is not None else None
    unit = spec.unit if spec is not None and spec.parallel else None
    if unit is Unit.THREAD:
        return f"thread {key}"
    if unit is Unit.PROCESS:
        return f"pid {key}"
    if unit is Unit.TASK:  # asyncio: one thread; a lane per place under the semaphore
        return f"task slot {key}"
    return f"worker {key}"


def timeline_summary(
    title: str, lanes: Sequence[str], chunks: int, cpu_s: float, start_s: float, end_s: float
) -> str:
    """The timeline in words: its lanes, its `chunks` from `start_s` to `end_s` (seconds on
    the run's clock) and the CPU time they got, as how many workers computed at once."""
    if not chunks:
        return f"{title}. No chunks yet."
    span = end_s - start_s
    parts = [
        f"{title}.",
        f"{len(lanes)} lane{'' if len(lanes) == 1 else 's'}: {', '.join(lanes)}.",
        f"{chunks} chunk{'' if chunks == 1 else 's'} from {start_s:.2f} s to {end_s:.2f} s.",
        f"Total CPU time {format_seconds(cpu_s)} in {format_seconds(span)} of wall time",
    ]
    parts[-1] += f": on average {cpu_s / span:.1f} workers computing at once." if span > 0 else "."
    return " ".join(parts)
