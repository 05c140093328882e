"""Which Qt events the GUI thread handled during a long gap, and how long each took.

Opt-in with `ui_responsiveness.py --profile`, beside the stack sampler (ui_perf.sampler): the
sampler sees Python frames only, so a gap spent in Qt's own C++ (a relayout, a repaint of
plain Qt widgets) shows there as nothing but the benchmark's `loop.exec()`. An application-wide
event filter notes the start of every event the GUI thread delivers (time, event type, the
receiver's class and objectName). The time from one event's start to the next event's start is
charged to the first: nested events (a Paint inside an UpdateRequest) start later, so each is
charged its own part, roughly an exclusive time. Grouped per gap, the biggest shares say
"UpdateRequest on mainWindow 38 ms, LayoutRequest on QWidget 9 ms, Paint timingChart 12 ms".
The filter costs a Python call per event: like the sampler, not for the published numbers.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # no Qt at module level (see ui_responsiveness.py)
    from PySide6.QtCore import QObject


@dataclass
class EventTrace:
    """Start times of the events the GUI thread delivered; `summary(lo, hi)` explains a span."""

    starts: list[float] = field(default_factory=list)
    what: list[str] = field(default_factory=list)
    _filter: QObject | None = None
    _gc: object = None

    def start(self) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication

        starts, what, perf = self.starts, self.what, time.perf_counter
        names: dict[int, str] = {}

        def name_of(kind: int) -> str:
            if kind not in names:
                try:
                    names[kind] = QEvent.Type(kind).name
                except ValueError:
                    names[kind] = f"event {kind}"
            return names[kind]

        class Filter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                starts.append(perf())
                label = watched.objectName() or type(watched).__name__
                if not watched.objectName():  # e.g. a chart's viewport: name its parent too
                    parent = watched.parent()
                    if parent is not None:
                        label += "<" + (parent.objectName() or type(parent).__name__)
                kind = name_of(int(event.type()))
                if kind in ("Paint", "LayoutRequest", "UpdateRequest"):
                    # Who asked for it at once (repaint(), processEvents, a sync layout)? The
                    # Python frames under this filter say; from the event loop there are none.
                    frame, ours = sys._getframe(1), []
                    while frame is not None and len(ours) < 3:
                        name = frame.f_code.co_filename
                        if ("tutor/" in name or "pyqtgraph/" in name) and "ui_perf" not in name:
                            ours.append(f"{name.rsplit('/', 1)[-1]}:{frame.f_code.co_name}")
                        frame = frame.f_back
                    if ours:
                        label += " FROM " + "<".join(ours)
                what.append(f"{kind} {label}")
                return False

        app = QApplication.instance()
        self._filter = Filter()
        app.installEventFilter(self._filter)
        gui = threading.get_ident()

        def on_gc(phase: str, info: dict) -> None:  # a full pass holds the GIL: note it
            if info.get("generation", 0) < 2 and phase == "start":
                return
            where = "" if threading.get_ident() == gui else " (another thread)"
            starts.append(perf())
            what.append(
                f"gc gen {info.get('generation')}{where}" if phase == "start" else "after gc"
            )

        self._gc = on_gc
        gc.callbacks.append(on_gc)

    def stop(self) -> None:
        from PySide6.QtWidgets import QApplication

        if self._filter is not None:
            QApplication.instance().removeEventFilter(self._filter)
            self._filter = None
        if self._gc in gc.callbacks:
            gc.callbacks.remove(self._gc)

    def summary(self, lo: float, hi: float, top: int = 5) -> list[str]:
        """The events that took most of (lo, hi], with their count and total ms."""
        starts = self.starts
        total: dict[str, float] = defaultdict(float)
        count: dict[str, int] = defaultdict(int)
        for i, t in enumerate(starts):
            if t <= lo or t > hi:
                continue
            end = min(starts[i + 1] if i + 1 < len(starts) else hi, hi)
            total[self.what[i]] += end - t
            count[self.what[i]] += 1
        ranked = sorted(total, key=lambda k: -total[k])[:top]
        if not ranked:
            return []
        lines = [
            "events: " + ", ".join(f"{k} ×{count[k]} {1000 * total[k]:.0f} ms" for k in ranked)
        ]
        # The longest single events, in the order they came (offset from the gap's start).
        single = [
            (t, min(starts[i + 1] if i + 1 < len(starts) else hi, hi) - t, self.what[i])
            for i, t in enumerate(starts)
            if lo < t <= hi
        ]
        longest = sorted(sorted(single, key=lambda e: -e[1])[:8])
        lines.append(
            "in order: "
            + ", ".join(f"+{1000 * (t - lo):.0f} {w} {1000 * d:.0f}" for t, d, w in longest)
        )
        return lines
