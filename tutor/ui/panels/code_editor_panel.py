"""Your own function: a small Python editor whose `work(n)` runs on N processes and N threads.

The panel checks the code (tutor.content.learner_code), saves it as a real module and asks for
runs of the engine's custom workload; the main window hands them to the run controller, so the
learner's code only ever runs in helper and worker processes: an endless loop, an exception or
a crash there cannot freeze the window, and the run's time limit ends whatever overstays.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import (
    QFontDatabase,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tutor.content.learner_code import (
    FUNCTION_NAME,
    CodeProblem,
    LearnerModule,
    check_source,
    make_importable,
    save_learner_module,
    starter_source,
)
from tutor.content.run_wording import single_lane_note
from tutor.engine.events import RunStarted
from tutor.engine.modes import PROCESS_MODES
from tutor.engine.records import MAX_SIZE, RunConfig, RunResult, WorkerFailure
from tutor.engine.values import format_number
from tutor.engine.workloads import CUSTOM
from tutor.ui.panels.learner_failure import failure_report
from tutor.ui.persistence.settings_store import settings_path
from tutor.ui.widgets.bounded_output_view import BoundedOutputView
from tutor.ui.widgets.code_editor_view import CodeEditorView
from tutor.ui.widgets.folded_label import DescribedFoldedLabel
from tutor.ui.widgets.palette_tone import show_as_error
from tutor.ui.widgets.spin_box import spin_box

DEFAULT_SIZE = 200_000
DEFAULT_TIME_LIMIT_S = 20
STATUS_LINES = 4  # lines of the status message shown; the rest is in its tooltip
DRAFT_FILE = "draft.txt"  # not importable: the folder is on sys.path
DRAFT_SAVE_DELAY_MS = 1000
OUTPUT_LINES = 500  # lines of print() output kept in the panel


def learner_code_dir() -> Path:
    """Where the learner's saved functions live: beside the settings file."""
    return settings_path().parent / "learner_code"


class CodeEditorPanel(QWidget):
    """The learner's `work(n)`: edit, check, save, run on processes and threads, report."""

    runs_requested = Signal(object)  # list[RunConfig]
    cancel_requested = Signal()

    def __init__(self, folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEditorPanel")
        self.folder = folder if folder is not None else learner_code_dir()
        self._busy = False  # a run of the controller (this panel's or the run panel's)
        self._other_busy = False  # another experiment (other Pythons) is running
        self._workers = 2
        self._start_method = "spawn"
        self._process_mode = "processes"
        self._module: LearnerModule | None = None  # the version last sent to run

        self.editor = CodeEditorView()
        self.editor.setPlainText(self._initial_source())
        self.editor.document().setModified(False)

        self.size_spin = spin_box(
            "customSize",
            "N: work(n) runs for every n below N",
            "work(n) is called for n = 0, 1, … N−1 and the results added up",
            limits=(0, MAX_SIZE),
            step=10_000,
            value=DEFAULT_SIZE,
            group_separators=True,
        )
        self.time_limit = spin_box(
            "customTimeLimit",
            "Time limit per run in seconds",
            "A run still going after this long is stopped and its processes ended: "
            "an endless loop cannot keep your cores busy.",
            limits=(1, 3600),
            value=DEFAULT_TIME_LIMIT_S,
            suffix=" s",
        )

        self.run_processes_button = QPushButton(objectName="runCustomProcessesButton")
        self.run_threads_button = QPushButton(objectName="runCustomThreadsButton")
        self.cancel_button = QPushButton("Cancel", objectName="cancelCustomButton")
        self.reset_button = QPushButton("Restore the example", objectName="resetCodeButton")
        self.run_processes_button.setToolTip("Ctrl+Enter: check, save and run your work(n)")
        self.run_threads_button.setToolTip("Ctrl+Shift+Enter")
        self.cancel_button.setToolTip("Stop the run; no worker process is left behind")
        self.cancel_button.setAccessibleName("Cancel the run of your function")
        self.cancel_button.setEnabled(False)
        self.reset_button.setToolTip("Put the original example back (Ctrl+Z brings your code back)")

        # At most STATUS_LINES lines, the last ending in "…" and the whole text in the tooltip
        # (and the details box): a five-line message took the editor's room (issue #19).
        self.status = DescribedFoldedLabel(
            "Status of your function", STATUS_LINES, objectName="customStatus"
        )
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.details = QPlainTextEdit(objectName="customDetails")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName("Error details for your function")
        # Wrapped at the pane's edge, anywhere in a long word (paths, long messages): the
        # side column is narrow, and a sideways scroll hid the end of the error (#19).
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.details.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.details.setVisible(False)
        # What work() printed, in the helper and every worker (bounded, like the console).
        # The last OUTPUT_LINES lines, under a note of how many earlier ones are not shown.
        self.output = BoundedOutputView(OUTPUT_LINES, objectName="customOutput")
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setAccessibleName("What your function printed")
        self.output.setPlaceholderText("print() output of your code appears here")
        self.output.setVisible(False)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(QLabel("Size &N", buddy=self.size_spin), self.size_spin)
        form.addRow(QLabel("T&ime limit", buddy=self.time_limit), self.time_limit)
        runs = QHBoxLayout()
        runs.addWidget(self.run_processes_button)
        runs.addWidget(self.run_threads_button)
        others = QHBoxLayout()
        others.addWidget(self.cancel_button)
        others.addWidget(self.reset_button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(runs)
        side.addLayout(others)
        side.addWidget(self.status)
        side.addWidget(self.details, 1)
        side.addWidget(self.output, 1)
        side.addStretch(0)
        side_widget = QWidget(objectName="codeEditorSide")
        side_widget.setLayout(side)
        side.setContentsMargins(0, 0, 0, 0)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.editor, 3)
        layout.addWidget(side_widget, 2)

        self._draft_timer = QTimer(self, singleShot=True, interval=DRAFT_SAVE_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self.editor.textChanged.connect(self._draft_timer.start)
        self.run_processes_button.clicked.connect(self.run_processes)
        self.run_threads_button.clicked.connect(self.run_threads)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.reset_button.clicked.connect(self.restore_example)
        on_processes = "Your function: time it on one core, then with the chosen processes"
        on_threads = "Your function: time it on one core, then with the chosen threads"
        for keys, slot, what in (
            ("Ctrl+Return", self.run_processes, on_processes),
            ("Ctrl+Enter", self.run_processes, on_processes),
            ("Ctrl+Shift+Return", self.run_threads, on_threads),
            ("Ctrl+Shift+Enter", self.run_threads, on_threads),
        ):
            shortcut = QShortcut(
                QKeySequence(keys),
                self,
                slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
            shortcut.setWhatsThis(what)  # the F1 list shows it
        self._update_button_texts()
        self.status.setText(
            f"Write a function {FUNCTION_NAME}(n) that returns a number. The tutor adds up "
            f"{FUNCTION_NAME}(n) for every n below N: first on one core, then on N workers."
        )

    # --- settings shared with the run panel -----------------------------------------------

    def set_workers(self, workers: int) -> None:
        self._workers = max(1, int(workers))
        self._update_button_texts()

    def set_start_method(self, method: str) -> None:
        if method:
            self._start_method = method

    def set_process_mode(self, mode: str) -> None:
        if mode in PROCESS_MODES:
            self._process_mode = mode

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def set_other_busy(self, busy: bool) -> None:
        """Another experiment runs: one at a time keeps timings honest (its own Cancel stops it)."""
        self._other_busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        can_run = not (self._busy or self._other_busy)
        self.run_processes_button.setEnabled(can_run)
        self.run_threads_button.setEnabled(can_run)
        self.cancel_button.setEnabled(self._busy)

    def _update_button_texts(self) -> None:
        n = self._workers
        self.run_processes_button.setText(f"Run with {n} process{'es' if n != 1 else ''}")
        self.run_threads_button.setText(f"Run with {n} thread{'s' if n != 1 else ''}")
        self.run_processes_button.setAccessibleName(
            f"Run your function with {n} process{'es' if n != 1 else ''}"
        )
        self.run_threads_button.setAccessibleName(
            f"Run your function with {n} thread{'s' if n != 1 else ''}"
        )

    # --- the code -------------------------------------------------------------------------

    def source(self) -> str:
        return self.editor.toPlainText()

    def set_source(self, source: str) -> None:
        """Replace the text as one undoable edit."""
        cursor = QTextCursor(self.editor.document())
        cursor.beginEditBlock()  # one step on the undo stack, however the text changes
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(source)
        cursor.endEditBlock()

    def restore_example(self) -> None:
        """Put the original example back, as one edit that Ctrl+Z (Edit → Undo) takes back."""
        if self.source() == starter_source():
            self._show_message("The editor already holds the original example.")
            return
        self.set_source(starter_source())
        self.editor.setFocus()
        self._show_message(
            "The original example is back in the editor. Press Ctrl+Z to get your own code back."
        )

    def _initial_source(self) -> str:
        try:
            draft = (self.folder / DRAFT_FILE).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            draft = ""
        return draft if draft.strip() else starter_source()

    def save_draft(self) -> None:
        """Keep the text for next time (best effort: a read-only folder only loses the draft)."""
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / DRAFT_FILE).write_text(self.source(), encoding="utf-8")

    # --- running --------------------------------------------------------------------------

    def run_processes(self) -> bool:
        return self._request(self._process_mode)

    def run_threads(self) -> bool:
        return self._request("threads")

    def _request(self, mode: str) -> bool:
        """Check, save and ask for one run; False when nothing was started."""
        if self._busy or self._other_busy:
            return False
        source = self.source()
        problem = check_source(source)
        if problem is not None:
            self._show_problem(problem)
            return False
        try:
            module = save_learner_module(source, self.folder)
        except OSError as exc:
            self._show_message(f"Could not save your code in {self.folder}: {exc}", error=True)
            return False
        make_importable(self.folder)
        self._draft_timer.stop()
        self.save_draft()
        self._module = module
        self.editor.clear_error()
        self.output.clear()
        config = RunConfig(
            workload=CUSTOM,
            size=self.size_spin.value(),
            mode=mode,
            workers=self._workers,
            start_method=self._start_method,
            function=module.function_spec,
            time_limit_s=float(self.time_limit.value()),
        )
        self._show_message(f"Saved as {module.path.name}. Starting {config.label()}…")
        self.runs_requested.emit([config])
        return True

    def _is_mine(self, config: RunConfig) -> bool:
        return (
            self._module is not None
            and config.workload == CUSTOM
            and config.function == self._module.function_spec
        )

    @staticmethod
    def _run_name(config: RunConfig) -> str:
        return "sequential baseline" if config.mode == "sequential" else config.label()

    # --- how it goes (connected to the controller's signals) ------------------------------

    def show_started(self, started: RunStarted) -> None:
        config = started.config
        if not self._is_mine(config):
            return
        self._show_message(
            f"Running your {FUNCTION_NAME}(n) for every n below {config.size:,}: "
            f"{self._run_name(config)}…"
        )

    def show_finished(self, result: RunResult) -> None:
        config = result.config
        if not self._is_mine(config):
            return
        value = format_number(result.answer)  # huge ints, nan, Fractions… (engine.values)
        text = (
            f"The sum of {FUNCTION_NAME}(n) for n below {config.size:,} is {value} "
            f"({self._run_name(config)}, {result.wall_s:.2f} s"
        )
        if config.mode != "sequential":
            if result.matches_baseline is True:
                text += ", the same as sequential ✓"
            elif result.matches_baseline is False:
                text += f", but sequential gave {format_number(result.baseline_answer)} ✗"
            if result.speedup is not None:
                text += f", {result.speedup:.2f}× the sequential speed"
        text += "). See the Results tab for every run."
        if config.mode != "sequential":
            lanes = len({chunk.lane or chunk.worker for chunk in result.chunks})
            note = single_lane_note(config.workers, lanes, len(result.chunks))
            text += f" {note}" if note else ""
        self._show_message(text)

    def show_output(self, config: RunConfig, text: str) -> None:
        """Append what the learner's code printed during one of its runs."""
        if not self._is_mine(config):
            return
        if not self.output.isVisible():
            self.output.setVisible(True)
        self.output.append_output(text)
        self.output.moveCursor(QTextCursor.MoveOperation.End)

    def show_cancelled(self, config: RunConfig) -> None:
        if self._is_mine(config):
            self._show_message(
                f"Cancelled the {self._run_name(config)}. No worker process is left running."
            )

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        if not self._is_mine(config):
            return
        report = failure_report(failure, self._module, self._run_name(config))
        self._show_message(report.text, error=True, details=report.details)
        if report.line is not None:
            self.editor.mark_error(report.line)

    def _show_problem(self, problem: CodeProblem) -> None:
        self._show_message(f"Nothing ran. {problem.text()}", error=True)
        self.editor.mark_error(problem.line, problem.column)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str, error: bool = False, details: str = "") -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        show_as_error(self.status, error)
        self.details.setPlainText(details)
        self.details.setVisible(bool(details))
