"""Reference rows: CPU-bound threads inside the GUI process, sharing its GIL."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ui_perf.constants import (
    EXPECTED_PRIMES,
    RUN_TIMEOUT_S,
    SIZE,
    WORKERS,
)
from ui_perf.gaps import Phase, Recorder
from ui_perf.runs import wait_in_local_loop

if TYPE_CHECKING:  # only for the type checker: no Qt at module level (see ui_responsiveness.py)
    from tutor.ui.shell.main_window import MainWindow


def in_process_threads_phase(
    window: MainWindow, recorder: Recorder, label: str, live_updates: bool
) -> None:
    """The anti-pattern: two CPU-bound threads in the GUI process, sharing its GIL.

    With `live_updates`, the GUI also does what it does during a real run: ~30 times a second
    it draws the newly finished chunks in the real timeline chart and moves the progress bar.
    Each of those Python <-> Qt round trips has to win the GIL back from the compute threads.
    """
    from PySide6.QtCore import QTimer

    from tutor.engine.records import ChunkTiming, Progress
    from tutor.engine.workloads import count_primes

    # Same shape as the tutor's threads mode: 16 chunks dealt round-robin to 2 threads.
    chunks = 16
    step = math.ceil((SIZE + 1) / chunks)
    ranges = [range(i * step, min((i + 1) * step, SIZE + 1)) for i in range(chunks)]
    counts: list[int] = []
    ended: list[float] = []
    finished_chunks: list[ChunkTiming] = []
    lock = threading.Lock()
    phase = Phase(label, 0.0)

    def work(mine: list[tuple[int, range]]) -> None:
        total = 0
        for index, numbers in mine:
            start, cpu = time.perf_counter(), time.thread_time()
            total += count_primes(numbers)
            end = time.perf_counter()
            timing = ChunkTiming(
                worker=threading.get_native_id(),
                thread=threading.get_native_id(),
                index=index,
                items=len(numbers),
                start_s=start - phase.lo,
                end_s=end - phase.lo,
                cpu_s=time.thread_time() - cpu,
            )
            with lock:
                finished_chunks.append(timing)
        with lock:
            counts.append(total)
            ended.append(time.perf_counter())

    indexed = list(enumerate(ranges))
    threads = [
        threading.Thread(target=work, args=(indexed[k::WORKERS],), name=f"gil-contrast-{k}")
        for k in range(WORKERS)
    ]
    if live_updates:
        window.timeline_chart.start_run(window.run_panel.current_config("threads"))
    shown = {"chunks": 0, "items": 0}

    def update_ui() -> None:
        with lock:
            batch = finished_chunks[shown["chunks"] :]
        if not batch:
            return
        shown["chunks"] += len(batch)
        shown["items"] += sum(c.items for c in batch)
        window.timeline_chart.add_chunks(tuple(batch))
        elapsed = time.perf_counter() - phase.lo
        window.run_panel.show_progress(
            Progress(shown["chunks"], chunks, shown["items"], SIZE + 1, elapsed)
        )

    def begin() -> None:
        phase.lo = time.perf_counter()
        for thread in threads:
            thread.start()

    poll = QTimer()

    def connect_quit(quit_slot: Callable[[], None]) -> None:
        def check() -> None:
            if live_updates:
                update_ui()
            if len(ended) == len(threads):
                quit_slot()

        poll.timeout.connect(check)
        poll.start(33)  # the controller's ~30 updates a second

    finished = wait_in_local_loop(begin, connect_quit, RUN_TIMEOUT_S)
    poll.stop()
    for thread in threads:
        thread.join()
    if not finished:
        raise RuntimeError("the in-process threads did not finish in time")
    phase.hi = max(ended)
    phase.window = (phase.lo, phase.hi)
    ok = sum(counts) == EXPECTED_PRIMES
    phase.note = f"run {phase.hi - phase.lo:.2f} s" + ("" if ok else f", WRONG {sum(counts)}")
    recorder.phases.append(phase)
