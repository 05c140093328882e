"""The real main window for UI tests: shown, active, and closed with no process left behind."""

from __future__ import annotations

import pytest
from process_checks import wait_no_children
from window_helpers import show_window

from tutor.app import create_main_window
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.shell import main_window

# Longer than any test: a window made in a test without the `idle_build` mark never starts
# the idle build of its experiment tabs (the same seam the tab tests use by hand).
NO_IDLE_BUILD_MS = 600_000


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "idle_build: the window builds its experiment tabs when idle, as in the app (the "
        "UI tests' windows otherwise build a tab only when it is opened or asked for)",
    )


@pytest.fixture(autouse=True)
def tabs_built_on_demand(request, monkeypatch):
    """Windows build an experiment tab only when the test opens it or asks for its panel.

    The idle build of all five tabs costs ~0.1-0.2 CPU-s a window and most tests never look
    at a tab; every panel property, `show_tab` and a shown tab build their page at once, as
    they do in the app. The idle build itself is tested by the tests marked `idle_build`.
    """
    if request.node.get_closest_marker("idle_build") is None:
        monkeypatch.setattr(main_window, "IDLE_BUILD_DELAY_MS", NO_IDLE_BUILD_MS)


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
