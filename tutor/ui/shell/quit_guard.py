"""Asks before the window closes while a run is going, without blocking the event loop.

A learner who pressed Ctrl+Q or the window's close button in the middle of a long run lost it
without a word (issue #19). The window's closeEvent asks this guard first: while a run goes,
the close is refused and a question opens with open() (never exec(): the run's progress keeps
arriving while the learner decides). "Stop the run and quit" closes the window for real, which
then stops the run as before; "Keep running" just closes the question.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMessageBox, QWidget


class QuitGuard:
    """Decides whether a close may go ahead now; asks the learner first while a run goes.

    `window`: the window to close once the learner confirms. `run_going`: True while a run
    (or a comparison) is in progress; asked on every close attempt.
    """

    def __init__(self, window: QWidget, run_going: Callable[[], bool]) -> None:
        self._window = window
        self._run_going = run_going
        self._confirmed = False
        self.dialog: QMessageBox | None = None  # the open question, if any

    def allows(self, event: QCloseEvent) -> bool:
        """True if the window may close now. Otherwise the event is ignored and the question
        is shown (or raised, when it is already open)."""
        if self._confirmed or not self._run_going():
            self._close_question()
            return True
        event.ignore()
        self._ask()
        return False

    def _ask(self) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        box = QMessageBox(self._window)
        box.setObjectName("quitConfirmDialog")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Quit while a run is going?")
        box.setText("A run is still going.")
        box.setInformativeText(
            "Quitting now stops it and its worker processes; what it measured so far is not "
            "kept. You can also keep it running and quit when it has finished."
        )
        # Made by the box, so the box owns them (a Python-made button could be collected).
        quit_button = box.addButton("Stop the run and &quit", QMessageBox.ButtonRole.AcceptRole)
        quit_button.setObjectName("quitConfirmButton")
        keep_button = box.addButton("&Keep running", QMessageBox.ButtonRole.RejectRole)
        keep_button.setObjectName("keepRunningButton")
        box.setDefaultButton(keep_button)  # Enter by habit must not throw the run away
        box.setEscapeButton(keep_button)
        quit_button.clicked.connect(self._on_quit_confirmed)
        box.finished.connect(self._on_question_finished)
        self.dialog = box
        box.open()

    def _on_quit_confirmed(self) -> None:
        self._confirmed = True
        self._window.close()

    def _on_question_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None

    def _close_question(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
