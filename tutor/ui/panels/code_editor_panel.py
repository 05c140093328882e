"""Your own function: a small Python editor whose `work(n)` runs on N processes and N threads.

The panel checks the code (tutor.content.learner_code), saves it as a real module and asks for
runs of the engine's custom workload; the main window hands them to the run controller, so the
learner's code only ever runs in helper and worker processes: an endless loop, an exception or
a crash there cannot freeze the window, and the run's time limit ends whatever overstays.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from tutor.content.code_tokens import TokenSpan, TokenStyle, python_token_spans
from tutor.content.learner_code import (
    FUNCTION_NAME,
    CodeProblem,
    LearnerModule,
    check_source,
    error_line,
    learner_traceback,
    make_importable,
    save_learner_module,
    starter_source,
)
from tutor.engine.events import RunStarted
from tutor.engine.modes import PROCESS_MODES
from tutor.engine.records import MAX_SIZE, RunConfig, RunResult, WorkerFailure
from tutor.engine.values import format_number, refused_line
from tutor.engine.workloads import CUSTOM, failing_item, without_failing_item
from tutor.ui.persistence.settings_store import settings_path
from tutor.ui.widgets.accessible import DescribedLabel
from tutor.ui.widgets.palette_tone import is_dark

INDENT = "    "
DEFAULT_SIZE = 200_000
DEFAULT_TIME_LIMIT_S = 20
DRAFT_FILE = "draft.txt"  # not importable: the folder is on sys.path
DRAFT_SAVE_DELAY_MS = 1000
OUTPUT_LINES = 500  # lines of print() output kept in the panel


def learner_code_dir() -> Path:
    """Where the learner's saved functions live: beside the settings file."""
    return settings_path().parent / "learner_code"


class PythonHighlighter(QSyntaxHighlighter):
    """Colours Python with Pygments' tokens, lexed over the whole document.

    Lexing the whole text (small for a learner's function) gets multi-line strings right. Each
    block's state is a signature of its spans: when an edit changes a block's colours, its
    state changes and Qt goes on to re-highlight the next block, until nothing changes.
    """

    def __init__(self, parent: QObject, dark: bool = False) -> None:
        super().__init__(parent)  # no document until CodeEditorView.showEvent attaches one
        self._dark = dark
        self._source: str | None = None
        self._spans: list[TokenSpan] = []
        self._starts: list[int] = []
        self._formats: dict[TokenStyle, QTextCharFormat] = {}

    @property
    def dark(self) -> bool:
        return self._dark

    def set_dark(self, dark: bool) -> None:
        if dark != self._dark:
            self._dark = dark
            self._source = None
            self._formats.clear()
            self.rehighlight()

    def _ensure_spans(self) -> None:
        source = self.document().toPlainText()
        if source != self._source:
            self._source = source
            self._spans = python_token_spans(source, self._dark)
            self._starts = [span.start for span in self._spans]

    def _format(self, style: TokenStyle) -> QTextCharFormat:
        found = self._formats.get(style)
        if found is None:
            found = QTextCharFormat()
            if style.color:
                found.setForeground(QColor(style.color))
            if style.bold:
                found.setFontWeight(QFont.Weight.Bold)
            if style.italic:
                found.setFontItalic(True)
            self._formats[style] = found
        return found

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        self._ensure_spans()
        block = self.currentBlock()
        begin = block.position()
        end = begin + block.length() - 1  # UTF-16 units, like the spans
        index = max(0, bisect_right(self._starts, begin) - 1)
        signature: list[tuple] = []
        inside_at_end = None
        while index < len(self._spans):
            span = self._spans[index]
            index += 1
            if span.start > end:
                break
            if span.end <= begin:
                continue
            if span.start <= end < span.end:
                inside_at_end = span.style  # e.g. a triple-quoted string goes on
            start, stop = max(span.start, begin), min(span.end, end)
            if stop > start:
                self.setFormat(start - begin, stop - start, self._format(span.style))
                signature.append((start - begin, stop - start, span.style))
        self.setCurrentBlockState(hash((tuple(signature), inside_at_end)) & 0x3FFFFFFF)


class LineNumberView(QWidget):
    """The gutter left of the editor that shows line numbers (Qt's code-editor pattern)."""

    def __init__(self, editor: CodeEditorView) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setObjectName("codeEditorLineNumbers")
        self.setAccessibleName("Line numbers")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._editor.line_number_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self._editor.paint_line_numbers(self, event)


class CodeEditorView(QPlainTextEdit):
    """A plain-text Python editor: line numbers, highlighting, 4-space indents, error marks.

    Keys: Tab / Shift+Tab indent and dedent, Enter keeps the indentation (one more level after
    a colon), Ctrl+Tab / Ctrl+Shift+Tab move the focus out of the editor.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codeEditor")
        self.setAccessibleName("Code editor for your work function")
        self.setAccessibleDescription(
            "Python code. Tab indents, Shift+Tab dedents, Ctrl+Tab leaves the editor, "
            "Ctrl+Enter runs with processes, Ctrl+Shift+Enter with threads."
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.setFont(font)
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * len(INDENT))
        self._error: tuple[int, int] | None = None  # (line, column), 1-based
        self.line_numbers = LineNumberView(self)
        # Attached to the text on first show: building Pygments' lexer costs ~50 ms, and the
        # editor sits in a tab most learners open later, if ever (window start-up stays quick).
        self.highlighter = PythonHighlighter(self, is_dark(self.palette()))
        self.blockCountChanged.connect(self._update_margins)
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._refresh_selections)
        self.document().contentsChange.connect(self._on_contents_change)
        self._update_margins()
        self._refresh_selections()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        if self.highlighter.document() is None:
            self.highlighter.setDocument(self.document())
        super().showEvent(event)

    # --- line numbers ---------------------------------------------------------------------

    def line_number_width(self) -> int:
        digits = max(2, len(str(max(1, self.blockCount()))))
        return 10 + self.fontMetrics().horizontalAdvance("9") * digits

    def visible_line_numbers(self) -> list[int]:
        """The numbers the gutter paints now (1-based), top to bottom."""
        return [number for number, _top, _height in self._visible_blocks()]

    def _visible_blocks(self):
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        bottom_limit = self.viewport().height()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > bottom_limit:
                break
            if block.isVisible() and geometry.bottom() >= 0:
                yield block.blockNumber() + 1, round(geometry.top()), round(geometry.height())
            block = block.next()

    def paint_line_numbers(self, gutter: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        current = self.textCursor().blockNumber() + 1
        error = self._error[0] if self._error else None
        width = gutter.width() - 5
        height = self.fontMetrics().height()
        for number, top, _height in self._visible_blocks():
            if number == error:
                painter.setPen(QColor("#ff6b6b" if self.highlighter.dark else "#c62828"))
            elif number == current:
                painter.setPen(palette.color(QPalette.ColorRole.Text))
            else:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(0, top, width, height, Qt.AlignmentFlag.AlignRight, str(number))
        painter.end()

    def _update_margins(self, *_: object) -> None:
        self.setViewportMargins(self.line_number_width(), 0, 0, 0)

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self.line_numbers.scroll(0, dy)
        else:
            self.line_numbers.update(0, rect.y(), self.line_numbers.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_margins()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        area = self.contentsRect()
        self.line_numbers.setGeometry(
            QRect(area.left(), area.top(), self.line_number_width(), area.height())
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.highlighter.set_dark(is_dark(self.palette()))
            self._refresh_selections()
        elif event.type() == QEvent.Type.FontChange:
            self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * len(INDENT))
            self._update_margins()

    # --- error marks ----------------------------------------------------------------------

    def mark_error(self, line: int, column: int = 0) -> None:
        """Mark `line` (1-based) as wrong and put the cursor there, at `column` when known."""
        line = min(max(1, line), self.blockCount())
        block = self.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        if column > 1:
            cursor.movePosition(
                QTextCursor.MoveOperation.Right,
                QTextCursor.MoveMode.MoveAnchor,
                min(column - 1, max(0, block.length() - 1)),
            )
        self._error = (line, column)
        self.setTextCursor(cursor)
        self.centerCursor()
        self._refresh_selections()
        self.line_numbers.update()

    def clear_error(self) -> None:
        if self._error is not None:
            self._error = None
            self._refresh_selections()
            self.line_numbers.update()

    def error_line(self) -> int | None:
        return self._error[0] if self._error else None

    def _on_contents_change(self, _position: int, removed: int, added: int) -> None:
        if removed or added:
            self.clear_error()  # the mark belonged to the text as it was

    def _refresh_selections(self) -> None:
        dark = self.highlighter.dark
        selections = []
        current = QTextEdit.ExtraSelection()
        current.format.setBackground(QColor("#2f3129" if dark else "#f3f6fb"))
        current.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        current.cursor = self.textCursor()
        current.cursor.clearSelection()
        selections.append(current)
        if self._error is not None:
            mark = QTextEdit.ExtraSelection()
            mark.format.setBackground(QColor("#5c2323" if dark else "#ffd7d7"))
            mark.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            mark.format.setToolTip("The error is on this line")
            mark.cursor = QTextCursor(self.document().findBlockByNumber(self._error[0] - 1))
            selections.append(mark)
        self.setExtraSelections(selections)

    # --- editing keys ---------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key, modifiers = event.key(), event.modifiers()
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab) and ctrl:
            forward = key == Qt.Key.Key_Tab and not modifiers & Qt.KeyboardModifier.ShiftModifier
            # QPlainTextEdit's own version keeps the focus while the text is editable.
            QWidget.focusNextPrevChild(self, forward)
            return
        if key == Qt.Key.Key_Tab and not modifiers & ~Qt.KeyboardModifier.KeypadModifier:
            self._indent()
            return
        if key == Qt.Key.Key_Backtab:
            self._dedent()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not modifiers & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.ShiftModifier
            | Qt.KeyboardModifier.AltModifier
        ):
            self._new_line()
            return
        super().keyPressEvent(event)

    def _selected_blocks(self) -> list:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        if cursor.hasSelection() and last != first and cursor.selectionEnd() == last.position():
            last = last.previous()  # a selection ending at a line's start leaves that line
        blocks = [first]
        while blocks[-1] != last and blocks[-1].isValid():
            blocks.append(blocks[-1].next())
        return blocks

    def _indent(self) -> None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            column = cursor.positionInBlock()
            cursor.insertText(" " * (len(INDENT) - column % len(INDENT)))
            return
        cursor.beginEditBlock()
        for block in self._selected_blocks():
            edit = QTextCursor(block)
            edit.insertText(INDENT)
        cursor.endEditBlock()

    def _dedent(self) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        for block in self._selected_blocks():
            text = block.text()
            spaces = len(text) - len(text.lstrip(" "))
            remove = spaces % len(INDENT) or min(spaces, len(INDENT))
            if remove:
                edit = QTextCursor(block)
                edit.movePosition(
                    QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor, remove
                )
                edit.removeSelectedText()
        cursor.endEditBlock()

    def _new_line(self) -> None:
        cursor = self.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        indent = before[: len(before) - len(before.lstrip(" \t"))]
        if before.rstrip().endswith(":"):
            indent += INDENT
        cursor.beginEditBlock()
        cursor.insertText("\n" + indent)
        cursor.endEditBlock()
        self.ensureCursorVisible()


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

        self.size_spin = QSpinBox(objectName="customSize")
        self.size_spin.setRange(0, MAX_SIZE)
        self.size_spin.setGroupSeparatorShown(True)
        self.size_spin.setSingleStep(10_000)
        self.size_spin.setValue(DEFAULT_SIZE)
        self.size_spin.setAccessibleName("N: work(n) runs for every n below N")
        self.size_spin.setToolTip("work(n) is called for n = 0, 1, … N−1 and the results added up")

        self.time_limit = QSpinBox(objectName="customTimeLimit")
        self.time_limit.setRange(1, 3600)
        self.time_limit.setValue(DEFAULT_TIME_LIMIT_S)
        self.time_limit.setSuffix(" s")
        self.time_limit.setAccessibleName("Time limit per run in seconds")
        self.time_limit.setToolTip(
            "A run still going after this long is stopped and its processes ended: "
            "an endless loop cannot keep your cores busy."
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

        self.status = DescribedLabel("Status of your function", objectName="customStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.details = QPlainTextEdit(objectName="customDetails")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName("Error details for your function")
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setVisible(False)
        # What work() printed, in the helper and every worker (bounded, like the console).
        self.output = QPlainTextEdit(objectName="customOutput")
        self.output.setReadOnly(True)
        self.output.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.output.setAccessibleName("What your function printed")
        self.output.setPlaceholderText("print() output of your code appears here")
        self.output.setMaximumBlockCount(OUTPUT_LINES)
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
        self._show_message(text)

    def show_output(self, config: RunConfig, text: str) -> None:
        """Append what the learner's code printed during one of its runs."""
        if not self._is_mine(config):
            return
        if not self.output.isVisible():
            self.output.setVisible(True)
        self.output.moveCursor(QTextCursor.MoveOperation.End)
        self.output.insertPlainText(text)
        self.output.moveCursor(QTextCursor.MoveOperation.End)

    def show_cancelled(self, config: RunConfig) -> None:
        if self._is_mine(config):
            self._show_message(
                f"Cancelled the {self._run_name(config)}. No worker process is left running."
            )

    def show_failure(self, config: RunConfig, failure: WorkerFailure) -> None:
        if not self._is_mine(config):
            return
        module = self._module
        run = self._run_name(config)
        details = failure.traceback
        line = None
        if failure.kind == "raised":
            line = error_line(failure.traceback, module) if module else None
            if failure.exc_type == "NotANumber":  # work() returned; the line is in the message
                line = refused_line(failure.message)
            where = f" at line {line}" if line else ""
            item = failing_item(failure.traceback)
            where += "" if item is None else f" for n = {item}"
            plain = without_failing_item(failure.traceback).strip()
            last = plain.splitlines()[-1] if plain else ""
            text = (
                f"Your function raised an exception{where} in the {run}: {last or failure.message}"
            )
            if module is not None and failure.traceback:
                details = learner_traceback(failure.traceback, module)
        elif failure.kind == "died":
            text = (
                f"A process running your function died in the {run}: {failure.message}. "
                "os._exit(), a crash in C code or running out of memory end a process at once; "
                "the tutor noticed and cleaned up."
            )
        elif failure.kind == "timeout" and failure.import_problem is not None:
            text = (
                f"Stopped by the time limit in the {run}: {failure.message}. Only definitions "
                "belong at the top level: move other code into work() or under "
                '`if __name__ == "__main__":`.'
            )
        elif failure.kind == "timeout":
            text = (
                f"Stopped by the time limit in the {run}: {failure.message}. Is there a loop "
                "that never ends? If your function is just slow, raise the limit or lower N."
            )
        elif failure.kind == "invalid":
            reason = failure.import_problem.learner_reason() if failure.import_problem else None
            text = f"Your code could not be loaded for the {run}: {reason or failure.message}"
        else:
            text = f"The {run} failed: {failure.message}"
        self._show_message(text, error=True, details=details)
        if line is not None:
            self.editor.mark_error(line)

    def _show_problem(self, problem: CodeProblem) -> None:
        self._show_message(f"Nothing ran. {problem.text()}", error=True)
        self.editor.mark_error(problem.line, problem.column)
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_message(self, text: str, error: bool = False, details: str = "") -> None:
        self.status.setText(text)
        self.status.setProperty("error", error)
        colour = "#ff8a80" if is_dark(self.palette()) else "#b71c1c"
        self.status.setStyleSheet(f"color: {colour};" if error else "")
        self.details.setPlainText(details)
        self.details.setVisible(bool(details))
