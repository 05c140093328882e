"""The real main window for UI tests: shown, active, and closed with no process left behind."""

from __future__ import annotations

import pytest
from process_checks import end_leftovers, wait_no_children
from shared_window import (
    WindowState,
    clear_results,
    close_shared_window,
    open_shared_window,
    reset,
)
from window_helpers import activate_window, show_window

from tutor.app import create_main_window
from tutor.ui.charts.timeline_chart import TimelineChartView
from tutor.ui.panels import lesson_colour_timing
from tutor.ui.persistence.settings_store import CONFIG_DIR_ENV
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
    config.addinivalue_line(
        "markers",
        "shared_window(results=False): the test only looks at the window, so `window` is its "
        "module's one shared window, put back as it was afterwards (tests/ui/shared_window.py); "
        "results=True: the test also feeds made-up results to its widgets, cleared afterwards",
    )
    config.addinivalue_line(
        "markers",
        "lesson_colours: lesson views colour their code after the first frame, as in the app "
        "(the UI tests' lesson views otherwise keep the plain code of their first render)",
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


@pytest.fixture(autouse=True)
def lesson_colours_on_demand(request, monkeypatch):
    """Lesson views keep their plain code unless the test is marked `lesson_colours`.

    Colouring re-renders the whole lesson (~50 ms of CPU) in every window and lesson panel a
    test makes, and only the tests about colours look at it; they are marked, and a test that
    waits for `is_highlighted` without the mark times out instead of passing unknowingly.
    """
    if request.node.get_closest_marker("lesson_colours") is None:
        monkeypatch.setattr(lesson_colour_timing, "HIGHLIGHT_DELAY_MS", NO_IDLE_BUILD_MS)


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
    # Killed, so the next tests start clean: one test that left a run going (a window asks
    # before quitting mid-run, so closing it did not stop it) failed every later test of its
    # worker on the same leftovers.
    described = end_leftovers(wait_no_children())
    assert not described, f"child processes left behind: {described}"


@pytest.fixture
def window(request, make_window):
    """A fresh main window; for a test marked `shared_window`, the module's shared one."""
    if request.node.get_closest_marker("shared_window") is not None:
        return request.getfixturevalue("shared_window")
    return make_window()


@pytest.fixture(scope="module")
def module_window(qapp, tmp_path_factory):
    """The window `shared_window` hands to each test of one module (one xdist worker runs a
    whole file): its own settings folder, no idle build, closed with no child left behind."""
    config_dir = tmp_path_factory.mktemp("shared-window-config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CONFIG_DIR_ENV, str(config_dir))  # never the learner's real settings
        with pytest.MonkeyPatch.context() as idle:  # read once, as the window shows
            idle.setattr(main_window, "IDLE_BUILD_DELAY_MS", NO_IDLE_BUILD_MS)
            window = open_shared_window()
        yield window
        close_shared_window(window)
    assert wait_no_children() == []


@pytest.fixture
def shared_window(request, qtbot, module_window):
    """The module's window, for a test that only looks at it (see tests/ui/shared_window.py).

    It is put back as it was after the test (zoom, size, tab, run settings, dialogs; with
    `shared_window(results=True)` the results it fed too), and the test fails if it left an
    experiment running, a result shown or the palette changed.
    """
    window = module_window
    marker = request.node.get_closest_marker("shared_window")
    before = WindowState.of(window)
    activate_window(qtbot, window)
    yield window
    if marker is not None and marker.kwargs.get("results", False):
        clear_results(window, before)
    reset(window, before)
    assert WindowState.of(window) == before, "this test changes the window: use `window`"
    assert wait_no_children() == []


@pytest.fixture
def shown_timeline(qtbot) -> TimelineChartView:
    """A chunk timeline on its own, shown at about its size in the window."""
    view = TimelineChartView()
    qtbot.addWidget(view)
    view.resize(700, 360)
    view.show()
    qtbot.waitExposed(view)
    return view
