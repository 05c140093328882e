"""The Your function output pane keeps the last lines and says how many earlier ones went."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QPlainTextEdit
from test_your_function_safety import run_code, window  # noqa: F401 - the window fixture

from tutor.ui.panels.code_editor_panel import OUTPUT_LINES
from tutor.ui.widgets.bounded_output_view import (
    LONG_LINE_NOTE,
    MAX_LINE_CHARS,
    BoundedOutputView,
    dropped_lines_note,
)


@pytest.fixture
def view(qtbot):
    view = BoundedOutputView(500)
    qtbot.addWidget(view)
    return view


def test_two_hundred_thousand_lines_keep_the_last_500_under_a_note(view):
    lines = [f"line {i}" for i in range(200_000)]
    for start in range(0, len(lines), 7_000):  # as the runs send it: many lines at a time
        view.append_output("".join(f"{line}\n" for line in lines[start : start + 7_000]))
    shown = view.toPlainText().splitlines()
    assert shown[0] == "… 199,500 earlier lines not shown"
    assert shown[1:] == lines[-500:]
    assert view.dropped() == 199_500


def test_output_that_fits_has_no_note(view):
    view.append_output("".join(f"{i}\n" for i in range(500)))
    assert view.toPlainText().splitlines() == [str(i) for i in range(500)]
    assert view.dropped() == 0


def test_a_line_sent_in_pieces_is_one_line_and_clear_starts_afresh(view):
    view.append_output("".join(f"{i}\n" for i in range(501)))
    view.append_output("half a ")
    view.append_output("line\n")
    shown = view.toPlainText().splitlines()
    assert shown[0] == dropped_lines_note(2) == "… 2 earlier lines not shown"
    assert shown[-1] == "half a line" and len(shown) == 501
    view.clear()
    view.append_output("again\n")
    assert view.toPlainText() == "again\n" and view.dropped() == 0


def test_one_dropped_line_is_said_in_the_singular(view):
    view.append_output("".join(f"{i}\n" for i in range(501)))
    assert view.toPlainText().splitlines()[0] == "… 1 earlier line not shown"


def test_the_window_says_how_many_printed_lines_are_not_shown(qtbot, window):  # noqa: F811
    # The sequential baseline and the threads run each print one line per item: 1,200 lines,
    # each in one write (print's text and its newline are two: threads could split them).
    source = "import sys\n\ndef work(n):\n    sys.stdout.write(f'item {n} done\\n')\n    return n\n"
    run_code(qtbot, window, source, size=600, threads=True)
    shown = window.findChild(QPlainTextEdit, "customOutput").toPlainText().splitlines()
    assert shown[0] == f"… {1_200 - OUTPUT_LINES:,} earlier lines not shown"
    assert len(shown) == OUTPUT_LINES + 1
    others = [line for line in shown[1:] if not line.startswith("item ")]
    assert others == []


def test_a_line_longer_than_the_limit_is_cut_once_with_a_note(view):
    # One print() of 64,000 characters came in pieces, each laid out with the whole wrapped
    # line again: the window froze for seconds.
    for _ in range(16):
        view.append_output("y" * 4_000)
    view.append_output("y" * 10 + "\nnext line\n" + "z" * (MAX_LINE_CHARS + 1) + "\n")
    shown = view.toPlainText().splitlines()
    assert shown == [
        "y" * MAX_LINE_CHARS + LONG_LINE_NOTE,
        "next line",
        "z" * MAX_LINE_CHARS + LONG_LINE_NOTE,
    ]
    view.clear()
    view.append_output("a" * MAX_LINE_CHARS + "\n")  # exactly at the limit: whole
    assert view.toPlainText() == "a" * MAX_LINE_CHARS + "\n"


def test_a_long_printed_line_reaches_the_pane_cut(qtbot, window):  # noqa: F811 - fixture
    source = "def work(n):\n    if n == 0:\n        print('y' * 64_000)\n    return n\n"
    run_code(qtbot, window, source, size=20)
    pane = window.findChild(QPlainTextEdit, "customOutput")
    lines = pane.toPlainText().splitlines()
    assert "y" * MAX_LINE_CHARS + LONG_LINE_NOTE in lines
    assert max(len(line) for line in lines) == MAX_LINE_CHARS + len(LONG_LINE_NOTE)
