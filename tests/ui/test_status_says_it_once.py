"""The status bar says each thing once: a failure's headline, then its message, not the
headline again; a broken lesson link in one sentence (a new learner's report)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSpinBox
from window_helpers import set_spin

from tutor.engine.failures import FAILURE_TEXTS, RunFailureKind
from tutor.ui.panels.lesson_text_view import LessonView

RUN_TIMEOUT_MS = 90_000


@pytest.fixture
def window(make_window):
    """The shown window (tests/ui/conftest.py), on 2 workers."""
    window = make_window()
    window.run_panel.worker_count.setValue(2)
    return window


def _said_once(window, headline: str) -> str:
    message = window.statusBar().currentMessage()
    assert message.count(headline) == 1, message
    assert window.run_panel.error_label.text() in message  # the error is there, once
    assert headline not in window.run_panel.error_label.text()
    return message


def _run_code(qtbot, window, source: str, time_limit_s: int | None = None) -> None:
    window.show_tab(window.code_panel)
    code = window.code_panel
    code.set_source(source)
    set_spin(qtbot, code.size_spin, 20)
    if time_limit_s is not None:
        set_spin(qtbot, code.findChild(QSpinBox, "customTimeLimit"), time_limit_s)
    button = window.findChild(QPushButton, "runCustomThreadsButton")
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=RUN_TIMEOUT_MS)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("def work(n):\n    return 1 // 0\n", RunFailureKind.RAISED),
        ("def work(n):\n    return None\n", RunFailureKind.NOT_A_NUMBER),
    ],
)
def test_a_failed_run_says_its_headline_once(qtbot, window, source, kind):
    _run_code(qtbot, window, source)
    message = _said_once(window, FAILURE_TEXTS[kind].headline)
    assert "sequential stopped" in message


def test_a_timed_out_run_says_its_headline_once(qtbot, window):
    # 5 s: the limit also counts the helper's start, which a busy machine slows to seconds.
    # A loop that never ends, idle: spinning would burn a core for the whole limit.
    hangs = "import time\n\ndef work(n):\n    while True:\n        time.sleep(0.05)\n"
    _run_code(qtbot, window, hangs, time_limit_s=5)
    message = _said_once(window, FAILURE_TEXTS[RunFailureKind.TIMEOUT].headline)
    assert message.lower().count("time limit exceeded") == 1, message


def test_settings_that_cannot_run_say_their_headline_once(qtbot, window):
    config = window.run_panel.current_config("processes")
    broken = replace(config, workload="custom", function="no_such_module_here:work", size=100)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        window.controller.start([broken], measure_baseline=False)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "", timeout=RUN_TIMEOUT_MS)
    message = _said_once(window, FAILURE_TEXTS[RunFailureKind.INVALID].headline)
    assert "no_such_module_here" in message


@pytest.mark.parametrize("link", ["tutor:run?workload=nope&size=1", "tutor:somewhere"])
def test_a_broken_lesson_link_is_said_in_one_sentence(qtbot, window, link):
    view = window.lesson_panel.findChild(LessonView, "lessonView")
    view.open_link(link)  # what clicking it does
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() != "")
    message = window.statusBar().currentMessage()
    assert message.startswith("This lesson link does not work: "), message
    assert message.lower().count("lesson link") == 1, message
