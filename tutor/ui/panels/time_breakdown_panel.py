"""The "Where the time goes" tab: a bar per process run, and the chunk-size experiment.

The panel asks for runs (a signal of plain configs) and shows what comes back; the main
window hands the configs to the run controller. Its "items per chunk" box is a friendlier face
for the run settings' chunk count: the two stay in step for the chosen workload and N.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tutor.analysis.breakdown import (
    CHUNK_SIZES,
    DEFAULT_SWEEP_SIZE,
    chunk_count_for_size,
    chunk_size_configs,
    items_per_chunk,
    workload_items,
)
from tutor.engine.chunking import MAX_CHUNKS
from tutor.engine.records import MAX_SIZE, RunConfig, RunResult
from tutor.engine.workloads import WORKLOADS
from tutor.models.run_settings import RunSettingsModel, Setting
from tutor.ui.charts.breakdown_chart import SEGMENT_STYLES, SEGMENT_TIPS, BreakdownChartView
from tutor.ui.charts.chunk_size_chart import ChunkSizeChartView
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.spin_box import spin_box

# The sweep's own workload: testing one number for primality is quick (for the small N the
# experiment uses), so a task's trip to a worker and back is a visible share of its time.
SWEEP_WORKLOAD = "primes"
SWEEP_WORKLOAD_TITLE = WORKLOADS[SWEEP_WORKLOAD].title
SWEEP_WORKLOAD_NOTE = (
    f"The chunk-size experiment always runs “{SWEEP_WORKLOAD_TITLE}”, whatever the run "
    "panel's workload: each number is quick to test, so the cost of sending tasks to the "
    "workers and results back shows. It uses the run panel's workers and start method."
)


class TimeBreakdownPanel(QWidget):
    """Breakdown bars of process runs, a chunk-size control and the chunk-size sweep."""

    sweep_requested = Signal(object)  # list[tuple[int, RunConfig]]: (items per chunk, config)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        charts: tuple[BreakdownChartView, ChunkSizeChartView] | None = None,
    ) -> None:
        """`charts`: the two charts, made beforehand (the window makes each in an idle turn
        of its own); made here when None."""
        super().__init__(parent)
        self.setObjectName("timeBreakdownPanel")
        self._run_settings: RunSettingsModel | None = None
        self._syncing = False
        self._busy = False
        self._sweep: dict[RunConfig, list[int]] = {}  # runs of the sweep still to come
        self._sweeping = False

        bars, sizes = charts if charts is not None else (BreakdownChartView(), ChunkSizeChartView())
        self.breakdown_chart = bars
        self.breakdown_chart.setToolTip(
            "\n".join(f"{SEGMENT_STYLES[name].label}: {tip}" for name, tip in SEGMENT_TIPS.items())
        )
        self.chunk_size_chart = sizes

        self.chunk_size = spin_box(
            "chunkSizeChoice",
            "Items per chunk for the run buttons (0 = automatic)",
            "How many numbers each task carries to a worker. Sets the run panel's chunk count "
            "for its workload and N; auto lets the engine choose.",
            limits=(0, MAX_SIZE),
            suffix=" items",
            special_text="auto",
            group_separators=True,
        )
        self.chunk_info = QLabel(objectName="chunkSizeInfo")
        self.chunk_info.setWordWrap(True)

        self.sweep_size = spin_box(
            "chunkSweepSize",
            "Workload size N for the chunk-size experiment",
            "N for the experiment. Small on purpose: with one item per chunk every number "
            "makes its own trip to a worker and back.",
            limits=(1, MAX_SIZE),
            step=10_000,
            value=DEFAULT_SWEEP_SIZE,
            group_separators=True,
        )

        sizes = f"{CHUNK_SIZES[0]}…{CHUNK_SIZES[-1]}"
        self.sweep_button = QPushButton(
            f"Try chunk sizes {sizes}", objectName="chunkSizeSweepButton"
        )
        self.sweep_button.setAccessibleName(
            f"Try chunk sizes {CHUNK_SIZES[0]} to {CHUNK_SIZES[-1]}"
        )
        self.sweep_button.setToolTip(
            f"Runs “{SWEEP_WORKLOAD_TITLE}” with the run panel's processes at "
            + ", ".join(map(str, CHUNK_SIZES))
            + " items per chunk, and plots the time of each"
        )
        self.sweep_status = DescribedLabel(
            "Chunk-size experiment status", objectName="chunkSweepStatus"
        )
        self.sweep_status.setWordWrap(True)
        self.sweep_status.setText(SWEEP_WORKLOAD_NOTE)
        self.sweep_status.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.sweep_button.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)
        self.chunk_size.setMinimumWidth(110)
        self.sweep_size.setMinimumWidth(100)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("&Items per chunk", buddy=self.chunk_size))
        controls.addWidget(self.chunk_size)
        controls.addSpacing(16)
        controls.addWidget(QLabel("Experiment &N", buddy=self.sweep_size))
        controls.addWidget(self.sweep_size)
        controls.addWidget(self.sweep_button)
        controls.addStretch(1)
        notes = QHBoxLayout()
        notes.addWidget(self.chunk_info, 1)
        notes.addWidget(self.sweep_status, 1)

        charts = QSplitter(Qt.Horizontal, objectName="breakdownSplitter")
        charts.addWidget(self.breakdown_chart)
        charts.addWidget(self.chunk_size_chart)
        charts.setChildrenCollapsible(False)
        charts.setStretchFactor(0, 3)
        charts.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addLayout(notes)
        layout.addWidget(charts, 1)

        self.sweep_button.clicked.connect(self._on_sweep_clicked)
        self.chunk_size.valueChanged.connect(self._on_chunk_size_changed)
        self._update_chunk_info()

    # --- the run panel's chunk count, as items per chunk -----------------------------------

    def attach_run_settings(self, run_settings: RunSettingsModel) -> None:
        """Keep "items per chunk" and the run settings' chunk count in step."""
        self._run_settings = run_settings
        self.destroyed.connect(run_settings.subscribe(self._on_run_setting_changed))
        self._on_run_chunks_changed()

    def _on_run_setting_changed(self, setting: Setting, _value: object) -> None:
        if setting is Setting.CHUNKS:
            self._on_run_chunks_changed()
        elif setting in (Setting.SIZE, Setting.WORKLOAD):
            self._on_run_size_changed()

    def _run_items(self) -> int | None:
        settings = self._run_settings
        if settings is None:
            return None
        try:
            return workload_items(settings.config(settings.process_api))
        except ValueError:  # e.g. a custom workload without its function yet
            return None

    def _on_chunk_size_changed(self, size: int) -> None:
        if self._syncing or self._run_settings is None:
            self._update_chunk_info()
            return
        items = self._run_items()
        count = 0 if size == 0 or items is None else chunk_count_for_size(items, size)
        self._syncing = True
        try:
            self._run_settings.set(Setting.CHUNKS, count)
        finally:
            self._syncing = False
        self._update_chunk_info()

    def _on_run_chunks_changed(self, *_: object) -> None:
        """The learner typed a chunk count in the run panel: show it as a chunk size."""
        if self._syncing or self._run_settings is None:
            return
        count = self._run_settings.chunks
        items = self._run_items()
        size = 0 if count == 0 or items is None else items_per_chunk(items, count)
        self._syncing = True
        try:
            self.chunk_size.setValue(size)
        finally:
            self._syncing = False
        self._update_chunk_info()

    def _on_run_size_changed(self, *_: object) -> None:
        """N or the workload changed: keep the chosen chunk size, recount the chunks."""
        if self.chunk_size.value() > 0:
            self._on_chunk_size_changed(self.chunk_size.value())
        else:
            self._update_chunk_info()

    def _update_chunk_info(self) -> None:
        settings = self._run_settings
        if settings is None:
            self.chunk_info.setText("")
            return
        count = settings.chunks
        items = self._run_items()
        if count == 0 or items is None:
            text = "Run buttons: the engine picks the chunks (a few per worker)."
        else:
            size = items_per_chunk(items, count)
            capped = " (the most the engine allows)" if count == MAX_CHUNKS else ""
            text = f"Run buttons: {count:,} chunks{capped} of up to {size:,} items."
        self.chunk_info.setText(text)

    # --- the chunk-size sweep ---------------------------------------------------------------

    def sweep_configs(self) -> list[tuple[int, RunConfig]]:
        """(items per chunk, config) for the sweep: the run settings' process run (workers,
        start method, Pool or executor), always on SWEEP_WORKLOAD at the experiment's N."""
        settings = self._run_settings
        if settings is None:
            base = RunConfig(SWEEP_WORKLOAD, self.sweep_size.value())
        else:
            base = settings.config(settings.process_api)
        # Whatever the run panel shows: a waiting or slow workload hides the transfer cost.
        base = replace(base, workload=SWEEP_WORKLOAD, function=None, chunks=None)
        return chunk_size_configs(replace(base, size=self.sweep_size.value()), CHUNK_SIZES)

    def _on_sweep_clicked(self) -> None:
        if self._busy:
            return
        try:
            pairs = self.sweep_configs()
        except ValueError as exc:
            self.sweep_status.setText(f"Cannot run this sweep: {exc}")
            return
        self.sweep_requested.emit(pairs)

    def begin_sweep(self, pairs: list[tuple[int, RunConfig]]) -> None:
        """The controller accepted the sweep: plot its runs as they finish."""
        self._sweep = {}
        self._sweeping = True
        for size, config in pairs:
            self._sweep.setdefault(config, []).append(size)
        self.chunk_size_chart.clear()
        workers = pairs[0][1].workers if pairs else 0
        self.sweep_status.setText(
            f"Running {len(pairs)} runs of “{SWEEP_WORKLOAD_TITLE}” on {workers} processes, "
            f"N={pairs[0][1].size:,}…"
            if pairs
            else ""
        )

    def end_sweep(self) -> None:
        """The batch ended (finished, failed or cancelled)."""
        if not self._sweeping:
            return
        self._sweeping = False
        missing = sum(len(sizes) for sizes in self._sweep.values())
        self._sweep = {}
        points = self.chunk_size_chart.points()
        if missing:
            self.sweep_status.setText(f"Stopped with {missing} chunk sizes still to run.")
        elif points:
            best = min(points, key=lambda p: p[1])
            worst = max(points, key=lambda p: p[1])
            self.sweep_status.setText(
                f"Fastest at {best[0]:,} items per chunk ({best[1]:.2f} s); "
                f"{worst[0]:,} per chunk took {worst[1] / best[1]:.1f}× as long."
            )

    def sweep_running(self) -> bool:
        return self._sweeping

    # --- results ----------------------------------------------------------------------------

    def add_result(self, result: RunResult) -> None:
        """Every finished run: a bar if it used processes, a point if it belongs to the sweep."""
        self.breakdown_chart.add_result(result)
        sizes = self._sweep.pop(result.config, None)
        for size in sizes or ():
            self.chunk_size_chart.add_point(size, result)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.sweep_button.setEnabled(not busy)
