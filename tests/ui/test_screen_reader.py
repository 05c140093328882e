"""A blind learner takes the whole lesson: what a screen reader gets, read through QAccessible.

Each test drives the real window (real runs in real processes, the real quiz) and checks what
reaches the accessibility tree and what is announced.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QRadioButton, QWidget
from screen_reader import every_tab, mnemonics, naming_faults, tree
from window_helpers import RUN_TIMEOUT_MS, set_spin, wait_until_settled

from tutor.ui.widgets.accessible import label_text

FINISHED = re.compile(r"^Finished processes × 2 in \d+\.\d\d s, speedup \d+\.\d\d×\.")


def accessible(widget: QWidget) -> tuple[str, str]:
    interface = QAccessible.queryAccessibleInterface(widget)
    return (
        interface.text(QAccessible.Text.Name),
        interface.text(QAccessible.Text.Description),
    )


@pytest.mark.shared_window
def test_every_focusable_object_is_named_and_told_apart(qtbot, window):
    window.build_all_tabs()
    faults = {"main": naming_faults(window)}
    for page in every_tab(window):
        faults[page] = naming_faults(window)
    assert {page: found for page, found in faults.items() if found} == {}
    # The walk reaches the window's controls, the charts among them.
    names = {seen.widget.objectName() for seen in tree(window) if seen.widget is not None}
    assert {"lessonView", "runProcessesButton", "timingChart", "quizButton"} <= names


@pytest.mark.shared_window
def test_the_quiz_dialog_is_named_and_told_apart(qtbot, window):
    window.open_quiz()
    dialog = window.quiz_dialog
    qtbot.waitExposed(dialog)
    assert naming_faults(dialog) == []
    assert {letter: owners for letter, owners in mnemonics(dialog).items() if len(owners) > 1} == {}


@pytest.mark.shared_window
def test_each_alt_letter_has_one_owner(qtbot, window):
    window.build_all_tabs()
    shared = {}
    letters: set[str] = set()
    for page in every_tab(window):
        found = mnemonics(window)
        letters |= set(found)
        shared[page] = {letter: owners for letter, owners in found.items() if len(owners) > 1}
    assert {page: owners for page, owners in shared.items() if owners} == {}
    # The walk finds them: the File menu, the quiz, the Results tab, the chart's choice.
    assert {"f", "q", "r", "w"} <= letters


@pytest.mark.shared_window
def test_labels_show_their_text_to_a_screen_reader(qtbot, window):
    """A label with a name that says what it is also exposes its text (name or description)."""
    window.build_all_tabs()
    window.open_quiz()
    window.quiz_dialog.set_measured_speedup("Your own measurement: 1.50× with 2 processes.")
    labels = window.findChildren(QLabel) + window.quiz_dialog.findChildren(QLabel)
    hidden = []
    for label in labels:
        text = label_text(label)
        if not label.accessibleName() or not text:
            continue
        name, description = accessible(label)
        if text not in f"{name} {description}":
            hidden.append(f"{label.objectName()}: {name!r} hides {text!r}")
    assert hidden == []
    for name in ("courseProgress", "lessonProgress", "consoleHeader", "quizIntro"):
        label = window.findChild(QLabel, name) or window.quiz_dialog.findChild(QLabel, name)
        assert accessible(label)[1] == label_text(label), name
    speedup = window.quiz_dialog.findChild(QLabel, "measuredSpeedup")
    assert accessible(speedup) == ("Your own measurement", speedup.text())


def test_a_run_pressed_with_enter_keeps_the_focus_and_is_said_once(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 20_000)
    set_spin(qtbot, panel.worker_count, 2)
    set_spin(qtbot, panel.predicted_speedup, 1)
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    focus_during_run: list[QWidget | None] = []
    window.controller.run_started.connect(
        lambda _started: focus_during_run.append(QApplication.focusWidget())
    )
    button = panel.run_processes_button
    button.setFocus()
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.keyClick(button, Qt.Key.Key_Return)  # Enter presses the focused button
    # While it ran, the focus waited on Cancel, beside the button; now it is back.
    assert focus_during_run and set(focus_during_run) == {panel.cancel_button}
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    # One announcement for the run: its summary, with the prediction feedback.
    qtbot.waitUntil(lambda: len(said) == 1)
    assert FINISHED.match(said[0]), said
    assert "You predicted 1" in said[0]
    wait_until_settled(qtbot, window)  # nothing more is said (the progress steps are not)
    assert len(said) == 1
    status = QAccessible.queryAccessibleInterface(window.statusBar())
    assert status.text(QAccessible.Text.Name) == said[0]
    assert FINISHED.match(panel.run_status.text())


def test_every_run_button_keeps_the_focus_nearby_your_function_too(qtbot, window):
    code = window.code_panel
    window.show_tab(code)
    window.run_panel.worker_count.setValue(2)
    set_spin(qtbot, code.size_spin, 1000)
    button = code.run_processes_button
    focus_during_run: list[QWidget | None] = []
    window.controller.run_started.connect(
        lambda _started: focus_during_run.append(QApplication.focusWidget())
    )
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    button.setFocus()
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.keyClick(button, Qt.Key.Key_Enter)
    assert focus_during_run and set(focus_during_run) == {code.cancel_button}
    qtbot.waitUntil(lambda: QApplication.focusWidget() is button)
    qtbot.waitUntil(lambda: len(said) == 1)
    assert FINISHED.match(said[0]), said


def test_a_failed_run_is_said_with_its_error(qtbot, window):
    panel = window.run_panel
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    # A custom function that does not exist: the run fails with a clear reason.
    config = panel.current_config("processes")
    broken = replace(config, workload="custom", function="no_such_module_here:work", size=100)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        window.controller.start([broken], measure_baseline=False)
    qtbot.waitUntil(lambda: len(said) >= 1)
    assert len(said) == 1
    assert panel.error_label.text() in said[0]
    assert "no_such_module_here" in said[0]


def test_chart_descriptions_change_once_a_run_not_with_every_batch(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 400_000)
    set_spin(qtbot, panel.worker_count, 2)
    set_spin(qtbot, panel.chunk_count, 400)
    batches: list[object] = []
    changes: list[str] = []
    runs: list[object] = []
    window.controller.chunks_finished.connect(batches.append)
    window.controller.run_started.connect(runs.append)
    window.timeline_chart.description_changed.connect(changes.append)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
    chart = window.timeline_chart
    qtbot.waitUntil(lambda: chart.accessibleDescription() == chart.summary_text(), timeout=5000)
    assert len(runs) == 2  # the sequential baseline, then the processes
    assert len(batches) > 2 * len(runs)  # chunks streamed in many batches...
    assert len(changes) <= 2 * len(runs), [c[:60] for c in changes]  # ...but each run: start, end
    assert "processes × 2" in changes[-1]


def test_quiz_score_and_feedback_reach_the_accessible_tree(qtbot, window):
    said: list[str] = []
    window.announcer.announced.connect(said.append)
    window.open_quiz()
    dialog = window.quiz_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    quiz = dialog.quiz
    answers = [q.correct for q in quiz.questions[:3]]
    answers.append((quiz.questions[3].correct + 1) % len(quiz.questions[3].options))
    for index, answer in enumerate(answers):
        button = dialog.findChild(QRadioButton, f"q{index}_option{answer}")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    submit = dialog.findChild(QPushButton, "submitQuizButton")
    submit.setFocus()
    with qtbot.waitSignal(dialog.quiz_scored):
        qtbot.keyClick(submit, Qt.Key.Key_Return)

    score = dialog.findChild(QLabel, "quizScore")
    assert QApplication.focusWidget() is score
    name, description = accessible(score)
    assert name == "Quiz score"
    assert description.startswith("Score: 3/4 — best 3/4")
    qtbot.waitUntil(lambda: bool(said))
    assert said == [f"{description}. Tab goes through each question's result."]

    # Tab reaches each question's result, in order, and each says right or wrong and why.
    results = []
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        if focused.objectName().endswith("_feedback"):
            results.append((focused.objectName(), accessible(focused)[1]))
        if len(results) == 4:
            break
    assert [name for name, _ in results] == [f"q{i}_feedback" for i in range(4)]
    assert [text.split(".")[0] for _, text in results] == ["✓ Correct"] * 3 + ["✗ Wrong"]
    assert quiz.questions[3].correct_option.explanation.split(".")[0] in results[3][1]


def test_after_try_again_the_options_are_read_in_their_new_order(qtbot, window):
    window.open_quiz()
    dialog = window.quiz_dialog
    qtbot.waitExposed(dialog)
    for index in range(len(dialog.quiz.questions)):
        qtbot.mouseClick(
            dialog.findChild(QRadioButton, f"q{index}_option0"), Qt.MouseButton.LeftButton
        )
    dialog.submit()
    dialog.retry()
    for index in range(len(dialog.quiz.questions)):
        order = dialog.display_order(index)
        assert order != tuple(range(len(order)))  # shuffled on screen
        box = dialog.findChild(QWidget, f"q{index}_box")
        read = [
            seen.widget.objectName() for seen in tree(box) if isinstance(seen.widget, QRadioButton)
        ]
        assert read == [f"q{index}_option{j}" for j in order]
        # Tab order inside the question follows the screen too.
        first = dialog.findChild(QRadioButton, f"q{index}_option{order[0]}")
        chain, widget = [first], first.nextInFocusChain()
        while len(chain) < len(order) and widget is not first:
            if isinstance(widget, QRadioButton):
                chain.append(widget)
            widget = widget.nextInFocusChain()
        assert [b.objectName() for b in chain] == [f"q{index}_option{j}" for j in order]
