"""The "Other Pythons" tab: run the threads/processes comparison under another interpreter.

The panel lists what the interpreter controller found, asks it for comparisons (signals of
plain data) and plots what comes back beside this Python's own curves. The side note on
free-threaded builds is lesson text, loaded from resources/notes/.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.content.notes import load_note
from tutor.engine.interpreters import InterpreterInfo, current_interpreter
from tutor.engine.machine import logical_cpus
from tutor.engine.records import RunConfig, RunResult
from tutor.ui.charts.interpreter_chart import InterpreterChartView
from tutor.ui.panels.run_panel import max_workers_allowed
from tutor.ui.widgets.spin_box import spin_box

DEFAULT_SIZE = 500_000  # primes: about half a second sequentially on a laptop core
MAX_COMPARISON_SIZE = 20_000_000


def _pythons(count: int) -> str:
    """``count`` other interpreters in words: "1 other Python", "3 other Pythons"."""
    return f"{count} other Python{'s' if count != 1 else ''}"


class WholeTextComboBox(QComboBox):
    """A combo box never narrower than its longest entry: a layout squeezing it cut the
    chosen interpreter's name mid-word ("Python 3.11.7 (GIL")."""

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.sizeHint()


class InterpretersPanel(QWidget):
    """Choose an interpreter, run the comparison under it, see its curves beside this one's."""

    scan_requested = Signal()
    run_requested = Signal(object, object, int)  # list[InterpreterInfo], RunConfig, max workers
    cancel_requested = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, chart: InterpreterChartView | None = None
    ) -> None:
        """`chart`: the chart, made beforehand (in an idle turn of its own); made here when None."""
        super().__init__(parent)
        self.setObjectName("interpretersPanel")
        self._current = current_interpreter()
        self._interpreters: list[InterpreterInfo] = [self._current]
        self._scanned = False
        self._scanning = False
        self._busy = False
        self._other_busy = False
        self._plotted: tuple[int, int] | None = None  # (N, max workers) on the chart
        self._measured: set[str] = set()  # interpreter paths measured at those settings

        self.choice = WholeTextComboBox(objectName="interpreterChoice")
        self.choice.setAccessibleName("Interpreter to run the comparison under")
        # As wide as its longest entry ("Python 3.13.1t (free-threaded, GIL off) · this
        # Python"): a fixed 18 characters cut the entry shown.
        self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.rescan_button = QPushButton("Look again", objectName="findInterpretersButton")
        self.rescan_button.setToolTip("Search PATH, pyenv and the usual folders for Pythons")
        self.include_current = QCheckBox(
            "Also measure this Python", objectName="includeCurrentInterpreter"
        )
        self.include_current.setChecked(True)
        self.include_current.setToolTip(
            "Runs the same comparison under this Python too (once per setting), so both sets "
            "of curves come from the same kind of measurement"
        )
        self.size = spin_box(
            "interpreterSize",
            "Primes up to N for the interpreter comparison",
            limits=(1_000, MAX_COMPARISON_SIZE),
            step=100_000,
            value=DEFAULT_SIZE,
            group_separators=True,
        )
        cores = logical_cpus()
        self.workers = spin_box(
            "interpreterWorkers",
            "Largest number of workers to try",
            "Runs 1, 2, … this many threads and processes",
            limits=(1, max_workers_allowed(cores)),
            value=min(cores, 4),
        )
        self.run_button = QPushButton(objectName="runInterpreterButton")
        self.cancel_button = QPushButton("Cancel", objectName="cancelInterpreterButton")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setAccessibleName("Cancel the interpreter comparison")
        self.status = QLabel(objectName="interpreterStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.too_old = QLabel(objectName="tooOldInterpreters")
        self.too_old.setWordWrap(True)
        self.too_old.setVisible(False)

        self.note = QTextBrowser(objectName="freeThreadingNote")
        self.note.setOpenExternalLinks(True)
        self.note.setMarkdown(load_note("free_threading"))
        self.note.setAccessibleName("Note: free-threaded Python builds")
        self.chart = chart if chart is not None else InterpreterChartView()

        choice_row = QHBoxLayout()
        choice_row.addWidget(self.choice, 1)
        choice_row.addWidget(self.rescan_button)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        form.addRow(QLabel("&Interpreter", buddy=self.choice), choice_row)
        sizes = QHBoxLayout()
        sizes.addWidget(self.size, 2)
        sizes.addWidget(QLabel("up to", buddy=self.workers))
        sizes.addWidget(self.workers, 1)
        sizes.addWidget(QLabel("workers"))
        form.addRow(QLabel("Primes &N", buddy=self.size), sizes)
        form.addRow(self.include_current)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button, 1)
        buttons.addWidget(self.cancel_button)
        controls = QWidget(objectName="interpreterControls")
        column = QVBoxLayout(controls)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.status)
        column.addWidget(self.too_old)
        column.addWidget(self.note, 1)

        splitter = QSplitter(Qt.Horizontal, objectName="interpreterSplitter")
        splitter.addWidget(controls)
        splitter.addWidget(self.chart)
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

        self.choice.currentIndexChanged.connect(self._update_run_button)
        self.rescan_button.clicked.connect(self._on_rescan_clicked)
        self.run_button.clicked.connect(self._on_run_clicked)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self._fill_choice()
        self.status.setText("Looking for other interpreters happens when this tab opens.")

    # --- interpreters -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._scanned and not self._scanning:
            self.scan_requested.emit()

    def _on_rescan_clicked(self) -> None:
        if not self._scanning:
            self.scan_requested.emit()

    def set_scanning(self, scanning: bool) -> None:
        self._scanning = scanning
        self.rescan_button.setEnabled(not scanning)
        if scanning:
            self.status.setText("Looking for other Python interpreters…")
        self._update_run_button()

    def set_interpreters(self, interpreters: tuple[InterpreterInfo, ...]) -> None:
        """What a scan found (this Python first); unsupported ones are named, not offered."""
        self._scanned = True
        self._interpreters = list(interpreters) or [self._current]
        self._fill_choice()
        usable = [i for i in self._interpreters if i.supported]
        others = [i for i in usable if not i.is_current]
        old = [i for i in self._interpreters if not i.supported]
        if old:
            # Usable and unusable are counted apart, so "Found 3" above a list of 5 cannot read
            # as a contradiction (issue #19).
            names = ", ".join(i.short_label if i.version else i.path for i in old)
            self.too_old.setText(
                f"Also found {_pythons(len(old))} this tutor cannot use (it needs 3.11+): {names}."
            )
            self.too_old.setToolTip("\n".join(i.unsupported_reason for i in old))
        self.too_old.setVisible(bool(old))
        if others:
            self.status.setText(f"Found {_pythons(len(others))} you can measure here.")
        else:
            self.status.setText(
                "No other Python 3.11+ found on PATH or in the usual places; you can still "
                "measure this one."
            )

    def interpreters(self) -> list[InterpreterInfo]:
        return list(self._interpreters)

    def selected_interpreter(self) -> InterpreterInfo | None:
        path = self.choice.currentData()
        return next((i for i in self._interpreters if i.path == path), None)

    def select_interpreter(self, path: str) -> bool:
        index = self.choice.findData(path)
        if index >= 0:
            self.choice.setCurrentIndex(index)
        return index >= 0

    def _fill_choice(self) -> None:
        previous = self.choice.currentData()
        self.choice.blockSignals(True)
        self.choice.clear()
        usable = [i for i in self._interpreters if i.supported]
        # Other interpreters first: they are what this tab is for.
        for info in sorted(usable, key=lambda i: i.is_current):
            self.choice.addItem(info.label, info.path)
            self.choice.setItemData(self.choice.count() - 1, info.path, Qt.ToolTipRole)
        index = self.choice.findData(previous)
        self.choice.setCurrentIndex(index if index >= 0 else 0)
        self.choice.blockSignals(False)
        self._update_run_button()

    # --- running ----------------------------------------------------------------------------

    def comparison_config(self) -> RunConfig:
        return RunConfig("primes", self.size.value(), mode="threads", workers=1)

    def _on_run_clicked(self) -> None:
        chosen = self.selected_interpreter()
        if chosen is None or self._busy or self._other_busy:
            return
        settings = (self.size.value(), self.workers.value())
        if settings != self._plotted:
            self.chart.clear()
            self._measured.clear()
            self._plotted = settings
        plan = [chosen]
        current = next((i for i in self._interpreters if i.is_current), self._current)
        if (
            self.include_current.isChecked()
            and not chosen.is_current
            and current.path not in self._measured
        ):
            plan.insert(0, current)
        self.run_requested.emit(plan, self.comparison_config(), self.workers.value())

    def set_busy(self, busy: bool) -> None:
        """A comparison started or ended."""
        self._busy = busy
        self.cancel_button.setEnabled(busy)
        for widget in (self.choice, self.size, self.workers, self.include_current):
            widget.setEnabled(not busy)
        self._update_run_button()

    def set_other_busy(self, busy: bool) -> None:
        """A run of the run panel is going: one experiment at a time keeps timings honest."""
        self._other_busy = busy
        self._update_run_button()

    def show_step(self, info: InterpreterInfo, config: RunConfig, done: int, total: int) -> None:
        workers = "" if config.workers == 1 else f" on up to {config.workers} workers"
        self.status.setText(
            f"Step {done + 1} of {total}: Python {info.short_label}{workers}, "
            f"primes N={config.size:,}…"
        )

    def add_results(self, info: InterpreterInfo, results: tuple[RunResult, ...]) -> None:
        self._measured.add(info.path)
        self.chart.add_results(info, results)

    def show_failure(self, info: InterpreterInfo, reason: str) -> None:
        self._measured.discard(info.path)
        self.status.setText(f"Python {info.short_label} could not run the comparison: {reason}")

    def show_cancelled(self, info: InterpreterInfo) -> None:
        self._measured.discard(info.path)
        self.status.setText("Cancelled. No process is left running.")

    def show_finished(self) -> None:
        if self.status.text().startswith("Step "):
            self.status.setText(
                "Done. Each curve is the speedup over that interpreter's own sequential run."
            )

    def _update_run_button(self) -> None:
        chosen = self.selected_interpreter()
        if chosen is None:
            self.run_button.setText("Run under another Python")
        else:
            self.run_button.setText(f"Run under Python {chosen.short_label}")
        self.run_button.setAccessibleName(self.run_button.text())
        self.run_button.setEnabled(chosen is not None and not self._busy and not self._other_busy)
