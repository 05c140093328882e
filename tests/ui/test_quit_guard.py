"""Issue #19: quitting mid-run asks first (a non-blocking question); idle, it just closes."""

from __future__ import annotations

from process_checks import run_children, wait_no_children
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from window_helpers import RUN_TIMEOUT_MS, click, set_spin


def question(window) -> QMessageBox | None:
    box = window.findChild(QMessageBox, "quitConfirmDialog")
    return box if box is not None and box.isVisible() else None


def test_quitting_mid_run_asks_and_keep_running_keeps_the_run(qtbot, make_window):
    window = make_window()
    panel = window.run_panel
    # Three seconds of waiting (1 ms an item: the baseline, then the pool): still going a few
    # event-loop turns after its helper appears, however fast or busy the machine, and nearly
    # no CPU (a CPU-bound run this long cost the suite ~3 CPU-s); the test waits for its end.
    choice = panel.workload_choice
    choice.setCurrentIndex(choice.findData("sleep"))
    assert panel.current_config("processes").workload == "sleep"
    set_spin(qtbot, panel.workload_size, 2_000)
    set_spin(qtbot, panel.worker_count, 2)
    click(qtbot, panel.run_processes_button)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS) as ended:
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: question(window) is not None, timeout=10_000)
        box = question(window)
        assert box.isModal() and window.isVisible()
        assert box.defaultButton().objectName() == "keepRunningButton"
        assert window.controller.busy  # the question does not stop the run
        click(qtbot, window.findChild(QPushButton, "keepRunningButton"))
        qtbot.waitUntil(lambda: question(window) is None, timeout=10_000)
        assert window.isVisible()
    assert ended.signal_triggered
    assert "Finished" in panel.run_status.text()  # the run went on to its end
    window.close()  # nothing running now: closes at once, without a question
    assert not window.isVisible() and question(window) is None
    assert wait_no_children() == []


def test_confirming_the_question_stops_the_run_and_closes(qtbot, make_window):
    window = make_window()
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 50_000_000)
    set_spin(qtbot, panel.worker_count, 2)
    click(qtbot, panel.run_processes_button)
    qtbot.waitUntil(lambda: len(run_children()) >= 1, timeout=30_000)
    window.close()
    qtbot.waitUntil(lambda: question(window) is not None, timeout=10_000)
    window.close()  # a second attempt does not open a second question
    assert len([b for b in window.findChildren(QMessageBox) if b.isVisible()]) == 1
    click(qtbot, window.findChild(QPushButton, "quitConfirmButton"))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert not window.controller.busy
    assert wait_no_children() == []
