"""Under the run buttons: the progress bar, one status line, the prediction's verdict and the
error of a failed run (with its traceback behind "Show details")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tutor.content.run_wording import elapsed_text, finished_text, items_text, run_step_text
from tutor.engine.failures import FAILURE_TEXTS
from tutor.engine.records import Progress, RunConfig, RunResult, WorkerFailure
from tutor.engine.workloads import WORKLOADS
from tutor.models.prediction_plan import PredictionTracker
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.folded_label import FoldedLabel

if TYPE_CHECKING:
    from tutor.engine.events import RunStarted  # a run's: loaded with the run machinery

PAINT_INTERVAL_MS = 100  # the progress bar is painted at most this often during a run


class RunProgressView(QWidget):
    """Shows how the runs go; holds no settings and asks for nothing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._prediction = PredictionTracker()
        self._span: tuple[int | None, int | None] = (None, None)  # the running run's first/last n
        self._elapsed_s: float | None = None  # since the running run was asked for
        self.run_progress = QProgressBar(objectName="runProgress")
        self.run_progress.setRange(0, 1000)
        self.run_progress.setValue(0)
        self.run_progress.setTextVisible(True)
        self.run_progress.setFormat("idle")
        self.run_progress.setAccessibleName("Run progress")
        self._paint_timer = QTimer(self, singleShot=True, interval=PAINT_INTERVAL_MS)
        self._paint_timer.timeout.connect(self._on_paint_due)
        # Two lines at most, the rest in its tooltip: a longer status took the charts' height.
        # Once two lines high, it stays so: a status going from one line to two and back at
        # every run's start and end moved the charts under the run panel each time, a relayout
        # and repaint of the whole column.
        self.run_status = FoldedLabel(
            "Ready.", max_lines=2, keep_lines=True, objectName="runStatus"
        )
        self.run_status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.prediction_result = DescribedLabel(
            "Prediction against measurement", objectName="predictionResult"
        )
        self.prediction_result.setWordWrap(True)
        self.prediction_result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.prediction_result.setVisible(False)

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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.run_progress)
        layout.addWidget(self.run_status)
        layout.addWidget(self.prediction_result)
        layout.addWidget(self.error_frame)

    def _set_bar(
        self, value: int | None = None, text_format: str | None = None, *, final: bool = False
    ) -> None:
        """Change the progress bar at once; paint it at most every PAINT_INTERVAL_MS.

        `QProgressBar.setValue` repaints at once whenever the shown percentage changes, and a
        repaint at once paints everything else waiting to be painted too (the charts); and
        Fusion's striped bar costs ~4 ms a paint. Painted for every progress event (~30 a
        second) that held the window's thread for much of a run and up to ~40 ms at a run's
        start (tests/perf/ui_responsiveness.py). So the bar's value and text change at once
        (whoever reads them sees the newest), while its painting is held back (updates off)
        and done once per interval; `final` (a run ended) paints with the next pass.
        """
        bar = self.run_progress
        bar.setUpdatesEnabled(False)
        if value is not None:
            bar.setValue(value)
        if text_format is not None:
            bar.setFormat(text_format)
        if final:
            self._paint_timer.stop()
            self._on_paint_due()
        elif not self._paint_timer.isActive():
            self._paint_timer.start()

    def _on_paint_due(self) -> None:
        self.run_progress.setUpdatesEnabled(True)  # asks for one ordinary repaint

    def show_requested(self, what: str) -> None:
        """Runs of `what` ("processes × 2", "the sweep") were asked for: say so at once. The
        first run's own start follows once its helper process is up (0.5 s or more)."""
        self._set_bar(0, "starting…", final=True)
        self.run_status.setText(f"Starting {what}: its helper process is starting up…")

    def show_started(self, started: RunStarted, step: tuple[int, int, bool] | None = None) -> None:
        """A run began; `step`: (step, steps, an added baseline) in its batch, if known."""
        self._set_bar(0, "%p%")
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
        self._elapsed_s = progress.elapsed_s
        first, last = self._span
        items = items_text(progress.items_done, progress.items_total, first, last)
        text_format = f"%p%  ·  {items}  ·  {elapsed_text(progress.elapsed_s)}"
        self._set_bar(round(progress.fraction * 1000), text_format)

    def show_finished(
        self, label: str, wall_s: float, speedup: float | None, repeats: int = 1
    ) -> None:
        """A run finished; `repeats`: how many runs `wall_s` (seconds) is the median of."""
        self._set_bar(1000, final=True)
        self.run_status.setText(finished_text(label, wall_s, self._elapsed_s, speedup, repeats))

    def take_prediction(self, predicted: float, configs: list[RunConfig]) -> None:
        """Runs were asked for with the guess `predicted` (0: none): show what it is about."""
        text = self._prediction.runs_requested(predicted, configs)
        self.prediction_result.setText(text or "")
        self.prediction_result.setVisible(text is not None)

    def show_prediction(self, result: RunResult) -> None:
        """After the predicted run: the guess against the measured speedup."""
        text = self._prediction.run_finished(result)
        if text is not None:
            self.prediction_result.setText(text)
            self.prediction_result.setVisible(True)

    def show_cancelled(self, config: RunConfig, step: tuple[int, int, bool] | None = None) -> None:
        """`config`'s run was cancelled; `step`: (step, steps, an added baseline) in its batch."""
        self._set_bar(text_format="cancelled", final=True)
        what = config.label()
        if step is not None and step[2]:  # not a run the learner asked for: say which it was
            what = f"step {step[0]} of {step[1]}, the sequential baseline, before the rest"
        self.run_status.setText(f"Cancelled {what}. No worker process is left running.")
        self._drop_prediction("was cancelled")

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        self._set_bar(text_format="failed", final=True)
        headline = FAILURE_TEXTS[failure.kind].headline
        self.run_status.setText(f"{headline}: {config.label()} stopped.")
        # The headline is in the status line above: the error says the rest, once.
        self.error_label.setText(failure.message)
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
        text = self._prediction.batch_stopped(how)
        if text is not None:
            self.prediction_result.setText(text)

    def _on_details_toggled(self, shown: bool) -> None:
        self.error_details.setVisible(shown)
        self.details_button.setText("Hide details" if shown else "Show details")
