"""The measured runs: real clicks on the real window, each run a phase of gaps."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ui_perf.constants import (
    EXPECTED_PRIMES,
    EXPECTED_REPEATED,
    EXPECTED_SQUARES,
    EXPLAIN_OVER_MS,
    FIRST,
    GIL_LIVE,
    GIL_PLAIN,
    IDLE_S,
    MANY,
    MANY_CHUNKS,
    REPEATED,
    REPEATED_SIZE,
    REPEATS,
    RUN_TIMEOUT_S,
    SIZE,
    TICK_MS,
    WORKERS,
)
from ui_perf.gaps import GapStats, Phase, Recorder, gap_stats

if TYPE_CHECKING:  # only for the type checker: no Qt at module level (see ui_responsiveness.py)
    from PySide6.QtWidgets import QPushButton

    from tutor.engine.events import RunStarted
    from tutor.engine.records import RunConfig, RunResult, WorkerFailure
    from tutor.ui.shell.main_window import MainWindow


def wait_in_local_loop(
    start: Callable[[], None], connect_quit: Callable[[Callable[[], None]], None], timeout_s: float
) -> bool:
    """Run `start` inside a local QEventLoop and spin it until the quit hook fires.

    Returns False on timeout. `start` runs from a zero-timer so the click itself happens inside
    the running loop, exactly as a real click would.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    outcome = {"timed_out": False}

    def on_timeout() -> None:
        outcome["timed_out"] = True
        loop.quit()

    connect_quit(loop.quit)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(on_timeout)
    guard.start(int(timeout_s * 1000))
    QTimer.singleShot(0, start)
    loop.exec()
    guard.stop()
    return not outcome["timed_out"]


def settled(window: MainWindow) -> bool:
    """Whether the window has finished showing the last batch: no view step queued and no
    lesson colours held back for after the run (they are shown a moment after it ends, and
    belong to the run that held them, not to the next row)."""
    return window.view_steps.pending == 0 and not window.lesson_panel.view().colours_held()


def wait_until_settled(
    window: MainWindow, quit_slot: Callable[[], None]
) -> tuple[Callable[..., None], Callable[[], None]]:
    """(begin, stop): `begin` is a slot for `batch_finished`; from then on `settled` is checked
    every tick period, and once it holds `quit_slot` is called from a zero-timer (so the
    repaints the last steps posted are done first). `stop` ends the checks."""
    from PySide6.QtCore import QTimer

    poll = QTimer()
    poll.setInterval(TICK_MS)

    def check() -> None:
        if settled(window):
            poll.stop()
            QTimer.singleShot(0, quit_slot)

    poll.timeout.connect(check)

    def begin(*_: object) -> None:
        poll.start()

    return begin, poll.stop


def click_and_wait(
    window: MainWindow,
    button: QPushButton,
    recorder: Recorder,
    expected: int = EXPECTED_PRIMES,
    prefix: str = "",
) -> list[Phase]:
    """Click a run button; one phase per run of the batch (baseline first, if any), each
    labelled `prefix` + its mode.

    Gaps are attributed by run identity: each helper run's `run_started` (which names its
    config) opens a span of that run's phase, closed by the next `run_started`; the first
    span opens at the click (starting the first helper counts for the run it serves), the last
    one closes when the window has settled after `batch_finished` (see `settled`). So a run
    repeated in rounds (A B A B …) gets one span per repeat, and the showing of its combined
    result at the batch's end goes to the run that ended the batch.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    controller = window.controller
    notes: dict[str, str] = {}
    starts: list[tuple[float, str]] = []  # (run_started time, label), in order
    failures: list[str] = []
    state = {"click": 0.0}

    def on_started(event: RunStarted) -> None:
        starts.append((time.perf_counter(), prefix + event.config.mode))

    def on_finished(result: RunResult) -> None:
        ok = result.answer == expected
        note = f"run {result.wall_s:.2f} s" + ("" if ok else f", WRONG result {result.answer}")
        notes[prefix + result.config.mode] = note

    def on_failed(config: RunConfig, failure: WorkerFailure) -> None:
        failures.append(f"{config.mode}: {failure.message}")

    def click() -> None:
        state["click"] = time.perf_counter()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    controller.run_started.connect(on_started)
    controller.run_finished.connect(on_finished)
    controller.run_failed.connect(on_failed)
    connections: list[Callable[[], None]] = []

    def connect_quit(quit_slot: Callable[[], None]) -> None:
        begin, stop = wait_until_settled(window, quit_slot)
        controller.batch_finished.connect(begin)
        connections.append(lambda: controller.batch_finished.disconnect(begin))
        connections.append(stop)

    try:
        finished = wait_in_local_loop(click, connect_quit, RUN_TIMEOUT_S)
        window_end = time.perf_counter()
    finally:
        for undo in connections:
            undo()
        controller.run_started.disconnect(on_started)
        controller.run_finished.disconnect(on_finished)
        controller.run_failed.disconnect(on_failed)
    if not finished:
        raise RuntimeError(f"the window did not settle within {RUN_TIMEOUT_S:.0f} s")
    if failures:
        raise RuntimeError("run failed: " + "; ".join(failures))
    if not starts:
        raise RuntimeError("the click started no run (were the buttons disabled?)")
    phases: dict[str, Phase] = {}
    bounds = [state["click"], *(t for t, _ in starts[1:]), window_end]
    for (_, label), lo, hi in zip(starts, bounds, bounds[1:], strict=False):
        phase = phases.setdefault(label, Phase(label, lo, note=notes.get(label, "no result")))
        phase.spans.append((lo, hi))
        phase.hi = hi
    for phase in phases.values():
        phase.window = (state["click"], window_end)
        if len(phase.spans) > 1:
            phase.note += f", {len(phase.spans)} spans"
    recorder.phases.extend(phases.values())
    return list(phases.values())


def idle_phase(recorder: Recorder) -> None:
    """One second with no run, for reference: the timer's own jitter on this machine, and the
    window building its experiment tabs in small steps meanwhile (it waits for the first run
    to end; a build step is 30-35 ms of the GUI thread on the 2-core host)."""
    from PySide6.QtCore import QTimer

    phase = Phase("idle", 0.0, note=f"{IDLE_S:.0f} s, no run")

    def begin() -> None:
        phase.lo = time.perf_counter()

    def connect_quit(quit_slot: Callable[[], None]) -> None:
        QTimer.singleShot(int(IDLE_S * 1000), quit_slot)

    wait_in_local_loop(begin, connect_quit, IDLE_S + 10)
    phase.hi = time.perf_counter()
    phase.window = (phase.lo, phase.hi)
    recorder.phases.append(phase)


def repeated_runs(window: MainWindow, recorder: Recorder) -> None:
    """Primes N=300,000 on 2 processes measured REPEATS times, interleaved with its baseline
    (engine.repeats): one click, ten helper runs, each streaming its chunks to the window."""
    panel = window.run_panel
    panel.workload_size.setValue(REPEATED_SIZE)
    panel.repeat_count.setValue(REPEATS)
    panel.process_api.setCurrentIndex(panel.process_api.findData("processes"))
    try:
        phases = click_and_wait(
            window, panel.run_processes_button, recorder, EXPECTED_REPEATED, prefix=REPEATED
        )
    finally:
        panel.repeat_count.setValue(0)  # automatic again
        panel.workload_size.setValue(SIZE)
    for phase in phases:
        phase.note += f", {REPEATS} repeats"


def many_chunks_runs(window: MainWindow, recorder: Recorder) -> None:
    """Squares, N=1,000,000 cut into 100,000 chunks, 2 processes (and its new baseline)."""
    panel = window.run_panel
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("squares"))
    panel.workload_size.setValue(SIZE)  # after the workload: choosing one resets the size
    panel.chunk_count.setValue(MANY_CHUNKS)
    panel.process_api.setCurrentIndex(panel.process_api.findData("processes"))
    # One measurement: the timeline then shows the chunks it streamed, and the check below
    # reads them at once (a repeated run's result is redrawn a slice per event-loop turn
    # after the batch ends; the repeated-runs row measures repeats).
    repeats = panel.repeat_count.value()
    panel.repeat_count.setValue(1)
    try:
        phases = click_and_wait(
            window, panel.run_processes_button, recorder, EXPECTED_SQUARES, prefix=MANY
        )
    finally:
        panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("primes"))
        panel.workload_size.setValue(SIZE)
        panel.chunk_count.setValue(0)
        panel.repeat_count.setValue(repeats)
    if window.timeline_chart.bar_count() != MANY_CHUNKS:
        raise RuntimeError(f"the timeline shows {window.timeline_chart.bar_count()} chunks")
    phases[-1].note += f", timeline drew {window.timeline_chart.drawn_bar_count():,} bars"


def install_quiet_message_handler() -> None:
    """Drop the offscreen plugin's harmless propagateSizeHints() notice; pass the rest on."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def measure_responsiveness(profile: bool = False) -> list[GapStats]:
    """Part 1: the real window, the real buttons, the real helper processes.

    With `profile`, a stack sampler (ui_perf.sampler) says what the GUI thread ran in each
    long gap (it loads the process: not for the published numbers).
    """
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tutor.app import create_main_window
    from ui_perf.gil_contrast import in_process_threads_phase  # it uses wait_in_local_loop

    app = QApplication.instance() or QApplication([sys.argv[0]])
    install_quiet_message_handler()
    window = create_main_window()
    window.show()
    if not QTest.qWaitForWindowExposed(window, 10_000):
        raise RuntimeError("the main window was never exposed")
    panel = window.run_panel
    primes = panel.workload_choice.findData("primes")
    if primes < 0:
        raise RuntimeError("no primes workload in workloadChoice")
    panel.workload_choice.setCurrentIndex(primes)
    panel.workload_size.setValue(SIZE)  # after the workload: choosing one resets the size
    panel.worker_count.setValue(WORKERS)
    spawn = panel.start_method.findData("spawn")
    if spawn >= 0:
        panel.start_method.setCurrentIndex(spawn)
    panel.chunk_count.setValue(0)  # auto
    app.processEvents()

    recorder = Recorder()
    if profile:
        from ui_perf.event_trace import EventTrace
        from ui_perf.sampler import StackSampler

        recorder.sampler = StackSampler()
        recorder.sampler.start()
        recorder.trace = EventTrace()
        recorder.trace.start()
    controller = window.controller
    for name in ("run_started", "chunks_finished", "progress_changed", "run_finished"):
        getattr(controller, name).connect(recorder.note(name))
    recorder.start()
    try:
        # The first click, at once: it also runs the sequential baseline (none is cached yet).
        click_and_wait(window, panel.run_processes_button, recorder, prefix=FIRST)
        idle_phase(recorder)
        click_and_wait(window, panel.run_threads_button, recorder)
        for api in ("processes", "executor"):
            panel.process_api.setCurrentIndex(panel.process_api.findData(api))
            phases = click_and_wait(window, panel.run_processes_button, recorder)
            if phases[-1].label != api:
                raise RuntimeError(f"expected a {api} run, got {phases[-1].label}")
        repeated_runs(window, recorder)
        many_chunks_runs(window, recorder)
        in_process_threads_phase(window, recorder, GIL_PLAIN, live_updates=False)
        in_process_threads_phase(window, recorder, GIL_LIVE, live_updates=True)
    finally:
        recorder.stop()
        if recorder.sampler is not None:
            recorder.sampler.stop()
        if recorder.trace is not None:
            recorder.trace.stop()
        window.close()  # saves settings (into the temp dir) and stops the controller
        app.processEvents()

    titles = {
        FIRST + "sequential": "first run after opening: sequential baseline",
        FIRST + "processes": "first run after opening: processes (Pool)",
        REPEATED + "sequential": f"{REPEATS} repeats: sequential baseline",
        REPEATED + "processes": f"{REPEATS} repeats: processes (Pool)",
        MANY + "sequential": "100,000 chunks: sequential baseline",
        MANY + "processes": "100,000 chunks: processes (Pool)",
        "idle": "idle (timer jitter, tabs built)",
        "threads": "threads (helper process)",
        "processes": "processes (Pool)",
        "executor": "executor (ProcessPoolExecutor)",
    }
    order = [
        FIRST + "sequential",
        FIRST + "processes",
        "idle",
        "threads",
        "processes",
        "executor",
        REPEATED + "sequential",
        REPEATED + "processes",
        MANY + "sequential",
        MANY + "processes",
        GIL_PLAIN,
        GIL_LIVE,
    ]
    by_label = {p.label: p for p in recorder.phases}
    missing = [label for label in order if label not in by_label]
    if missing:
        raise RuntimeError(f"phases not measured: {missing}")
    stats = []
    for label in order:
        phase = by_label[label]
        is_target = label not in ("idle", GIL_PLAIN, GIL_LIVE)
        gaps = recorder.gaps(phase)
        row = gap_stats(titles.get(label, label), gaps, is_target, phase.note)
        worst = sorted((g for g in gaps if g.ms > EXPLAIN_OVER_MS), key=lambda g: -g.ms)[:3]
        stats.append(replace(row, worst=tuple(recorder.explain(g, phase.lo) for g in worst)))
    return stats
