"""The cluster mode's code that runs on the Dask workers, and the clocks of remote workers.

Dask pickles these functions by name, so every worker must be able to import this module:
it stays small and imports only the engine's worker code. A worker on another machine has
its own clock: `shift_to_local_clock` puts its chunk times on ours. Qt-free.
"""

from __future__ import annotations

import os
import socket
import threading

from tutor.engine.worker import ChunkOutcome, ChunkTask, clock, run_chunk


def run_chunk_on_dask(task: ChunkTask) -> ChunkOutcome:
    """One chunk as a Dask task: timed as in a pool worker, in the lane of its worker."""
    received = clock()
    outcome = run_chunk(task, None, os.getpid())
    try:
        from distributed import get_worker

        lane = get_worker().address
    except (ImportError, ValueError):  # not inside a Dask worker
        lane = f"pid {os.getpid()}"
    return outcome._replace(received_s=received - task.run_start, lane=lane)


def machine_id() -> str:
    """Names this machine's monotonic clock: Linux's boot id (containers on one kernel share
    it), elsewhere the host name."""
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as file:
            return "boot " + file.read().strip()
    except OSError:
        return "host " + socket.gethostname()


def clock_probe() -> tuple[str, float]:
    """Run on a worker: which machine's clock it has, and that clock's time now."""
    return machine_id(), clock()


def ignore_interrupts() -> None:
    """Run on a local worker: Ctrl+C in the terminal is the parent's to handle, as a cancel."""
    import signal

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def shift_to_local_clock(
    outcome: ChunkOutcome, offset: float | None, arrived_s: float
) -> ChunkOutcome:
    """A chunk timed on another machine's clock, put on ours.

    `offset` is that clock minus ours (None: unknown, then the chunk is taken to have ended
    when its result arrived, `arrived_s`). No time moves before the run's start or after the
    result arrived: an offset is only good to about a network round trip.
    """
    if offset is None:
        offset = outcome.end_s - arrived_s

    def shift(value: float | None) -> float | None:
        return None if value is None else min(max(value - offset, 0.0), arrived_s)

    return outcome._replace(
        start_s=shift(outcome.start_s),
        end_s=shift(outcome.end_s),
        received_s=shift(outcome.received_s),
    )
