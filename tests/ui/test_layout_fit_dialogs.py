"""#19 in the quiz dialog: each answer's text sat a full line below its radio button, every row
as tall as three lines, so only about one and a half questions fitted in the dialog."""

from __future__ import annotations

import random

import pytest
from PySide6.QtWidgets import QLabel
from test_layout_fit import SIZES, rect_in

from tutor.content.quiz import load_quiz
from tutor.ui.dialogs.quiz_dialog import QuizDialog
from tutor.ui.dialogs.quiz_question_view import QuizQuestionView

TOLERANCE_PX = 3


def shown_quiz(qtbot, size: tuple[int, int]) -> QuizDialog:
    """The quiz dialog at its default size, made smaller where the screen is (1024 × 640)."""
    dialog = QuizDialog(load_quiz(), None, rng=random.Random(7))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.resize(min(760, size[0] - 40), min(720, size[1] - 60))
    qtbot.waitUntil(lambda: dialog.width() == min(760, size[0] - 40))
    return dialog


@pytest.mark.parametrize("size", SIZES)
def test_each_answer_sits_beside_its_radio_button_wrapped_and_compact(qtbot, size):
    dialog = shown_quiz(qtbot, size)
    views = dialog.findChildren(QuizQuestionView)
    assert views
    for view in views:
        view.layout().activate()
        for button, row in zip(view.buttons, view.rows, strict=True):
            label = row.findChild(QLabel)
            lines = label.heightForWidth(label.width()) // label.fontMetrics().lineSpacing()
            box = rect_in(button, row)
            text = rect_in(label, row)
            # Beside: the text's first line starts level with the button, to its right.
            assert text.left() >= box.right()
            assert abs(text.top() - box.top()) <= TOLERANCE_PX
            # Compact: the row is as tall as its wrapped lines (or the button), no taller.
            needed = max(box.height(), lines * label.fontMetrics().lineSpacing())
            assert row.height() <= needed + TOLERANCE_PX, (label.text(), row.height(), needed)
            # Wrapped, not cut: the label is inside its row and has the height its text needs.
            assert row.rect().contains(text)
            assert label.height() >= label.heightForWidth(label.width())
    # With compact rows, the first two questions fit in the dialog's view at once.
    scroll = dialog.findChild(type(dialog._scroll), "quizQuestions")
    second = rect_in(views[1], scroll.viewport())
    assert second.bottom() <= scroll.viewport().height()
