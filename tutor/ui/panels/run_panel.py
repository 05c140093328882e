"""The run panel: choose a workload and workers, start runs, watch progress and errors.

The settings form edits the run-settings model (tutor.models.run_settings); the buttons ask
for the configs tutor.models.run_plans builds; progress, the prediction and errors are shown by
the RunProgressView below them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tutor.engine.modes import unavailable_reason
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.workloads import WORKLOADS
from tutor.models.run_plans import RunKind, plan_runs, sweep_configs
from tutor.models.run_settings import (
    PROCESS_APIS,
    PanelState,
    RunSettingsModel,
    Setting,
    max_workers_allowed,
)
from tutor.ui.panels.cluster_controls import ClusterControls
from tutor.ui.panels.run_actions import RunActions
from tutor.ui.panels.run_progress_view import RunProgressView
from tutor.ui.widgets.reflow_layouts import FlowRowLayout, PairedFormLayout
from tutor.ui.widgets.reliability_view import RepeatCountBox
from tutor.ui.widgets.setting_binding import bind_combo_box, bind_line_edit, bind_spin_box
from tutor.ui.widgets.spin_box import spin_box

if TYPE_CHECKING:
    from tutor.engine.events import RunStarted  # a run's: loaded with the run machinery

__all__ = ["PanelState", "RunPanel", "max_workers_allowed"]  # PanelState: for older imports

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


class RunPanel(QWidget):
    """Controls for one experiment; emits run requests and shows how they go."""

    runs_requested = Signal(object)  # list[RunConfig]
    cancel_requested = Signal()

    def __init__(self, run_settings: RunSettingsModel, parent: QWidget | None = None) -> None:
        """`run_settings`: the model these widgets edit; its start methods are the choices."""
        super().__init__(parent, objectName="runPanel")
        # The widgets below edit this model; everyone else reads and listens to it.
        model = self.run_settings = run_settings
        self._cores = model.cores
        self._busy = False

        self.workload_choice = QComboBox(objectName="workloadChoice")
        for workload in WORKLOADS.values():
            self.workload_choice.addItem(workload.title, workload.name)
            index = self.workload_choice.count() - 1
            self.workload_choice.setItemData(index, workload.description, Qt.ToolTipRole)
        self.workload_choice.setAccessibleName("Workload")

        self.workload_size = spin_box(
            "workloadSize",
            "Workload size N",
            "N: how many numbers the workload goes through",
            step=10_000,
            group_separators=True,
        )
        self.worker_count = spin_box(
            "workerCount", "Number of workers", f"This machine has {self._cores} logical CPUs"
        )

        self.start_method = QComboBox(objectName="startMethod")
        for method in model.start_methods:  # spawn first and selected (the model's order)
            self.start_method.addItem(method, method)
            index = self.start_method.count() - 1
            self.start_method.setItemData(index, START_METHOD_TIPS.get(method, ""), Qt.ToolTipRole)
        self.start_method.setToolTip(FORK_WARNING)
        self.start_method.setAccessibleName("Start method")

        self.process_api = QComboBox(objectName="processApi")
        for mode, title in PROCESS_APIS:
            self.process_api.addItem(title, mode)
            missing = unavailable_reason(mode)  # an optional mode's extra is not installed
            if missing is not None:
                index = self.process_api.count() - 1
                self.process_api.model().item(index).setEnabled(False)
                self.process_api.setItemData(index, f"Not available: {missing}", Qt.ToolTipRole)
        self.process_api.setAccessibleName("Process API")
        self.process_api.setToolTip("Which interface runs the process workers")

        self.chunk_count = spin_box(
            "chunkCount",
            "Number of chunks (0 = automatic)",
            "How many pieces the work is cut into. auto: at least 16 and 4 per worker, "
            "interleaved so every piece costs about the same.",
            special_text="auto",
        )

        # Predict, then measure: the guess is taken when a run is requested.
        self.predicted_speedup = spin_box(
            "predictedSpeedup",
            "Predicted speedup (0 = no prediction)",
            "Before you run: how many times faster than sequential do you expect it to be? "
            "After the run the panel compares your guess with the measurement.",
            kind=QDoubleSpinBox,
            limits=(0.0, 999.0),
            decimals=2,
            step=0.1,
            suffix="×",
            special_text="no prediction",
        )

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

        # Below the buttons: progress, status, the prediction's verdict and any error.
        self.progress_view = view = RunProgressView()
        self.run_progress, self.run_status = view.run_progress, view.run_status
        self.prediction_result, self.error_frame = view.prediction_result, view.error_frame
        self.error_label, self.error_details = view.error_label, view.error_details
        self.details_button = view.details_button

        # Two settings a line where the panel is wide enough (short enough for the Run buttons
        # at 1024×640, the charts and results keep their height at 1280×800); one a line, and
        # the buttons wrapped, where it is not (200 % zoom): the panel never scrolls sideways.
        form = PairedFormLayout()
        for label, field in (
            ("Work&load", self.workload_choice),
            ("Num&ber of repeats", self.repeat_count),
            ("Si&ze N", self.workload_size),
            ("Work&ers", self.worker_count),
            ("Start &method", self.start_method),
            ("&Chunks", self.chunk_count),
            ("Process &API", self.process_api),
            ("Pre&dicted speedup", self.predicted_speedup),
        ):
            form.add_pair(QLabel(label, buddy=field), field)
        scheduler_label = QLabel("Das&k scheduler", buddy=self.scheduler_address)
        form.add_pair(scheduler_label, self.cluster_controls, whole_line=True)

        buttons = FlowRowLayout()
        for button in self.button_row():
            buttons.add_widget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.progress_view)
        layout.addStretch(1)

        bind_combo_box(self.workload_choice, model, Setting.WORKLOAD)
        bind_spin_box(self.workload_size, model, Setting.SIZE)
        bind_spin_box(self.worker_count, model, Setting.WORKERS)
        bind_combo_box(self.start_method, model, Setting.START_METHOD)
        bind_spin_box(self.chunk_count, model, Setting.CHUNKS)
        bind_combo_box(self.process_api, model, Setting.PROCESS_API)
        bind_line_edit(self.scheduler_address, model, Setting.SCHEDULER)
        bind_spin_box(self.repeat_count, model, Setting.REPEATS)
        self.worker_count.valueChanged.connect(self._update_button_texts)
        self.run_sequential_button.clicked.connect(self._on_run_sequential_clicked)
        self.run_processes_button.clicked.connect(self._on_run_processes_clicked)
        self.run_threads_button.clicked.connect(self._on_run_threads_clicked)
        self.sweep_button.clicked.connect(self._on_sweep_clicked)
        self.run_asyncio_button.clicked.connect(self._on_run_asyncio_clicked)
        self.cluster_controls.run_requested.connect(self._on_run_cluster_requested)
        self.cancel_button.clicked.connect(self.cancel_requested)
        # Connected first, so the guess is taken before anyone starts the runs.
        self.runs_requested.connect(
            lambda configs: view.take_prediction(self.predicted_speedup.value(), configs)
        )
        self.run_buttons: dict[RunKind, QPushButton] = {
            RunKind.SEQUENTIAL: self.run_sequential_button,
            RunKind.PROCESSES: self.run_processes_button,
            RunKind.THREADS: self.run_threads_button,
            RunKind.ASYNCIO: self.run_asyncio_button,
            RunKind.SWEEP: self.sweep_button,
            RunKind.CLUSTER: self.run_cluster_button,
        }
        # The panel's own actions: the Run menu and the window's keys add them.
        self.run_actions = RunActions(self)
        self._update_button_texts()

    # --- what the learner asked for -------------------------------------------------------

    def button_row(self) -> tuple[QPushButton, ...]:
        """The row of Run buttons, Cancel last, in the order they are laid out (they wrap
        into more rows when the panel is narrow or zoomed)."""
        return (
            self.run_sequential_button,
            self.run_processes_button,
            self.run_threads_button,
            self.run_asyncio_button,
            self.sweep_button,
            self.cancel_button,
        )

    def current_config(self, mode: str, workers: int | None = None) -> RunConfig:
        return self.run_settings.config(mode, workers)

    def process_mode(self) -> str:
        return self.run_settings.process_api

    def sweep_configs(self) -> list[RunConfig]:
        return sweep_configs(self.run_settings)

    def _request(self, kind: RunKind, scheduler: str | None = None) -> None:
        if not self._busy:
            self.runs_requested.emit(plan_runs(self.run_settings, kind, scheduler))

    def _on_run_asyncio_clicked(self) -> None:
        self._request(RunKind.ASYNCIO)

    def _on_run_sequential_clicked(self) -> None:
        self._request(RunKind.SEQUENTIAL)

    def _on_run_processes_clicked(self) -> None:
        self._request(RunKind.PROCESSES)

    def _on_run_threads_clicked(self) -> None:
        self._request(RunKind.THREADS)

    def _on_sweep_clicked(self) -> None:
        self._request(RunKind.SWEEP)

    def _on_run_cluster_requested(self, scheduler: str | None) -> None:
        self._request(RunKind.CLUSTER, scheduler)

    def apply_request(
        self, workload: str, size: int, workers: int | None = None, mode: str | None = None
    ) -> None:
        """Set the controls as a lesson link asks (values outside the ranges are clamped)."""
        self.run_settings.apply_request(workload, size, workers, mode)

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
        self.run_actions.set_busy(busy)
        if busy:
            self.error_frame.setVisible(False)

    def show_requested(self, what: str) -> None:
        """Runs of `what` were asked for: "starting…" until the first one starts."""
        self.progress_view.show_requested(what)

    def show_started(self, started: RunStarted, step: tuple[int, int, bool] | None = None) -> None:
        """A run began; `step`: (step, steps, an added baseline) in its batch, if known."""
        self.progress_view.show_started(started, step)

    def show_progress(self, progress: Progress) -> None:
        self.progress_view.show_progress(progress)

    def show_finished(
        self, label: str, wall_s: float, speedup: float | None, repeats: int = 1
    ) -> None:
        self.progress_view.show_finished(label, wall_s, speedup, repeats)

    def add_status_note(self, note: str) -> None:
        """Add a sentence (e.g. that N is too small to show a speedup) to the status line."""
        self.run_status.setText(f"{self.run_status.text()} {note}".strip())

    def show_prediction(self, result: RunResult) -> None:
        """After the predicted run: the guess against the measured speedup."""
        self.progress_view.show_prediction(result)

    def show_cancelled(self, config: RunConfig, step: tuple[int, int, bool] | None = None) -> None:
        self.progress_view.show_cancelled(config, step)

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        self.progress_view.show_failure(config, failure)

    def _update_button_texts(self) -> None:
        n = self.worker_count.value()
        self.run_processes_button.setText(f"Run with {n} process{'es' if n != 1 else ''}")
        self.run_threads_button.setText(f"Run with {n} thread{'s' if n != 1 else ''}")
        self.sweep_button.setText(f"Sweep 1…{n}")
        self.run_processes_button.setAccessibleName(self.run_processes_button.text())
        self.run_threads_button.setAccessibleName(self.run_threads_button.text())
        self.sweep_button.setAccessibleName(f"Sweep 1 to {n} workers, threads and processes")
        self.run_asyncio_button.setAccessibleName(f"Run with asyncio, {n} at a time")
        self.run_actions.sync_texts()

    # --- persistence ----------------------------------------------------------------------

    def state(self) -> PanelState:
        return self.run_settings.state()

    def restore(self, state: PanelState) -> None:
        self.run_settings.restore(state)
