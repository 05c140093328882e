"""The bottom tabs: every experiment tab is there from the start, opens at once, misses nothing.

The experiment tabs are built after the window's first frame (or when first needed), so these
tests check what a learner would notice if that went wrong: a missing or empty tab, a run made
before the tab was opened that never reaches it, an editor without colours.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase
from window_helpers import RUN_TIMEOUT_MS, set_spin

from tutor.app import create_main_window
from tutor.content.lesson import parse_lesson
from tutor.ui.charts.breakdown_chart import BreakdownChartView
from tutor.ui.shell import main_window
from tutor.ui.shell.lazy_page import LazyPage

TABS = {  # mnemonic key → tab text and the window attribute of its panel
    Qt.Key.Key_O: ("Y&our function", "code_panel"),
    Qt.Key.Key_G: ("Where the time &goes", "time_breakdown"),
    Qt.Key.Key_Y: ("Other P&ythons", "interpreters_panel"),
    Qt.Key.Key_T: ("S&tart methods", "start_method_panel"),
    Qt.Key.Key_S: ("Exercise&s", "exercises_panel"),
}


@pytest.mark.shared_window
def test_every_tab_is_in_the_bar_from_the_start(window):
    tabs = window.bottom_tabs
    titles = [tabs.tabText(i) for i in range(tabs.count())]
    assert titles == ["&Results", "E&xample console"] + [text for text, _ in TABS.values()]


@pytest.mark.shared_window
@pytest.mark.parametrize("key", list(TABS), ids=[name for _, name in TABS.values()])
def test_each_experiment_tab_opens_with_its_mnemonic(qtbot, window, key):
    _, name = TABS[key]
    qtbot.keyClick(window, key, Qt.KeyboardModifier.AltModifier)
    panel = getattr(window, name)
    assert window.current_tab() is panel
    qtbot.waitUntil(panel.isVisible, timeout=30_000)
    assert panel.width() > 100 and panel.height() > 50  # it fills the tab, not a stub


@pytest.mark.idle_build
def test_the_tabs_are_built_soon_after_the_window_shows(qtbot, window):
    # Nothing asks for them: the window builds them once its first frame is up.
    qtbot.waitUntil(
        lambda: all(page.is_built for page in window.findChildren(LazyPage)), timeout=30_000
    )
    assert window.findChild(BreakdownChartView, "breakdownChart") is not None


@pytest.mark.idle_build
def test_the_window_gets_a_turn_between_any_two_build_steps(qtbot, make_window, monkeypatch):
    """A learner's click or a repaint waits for one build step at most, never two in a row.

    Each turn of the window's timers (a zero-interval timer fires once per turn of the event
    loop, as a repaint or a click would be handled) is counted; every build step notes the
    count it saw. Two steps with the same count ran back to back (a chain of posted calls
    did that: two steps of 30-35 ms made 70-107 ms stalls in tests/perf/ui_responsiveness.py).
    """
    turns_seen: list[int] = []
    build_step = LazyPage.build_step

    def noted_build_step(page: LazyPage) -> bool:
        finished = build_step(page)
        if not finished:  # a step that made something (a finished page's call does nothing)
            turns_seen.append(turns[0])
        return finished

    monkeypatch.setattr(LazyPage, "build_step", noted_build_step)
    turns = [0]
    turn_counter = QTimer(interval=0)
    turn_counter.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
    turn_counter.start()
    window = make_window()
    qtbot.waitUntil(
        lambda: all(page.is_built for page in window.findChildren(LazyPage)), timeout=30_000
    )
    turn_counter.stop()
    assert len(turns_seen) > len(window.findChildren(LazyPage))  # several steps a page
    back_to_back = sum(1 for a, b in zip(turns_seen, turns_seen[1:], strict=False) if a == b)
    assert back_to_back == 0


def test_a_run_made_before_the_tab_was_opened_is_in_it(qtbot, make_window, monkeypatch):
    # No idle build during this test: opening the tab after the run brings it into being.
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)
    window = make_window()
    assert not any(page.is_built for page in window.findChildren(LazyPage))
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 10_000)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
        # Nothing is built at the click: the first run starts as smoothly as later ones.
        assert window.controller.busy
        assert not any(page.build_begun for page in window.findChildren(LazyPage))
    assert not any(page.is_built for page in window.findChildren(LazyPage))
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    chart = window.findChild(BreakdownChartView, "breakdownChart")
    qtbot.waitUntil(chart.isVisible, timeout=5000)  # a panel built now shows on the next turn
    assert chart.bar_count() == 1  # the process run (the sequential baseline has no pool)
    assert window.time_breakdown.sweep_button.isEnabled()


def test_a_tab_opened_during_a_run_waits_for_it_and_gets_its_result(
    qtbot, make_window, monkeypatch
):
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)
    window = make_window()
    panel = window.run_panel
    # Nothing below turns the event loop until the `with` block ends, so the run is still going
    # however short it is: a spawned helper, a baseline and a pool, for a small N too.
    set_spin(qtbot, panel.workload_size, 20_000)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
        assert window.controller.busy
        assert not window.time_breakdown.sweep_button.isEnabled()
        assert not window.code_panel.run_processes_button.isEnabled()
    assert window.time_breakdown.sweep_button.isEnabled()
    assert window.findChild(BreakdownChartView, "breakdownChart").bar_count() == 1


def test_the_idle_build_waits_while_a_run_goes(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)
    window = make_window()
    panel = window.run_panel
    set_spin(qtbot, panel.workload_size, 20_000)  # still going at the asserts (as above)
    set_spin(qtbot, panel.worker_count, 2)
    with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
        qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
        monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 50)
        window._build_next_tab_when_idle()  # the idle build's turn comes during the run
        assert window.controller.busy
        assert not any(page.build_begun for page in window.findChildren(LazyPage))
    # After the run the idle build carries on, and the breakdown gets the run it missed.
    qtbot.waitUntil(lambda: all(p.is_built for p in window.findChildren(LazyPage)), timeout=10_000)
    assert window.findChild(BreakdownChartView, "breakdownChart").bar_count() == 1


def test_the_idle_build_waits_while_a_result_is_shown(qtbot, make_window, monkeypatch):
    """A finished run is shown in steps (the results row, the charts, their summaries), one
    per turn of the event loop, on a timer as the build's steps are: due in the same turn, a
    build step and one of them ran one after the other, and the window waited for both."""
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)
    window = make_window()
    shown: list[bool] = []
    # A step of a result being shown, queued as the run views queue theirs.
    window.view_steps.add(lambda: shown.append(True))
    window._build_next_tab_when_idle()  # the idle build's turn comes while it waits
    assert not any(page.build_begun for page in window.findChildren(LazyPage))
    qtbot.waitUntil(lambda: shown == [True], timeout=10_000)
    qtbot.waitUntil(lambda: all(p.is_built for p in window.findChildren(LazyPage)), timeout=30_000)


def colouring_a_long_lesson(qtbot, make_window, monkeypatch):
    """(window, lesson view) whose idle build has not begun, just given a lesson of many
    small code blocks of their own: making and painting their colours takes a while."""
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)
    window = make_window()
    view = window.lesson_panel.view()
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)
    blocks = "".join(f"```python\nvalue_{i} = [{i}, {i} * 2]\n```\n\n" for i in range(600))
    view.set_lesson(parse_lesson(f"# Many examples\n\n## Code\n\n{blocks}", lambda _id: ""))
    return window, view


@pytest.mark.lesson_colours
def test_the_idle_build_waits_while_the_lesson_is_coloured(qtbot, make_window, monkeypatch):
    """The colouring thread and a build step share the GIL: one at a time."""
    window, view = colouring_a_long_lesson(qtbot, make_window, monkeypatch)
    qtbot.waitUntil(view.colouring_under_way, timeout=60_000)
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 50)
    window._build_next_tab_when_idle()  # the idle build's turn comes during the colouring
    assert not any(page.build_begun for page in window.findChildren(LazyPage))
    qtbot.waitUntil(lambda: all(p.is_built for p in window.findChildren(LazyPage)), timeout=60_000)
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)


@pytest.mark.lesson_colours
def test_the_idle_build_waits_while_colours_are_painted(qtbot, make_window, monkeypatch):
    """Made, the colours are painted onto the lesson a slice per turn; build steps between
    those slices made the longest stalls after a learner's first run (65-80 ms of the two)."""
    window, view = colouring_a_long_lesson(qtbot, make_window, monkeypatch)
    # The colours are made (the thread is done) and are being painted on.
    qtbot.waitUntil(
        lambda: not view.colouring_under_way() and view.colours_to_come(), timeout=60_000
    )
    window._build_next_tab_when_idle()  # the idle build's turn comes while they are painted
    assert not any(page.build_begun for page in window.findChildren(LazyPage))
    qtbot.waitUntil(view.is_highlighted, timeout=60_000)
    qtbot.waitUntil(lambda: all(p.is_built for p in window.findChildren(LazyPage)), timeout=60_000)


@pytest.mark.shared_window
def test_the_editor_is_coloured_when_its_tab_opens(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    editor = window.code_panel.editor
    qtbot.waitUntil(editor.isVisible, timeout=30_000)
    first_line = editor.document().firstBlock()
    assert first_line.text().startswith(("def ", "import ", "from ", "#", '"""'))
    # QSyntaxHighlighter colours on a later event-loop turn than setDocument(): wait for it.
    qtbot.waitUntil(lambda: bool(first_line.layout().formats()), timeout=10_000)


@pytest.mark.shared_window
def test_the_export_chart_menu_lists_every_experiments_chart(window):
    window.menus.chart_menu.aboutToShow.emit()  # as the menu opens
    names = {action.objectName() for action in window.menus.chart_menu.actions()}
    for stem in ("timing-chart", "timeline-chart", "breakdown-chart", "chunk-size-chart"):
        assert {f"export-{stem}-png", f"export-{stem}-svg"} <= names


def test_a_tab_built_after_zooming_in_is_zoomed_too(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", 600_000)
    window = make_window()
    base = window.run_panel.font().pointSizeF()
    window.menus.zoom.set_percent(150)
    zoomed = window.run_panel.font().pointSizeF()
    assert zoomed == pytest.approx(base * 1.5)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)  # built only now
    code = window.code_panel
    # The editor's own (fixed-width) font and the rest of the panel follow the zoom as well.
    plain = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).pointSizeF()
    assert code.editor.font().pointSizeF() == pytest.approx(plain * 1.5)
    assert code.size_spin.font().pointSizeF() == pytest.approx(zoomed)


@pytest.mark.idle_build
def test_a_window_closed_at_once_builds_no_tab(qtbot):
    window = create_main_window()
    qtbot.addWidget(window)
    window.show()  # schedules the idle build...
    window.close()  # ...and closes before any event, however busy the machine is
    # A timer started now with the idle build's delay fires after the idle build would have.
    passed = []
    QTimer.singleShot(main_window.IDLE_BUILD_DELAY_MS + 1, lambda: passed.append(True))
    qtbot.waitUntil(lambda: bool(passed), timeout=30_000)
    assert not any(page.is_built for page in window.findChildren(LazyPage))
