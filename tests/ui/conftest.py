"""The real main window for UI tests: shown, active, and closed with no process left behind."""

from __future__ import annotations

import pytest
from process_checks import wait_no_children
from window_helpers import show_window

from tutor.app import create_main_window
from tutor.ui.charts.timeline_chart import TimelineChartView


@pytest.fixture
def make_window(qtbot):
    """Makes windows on demand (a second one shows what the first one saved)."""
    windows = []

    def make():
        window = create_main_window()
        # One measurement per run: these tests check what a run shows, not how often it is
        # repeated (automatic repeats would run each small test run five times).
        # tests/ui/test_reliability_ui.py tests the automatic default itself.
        window.run_panel.repeat_count.setValue(1)
        show_window(qtbot, window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()
    assert wait_no_children() == []


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def shown_timeline(qtbot) -> TimelineChartView:
    """A chunk timeline on its own, shown at about its size in the window."""
    view = TimelineChartView()
    qtbot.addWidget(view)
    view.resize(700, 360)
    view.show()
    qtbot.waitExposed(view)
    return view
