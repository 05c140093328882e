"""Checks exercise programs off the GUI thread and reports each result as a signal.

A check runs the learner's program for up to its time limit (tutor.engine.exercise_check), so
it waits in a worker thread (controller.worker_thread); the window only sees `check_started`
and `check_finished` with plain records. One check at a time; cancel (or closing the window)
ends the program and its workers.
"""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from tutor.content.exercises import Exercise
from tutor.controller.events import CheckFinished
from tutor.controller.worker_thread import Emit, WorkerOwner
from tutor.engine.cancel import CancelToken
from tutor.engine.exercise_check import CheckResult, FailureKind, check_program
from tutor.exercises_cli import check_spec


def _check_job(exercise: Exercise, program: Path):
    """The job checking `program` against `exercise`; emits one CheckFinished."""

    def job(emit: Emit, cancelled: CancelToken) -> None:  # in the worker thread
        try:
            result = check_program(program, check_spec(exercise), cancelled)
        except Exception as exc:  # e.g. the file vanished: report it rather than stay silent
            traceback.print_exc()
            result = CheckResult(
                failure=FailureKind.EXIT_CODE,
                reason=f"the check could not run the program: {type(exc).__name__}: {exc}",
                detail="",
                stdout="",
                stderr="",
                exit_code=None,
                worker_pids=(),
                elapsed_s=0.0,
            )
        emit(CheckFinished(exercise.id, result))

    return job


class ExerciseCheckController(WorkerOwner):
    """Starts one exercise check at a time and forwards its result."""

    check_started = Signal(str)  # exercise id
    check_finished = Signal(str, object)  # exercise id, CheckResult

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)

    def start(self, exercise: Exercise, program: Path) -> bool:
        """Check `program` against `exercise`; False (nothing happens) while a check runs."""
        if self.busy:
            return False
        self._launch(
            _check_job(exercise, program),
            {
                CheckFinished: lambda event: self.check_finished.emit(
                    event.exercise_id, event.result
                )
            },
        )
        self.check_started.emit(exercise.id)
        return True

    def shutdown(self, timeout_s: float = 10.0) -> None:
        """Cancel the running check and wait for it, so no program outlives the window."""
        self._stop_thread(timeout_s)
