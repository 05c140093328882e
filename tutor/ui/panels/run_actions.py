"""The run panel's own QActions: run sequentially, with processes, threads, a sweep, asyncio,
and cancel. The panel enables them with its buttons; the Run menu only adds them, so an action
disabled while an experiment runs is disabled in every menu and key at once."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QPushButton

# objectName, the button's attribute on the panel, key, status tip.
_RUNS = (
    (
        "runSequentialAction",
        "run_sequential_button",
        "Ctrl+Shift+B",
        "Run the workload sequentially: the baseline every speedup is measured against",
    ),
    (
        "runProcessesAction",
        "run_processes_button",
        "Ctrl+R",
        "Run the workload with N worker processes (after a sequential baseline)",
    ),
    ("runThreadsAction", "run_threads_button", "Ctrl+T", "Run the workload with N threads"),
    (
        "sweepAction",
        "sweep_button",
        "Ctrl+Shift+R",
        "Run 1 … N workers with processes and with threads",
    ),
    (
        "runAsyncioAction",
        "run_asyncio_button",
        "Ctrl+Shift+A",
        "Run the workload as coroutines on one asyncio event loop, N at a time",
    ),
)


class RunActions(QObject):
    """One QAction per run button (same text, pressing the button) and one for Cancel.

    `panel`: the run panel whose buttons the actions press (any QObject with the button
    attributes named above and `cancel_button`).
    """

    def __init__(self, panel: QObject) -> None:
        super().__init__(panel)
        self._buttons: dict[QAction, QPushButton] = {}
        self.runs: tuple[QAction, ...] = tuple(
            self._make(name, getattr(panel, button), key, tip) for name, button, key, tip in _RUNS
        )
        self.cancel = self._make(
            "cancelAction",
            panel.cancel_button,  # type: ignore[attr-defined]
            "Esc",
            "Stop the run; no worker process is left behind",
            text="&Cancel the run",
        )
        self.set_busy(False)

    def _make(
        self, name: str, button: QPushButton, key: str, tip: str, text: str | None = None
    ) -> QAction:
        action = QAction(text or button.text(), self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: button.click())
        if text is None:
            self._buttons[action] = button
        return action

    def set_busy(self, busy: bool) -> None:
        """While an experiment runs: every run action off, Cancel on; after, the reverse."""
        for action in self.runs:
            action.setEnabled(not busy)
        self.cancel.setEnabled(busy)

    def sync_texts(self) -> None:
        """Each run action says what its button says (e.g. "Run with 3 processes")."""
        for action, button in self._buttons.items():
            action.setText(button.text().replace("&", "&&"))
