"""Notes the results table and charts attach to a run's numbers (no widgets, no Qt).

They explain numbers that would mislead on their own: what "start-up" is for asyncio, and
that an I/O-bound run's "compute" phase was mostly spent waiting.
"""

from __future__ import annotations

from collections.abc import Iterable

from tutor.content.run_wording import ASYNCIO_STARTUP_NOTE, amdahl_left_out_note
from tutor.engine.records import RunResult
from tutor.engine.workloads import WORKLOADS


def is_io_bound(result: RunResult) -> bool:
    """Whether the run's workload is one of ours marked I/O-bound (custom code: False)."""
    workload = WORKLOADS.get(result.config.workload)
    return workload is not None and workload.io_bound


def cell_note(result: RunResult, column: str) -> str | None:
    """A tooltip for `column` (its title, e.g. "Start-up (s)") of this run's row, or None
    where the column's general tooltip says enough."""
    if column == "Start-up (s)" and result.config.mode == "asyncio":
        return ASYNCIO_STARTUP_NOTE
    if column == "Compute (s)" and is_io_bound(result):
        cpu = sum(chunk.cpu_s for chunk in result.chunks)
        return (
            f"{result.compute_s:.3f} s from the first chunk's start to the last chunk's end, "
            f"but this workload waits (sleeps, as on a disk or network) rather than computes: "
            f"the chunks used only {cpu:.3f} s of CPU time in all. Most of this phase was "
            "waiting for I/O."
        )
    return None


def amdahl_note(results: Iterable[RunResult]) -> str | None:
    """Why no Amdahl fit is drawn for these sweep runs (all of an I/O-bound workload), or
    None when a fit may be drawn."""
    results = list(results)
    if not results or not all(is_io_bound(result) for result in results):
        return None
    return amdahl_left_out_note(WORKLOADS[results[0].config.workload].title)


IO_WAIT_LABEL = "other: mostly waiting for I/O (the items sleep), then shut-down"


def segment_label(result: RunResult, segment: str, label: str) -> str:
    """The words for one part of a run's time breakdown ("startup", "transfer", "compute",
    "other"): `label` as given, except that an I/O-bound run's "other" is named for what
    it mostly is: the waiting the workload does."""
    return IO_WAIT_LABEL if segment == "other" and is_io_bound(result) else label
