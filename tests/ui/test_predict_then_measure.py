"""Predict, then measure: the run panel compares the guess; the quiz quotes the measurement."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QDoubleSpinBox, QLabel, QPushButton

from tutor.content.quiz import load_quiz
from tutor.engine.records import RunConfig, RunResult
from tutor.models.run_settings import RunSettingsModel
from tutor.ui.panels.run_panel import RunPanel

RUN_TIMEOUT_MS = 90_000


def type_prediction(qtbot, spin: QDoubleSpinBox, text: str) -> None:
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key_Return)


def small_process_run(qtbot, window) -> None:
    panel = window.run_panel
    panel.apply_request("primes", 30_000, 2, "processes")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.LeftButton)


def last_result(window) -> RunResult:
    model = window.results_table.results_model()
    return model.result_at(window.results_table.row_count() - 1)


@pytest.mark.shared_window
def test_the_prediction_input_starts_with_no_prediction(window):
    spin = window.findChild(QDoubleSpinBox, "predictedSpeedup")
    assert spin.value() == 0
    assert spin.text() == "no prediction"
    assert not window.findChild(QLabel, "predictionResult").isVisible()


def test_a_prediction_is_compared_with_the_measured_speedup(qtbot, window):
    spin = window.findChild(QDoubleSpinBox, "predictedSpeedup")
    type_prediction(qtbot, spin, "1.5")
    assert spin.value() == pytest.approx(1.5)
    small_process_run(qtbot, window)
    result = last_result(window)
    assert result.config.mode == "processes" and result.speedup is not None
    label = window.findChild(QLabel, "predictionResult")
    assert label.isVisible()
    text = label.text()
    assert text.startswith(f"You predicted 1.5×, measured {result.speedup:.2f}× — ")
    assert re.search(r"— (\d+% (above|below) your guess|spot on)\.", text)


def test_no_prediction_shows_no_comparison(qtbot, window):
    small_process_run(qtbot, window)
    assert not window.findChild(QLabel, "predictionResult").isVisible()


def test_a_sweep_is_compared_at_its_top_process_run(qtbot):
    panel = RunPanel(RunSettingsModel(("spawn",)))
    qtbot.addWidget(panel)
    panel.worker_count.setValue(3)
    panel.predicted_speedup.setValue(2.0)
    configs = panel.sweep_configs()
    panel.runs_requested.emit(configs)
    assert "measuring" in panel.prediction_result.text()
    top = next(c for c in configs if c.mode == panel.process_mode() and c.workers == 3)
    for config in configs:
        result = RunResult(config, 1, 1.0, 0.1, 0.9, (), 1, baseline_s=2.0, baseline_answer=1)
        panel.show_prediction(result)
        if config == top:
            break
        assert "measuring" in panel.prediction_result.text()
    assert panel.prediction_result.text().startswith("You predicted 2×, measured 2.00× — spot on")


def test_a_failed_run_leaves_nothing_to_compare(qtbot):
    panel = RunPanel(RunSettingsModel(("spawn",)))
    qtbot.addWidget(panel)
    panel.predicted_speedup.setValue(1.8)
    panel.run_threads_button.click()
    config = RunConfig("primes", 10, "threads", panel.worker_count.value())
    panel.show_cancelled(config)
    assert "was cancelled" in panel.prediction_result.text()
    assert "1.8×" in panel.prediction_result.text()


def answer_quiz(qtbot, dialog: QDialog) -> None:
    for i, question in enumerate(load_quiz().questions):
        dialog.findChild(QAbstractButton, f"q{i}_option{question.correct}").click()
    qtbot.mouseClick(dialog.findChild(QPushButton, "submitQuizButton"), Qt.LeftButton)


def test_the_quiz_quotes_the_measured_speedup_before_and_after_scoring(qtbot, window):
    small_process_run(qtbot, window)
    result = last_result(window)
    qtbot.mouseClick(window.findChild(QPushButton, "quizButton"), Qt.LeftButton)
    dialog = window.findChild(QDialog, "QuizDialog")
    label = dialog.findChild(QLabel, "measuredSpeedup")
    assert label.isVisible()
    assert f"{result.speedup:.2f}×" in label.text()
    assert "2 processes" in label.text()
    answer_quiz(qtbot, dialog)
    assert "4/4" in dialog.findChild(QLabel, "quizScore").text()
    assert label.isVisible()  # the result screen still quotes it, beside question 4
    assert f"{result.speedup:.2f}×" in label.text()
    box = dialog.findChild(QAbstractButton, "q3_option0").parent().parent()
    assert label.parent() is box or box.isAncestorOf(label)


def test_an_open_quiz_picks_up_a_run_that_finishes_later(qtbot, window):
    qtbot.mouseClick(window.findChild(QPushButton, "quizButton"), Qt.LeftButton)
    dialog = window.findChild(QDialog, "QuizDialog")
    label = dialog.findChild(QLabel, "measuredSpeedup")
    assert not label.isVisible()  # nothing measured yet
    dialog.close()
    panel = window.run_panel
    panel.apply_request("primes", 30_000, 2, "processes")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        panel.run_processes_button.click()
        window.open_quiz()  # opened while the run goes on
    assert label.isVisible()
    assert f"{last_result(window).speedup:.2f}×" in label.text()
