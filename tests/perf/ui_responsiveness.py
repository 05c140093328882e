"""How responsive the real Multiprocessing Tutor window stays, and how fast it opens.

Run from the repository root (not collected by pytest; not part of `make test`):

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/perf/ui_responsiveness.py

(or under Xvfb / a real display with DISPLAY set). Runtime: well under a minute on 2 cores.

1. Event-loop responsiveness. The real main window (`tutor.app.create_main_window()`, shown)
   runs a 5 ms precise QTimer whose slot only records `time.perf_counter()`. A healthy event
   loop fires it every ~5 ms; the gap between two timeouts is the longest the window could not
   react to input or repaint. The runs are started by clicking the real buttons (QTest), as a
   learner would, and the script waits in a local QEventLoop until `batch_finished`: counting
   primes <= 1,000,000 with 2 workers as threads, processes (multiprocessing.Pool) and executor
   (ProcessPoolExecutor). The sequential baseline runs first automatically; the controller's
   `run_finished` signal separates its gaps from the threads run's: a gap counts for the run
   during which it ended, and the first run of a click owns the time from the click (so starting
   the helper process counts against the run it serves). Targets per mode: max gap <= 50 ms and
   p99 <= 20 ms. Two more target rows: the FIRST run after the window opens (clicked at once,
   before the idle build of the tabs could finish), and a run of 100,000 chunks (squares
   N=1,000,000, chunks=100,000, 2 processes), whose timeline gets hundreds of batches of
   hundreds of chunks each. For contrast (reference rows, not targets) the same timer runs while
   two plain `threading.Thread`s count the same primes INSIDE the GUI process, once alone and
   once while the GUI draws their chunks live in the real timeline chart ~30 times a second as
   it does for a real run: they hold the GIL the event loop needs, which is why the tutor runs
   every experiment in a helper process (docs/architecture.md, Landmines: measured ~70 ms max
   there). Gaps
   over 15 ms are explained below the table from the GUI thread's scheduler statistics: its own
   CPU time, time waiting for a free core, and the rest.

2. Start-up. Time from process start (the parent's monotonic clock just before it starts the
   child; CLOCK_MONOTONIC is shared by all processes) to the first complete frame of the window:
   the first QEvent.Paint of any widget of the window, then a zero-timer so the whole first paint
   pass (and its flush) is included. Measured for (a) the tutor window as `mp-tutor` builds it
   and (b) a bare QMainWindow holding one pyqtgraph PlotWidget, both 1280x800, each in fresh
   `python -c` subprocesses, alternating, after one unmeasured warm-up of each; medians of the
   repetitions; target: tutor <= 1.3x bare, light and dark alike. Every tutor child gets a
   fresh MP_TUTOR_CONFIG_DIR holding a returning learner's settings (appearance light or dark).
   Both start from bytecode: the tutor's modules are compiled first (see bytecode.py).

This module imports no Qt at module level: the tutor's runs use spawn, and every spawned helper
and worker re-imports the launching script as `__mp_main__` (docs/architecture.md,
Landmines). Qt imported
here at module level would load Qt into every worker and skew the very runs being measured.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the type checker: no Qt at module level (see the docstring)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QPushButton

    from tutor.engine.records import RunConfig, RunResult, WorkerFailure
    from tutor.ui.shell.main_window import MainWindow

TICK_MS = 5
MAX_GAP_TARGET_MS = 50.0
P99_GAP_TARGET_MS = 20.0
STARTUP_RATIO_TARGET = 1.3
# A returning learner's settings (the appearance is filled in per kind of tutor child).
RETURNING_SETTINGS = (
    "[view]\ntheme={theme}\n[run]\nworkload=primes\nsize=1000000\nworkers=2\n"
    "startMethod=spawn\nchunks=0\nprocessApi=processes\n"
    '[progress]\nsections_read="[\\"Why threads do not help\\"]"\n'
    "[quiz]\nbest_score=3\nbest_total=4\nattempts=2\n"
)
TUTOR_KINDS = {"tutor light": "light", "tutor dark": "dark"}
SIZE = 1_000_000
WORKERS = 2
EXPECTED_PRIMES = 78_498  # primes <= 1,000,000
MANY_CHUNKS = 100_000
EXPECTED_SQUARES = (SIZE - 1) * SIZE * (2 * SIZE - 1) // 6  # sum of i*i for i below SIZE
FIRST = "first run: "
MANY = "100,000 chunks: "
RUN_TIMEOUT_S = 120.0
CHILD_TIMEOUT_S = 60.0
IDLE_S = 1.0
MARK = "UIR-STARTUP "
REPO_ROOT = Path(__file__).resolve().parents[2]
EXPLAIN_OVER_MS = 15.0  # gaps longer than this are explained under the table
GIL_PLAIN = "2 threads IN the GUI process"
GIL_LIVE = "2 threads IN the GUI process + live chart"


# --- statistics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GapStats:
    """Event-loop gaps of one phase, in milliseconds."""

    label: str
    ticks: int
    max_ms: float
    p99_ms: float
    mean_ms: float
    duration_s: float
    target: bool  # False for reference rows (idle, GIL contrast)
    note: str = ""
    worst: tuple[str, ...] = ()  # the longest gaps, explained (diagnostics, not the table)

    @property
    def passed(self) -> bool:
        return self.max_ms <= MAX_GAP_TARGET_MS and self.p99_ms <= P99_GAP_TARGET_MS

    @property
    def verdict(self) -> str:
        verdict = "PASS" if self.passed else "MISS"
        return verdict if self.target else f"reference (would {verdict})"


@dataclass(frozen=True)
class Gap:
    """The time between two timeouts (or a window's start / end and the nearest timeout)."""

    start: float
    end: float
    first: int | None  # index of the tick that opens the gap; None: the window's start
    last: int | None  # index of the tick that closes it; None: the window's end

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a p99 that really occurred)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def gap_stats(label: str, gaps: Sequence[Gap], target: bool, note: str = "") -> GapStats:
    """Count, mean, p99 and max of one phase's gaps."""
    lengths = [g.ms for g in gaps] or [0.0]
    return GapStats(
        label=label,
        ticks=sum(1 for g in gaps if g.last is not None),
        max_ms=max(lengths),
        p99_ms=percentile(lengths, 0.99),
        mean_ms=statistics.fmean(lengths),
        duration_s=sum(g.end - g.start for g in gaps),
        target=target,
        note=note,
    )


# --- part 1: event-loop responsiveness ----------------------------------------------------


@dataclass
class Phase:
    """One run (or the idle / in-process reference): the gaps that END in (lo, hi].

    A measuring window is one spin of a local event loop (from the click to `batch_finished`);
    outside it the loop is not running, so gaps never reach across windows. Within a window a
    gap is never cut in two: it counts for the run during which it ended.
    """

    label: str
    lo: float
    hi: float = 0.0
    note: str = ""
    window: tuple[float, float] = (0.0, 0.0)


@dataclass
class Recorder:
    """The 5 ms timer's timeouts, and the phases cut out of them afterwards.

    Besides the time, each tick keeps the GUI thread's scheduler statistics (Linux
    /proc/thread-self/schedstat: ns on a CPU, ns waiting in the run queue), read with one
    pread (< 1 us). They split a long gap into work done by the GUI thread, time spent waiting
    for a free core (machine load), and the rest: asleep, i.e. the timer period or the GIL.
    """

    ticks: list[float] = field(default_factory=list)
    sched: list[bytes] = field(default_factory=list)
    events: list[tuple[float, str]] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    timer: QTimer | None = None
    _fd: int | None = None

    def start(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        try:  # opened by the GUI thread: these are its own statistics
            self._fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        except OSError:
            self._fd = None
        ticks, sched, fd = self.ticks, self.sched, self._fd
        perf, pread = time.perf_counter, os.pread

        def tick() -> None:  # nothing else: this measures the loop, it must not load it
            ticks.append(perf())
            if fd is not None:
                sched.append(pread(fd, 64, 0))

        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(TICK_MS)
        timer.timeout.connect(tick)
        timer.start()
        self.timer = timer

    def note(self, name: str) -> Callable[..., None]:
        """A slot that records when the GUI thread handled a controller signal."""
        return lambda *_: self.events.append((time.perf_counter(), name))

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def gaps(self, phase: Phase) -> list[Gap]:
        """The gaps of `phase`'s measuring window that end inside the phase."""
        lo, hi = phase.window
        inside = [i for i, t in enumerate(self.ticks) if lo < t <= hi]
        points: list[tuple[float, int | None]] = [(lo, None), *((self.ticks[i], i) for i in inside)]
        gaps = [Gap(a, b, ia, ib) for (a, ia), (b, ib) in zip(points, points[1:], strict=False)]
        # The stretch from the last tick to the window's end is a gap only if it is a stall.
        if (hi - points[-1][0]) * 1000 > TICK_MS:
            gaps.append(Gap(points[-1][0], hi, points[-1][1], None))
        return [g for g in gaps if phase.lo < g.end <= phase.hi]

    def explain(self, gap: Gap, since: float) -> str:
        """Where the time of one gap went, from the GUI thread's scheduler statistics."""
        text = f"+{gap.end - since:.2f} s: gap {gap.ms:.1f} ms"
        if gap.first is not None and gap.last is not None and len(self.sched) == len(self.ticks):
            before, after = self.sched[gap.first].split(), self.sched[gap.last].split()
            cpu = (int(after[0]) - int(before[0])) / 1e6
            queued = (int(after[1]) - int(before[1])) / 1e6
            text += (
                f" = GUI thread on a CPU {cpu:.1f} + waiting for a free core {queued:.1f} "
                f"+ asleep (timer period / GIL / locks) {gap.ms - cpu - queued:.1f}"
            )
        handled = sorted({name for t, name in self.events if gap.start < t <= gap.end})
        if handled:
            text += f"; GUI handled {', '.join(handled)}"
        return text


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


def click_and_wait(
    window: MainWindow,
    button: QPushButton,
    recorder: Recorder,
    expected: int = EXPECTED_PRIMES,
    prefix: str = "",
) -> list[Phase]:
    """Click a run button; one phase per run of the batch (baseline first, if any), each
    labelled `prefix` + its mode."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    controller = window.controller
    phases: list[Phase] = []
    failures: list[str] = []
    state = {"lo": 0.0}

    def on_finished(result: RunResult) -> None:
        now = time.perf_counter()
        ok = result.answer == expected
        note = f"run {result.wall_s:.2f} s" + ("" if ok else f", WRONG result {result.answer}")
        phases.append(Phase(prefix + result.config.mode, state["lo"], now, note))
        state["lo"] = now

    def on_failed(config: RunConfig, failure: WorkerFailure) -> None:
        failures.append(f"{config.mode}: {failure.message}")

    def click() -> None:
        state["lo"] = time.perf_counter()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)

    controller.run_finished.connect(on_finished)
    controller.run_failed.connect(on_failed)
    connections: list[Callable[[], None]] = []

    def connect_quit(quit_slot: Callable[[], None]) -> None:
        controller.batch_finished.connect(quit_slot)
        connections.append(lambda: controller.batch_finished.disconnect(quit_slot))

    try:
        finished = wait_in_local_loop(click, connect_quit, RUN_TIMEOUT_S)
        window_end = time.perf_counter()
    finally:
        for undo in connections:
            undo()
        controller.run_finished.disconnect(on_finished)
        controller.run_failed.disconnect(on_failed)
    if not finished:
        raise RuntimeError(f"no batch_finished within {RUN_TIMEOUT_S:.0f} s")
    if failures:
        raise RuntimeError("run failed: " + "; ".join(failures))
    if not phases:
        raise RuntimeError("the click started no run (were the buttons disabled?)")
    phases[-1].hi = window_end  # batch_finished comes a little after the last run_finished
    for phase in phases:
        phase.window = (phases[0].lo, window_end)
    recorder.phases.extend(phases)
    return phases


def idle_phase(recorder: Recorder) -> None:
    """One second of nothing: the timer's own jitter on this machine, for reference."""
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


def many_chunks_runs(window: MainWindow, recorder: Recorder) -> None:
    """Squares, N=1,000,000 cut into 100,000 chunks, 2 processes (and its new baseline)."""
    panel = window.run_panel
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("squares"))
    panel.workload_size.setValue(SIZE)  # after the workload: choosing one resets the size
    panel.chunk_count.setValue(MANY_CHUNKS)
    panel.process_api.setCurrentIndex(panel.process_api.findData("processes"))
    try:
        phases = click_and_wait(
            window, panel.run_processes_button, recorder, EXPECTED_SQUARES, prefix=MANY
        )
    finally:
        panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("primes"))
        panel.workload_size.setValue(SIZE)
        panel.chunk_count.setValue(0)
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


def measure_responsiveness() -> list[GapStats]:
    """Part 1: the real window, the real buttons, the real helper processes."""
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tutor.app import create_main_window

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
        many_chunks_runs(window, recorder)
        in_process_threads_phase(window, recorder, GIL_PLAIN, live_updates=False)
        in_process_threads_phase(window, recorder, GIL_LIVE, live_updates=True)
    finally:
        recorder.stop()
        window.close()  # saves settings (into the temp dir) and stops the controller
        app.processEvents()

    titles = {
        FIRST + "sequential": "first run after opening: sequential baseline",
        FIRST + "processes": "first run after opening: processes (Pool)",
        MANY + "sequential": "100,000 chunks: sequential baseline",
        MANY + "processes": "100,000 chunks: processes (Pool)",
        "idle": "idle (timer jitter)",
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


# --- part 2: start-up ---------------------------------------------------------------------

_CHILD_HEAD = """
import json, os, sys, time
T0 = int(os.environ["UIR_T0_NS"])
def ms():
    return (time.monotonic_ns() - T0) / 1e6
marks = {"interpreter": ms()}
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
"""

_CHILD_TUTOR = """
from tutor.app import _application, create_main_window
marks["imports"] = ms()
app = _application()  # what `mp-tutor` does (tutor.app.run_app)
window = create_main_window()
window.resize(1280, 800)
marks["window"] = ms()
"""

_CHILD_BARE = """
import pyqtgraph as pg
from PySide6.QtWidgets import QMainWindow
marks["imports"] = ms()
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(pg.PlotWidget())
window.resize(1280, 800)
marks["window"] = ms()
"""

_CHILD_TAIL = """
def done():
    marks["first_frame"] = ms()
    print(%(mark)r + json.dumps(marks), flush=True)
    os._exit(0)  # measured; skip teardown (nothing of value to save)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "first_paint" not in marks:
            if obj.isWidgetType() and obj.window() is window:
                marks["first_paint"] = ms()
                QTimer.singleShot(0, done)  # after the whole first paint pass and its flush
        return False

first_paint = FirstPaint()
app.installEventFilter(first_paint)  # only now: construction events are not filtered
window.show()
marks["shown"] = ms()
QTimer.singleShot(%(timeout_ms)d, lambda: (print("UIR-TIMEOUT", flush=True), os._exit(3)))
app.exec()
"""


def child_code(kind: str) -> str:
    body = _CHILD_TUTOR if kind in TUTOR_KINDS else _CHILD_BARE
    tail = _CHILD_TAIL % {"mark": MARK, "timeout_ms": int(CHILD_TIMEOUT_S * 1000)}
    return _CHILD_HEAD + body + tail


def launch_once(kind: str) -> dict[str, float]:
    """One fresh child process; its milestones in ms since just before it was started."""
    with tempfile.TemporaryDirectory(prefix="uir-config-") as config_dir:
        if kind in TUTOR_KINDS:
            settings = RETURNING_SETTINGS.format(theme=TUTOR_KINDS[kind])
            (Path(config_dir) / "mp-tutor.ini").write_text(settings, encoding="utf-8")
        env = dict(os.environ, MP_TUTOR_CONFIG_DIR=config_dir)
        env["UIR_T0_NS"] = str(time.monotonic_ns())
        done = subprocess.run(
            [sys.executable, "-c", child_code(kind)],
            env=env,
            cwd=REPO_ROOT,  # `python -c` puts the cwd first on sys.path: measure this checkout
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT_S + 10,
            check=False,
        )
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    raise RuntimeError(
        f"{kind} start-up child failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    )


@dataclass(frozen=True)
class StartupStats:
    kind: str
    samples_ms: list[float]
    phases_ms: dict[str, float]  # medians of each milestone

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)


def measure_startup(reps: int) -> list[StartupStats]:
    """Part 2: alternate tutor (light, dark) / bare children; one unmeasured warm-up of each
    first. The tutor children start with a returning learner's settings."""
    kinds = (*TUTOR_KINDS, "bare")
    from bytecode import compile_tutor  # beside this script (see there why)

    compile_tutor()
    for kind in kinds:
        launch_once(kind)  # warm the page cache and .pyc files; not counted
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    for rep in range(reps):
        # Alternate which goes first, so slow drifts in machine load hit both alike.
        for kind in kinds if rep % 2 == 0 else kinds[::-1]:
            runs[kind].append(launch_once(kind))
    out = []
    for kind in kinds:
        marks = runs[kind]
        keys = ("interpreter", "imports", "window", "shown", "first_paint", "first_frame")
        phases = {key: statistics.median(m[key] for m in marks) for key in keys}
        out.append(StartupStats(kind, [m["first_frame"] for m in marks], phases))
    return out


# --- report -------------------------------------------------------------------------------


def machine_line() -> str:
    import pyqtgraph
    import PySide6

    try:
        load = "load avg " + " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load avg n/a"
    qpa = os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "default")
    return (
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"pyqtgraph {pyqtgraph.__version__}, {os.cpu_count()} logical CPUs, "
        f"{platform.system()} {platform.release()}, QPA {qpa}, {load}"
    )


def print_gap_table(stats: list[GapStats]) -> None:
    print()
    print(
        f"Event-loop gaps of a {TICK_MS} ms QTimer in the real window, primes N={SIZE:,}, "
        f"{WORKERS} workers (targets: max <= {MAX_GAP_TARGET_MS:.0f} ms, "
        f"p99 <= {P99_GAP_TARGET_MS:.0f} ms)"
    )
    print()
    print("| mode | ticks | mean ms | p99 ms | max ms | result | notes |")
    print("|---|---:|---:|---:|---:|---|---|")
    for s in stats:
        print(
            f"| {s.label} | {s.ticks} | {s.mean_ms:.1f} | {s.p99_ms:.1f} | {s.max_ms:.1f} "
            f"| {s.verdict} | {s.note} |"
        )


def print_worst_gaps(stats: list[GapStats]) -> None:
    rows = [(s.label, line) for s in stats for line in s.worst]
    if not rows:
        return
    print()
    print(f"Diagnostics: the longest gaps over {EXPLAIN_OVER_MS:.0f} ms (top 3 per mode)")
    for label, line in rows:
        print(f"  {label}: {line}")


def print_startup_table(stats: list[StartupStats]) -> dict[str, float]:
    """The start-up table; returns each tutor kind's ratio to the bare window."""
    bare = next(s for s in stats if s.kind == "bare")
    print()
    print(
        f"Start-up: process start to the first painted frame, median of {len(bare.samples_ms)} "
        f"fresh processes each, alternating, the tutor with a returning learner's settings "
        f"(target: tutor <= {STARTUP_RATIO_TARGET}x bare, light and dark alike)"
    )
    print()
    print(
        "| window | median ms | runs ms | interpreter | imports done | built | shown "
        "| first paint |"
    )
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    titles = {
        "tutor light": "mp-tutor main window, light",
        "tutor dark": "mp-tutor main window, dark",
        "bare": "bare QMainWindow + PlotWidget",
    }
    for s in stats:
        runs = ", ".join(f"{x:.0f}" for x in s.samples_ms)
        p = s.phases_ms
        print(
            f"| {titles[s.kind]} | {s.median_ms:.0f} | {runs} | {p['interpreter']:.0f} "
            f"| {p['imports']:.0f} | {p['window']:.0f} | {p['shown']:.0f} "
            f"| {p['first_paint']:.0f} |"
        )
    ratios = {}
    for s in stats:
        if s.kind == "bare":
            continue
        ratio = ratios[s.kind] = s.median_ms / bare.median_ms
        verdict = "PASS" if ratio <= STARTUP_RATIO_TARGET else "MISS"
        print(f"| **ratio {s.kind} / bare** | **{ratio:.2f}x** | {verdict} | | | | | |")
    return ratios


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--startup-reps", type=int, default=5, help="children per window kind")
    parser.add_argument("--skip-responsiveness", action="store_true")
    parser.add_argument("--skip-startup", action="store_true")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    began = time.perf_counter()
    print(machine_line(), flush=True)
    misses: list[str] = []
    with tempfile.TemporaryDirectory(prefix="uir-settings-") as config_dir:
        # The window in this process keeps its settings out of the user's real ones.
        os.environ["MP_TUTOR_CONFIG_DIR"] = config_dir
        gaps: list[GapStats] = []
        if not args.skip_responsiveness:
            print("measuring event-loop gaps during real runs …", flush=True)
            gaps = measure_responsiveness()
            misses += [f"gaps: {s.label}" for s in gaps if s.target and not s.passed]
        startup: list[StartupStats] | None = None
        if not args.skip_startup:
            print(f"measuring start-up ({args.startup_reps} + 1 children each) …", flush=True)
            startup = measure_startup(args.startup_reps)

    print("\n## UI responsiveness and start-up (tests/perf/ui_responsiveness.py)\n")
    print(machine_line())
    if gaps:
        print_gap_table(gaps)
    if startup is not None:
        for kind, ratio in print_startup_table(startup).items():
            if ratio > STARTUP_RATIO_TARGET:
                misses.append(f"start-up ratio {kind} {ratio:.2f}x")
    print_worst_gaps(gaps)
    print()
    print(f"Overall: {'PASS' if not misses else 'MISS (' + '; '.join(misses) + ')'}")
    print(f"(measured in {time.perf_counter() - began:.0f} s)")
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))  # run from anywhere
    sys.exit(main())
