"""The run panel: choose a workload and workers, start runs, watch progress and errors."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tutor.content.prediction import compare_prediction, format_factor
from tutor.content.run_wording import elapsed_text, finished_text, items_text, run_step_text
from tutor.engine.records import MAX_SIZE, Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.remote import RunStarted
from tutor.engine.workloads import WORKLOADS
from tutor.ui.panels.cluster_controls import ClusterControls
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.reliability_view import RepeatCountBox

FORK_WARNING = (
    "fork copies this process as it is, including Qt's running threads and any locks they "
    "hold; the child can deadlock on such a lock. spawn starts a fresh interpreter: slower "
    "to start, always safe. forkserver forks from a small clean server process and has "
    "spawn's rules."
)
START_METHOD_TIPS = {
    "spawn": "spawn (this app's default; Python's on Windows and macOS): each worker starts "
    "a fresh Python and imports your module.",
    "forkserver": "forkserver: a clean helper process forks the workers; "
    "the default on Linux from Python 3.14.",
    "fork": "fork: fast start by copying this process. Risky beside threads. " + FORK_WARNING,
}
PROCESS_APIS = (("processes", "multiprocessing.Pool"), ("executor", "ProcessPoolExecutor"))


def max_workers_allowed(cores: int | None = None) -> int:
    cores = cores or os.cpu_count() or 1
    return max(8, 2 * cores)


@dataclass(frozen=True)
class PanelState:
    """The panel's settings, persisted between sessions."""

    workload: str
    size: int
    workers: int
    start_method: str
    chunks: int  # 0 = automatic
    process_api: str


class RunPanel(QWidget):
    """Controls for one experiment; emits run requests and shows how they go."""

    runs_requested = Signal(object)  # list[RunConfig]
    cancel_requested = Signal()

    def __init__(self, start_methods: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runPanel")
        self._cores = os.cpu_count() or 1
        self._busy = False

        self.workload_choice = QComboBox(objectName="workloadChoice")
        for workload in WORKLOADS.values():
            self.workload_choice.addItem(workload.title, workload.name)
            index = self.workload_choice.count() - 1
            self.workload_choice.setItemData(index, workload.description, Qt.ToolTipRole)
        self.workload_choice.setAccessibleName("Workload")

        self.workload_size = QSpinBox(objectName="workloadSize")
        self.workload_size.setRange(0, MAX_SIZE)
        self.workload_size.setGroupSeparatorShown(True)
        self.workload_size.setSingleStep(10_000)
        self.workload_size.setAccessibleName("Workload size N")
        self.workload_size.setToolTip("N: how many numbers the workload goes through")

        self.worker_count = QSpinBox(objectName="workerCount")
        self.worker_count.setRange(1, max_workers_allowed(self._cores))
        self.worker_count.setValue(self._cores)
        self.worker_count.setAccessibleName("Number of workers")
        self.worker_count.setToolTip(f"This machine has {self._cores} logical CPUs")

        self.start_method = QComboBox(objectName="startMethod")
        # spawn first and selected: the safe choice beside Qt's threads (docs/architecture.md,
        # Landmines).
        ordered = [m for m in ("spawn", "forkserver", "fork") if m in start_methods]
        for method in ordered + [m for m in start_methods if m not in ordered]:
            self.start_method.addItem(method, method)
            index = self.start_method.count() - 1
            self.start_method.setItemData(index, START_METHOD_TIPS.get(method, ""), Qt.ToolTipRole)
        self.start_method.setToolTip(FORK_WARNING)
        self.start_method.setAccessibleName("Start method")

        self.process_api = QComboBox(objectName="processApi")
        for mode, title in PROCESS_APIS:
            self.process_api.addItem(title, mode)
        self.process_api.setAccessibleName("Process API")
        self.process_api.setToolTip("Which standard-library interface runs the process workers")

        self.chunk_count = QSpinBox(objectName="chunkCount")
        self.chunk_count.setRange(0, 100_000)
        self.chunk_count.setSpecialValueText("auto")
        self.chunk_count.setAccessibleName("Number of chunks (0 = automatic)")
        self.chunk_count.setToolTip(
            "How many pieces the work is cut into. auto: at least 16 and 4 per worker, "
            "interleaved so every piece costs about the same."
        )

        # Predict, then measure: the guess is taken when a run is requested.
        self.predicted_speedup = QDoubleSpinBox(objectName="predictedSpeedup")
        self.predicted_speedup.setRange(0.0, 999.0)
        self.predicted_speedup.setDecimals(2)
        self.predicted_speedup.setSingleStep(0.1)
        self.predicted_speedup.setSuffix("×")
        self.predicted_speedup.setSpecialValueText("no prediction")
        self.predicted_speedup.setAccessibleName("Predicted speedup (0 = no prediction)")
        self.predicted_speedup.setToolTip(
            "Before you run: how many times faster than sequential do you expect it to be? "
            "After the run the panel compares your guess with the measurement."
        )
        self.prediction_result = DescribedLabel(
            "Prediction against measurement", objectName="predictionResult"
        )
        self.prediction_result.setWordWrap(True)
        self.prediction_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.prediction_result.setVisible(False)
        self._prediction: tuple[float, RunConfig] | None = None
        self._span: tuple[int | None, int | None] = (None, None)  # the running run's first/last n
        self._elapsed_s: float | None = None  # since the running run was asked for

        # How often each run is measured (engine.repeats); the window passes it on.
        self.repeat_count = RepeatCountBox()
        self.run_sequential_button = QPushButton(
            "Run sequentially", objectName="runSequentialButton"
        )
        self.run_sequential_button.setToolTip(
            "One worker, no pool: the baseline every speedup is measured against (Ctrl+Shift+B)"
        )
        self.run_processes_button = QPushButton(objectName="runProcessesButton")
        self.run_threads_button = QPushButton(objectName="runThreadsButton")
        self.sweep_button = QPushButton(objectName="sweepButton")
        self.run_asyncio_button = QPushButton("Run with asyncio", objectName="runAsyncioButton")
        self.run_asyncio_button.setToolTip(
            "One event loop on one thread; each chunk a coroutine, N of them at a time. "
            "Waiting work overlaps; computing work just takes turns (Ctrl+Shift+A)"
        )
        self.cancel_button = QPushButton("Cancel", objectName="cancelButton")
        self.run_processes_button.setToolTip("Ctrl+R")
        self.run_threads_button.setToolTip("Ctrl+T")
        self.sweep_button.setToolTip(
            "Runs 1, 2, … N workers with threads and with processes to draw the curves"
        )
        self.cancel_button.setToolTip("Esc: stop the run; no worker process is left behind")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setAccessibleName("Cancel the run")
        # The same chunks on Dask: scheduler address (empty = local cluster) and its button.
        self.cluster_controls = ClusterControls()
        self.scheduler_address = self.cluster_controls.scheduler_address
        self.run_cluster_button = self.cluster_controls.run_cluster_button

        self.run_progress = QProgressBar(objectName="runProgress")
        self.run_progress.setRange(0, 1000)
        self.run_progress.setValue(0)
        self.run_progress.setTextVisible(True)
        self.run_progress.setFormat("idle")
        self.run_progress.setAccessibleName("Run progress")
        self.run_status = QLabel("Ready.", objectName="runStatus")
        self.run_status.setWordWrap(True)
        self.run_status.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.error_frame = QFrame(objectName="runErrorFrame")
        self.error_frame.setFrameShape(QFrame.StyledPanel)
        self.error_label = QLabel(objectName="runError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.details_button = QToolButton(objectName="errorDetailsButton")
        self.details_button.setText("Show details")
        self.details_button.setCheckable(True)
        self.error_details = QPlainTextEdit(objectName="errorDetails")
        self.error_details.setReadOnly(True)
        self.error_details.setAccessibleName("Error details")
        self.error_details.setVisible(False)
        self.details_button.toggled.connect(self._on_details_toggled)
        error_layout = QVBoxLayout(self.error_frame)
        error_top = QHBoxLayout()
        error_top.addWidget(self.error_label, 1)
        error_top.addWidget(self.details_button, 0, Qt.AlignTop)
        error_layout.addLayout(error_top)
        error_layout.addWidget(self.error_details)
        self.error_frame.setVisible(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow("Work&load", self.workload_choice)
        sizes = QGridLayout()
        sizes.addWidget(self.workload_size, 0, 0)
        sizes.addWidget(QLabel("Work&ers", buddy=self.worker_count), 0, 1, Qt.AlignRight)
        sizes.addWidget(self.worker_count, 0, 2)
        sizes.setColumnStretch(0, 2)
        sizes.setColumnStretch(2, 1)
        form.addRow(QLabel("Si&ze N", buddy=self.workload_size), sizes)
        methods = QGridLayout()
        methods.addWidget(self.start_method, 0, 0)
        methods.addWidget(QLabel("&Chunks", buddy=self.chunk_count), 0, 1, Qt.AlignRight)
        methods.addWidget(self.chunk_count, 0, 2)
        methods.setColumnStretch(0, 2)
        methods.setColumnStretch(2, 1)
        form.addRow(QLabel("Start &method", buddy=self.start_method), methods)
        apis = QGridLayout()  # the prediction shares the row: the panel stays short
        apis.addWidget(self.process_api, 0, 0)
        apis.addWidget(
            QLabel("Pre&dicted speedup", buddy=self.predicted_speedup), 0, 1, Qt.AlignRight
        )
        apis.addWidget(self.predicted_speedup, 0, 2)
        apis.setColumnStretch(0, 2)
        apis.setColumnStretch(2, 1)
        form.addRow(QLabel("Process &API", buddy=self.process_api), apis)
        form.addRow(QLabel("Das&k scheduler", buddy=self.scheduler_address), self.cluster_controls)
        form.addRow(QLabel("Num&ber of repeats", buddy=self.repeat_count), self.repeat_count)

        buttons = QHBoxLayout()
        for button in (
            self.run_sequential_button,
            self.run_processes_button,
            self.run_threads_button,
            self.run_asyncio_button,
            self.sweep_button,
            self.cancel_button,
        ):
            button.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.run_progress)
        layout.addWidget(self.run_status)
        layout.addWidget(self.prediction_result)
        layout.addWidget(self.error_frame)
        layout.addStretch(1)

        self.workload_choice.currentIndexChanged.connect(self._on_workload_changed)
        self.worker_count.valueChanged.connect(self._update_button_texts)
        self.run_sequential_button.clicked.connect(self._on_run_sequential_clicked)
        self.run_processes_button.clicked.connect(self._on_run_processes_clicked)
        self.run_threads_button.clicked.connect(self._on_run_threads_clicked)
        self.sweep_button.clicked.connect(self._on_sweep_clicked)
        self.run_asyncio_button.clicked.connect(self._on_run_asyncio_clicked)
        self.cluster_controls.run_requested.connect(self._on_run_cluster_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        # Connected first, so the guess is taken before anyone starts the runs.
        self.runs_requested.connect(self._remember_prediction)
        self._on_workload_changed()
        self._update_button_texts()

    # --- what the learner asked for -------------------------------------------------------

    def current_config(self, mode: str, workers: int | None = None) -> RunConfig:
        chunks = self.chunk_count.value() or None
        return RunConfig(
            workload=self.workload_choice.currentData(),
            size=self.workload_size.value(),
            mode=mode,
            workers=workers or self.worker_count.value(),
            start_method=self.start_method.currentData(),
            chunks=chunks,
        )

    def process_mode(self) -> str:
        return self.process_api.currentData()

    def sweep_configs(self) -> list[RunConfig]:
        top = self.worker_count.value()
        configs = [self.current_config(self.process_mode(), n) for n in range(1, top + 1)]
        configs += [self.current_config("threads", n) for n in range(1, top + 1)]
        workload = WORKLOADS.get(self.workload_choice.currentData())
        if workload is not None and workload.io_bound:  # waiting work: asyncio joins in
            configs += [self.current_config("asyncio", n) for n in range(1, top + 1)]
        return configs

    def _on_run_asyncio_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit([self.current_config("asyncio")])

    def _on_run_sequential_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit([self.current_config("sequential", 1)])

    def _on_run_processes_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit([self.current_config(self.process_mode())])

    def _on_run_threads_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit([self.current_config("threads")])

    def _on_sweep_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit(self.sweep_configs())

    def _on_run_cluster_requested(self, scheduler: str | None) -> None:
        if not self._busy:
            config = replace(self.current_config("cluster"), scheduler=scheduler)
            self.runs_requested.emit([config])

    def apply_request(
        self, workload: str, size: int, workers: int | None = None, mode: str | None = None
    ) -> None:
        """Set the controls as a lesson link asks (values outside the ranges are clamped)."""
        index = self.workload_choice.findData(workload)
        if index >= 0:
            self.workload_choice.setCurrentIndex(index)
        self.workload_size.setValue(size)
        if workers:
            self.worker_count.setValue(workers)
        if mode in ("processes", "executor"):
            self.process_api.setCurrentIndex(self.process_api.findData(mode))

    # --- how it goes ----------------------------------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for button in (
            self.run_sequential_button,
            self.run_processes_button,
            self.run_threads_button,
            self.sweep_button,
        ):
            button.setEnabled(not busy)
        self.run_asyncio_button.setEnabled(not busy)
        self.cluster_controls.set_busy(busy)  # stays disabled without Dask
        self.cancel_button.setEnabled(busy)
        if busy:
            self.error_frame.setVisible(False)

    def show_started(self, started: RunStarted, step: tuple[int, int, bool] | None = None) -> None:
        """A run began; `step`: (step, steps, an added baseline) in its batch, if known."""
        self.run_progress.setValue(0)
        self.run_progress.setFormat("%p%")
        config = started.config
        workload = WORKLOADS.get(config.workload)
        domain = workload.domain(config.size) if workload is not None else None
        self._span = (domain[0], domain[-1]) if domain else (None, None)
        self._elapsed_s = None
        number, steps, baseline = step or (None, None, False)
        what = f"{config.workload} N={config.size:,}"
        self.run_status.setText(
            run_step_text(number, steps, config.label(), what, started.chunks_total, baseline)
        )

    def show_progress(self, progress: Progress) -> None:
        self.run_progress.setValue(round(progress.fraction * 1000))
        self._elapsed_s = progress.elapsed_s
        first, last = self._span
        items = items_text(progress.items_done, progress.items_total, first, last)
        self.run_progress.setFormat(f"%p%  ·  {items}  ·  {elapsed_text(progress.elapsed_s)}")

    def show_finished(self, label: str, wall_s: float, speedup: float | None) -> None:
        self.run_progress.setValue(1000)
        self.run_status.setText(finished_text(label, wall_s, self._elapsed_s, speedup))

    def _remember_prediction(self, configs: list[RunConfig]) -> None:
        """Take the learner's guess for the run it is about (a sweep's top process run)."""
        predicted = self.predicted_speedup.value()
        parallel = [c for c in configs if c.mode != "sequential"]
        if not predicted or not parallel:
            self._prediction = None
            self.prediction_result.setVisible(False)
            return
        processes = [c for c in parallel if c.uses_processes]
        target = max(processes, key=lambda c: c.workers) if processes else parallel[-1]
        self._prediction = (predicted, target)
        self.prediction_result.setText(
            f"You predicted {format_factor(predicted)} for {target.label()}; measuring…"
        )
        self.prediction_result.setVisible(True)

    def show_prediction(self, result: RunResult) -> None:
        """After the predicted run: the guess against the measured speedup."""
        if self._prediction is None or result.config != self._prediction[1]:
            return
        predicted, target = self._prediction
        self._prediction = None
        comparison = compare_prediction(predicted, result.speedup, target.mode, target.workers)
        if comparison is None:
            text = (
                f"You predicted {format_factor(predicted)}; there was no sequential run "
                "to measure the speedup against."
            )
        else:
            text = f"{comparison.text()} {comparison.hint()}"
        self.prediction_result.setText(text)
        self.prediction_result.setVisible(True)

    def show_cancelled(self, config: RunConfig) -> None:
        self.run_progress.setFormat("cancelled")
        self.run_status.setText(f"Cancelled {config.label()}. No worker process is left running.")
        self._drop_prediction("was cancelled")

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        self.run_progress.setFormat("failed")
        headline = {
            "raised": "A worker raised an exception",
            "died": "A worker process died",
            "invalid": "These settings cannot run",
            "timeout": "The run took too long",
            "cluster": "The Dask cluster could not run it",
        }.get(failure.kind, "The run failed")
        self.run_status.setText(f"{headline}: {config.label()} stopped.")
        self.error_label.setText(f"{headline}. {failure.message}")
        details = failure.traceback or failure.message
        if failure.exitcode is not None:
            details += f"\nExit code: {failure.exitcode}"
        self.error_details.setPlainText(details)
        self.details_button.setVisible(bool(failure.traceback))
        self.details_button.setChecked(False)
        self.error_frame.setVisible(True)
        self._drop_prediction("failed")

    def _drop_prediction(self, how: str) -> None:
        """The batch ended before the predicted run finished: nothing to compare."""
        if self._prediction is None:
            return
        predicted = self._prediction[0]
        self._prediction = None
        self.prediction_result.setText(
            f"You predicted {format_factor(predicted)}, but the run {how}: run it again to compare."
        )

    def _on_details_toggled(self, shown: bool) -> None:
        self.error_details.setVisible(shown)
        self.details_button.setText("Hide details" if shown else "Show details")

    def _on_workload_changed(self) -> None:
        workload = WORKLOADS.get(self.workload_choice.currentData())
        if workload is not None:
            self.workload_size.setValue(workload.default_size)

    def _update_button_texts(self) -> None:
        n = self.worker_count.value()
        self.run_processes_button.setText(f"Run with {n} process{'es' if n != 1 else ''}")
        self.run_threads_button.setText(f"Run with {n} thread{'s' if n != 1 else ''}")
        self.sweep_button.setText(f"Sweep 1…{n}")
        self.run_processes_button.setAccessibleName(self.run_processes_button.text())
        self.run_threads_button.setAccessibleName(self.run_threads_button.text())
        self.sweep_button.setAccessibleName(f"Sweep 1 to {n} workers, threads and processes")
        self.run_asyncio_button.setAccessibleName(f"Run with asyncio, {n} at a time")

    # --- persistence ----------------------------------------------------------------------

    def state(self) -> PanelState:
        return PanelState(
            workload=self.workload_choice.currentData(),
            size=self.workload_size.value(),
            workers=self.worker_count.value(),
            start_method=self.start_method.currentData(),
            chunks=self.chunk_count.value(),
            process_api=self.process_mode(),
        )

    def restore(self, state: PanelState) -> None:
        index = self.workload_choice.findData(state.workload)
        if index >= 0:
            self.workload_choice.setCurrentIndex(index)
        self.workload_size.setValue(state.size)
        self.worker_count.setValue(state.workers)
        index = self.start_method.findData(state.start_method)
        if index >= 0:
            self.start_method.setCurrentIndex(index)
        self.chunk_count.setValue(state.chunks)
        index = self.process_api.findData(state.process_api)
        if index >= 0:
            self.process_api.setCurrentIndex(index)
