"""The Exercises tab: fix a program, check it by running it, hints one at a time.

The panel shows the list of exercises with their state, the chosen one's task, its program in
the code editor, Check, hints, the reference solution (offered only after a few failed checks),
the check's verdict and output, and the explanation once solved. It saves the learner's program
as a file and asks for a check with `check_requested`; the window hands that to the exercise
check controller, so the program only ever runs in processes of its own, never in this one.
Progress goes to the ProgressStore (saved at once) and is announced with `progress_changed`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from tutor.content.exercises import (
    SOLUTION_AFTER_FAILED_CHECKS,
    Exercise,
    ExerciseState,
    exercise_state,
    solution_offered,
)
from tutor.engine.exercise_check import CheckResult, FailureKind
from tutor.ui.panels.exercises_fit import ColumnsWatch, column_height, list_min_width
from tutor.ui.persistence.progress_store import ExerciseRecord, ProgressStore
from tutor.ui.persistence.settings_store import settings_path
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.code_editor_view import CodeEditorView
from tutor.ui.widgets.inline_code import without_code_marks

STATE_MARKS = {
    ExerciseState.NOT_STARTED: "○",
    ExerciseState.TRIED: "◐",
    ExerciseState.SOLVED: "✓",
}


def exercise_code_dir() -> Path:
    """Where the learner's versions of the exercise programs live: beside the settings file."""
    return settings_path().parent / "exercises"


class ExercisesPanel(QWidget):
    """List, task, editor and check of the practice exercises."""

    check_requested = Signal(object, object)  # Exercise, Path of the saved program
    progress_changed = Signal()  # a check was recorded or a hint revealed

    def __init__(
        self,
        exercises: tuple[Exercise, ...],
        progress: ProgressStore,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exercisesPanel")
        self.exercises = exercises
        self.progress = progress
        self.folder = folder if folder is not None else exercise_code_dir()
        self._current: Exercise | None = None
        self._busy = False
        # Drafts whose file could not be written (the folder is a file, the disk full): kept
        # here while the window is open, so switching exercises loses none of them.
        self._unsaved: dict[str, str] = {}

        self.exercise_list = QListWidget(objectName="exerciseList")
        self.exercise_list.setAccessibleName("Exercises and their state")
        # Whole titles: wrapped to the list's width (a sideways scroll cut them, "1. Guard the").
        self.exercise_list.setWordWrap(True)
        self.exercise_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.exercise_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        for exercise in exercises:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, exercise.id)
            self.exercise_list.addItem(item)

        self.title = QLabel(objectName="exerciseTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        # Described labels: a screen reader hears what each is, then its text.
        self.task = DescribedLabel("The exercise's task", objectName="exerciseTask")
        self.task.setWordWrap(True)
        self.task.setTextFormat(Qt.TextFormat.MarkdownText)
        self.editor = CodeEditorView(
            "exerciseEditor",
            "Your program for this exercise",
            "Ctrl+Enter checks the program by running it.",
        )

        self.check_button = QPushButton("Check", objectName="exerciseCheckButton")
        self.check_button.setToolTip(
            "Save and run your program under spawn, then check what it did (Ctrl+Enter)"
        )
        self.hint_button = QPushButton(objectName="exerciseHintButton")
        self.solution_button = QPushButton("Show the solution", objectName="exerciseSolutionButton")
        self.reset_button = QPushButton("Start over", objectName="exerciseResetButton")
        self.reset_button.setToolTip("Put the exercise's starting program back in the editor")

        self.verdict = DescribedLabel("Result of the last check", objectName="exerciseVerdict")
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hints = DescribedLabel("Hints shown so far", objectName="exerciseHints")
        self.hints.setWordWrap(True)
        self.hints.setTextFormat(Qt.TextFormat.MarkdownText)
        self.explanation = DescribedLabel("Why the fix works", objectName="exerciseExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.MarkdownText)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.solution = QPlainTextEdit(objectName="exerciseSolution", readOnly=True)
        self.solution.setFont(fixed)
        self.solution.setAccessibleName("The reference solution")
        self.output = QPlainTextEdit(objectName="exerciseOutput", readOnly=True)
        self.output.setFont(fixed)
        self.output.setAccessibleName("What your program printed in the last check")
        self.output.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        middle = self._middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.title)
        middle_layout.addWidget(self.task)
        middle_layout.addWidget(self.editor, 1)
        buttons = QHBoxLayout()
        for button in (self.check_button, self.hint_button, self.solution_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)
        middle_layout.addLayout(buttons)
        side = self._side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.verdict, self.explanation, self.hints):
            side_layout.addWidget(widget)
        side_layout.addWidget(self.solution, 1)
        side_layout.addWidget(self.output, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="exerciseSplitter")
        splitter.addWidget(self.exercise_list)
        splitter.addWidget(middle)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._columns_watch = ColumnsWatch(self, (middle, side))
        splitter.splitterMoved.connect(self.updateGeometry)

        self.exercise_list.currentRowChanged.connect(self._on_current_row_changed)
        self.check_button.clicked.connect(self.request_check)
        self.hint_button.clicked.connect(self.show_next_hint)
        self.solution_button.clicked.connect(self.show_solution)
        self.reset_button.clicked.connect(self.start_over)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            check = QShortcut(
                QKeySequence(keys),
                self,
                self.request_check,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
            check.setWhatsThis("Exercises: check your program by running it")  # said by F1
        self._refresh_list()
        if exercises:
            self.exercise_list.setCurrentRow(0)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # zoomed: words of a new width
            self._fit_list_width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # The tallest column at its width: task and verdict whole, the editor 8 lines.
        hint = super().minimumSizeHint()
        middle = column_height(self._middle.layout(), self._middle.width(), self.editor)
        side = column_height(self._side.layout(), self._side.width())
        margins = self.layout().contentsMargins()
        need = max(middle, side) + margins.top() + margins.bottom()
        return QSize(hint.width(), max(hint.height(), need))

    # --- which exercise ---------------------------------------------------------------------

    @property
    def current(self) -> Exercise | None:
        return self._current

    def select(self, exercise_id: str) -> bool:
        """Show the exercise with this id; False when there is none."""
        for row, exercise in enumerate(self.exercises):
            if exercise.id == exercise_id:
                self.exercise_list.setCurrentRow(row)
                return True
        return False

    def _on_current_row_changed(self, row: int) -> None:
        unsaved = self.save_draft()
        if not 0 <= row < len(self.exercises):
            return
        exercise = self._current = self.exercises[row]
        self.title.setText(f"{exercise.number}. {exercise.title}")
        self.task.setText(exercise.task)
        source = self._unsaved.get(exercise.id)
        if source is None:
            try:
                source = self.program_path(exercise).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                source = exercise.start_source
        self.editor.setPlainText(source)
        self.editor.document().setModified(exercise.id in self._unsaved)
        self.verdict.setText(
            unsaved or "Fix the program, then press Check: it runs for real, under spawn."
        )
        self.output.clear()
        self.solution.clear()
        self.solution.setVisible(False)
        self._show_record(self.progress.exercise_record(exercise.id))

    def program_path(self, exercise: Exercise) -> Path:
        """The file the learner's version of `exercise` is saved in (and checked from)."""
        return self.folder / f"{exercise.id.replace('-', '_')}.py"

    # --- state ------------------------------------------------------------------------------

    def _refresh_list(self) -> None:
        records = self.progress.exercise_records()
        for row, exercise in enumerate(self.exercises):
            record = records.get(exercise.id, ExerciseRecord())
            state = exercise_state(record.checks, record.solved)
            item = self.exercise_list.item(row)
            item.setText(
                f"{STATE_MARKS[state]} {exercise.number}. {exercise.title} ({state.value})"
            )
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{exercise.title}: {state.value}")
        self._fit_list_width()

    def _fit_list_width(self) -> None:
        """The list no narrower than its longest word (at 200 % a word ran past its edge)."""
        listing = self.exercise_list
        texts = [listing.item(row).text() for row in range(listing.count())]
        listing.setMinimumWidth(list_min_width(listing, texts))

    def state_of(self, exercise_id: str) -> ExerciseState:
        record = self.progress.exercise_record(exercise_id)
        return exercise_state(record.checks, record.solved)

    def _show_record(self, record: ExerciseRecord) -> None:
        exercise = self._current
        if exercise is None:
            return
        shown = min(record.hints_shown, len(exercise.hints))
        self.hints.setText(
            "\n\n".join(f"**Hint {i + 1}.** {exercise.hints[i]}" for i in range(shown))
        )
        self.hints.setVisible(shown > 0)
        left = len(exercise.hints) - shown
        self.hint_button.setText(
            f"Show a hint ({shown + 1} of {len(exercise.hints)})" if left else "No more hints"
        )
        self.hint_button.setEnabled(left > 0)
        offered = solution_offered(record.failed, record.solved)
        self.solution_button.setEnabled(offered)
        self.solution_button.setToolTip(
            "Compare your program with the tutor's"
            if offered
            else f"Offered after {SOLUTION_AFTER_FAILED_CHECKS} checks that did not pass "
            f"({record.failed} so far): try the hints first"
        )
        self.explanation.setText(f"**Why it works.** {exercise.explanation}")
        self.explanation.setVisible(record.solved)
        self.check_button.setEnabled(not self._busy)

    # --- actions ----------------------------------------------------------------------------

    def save_draft(self) -> str:
        """Write the editor's program for the current exercise to its file. Returns "" or,
        when it cannot be written, a sentence saying so (the draft is then kept in memory)."""
        exercise = self._current
        if exercise is None or not self.editor.document().isModified():
            return ""
        path = self.program_path(exercise)
        text = self.editor.toPlainText()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self._unsaved[exercise.id] = text
            reason = exc.strerror or type(exc).__name__
            return (
                f"Your draft of “{exercise.title}” could not be saved to {path} ({reason}): "
                "it is kept while the window stays open."
            )
        self._unsaved.pop(exercise.id, None)
        self.editor.document().setModified(False)
        return ""

    def request_check(self) -> bool:
        """Save the program and ask for a check; False while a check runs or none is chosen."""
        exercise = self._current
        if exercise is None or self._busy:
            return False
        path = self.program_path(exercise)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(self.editor.toPlainText(), encoding="utf-8")
        except OSError as exc:
            self.verdict.setText(f"Your program could not be saved to {path}: {exc.strerror}")
            return False
        self.editor.document().setModified(False)
        self.verdict.setText("Checking: your program is running in processes of its own…")
        self.output.clear()
        self.check_requested.emit(exercise, path)
        return True

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.check_button.setEnabled(not busy)

    def show_check_result(self, exercise_id: str, result: CheckResult) -> None:
        """Record and show a finished check of `exercise_id`."""
        if result.failure is FailureKind.CANCELLED:
            self.verdict.setText("The check was stopped before your program finished.")
            return
        record = self.progress.record_exercise_check(exercise_id, result.passed)
        self._refresh_list()
        self.progress_changed.emit()
        if self._current is None or self._current.id != exercise_id:
            return  # the learner moved on meanwhile; the list shows the new state
        if result.passed:
            self.verdict.setText(f"Solved! The check {result.verdict_line()}.")
        else:
            detail = f" ({result.detail})" if result.detail else ""
            # Plain text (the detail is the program's own words): inline code loses its marks.
            self.verdict.setText(f"Not yet: {without_code_marks(result.reason)}{detail}.")
        self.output.setPlainText(_output_text(result))
        self._show_record(record)

    def show_next_hint(self) -> None:
        exercise = self._current
        if exercise is None:
            return
        record = self.progress.exercise_record(exercise.id)
        shown = min(record.hints_shown + 1, len(exercise.hints))
        self._show_record(self.progress.record_hint_shown(exercise.id, shown))
        self.progress_changed.emit()

    def show_solution(self) -> None:
        exercise = self._current
        if exercise is None:
            return
        record = self.progress.exercise_record(exercise.id)
        if not solution_offered(record.failed, record.solved):
            return  # never before a few tries
        self.solution.setPlainText(exercise.solution_source)
        self.solution.setVisible(True)

    def start_over(self) -> None:
        if self._current is not None:
            self.editor.setPlainText(self._current.start_source)
            self.editor.document().setModified(True)
            unsaved = self.save_draft()
            if unsaved:
                self.verdict.setText(unsaved)


def _output_text(result: CheckResult) -> str:
    parts = []
    if result.stdout.strip():
        parts.append("Printed:\n" + result.stdout.rstrip())
    if result.stderr.strip():
        parts.append("Errors:\n" + result.stderr.rstrip())
    return "\n\n".join(parts) or "(your program printed nothing)"
