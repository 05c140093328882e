"""Colour the lesson's code where it stands: token colours as char formats, a slice per turn.

Showing the colours used to re-render the whole lesson (one setHtml of the coloured HTML): over
50 ms of the window's thread in one event-loop turn (tests/perf/ui_responsiveness.py), just
after a run's results. Here the colours are worked out off the window's thread (`code_runs`,
pure Python: Pygments' tokens and its style's colours, cached; `warm_code_runs` fills the cache
from the colouring thread), and the window's thread only paints them onto the plain code already
in the document, with QTextCursor char formats, at most `RUNS_PER_STEP` token runs per
event-loop turn (timers are served between slices). The text, the scroll position, the caret
and the links stay as they were. Measured: a whole coloured render took 56-58 ms of the
window's thread in one turn; the slices take at most ~9 ms each (8 slices for the lesson).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTextCursor, QTextDocument, QTextTable

from tutor.content.code_tokens import pygments_style
from tutor.content.highlight import lexer_for
from tutor.content.lesson import CodeSegment, Lesson
from tutor.ui.widgets.token_format import token_format

RUNS_PER_STEP = 150  # token runs painted in one event-loop turn (about a millisecond or two)
# Between slices: a real timer, not a zero-timer. Zero-timers are posted events, and with Qt's
# glib event loop (Linux) a due timer (the window's own, e.g. a chart's redraw) waits while any
# posted event does: a chain of them would hold the window's timers for the whole chain.
STEP_DELAY_MS = 1
_PARAGRAPH_SEPARATOR = "\u2029"  # QTextCursor.selectedText's line break


@dataclass(frozen=True)
class TokenRun:
    """One coloured stretch of a code block: `start` and `length` in characters of its source,
    `colour` as "#rrggbb" (None: the block's own text colour), and the font's weight/slant."""

    start: int
    length: int
    colour: str | None
    bold: bool
    italic: bool


@lru_cache(maxsize=256)
def code_runs(source: str, language: str, dark: bool) -> tuple[TokenRun, ...] | None:
    """The token runs of `source` as `tutor.content.highlight` colours it (Pygments, the
    light or dark style), or None when the tokens do not spell the source back (then only a
    whole re-render can colour it). Pure Python, no Qt: safe on any thread; ~ms per block."""
    lexer = lexer_for(language)  # the same lexer and style as the whole render uses
    style = pygments_style(dark)
    runs: list[TokenRun] = []
    at = 0
    try:
        tokens = list(lexer.get_tokens(source))
    except Exception:  # a lexer bug must never hide the code itself
        return None
    for kind, text in tokens:
        if source[at : at + len(text)] != text:
            return None if at < len(source.rstrip("\n")) else tuple(runs)
        shown = style.style_for_token(kind)
        colour = f"#{shown['color']}" if shown.get("color") else None
        if text.strip() and (colour or shown.get("bold") or shown.get("italic")):
            runs.append(TokenRun(at, len(text), colour, bool(shown["bold"]), bool(shown["italic"])))
        at += len(text)
    return tuple(runs)


def warm_code_runs(blocks: Iterable[tuple[str, str]], dark: bool) -> None:
    """Fill `code_runs`'s cache for each (source, language) block (call off the GUI thread)."""
    for source, language in blocks:
        code_runs(source, language, dark)


def _table_text(table: QTextTable) -> tuple[int, str]:
    """(position of the first character, plain text with "\\n" line breaks) of a 1-cell table."""
    cell = table.cellAt(0, 0)
    cursor = cell.firstCursorPosition()
    start = cursor.position()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return start, cursor.selectedText().replace(_PARAGRAPH_SEPARATOR, "\n")


def code_block_starts(document: QTextDocument, lesson: Lesson) -> list[int] | None:
    """Where each of `lesson`'s code segments starts in `document` (its one-cell tables, in
    order), or None when the document does not hold every one of them as plain code."""
    tables = [
        frame
        for frame in document.rootFrame().childFrames()
        if isinstance(frame, QTextTable) and frame.rows() == 1 and frame.columns() == 1
    ]
    starts: list[int] = []
    index = 0
    for segment in lesson.segments:
        if not isinstance(segment, CodeSegment):
            continue
        wanted = segment.source.rstrip()
        while index < len(tables):
            start, text = _table_text(tables[index])
            index += 1
            if text.rstrip() == wanted:
                starts.append(start)
                break
        else:
            return None
    return starts


class CodeColourSteps(QObject):
    """Paints a lesson's token colours onto its document, `RUNS_PER_STEP` runs per turn.

    `start(document, lesson, dark, done)` returns False (and does nothing) when the document
    does not hold the lesson's code or a block's runs are unknown; otherwise it paints on from
    zero-timers and calls `done()` after the last run. `cancel()` stops it (e.g. the document is
    replaced); painting again later starts over, which gives the same result.
    """

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._steps: Iterator[Callable[[], None]] | None = None
        self._done: Callable[[], None] | None = None
        self._generation = 0

    def is_running(self) -> bool:
        return self._steps is not None

    def cancel(self) -> None:
        self._generation += 1
        self._steps = None
        self._done = None

    def start(
        self, document: QTextDocument, lesson: Lesson, dark: bool, done: Callable[[], None]
    ) -> bool:
        self.cancel()
        document.setUndoRedoEnabled(False)  # a read-only view: no undo stack of formats
        starts = code_block_starts(document, lesson)
        if starts is None:
            return False
        segments = [s for s in lesson.segments if isinstance(s, CodeSegment)]
        placed: list[tuple[int, TokenRun]] = []
        for segment, base in zip(segments, starts, strict=True):
            runs = code_runs(segment.source, segment.language, dark)
            if runs is None:
                return False
            placed.extend((base, run) for run in runs)
        slices = [placed[i : i + RUNS_PER_STEP] for i in range(0, len(placed), RUNS_PER_STEP)]
        self._steps = iter([lambda part=part: self._paint(document, part) for part in slices])
        self._done = done
        QTimer.singleShot(STEP_DELAY_MS, self, self._on_turn(self._generation))
        return True

    def _on_turn(self, generation: int) -> Callable[[], None]:
        def turn() -> None:
            if generation != self._generation or self._steps is None:
                return  # cancelled meanwhile
            step = next(self._steps, None)
            if step is None:
                done, self._done, self._steps = self._done, None, None
                if done is not None:
                    done()
                return
            QTimer.singleShot(STEP_DELAY_MS, self, self._on_turn(generation))
            step()

        return turn

    @staticmethod
    def _paint(document: QTextDocument, part: list[tuple[int, TokenRun]]) -> None:
        cursor = QTextCursor(document)
        cursor.beginEditBlock()  # one relayout for the slice, not one per run
        for base, run in part:
            cursor.setPosition(base + run.start)
            cursor.setPosition(base + run.start + run.length, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(token_format(run.colour, run.bold, run.italic))
        cursor.endEditBlock()
