"""Event-loop gaps: the 5 ms timer's ticks, the phases cut out of them, their statistics."""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ui_perf.constants import (
    MAX_GAP_TARGET_MS,
    P99_GAP_TARGET_MS,
    TICK_MS,
)

if TYPE_CHECKING:  # only for the type checker: no Qt at module level (see ui_responsiveness.py)
    from PySide6.QtCore import QTimer

    from ui_perf.event_trace import EventTrace
    from ui_perf.sampler import StackSampler


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
    """One run (or the idle / in-process reference): the gaps that END in (lo, hi], or, when
    `spans` is given, in any of its (start, end] spans (perf_counter seconds).

    A measuring window is one spin of a local event loop (from the click until the window has
    settled after `batch_finished`); outside it the loop is not running, so gaps never reach
    across windows. Within a window a gap is never cut in two: it counts for the run during
    which it ended. A run measured in rounds of repeats (A B A B …) has one span per repeat.
    """

    label: str
    lo: float
    hi: float = 0.0
    note: str = ""
    window: tuple[float, float] = (0.0, 0.0)
    spans: list[tuple[float, float]] = field(default_factory=list)

    def owns(self, t: float) -> bool:
        """Whether a gap ending at `t` counts for this phase."""
        if self.spans:
            return any(start < t <= end for start, end in self.spans)
        return self.lo < t <= self.hi


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
    sampler: StackSampler | None = None  # with --profile: what the GUI thread ran in a gap
    trace: EventTrace | None = None  # with --profile: which Qt events it handled in a gap
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
        return [g for g in gaps if phase.owns(g.end)]

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
        if self.sampler is not None:
            text += "".join(f"\n      {line}" for line in self.sampler.summary(gap.start, gap.end))
        if self.trace is not None:
            text += "".join(f"\n      {line}" for line in self.trace.summary(gap.start, gap.end))
        return text
