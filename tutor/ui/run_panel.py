"""The run panel: choose a workload and workers, start runs, watch progress and errors."""

from __future__ import annotations

import os
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
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

from tutor.engine.records import MAX_SIZE, Progress, RunConfig, WorkerFailure
from tutor.engine.remote import RunStarted
from tutor.engine.workloads import WORKLOADS

FORK_WARNING = (
    "fork copies this process as it is, including Qt's running threads and any locks they "
    "hold; the child can deadlock on such a lock. spawn starts a fresh interpreter: slower "
    "to start, always safe. forkserver forks from a small clean server process."
)
START_METHOD_TIPS = {
    "spawn": "spawn (default): each worker starts a fresh Python and imports your module.",
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
        # spawn first and selected: the safe choice beside Qt's threads (DESIGN landmines).
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

        self.run_processes_button = QPushButton(objectName="runProcessesButton")
        self.run_threads_button = QPushButton(objectName="runThreadsButton")
        self.sweep_button = QPushButton(objectName="sweepButton")
        self.cancel_button = QPushButton("Cancel", objectName="cancelButton")
        self.run_processes_button.setToolTip("Ctrl+R")
        self.run_threads_button.setToolTip("Ctrl+T")
        self.sweep_button.setToolTip(
            "Runs 1, 2, … N workers with threads and with processes to draw the curves"
        )
        self.cancel_button.setToolTip("Esc: stop the run; no worker process is left behind")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setAccessibleName("Cancel the run")

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
        form.addRow("&Workload", self.workload_choice)
        sizes = QGridLayout()
        sizes.addWidget(self.workload_size, 0, 0)
        sizes.addWidget(QLabel("&Workers", buddy=self.worker_count), 0, 1, Qt.AlignRight)
        sizes.addWidget(self.worker_count, 0, 2)
        sizes.setColumnStretch(0, 2)
        sizes.setColumnStretch(2, 1)
        form.addRow(QLabel("&Size N", buddy=self.workload_size), sizes)
        methods = QGridLayout()
        methods.addWidget(self.start_method, 0, 0)
        methods.addWidget(QLabel("&Chunks", buddy=self.chunk_count), 0, 1, Qt.AlignRight)
        methods.addWidget(self.chunk_count, 0, 2)
        methods.setColumnStretch(0, 2)
        methods.setColumnStretch(2, 1)
        form.addRow(QLabel("Start &method", buddy=self.start_method), methods)
        form.addRow("Process &API", self.process_api)

        buttons = QHBoxLayout()
        for button in (
            self.run_processes_button,
            self.run_threads_button,
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
        layout.addWidget(self.error_frame)
        layout.addStretch(1)

        self.workload_choice.currentIndexChanged.connect(self._on_workload_changed)
        self.worker_count.valueChanged.connect(self._update_button_texts)
        self.run_processes_button.clicked.connect(self._on_run_processes_clicked)
        self.run_threads_button.clicked.connect(self._on_run_threads_clicked)
        self.sweep_button.clicked.connect(self._on_sweep_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)
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
        return configs

    def _on_run_processes_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit([self.current_config(self.process_mode())])

    def _on_run_threads_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit([self.current_config("threads")])

    def _on_sweep_clicked(self) -> None:
        if not self._busy:
            self.runs_requested.emit(self.sweep_configs())

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
        for button in (self.run_processes_button, self.run_threads_button, self.sweep_button):
            button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self.error_frame.setVisible(False)

    def show_started(self, started: RunStarted) -> None:
        self.run_progress.setValue(0)
        self.run_progress.setFormat("%p%")
        config = started.config
        self.run_status.setText(
            f"Running {config.label()} on {config.workload} N={config.size:,} "
            f"({started.chunks_total} chunks)…"
        )

    def show_progress(self, progress: Progress) -> None:
        self.run_progress.setValue(round(progress.fraction * 1000))
        self.run_progress.setFormat(
            f"%p%  ·  {progress.items_done:,} / {progress.items_total:,} items  ·  "
            f"{progress.elapsed_s:.1f} s"
        )

    def show_finished(self, label: str, wall_s: float, speedup: float | None) -> None:
        self.run_progress.setValue(1000)
        extra = "" if speedup is None else f", speedup {speedup:.2f}×"
        self.run_status.setText(f"Finished {label} in {wall_s:.2f} s{extra}.")

    def show_cancelled(self, config: RunConfig) -> None:
        self.run_progress.setFormat("cancelled")
        self.run_status.setText(f"Cancelled {config.label()}. No worker process is left running.")

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        self.run_progress.setFormat("failed")
        headline = {
            "raised": "A worker raised an exception",
            "died": "A worker process died",
            "invalid": "These settings cannot run",
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
