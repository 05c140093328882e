"""Lines that change at every run's start and end never move the charts or the table.

At a run's start and end the reliability warning hides and shows, the Amdahl line changes
its words, and the run status goes from one line to two. Each change of their height used to
move the charts below them: a relayout of the column and a repaint of both charts, 25-45 ms of
the window's thread each (tests/perf/ui_responsiveness.py --profile). The status stays two
lines high once a status needed two; the warning and the Amdahl line take room the first time
they show and keep it after, so a learner's charts stay where they are from then on.
"""

from __future__ import annotations

import dataclasses

import pytest
from fake_results import chart_result
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from window_helpers import RUN_TIMEOUT_MS, ResizeLog, wait_for_stable_layout

from tutor.engine.reliability import Reliability, Verdict

SIZES = [(1280, 800), (1024, 640)]
NOISY = Reliability(
    Verdict.NOISY,
    0.43,
    (
        "other programs used 43% of your CPU during this run: close them and run again",
        "the repeats differed by 27%",
    ),
)


def geometry_in_window(window, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def layout_of(window) -> dict[str, QRect]:
    """Where the charts, the table, the run buttons and the status line are (window px)."""
    parts = {
        "timing chart": window.timing_chart,
        "timeline chart": window.timeline_chart,
        "results table": window.results_table,
        "run button": window.run_panel.run_processes_button,
        "run status": window.run_panel.run_status,
    }
    return {name: geometry_in_window(window, widget) for name, widget in parts.items()}


def settled_layout(qtbot, window) -> dict[str, QRect]:
    """The layout once queued layout passes ran (window_helpers.wait_for_stable_layout)."""
    wait_for_stable_layout(qtbot, window)
    return layout_of(window)


@pytest.mark.parametrize("size", SIZES)
def test_showing_and_hiding_the_warning_moves_nothing(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    warning = window.reliability_warning
    noisy = dataclasses.replace(chart_result("processes", 2, 0.6, 1.0), reliability=NOISY)
    warning.show_result(noisy)  # the first warning takes its room
    assert warning.isVisible() and NOISY.reasons[0] in warning.text()
    shown = settled_layout(qtbot, window)
    warning.hide_while_running()  # the next run starts
    assert not warning.isVisible()
    assert settled_layout(qtbot, window) == shown
    warning.show_result(chart_result("processes", 2, 0.6, 1.0))  # a quiet run: no warning
    assert not warning.isVisible()
    assert settled_layout(qtbot, window) == shown
    warning.show_result(dataclasses.replace(noisy, reliability=NOISY))  # noisy again
    assert warning.isVisible() and len(warning.shown_lines()) == 2
    assert settled_layout(qtbot, window) == shown


@pytest.mark.parametrize("size", SIZES)
def test_the_amdahl_line_showing_or_changing_its_words_moves_nothing(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    summary = window.amdahl_summary
    assert summary.isHidden()
    chart = window.timing_chart
    chart.add_result(chart_result("sequential", 1, 1.0, 1.0))
    chart.add_result(chart_result("processes", 1, 1.05, 1.0))
    qtbot.waitUntil(summary.isVisible)  # one worker count: the line says how to get a fit
    first = summary.text()
    assert "3 or more worker counts" in first
    before = settled_layout(qtbot, window)
    chart.add_result(chart_result("processes", 2, 0.55, 1.0))
    qtbot.waitUntil(lambda: summary.text() != first)  # new words, the same place
    assert summary.isVisible() and len(summary.shown_lines()) <= 2
    assert settled_layout(qtbot, window) == before
    # Its whole sentence stays readable: in its tooltip and for screen readers.
    assert summary.text() in summary.toolTip()
    assert summary.accessibleDescription() == summary.text()


@pytest.mark.parametrize("size", SIZES)
def test_the_amdahl_line_hidden_by_a_new_baseline_keeps_its_two_lines(qtbot, window, size):
    """A new baseline (a run of another size) hides the line that said how to get a fit: the
    charts stay where they are, as when it only changes its words. Its kept height followed
    the text instead (one line for none): the charts grew 14 px at the run's start and shrank
    back when the column was divided again, both charts relaid out twice."""
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    summary = window.amdahl_summary
    chart = window.timing_chart
    chart.add_result(chart_result("sequential", 1, 1.0, 1.0))
    chart.add_result(chart_result("processes", 1, 1.05, 1.0))
    qtbot.waitUntil(summary.isVisible)
    assert len(summary.shown_lines()) == 2  # the advice takes its two lines here
    before = settled_layout(qtbot, window)

    chart.clear()  # a new baseline's run starts: nothing to fit, nothing to advise
    qtbot.waitUntil(summary.isHidden)

    assert settled_layout(qtbot, window) == before


@pytest.mark.parametrize("size", SIZES)
def test_the_amdahl_lines_first_showing_never_narrows_the_charts(qtbot, window, size):
    """Its first showing makes the charts' content taller: the charts' area used to show a
    scroll bar (the charts 7 px narrower, relaid out and repainted) until the column was
    divided again a moment later (the charts as wide as before, relaid out again)."""
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    charts = [window.timing_chart, window.timeline_chart]
    wait_for_stable_layout(qtbot, window)
    widths = {chart.width() for chart in charts}
    log = ResizeLog(charts)
    window.timing_chart.add_result(chart_result("sequential", 1, 1.0, 1.0))
    window.timing_chart.add_result(chart_result("processes", 1, 1.05, 1.0))
    qtbot.waitUntil(window.amdahl_summary.isVisible)
    wait_for_stable_layout(qtbot, window)
    assert log.widths <= widths
    assert {chart.width() for chart in charts} == widths


@pytest.mark.parametrize("size", SIZES)
def test_the_amdahl_lines_first_showing_resizes_the_timing_chart_once(qtbot, window, size):
    """The line and a legend that changes with it come in one refresh: shown before the
    legend changed, the line made room at once (the chart a line shorter, relaid out and
    repainted) and the new legend then took the chart back to its height (again); and the
    plot is laid out once for both."""
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    wait_for_stable_layout(qtbot, window)
    chart = window.timing_chart
    log = ResizeLog([chart])
    plot_heights = []  # each layout of the plot's data area (pyqtgraph's ViewBox)
    view = chart.getPlotItem().getViewBox()
    view.sigResized.connect(lambda *_: plot_heights.append(view.height()))
    chart.add_result(chart_result("sequential", 1, 1.0, 1.0))
    chart.add_result(chart_result("processes", 1, 1.05, 1.0))
    qtbot.waitUntil(window.amdahl_summary.isVisible)
    wait_for_stable_layout(qtbot, window)
    assert log.heights <= {chart.height()}, log.heights  # straight to where it ends
    # The plot at two heights: the first result's, then the line's and the new legend's at
    # once (the legend used to be laid out on its own first: a height in between).
    assert len(set(plot_heights)) <= 2, plot_heights


def test_a_status_of_one_line_or_two_moves_nothing_once_it_took_two(qtbot, window):
    status = window.run_panel.run_status
    long_text = (
        "Finished processes × 2 in 1.01 s, speedup 0.62×. With starting the helper process "
        "that runs it, 1.97 s in all: that part is outside the measurement."
    )
    status.setText("Ready.")
    one_line = status.height()
    status.setText(long_text)
    assert len(status.shown_lines()) == 2
    qtbot.waitUntil(lambda: status.height() > one_line)  # its second line, the first time
    two_lines = settled_layout(qtbot, window)
    for text in ("Ready.", long_text, "Running processes × 2 on primes N=20,000…"):
        status.setText(text)
        assert settled_layout(qtbot, window) == two_lines, text
    assert status.shown_lines() == ["Running processes × 2 on primes N=20,000…"]


def test_a_second_run_leaves_the_charts_where_they_were_and_shows_every_result(qtbot, window):
    """Clicked as a learner would, twice: a baseline and a process run each time. After each
    batch every view shows it; the second one moves nothing the first one placed."""
    panel = window.run_panel
    panel.workload_size.setValue(20_000)
    panel.worker_count.setValue(2)
    # Whether a run this small is noisy depends on the machine (a busy one, or repeats that
    # differ): an earlier noisy run gave the warning its room, so its first showing in the
    # second batch cannot move the charts (its own first-time move: the test above).
    warning = window.reliability_warning
    noisy = dataclasses.replace(chart_result("processes", 2, 0.6, 1.0), reliability=NOISY)
    warning.show_result(noisy)
    layouts = []
    for batch in (1, 2):
        with qtbot.waitSignal(window.controller.batch_finished, timeout=RUN_TIMEOUT_MS):
            qtbot.mouseClick(panel.run_processes_button, Qt.MouseButton.LeftButton)
        rows = window.results_table.rows_as_text()
        assert [row[0] for row in rows[-2:]] == ["sequential (baseline)", "processes × 2"]
        assert len(rows) == 2 * batch
        assert window.timeline_chart.bar_count() > 0
        assert window.run_panel.run_status.text().startswith("Finished processes × 2")
        assert window.amdahl_summary.isVisible()  # one worker count: how to get a fit
        layouts.append(settled_layout(qtbot, window))
    assert layouts[1] == layouts[0]
