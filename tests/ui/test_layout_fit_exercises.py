"""#19 in the Exercises tab at 1024×640 and 1280×800: the editor showed one to three lines, the
list cut its titles without an ellipsis ("1. Guard the") and the task and the verdict stopped
mid-sentence."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from test_layout_fit import SIZES, ZOOMS, reachable, settle
from window_helpers import wait_for_stable_layout

from tutor.engine.exercise_check import CheckResult, FailureKind
from tutor.ui.panels.exercises_fit import EDITOR_LINES

TOLERANCE_PX = 3
LONG_REASON = (
    "a worker stopped with the bootstrapping-phase RuntimeError: the code that creates the "
    "pool is outside the `if __name__ == '__main__':` guard, so every child re-ran it"
)


def failed_check() -> CheckResult:
    """A check that failed as the tester's did, with a traceback in its output."""
    return CheckResult(
        failure=FailureKind.BOOTSTRAP,
        reason=LONG_REASON,
        detail="RuntimeError: An attempt has been made to start a new process before the "
        "current process has finished its bootstrapping phase",
        stdout="",
        stderr='Traceback (most recent call last):\n  File "<string>", line 1\n' * 6,
        exit_code=1,
        worker_pids=(),
        elapsed_s=1.2,
    )


def exercises_in_front(qtbot, window, size, zoom=100):
    settle(qtbot, window, size, zoom)
    window.open_exercises()
    panel = window.exercises_panel
    qtbot.waitExposed(panel)
    panel.show_check_result(panel.current.id, failed_check())
    wait_for_stable_layout(qtbot, window)  # queued layout passes, the column's division
    return panel


@pytest.mark.parametrize("size", SIZES)
def test_the_editor_shows_eight_lines_and_the_task_and_verdict_whole(qtbot, window, size):
    panel = exercises_in_front(qtbot, window, size)
    editor = panel.editor
    line = editor.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: editor.viewport().height() >= EDITOR_LINES * line - TOLERANCE_PX)
    for label in (panel.task, panel.verdict):
        assert label.height() >= label.heightForWidth(label.width()) - TOLERANCE_PX, label.text()
        assert reachable(qtbot, label), label.text()
    assert reachable(qtbot, editor)


@pytest.mark.parametrize("zoom", ZOOMS)
@pytest.mark.parametrize("size", SIZES)
def test_the_exercise_list_shows_every_title_whole(qtbot, window, size, zoom):
    panel = exercises_in_front(qtbot, window, size, zoom)
    listing = panel.exercise_list
    viewport = listing.viewport()
    assert listing.horizontalScrollBar().maximum() == 0  # nothing hidden sideways
    for row in range(listing.count()):
        item = listing.item(row)
        rect = listing.visualItemRect(item)
        assert viewport.rect().left() <= rect.left() and rect.right() <= viewport.rect().right()
        wrapped = listing.fontMetrics().boundingRect(
            QRect(0, 0, rect.width(), 10_000), int(Qt.TextFlag.TextWordWrap), item.text()
        )
        assert wrapped.width() <= rect.width(), item.text()
        assert wrapped.height() <= rect.height() + TOLERANCE_PX, item.text()
        assert item.toolTip() == item.text()
