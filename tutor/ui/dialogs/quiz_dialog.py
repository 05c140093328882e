"""The end-of-lesson quiz, in a dialog (opened with open()/show(), never exec()).

Every question sits in its own group box; its options are radio buttons named `q{i}_option{j}`
where j is the option's index in the quiz *data*, whatever order they are shown in. The first
attempt shows the data order; "Try again" shuffles the options of every question.

Keyboard: Tab / Shift+Tab move between questions (Qt's exclusive radio groups take one Tab stop
each), arrow keys move within a question, keys 1–4 choose the option shown at that position in
the question that has focus, and Enter submits once every question is answered.
"""

from __future__ import annotations

import random

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tutor.content.quiz import Quiz, score_quiz, shuffled_order
from tutor.ui.dialogs.quiz_question_view import QuizQuestionView
from tutor.ui.persistence.progress_store import ProgressStore
from tutor.ui.widgets.accessible import DescribedLabel, follow_layout_order
from tutor.ui.widgets.announcer import announce
from tutor.ui.widgets.palette_tone import is_dark

_NUMBER_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3}


class QuizDialog(QDialog):
    """Four questions, a score, explanations, and another try. Records attempts in progress."""

    quiz_scored = Signal(int, int)  # score, total

    def __init__(
        self,
        quiz: Quiz,
        progress: ProgressStore | None,
        parent: QWidget | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("QuizDialog")
        self.setWindowTitle(quiz.title)
        self.setAccessibleName("Quiz")
        self.setAccessibleDescription(quiz.title)
        self._quiz = quiz
        self._progress = progress
        self._rng = rng or random.Random()
        self._submitted = False
        self._hinting = False  # the score line lists unanswered questions (Enter came early)

        intro = DescribedLabel(
            "How to answer",
            "Choose one answer per question, then press Submit. Keys: Tab moves to the next "
            "question, 1–4 choose an option, Enter submits. After Submit, Tab goes through "
            "each question's result.",
        )
        intro.setObjectName("quizIntro")
        intro.setWordWrap(True)

        self._boxes: list[QuizQuestionView] = []
        questions = QWidget()
        questions_layout = QVBoxLayout(questions)
        for index, question in enumerate(quiz.questions):
            box = QuizQuestionView(index, question, len(quiz.questions))
            box.group.idToggled.connect(self._on_answer_toggled)
            box.installEventFilter(self)
            for button in box.buttons:
                button.installEventFilter(self)
            questions_layout.addWidget(box)
            self._boxes.append(box)
        questions_layout.addStretch(1)

        self._speedup = DescribedLabel("Your own measurement")
        self._speedup.setObjectName("measuredSpeedup")
        self._speedup.setWordWrap(True)
        self._speedup.hide()
        if self._boxes:
            self._boxes[-1].layout().addWidget(self._speedup)
            follow_layout_order(self._boxes[-1])

        scroll = QScrollArea()
        scroll.setObjectName("quizQuestions")
        scroll.setAccessibleName("Quiz questions")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(questions)
        self._scroll = scroll

        self._score = DescribedLabel("Quiz score")  # the score itself is its description
        self._score.setObjectName("quizScore")
        self._score.setWordWrap(True)
        self._score.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._score.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self._score.font()
        font.setBold(True)
        self._score.setFont(font)

        self._submit = QPushButton("&Submit answers")
        self._submit.setObjectName("submitQuizButton")
        self._submit.setAccessibleName("Submit answers")
        self._submit.setEnabled(False)
        self._submit.setDefault(True)
        self._submit.clicked.connect(self._on_submit_clicked)

        self._retry = QPushButton("&Try again")
        self._retry.setObjectName("retryQuizButton")
        self._retry.setAccessibleName("Try again")
        self._retry.setEnabled(False)
        self._retry.clicked.connect(self._on_retry_clicked)

        self._close = QPushButton("Close")
        self._close.setObjectName("closeQuizButton")
        self._close.setAccessibleName("Close the quiz")
        self._close.clicked.connect(self._on_close_clicked)

        buttons = QDialogButtonBox()
        buttons.addButton(self._submit, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self._retry, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self._close, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self._score)
        layout.addWidget(buttons)

        self._show_best()
        self.resize(760, 720)
        self.setMinimumWidth(480)

    # -- public API --------------------------------------------------------------------------

    @property
    def quiz(self) -> Quiz:
        """The quiz this dialog asks."""
        return self._quiz

    def set_measured_speedup(self, text: str | None) -> None:
        """Show the learner's own measurement under the last question (hidden when None)."""
        self._speedup.setText(text or "")
        self._speedup.setVisible(bool(text))

    def answers(self) -> list[int | None]:
        """The chosen options as data indices, None where unanswered."""
        return [box.answer() for box in self._boxes]

    def display_order(self, question: int) -> tuple[int, ...]:
        """Data indices of a question's options, in the order they are shown."""
        return self._boxes[question].order

    def is_submitted(self) -> bool:
        return self._submitted

    def submit(self) -> None:
        """Score the answers (the same as pressing Submit); only when all are answered."""
        if self._submit.isEnabled():
            self._on_submit_clicked()

    def retry(self) -> None:
        """Clear the answers and shuffle the options (the same as pressing Try again)."""
        if self._submitted:
            self._on_retry_clicked()

    # -- slots -------------------------------------------------------------------------------

    def _on_answer_toggled(self, _id: int, _checked: bool) -> None:
        self._update_submit()
        if self._hinting:  # keep the list of unanswered questions true while answering
            if self._unanswered():
                self._score.setText(self._unanswered_text())
            else:
                self._hinting = False
                self._show_best()

    def _unanswered(self) -> list[QuizQuestionView]:
        return [box for box in self._boxes if box.answer() is None]

    def _unanswered_text(self) -> str:
        numbers = [str(box.index + 1) for box in self._unanswered()]
        if len(numbers) == 1:
            which = f"Question {numbers[0]} has"
        else:
            which = f"Questions {', '.join(numbers[:-1])} and {numbers[-1]} have"
        return f"{which} no answer yet. Choose an option for each, then press Enter to submit."

    def _hint_unanswered(self) -> None:
        """Enter before every question is answered: say which are open, go to the first."""
        self._hinting = True
        text = self._unanswered_text()
        self._score.setText(text)
        self._score.setVisible(True)
        first = self._unanswered()[0]
        first.first_focus_target().setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(first, 0, 0)
        announce(self._score, text)

    def _on_submit_clicked(self) -> None:
        answers = self.answers()
        if self._submitted or any(answer is None for answer in answers):
            return
        result = score_quiz(self._quiz, answers)
        self._submitted = True
        self._hinting = False
        dark = is_dark(self.palette())
        for box, correct in zip(self._boxes, result.correct, strict=True):
            box.set_locked(True)
            box.show_feedback(correct, dark)
        new_best = False
        if self._progress is not None:
            new_best = self._progress.record_quiz_attempt(result.score, result.total)
        self._show_score(result.score, result.total, new_best)
        self._update_submit()
        self._retry.setEnabled(True)
        # Focus the score, so a screen reader reads it; Enter there does nothing (submit is
        # disabled), so a second Enter cannot throw the feedback away by accident.
        self._score.setFocus(Qt.FocusReason.OtherFocusReason)
        self._scroll.ensureWidgetVisible(self._boxes[0], 0, 0)
        said = self._score.text()
        said += "" if said.endswith(("!", ".")) else "."
        announce(self._score, f"{said} Tab goes through each question's result.")
        self.quiz_scored.emit(result.score, result.total)

    def _on_retry_clicked(self) -> None:
        self._submitted = False
        for box in self._boxes:
            box.hide_feedback()
            box.clear_answer()
            box.set_locked(False)
            box.set_order(self._new_order(box.order))
        self._retry.setEnabled(False)
        self._hinting = False
        self._show_best()
        self._update_submit()
        self._scroll.ensureWidgetVisible(self._boxes[0], 0, 0)
        if self._boxes:
            self._boxes[0].first_focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_close_clicked(self) -> None:
        self.accept()

    # -- keyboard ----------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        early = (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and not self._submitted
            and bool(self._unanswered())
        )
        if early:  # Submit is disabled, so Enter would do nothing: say why instead
            self._hint_unanswered()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QRadioButton):
            # An option chosen by keyboard far down the list scrolls into view with its text.
            row = watched.parentWidget()
            self._scroll.ensureWidgetVisible(row if row is not None else watched)
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            box = self._box_of(watched)
            position = _NUMBER_KEYS.get(Qt.Key(event.key()))
            if (
                box is not None
                and position is not None
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            ):
                box.choose_position(position)
                return True
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        focused = self.focusWidget()
        if self._boxes and (focused is None or focused in (self._close, self._submit)):
            self._boxes[0].first_focus_target().setFocus(Qt.FocusReason.OtherFocusReason)

    # -- helpers -----------------------------------------------------------------------------

    def _box_of(self, widget: QObject) -> QuizQuestionView | None:
        while widget is not None:
            if isinstance(widget, QuizQuestionView):
                return widget
            widget = widget.parent()
        return None

    def _new_order(self, current: tuple[int, ...]) -> tuple[int, ...]:
        order = shuffled_order(len(current), self._rng)
        for _ in range(10):  # a reshuffle the learner can see: not the order just shown
            if order != current or len(current) < 2:
                break
            order = shuffled_order(len(current), self._rng)
        return order

    def _update_submit(self) -> None:
        complete = all(answer is not None for answer in self.answers())
        self._submit.setEnabled(complete and not self._submitted)
        if not self._submitted:
            answered = sum(answer is not None for answer in self.answers())
            self._submit.setToolTip(
                "Score your answers"
                if complete
                else f"Answer every question first ({answered} of {len(self._boxes)} answered)"
            )

    def _best_text(self) -> str:
        if self._progress is None:
            return ""
        best, total = self._progress.best_score(), self._progress.best_total()
        if best is None or total is None:
            return ""
        attempts = self._progress.attempts()
        return f"best {best}/{total} ({attempts} attempt{'s' if attempts != 1 else ''})"

    def _show_best(self) -> None:
        best = self._best_text()
        self._score.setText(f"Your {best}." if best else "")
        self._score.setVisible(bool(best))

    def _show_score(self, score: int, total: int, new_best: bool) -> None:
        text = f"Score: {score}/{total}"
        best = self._best_text()
        if new_best and self._progress is not None and self._progress.attempts() > 1:
            text += " — a new best!"
        elif best:
            text += f" — {best}"
        self._score.setText(text)
        self._score.setVisible(True)
