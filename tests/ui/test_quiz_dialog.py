"""The quiz dialog: answering with mouse and keyboard, scoring, retry, and the best score."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QRadioButton, QWidget

from tutor.content.quiz import load_quiz
from tutor.ui.dialogs.quiz_dialog import QuizDialog
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.persistence.settings_store import open_settings


@pytest.fixture
def quiz():
    return load_quiz()


def open_dialog(qtbot, quiz, progress=None, rng=None) -> QuizDialog:
    dialog = QuizDialog(quiz, progress, rng=rng or random.Random(7))
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def option(dialog: QuizDialog, question: int, data_index: int) -> QRadioButton:
    button = dialog.findChild(QRadioButton, f"q{question}_option{data_index}")
    assert button is not None
    return button


def click_answers(qtbot, dialog: QuizDialog, answers: list[int]) -> None:
    for question, data_index in enumerate(answers):
        qtbot.mouseClick(option(dialog, question, data_index), Qt.MouseButton.LeftButton)


def submit_button(dialog: QuizDialog) -> QPushButton:
    return dialog.findChild(QPushButton, "submitQuizButton")


def score_text(dialog: QuizDialog) -> str:
    return dialog.findChild(QLabel, "quizScore").text()


def feedback_text(dialog: QuizDialog, question: int) -> str:
    return dialog.findChild(QLabel, f"q{question}_feedback").text()


def wrong_answers(quiz) -> list[int]:
    return [(q.correct + 1) % len(q.options) for q in quiz.questions]


def test_shows_every_question_and_option_by_data_index(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    assert dialog.objectName() == "QuizDialog"
    assert len(quiz.questions) == 4
    for i, question in enumerate(quiz.questions):
        for j in range(len(question.options)):
            assert option(dialog, i, j).isVisible()
        assert dialog.display_order(i) == tuple(range(len(question.options)))


def test_all_right_scores_4_of_4(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    click_answers(qtbot, dialog, [q.correct for q in quiz.questions])
    with qtbot.waitSignal(dialog.quiz_scored) as scored:
        qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    assert scored.args == [4, 4]
    assert "4/4" in score_text(dialog)
    for i, question in enumerate(quiz.questions):
        assert "✓ Correct" in feedback_text(dialog, i)
        # The explanation of the chosen (= correct) option is shown.
        assert question.correct_option.explanation[:30] in feedback_text(dialog, i)


def test_all_wrong_scores_0_of_4_and_explains_both_options(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    wrong = wrong_answers(quiz)
    click_answers(qtbot, dialog, wrong)
    with qtbot.waitSignal(dialog.quiz_scored) as scored:
        qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    assert scored.args == [0, 4]
    assert "0/4" in score_text(dialog)
    for i, question in enumerate(quiz.questions):
        text = feedback_text(dialog, i)
        assert "✗ Wrong" in text
        assert question.options[wrong[i]].explanation[:20] in text.replace("&quot;", '"')
        assert question.correct_option.explanation[:20] in text.replace("&quot;", '"')


def test_submit_is_disabled_until_every_question_is_answered(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    submit = submit_button(dialog)
    for question in range(4):
        assert not submit.isEnabled()
        qtbot.mouseClick(option(dialog, question, 0), Qt.MouseButton.LeftButton)
    assert submit.isEnabled()


def test_options_are_locked_after_submitting_until_try_again(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    retry = dialog.findChild(QPushButton, "retryQuizButton")
    assert not retry.isEnabled()
    click_answers(qtbot, dialog, [q.correct for q in quiz.questions])
    qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    assert not submit_button(dialog).isEnabled()
    assert all(not option(dialog, 0, j).isEnabled() for j in range(len(quiz.questions[0].options)))
    qtbot.mouseClick(retry, Qt.MouseButton.LeftButton)
    assert all(option(dialog, 0, j).isEnabled() for j in range(len(quiz.questions[0].options)))
    assert dialog.answers() == [None] * 4
    assert not dialog.findChild(QLabel, "q0_feedback").isVisible()
    assert not submit_button(dialog).isEnabled()


def test_keyboard_only_with_number_keys_tab_and_enter(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QRadioButton))
    for i, question in enumerate(quiz.questions):
        focused = QApplication.focusWidget()
        assert focused.objectName().startswith(f"q{i}_option")
        position = dialog.display_order(i).index(question.correct)
        qtbot.keyClick(focused, getattr(Qt.Key, f"Key_{position + 1}"))
        assert option(dialog, i, question.correct).isChecked()
        if i < 3:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert submit_button(dialog).isEnabled()
    with qtbot.waitSignal(dialog.quiz_scored) as scored:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert scored.args == [4, 4]
    assert "4/4" in score_text(dialog)


def test_number_keys_follow_the_display_order_and_arrows_move(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz, rng=random.Random(3))
    click_answers(qtbot, dialog, [0, 0, 0, 0])
    qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    dialog.retry()
    order = dialog.display_order(1)
    first = option(dialog, 1, order[0])
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_3)
    assert option(dialog, 1, order[2]).isChecked()
    assert QApplication.focusWidget() is option(dialog, 1, order[2])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert QApplication.focusWidget() is option(dialog, 1, order[1])
    # Enter does nothing while questions are unanswered.
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert not dialog.is_submitted()


def test_try_again_reshuffles_but_object_names_keep_data_indices(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz, rng=random.Random(11))
    click_answers(qtbot, dialog, wrong_answers(quiz))
    qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    before = [dialog.display_order(i) for i in range(4)]
    qtbot.mouseClick(dialog.findChild(QPushButton, "retryQuizButton"), Qt.MouseButton.LeftButton)
    after = [dialog.display_order(i) for i in range(4)]
    assert all(a != b for a, b in zip(after, before, strict=True))
    for i, order in enumerate(after):
        assert sorted(order) == list(range(len(quiz.questions[i].options)))

        # On screen, the options really are laid out in the new order.
        def tops(i=i, order=order):
            return [
                option(dialog, i, j).mapTo(dialog, option(dialog, i, j).pos()).y() for j in order
            ]

        qtbot.waitUntil(lambda tops=tops: tops() == sorted(tops()))
        # The button shown first is labelled "1".
        assert option(dialog, i, order[0]).text() == "1"
    click_answers(qtbot, dialog, [q.correct for q in quiz.questions])
    with qtbot.waitSignal(dialog.quiz_scored) as scored:
        qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    assert scored.args == [4, 4]


def test_clicking_the_option_text_chooses_it(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    button = option(dialog, 2, 1)
    label = button.parentWidget().findChild(QLabel)
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert button.isChecked()


def test_best_score_is_recorded_and_survives_reopening_settings(qtbot, quiz):
    settings, _ = open_settings()
    dialog = open_dialog(qtbot, quiz, ProgressStore(settings))
    click_answers(qtbot, dialog, wrong_answers(quiz)[:3] + [quiz.questions[3].correct])
    qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    assert "1/4" in score_text(dialog)
    dialog.retry()
    click_answers(qtbot, dialog, [q.correct for q in quiz.questions])
    qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    dialog.retry()
    click_answers(qtbot, dialog, wrong_answers(quiz))
    qtbot.mouseClick(submit_button(dialog), Qt.MouseButton.LeftButton)
    assert "Score: 0/4" in score_text(dialog)
    assert "best 4/4" in score_text(dialog)
    del settings

    reopened, message = open_settings()
    assert message is None
    progress = ProgressStore(reopened)
    assert progress.best_score() == 4
    assert progress.attempts() == 3
    again = open_dialog(qtbot, quiz, progress)
    assert "best 4/4" in score_text(again)


def test_measured_speedup_line(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    label = dialog.findChild(QLabel, "measuredSpeedup")
    assert not label.isVisible()
    dialog.set_measured_speedup("Your own measurement: 1.9× with 2 processes")
    assert label.isVisible()
    assert "1.9×" in label.text()
    dialog.set_measured_speedup(None)
    assert not label.isVisible()


def test_every_control_has_an_accessible_name(qtbot, quiz):
    dialog = open_dialog(qtbot, quiz)
    controls = [
        w
        for w in dialog.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisibleTo(dialog)
    ]
    assert controls
    for widget in controls:
        if widget.objectName() == "qt_scrollarea_viewport":
            continue
        assert widget.accessibleName(), widget


def test_enter_with_questions_open_names_them_and_goes_to_the_first(qtbot, quiz):
    """Issue #19: Enter with unanswered questions did nothing and gave no hint."""
    dialog = open_dialog(qtbot, quiz)
    click_answers(qtbot, dialog, [0])
    third = option(dialog, 2, 1)
    qtbot.mouseClick(third, Qt.MouseButton.LeftButton)
    third.setFocus()
    qtbot.keyClick(third, Qt.Key.Key_Return)
    assert not dialog.is_submitted()
    label = dialog.findChild(QLabel, "quizScore")
    assert label.isVisible() and "Questions 2 and 4 have no answer yet" in label.text()
    assert QApplication.focusWidget().objectName().startswith("q1_option")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)  # answer question 2 by keyboard
    assert "Question 4 has no answer yet" in label.text()
    click_answers(qtbot, dialog, [0, 0, 1, 0])
    assert "no answer" not in label.text()
    with qtbot.waitSignal(dialog.quiz_scored):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_an_option_chosen_by_keyboard_is_scrolled_into_view(qtbot, quiz):
    """Issue #19: choosing option 4 of question 4 by keyboard left it off-screen."""
    dialog = open_dialog(qtbot, quiz)
    dialog.resize(480, 360)
    qtbot.waitUntil(lambda: dialog.height() <= 400)
    scroll = dialog.findChild(QWidget, "quizQuestions")
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QRadioButton))
    for _ in range(3):  # Tab from question to question, as the intro says
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget().objectName().startswith("q3_option")
    for key, position in ((Qt.Key.Key_4, 3), (Qt.Key.Key_1, 0), (Qt.Key.Key_4, 3)):
        qtbot.keyClick(QApplication.focusWidget(), key)
        chosen = option(dialog, 3, dialog.display_order(3)[position])
        assert chosen.isChecked() and QApplication.focusWidget() is chosen
        row = chosen.parentWidget()
        top = row.mapTo(scroll.viewport(), row.rect().topLeft()).y()
        bottom = row.mapTo(scroll.viewport(), row.rect().bottomLeft()).y()
        assert top >= 0 and bottom <= scroll.viewport().height(), (top, bottom)
