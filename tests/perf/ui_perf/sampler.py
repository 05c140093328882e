"""What the GUI thread was doing during a long gap: a sampling profiler of its Python stack.

Opt-in (`ui_responsiveness.py --profile`): a daemon thread reads the GUI thread's current
frame (`sys._current_frames()`) about every millisecond and keeps (time, stack). After the
runs, the samples that fall inside a gap are grouped by their innermost frames in the tutor's
own code (or pyqtgraph's), so each long gap gets a line or two saying which of our functions
held the loop. The sampler needs the GIL to look, so a gap spent in one long Python call is
sampled about every switch interval (lowered to 1 ms while it runs); a gap spent inside Qt's
C++ with the GIL released is sampled at full rate, showing the Python call that entered Qt.
It costs the measured process some CPU, so rows measured with it are not for the README.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

PERIOD_S = 0.001
DEPTH = 40  # frames kept per sample, innermost first
OURS = ("tutor/", "pyqtgraph/")


def _where(code_file: str) -> str:
    for marker in OURS:
        at = code_file.rfind(marker)
        if at >= 0:
            return code_file[at:]
    return code_file.rsplit("/", 1)[-1]


@dataclass
class StackSampler:
    """Samples one thread's Python stack until stopped; `summary(lo, hi)` explains a span."""

    thread_id: int = field(default_factory=threading.get_ident)
    samples: list[tuple[float, tuple[str, ...]]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _old_interval: float = 0.005

    def start(self) -> None:
        self._old_interval = sys.getswitchinterval()
        sys.setswitchinterval(PERIOD_S)
        self._thread = threading.Thread(target=self._run, name="gui-sampler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        sys.setswitchinterval(self._old_interval)

    def _run(self) -> None:
        target, frames, perf, append = (
            self.thread_id,
            sys._current_frames,
            time.perf_counter,
            self.samples.append,
        )
        while not self._stop.is_set():
            frame = frames().get(target)
            stack: list[str] = []
            while frame is not None and len(stack) < DEPTH:
                code = frame.f_code
                stack.append(f"{_where(code.co_filename)}:{code.co_name}:{frame.f_lineno}")
                frame = frame.f_back
            append((perf(), tuple(stack)))
            time.sleep(PERIOD_S)

    def summary(self, lo: float, hi: float, top: int = 3) -> list[str]:
        """The commonest stacks between `lo` and `hi` (perf_counter s): our frames only,
        innermost first, with the share of samples each had."""
        inside = [stack for t, stack in self.samples if lo < t <= hi]
        if not inside:
            return []
        counted: Counter[tuple[str, ...]] = Counter()
        for stack in inside:
            ours = tuple(f for f in stack if f.startswith(OURS))[:6]
            counted[ours or stack[:3]] += 1
        lines = []
        for stack, n in counted.most_common(top):
            lines.append(f"{100 * n / len(inside):3.0f}% of {len(inside)}: " + " < ".join(stack))
        return lines
