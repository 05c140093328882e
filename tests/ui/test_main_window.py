"""The real main window, driven with mouse and keyboard, running real child processes."""

from __future__ import annotations

import shutil

import pytest
from process_checks import run_children, wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTextBrowser,
)
from window_helpers import click, close_mid_run, set_spin

import tutor.resources
from tutor.content.links import example_link
from tutor.content.quiz import load_quiz
from tutor.engine.records import RunConfig
from tutor.resources import resources_root

RUN_TIMEOUT_MS = 90_000


def run_buttons(window) -> list[QPushButton]:
    panel = window.run_panel
    return [panel.run_processes_button, panel.run_threads_button, panel.sweep_button]


@pytest.mark.shared_window
def test_the_ui_contract_object_names_are_present(window):
    expected = {
        "lessonView": QTextBrowser,
        "workloadChoice": QComboBox,
        "workloadSize": QSpinBox,
        "workerCount": QSpinBox,
        "startMethod": QComboBox,
        "runProcessesButton": QPushButton,
        "runThreadsButton": QPushButton,
        "sweepButton": QPushButton,
        "cancelButton": QPushButton,
        "runProgress": QProgressBar,
        "resultsTable": QTableView,
        "quizButton": QPushButton,
    }
    for name, kind in expected.items():
        assert isinstance(window.findChild(kind, name), kind), name
    assert window.findChild(object, "timingChart") is window.timing_chart
    assert window.findChild(object, "timelineChart") is window.timeline_chart
    choice = window.findChild(QComboBox, "workloadChoice")
    assert "prime" in choice.itemText(0).lower()
    assert window.findChild(QComboBox, "startMethod").currentText() == "spawn"
    assert not window.findChild(QPushButton, "cancelButton").isEnabled()


@pytest.mark.shared_window
def test_run_button_texts_follow_the_worker_count(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.worker_count, 3)
    assert panel.run_processes_button.text() == "Run with 3 processes"
    assert panel.run_threads_button.text() == "Run with 3 threads"
    set_spin(qtbot, panel.worker_count, 1)
    assert panel.run_processes_button.text() == "Run with 1 process"
    assert panel.worker_count.maximum() >= 8


@pytest.mark.shared_window
def test_status_bar_names_python_cpus_start_method_and_gil(window):
    text = window.machine_label.text()
    assert "Python 3." in text and "CPUs" in text and "spawn" in text and "GIL" in text


def test_a_process_run_fills_table_charts_timeline_and_progress(qtbot, window):
    panel = window.run_panel
    # Big enough that both workers are up before the chunks run out (spawn takes a moment).
    set_spin(qtbot, panel.workload_size, 1_000_000)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_processes_button)
        assert all(not b.isEnabled() for b in run_buttons(window))
        assert panel.cancel_button.isEnabled()
        click(qtbot, panel.run_processes_button)  # a second click while busy does nothing
    assert all(b.isEnabled() for b in run_buttons(window))
    assert not panel.cancel_button.isEnabled()
    rows = window.results_table.rows_as_text()
    assert len(rows) == 2  # the sequential baseline, then the run
    assert "baseline" in rows[0][0]
    assert "78,498 ✓" in rows[1]
    assert window.findChild(QProgressBar, "runProgress").value() == 1000
    points = window.timing_chart.series_points("processes")
    assert [x for x, _ in points] == [2]
    assert len(window.timing_chart.ideal_points()) >= 2
    assert len(window.timeline_chart.lanes()) == 2
    assert all(lane.startswith("pid") for lane in window.timeline_chart.lanes())
    result = window.results_table.results_model().result_at(1)
    assert window.timeline_chart.bar_count() == result.chunk_count == len(result.chunks)
    assert "Finished" in panel.run_status.text()


def test_a_sweep_draws_both_curves_and_the_ideal_line(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 30_000)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS * 2):
        click(qtbot, panel.sweep_button)
    assert window.results_table.row_count() == 5  # baseline + 2 process + 2 thread runs
    assert [x for x, _ in window.timing_chart.series_points("processes")] == [1, 2]
    assert [x for x, _ in window.timing_chart.series_points("threads")] == [1, 2]
    baseline = window.controller.baseline_for(panel.current_config("threads"))
    ideal = dict(window.timing_chart.ideal_points())
    assert ideal[2] == pytest.approx(baseline.wall_s / 2)
    metric = window.findChild(QComboBox, "chartMetric")
    metric.setFocus()
    qtbot.keyClick(metric, Qt.Key_Down)
    assert window.timing_chart.metric() == "speedup"
    assert dict(window.timing_chart.ideal_points())[2] == pytest.approx(2)
    assert all(lane.startswith("thread") for lane in window.timeline_chart.lanes())


def test_escape_cancels_a_long_run_promptly_and_leaves_no_process(qtbot, window):
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 50_000_000)
    set_spin(qtbot, panel.worker_count, 2)
    click(qtbot, panel.run_processes_button)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    qtbot.waitUntil(lambda: panel.run_progress.value() > 0, timeout=30_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=30_000):
        qtbot.keyClick(window, Qt.Key_Escape)
    assert "Cancelled" in panel.run_status.text()
    assert wait_no_children() == []
    assert all(b.isEnabled() for b in run_buttons(window))
    set_spin(qtbot, panel.workload_size, 10_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_threads_button)
    assert "1,229 ✓" in window.results_table.rows_as_text()[-1]


def test_closing_the_window_mid_run_exits_quickly_without_leftovers(qtbot, make_window):
    window = make_window()
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 50_000_000)
    click(qtbot, panel.run_threads_button)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    close_mid_run(qtbot, window)
    assert not window.controller.busy
    assert wait_no_children() == []


def test_a_failing_run_shows_a_readable_error_with_the_traceback(
    qtbot, window, monkeypatch, tmp_path
):
    module = tmp_path / "learner_code.py"
    module.write_text("def work(n):\n    return 1 // (n - 5)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = RunConfig("custom", 50, "processes", 2, function="learner_code:work")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        window.controller.start([config], measure_baseline=False)
    panel = window.run_panel
    assert panel.error_frame.isVisible()
    assert "ZeroDivisionError" in panel.error_label.text()
    assert not panel.error_details.isVisible()
    click(qtbot, panel.details_button)
    assert panel.error_details.isVisible()
    assert "learner_code.py" in panel.error_details.toPlainText()
    assert all(b.isEnabled() for b in run_buttons(window))
    set_spin(qtbot, panel.workload_size, 10_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        click(qtbot, panel.run_processes_button)
    assert not panel.error_frame.isVisible()
    assert "1,229 ✓" in window.results_table.rows_as_text()[-1]


@pytest.mark.shared_window
def test_a_lesson_link_sets_up_the_run_panel(qtbot, window):
    window.lesson_panel.view().open_link(
        "tutor:run?workload=sleep&size=200&workers=4&mode=processes"
    )
    panel = window.run_panel
    assert panel.workload_choice.currentData() == "sleep"
    assert panel.workload_size.value() == 200
    assert panel.worker_count.value() == 4
    assert panel.run_processes_button.text() == "Run with 4 processes"


def test_the_hashing_workload_runs_on_threads_from_its_lesson_link(qtbot, window):
    panel = window.run_panel
    assert panel.workload_choice.findData("hashing") >= 0
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        window.lesson_panel.view().open_link(
            "tutor:run?workload=hashing&size=400&workers=2&mode=threads&start=1"
        )
    assert panel.workload_choice.currentData() == "hashing"
    assert "SHA-256" in panel.workload_choice.currentText()
    last = window.results_table.rows_as_text()[-1]
    assert last[0] == "threads × 2" and "✓" in last[3], last


def test_an_example_from_the_lesson_streams_into_the_console(qtbot, window):
    window.lesson_panel.view().open_link(example_link("pool_primes"))
    assert window.current_tab() is window.console  # the console tab is in front
    qtbot.waitUntil(lambda: not window.console.is_running(), timeout=60_000)
    assert "9,592" in window.console.output_text()
    assert "0" in window.console.status_text()


def answer_quiz(qtbot, dialog: QDialog, right: bool) -> None:
    quiz = load_quiz()
    for i, question in enumerate(quiz.questions):
        choice = question.correct if right else (question.correct + 1) % len(question.options)
        button = dialog.findChild(QPushButton.__mro__[1], f"q{i}_option{choice}")
        button.click()
    click(qtbot, dialog.findChild(QPushButton, "submitQuizButton"))


def test_the_quiz_opens_from_the_button_and_its_best_score_persists(qtbot, make_window):
    window = make_window()
    click(qtbot, window.findChild(QPushButton, "quizButton"))
    dialog = window.findChild(QDialog, "QuizDialog")
    assert dialog is not None and dialog.isVisible()
    answer_quiz(qtbot, dialog, right=True)
    assert "4/4" in dialog.findChild(QLabel, "quizScore").text()
    assert "best 4/4" in window.course_progress.text()
    window.close()
    again = make_window()
    assert "best 4/4" in again.course_progress.text()


def test_a_damaged_quiz_file_is_reported_and_the_window_goes_on(
    qtbot, make_window, tmp_path, monkeypatch
):
    # A damaged install: the quiz file lost its questions (it is read when first opened).
    resources = tmp_path / "resources"
    shutil.copytree(resources_root(), resources)
    quiz_file = resources / "quiz" / "multiprocessing.toml"
    shipped = quiz_file.read_text(encoding="utf-8")
    quiz_file.write_text('title = "Quiz"\n', encoding="utf-8")
    monkeypatch.setattr(tutor.resources, "resources_root", lambda: resources)
    window = make_window()
    click(qtbot, window.findChild(QPushButton, "quizButton"))
    box = window.findChild(QMessageBox, "warning")
    assert box is not None and box.isVisible()
    assert "no [[questions]] given" in box.text() and "installing the tutor" in box.text()
    assert window.quiz_dialog is None
    box.close()
    quiz_file.write_text(shipped, encoding="utf-8")  # mended: the next click opens it
    click(qtbot, window.findChild(QPushButton, "quizButton"))
    assert window.quiz_dialog is not None and window.quiz_dialog.isVisible()
    assert "not taken yet" in window.course_progress.text()


def test_run_settings_and_window_layout_persist(qtbot, make_window):
    window = make_window()
    panel = window.run_panel
    panel.workload_choice.setCurrentIndex(panel.workload_choice.findData("squares"))
    set_spin(qtbot, panel.workload_size, 123_456)
    set_spin(qtbot, panel.worker_count, 3)
    sizes = window.main_splitter.sizes()
    window.main_splitter.setSizes([sizes[0] + 60, sizes[1] - 60])
    dragged = window.main_splitter.sizes()
    window.close()
    again = make_window()
    assert again.run_panel.workload_choice.currentData() == "squares"
    assert again.run_panel.workload_size.value() == 123_456
    assert again.run_panel.worker_count.value() == 3
    # The offscreen screen is smaller than the window, so compare the split, not the pixels.
    restored = again.main_splitter.sizes()
    assert restored[0] / sum(restored) == pytest.approx(dragged[0] / sum(dragged), abs=0.02)
    assert restored[0] / sum(restored) != pytest.approx(sizes[0] / sum(sizes), abs=0.01)


def test_a_corrupt_settings_file_is_backed_up_and_reported(qtbot, make_window, isolated_settings):
    (isolated_settings / "mp-tutor.ini").write_bytes(b"\x00\xff[run\nworkers=\x00\x01garbage")
    window = make_window()
    assert list(isolated_settings.glob("mp-tutor.ini.corrupt-*"))
    qtbot.waitUntil(lambda: window.findChild(QDialog, "settingsWarning") is not None)
    assert "started fresh" in window.findChild(QDialog, "settingsWarning").text()
    set_spin(qtbot, window.run_panel.worker_count, 2)  # still usable


def test_every_run_action_is_disabled_while_a_run_goes(qtbot, window):
    """Run → Run with asyncio (Ctrl+Shift+A) used to stay enabled mid-run."""
    names = ("runSequentialAction", "runProcessesAction", "runThreadsAction", "sweepAction")
    actions = [window.menus.actions[name] for name in (*names, "runAsyncioAction")]
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 50_000_000)
    click(qtbot, panel.run_threads_button)
    qtbot.waitUntil(lambda: window.controller.busy, timeout=30_000)
    assert not any(action.isEnabled() for action in actions)
    window.menus.actions["runAsyncioAction"].trigger()  # a disabled action does nothing
    with qtbot.waitSignal(window.controller.batch_finished, timeout=30_000):
        qtbot.keyClick(window, Qt.Key_Escape)
    assert all(action.isEnabled() for action in actions)
    assert "Cancelled" in panel.run_status.text()
    assert wait_no_children() == []
