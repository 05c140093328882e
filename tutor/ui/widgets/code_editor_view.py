"""The code editor widget: a QPlainTextEdit with Python colours, line numbers and indenting keys.

Colours come from Pygments tokens over the whole text (tutor.content.code_tokens), so
multi-line strings are right; the gutter shows line numbers; Tab / Shift+Tab indent and dedent
by four spaces and Enter keeps the indentation. `mark_error` underlines a line the checker or a
traceback named.
"""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFontDatabase,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

from tutor.content.code_tokens import TokenSpan, TokenStyle, python_token_spans
from tutor.ui.widgets.palette_tone import is_dark  # noqa: F401 - re-exported
from tutor.ui.widgets.token_format import token_format

INDENT = "    "


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
        self._text_changed = True  # the document's text changed since it was last read

    def setDocument(self, document: QTextDocument | None) -> None:  # noqa: N802 - Qt override
        """As Qt's, with the text marked changed on every edit. Connected before Qt's own
        connection (made in setDocument), so the mark is set before blocks are coloured."""
        old = self.document()
        if old is not None:
            old.contentsChange.disconnect(self._on_contents_change)
        if document is not None:
            document.contentsChange.connect(self._on_contents_change)
        self._text_changed = True
        super().setDocument(document)

    def _on_contents_change(self, _position: int, removed: int, added: int) -> None:
        if removed or added:
            self._text_changed = True

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
        # Read the text once per edit, not once per block: an edit colours many blocks, and
        # reading the whole text for each made pasting 20,000 lines take 15 s.
        if not self._text_changed and self._source is not None:
            return
        self._text_changed = False
        source = self.document().toPlainText()
        if source != self._source:
            self._source = source
            self._spans = python_token_spans(source, self._dark)
            self._starts = [span.start for span in self._spans]

    def _format(self, style: TokenStyle) -> QTextCharFormat:
        found = self._formats.get(style)
        if found is None:
            found = self._formats[style] = token_format(style.color, style.bold, style.italic)
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

    def __init__(
        self,
        object_name: str = "codeEditor",
        accessible_name: str = "Code editor for your work function",
        keys: str = "Ctrl+Enter runs with processes, Ctrl+Shift+Enter with threads.",
        parent: QWidget | None = None,
    ) -> None:
        """`object_name` for tests and styles, `accessible_name` for a screen reader, and
        `keys`: one sentence on what the keys of the editor's panel do (Ctrl+Enter), which the
        accessible description adds to the editor's own keys. The defaults are Your function's
        editor's."""
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(accessible_name)
        self.setAccessibleDescription(
            f"Python code. Tab indents, Shift+Tab dedents, Ctrl+Tab leaves the editor. {keys}"
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
