"""The timeline's words: a chunk's tooltip and what its waiting time was spent waiting for."""

from __future__ import annotations

from tutor.engine.machine import gil_enabled, logical_cpus
from tutor.engine.records import ChunkTiming, RunConfig
from tutor.engine.reliability import waiting_cause
from tutor.engine.workloads import WORKLOADS


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
    )
