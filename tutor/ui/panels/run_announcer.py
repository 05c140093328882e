"""Runs said aloud: one announcement per batch of runs, not one per progress step.

A batch's end says the run panel's summary of the last run (its status line, and the prediction
feedback when there is one): a run is one sentence, not thirty. A failure is said at once and
urgently, with its error; a cancellation politely.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from tutor.controller.run_controller import RunController
from tutor.engine.records import RunConfig, RunResult, WorkerFailure
from tutor.ui.panels.run_panel import RunPanel
from tutor.ui.widgets.announcer import Announcer


def run_summary(panel: RunPanel) -> str:
    """What the run panel says about the last run, as plain sentences: its status line, the
    prediction feedback and the error, where shown."""
    parts = [panel.run_status.text()]
    if not panel.prediction_result.isHidden():
        parts.append(panel.prediction_result.text())
    if not panel.error_frame.isHidden():
        parts.append(panel.error_label.text())
    return " ".join(part for part in parts if part)


class RunAnnouncer(QObject):
    """Turns a batch of runs into one announcement: the summary the run panel shows.

    The batch's end says the last run's status line (with the prediction feedback, if any);
    a failure is said at once and urgently, with its error; a cancellation politely.
    """

    def __init__(self, announcer: Announcer, controller: RunController, panel: RunPanel) -> None:
        super().__init__(announcer)
        self._announcer = announcer
        self._panel = panel
        self._finished = 0
        self._ended_badly = False
        controller.busy_changed.connect(self._on_busy_changed)
        controller.run_finished.connect(self._on_run_finished)
        controller.run_failed.connect(self._on_run_failed)
        controller.run_cancelled.connect(self._on_run_cancelled)
        controller.batch_finished.connect(self._on_batch_finished)

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self._finished = 0
            self._ended_badly = False

    def _on_run_finished(self, _result: RunResult) -> None:
        self._finished += 1

    def _on_run_failed(self, _config: RunConfig, _failure: WorkerFailure) -> None:
        self._ended_badly = True
        self._announcer.announce(run_summary(self._panel), urgent=True)

    def _on_run_cancelled(self, _config: RunConfig) -> None:
        self._ended_badly = True
        self._announcer.announce(run_summary(self._panel))

    def _on_batch_finished(self) -> None:
        if not self._ended_badly and self._finished:
            self._announcer.announce(run_summary(self._panel))
