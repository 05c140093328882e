"""One quiz question on screen: its group box, option radio buttons and feedback.

The radio buttons are named `q{i}_option{j}`, j being the option's index in the quiz *data*,
whatever order `set_order` shows them in. Inline `code` in the data is shown in a monospace
font (and plainly where only plain text fits, e.g. accessible names).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tutor.content.quiz import QuizQuestion
from tutor.ui.widgets.accessible import DescribedLabel, follow_layout_order
from tutor.ui.widgets.inline_code import inline_code_html as _rich
from tutor.ui.widgets.inline_code import without_code_marks as plain_text


class _OptionLabel(QLabel):
    """The wrapping text beside a radio button; clicking it clicks the button."""

    def __init__(self, text: str, button: QRadioButton) -> None:
        super().__init__(_rich(text))
        self._button = button
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        # No buddy: a rich-text label with a buddy takes Alt + the letter after any '&' of its
        # HTML (an escaped apostrophe, &#x27;, took Alt+#). The button carries the name.
        self.setAccessibleName(plain_text(text))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # QLabel's own hint is the height at a narrow guessed width (three lines for one), and
        # the scroll area gave every row that height: the text sat a line below its button.
        # Once laid out, ask for the height the text takes at the width it has.
        hint = super().sizeHint()
        if self.width() >= self.minimumSizeHint().width():
            hint.setHeight(self.heightForWidth(self.width()))
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # a new width: a new height for it

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt override
        if self._button.isEnabled() and self.rect().contains(event.position().toPoint()):
            self._button.click()
            self._button.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class QuizQuestionView(QGroupBox):
    """One question: prompt, option rows (radio + wrapping label), and feedback after scoring."""

    def __init__(self, index: int, question: QuizQuestion, count: int) -> None:
        super().__init__(f"Question {index + 1} of {count}")
        self.index = index
        self.question = question
        self.setObjectName(f"q{index}_box")
        self.setAccessibleName(f"Question {index + 1}: {plain_text(question.prompt)}")

        self.prompt = DescribedLabel(f"Question {index + 1}", _rich(question.prompt))
        self.prompt.setObjectName(f"q{index}_prompt")
        self.prompt.setTextFormat(Qt.TextFormat.RichText)
        self.prompt.setWordWrap(True)
        font = self.prompt.font()
        font.setBold(True)
        self.prompt.setFont(font)

        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QRadioButton] = []
        self.rows: list[QWidget] = []
        for data_index, option in enumerate(question.options):
            button = QRadioButton()
            button.setObjectName(f"q{index}_option{data_index}")
            button.setAccessibleName(plain_text(option.text))
            row = QWidget()
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(0, 0, 0, 0)
            row_layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
            row_layout.addWidget(_OptionLabel(option.text, button), 1)
            self.group.addButton(button, data_index)
            self.buttons.append(button)
            self.rows.append(row)

        self.feedback = QLabel()
        self.feedback.setObjectName(f"q{index}_feedback")
        self.feedback.setTextFormat(Qt.TextFormat.RichText)
        self.feedback.setWordWrap(True)
        self.feedback.setAccessibleName(f"Result of question {index + 1}")
        # Reachable with Tab once shown (the options are locked then): a screen reader reads
        # each question's result in turn.
        self.feedback.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.feedback.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.feedback.hide()

        self._options_layout = QVBoxLayout()
        self._options_layout.setSpacing(4)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(self._options_layout)
        layout.addWidget(self.feedback)
        self.order: tuple[int, ...] = ()
        self.set_order(tuple(range(len(question.options))))

    def set_order(self, order: tuple[int, ...]) -> None:
        """Show the options in this display order (a permutation of data indices)."""
        self.order = order
        for row in self.rows:
            self._options_layout.removeWidget(row)
        for position, data_index in enumerate(order):
            button = self.buttons[data_index]
            button.setText(f"{position + 1}")
            button.setAccessibleDescription(
                f"Option {position + 1} of {len(order)} in question {self.index + 1}; "
                f"press {position + 1} to choose it"
            )
            self._options_layout.addWidget(self.rows[data_index])
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(self.buttons[first], self.buttons[second])
        if self.layout() is not None:
            QWidget.setTabOrder(self.buttons[order[-1]], self.feedback)
            # Place the rows now: arrow keys move focus by on-screen position.
            self.layout().activate()
            # A screen reader reads the children in this order, not the order of creation.
            follow_layout_order(self)

    def answer(self) -> int | None:
        checked = self.group.checkedId()
        return None if checked < 0 else checked

    def choose_position(self, position: int) -> None:
        if 0 <= position < len(self.order):
            button = self.buttons[self.order[position]]
            if button.isEnabled():
                button.setChecked(True)
                button.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def clear_answer(self) -> None:
        self.group.setExclusive(False)
        for button in self.buttons:
            button.setChecked(False)
        self.group.setExclusive(True)

    def set_locked(self, locked: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not locked)

    def first_focus_target(self) -> QRadioButton:
        checked = self.group.checkedButton()
        if isinstance(checked, QRadioButton):
            return checked
        return self.buttons[self.order[0]]

    def show_feedback(self, correct: bool, dark: bool) -> None:
        question = self.question
        answer = self.answer()
        chosen = question.options[answer] if answer is not None else None
        right = question.correct_option
        colour = (
            ("#7ddc84" if dark else "#1b5e20") if correct else ("#ff8a80" if dark else "#b71c1c")
        )
        mark = "✓ Correct" if correct else "✗ Wrong"
        parts = [f'<p><b><span style="color:{colour}">{mark}</span></b></p>']
        if chosen is not None:
            parts.append(
                f"<p>Your answer: <i>{_rich(chosen.text)}</i><br>{_rich(chosen.explanation)}</p>"
            )
        if not correct:
            parts.append(
                f"<p>Correct answer: <i>{_rich(right.text)}</i><br>{_rich(right.explanation)}</p>"
            )
        self.feedback.setText("".join(parts))
        self.feedback.setAccessibleDescription(
            f"{mark}. "
            + (
                f"Your answer: {plain_text(chosen.text)}. {plain_text(chosen.explanation)} "
                if chosen
                else ""
            )
            + (
                ""
                if correct
                else f"Correct answer: {plain_text(right.text)}. {plain_text(right.explanation)}"
            )
        )
        self.feedback.show()

    def hide_feedback(self) -> None:
        self.feedback.clear()
        self.feedback.hide()
