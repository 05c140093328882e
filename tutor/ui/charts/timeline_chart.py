"""Per-worker chunk timeline of one run: who computed what, when, and how long it waited.

Drawing. Each chunk is a bar in its worker's lane from `start_s` to `end_s` (its wall time). The
bar is split by *height*, not by length: the solid bottom part is the share of the wall time the
chunk really computed (cpu_s / wall_s), the lighter hatched top part the share it waited (for the
GIL or for a free core). A chunk's CPU time is spread over its whole wall interval (CPython switches
threads every few milliseconds), so a solid piece of length cpu_s placed at the start or end of the
bar would invent a moment when it ran. The fill level does not: two CPU-bound threads show two
half-filled lanes at the same time (they take turns on one core: the solid parts of all lanes
add up to about one lane), while N processes on N cores show N full lanes side by side.

Performance. Chunks arrive in batches (~30 a second at most); all bars of one kind live in one
`BarGraphItem`. A batch costs work in proportion to the batch and to the bars drawn, never to the
chunks so far: a lane draws at most a few thousand bars, merging neighbours past that
(`lane_bars`), the summary is kept as running totals, after a run's first batch the bars are
redrawn at most ~10 times a second (`redraw_throttle`), the time axis moves in round steps
while chunks stream in (`live_range`), the legend only when its words or colours change, and
the hatch is fitted to the view when painted (`hatched_bars`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFontMetricsF,
    QPalette,
)
from PySide6.QtWidgets import QWidget

from tutor.engine.records import ChunkTiming, RunConfig, RunResult
from tutor.ui.charts.chart_base import (
    READABLE_PLOT_HEIGHT,
    ChartView,
    set_plot_title,
    settle_layout,
    show_legend,
    style_plot,
)
from tutor.ui.charts.chart_hover import ChartHover
from tutor.ui.charts.chunk_feed import ChunkFeed
from tutor.ui.charts.hatched_bars import HatchedBarsItem
from tutor.ui.charts.lane_bars import LaneBars, LaneChunks, lane_limit
from tutor.ui.charts.live_range import fitted_end, live_end
from tutor.ui.charts.redraw_throttle import RedrawThrottle
from tutor.ui.charts.styles import hatch_brush, style_of
from tutor.ui.charts.timeline_words import cause_of, chunk_tooltip, lane_label, timeline_summary

BAR_HEIGHT = 0.72  # of one lane
REDRAW_INTERVAL_MS = 100  # after a run's first batch, redrawn at most every 100 ms
_HALF = BAR_HEIGHT / 2


class TimelineChartView(ChartView):
    """One lane per worker, one bar per chunk; the waiting share of each bar drawn hatched."""

    least_plot_height = READABLE_PLOT_HEIGHT  # the main window's charts stay readable

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "timelineChart", "Chunk timeline: one lane per worker, one bar per chunk", parent
        )
        self._waiting_cause = "waiting (for the GIL or for a core)"  # until a run says which
        self._config: RunConfig | None = None
        self._lane_of: dict[int | str, int] = {}
        self._lane_labels: list[str] = []
        self._chunks: list[ChunkTiming] = []
        self._by_lane: list[LaneChunks] = []
        self._bars: list[LaneBars] = []
        self._cpu_total = 0.0
        self._first_start = float("inf")
        self._last_end = 0.0
        self._feed = ChunkFeed(self)  # redraws a long finished run a slice per turn
        self._throttle = RedrawThrottle(lambda: self._redraw(False), REDRAW_INTERVAL_MS, self)
        self._lanes_changed = False  # since the last redraw (a throttled one may wait)
        self._colors_key: tuple | None = None  # what the bars and legend were last styled for

        item = self.getPlotItem()
        item.setMouseEnabled(x=True, y=False)
        item.setLabel("bottom", "seconds since run start")
        item.getViewBox().invertY(True)  # first lane on top
        # Room on the right for the last tick label: the chart sits at the window's edge, and
        # pyqtgraph hides a label that would stick out (the empty chart lost its "1.0").
        left, top, _right, bottom = item.layout.getContentsMargins()
        item.layout.setContentsMargins(left, top, 16, bottom)
        item.getAxis("bottom").setStyle(hideOverlappingLabels=14)  # may use that margin

        self._cpu_bars = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[], name="computing")
        self._wait_bars = HatchedBarsItem(x0=[], x1=[], y0=[], y1=[], name="waiting (GIL or core)")
        item.addItem(self._wait_bars)
        item.addItem(self._cpu_bars)
        self._hatch = QBrush()

        # The legend sits in its own row under the x axis, so it never covers a bar. Its samples
        # are stand-ins (the hatch brush of the real bars is set up for the plot's transform);
        # clicking a sample still shows or hides the real bars.
        self.add_legend_row()
        self._cpu_sample = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        self._wait_sample = pg.BarGraphItem(x0=[], x1=[], y0=[], y1=[])
        for sample, bars in (
            (self._cpu_sample, self._cpu_bars),
            (self._wait_sample, self._wait_bars),
        ):
            sample.visibleChanged.connect(
                lambda sample=sample, bars=bars: bars.setVisible(sample.isVisible())
            )

        self._hover = ChartHover(self, self.tooltip_at)
        self._apply_style()
        self._styled = True
        self._redraw()

    # ----------------------------------------------------------------- public API
    def start_run(self, config: RunConfig, *, describe: bool = True) -> None:
        """Forget the previous run and title the chart for this one; `describe`: say so to
        assistive technology ("no chunks yet") rather than wait for `finish_run`."""
        self._running = True  # quiet while the old picture goes: one description, below
        self.clear()
        self._config = config
        self._waiting_cause = cause_of(config)
        if config.mode == "sequential":
            title = "sequential — chunk timeline"
        else:
            title = f"{config.mode} × {config.workers} — chunk timeline"
        set_plot_title(self, title)
        self._apply_colors()
        if describe:
            self._running = False
            self._update_description()  # "no chunks yet"
            self._running = True

    def finish_run(self) -> None:
        """The run ended (however it ended): the x range fits the data, and the whole
        picture is described now."""
        self._running = False
        if self._throttle.pending:
            self._throttle.flush()  # the batches a throttled redraw still held back
        else:
            self._fit_x_range()
            self.describe()

    def waiting_cause(self) -> str:
        """What the hatched parts of the bars stand for, as the legend says it."""
        return self._waiting_cause

    def show_result(self, result: RunResult) -> None:
        """A finished run's chunks (of its typical repeat), its waits worded with what it
        knows now: whether other programs held cores meanwhile.

        When the chart already shows exactly these chunks (they streamed in during the run)
        nothing is redrawn; otherwise a long run is redrawn a slice per event-loop turn
        (`chunk_feed`), so the window never stalls however many chunks it has.
        """
        share = result.reliability.other_cpu_fraction if result.reliability else None
        if self._shows(result):
            self._waiting_cause = cause_of(result.config, share, result.gil_enabled)
            self._apply_colors()  # the legend is rebuilt only for new words
            self.finish_run()
            return
        self.start_run(result.config, describe=False)  # redrawn at once: one description
        self._waiting_cause = cause_of(result.config, share, result.gil_enabled)
        self._apply_colors()
        self._running = True  # described once, when the last slice is in
        self._feed.start(result.chunks, self.add_chunks, self.finish_run)

    def _shows(self, result: RunResult) -> bool:
        """True when the chart holds exactly `result`'s chunks, in order, for its config."""
        chunks = result.chunks
        return (
            not self._feed.busy
            and self._config == result.config
            and len(self._chunks) == len(chunks)
            and (not chunks or (self._chunks[0] == chunks[0] and self._chunks[-1] == chunks[-1]))
        )

    def add_chunks(self, chunks: Sequence[ChunkTiming]) -> None:
        """Add a batch of finished chunks (one bounded redraw per batch)."""
        if not chunks:
            return
        lanes_before = len(self._lane_labels)
        by_key: dict[int | str, list[ChunkTiming]] = {}
        sequential = self._config is not None and self._config.mode == "sequential"
        for chunk in chunks:  # the one per-chunk loop: keep it lean (100,000 chunks a run)
            key = "main" if sequential else (chunk.lane or chunk.worker)
            group = by_key.get(key)
            if group is None:
                by_key[key] = group = []
            group.append(chunk)
        self._chunks.extend(chunks)
        new = {self._lane_for_key(key): added for key, added in by_key.items()}
        limit = lane_limit(len(self._lane_labels))
        for lane, added in new.items():
            count = len(added)
            start = np.fromiter((c.start_s for c in added), dtype=float, count=count)
            end = np.fromiter((c.end_s for c in added), dtype=float, count=count)
            cpu = np.fromiter((c.cpu_s for c in added), dtype=float, count=count)
            self._by_lane[lane].extend(added, start)
            self._bars[lane].extend(start, end, cpu)
            self._cpu_total += float(cpu.sum())
            self._first_start = min(self._first_start, float(start.min()))
            self._last_end = max(self._last_end, float(end.max()))
        lanes_changed = len(self._lane_labels) != lanes_before
        for lane, bars in enumerate(self._bars):
            if lane in new or lanes_changed:
                bars.shrink_to(limit)
        self._lanes_changed |= lanes_changed
        # The first batch of a run at once; then at most ~10 redraws a second, however small
        # the run: each redraw moves the x range, and with it the axes and a repaint of the
        # chart (~5 ms), and batches come ~30 times a second (tests/perf/ui_responsiveness.py).
        self._throttle.request(now=len(self._chunks) == len(chunks))

    def clear(self) -> None:
        """Remove every lane and bar (the title stays until the next `start_run`)."""
        self._feed.cancel()  # (and the redraw below, a held-back one)
        self._config = None
        self._lane_of.clear()
        self._lane_labels.clear()
        self._chunks.clear()
        self._by_lane.clear()
        self._bars.clear()
        self._cpu_total = 0.0
        self._first_start = float("inf")
        self._last_end = 0.0
        self._redraw()

    def lanes(self) -> list[str]:
        """Lane labels, top to bottom (in the order workers first reported a chunk)."""
        return list(self._lane_labels)

    def bar_count(self) -> int:
        """Number of chunks shown (past a few thousand per lane, several share one bar)."""
        return len(self._chunks)

    def drawn_bar_count(self) -> int:
        """Number of rectangles drawn for the chunks (bounded, see `lane_bars`)."""
        return sum(len(bars) for bars in self._bars)

    def drawn_chunk_count(self) -> int:
        """Chunks accounted for by the drawn bars (equals `bar_count()`)."""
        return sum(bars.chunk_count() for bars in self._bars)

    def chunks(self) -> list[ChunkTiming]:
        return list(self._chunks)

    def chunk_at(self, x: float, y: float) -> ChunkTiming | None:
        """The chunk whose bar covers data position (x seconds, y lane), if any."""
        lane = round(y)
        if not 0 <= lane < len(self._by_lane) or abs(y - lane) > _HALF:
            return None
        return self._by_lane[lane].at(x)

    def tooltip_at(self, x: float, y: float) -> str:
        """Tooltip text for data position (x, y); empty where there is no bar."""
        chunk = self.chunk_at(x, y)
        if chunk is None:
            return ""
        return chunk_tooltip(chunk, self._lane_labels[round(y)], self._waiting_cause)

    def hover_text(self) -> str:
        """The tooltip text last shown for the mouse position (empty off the bars)."""
        return self._hover.text

    def bar_rects(self, kind: str) -> list[tuple[float, float, float, float]]:
        """(x0, y0, x1, y1) of every drawn "cpu" or "waiting" rectangle, in data coordinates."""
        self._throttle.flush()
        bars = {"cpu": self._cpu_bars, "waiting": self._wait_bars}[kind]
        opts = bars.opts
        return [
            (float(a), float(b), float(c), float(d))
            for a, b, c, d in zip(opts["x0"], opts["y0"], opts["x1"], opts["y1"], strict=True)
        ]

    def summary_text(self) -> str:
        """The timeline in words, for screen readers (also the accessible description)."""
        title = self.getPlotItem().titleLabel.text or "Chunk timeline"
        return timeline_summary(
            title,
            self._lane_labels,
            len(self._chunks),
            self._cpu_total,
            self._first_start,
            self._last_end,
        )

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        self._hover.leave()
        super().leaveEvent(event)

    # ----------------------------------------------------------------- internals
    def _lane_for_key(self, key: int | str) -> int:
        """The lane of a worker key: "main" (sequential), a Dask worker's address, or a pid or
        thread id."""
        lane = self._lane_of.get(key)
        if lane is None:
            lane = len(self._lane_labels)
            self._lane_of[key] = lane
            self._lane_labels.append(self._lane_label(key))
            self._by_lane.append(LaneChunks())
            self._bars.append(LaneBars())
        return lane

    def _lane_label(self, key: int | str) -> str:
        return lane_label(self._config.mode if self._config is not None else None, key)

    def _redraw(self, lanes_changed: bool = True) -> None:
        self._throttle.cancel()  # drawn now
        lanes_changed, self._lanes_changed = lanes_changed or self._lanes_changed, False

        def column(name: str) -> np.ndarray:
            return np.concatenate([bars.column(name) for bars in self._bars] or [np.zeros(0)])

        start, end, cpu, wall = column("x0"), column("x1"), column("cpu"), column("wall")
        lane = np.concatenate(
            [np.full(len(bars), index, dtype=float) for index, bars in enumerate(self._bars)]
            or [np.zeros(0)]
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(wall > 0, np.clip(cpu / wall, 0.0, 1.0), 1.0)
        bottom = lane + _HALF  # lanes grow downwards (inverted y): the solid part sits below
        top = lane - _HALF
        split = bottom - share * BAR_HEIGHT
        waiting = share < 1.0
        self._cpu_bars.setOpts(x0=start, x1=end, y0=split, y1=bottom)
        self._wait_bars.setOpts(
            x0=start[waiting], x1=end[waiting], y0=top[waiting], y1=split[waiting]
        )

        item = self.getPlotItem()
        if lanes_changed:
            self._update_lane_axis()
            item.setYRange(-0.6, max(len(self._lane_labels), 1) - 0.4, padding=0)
        self._fit_x_range()
        settle_layout(self)  # new lanes' axis width, before the next paint (chart_base)
        self._update_description()

    def _fit_x_range(self) -> None:
        # While chunks stream in, the range moves in round steps (live_range: each move
        # rebuilds the time axis); a finished run's range fits its chunks.
        last = self._last_end if self._chunks else 0.0
        end = live_end(last) if self._running else fitted_end(last)
        self.getPlotItem().setXRange(0.0, end, padding=0)

    def _update_lane_axis(self) -> None:
        axis = self.getPlotItem().getAxis("left")
        axis.setTicks([list(enumerate(self._lane_labels)), []])
        # Reserve room for the lane labels up front: pyqtgraph only widens an axis after a paint
        # in which labels did not fit (and drops them in that paint).
        metrics = QFontMetricsF(self.font())
        widest = max((metrics.horizontalAdvance(label) for label in self._lane_labels), default=0)
        axis.setWidth(int(widest + metrics.averageCharWidth() * 2 + 10))

    _running = False  # between start_run() and finish_run()

    def _update_description(self) -> None:
        # During a run chunks stream in and the axes relayout (more so on a busy machine): a
        # screen reader re-reads a focused chart at each change, so it changes at the end only.
        if not self._running:
            self.describe()

    def _apply_style(self) -> None:
        style_plot(self)
        self._apply_colors()
        self._update_lane_axis()

    def _apply_colors(self) -> None:
        mode = self._config.mode if self._config is not None else "processes"
        color = QColor(style_of(mode).color)
        roles = (QPalette.ColorRole.Base, QPalette.ColorRole.Text)
        background, text = (self.palette().color(role) for role in roles)
        key = (color.rgba(), background.rgba(), text.rgba(), self.font(), self._waiting_cause)
        if key == self._colors_key:
            return
        self._colors_key = key
        outline = pg.mkPen(color.darker(160), width=1)
        self._hatch = hatch_brush(color, background)
        self._cpu_bars.setOpts(brush=pg.mkBrush(color), pen=outline)
        self._wait_bars.setOpts(pen=outline)
        self._wait_bars.set_hatch(self._hatch)  # kept in screen pixels when painted
        self._cpu_sample.setOpts(brush=pg.mkBrush(color), pen=outline)
        self._wait_sample.setOpts(brush=self._hatch, pen=outline)
        self._legend.setPen(pg.mkPen(None))
        entries = [(self._cpu_sample, "computing"), (self._wait_sample, self._waiting_cause)]
        size = f"{max(self.font().pointSizeF(), 1.0):.1f}pt"
        show_legend(self, self._legend, entries, text, size)
