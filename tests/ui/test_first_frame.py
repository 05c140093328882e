"""Work moved out of the first frame waits for that frame, and the window is drawn the same
(#15: a returning learner's first paint, light and dark)."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget
from window_helpers import wait_for_stable_layout

from tutor.app import app_icon, create_main_window
from tutor.ui.charts.chart_base import FULL_TITLE
from tutor.ui.charts.timing_chart import TimingChartView
from tutor.ui.shell.first_frame import after_first_frame
from tutor.ui.shell.lazy_page import LazyPage


class PaintLog(QObject):
    """Appends "paint" to `log` at each Paint event of the widgets it watches."""

    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            self.log.append("paint")
        return False


def wait_ms(qtbot, ms: int) -> None:
    """Let the event loop run for `ms` (a condition-free wait, only to show nothing happens)."""
    timer = QTimer()
    timer.setSingleShot(True)
    with qtbot.waitSignal(timer.timeout, timeout=60_000):
        timer.start(ms)


def test_the_call_comes_after_the_windows_first_painted_frame(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel("first frame", window)
    QVBoxLayout(window).addWidget(label)
    log: list[str] = []
    spy = PaintLog(log)
    label.installEventFilter(spy)  # a child: painted in the same pass, after the window
    after_first_frame(window, lambda: log.append("called"), delay_ms=10)
    wait_ms(qtbot, 50)
    assert log == []  # not shown, not painted: nothing called
    window.show()
    qtbot.waitUntil(lambda: "called" in log, timeout=60_000)
    assert "paint" in log[: log.index("called")]  # the whole first frame came first
    window.update()
    qtbot.waitUntil(lambda: log.count("paint") >= 2, timeout=60_000)
    assert log.count("called") == 1  # once, not at every frame


def test_the_call_comes_for_a_window_its_children_cover_whole(qtbot):
    """A QMainWindow holding a plot gets no Paint event of its own, only its children do: the
    first frame is still seen, and the call comes after the plot was painted."""
    window = QMainWindow()
    qtbot.addWidget(window)
    plot = pg.PlotWidget()
    window.setCentralWidget(plot)
    window.resize(640, 400)
    log: list[str] = []
    spy = PaintLog(log)
    plot.viewport().installEventFilter(spy)
    after_first_frame(window, lambda: log.append("called"))
    window.show()
    qtbot.waitUntil(lambda: "called" in log, timeout=60_000)
    assert "paint" in log[: log.index("called")]


def test_a_window_deleted_before_the_call_takes_it_along(qtbot):
    window = QWidget()
    called: list[str] = []
    watcher = after_first_frame(window, lambda: called.append("called"), delay_ms=3000)
    window.show()
    qtbot.waitUntil(lambda: watcher.fired, timeout=60_000)  # painted: the call is pending
    with qtbot.waitSignal(window.destroyed, timeout=60_000):
        window.deleteLater()
    wait_ms(qtbot, 3500)  # past the delay
    assert called == []


@pytest.mark.idle_build
def test_the_experiment_tabs_are_built_after_the_first_frame_not_before(qtbot, isolated_settings):
    window = create_main_window()
    qtbot.addWidget(window)
    pages = window.findChildren(LazyPage)
    assert pages, "the window should have tabs built on first need"
    built_at_first_paint: list[list[bool]] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not built_at_first_paint:
                built_at_first_paint.append([page.is_built for page in pages])
            return False

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    window.show()
    qtbot.waitUntil(lambda: bool(built_at_first_paint), timeout=60_000)
    assert not any(built_at_first_paint[0])  # none of them delayed the first frame
    qtbot.waitUntil(lambda: all(page.is_built for page in pages), timeout=60_000)
    window.close()


def test_the_window_gets_its_icon_right_after_its_first_frame(qtbot, isolated_settings):
    """Every size of the icon is decoded and sent to the window system when it is set: after
    the first frame, which does not show it, and then in full."""
    window = create_main_window()
    qtbot.addWidget(window)
    icon_at_first_paint: list[bool] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not icon_at_first_paint:
                icon_at_first_paint.append(not window.windowIcon().isNull())
            return False

    first_paint = FirstPaint()
    window.installEventFilter(first_paint)
    window.show()
    qtbot.waitUntil(lambda: not window.windowIcon().isNull(), timeout=60_000)
    assert icon_at_first_paint == [False]  # the first frame came without it
    shipped = app_icon().availableSizes()
    assert len(shipped) >= 2, "the app should ship its icon in several sizes"
    assert sorted(s.width() for s in window.windowIcon().availableSizes()) == sorted(
        s.width() for s in shipped
    )
    window.close()


class ResizedAfterPaint(QObject):
    """The sizes (px) the `charts` are given after their first paint, in order."""

    def __init__(self, charts: list[QWidget]) -> None:
        super().__init__()
        self.sizes: list[tuple[str, int, int]] = []
        for chart in charts:
            chart.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and watched.has_painted:
            self.sizes.append((watched.objectName(), event.size().width(), event.size().height()))
        return False


def test_a_returning_learners_window_is_laid_out_before_its_first_frame(qtbot, isolated_settings):
    """The split that gives the run buttons and the charts their room is worked out before
    the first paint: the charts were painted, resized (a scroll bar came and went) and painted
    again, and that frame showed them cut at their foot (#15, a returning learner's start)."""
    earlier = create_main_window()
    qtbot.addWidget(earlier)
    earlier.resize(1280, 800)
    earlier.show()
    qtbot.waitExposed(earlier)
    wait_for_stable_layout(qtbot, earlier)
    earlier.close()  # saves the geometry and the splits, as a learner's quitting does

    window = create_main_window()
    qtbot.addWidget(window)
    charts = [window.timing_chart, window.timeline_chart]
    resized = ResizedAfterPaint(charts)
    window.show()
    qtbot.waitUntil(lambda: all(chart.has_painted for chart in charts), timeout=60_000)
    wait_for_stable_layout(qtbot, window)

    assert window.first_frame_settler.settled
    assert resized.sizes == []
    window.close()


def test_core_counts_given_when_built_draw_what_the_setters_draw(qtbot):
    built = TimingChartView(core_count=8, physical_core_count=4)
    later = TimingChartView()
    for chart in (built, later):
        qtbot.addWidget(chart)
        chart.resize(640, 420)
    later.set_core_count(8)
    later.set_physical_core_count(4)
    assert built.core_marker_position() == later.core_marker_position() == 8
    assert built.physical_marker_position() == later.physical_marker_position() == 4
    assert built.summary_text() == later.summary_text()
    assert "4 physical cores" in built.summary_text()
    unknown = TimingChartView(core_count=0, physical_core_count=None)
    qtbot.addWidget(unknown)
    assert unknown.core_count() is None and unknown.core_marker_position() is None


def test_a_narrowed_chart_shortens_its_title_and_widening_brings_it_back(qtbot):
    chart = TimingChartView()
    qtbot.addWidget(chart)
    chart.resize(640, 420)
    chart.show()
    qtbot.waitExposed(chart)
    full = chart.property(FULL_TITLE)
    title = chart.getPlotItem().titleLabel
    assert title.text == full
    chart.resize(200, 420)
    qtbot.waitUntil(lambda: title.text.endswith("…"), timeout=60_000)
    assert full.startswith(title.text[:-1])
    # A shortened title is not set again by every refresh (each set re-renders the label and
    # lays the plot out again), only when the metric changes it.
    texts: list[str] = []
    set_text = title.setText
    title.setText = lambda text, **options: (texts.append(text), set_text(text, **options))
    chart.refresh_plot()
    chart.refresh_plot()
    assert texts == []
    chart.set_metric("speedup")
    assert len(texts) == 1 and texts[0].endswith("…")  # the speedup title, shortened
    chart.set_metric("time")
    del title.setText
    chart.resize(640, 420)
    qtbot.waitUntil(lambda: title.text == full, timeout=60_000)
