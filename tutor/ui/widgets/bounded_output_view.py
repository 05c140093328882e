"""A read-only text pane that keeps only the last lines of a long output, and says so.

QPlainTextEdit.setMaximumBlockCount drops the oldest lines without a word: a learner whose
function printed 200,000 lines saw 500 and could not tell the rest were gone. Here the pane
keeps the last `max_lines` lines under a first line such as "… 199,500 earlier lines not
shown", updated as more lines go. A line longer than MAX_LINE_CHARS is cut there, with a note
(see below why).
"""

from __future__ import annotations

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

# A longer line is cut here: a wrapped line is laid out whole again at every piece added to
# it, and one print() of 64,000 characters, arriving in pieces, held the window for seconds.
MAX_LINE_CHARS = 2_000
LONG_LINE_NOTE = (
    f" … (the rest of this line is not shown: lines are cut at {MAX_LINE_CHARS:,} characters)"
)


def dropped_lines_note(count: int) -> str:
    """The pane's first line once `count` (≥ 1) lines were dropped from its top."""
    return f"… {count:,} earlier line{'s' if count != 1 else ''} not shown"


class BoundedOutputView(QPlainTextEdit):
    """A read-only QPlainTextEdit holding at most `max_lines` lines of appended text.

    `append_output(text)` adds text at the end (it may hold many lines, or end mid-line);
    lines beyond `max_lines` are removed from the top and counted in a first note line
    (`dropped_lines_note`). `dropped()` is how many lines went; `clear()` starts afresh.
    """

    def __init__(self, max_lines: int, parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(parent, **kwargs)
        if max_lines < 1:
            raise ValueError(f"max_lines must be at least 1, not {max_lines}")
        self._max_lines = max_lines
        self._dropped = 0
        self._open_line = 0  # characters of the last line shown so far (it has no newline yet)
        self._line_cut = False  # the last line reached MAX_LINE_CHARS: the rest is dropped
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)  # no undo history of text nobody can edit

    def dropped(self) -> int:
        """How many lines were removed from the top since the last `clear()`."""
        return self._dropped

    def clear(self) -> None:
        self._dropped = 0
        self._open_line, self._line_cut = 0, False
        super().clear()

    def append_output(self, text: str) -> None:
        """Add `text` at the end (each line cut at MAX_LINE_CHARS, with LONG_LINE_NOTE), then
        drop the oldest lines beyond `max_lines`."""
        cursor = QTextCursor(self.document())
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(self._cut_long_lines(text))
        note_blocks = 1 if self._dropped else 0
        document = self.document()
        open_end = 1 if document.lastBlock().length() <= 1 else 0  # after a final newline
        excess = document.blockCount() - note_blocks - open_end - self._max_lines
        if excess <= 0:
            return
        cursor = QTextCursor(self.document().findBlockByNumber(note_blocks))
        cursor.movePosition(
            QTextCursor.MoveOperation.NextBlock, QTextCursor.MoveMode.KeepAnchor, excess
        )
        cursor.removeSelectedText()
        self._dropped += excess
        note = QTextCursor(self.document().firstBlock())  # the note line, new or updated
        if note_blocks:
            note.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            note.insertText(dropped_lines_note(self._dropped))
        else:
            note.insertText(dropped_lines_note(self._dropped) + "\n")

    def _cut_long_lines(self, text: str) -> str:
        """`text` with every line cut at MAX_LINE_CHARS; the open last line's part already
        shown counts, as its next pieces may come in later calls."""
        shown: list[str] = []
        for index, part in enumerate(text.split("\n")):
            if index:  # a newline ends the open line
                shown.append("\n")
                self._open_line, self._line_cut = 0, False
            if self._line_cut:
                continue
            room = MAX_LINE_CHARS - self._open_line
            if len(part) > room:
                shown.append(part[:room] + LONG_LINE_NOTE)
                self._open_line, self._line_cut = MAX_LINE_CHARS, True
            else:
                shown.append(part)
                self._open_line += len(part)
        return "".join(shown)
